package pipeline

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/saring/saring"
)

// tokFake writes a word count as a token count, as the tokens step does.
type tokFake struct{}

func (tokFake) Name() string     { return "tokfake" }
func (tokFake) TokenKey() string { return "token_count" }
func (tokFake) Process(_ context.Context, d *saring.Document) (saring.Result, error) {
	d.SetMeta("token_count", len(strings.Fields(d.Text)))
	return saring.Rewritten(), nil
}

// Token counts are summed in stats.json by outcome (kept, removed by which
// step) and, for kept documents, by language; the same for any task count.
func TestRunTokenTotals(t *testing.T) {
	reg := testRegistry()
	reg.Register(saring.Spec{Name: "tokfake", Doc: "tokfake", New: func(any, saring.Env) (saring.Step, error) { return tokFake{}, nil }})
	in := writeInputs(t)
	var first *Stats
	for _, tasks := range []int{1, 3} {
		cfg := Defaults()
		cfg.Input.Paths = []string{in}
		cfg.Output.Dir = t.TempDir()
		cfg.Steps, _ = StepsFromNames([]string{"tokfake", "minlen"}, reg)
		st, err := (&Runner{Config: &cfg, Registry: reg, Tasks: tasks}).Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		tok := st.Tokens["token_count"]
		if tok == nil || tok.Total == 0 || tok.Kept+tok.RemovedByStep["minlen"] != tok.Total || tok.RemovedByStep["minlen"] == 0 {
			t.Fatalf("%d tasks: tokens %+v", tasks, tok)
		}
		if tok.Docs != st.Totals.Read-st.Totals.Rejected {
			t.Errorf("%d tasks: tokens counted on %d documents, %d were read", tasks, tok.Docs, st.Totals.Read-st.Totals.Rejected)
		}
		if first == nil {
			first = st
		} else if !reflect.DeepEqual(first.Tokens, st.Tokens) {
			t.Errorf("token totals differ between 1 and %d tasks", tasks)
		}
	}
}
