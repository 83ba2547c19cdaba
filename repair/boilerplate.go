package repair

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/saring/saring"
)

// BoilerplateOptions configure the boilerplate step.
type BoilerplateOptions struct {
	PatternsFile     string `yaml:"patterns_file" path:"file" doc:"extra patterns: one regexp per line matching a whole trimmed line, case-insensitive; # comments"`
	Builtin          bool   `yaml:"builtin" doc:"use the built-in packs (Indonesian, Malay, English, language-neutral); chosen by metadata.language"`
	NavRows          bool   `yaml:"nav_rows" doc:"remove navigation rows such as \"Home | News | Sports | Tech\""`
	MaxLineChars     int    `yaml:"max_line_chars" doc:"longer lines are never boilerplate"`
	MaxRecordedChars int    `yaml:"max_recorded_chars" doc:"at most this many characters of removed text are listed in metadata.repairs"`
}

// Validate checks the option values.
func (o *BoilerplateOptions) Validate() error {
	switch {
	case o.MaxLineChars < 1:
		return &saring.FieldError{Field: "max_line_chars", Msg: "must be >= 1"}
	case o.MaxRecordedChars < 0:
		return &saring.FieldError{Field: "max_recorded_chars", Msg: "must be >= 0"}
	}
	return nil
}

// DefaultBoilerplateOptions returns the defaults of the boilerplate step.
func DefaultBoilerplateOptions() BoilerplateOptions {
	return BoilerplateOptions{Builtin: true, NavRows: true, MaxLineChars: 300, MaxRecordedChars: 20000}
}

func boilerplateSpec() saring.Spec {
	return saring.NewSpec("boilerplate",
		"removes stand-alone boilerplate lines (Baca juga, Sumber:, ©, share prompts, cookie notices) using per-language packs",
		DefaultBoilerplateOptions,
		func(o BoilerplateOptions, _ saring.Env) (*Boilerplate, error) {
			var user []*regexp.Regexp
			if o.PatternsFile != "" {
				var err error
				if user, err = LoadPatterns(o.PatternsFile); err != nil {
					return nil, err
				}
			}
			return NewBoilerplate(o, user), nil
		})
}

// Boilerplate is the boilerplate step. It removes a line only when the whole
// line, trimmed of spaces and leading bullets, matches a pattern, and only
// when the line stands on its own:
//
//   - at the head of the text: every line before it is blank or removed;
//   - at the tail: every line after it is blank or removed;
//   - between paragraphs: the line before it is blank, removed, or ends a
//     paragraph (its last character is sentence punctuation, a colon, a
//     semicolon or a closing quote or bracket), and the line does not run on
//     into the next one (it ends in such punctuation, or the next line is
//     blank or starts with something other than a lowercase letter).
//
// So text is never cut out of a line, and a line wrapped inside a paragraph
// ("…as the report says.\nRead more about it in\nthe annex…") stays.
// Navigation rows ("Home | News | Sport") are removed only at the head and
// tail, and not when a neighbouring line has '|' too: extracted tables look
// the same ("Nama | Jabatan | Kota").
//
// Packs are chosen by metadata.language: Indonesian and Malay use every pack
// (language ID often confuses the two, and their sites carry English
// furniture too); any other language uses the English and language-neutral
// packs (site furniture is often English, while an Indonesian rule such as
// "Foto: …" would hit prose in Danish or Slovenian); a document without a
// language uses every pack. Patterns from patterns_file always apply.
type Boilerplate struct {
	opts BoilerplateOptions
	all  *matcher // every pack
	en   *matcher // English and language-neutral packs
}

// matcher holds compiled patterns indexed by the first word they accept.
type matcher struct {
	byLead map[string][]compiled
	any    []*regexp.Regexp // user patterns: tried on every candidate line
	nav    bool
}

type compiled struct {
	re  *regexp.Regexp
	max int // longest matching line in characters (0: max_line_chars)
}

// compilePacks indexes the rules of packs by their leads.
func compilePacks(packs ...[]rule) map[string][]compiled {
	byLead := map[string][]compiled{}
	for _, p := range packs {
		for _, r := range p {
			c := compiled{regexp.MustCompile(`^(?i:` + r.expr + `)$`), r.max}
			for _, lead := range strings.Fields(r.leads) {
				byLead[lead] = append(byLead[lead], c)
			}
		}
	}
	return byLead
}

// The built-in packs are compiled once per process and shared (a compiled
// regexp is safe for concurrent use).
var (
	builtinAll = sync.OnceValue(func() map[string][]compiled {
		return compilePacks(packCommon, packID, packMS, packEN)
	})
	builtinEN = sync.OnceValue(func() map[string][]compiled {
		return compilePacks(packCommon, packEN)
	})
)

// NewBoilerplate returns a boilerplate step; user holds extra whole-line
// patterns (see ParsePatterns).
func NewBoilerplate(opts BoilerplateOptions, user []*regexp.Regexp) *Boilerplate {
	b := &Boilerplate{
		opts: opts,
		all:  &matcher{any: user, nav: opts.NavRows},
		en:   &matcher{any: user, nav: opts.NavRows},
	}
	if opts.Builtin {
		b.all.byLead = builtinAll()
		b.en.byLead = builtinEN()
	}
	return b
}

func (b *Boilerplate) Name() string { return "boilerplate" }

func (b *Boilerplate) matcherFor(doc *saring.Document) *matcher {
	lang := doc.Language()
	if lang == "" {
		return b.all
	}
	// "id", "ind_Latn", "ms-MY", ... : the part before '_' or '-'.
	if i := strings.IndexAny(lang, "_-"); i >= 0 {
		lang = lang[:i]
	}
	switch strings.ToLower(lang) {
	case "id", "in", "ind", "ms", "msa", "may", "zsm", "zlm":
		return b.all
	}
	return b.en
}

// trimLine strips spaces and leading bullets from a line.
func trimLine(s string) string {
	s = strings.TrimSpace(s)
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch r {
		case '-', '*', '•', '·', '»', '>', '#', '–', '—', '▪', '►', '■', '◆':
			s = strings.TrimLeft(s[size:], " \t")
			continue
		}
		break
	}
	return s
}

// lead writes the lowercased first word of t into buf (or its first rune
// when t starts with a symbol) and returns it; nil when the word is too long.
func lead(t string, buf *[24]byte) []byte {
	n := 0
	for i := 0; i < len(t); {
		r, size := rune(t[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(t[i:])
		}
		if !unicode.IsLetter(r) {
			if i == 0 {
				if size > len(buf) {
					return nil
				}
				return buf[:copy(buf[:], t[:size])]
			}
			break
		}
		r = unicode.ToLower(r)
		if n+utf8.RuneLen(r) > len(buf) {
			return nil
		}
		n += utf8.EncodeRune(buf[n:], r)
		i += size
	}
	return buf[:n]
}

// Kinds of match.
const (
	noMatch int8 = iota + 1
	patternMatch
	navMatch
)

// match tells whether a line is boilerplate by a pattern, or is a
// navigation row.
func (m *matcher) match(line string, maxChars int) int8 {
	t := trimLine(line)
	if t == "" {
		return noMatch
	}
	var buf [24]byte
	rules := m.byLead[string(lead(t, &buf))]
	raw := strings.TrimSpace(line)
	if len(rules) > 0 || len(m.any) > 0 {
		// Only now pay for counting characters; bytes bound them from above.
		n := len(t)
		if n > maxChars {
			n = utf8.RuneCountInString(t)
		}
		if n <= maxChars {
			for _, c := range rules {
				if (c.max == 0 || n <= c.max) && c.re.MatchString(t) {
					return patternMatch
				}
			}
			for _, re := range m.any {
				if re.MatchString(t) || (len(raw) != len(t) && re.MatchString(raw)) {
					return patternMatch
				}
			}
		}
	}
	if m.nav && navRow(raw) {
		return navMatch
	}
	return noMatch
}

// navRow reports whether a line is a row of short links: at least three items
// separated by |, •, ·, », › or >, each starting with a letter, at most four
// words and 30 characters, with no sentence punctuation. A line starting with
// '|' is a Markdown table, not navigation.
func navRow(t string) bool {
	if t == "" || t[0] == '|' {
		return false
	}
	if !hasNavSeparator(t) {
		return false
	}
	items, words, chars := 0, 0, 0
	inWord, start := false, true
	for _, r := range t {
		switch r {
		case '|', '•', '·', '»', '›', '>':
			if chars == 0 {
				return false
			}
			items++
			words, chars, inWord, start = 0, 0, false, true
			continue
		case '.', '!', '?', ',', ';':
			return false
		}
		if unicode.IsSpace(r) {
			inWord = false
			continue
		}
		if start && !unicode.IsLetter(r) {
			return false
		}
		start = false
		chars++
		if !inWord {
			words++
			inWord = true
		}
		if words > 4 || chars > 30 {
			return false
		}
	}
	if chars > 0 {
		items++
	}
	return items >= 3
}

// hasNavSeparator is a quick byte test for the separators navRow accepts.
// The first item of a row has at most 30 characters, so only the first
// bytes need a look.
func hasNavSeparator(t string) bool {
	if len(t) > 31*4 {
		t = t[:31*4]
	}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '|', '>':
			return true
		case 0xC2, 0xE2: // first byte of · » and • ›
			if r, _ := utf8.DecodeRuneInString(t[i:]); r == '•' || r == '·' || r == '»' || r == '›' {
				return true
			}
		}
	}
	return false
}

// paragraphEnd reports whether a line ends a paragraph by its punctuation.
func paragraphEnd(line string) bool {
	line = strings.TrimRight(line, " \t")
	if line == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(line)
	return sentenceEnd(r) || closer(r) || r == ':' || r == ';'
}

// startsLower reports whether a line starts with a lowercase letter.
func startsLower(line string) bool {
	line = strings.TrimLeft(line, " \t")
	r, _ := utf8.DecodeRuneInString(line)
	return unicode.IsLower(r)
}

// boilerplatePlan finds the lines to remove.
func (b *Boilerplate) plan(doc *saring.Document) ([]span, []bool, int) {
	s := doc.Text
	m := b.matcherFor(doc)
	lines := splitLines(s, make([]span, 0, 64))
	removed := make([]bool, len(lines))
	memo := make([]int8, len(lines)) // 0: not yet matched
	text := func(i int) string { return s[lines[i].start:lines[i].end] }
	kind := func(i int) int8 {
		if memo[i] == 0 {
			memo[i] = m.match(text(i), b.opts.MaxLineChars)
		}
		return memo[i]
	}
	// At the head and tail, navigation rows go too, unless they sit in a
	// table (a neighbouring line with '|' as well: "Nama | Jabatan | Kota").
	edge := func(i int) bool {
		switch kind(i) {
		case patternMatch:
			return true
		case navMatch:
			return !tableRow(s, lines, i)
		}
		return false
	}
	n := 0
	// Head.
	for i := range lines {
		if isBlank(text(i)) {
			continue
		}
		if !edge(i) {
			break
		}
		removed[i] = true
		n++
	}
	// Tail.
	for i := len(lines) - 1; i >= 0; i-- {
		if isBlank(text(i)) || removed[i] {
			continue
		}
		if !edge(i) {
			break
		}
		removed[i] = true
		n++
	}
	// Lines standing alone between paragraphs.
	for i := range lines {
		t := text(i)
		if removed[i] || isBlank(t) {
			continue
		}
		if i > 0 && !removed[i-1] && !paragraphEnd(text(i-1)) {
			continue
		}
		if !paragraphEnd(t) && i+1 < len(lines) && startsLower(text(i+1)) {
			continue
		}
		if kind(i) == patternMatch {
			removed[i] = true
			n++
		}
	}
	return lines, removed, n
}

// tableRow reports whether a line with '|' has a neighbour with '|' too.
func tableRow(s string, lines []span, i int) bool {
	if strings.IndexByte(s[lines[i].start:lines[i].end], '|') < 0 {
		return false
	}
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(lines) && strings.IndexByte(s[lines[j].start:lines[j].end], '|') >= 0 {
			return true
		}
	}
	return false
}

func (b *Boilerplate) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	lines, removed, n := b.plan(doc)
	rec := recorder{step: "boilerplate", budget: b.opts.MaxRecordedChars}
	for i, gone := range removed {
		if gone {
			rec.add(i, doc.Text[lines[i].start:lines[i].end])
		}
	}
	doc.Record("boilerplate", "removed_lines", float64(rec.lines))
	doc.Record("boilerplate", "removed_chars", float64(rec.chars))
	if n == 0 {
		return saring.Kept(), nil
	}
	rec.save(doc)
	doc.Text = rebuild(doc.Text, lines, removed)
	if strings.TrimSpace(doc.Text) == "" {
		return saring.Dropped("empty_after_repair", "nothing left after removing %d boilerplate lines", rec.lines), nil
	}
	return saring.Rewritten(), nil
}

// Explain shows how much the boilerplate step would remove.
func (b *Boilerplate) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	lines, removed, n := b.plan(doc)
	chars, left := 0, 0
	for i, ln := range lines {
		t := doc.Text[ln.start:ln.end]
		if removed[i] {
			chars += utf8.RuneCountInString(t)
		} else if !isBlank(t) {
			left += utf8.RuneCountInString(t)
		}
	}
	return []saring.Check{
		{Rule: "removed_lines", Value: float64(n), Op: ">=", Threshold: 0, Pass: true, Note: "stand-alone boilerplate lines removed; the document is rewritten, not dropped"},
		{Rule: "removed_chars", Value: float64(chars), Op: ">=", Threshold: 0, Pass: true, Note: "characters in removed lines"},
		{Rule: "remaining_chars", Value: float64(left), Op: ">", Threshold: 0, Pass: left > 0 || n == 0, Note: "dropped as empty_after_repair when nothing is left"},
	}, nil
}
