package tokenize

import (
	"context"
	"fmt"
	"strings"

	"github.com/saring/saring"
)

// StepName is the name of the tokens step.
const StepName = "tokens"

// Register adds the tokens step.
func Register(r *saring.Registry) {
	r.Register(saring.NewSpec(StepName,
		"count each document's tokens with a language-model tokenizer (tokenizer.json or a tiktoken encoding): metadata.token_count; never drops",
		func() TokensOptions { return TokensOptions{Key: "token_count"} },
		func(o TokensOptions, _ saring.Env) (saring.Step, error) { return NewTokens(o) }))
}

// TokensOptions configures the tokens step.
type TokensOptions struct {
	Tokenizer string `yaml:"tokenizer" path:"file_or_name" doc:"a tokenizer.json path, or the name of a file scripts/get-tokenizers.sh fetched: llama3, qwen3, cl100k_base, o200k_base, mistral, gemma3, albert"`
	Key       string `yaml:"key" doc:"metadata key of the count (ids without special tokens), also the name of the measure whose sum in stats.json is the run's total; use one key per tokenizer, e.g. token_count_llama3"`
}

// Validate checks option values.
func (o *TokensOptions) Validate() error {
	if o.Tokenizer == "" {
		return &saring.FieldError{Field: "tokenizer", Msg: "required: a tokenizer.json path or one of " + strings.Join(Names, ", ")}
	}
	if o.Key == "" {
		return &saring.FieldError{Field: "key", Msg: "must not be empty"}
	}
	return nil
}

// Tokens is the tokens step.
type Tokens struct {
	o   TokensOptions
	tok *Tokenizer
}

// NewTokens loads the tokenizer (shared by every step naming the same file).
func NewTokens(o TokensOptions) (*Tokens, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	t, err := Load(o.Tokenizer)
	if err != nil {
		return nil, &saring.FieldError{Field: "tokenizer", Msg: err.Error()}
	}
	return &Tokens{o: o, tok: t}, nil
}

// NewTokensWith builds the step around a loaded tokenizer.
func NewTokensWith(o TokensOptions, t *Tokenizer) (*Tokens, error) {
	if o.Tokenizer == "" {
		o.Tokenizer = t.Name()
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &Tokens{o: o, tok: t}, nil
}

func (*Tokens) Name() string { return StepName }

// TokenKey is the metadata key of the count: the runner sums it in
// stats.json (tokens) by outcome and language.
func (s *Tokens) TokenKey() string { return s.o.Key }

// Process writes metadata[key] and records it as a measure.
func (s *Tokens) Process(ctx context.Context, doc *saring.Document) (saring.Result, error) {
	if err := ctx.Err(); err != nil {
		return saring.Result{}, err
	}
	n := s.tok.Count(doc.Text)
	doc.SetMeta(s.o.Key, n)
	doc.Record(StepName, s.o.Key, float64(n))
	return saring.Rewritten(), nil
}

func (s *Tokens) String() string { return fmt.Sprintf("tokens(%s)", s.o.Tokenizer) }
