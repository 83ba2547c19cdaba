package dedup

import (
	"strings"
	"testing"

	"github.com/saring/saring"
)

func newMinhashT(t testing.TB, mod func(*MinhashOptions), env saring.Env) *Minhash {
	t.Helper()
	o := DefaultMinhashOptions()
	if mod != nil {
		mod(o)
	}
	if env.WorkDir == "" {
		env.WorkDir = t.TempDir()
	}
	m, err := NewMinhash(*o, env)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const storyA = `The central bank kept its benchmark rate unchanged on Thursday, saying inflation remained within the target range while the currency stabilised after weeks of pressure. Analysts had expected the decision, citing slowing credit growth and a weaker outlook for exports in the coming quarter. The governor said the bank would continue to monitor global financial conditions closely and stood ready to act if needed.`

func TestMinhashNearDuplicates(t *testing.T) {
	docs := mkdocs(
		"JAKARTA - "+storyA,
		storyA+" Read more: markets rally.",
		"A completely different story about football: the home side won three nil after a late surge in the second half, delighting the crowd.",
		strings.ToUpper(storyA),
		"",
	)
	out := drive(t, newMinhashT(t, nil, saring.Env{}), docs, 3, 1)
	want := []saring.Outcome{saring.Rewrite, saring.Drop, saring.Keep, saring.Drop, saring.Keep}
	for i, o := range out {
		if o.Result.Outcome != want[i] {
			t.Errorf("doc %d: %v, want %v", i, o.Result.Outcome, want[i])
		}
	}
	if got := out[0].Meta["minhash_cluster_size"]; got != 3 {
		t.Errorf("cluster size = %v, want 3", got)
	}
	if got := out[1].Meta["duplicate_of"]; got != docs[0].ID {
		t.Errorf("duplicate_of = %v, want %s", got, docs[0].ID)
	}
	if out[1].Result.Reason != "minhash_duplicate" {
		t.Errorf("reason = %q", out[1].Result.Reason)
	}
}
