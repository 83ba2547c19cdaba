package repair

import (
	"context"
	"testing"

	"github.com/saring/saring"
)

// run applies steps in order, stopping at a drop.
func run(t testing.TB, doc *saring.Document, steps ...saring.Step) saring.Result {
	t.Helper()
	res := saring.Kept()
	for _, st := range steps {
		r, err := st.Process(context.Background(), doc)
		if err != nil {
			t.Fatalf("%s: %v", st.Name(), err)
		}
		if r.Outcome == saring.Drop {
			return r
		}
		if r.Outcome == saring.Rewrite {
			res = r
		}
	}
	return res
}

// defaultChain is normalize → repetition_repair → boilerplate with defaults.
func defaultChain() []saring.Step {
	return []saring.Step{
		NewNormalize(NormalizeOptions{Form: "nfc", KeepIndent: true}),
		NewRepetition(DefaultRepetitionOptions()),
		NewBoilerplate(DefaultBoilerplateOptions(), nil),
	}
}
