package repair

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/saring/saring"
)

// sharedDir finds the shared data directory that sits beside the repository
// root (../shared from the root), walking up from the package directory.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(dir, "..", "shared")
			if st, err := os.Stat(shared); err == nil && st.IsDir() {
				return shared
			}
			t.Skip("shared data not found beside the repository root")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
}

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
