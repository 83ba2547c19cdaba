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
	rules rules[gopherQualityMeasures]
}

// NewGopherQuality builds a gopher_quality step.
func NewGopherQuality(o GopherQualityOptions) (*GopherQuality, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &GopherQuality{o: o, stops: gopherStopSet(o.StopWords)}
	s.rules = gopherQualityRules(&s.o)
	return s, nil
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
	doc                      *saring.Document // for Explain's notes
}

func gopherRatio(n, d int) float64 {
	if d == 0 {
		return 0 // datatrove divides by zero here; nothing to measure
	}
	return float64(n) / float64(d)
}

func (s *GopherQuality) measure(doc *saring.Document) gopherQualityMeasures {
	text := doc.Text
	m := gopherQualityMeasures{minAvg: s.o.MinAvgWordLength, maxAvg: s.o.MaxAvgWordLength, alphaThr: s.o.MaxNonAlphaWordsRatio, doc: doc}
	stops := s.stops
	if p, ok := docLangParams(s.o.LanguageParams, doc); ok {
		m.minAvg, m.maxAvg, m.alphaThr, m.paramsKey = p.MinAvgWordLength, p.MaxAvgWordLength, p.MaxNonAlphaWordsRatio, p.Key
		stops = gopherLangStops(p)
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

// gopherQualityRules are datatrove's rules, in its order. Bounds that
// FineWeb 2's table can set per language are read from the measures.
func gopherQualityRules(o *GopherQualityOptions) rules[gopherQualityMeasures] {
	type m = gopherQualityMeasures
	drop := func(what string) func(m, float64, float64) string {
		return func(_ m, v, b float64) string { return gopherDropMessage(what, v, ">=", b) }
	}
	dropAbove := func(what string) func(m, float64, float64) string {
		return func(_ m, v, b float64) string { return gopherDropMessage(what, v, "<=", b) }
	}
	wordsNote := func(x m, _ string) string {
		return fmt.Sprintf("%d words without punctuation-only tokens, %d tokens", x.nonSymbol, x.words)
	}
	paramsNote := func(x m, base string) string {
		if base != "" {
			return base
		}
		return lpNote(o.LanguageParams, x.paramsKey, x.doc, "datatrove default", "option values")
	}
	avgNote := func(x m, base string) string {
		if base == "" && math.IsNaN(x.avgLen) {
			return "no words to measure"
		}
		return paramsNote(x, base)
	}
	nonSymbol := func(x m) float64 { return float64(x.nonSymbol) }
	avgLen := func(x m) float64 { return x.avgLen }
	return rules[m]{
		{reason: "gopher_short_doc", record: "words", op: ">=", value: nonSymbol, limit: float64(o.MinDocWords),
			zeroOff: true, message: drop("words"), note: wordsNote},
		{reason: "gopher_long_doc", op: "<=", value: nonSymbol, limit: float64(o.MaxDocWords),
			zeroOff: true, message: dropAbove("words"), note: wordsNote},
		{reason: "gopher_below_avg_threshold", record: "avg_word_length", op: ">=", value: avgLen, bound: func(x m) float64 { return x.minAvg },
			zeroOff: true, message: drop("mean word length"), note: avgNote},
		{reason: "gopher_above_avg_threshold", op: "<=", value: avgLen, bound: func(x m) float64 { return x.maxAvg },
			zeroOff: true, message: dropAbove("mean word length"), note: avgNote},
		{reason: "gopher_too_many_hashes", record: "hash_ratio", op: "<=", value: func(x m) float64 { return gopherRatio(x.hashes, x.words) },
			limit: o.MaxSymbolWordRatio, zeroOff: true, message: dropAbove("'#' per word")},
		{reason: "gopher_too_many_ellipsis", record: "ellipsis_ratio", op: "<=", value: func(x m) float64 { return gopherRatio(x.ellipses, x.words) },
			limit: o.MaxSymbolWordRatio, zeroOff: true, message: dropAbove("ellipses per word")},
		{reason: "gopher_too_many_bullets", record: "bullet_lines_ratio", op: "<=", value: func(x m) float64 { return gopherRatio(x.bullets, x.lines) },
			limit: o.MaxBulletLinesRatio, zeroOff: true, message: dropAbove("fraction of lines starting with a bullet")},
		{reason: "gopher_too_many_end_ellipsis", record: "end_ellipsis_lines_ratio", op: "<=", value: func(x m) float64 { return gopherRatio(x.endEllip, x.lines) },
			limit: o.MaxEllipsisLinesRatio, zeroOff: true, message: dropAbove("fraction of lines ending with an ellipsis")},
		{reason: "gopher_below_alpha_threshold", record: "alpha_words_ratio", op: ">=", value: func(x m) float64 { return gopherRatio(x.alphaWords, x.words) },
			bound: func(x m) float64 { return x.alphaThr }, zeroOff: true, message: drop("fraction of words with a letter"), note: paramsNote},
		{reason: "gopher_enough_stop_words", record: "stop_words", op: ">=", value: func(x m) float64 { return float64(x.stopWords) },
			limit: float64(o.MinStopWords), zeroOff: true, message: drop("distinct stop words"), note: paramsNote},
	}
}

// gopherDropMessage says how a value broke its bound: "words 12 < 50".
func gopherDropMessage(what string, v float64, op string, b float64) string {
	return fmt.Sprintf("%s %s %s %g", what, gopherFmt(v), gopherNegate(op), b)
}

func (s *GopherQuality) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	m := s.measure(doc)
	// datatrove measures every rule before it decides: record them all.
	s.rules.record(m, doc, "gopher_quality")
	return s.rules.decide(m, nil, ""), nil
}

func (s *GopherQuality) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	return s.rules.explain(s.measure(doc)), nil
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
