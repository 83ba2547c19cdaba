package filters

import (
	"context"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/saring/saring"
	"github.com/saring/saring/words"
)

// gopher_quality and gopher_repetition reproduce datatrove's
// GopherQualityFilter and GopherRepetitionFilter (the rules of Rae et al.
// 2021, "Scaling Language Models: Methods, Analysis & Insights from
// Training Gopher", appendix A1): same options and defaults, same order of
// checks, same drop reasons, and words split by package words exactly as
// datatrove's tokenizers split them. The repetition rules live in
// gopher_repetition.go.

// gopherDefaultStopWords is datatrove's STOP_WORDS for English.
var gopherDefaultStopWords = []string{"the", "be", "to", "of", "and", "that", "have", "with"}

// GopherQualityOptions configures gopher_quality. Defaults are datatrove's;
// as in datatrove, 0 disables a rule.
type GopherQualityOptions struct {
	MinDocWords           int      `yaml:"min_doc_words" doc:"drop when fewer words (not counting punctuation-only tokens); 0 disables"`
	MaxDocWords           int      `yaml:"max_doc_words" doc:"drop when more words (not counting punctuation-only tokens); 0 disables"`
	MinAvgWordLength      float64  `yaml:"min_avg_word_length" doc:"drop when the mean word length in characters is below this; 0 disables"`
	MaxAvgWordLength      float64  `yaml:"max_avg_word_length" doc:"drop when the mean word length in characters is above this; 0 disables"`
	MaxSymbolWordRatio    float64  `yaml:"max_symbol_word_ratio" doc:"drop when '#' or ellipses per word exceed this; 0 disables"`
	MaxBulletLinesRatio   float64  `yaml:"max_bullet_lines_ratio" doc:"drop when more than this fraction of lines start with a bullet; 0 disables"`
	MaxEllipsisLinesRatio float64  `yaml:"max_ellipsis_lines_ratio" doc:"drop when more than this fraction of lines end with an ellipsis; 0 disables"`
	MaxNonAlphaWordsRatio float64  `yaml:"max_non_alpha_words_ratio" doc:"drop when fewer than this fraction of words contain a letter (datatrove's name); 0 disables"`
	MinStopWords          int      `yaml:"min_stop_words" doc:"drop when fewer distinct stop words occur; 0 disables"`
	StopWords             []string `yaml:"stop_words" doc:"stop words (default: the be to of and that have with)"`
	Language              string   `yaml:"language" doc:"language for word splitting (lid.176 code), or auto for the document's language"`
	LanguageParams        string   `yaml:"language_params" doc:"auto: take word lengths, alphabetic ratio and stop words from FineWeb 2's table for the document's language; none: use the values above"`
}

// DefaultGopherQualityOptions returns datatrove's defaults.
func DefaultGopherQualityOptions() GopherQualityOptions {
	return GopherQualityOptions{
		MinDocWords:           50,
		MaxDocWords:           100000,
		MinAvgWordLength:      3,
		MaxAvgWordLength:      10,
		MaxSymbolWordRatio:    0.1,
		MaxBulletLinesRatio:   0.9,
		MaxEllipsisLinesRatio: 0.3,
		MaxNonAlphaWordsRatio: 0.8,
		MinStopWords:          2,
		StopWords:             append([]string(nil), gopherDefaultStopWords...),
		Language:              "en",
		LanguageParams:        lpModeNone,
	}
}

// Validate checks option values.
func (o *GopherQualityOptions) Validate() error {
	for _, f := range []struct {
		key string
		v   float64
	}{
		{"min_doc_words", float64(o.MinDocWords)}, {"max_doc_words", float64(o.MaxDocWords)},
		{"min_avg_word_length", o.MinAvgWordLength}, {"max_avg_word_length", o.MaxAvgWordLength},
		{"max_symbol_word_ratio", o.MaxSymbolWordRatio}, {"max_bullet_lines_ratio", o.MaxBulletLinesRatio},
		{"max_ellipsis_lines_ratio", o.MaxEllipsisLinesRatio}, {"max_non_alpha_words_ratio", o.MaxNonAlphaWordsRatio},
		{"min_stop_words", float64(o.MinStopWords)},
	} {
		if f.v < 0 || math.IsNaN(f.v) {
			return &saring.FieldError{Field: f.key, Msg: "must be >= 0 (0 disables the rule)"}
		}
	}
	if o.MinStopWords > 0 && len(o.StopWords) == 0 && o.LanguageParams != lpModeAuto {
		return &saring.FieldError{Field: "stop_words", Msg: "is empty while min_stop_words > 0: every document would be dropped; set min_stop_words: 0 or list stop words"}
	}
	if strings.TrimSpace(o.Language) == "" {
		return &saring.FieldError{Field: "language", Msg: "must be a language code such as en, or auto"}
	}
	if !lpValidMode(o.LanguageParams) {
		return &saring.FieldError{Field: "language_params", Msg: "must be auto or none"}
	}
	return nil
}

// GopherQuality is the gopher_quality step.
type GopherQuality struct {
	o     GopherQualityOptions
	stops *gopherStops
}

// NewGopherQuality builds a gopher_quality step.
func NewGopherQuality(o GopherQualityOptions) (*GopherQuality, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &GopherQuality{o: o, stops: gopherStopSet(o.StopWords)}, nil
}

// gopherStops is a stop word set: word -> index, plus a filter that rules
// out most words before the map lookup.
type gopherStops struct {
	idx map[string]int
	// lens[c] has bit l set when a stop word of l bytes (l < 64) starts
	// with byte c; bit 63 stands for every longer length.
	lens [256]uint64
}

// mayHave reports whether w can be a stop word, before the map lookup.
func (st *gopherStops) mayHave(w string) bool {
	return w != "" && st.lens[w[0]]&(1<<min(len(w), 63)) != 0
}

func gopherStopSet(list []string) *gopherStops {
	st := &gopherStops{idx: make(map[string]int, len(list))}
	for _, w := range list {
		if _, ok := st.idx[w]; !ok {
			st.idx[w] = len(st.idx)
		}
		if w != "" {
			st.lens[w[0]] |= 1 << min(len(w), 63)
		}
	}
	return st
}

func (s *GopherQuality) Name() string { return "gopher_quality" }

// gopherQualityMeasures are the values the rules compare.
type gopherQualityMeasures struct {
	words, nonSymbol  int     // all tokens; tokens with a non-punctuation character
	avgLen            float64 // mean length of non-symbol words (NaN if none)
	hashes, ellipses  int
	lines             int
	bullets, endEllip int
	alphaWords        int
	stopWords         int

	// thresholds in force for this document
	minAvg, maxAvg, alphaThr float64
	paramsKey                string
}

func gopherRatio(n, d int) float64 {
	if d == 0 {
		return 0 // datatrove divides by zero here; nothing to measure
	}
	return float64(n) / float64(d)
}

func (s *GopherQuality) measure(doc *saring.Document) gopherQualityMeasures {
	text := doc.Text
	m := gopherQualityMeasures{minAvg: s.o.MinAvgWordLength, maxAvg: s.o.MaxAvgWordLength, alphaThr: s.o.MaxNonAlphaWordsRatio}
	stops := s.stops
	if s.o.LanguageParams == lpModeAuto {
		if p, ok := langParams(doc.Language()); ok {
			m.minAvg, m.maxAvg, m.alphaThr, m.paramsKey = p.MinAvgWordLength, p.MaxAvgWordLength, p.MaxNonAlphaWordsRatio, p.Key
			stops = gopherLangStops(p)
		}
	}
	var seenBuf [64]bool
	seen := seenBuf[:0]
	if len(stops.idx) <= len(seenBuf) {
		seen = seenBuf[:len(stops.idx)]
	} else {
		seen = make([]bool, len(stops.idx))
	}
	totalLen := 0
	for _, w := range words.Of(doc, languageOf(doc, s.o.Language, fallbackLanguage)) {
		m.words++
		symbol := true
		alpha := false
		n := 0
		for i := 0; i < len(w); {
			c := rune(w[i])
			if c < utf8.RuneSelf {
				k := gopherASCII[c]
				symbol = symbol && k == gopherPunct
				alpha = alpha || k == gopherLetter
				i++
			} else {
				var sz int
				c, sz = utf8.DecodeRuneInString(w[i:])
				symbol = symbol && words.IsPunctuation(c)
				alpha = alpha || unicode.IsLetter(c)
				i += sz
			}
			n++
		}
		if !symbol {
			m.nonSymbol++
			totalLen += n
		}
		if alpha {
			m.alphaWords++
		}
		if stops.mayHave(w) {
			if i, ok := stops.idx[w]; ok && !seen[i] {
				seen[i] = true
				m.stopWords++
			}
		}
	}
	m.avgLen = math.NaN() // numpy's mean of nothing
	if m.nonSymbol > 0 {
		m.avgLen = float64(totalLen) / float64(m.nonSymbol)
	}
	m.hashes = strings.Count(text, "#")
	m.ellipses = strings.Count(text, "...") + strings.Count(text, "…")
	m.lines, m.bullets, m.endEllip = gopherLineStats(text)
	return m
}

// gopherLineStats counts the lines of text (str.splitlines()), those
// starting with a bullet after lstrip() and those ending with an ellipsis
// after rstrip(). A line starting and ending with ASCII other than
// whitespace, as most do, is not stripped.
func gopherLineStats(text string) (lines, bullets, endEllip int) {
	c4SplitLines(text, func(l string) bool {
		lines++
		if l == "" {
			return true
		}
		if c := l[0]; c >= utf8.RuneSelf || c4ASCIISpace[c] {
			l = words.TrimLeftSpace(l)
			if l == "" {
				return true
			}
		}
		if l[0] == '-' || strings.HasPrefix(l, "•") {
			bullets++
		}
		if c := l[len(l)-1]; c >= utf8.RuneSelf || c4ASCIISpace[c] {
			l = words.TrimRightSpace(l)
		}
		if strings.HasSuffix(l, "...") || strings.HasSuffix(l, "…") {
			endEllip++
		}
		return true
	})
	return lines, bullets, endEllip
}

// gopherASCII classifies ASCII characters for the word rules: letters
// (str.isalpha) and datatrove's punctuation.
const (
	gopherOther = iota
	gopherLetter
	gopherPunct
)

var gopherASCII = func() (t [utf8.RuneSelf]uint8) {
	for c := rune(0); c < utf8.RuneSelf; c++ {
		switch {
		case unicode.IsLetter(c):
			t[c] = gopherLetter
		case words.IsPunctuation(c):
			t[c] = gopherPunct
		}
	}
	return t
}()

// gopherLangStopsCache keeps the stop word sets built from FineWeb 2's lists.
var gopherLangStopsCache = newGopherCache[*gopherStops]()

func gopherLangStops(p *LangParams) *gopherStops {
	return gopherLangStopsCache.get(p.Key, func() *gopherStops { return gopherStopSet(p.StopWords) })
}

// gopherQualityChecks evaluates the rules in datatrove's order.
func (s *GopherQuality) checks(m *gopherQualityMeasures) []gopherCheck {
	o := &s.o
	hashRatio := gopherRatio(m.hashes, m.words)
	ellRatio := gopherRatio(m.ellipses, m.words)
	bulletRatio := gopherRatio(m.bullets, m.lines)
	endEllRatio := gopherRatio(m.endEllip, m.lines)
	alphaRatio := gopherRatio(m.alphaWords, m.words)
	return []gopherCheck{
		{"gopher_short_doc", float64(m.nonSymbol), ">=", float64(o.MinDocWords), o.MinDocWords != 0, !(m.nonSymbol < o.MinDocWords)},
		{"gopher_long_doc", float64(m.nonSymbol), "<=", float64(o.MaxDocWords), o.MaxDocWords != 0, !(m.nonSymbol > o.MaxDocWords)},
		{"gopher_below_avg_threshold", m.avgLen, ">=", m.minAvg, m.minAvg != 0, !(m.avgLen < m.minAvg)},
		{"gopher_above_avg_threshold", m.avgLen, "<=", m.maxAvg, m.maxAvg != 0, !(m.avgLen > m.maxAvg)},
		{"gopher_too_many_hashes", hashRatio, "<=", o.MaxSymbolWordRatio, o.MaxSymbolWordRatio != 0, !(hashRatio > o.MaxSymbolWordRatio)},
		{"gopher_too_many_ellipsis", ellRatio, "<=", o.MaxSymbolWordRatio, o.MaxSymbolWordRatio != 0, !(ellRatio > o.MaxSymbolWordRatio)},
		{"gopher_too_many_bullets", bulletRatio, "<=", o.MaxBulletLinesRatio, o.MaxBulletLinesRatio != 0, !(bulletRatio > o.MaxBulletLinesRatio)},
		{"gopher_too_many_end_ellipsis", endEllRatio, "<=", o.MaxEllipsisLinesRatio, o.MaxEllipsisLinesRatio != 0, !(endEllRatio > o.MaxEllipsisLinesRatio)},
		{"gopher_below_alpha_threshold", alphaRatio, ">=", m.alphaThr, m.alphaThr != 0, !(alphaRatio < m.alphaThr)},
		{"gopher_enough_stop_words", float64(m.stopWords), ">=", float64(o.MinStopWords), o.MinStopWords != 0, !(m.stopWords < o.MinStopWords)},
	}
}

// gopherCheck is one rule: its drop reason, measured value, how the value
// must relate to the threshold to pass, and whether the rule is enabled.
type gopherCheck struct {
	reason    string
	value     float64
	op        string
	threshold float64
	enabled   bool
	pass      bool
}

// gopherQualityRecordNames are the measure names recorded, per rule.
var gopherQualityRecordNames = [...]string{"words", "", "avg_word_length", "", "hash_ratio", "ellipsis_ratio",
	"bullet_lines_ratio", "end_ellipsis_lines_ratio", "alpha_words_ratio", "stop_words"}

// gopherQualityWhat names each rule's value in drop messages.
var gopherQualityWhat = [...]string{"words", "words", "mean word length", "mean word length", "'#' per word",
	"ellipses per word", "fraction of lines starting with a bullet", "fraction of lines ending with an ellipsis",
	"fraction of words with a letter", "distinct stop words"}

func (s *GopherQuality) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	m := s.measure(doc)
	cs := s.checks(&m)
	for i, c := range cs {
		if name := gopherQualityRecordNames[i]; name != "" && !math.IsNaN(c.value) {
			doc.Record("gopher_quality", name, c.value)
		}
	}
	for i, c := range cs {
		if c.enabled && !c.pass {
			return saring.Dropped(c.reason, "%s %s %s %g", gopherQualityWhat[i], gopherFmt(c.value), gopherNegate(c.op), c.threshold), nil
		}
	}
	return saring.Kept(), nil
}

func (s *GopherQuality) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	m := s.measure(doc)
	note := "datatrove default"
	if s.o.LanguageParams == lpModeAuto {
		note = fmt.Sprintf("no FineWeb 2 parameters for language %q: option values", doc.Language())
		if m.paramsKey != "" {
			note = "FineWeb 2 " + m.paramsKey
		}
	}
	out := gopherExplain(s.checks(&m))
	for i := range out {
		switch out[i].Rule {
		case "gopher_short_doc", "gopher_long_doc":
			out[i].Note = fmt.Sprintf("%d words without punctuation-only tokens, %d tokens", m.nonSymbol, m.words)
		case "gopher_below_avg_threshold", "gopher_above_avg_threshold", "gopher_below_alpha_threshold", "gopher_enough_stop_words":
			if out[i].Note == "" {
				out[i].Note = note
			}
		}
	}
	return out, nil
}

// gopherExplain turns checks into saring.Checks; a disabled rule passes.
func gopherExplain(cs []gopherCheck) []saring.Check {
	out := make([]saring.Check, 0, len(cs))
	for _, c := range cs {
		v := c.value
		note := ""
		if math.IsNaN(v) {
			v, note = 0, "no words to measure"
		}
		ch := saring.Check{Rule: c.reason, Value: v, Op: c.op, Threshold: c.threshold, Pass: c.pass || !c.enabled, Note: note}
		if !c.enabled {
			ch.Note = "disabled"
		}
		out = append(out, ch)
	}
	return out
}

func gopherNegate(op string) string {
	switch op {
	case ">=":
		return "<"
	case "<=":
		return ">"
	}
	return "!" + op
}

func gopherFmt(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.4f", v)
}

// gopherRuneLen is Python's len() of a string.
func gopherRuneLen(s string) int { return utf8.RuneCountInString(s) }
