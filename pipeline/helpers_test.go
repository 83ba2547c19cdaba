package pipeline

import (
	"context"
	"errors"
	"hash/fnv"
	"strings"
	"sync"
	"time"

	"github.com/saring/saring"
)

// Steps used to exercise the runner without depending on real filters.

type upperStep struct{}

func (upperStep) Name() string { return "upper" }
func (upperStep) Process(_ context.Context, d *saring.Document) (saring.Result, error) {
	up := strings.ToUpper(d.Text)
	if up == d.Text {
		return saring.Kept(), nil
	}
	d.Text = up
	return saring.Rewritten(), nil
}

type minLenOptions struct {
	MinChars int    `yaml:"min_chars" doc:"fewest characters a document may have"`
	Reason   string `yaml:"reason" doc:"reason code for drops"`
}

func (o *minLenOptions) Validate() error {
	if o.MinChars < 0 {
		return &saring.FieldError{Field: "min_chars", Msg: "must be >= 0"}
	}
	return nil
}

type minLenStep struct{ o minLenOptions }

func (minLenStep) Name() string { return "minlen" }
func (s minLenStep) Process(_ context.Context, d *saring.Document) (saring.Result, error) {
	d.Record("minlen", "chars", float64(len(d.Text)))
	if len(d.Text) < s.o.MinChars {
		return saring.Dropped(s.o.Reason, "%d chars < %d", len(d.Text), s.o.MinChars), nil
	}
	return saring.Kept(), nil
}

func (s minLenStep) Explain(_ context.Context, d *saring.Document) ([]saring.Check, error) {
	return []saring.Check{{Rule: "min_chars", Value: float64(len(d.Text)), Op: ">=", Threshold: float64(s.o.MinChars), Pass: len(d.Text) >= s.o.MinChars}}, nil
}

// exactDup keeps the first document (smallest Seq) of each text.
type exactDup struct {
	mu    sync.Mutex
	first map[uint64]uint64
}

func (*exactDup) Name() string { return "exactdup" }
func hashText(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
func (e *exactDup) Add(_ context.Context, d *saring.Document) error {
	h := hashText(d.Text)
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.first[h]; !ok || d.Seq < s {
		e.first[h] = d.Seq
	}
	return nil
}
func (e *exactDup) Finish(context.Context) error { return nil }
func (e *exactDup) Process(_ context.Context, d *saring.Document) (saring.Result, error) {
	if e.first[hashText(d.Text)] != d.Seq {
		return saring.Dropped("duplicate", "same text as an earlier document"), nil
	}
	return saring.Kept(), nil
}

type failStep struct{}

func (failStep) Name() string { return "fail" }
func (failStep) Process(_ context.Context, d *saring.Document) (saring.Result, error) {
	if strings.Contains(d.Text, "BOOM") {
		return saring.Result{}, errors.New("exploded")
	}
	return saring.Kept(), nil
}

type slowStep struct{}

func (slowStep) Name() string { return "slow" }
func (slowStep) Process(ctx context.Context, d *saring.Document) (saring.Result, error) {
	select {
	case <-time.After(2 * time.Millisecond):
	case <-ctx.Done():
		return saring.Result{}, ctx.Err()
	}
	return saring.Kept(), nil
}

func testRegistry() *saring.Registry {
	r := saring.NewRegistry()
	simple := func(name string, mk func() saring.Step) {
		r.Register(saring.Spec{Name: name, Doc: name, New: func(any, saring.Env) (saring.Step, error) { return mk(), nil }})
	}
	simple("upper", func() saring.Step { return upperStep{} })
	simple("exactdup", func() saring.Step { return &exactDup{first: map[uint64]uint64{}} })
	simple("exactdup2", func() saring.Step { return &exactDup{first: map[uint64]uint64{}} })
	simple("fail", func() saring.Step { return failStep{} })
	simple("slow", func() saring.Step { return slowStep{} })
	r.Register(saring.Spec{
		Name:    "minlen",
		Doc:     "drops short documents",
		Options: func() any { return &minLenOptions{MinChars: 10, Reason: "too_short"} },
		New: func(o any, _ saring.Env) (saring.Step, error) {
			return minLenStep{o: *o.(*minLenOptions)}, nil
		},
	})
	return r
}

func countDocs(path string) (int, error) {
	r, err := formatsOpen(path)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n := 0
	for {
		_, err := r.Next()
		if err != nil {
			if err.Error() == "EOF" {
				return n, nil
			}
			return n, err
		}
		n++
	}
}
