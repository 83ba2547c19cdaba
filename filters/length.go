package filters

import (
	"context"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/saring/saring"
	"github.com/saring/saring/words"
)

// LengthOptions configures length. A zero bound is not checked.
type LengthOptions struct {
	MinChars int    `yaml:"min_chars" doc:"drop documents with fewer characters (code points); 0: no minimum"`
	MaxChars int    `yaml:"max_chars" doc:"drop documents with more characters; 0: no maximum"`
	MinWords int    `yaml:"min_words" doc:"drop documents with fewer words; 0: no minimum"`
	MaxWords int    `yaml:"max_words" doc:"drop documents with more words; 0: no maximum"`
	Words    string `yaml:"words" doc:"how words are counted: whitespace (fields between spaces, fast) or tokenizer (the language's word splitter, punctuation excluded)"`
	Language string `yaml:"language" doc:"language for words: tokenizer (lid.176 code), or auto for the document's language"`
}

// DefaultLengthOptions returns options that check nothing until a bound is set.
func DefaultLengthOptions() LengthOptions {
	return LengthOptions{Words: "whitespace", Language: languageAuto}
}

// Validate checks option values.
func (o *LengthOptions) Validate() error {
	for _, f := range []struct {
		key string
		v   int
	}{{"min_chars", o.MinChars}, {"max_chars", o.MaxChars}, {"min_words", o.MinWords}, {"max_words", o.MaxWords}} {
		if f.v < 0 {
			return &saring.FieldError{Field: f.key, Msg: "must be >= 0 (0 disables it)"}
		}
	}
	if o.MaxChars > 0 && o.MinChars > o.MaxChars {
		return &saring.FieldError{Field: "max_chars", Msg: fmt.Sprintf("must be >= min_chars (%d)", o.MinChars)}
	}
	if o.MaxWords > 0 && o.MinWords > o.MaxWords {
		return &saring.FieldError{Field: "max_words", Msg: fmt.Sprintf("must be >= min_words (%d)", o.MinWords)}
	}
	if o.Words != "whitespace" && o.Words != "tokenizer" {
		return &saring.FieldError{Field: "words", Msg: "must be whitespace or tokenizer"}
	}
	if o.MinChars == 0 && o.MaxChars == 0 && o.MinWords == 0 && o.MaxWords == 0 {
		return &saring.FieldError{Field: "min_chars", Msg: "set at least one of min_chars, max_chars, min_words, max_words"}
	}
	return nil
}

// Length is the length step.
type Length struct {
	o     LengthOptions
	rules rules[*lengthDoc] // the bounds set, in order
}

// NewLength builds a length step.
func NewLength(o LengthOptions) (*Length, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &Length{o: o}
	s.rules = s.lengthRules()
	return s, nil
}

// lengthDoc is what length measured on the document at hand.
type lengthDoc struct {
	doc          *saring.Document
	chars, words int
	counted      bool // words counted
}

// lengthPool keeps the measures off the heap: the rows take a pointer, to
// count the words once, and only for a document the character bounds keep.
var lengthPool = sync.Pool{New: func() any { return new(lengthDoc) }}

// lengthRules has a row for each bound set; unset bounds are not rules.
func (s *Length) lengthRules() rules[*lengthDoc] {
	type m = *lengthDoc
	o := &s.o
	chars := func(x m) float64 { return float64(x.chars) }
	words := func(x m) float64 {
		if !x.counted {
			x.words, x.counted = s.countWords(x.doc), true
		}
		return float64(x.words)
	}
	wordsNote := func(m, string) string { return "words counted by " + o.Words }
	var t rules[m]
	if o.MinChars > 0 {
		t = append(t, rule[m]{reason: "too_few_chars", op: ">=", value: chars, limit: float64(o.MinChars),
			message: func(x m, _, _ float64) string { return fmt.Sprintf("%d characters < %d", x.chars, o.MinChars) }})
	}
	if o.MaxChars > 0 {
		t = append(t, rule[m]{reason: "too_many_chars", op: "<=", value: chars, limit: float64(o.MaxChars),
			message: func(x m, _, _ float64) string { return fmt.Sprintf("%d characters > %d", x.chars, o.MaxChars) }})
	}
	record := "words" // on the first word rule: recorded once, when the character bounds keep the document
	if o.MinWords > 0 {
		t = append(t, rule[m]{reason: "too_few_words", record: record, op: ">=", value: words, limit: float64(o.MinWords), note: wordsNote,
			message: func(x m, _, _ float64) string { return fmt.Sprintf("%d words < %d", x.words, o.MinWords) }})
		record = ""
	}
	if o.MaxWords > 0 {
		t = append(t, rule[m]{reason: "too_many_words", record: record, op: "<=", value: words, limit: float64(o.MaxWords), note: wordsNote,
			message: func(x m, _, _ float64) string { return fmt.Sprintf("%d words > %d", x.words, o.MaxWords) }})
	}
	return t
}

// measure counts the characters; rows count the words when they need them.
func (s *Length) measure(doc *saring.Document) *lengthDoc {
	x := lengthPool.Get().(*lengthDoc)
	*x = lengthDoc{doc: doc, chars: utf8.RuneCountInString(doc.Text)}
	return x
}

func lengthDone(x *lengthDoc) {
	*x = lengthDoc{}
	lengthPool.Put(x)
}

func (*Length) Name() string { return "length" }

func (s *Length) countWords(doc *saring.Document) int {
	if s.o.Words == "whitespace" {
		n, _ := c4WordStats(doc.Text, false)
		return n
	}
	n := 0
	for _, w := range words.Of(doc, languageOf(doc, s.o.Language, fallbackLanguage)) {
		if lengthHasWordRune(w) {
			n++
		}
	}
	return n
}

// lengthHasWordRune tells words from punctuation tokens.
func lengthHasWordRune(w string) bool {
	for _, r := range w {
		if c4IsWordRune(r) {
			return true
		}
	}
	return false
}

func (s *Length) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	x := s.measure(doc)
	defer lengthDone(x)
	doc.Record("length", "chars", float64(x.chars)) // whichever bounds are set
	return s.rules.decide(x, doc, "length"), nil
}

func (s *Length) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	x := s.measure(doc)
	defer lengthDone(x)
	return s.rules.explain(x), nil
}
