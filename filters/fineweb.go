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
type FineWebQuality struct{ o FineWebQualityOptions }

// NewFineWebQuality builds a fineweb_quality step.
func NewFineWebQuality(o FineWebQualityOptions) (*FineWebQuality, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &FineWebQuality{o: o}, nil
}

func (*FineWebQuality) Name() string { return "fineweb_quality" }

// FineWebQuality measures are the rules' values in datatrove's order; a rule not
// reached is NaN.
type finewebMeasures struct {
	lines                   int
	punct, short, dup, list float64
	punctThr, newLineThr    float64
	paramsKey               string
	nwords, newlines        int
}

// finewebSeenPool recycles the line sets used to find duplicate lines.
var finewebSeenPool = sync.Pool{New: func() any { return make(map[string]struct{}, 64) }}

// thresholds returns the per-document thresholds.
func (s *FineWebQuality) thresholds(doc *saring.Document) (punct, newline float64, key string) {
	punct, newline = s.o.LinePunctThr, s.o.NewLineRatio
	if s.o.LanguageParams == lpModeAuto {
		if p, ok := langParams(doc.Language()); ok {
			return p.LinePunctThr, p.NewLineRatio, p.Key
		}
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

// measure computes the rules in order and stops after the first failure
// unless all is set. It returns the failing reason ("" if none).
func (s *FineWebQuality) measure(doc *saring.Document, all bool) (finewebMeasures, string) {
	nan := math.NaN()
	m := finewebMeasures{punct: nan, short: nan, dup: nan, list: nan}
	m.punctThr, m.newLineThr, m.paramsKey = s.thresholds(doc)
	text := doc.Text
	var nPunct, nShort, dupChars int
	seen := finewebSeenPool.Get().(map[string]struct{})
	defer func() {
		if len(seen) <= 1<<12 {
			clear(seen)
			finewebSeenPool.Put(seen)
		}
	}()
	rest := text
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
				nPunct++
			}
			// at most 4 bytes per character: count only when it matters
			if len(line) <= s.o.ShortLineLength ||
				(len(line) <= 4*s.o.ShortLineLength && utf8.RuneCountInString(line) <= s.o.ShortLineLength) {
				nShort++
			}
			if _, dup := seen[line]; dup {
				dupChars += utf8.RuneCountInString(line)
			} else {
				seen[line] = struct{}{}
			}
		}
		if i < 0 {
			break
		}
		rest = rest[i+1:]
	}
	if m.lines == 0 {
		return m, "empty"
	}
	fail := ""
	m.punct = float64(nPunct) / float64(m.lines)
	if m.punct < m.punctThr && !(m.punct == 0 && s.o.LinePunctExcludeZero) {
		fail = "line_punct_ratio"
		if !all {
			return m, fail
		}
	}
	m.short = float64(nShort) / float64(m.lines)
	if m.short > s.o.ShortLineThr && fail == "" {
		fail = "short_line_ratio"
		if !all {
			return m, fail
		}
	}
	m.dup = float64(dupChars) / float64(utf8.RuneCountInString(text)-m.newlines)
	if m.dup > s.o.CharDuplicatesRatio && fail == "" {
		fail = "char_dup_ratio"
		if !all {
			return m, fail
		}
	}
	m.nwords = len(words.Of(doc, languageOf(doc, s.o.Language, fallbackLanguage)))
	switch {
	case m.nwords > 0:
		m.list = float64(m.newlines) / float64(m.nwords)
	case m.newlines > 0:
		m.list = math.Inf(1) // datatrove divides by zero here
	default:
		m.list = 0
	}
	if m.list > m.newLineThr && fail == "" {
		fail = "list_ratio"
	}
	return m, fail
}

func (s *FineWebQuality) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	m, fail := s.measure(doc, false)
	for _, r := range [...]struct {
		name string
		v    float64
	}{{"line_punct_ratio", m.punct}, {"short_line_ratio", m.short}, {"char_dup_ratio", m.dup}, {"list_ratio", m.list}} {
		if !math.IsNaN(r.v) && !math.IsInf(r.v, 0) {
			doc.Record("fineweb_quality", r.name, r.v)
		}
	}
	switch fail {
	case "":
		return saring.Kept(), nil
	case "empty":
		return saring.Dropped(fail, "no non-blank line"), nil
	case "line_punct_ratio":
		return saring.Dropped(fail, "%.3f of lines end in punctuation < %g", m.punct, m.punctThr), nil
	case "short_line_ratio":
		return saring.Dropped(fail, "%.3f of lines are at most %d characters > %g", m.short, s.o.ShortLineLength, s.o.ShortLineThr), nil
	case "char_dup_ratio":
		return saring.Dropped(fail, "%.3f of characters are in repeated lines > %g", m.dup, s.o.CharDuplicatesRatio), nil
	default:
		return saring.Dropped(fail, "%d newlines / %d words = %.3f > %g", m.newlines, m.nwords, m.list, m.newLineThr), nil
	}
}

func (s *FineWebQuality) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	m, _ := s.measure(doc, true)
	note := "datatrove default"
	if s.o.LanguageParams == lpModeAuto {
		note = "no FineWeb 2 parameters for language " + fmt.Sprintf("%q", doc.Language()) + ": default"
		if m.paramsKey != "" {
			note = "FineWeb 2 " + m.paramsKey
		}
	}
	if m.lines == 0 {
		return []saring.Check{{Rule: "empty", Value: 0, Op: ">", Threshold: 0, Pass: false, Note: "no non-blank line"}}, nil
	}
	list := m.list
	if math.IsInf(list, 1) {
		list = math.MaxFloat64 // JSON has no infinity
	}
	punctPass := !(m.punct < m.punctThr) || (m.punct == 0 && s.o.LinePunctExcludeZero)
	return []saring.Check{
		{Rule: "empty", Value: float64(m.lines), Op: ">", Threshold: 0, Pass: true, Note: "non-blank lines"},
		{Rule: "line_punct_ratio", Value: m.punct, Op: ">=", Threshold: m.punctThr, Pass: punctPass, Note: note},
		{Rule: "short_line_ratio", Value: m.short, Op: "<=", Threshold: s.o.ShortLineThr, Pass: !(m.short > s.o.ShortLineThr)},
		{Rule: "char_dup_ratio", Value: m.dup, Op: "<=", Threshold: s.o.CharDuplicatesRatio, Pass: !(m.dup > s.o.CharDuplicatesRatio)},
		{Rule: "list_ratio", Value: list, Op: "<=", Threshold: m.newLineThr, Pass: !(m.list > m.newLineThr),
			Note: fmt.Sprintf("%d newlines / %d words; %s", m.newlines, m.nwords, note)},
	}, nil
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
