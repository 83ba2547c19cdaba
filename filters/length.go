package filters

import (
	"context"
	"fmt"
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
	return LengthOptions{Words: "whitespace", Language: "auto"}
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
type Length struct{ o LengthOptions }

// NewLength builds a length step.
func NewLength(o LengthOptions) (*Length, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &Length{o: o}, nil
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

func (s *Length) wantWords() bool { return s.o.MinWords > 0 || s.o.MaxWords > 0 }

func (s *Length) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	o := &s.o
	chars := utf8.RuneCountInString(doc.Text)
	doc.Record("length", "chars", float64(chars))
	if o.MinChars > 0 && chars < o.MinChars {
		return saring.Dropped("too_few_chars", "%d characters < %d", chars, o.MinChars), nil
	}
	if o.MaxChars > 0 && chars > o.MaxChars {
		return saring.Dropped("too_many_chars", "%d characters > %d", chars, o.MaxChars), nil
	}
	if !s.wantWords() {
		return saring.Kept(), nil
	}
	n := s.countWords(doc)
	doc.Record("length", "words", float64(n))
	if o.MinWords > 0 && n < o.MinWords {
		return saring.Dropped("too_few_words", "%d words < %d", n, o.MinWords), nil
	}
	if o.MaxWords > 0 && n > o.MaxWords {
		return saring.Dropped("too_many_words", "%d words > %d", n, o.MaxWords), nil
	}
	return saring.Kept(), nil
}

func (s *Length) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	o := &s.o
	var out []saring.Check
	chars := float64(utf8.RuneCountInString(doc.Text))
	if o.MinChars > 0 {
		out = append(out, saring.Check{Rule: "too_few_chars", Value: chars, Op: ">=", Threshold: float64(o.MinChars), Pass: chars >= float64(o.MinChars)})
	}
	if o.MaxChars > 0 {
		out = append(out, saring.Check{Rule: "too_many_chars", Value: chars, Op: "<=", Threshold: float64(o.MaxChars), Pass: chars <= float64(o.MaxChars)})
	}
	if s.wantWords() {
		n := float64(s.countWords(doc))
		note := "words counted by " + o.Words
		if o.MinWords > 0 {
			out = append(out, saring.Check{Rule: "too_few_words", Value: n, Op: ">=", Threshold: float64(o.MinWords), Pass: n >= float64(o.MinWords), Note: note})
		}
		if o.MaxWords > 0 {
			out = append(out, saring.Check{Rule: "too_many_words", Value: n, Op: "<=", Threshold: float64(o.MaxWords), Pass: n <= float64(o.MaxWords), Note: note})
		}
	}
	return out, nil
}
