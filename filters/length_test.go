package filters

import (
	"context"
	"testing"

	"github.com/saring/saring"
)

func TestLength(t *testing.T) {
	tests := []struct {
		name   string
		o      LengthOptions
		text   string
		reason string
	}{
		{"min chars ok", LengthOptions{MinChars: 5}, "héllo", ""},
		{"min chars counts code points", LengthOptions{MinChars: 6}, "héllo", "too_few_chars"},
		{"max chars", LengthOptions{MaxChars: 4}, "héllo", "too_many_chars"},
		{"max chars ok", LengthOptions{MaxChars: 5}, "héllo", ""},
		{"min words", LengthOptions{MinWords: 4}, "Harga cabai naik lagi", ""},
		{"min words short", LengthOptions{MinWords: 5}, "Harga cabai naik lagi", "too_few_words"},
		{"python whitespace", LengthOptions{MinWords: 3}, "a\x1cb\u00a0c", ""},
		{"max words", LengthOptions{MaxWords: 3}, "Harga cabai naik lagi", "too_many_words"},
		{"chars checked first", LengthOptions{MinChars: 100, MinWords: 100}, "short", "too_few_chars"},
		{"tokenizer skips punctuation", LengthOptions{MinWords: 4, Words: "tokenizer"}, "Harga , cabai ; naik !", "too_few_words"},
		{"tokenizer counts words", LengthOptions{MinWords: 3, Words: "tokenizer"}, "Harga, cabai; naik!", ""},
	}
	for _, tt := range tests {
		if tt.o.Words == "" {
			tt.o.Words = "whitespace"
		}
		tt.o.Language = "auto"
		st, err := NewLength(tt.o)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		res, _ := c4TestRun(t, st, tt.text, map[string]any{"language": "id"})
		if res.Reason != tt.reason || (tt.reason == "") != (res.Outcome == saring.Keep) {
			t.Errorf("%s: got %v %q, want %q", tt.name, res.Outcome, res.Reason, tt.reason)
		}
		checks, _ := st.Explain(context.Background(), &saring.Document{Text: tt.text})
		first := ""
		for _, c := range checks {
			if !c.Pass && first == "" {
				first = c.Rule
			}
		}
		if first != tt.reason {
			t.Errorf("%s: Explain's first failing rule %q", tt.name, first)
		}
	}
}

func TestLengthValidate(t *testing.T) {
	for _, tt := range []struct {
		o     LengthOptions
		field string
	}{
		{LengthOptions{Words: "whitespace"}, "min_chars"},
		{LengthOptions{MinChars: -1, Words: "whitespace"}, "min_chars"},
		{LengthOptions{MinChars: 10, MaxChars: 5, Words: "whitespace"}, "max_chars"},
		{LengthOptions{MinWords: 10, MaxWords: 5, Words: "whitespace"}, "max_words"},
		{LengthOptions{MinWords: 1, Words: "spaces"}, "words"},
	} {
		_, err := NewLength(tt.o)
		if fe, ok := err.(*saring.FieldError); !ok || fe.Field != tt.field {
			t.Errorf("%+v: got %v, want a FieldError on %s", tt.o, err, tt.field)
		}
	}
}

func BenchmarkLength(b *testing.B) {
	st, _ := NewLength(LengthOptions{MinChars: 200, MinWords: 50, MaxWords: 100000, Words: "whitespace"})
	c4Bench(b, st)
}
