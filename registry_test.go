package saring_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/saring/saring"
)

type specOptions struct{ N int }

func (o *specOptions) Validate() error {
	if o.N < 0 {
		return &saring.FieldError{Field: "n", Msg: "must be >= 0"}
	}
	return nil
}

type specStep struct{ n int }

func (specStep) Name() string { return "spec" }
func (specStep) Process(context.Context, *saring.Document) (saring.Result, error) {
	return saring.Kept(), nil
}

// NewSpec does the one type assertion (an error, not a panic), validates,
// and hands the builder the options by value.
func TestNewSpec(t *testing.T) {
	built := 0
	spec := saring.NewSpec("spec", "a step", func() specOptions { return specOptions{N: 3} },
		func(o specOptions, _ saring.Env) (specStep, error) {
			built++
			if o.N == 99 {
				return specStep{}, errors.New("refused")
			}
			return specStep{o.N}, nil
		})
	opts := spec.Options().(*specOptions)
	if opts.N != 3 {
		t.Fatalf("defaults %+v", opts)
	}
	s, err := spec.New(opts, saring.Env{})
	if err != nil || s.(specStep).n != 3 {
		t.Fatalf("New = %v, %v", s, err)
	}
	if _, err := spec.New(&struct{}{}, saring.Env{}); err == nil || !strings.Contains(err.Error(), "options of type") {
		t.Errorf("wrong options type: %v", err)
	}
	if _, err := spec.New(&specOptions{N: -1}, saring.Env{}); err == nil || !strings.Contains(err.Error(), "must be >= 0") {
		t.Errorf("invalid options: %v", err)
	}
	if s, err := spec.New(&specOptions{N: 99}, saring.Env{}); err == nil || s != nil {
		t.Errorf("a builder's error: %v, %v (want a nil step)", s, err)
	}
	if built != 2 {
		t.Errorf("built %d times, want 2", built)
	}
}
