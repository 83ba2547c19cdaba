package filters

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/saring/saring"
	"github.com/saring/saring/words"
)

// FineWebQualityOptions configures fineweb_quality. Defaults are datatrove's.
type FineWebQualityOptions struct {
	LinePunctThr         float64  `yaml:"line_punct_thr" doc:"drop when fewer than this fraction of non-blank lines end in a stop char"`
	LinePunctExcludeZero bool     `yaml:"line_punct_exclude_zero" doc:"do not apply line_punct_thr to documents where no line ends in a stop char"`
	StopChars            []string `yaml:"stop_chars" doc:"line endings that count as punctuation (default: datatrove's 159 terminal punctuation marks)"`
	ShortLineThr         float64  `yaml:"short_line_thr" doc:"drop when more than this fraction of non-blank lines are short"`
	ShortLineLength      int      `yaml:"short_line_length" doc:"a line of at most this many characters is short"`
	CharDuplicatesRatio  float64  `yaml:"char_duplicates_ratio" doc:"drop when characters in repeated lines exceed this fraction of all characters"`
	NewLineRatio         float64  `yaml:"new_line_ratio" doc:"drop when newlines per word exceed this"`
	Language             string   `yaml:"language" doc:"language for word splitting (lid.176 code), or auto for the document's language"`
	LanguageParams       string   `yaml:"language_params" doc:"auto: take line_punct_thr and new_line_ratio from FineWeb 2's table for the document's language; none: use the values above"`
}

// DefaultFineWebQualityOptions returns datatrove's defaults.
func DefaultFineWebQualityOptions() FineWebQualityOptions {
	return FineWebQualityOptions{
		LinePunctThr:        0.12,
		ShortLineThr:        0.67,
		ShortLineLength:     30,
		CharDuplicatesRatio: 0.01,
		NewLineRatio:        0.3,
		Language:            "en",
		LanguageParams:      lpModeNone,
	}
}

// Validate checks option values.
func (o *FineWebQualityOptions) Validate() error {
	if o.ShortLineLength < 0 {
		return &saring.FieldError{Field: "short_line_length", Msg: "must be >= 0"}
	}
	for _, s := range o.StopChars {
		if s == "" {
			return &saring.FieldError{Field: "stop_chars", Msg: "must not contain an empty string (it would match every line)"}
		}
	}
	if strings.TrimSpace(o.Language) == "" {
		return &saring.FieldError{Field: "language", Msg: "must be a language code such as en, or auto"}
	}
	if !lpValidMode(o.LanguageParams) {
		return &saring.FieldError{Field: "language_params", Msg: "must be auto or none"}
	}
	return nil
}

// FineWebQuality is the fineweb_quality step.
type FineWebQuality struct {
	o     FineWebQualityOptions
	rules rules[*finewebMeasures]
}

// NewFineWebQuality builds a fineweb_quality step.
func NewFineWebQuality(o FineWebQualityOptions) (*FineWebQuality, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &FineWebQuality{o: o}
	s.rules = finewebRules(&s.o)
	return s, nil
}

func (*FineWebQuality) Name() string { return "fineweb_quality" }

// finewebMeasures are the counts the rules compare, from one pass over
// the lines; the word count, which needs the words split, is taken only
// by the rule that needs it, once (the rows take a pointer to keep it).
type finewebMeasures struct {
	doc                  *saring.Document
	lines, punct, short  int // non-blank lines; ending in a stop char; short
	dupChars, newlines   int
	punctThr, newLineThr float64
	paramsKey            string
	words                int
	counted              bool                // words counted
	seen                 map[string]struct{} // lines seen, to find duplicates; reused
}

// finewebPool recycles the measures and their line sets.
var finewebPool = sync.Pool{New: func() any { return new(finewebMeasures) }}

// finewebRules are datatrove's rules, in its order.
func finewebRules(o *FineWebQualityOptions) rules[*finewebMeasures] {
	type m = *finewebMeasures
	paramsNote := func(x m) string {
		return lpNote(o.LanguageParams, x.paramsKey, x.doc, "datatrove default", "default")
	}
	nwords := func(x m) int {
		if !x.counted {
			x.words, x.counted = len(words.Of(x.doc, languageOf(x.doc, o.Language, fallbackLanguage))), true
		}
		return x.words
	}
	return rules[m]{
		{reason: "empty", op: ">", value: func(x m) float64 { return float64(x.lines) }, last: true,
			message: func(m, float64, float64) string { return "no non-blank line" },
			note: func(x m, _ string) string {
				if x.lines == 0 {
					return "no non-blank line"
				}
				return "non-blank lines"
			}},
		{reason: "line_punct_ratio", record: "line_punct_ratio", op: ">=",
			value: func(x m) float64 { return float64(x.punct) / float64(x.lines) },
			bound: func(x m) float64 { return x.punctThr },
			pass:  func(_ m, v, b float64) bool { return !(v < b) || (v == 0 && o.LinePunctExcludeZero) },
			message: func(_ m, v, b float64) string {
				return fmt.Sprintf("%.3f of lines end in punctuation < %g", v, b)
			},
			note: func(x m, _ string) string { return paramsNote(x) }},
		{reason: "short_line_ratio", record: "short_line_ratio", op: "<=",
			value: func(x m) float64 { return float64(x.short) / float64(x.lines) }, limit: o.ShortLineThr,
			message: func(_ m, v, b float64) string {
				return fmt.Sprintf("%.3f of lines are at most %d characters > %g", v, o.ShortLineLength, b)
			}},
		{reason: "char_dup_ratio", record: "char_dup_ratio", op: "<=",
			value: func(x m) float64 {
				return float64(x.dupChars) / float64(utf8.RuneCountInString(x.doc.Text)-x.newlines)
			},
			limit: o.CharDuplicatesRatio,
			message: func(_ m, v, b float64) string {
				return fmt.Sprintf("%.3f of characters are in repeated lines > %g", v, b)
			}},
		{reason: "list_ratio", record: "list_ratio", op: "<=",
			value: func(x m) float64 {
				switch n := nwords(x); {
				case n > 0:
					return float64(x.newlines) / float64(n)
				case x.newlines > 0:
					return math.Inf(1) // datatrove divides by zero here
				}
				return 0
			},
			bound: func(x m) float64 { return x.newLineThr },
			message: func(x m, v, b float64) string {
				return fmt.Sprintf("%d newlines / %d words = %.3f > %g", x.newlines, nwords(x), v, b)
			},
			note: func(x m, _ string) string {
				return fmt.Sprintf("%d newlines / %d words; %s", x.newlines, nwords(x), paramsNote(x))
			}},
	}
}

// thresholds returns the per-document thresholds.
func (s *FineWebQuality) thresholds(doc *saring.Document) (punct, newline float64, key string) {
	punct, newline = s.o.LinePunctThr, s.o.NewLineRatio
	if p, ok := docLangParams(s.o.LanguageParams, doc); ok {
		return p.LinePunctThr, p.NewLineRatio, p.Key
	}
	return punct, newline, ""
}

func (s *FineWebQuality) endsWithStop(line string) bool {
	if s.o.StopChars == nil {
		r, _ := utf8.DecodeLastRuneInString(line)
		i := sort.Search(len(finewebTerminalPunct), func(i int) bool { return finewebTerminalPunct[i] >= r })
		return i < len(finewebTerminalPunct) && finewebTerminalPunct[i] == r
	}
	for _, c := range s.o.StopChars {
		if strings.HasSuffix(line, c) {
			return true
		}
	}
	return false
}

// measure counts the lines the rules look at, in one pass. Give the
// measures back with done.
func (s *FineWebQuality) measure(doc *saring.Document) *finewebMeasures {
	m := finewebPool.Get().(*finewebMeasures)
	seen := m.seen
	if seen == nil {
		seen = make(map[string]struct{}, 64)
	}
	*m = finewebMeasures{doc: doc, seen: seen}
	m.punctThr, m.newLineThr, m.paramsKey = s.thresholds(doc)
	rest := doc.Text
	for {
		i := strings.IndexByte(rest, '\n')
		line := rest
		if i >= 0 {
			line = rest[:i]
			m.newlines++
		}
		if c4Strip(line) != "" {
			m.lines++
			if s.endsWithStop(line) {
				m.punct++
			}
			// at most 4 bytes per character: count only when it matters
			if len(line) <= s.o.ShortLineLength ||
				(len(line) <= 4*s.o.ShortLineLength && utf8.RuneCountInString(line) <= s.o.ShortLineLength) {
				m.short++
			}
			if _, dup := seen[line]; dup {
				m.dupChars += utf8.RuneCountInString(line)
			} else {
				seen[line] = struct{}{}
			}
		}
		if i < 0 {
			break
		}
		rest = rest[i+1:]
	}
	return m
}

// done gives the measures back to the pool, with their line set emptied
// unless it grew large.
func (m *finewebMeasures) done() {
	seen := m.seen
	if len(seen) <= 1<<12 {
		clear(seen)
	} else {
		seen = nil
	}
	*m = finewebMeasures{seen: seen}
	finewebPool.Put(m)
}

func (s *FineWebQuality) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	m := s.measure(doc)
	defer m.done()
	return s.rules.decide(m, doc, "fineweb_quality"), nil
}

func (s *FineWebQuality) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	m := s.measure(doc)
	defer m.done()
	return s.rules.explain(m), nil
}

// finewebTerminalPunct is datatrove's TERMINAL_PUNCTUATION (159 marks
// ending a sentence in many scripts), sorted by code point.
var finewebTerminalPunct = []rune{
	0x21, 0x2E, 0x3F, 0x589, 0x61D, 0x61E, 0x61F, 0x6D4, 0x700, 0x701, 0x702, 0x7F9, 0x837, 0x839,
	0x83D, 0x83E, 0x964, 0x965, 0x104A, 0x104B, 0x1362, 0x1367, 0x1368, 0x166E, 0x1735, 0x1736,
	0x17D4, 0x17D5, 0x17D6, 0x17D9, 0x17DA, 0x1803, 0x1809, 0x1944, 0x1945, 0x1AA8, 0x1AA9,
	0x1AAA, 0x1AAB, 0x1B5A, 0x1B5B, 0x1B5E, 0x1B5F, 0x1B7D, 0x1B7E, 0x1C3B, 0x1C3C, 0x1C7E,
	0x1C7F, 0x203C, 0x203D, 0x2047, 0x2048, 0x2049, 0x2E2E, 0x2E3C, 0x2E53, 0x2E54, 0x3002,
	0xA4FF, 0xA60E, 0xA60F, 0xA6F3, 0xA6F7, 0xA876, 0xA877, 0xA8CE, 0xA8CF, 0xA92F, 0xA9C8,
	0xA9C9, 0xAA5D, 0xAA5E, 0xAA5F, 0xAAF0, 0xAAF1, 0xABEB, 0xFE52, 0xFE56, 0xFE57, 0xFF01,
	0xFF0E, 0xFF1F, 0xFF61, 0x10A56, 0x10A57, 0x10F55, 0x10F56, 0x10F57, 0x10F58, 0x10F59,
	0x10F86, 0x10F87, 0x10F88, 0x10F89, 0x11047, 0x11048, 0x110BE, 0x110BF, 0x110C0, 0x110C1,
	0x11141, 0x11142, 0x11143, 0x111C5, 0x111C6, 0x111CD, 0x111DE, 0x111DF, 0x11238, 0x11239,
	0x1123B, 0x1123C, 0x112A9, 0x1144B, 0x1144C, 0x115C2, 0x115C3, 0x115C9, 0x115CA, 0x115CB,
	0x115CC, 0x115CD, 0x115CE, 0x115CF, 0x115D0, 0x115D1, 0x115D2, 0x115D3, 0x115D4, 0x115D5,
	0x115D6, 0x115D7, 0x11641, 0x11642, 0x1173C, 0x1173D, 0x1173E, 0x11944, 0x11946, 0x11A42,
	0x11A43, 0x11A9B, 0x11A9C, 0x11C41, 0x11C42, 0x11EF7, 0x11EF8, 0x11F43, 0x11F44, 0x16A6E,
	0x16A6F, 0x16AF5, 0x16B37, 0x16B38, 0x16B44, 0x16E98, 0x1BC9F, 0x1DA88,
}
