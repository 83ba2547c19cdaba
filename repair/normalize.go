package repair

import (
	"context"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/saring/saring"
)

// NormalizeOptions configure the normalize step.
type NormalizeOptions struct {
	Form        string `yaml:"form" doc:"Unicode normalization form: nfc, nfkc or none"`
	FixMojibake bool   `yaml:"fix_mojibake" doc:"repair UTF-8 text that was decoded as Windows-1252/Latin-1 (â€™ → ’), only when clearly wrong"`
	KeepIndent  bool   `yaml:"keep_indent" doc:"keep the leading spaces and tabs of a line (poems, code); runs inside a line are always collapsed"`
}

// Validate checks the option values.
func (o *NormalizeOptions) Validate() error {
	switch o.Form {
	case "nfc", "nfkc", "none":
		return nil
	}
	return &saring.FieldError{Field: "form", Msg: `must be "nfc", "nfkc" or "none"`}
}

func normalizeSpec() saring.Spec {
	return saring.NewSpec("normalize",
		"Unicode NFC, \\n line endings, collapsed whitespace, no control or zero-width characters; rewrites, never drops",
		func() NormalizeOptions { return NormalizeOptions{Form: "nfc", KeepIndent: true} },
		func(o NormalizeOptions, _ saring.Env) (*Normalize, error) { return NewNormalize(o), nil })
}

// Normalize is the normalize step. What it changes:
//
//   - "\r\n", lone "\r", U+0085, U+2028 and U+2029 become "\n";
//   - control characters other than "\n" and "\t", invalid UTF-8 bytes, and
//     invisible characters (U+200B zero-width space, U+2060 word joiner,
//     U+FEFF byte-order mark, U+00AD soft hyphen, U+2061–U+2064) are removed;
//     U+200C and U+200D are kept: they change how Persian, Indic scripts and
//     emoji render;
//   - inside a line, a run of spaces, tabs or other Unicode spaces (U+00A0,
//     U+3000, …) becomes one space (a lone tab stays a tab); trailing spaces
//     are removed; leading indentation is kept unless keep_indent is false;
//   - two or more blank lines in a row become one; blank lines at the start
//     and end of the text are removed;
//   - optionally, mojibake is repaired (see fixMojibake);
//   - finally the text is put in Unicode normalization form NFC (or NFKC).
//
// A text that needs none of this is passed on without allocating.
type Normalize struct {
	opts NormalizeOptions
	form norm.Form
}

// NewNormalize returns a normalize step; opts must be valid.
func NewNormalize(opts NormalizeOptions) *Normalize {
	n := &Normalize{opts: opts, form: norm.NFC}
	if opts.Form == "nfkc" {
		n.form = norm.NFKC
	}
	return n
}

func (n *Normalize) Name() string { return "normalize" }

// normStats counts what a normalization changed.
type normStats struct {
	lineEndings int // \r\n, \r and Unicode line separators turned into \n
	invisible   int // control, zero-width and invalid characters removed
	spaces      int // whitespace characters collapsed, converted or trimmed
	blankLines  int // surplus blank lines removed
	mojibake    int // mojibake sequences repaired
	form        bool
}

func (n *Normalize) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	out, st, changed := n.normalize(doc.Text)
	doc.Record("normalize", "invisible_chars", float64(st.invisible))
	doc.Record("normalize", "mojibake_fixes", float64(st.mojibake))
	if !changed {
		return saring.Kept(), nil
	}
	doc.Text = out
	return saring.Rewritten(), nil
}

// Explain lists what normalize would change; it never drops, so every check passes.
func (n *Normalize) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	_, st, _ := n.normalize(doc.Text)
	info := func(rule string, v int, note string) saring.Check {
		return saring.Check{Rule: rule, Value: float64(v), Op: ">=", Threshold: 0, Pass: true, Note: note}
	}
	form := 0
	if st.form {
		form = 1
	}
	return []saring.Check{
		info("line_endings", st.lineEndings, "line endings rewritten to \\n"),
		info("invisible_chars", st.invisible, "control, zero-width and invalid characters removed"),
		info("whitespace_chars", st.spaces, "whitespace characters collapsed or trimmed"),
		info("blank_lines", st.blankLines, "surplus blank lines removed"),
		info("mojibake_fixes", st.mojibake, "mojibake sequences repaired (fix_mojibake)"),
		info("form_changed", form, "1 when Unicode normalization changed the text"),
	}, nil
}

// normalize returns the normalized text and whether it differs from s.
func (n *Normalize) normalize(s string) (string, normStats, bool) {
	var st normStats
	out := s
	if n.opts.FixMojibake {
		// Text decoded wrongly twice ("Ã¢â‚¬â„¢") needs a second pass.
		for range 3 {
			fixed, k := fixMojibake(out)
			if k == 0 {
				break
			}
			out, st.mojibake = fixed, st.mojibake+k
		}
	}
	if n.needsCleanup(out) {
		out = n.cleanup(out, &st)
	}
	// The quick check does not allocate; failing it only means "maybe".
	if n.opts.Form != "none" && !quickNormal(n.form, out) {
		if nf := n.form.String(out); nf != out {
			out = nf
			st.form = true
		}
		// NFKC can turn characters into spaces; clean again so that the
		// result is stable.
		if n.needsCleanup(out) {
			out = n.cleanup(out, &st)
		}
	}
	return out, st, out != s
}

// removable reports whether a rune is deleted outright.
func removable(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\n' && r != '\t' && r != '\r'
	case r == 0x7F:
		return true
	case r >= 0x80 && r <= 0x9F:
		return r != 0x85
	case r == 0xAD, r == 0x200B, r == 0x2060, r == 0xFEFF, r >= 0x2061 && r <= 0x2064:
		return true
	case r == utf8.RuneError:
		return false // a real U+FFFD is text; invalid bytes are caught by size
	}
	return false
}

// lineBreak reports whether a rune ends a line.
func lineBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029
}

// hspace reports whether a rune is horizontal whitespace.
func hspace(r rune) bool {
	if r == ' ' || r == '\t' {
		return true
	}
	return r >= 0x80 && unicode.Is(unicode.Zs, r)
}

// needsCleanup is the allocation-free check behind the fast path: it is true
// whenever cleanup would change s.
func (n *Normalize) needsCleanup(s string) bool {
	if len(s) == 0 {
		return false
	}
	if s[0] == '\n' || s[len(s)-1] == '\n' {
		return true
	}
	lineStart := true
	prevSpace := false // previous byte was a space or tab after content
	newlines := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c > ' ' && c < 0x7F {
			// Ordinary printable ASCII, and single spaces between such bytes.
			lineStart, prevSpace, newlines = false, false, 0
			i++
			for i < len(s) {
				if c := s[i]; c > ' ' && c < 0x7F {
					i++
				} else if c == ' ' && i+1 < len(s) && s[i+1] > ' ' && s[i+1] < 0x7F {
					i += 2
				} else {
					break
				}
			}
			continue
		}
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				if prevSpace {
					return true // trailing whitespace
				}
				newlines++
				if newlines >= 3 {
					return true
				}
				lineStart, prevSpace = true, false
			case c == ' ' || c == '\t':
				if lineStart {
					if !n.opts.KeepIndent {
						return true
					}
					// A line of only indentation is trailing whitespace.
					if i+1 == len(s) || s[i+1] == '\n' {
						return true
					}
				} else {
					if prevSpace {
						return true
					}
					prevSpace = true
				}
			case c < 0x20 || c == 0x7F:
				return true
			default:
				lineStart, prevSpace, newlines = false, false, 0
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || removable(r) || lineBreak(r) || hspace(r) {
			return true
		}
		lineStart, prevSpace, newlines = false, false, 0
		i += size
	}
	return prevSpace
}

// cleanup rewrites s; see Normalize for the rules.
func (n *Normalize) cleanup(s string, st *normStats) string {
	b := make([]byte, 0, len(s))
	var indent []byte
	newlines := 0
	started := false   // some content was written
	spaceRun := 0      // whitespace characters seen since the last content
	var spaceChar byte // the whitespace character, when the run is one ' ' or '\t'
	lineStart := true
	for i := 0; i < len(s); {
		// Bulk-copy ordinary ASCII inside a line: printable bytes and single
		// spaces between them.
		if !lineStart && newlines == 0 && spaceRun == 0 {
			j := i
			for j < len(s) {
				if c := s[j]; c > ' ' && c < 0x7F {
					j++
				} else if c == ' ' && j+1 < len(s) && s[j+1] > ' ' && s[j+1] < 0x7F {
					j += 2
				} else {
					break
				}
			}
			if j > i {
				b = append(b, s[i:j]...)
				i = j
				continue
			}
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				st.invisible++
				i++
				continue
			}
		}
		i += size
		switch {
		case lineBreak(r):
			if r == '\r' && i < len(s) && s[i] == '\n' {
				i++
			}
			if r != '\n' {
				st.lineEndings++
			}
			st.spaces += spaceRun + len(indent)
			spaceRun, indent = 0, indent[:0]
			newlines++
			lineStart = true
		case removable(r):
			st.invisible++
		case hspace(r):
			if lineStart {
				if n.opts.KeepIndent {
					if r == '\t' {
						indent = append(indent, '\t')
					} else {
						if r != ' ' {
							st.spaces++
						}
						indent = append(indent, ' ')
					}
				} else {
					st.spaces++
				}
				continue
			}
			spaceRun++
			spaceChar = 0
			if spaceRun == 1 && (r == ' ' || r == '\t') {
				spaceChar = byte(r)
			}
		default:
			if started {
				if newlines > 2 {
					st.blankLines += newlines - 2
					newlines = 2
				}
				for ; newlines > 0; newlines-- {
					b = append(b, '\n')
				}
			} else if newlines > 0 {
				st.blankLines += newlines
			}
			newlines = 0
			if lineStart {
				b = append(b, indent...)
				indent = indent[:0]
				lineStart = false
			}
			if spaceRun > 0 {
				if spaceChar != 0 {
					b = append(b, spaceChar)
				} else {
					st.spaces += spaceRun
					b = append(b, ' ')
				}
				spaceRun = 0
			}
			started = true
			b = utf8.AppendRune(b, r)
		}
	}
	st.spaces += spaceRun + len(indent)
	if newlines > 0 && started {
		st.blankLines += newlines
	}
	return string(b)
}

// quickNormal is form.QuickSpanString(s) == len(s), with the ASCII runs
// skipped eight bytes at a time: most web text is mostly ASCII, which every
// form leaves as it is, and the table-driven check runs at a fraction of
// memory speed. Each run of non-ASCII bytes is checked with the ASCII byte
// before it, the starter a combining mark would compose with; the ASCII
// byte after it needs no look, as no ASCII character combines with what
// precedes it or decomposes. FuzzQuickNormal holds it to the library's
// answer.
func quickNormal(form norm.Form, s string) bool {
	i := 0
	for {
		for i+8 <= len(s) && (uint64(s[i])|uint64(s[i+1])<<8|uint64(s[i+2])<<16|uint64(s[i+3])<<24|
			uint64(s[i+4])<<32|uint64(s[i+5])<<40|uint64(s[i+6])<<48|uint64(s[i+7])<<56)&0x8080808080808080 == 0 {
			i += 8
		}
		for i < len(s) && s[i] < utf8.RuneSelf {
			i++
		}
		if i == len(s) {
			return true
		}
		from := max(i-1, 0)
		for i < len(s) && s[i] >= utf8.RuneSelf {
			i++
		}
		seg := s[from:i]
		if !utf8.ValidString(seg) {
			// Around invalid bytes the library's answer can depend on
			// what follows (normalize cleans them out first anyway).
			return form.QuickSpanString(s) == len(s)
		}
		if form.QuickSpanString(seg) < len(seg) {
			return false
		}
	}
}
