package dedup

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/saring/saring"
)

func newMinhashT(t testing.TB, mod func(*MinhashOptions), env saring.Env) *Minhash {
	t.Helper()
	o := DefaultMinhashOptions()
	if mod != nil {
		mod(&o)
	}
	if env.WorkDir == "" {
		env.WorkDir = t.TempDir()
	}
	m, err := NewMinhash(o, env)
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

// testCorpus builds n documents from real sentences: stories and edited
// copies of them, in a fixed pseudo-random order.
func testCorpus(t testing.TB, n int) []saring.Document {
	raw, err := os.ReadFile(filepath.Join(sharedDir(t), "data", "lingua-sentences", "id.txt"))
	if err != nil {
		t.Skip(err)
	}
	sents := strings.Split(strings.TrimSpace(string(raw)), "\n")
	r := rand.New(rand.NewPCG(5, 5))
	var texts []string
	for len(texts) < n {
		var b []string
		for k := 0; k < 12+r.IntN(10); k++ {
			b = append(b, sents[r.IntN(len(sents))])
		}
		texts = append(texts, strings.Join(b, "\n"))
		for c := r.IntN(4); c > 0 && len(texts) < n; c-- {
			e := append([]string(nil), b...)
			e[r.IntN(len(e))] = "Baca juga: " + sents[r.IntN(len(sents))]
			if r.IntN(2) == 0 {
				e = e[:len(e)-1]
			}
			texts = append(texts, "JAKARTA - "+strings.Join(e, " "))
		}
	}
	r.Shuffle(len(texts), func(i, j int) { texts[i], texts[j] = texts[j], texts[i] })
	docs := mkdocs(texts...)
	for i := range docs {
		docs[i].Seq = uint64(i)*3 + 11 // sparse, as after earlier filters
		docs[i].SetMeta("language", []string{"id", "ms"}[i%2])
	}
	return docs
}

// Same decisions for any worker count, any order of Add calls and any
// memory budget (a tiny one forces many spilled runs and signatures read
// from disk).
func TestMinhashDeterministic(t *testing.T) {
	docs := testCorpus(t, 600)
	var ref []outcome
	for i, c := range []struct {
		workers int
		mem     int64
	}{{1, 0}, {4, 0}, {8, 64 << 10}, {3, 16 << 10}, {2, 1 << 20}} {
		m := newMinhashT(t, nil, saring.Env{MemoryBytes: c.mem})
		out := drive(t, m, docs, c.workers, uint64(i))
		if i == 0 {
			ref = out
			if m.Stats.Removed < 50 {
				t.Fatalf("only %d removed: the corpus should have many near duplicates", m.Stats.Removed)
			}
			continue
		}
		if !reflect.DeepEqual(out, ref) {
			for j := range out {
				if !reflect.DeepEqual(out[j], ref[j]) {
					t.Fatalf("run %d differs at doc %d: %+v vs %+v", i, j, out[j], ref[j])
				}
			}
		}
	}
}

// Signature tasks split any way give the decisions of one whole run.
func TestMinhashStagedTasks(t *testing.T) {
	docs := testCorpus(t, 400)
	o := DefaultMinhashOptions()
	lsh := o.LSH()
	cfg := ClusterConfig{LSH: lsh, Threshold: o.Threshold}
	run := func(tasks int, mem int64) *Decisions {
		base := t.TempDir()
		var dirs []string
		for k := 0; k < tasks; k++ {
			dir := filepath.Join(base, fmt.Sprintf("task-%03d", k))
			w, err := NewSignatureWriter(dir, lsh, mem)
			if err != nil {
				t.Fatal(err)
			}
			w.NoSync = tasks > 1 // fsync is slow on CI disks; one run keeps it
			for i, d := range docs {
				if i%tasks == k {
					if err := w.Add(d.Seq, d.ID, d.Text, d.Language(), 0); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			dirs = append(dirs, dir)
		}
		out := filepath.Join(base, "clusters")
		if _, _, err := BuildClusters(context.Background(), dirs, out, cfg); err != nil {
			t.Fatal(err)
		}
		d, err := LoadDecisions(out)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	ref := run(1, 0)
	if ref.Removed() == 0 {
		t.Fatal("nothing removed")
	}
	for _, tasks := range []int{2, 5} {
		got := run(tasks, 8<<10)
		for _, d := range docs {
			if a, b := got.Lookup(d.Seq), ref.Lookup(d.Seq); a != b {
				t.Fatalf("%d tasks: doc %d: %+v, want %+v", tasks, d.Seq, a, b)
			}
		}
	}
}

func TestMinhashCorruptFiles(t *testing.T) {
	docs := testCorpus(t, 200)
	defaults := DefaultMinhashOptions()
	lsh := defaults.LSH()
	cfg := ClusterConfig{LSH: lsh, Threshold: 0.6}
	setup := func() string {
		dir := filepath.Join(t.TempDir(), "task")
		w, err := NewSignatureWriter(dir, lsh, 32<<10)
		if err != nil {
			t.Fatal(err)
		}
		w.NoSync = true
		for _, d := range docs {
			w.Add(d.Seq, d.ID, d.Text, "", 0)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	damage := map[string]func(t *testing.T, dir string){
		"truncated run": func(t *testing.T, dir string) {
			p := glob1(t, dir, "run-*.bin")
			fi, _ := os.Stat(p)
			os.Truncate(p, fi.Size()-5)
		},
		"run cut at a record boundary": func(t *testing.T, dir string) {
			p := glob1(t, dir, "run-*.bin")
			b, _ := os.ReadFile(p)
			body := b[headerSize : len(b)-trailerSize]
			out := append(append(append([]byte(nil), b[:headerSize]...), body[:len(body)-bandRecSize]...), b[len(b)-trailerSize:]...)
			os.WriteFile(p, out, 0o644)
		},
		"flipped byte in signatures": func(t *testing.T, dir string) {
			p := glob1(t, dir, "sigs-*.bin")
			b, _ := os.ReadFile(p)
			b[headerSize+20] ^= 0x40
			os.WriteFile(p, b, 0o644)
		},
		"flipped byte in ids": func(t *testing.T, dir string) {
			p := glob1(t, dir, "ids-*.bin")
			b, _ := os.ReadFile(p)
			b[headerSize+3] ^= 1
			os.WriteFile(p, b, 0o644)
		},
		"empty file": func(t *testing.T, dir string) {
			os.WriteFile(glob1(t, dir, "run-*.bin"), nil, 0o644)
		},
	}
	for name, f := range damage {
		t.Run(name, func(t *testing.T) {
			dir := setup()
			f(t, dir)
			_, _, err := BuildClusters(context.Background(), []string{dir}, "", cfg)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
		})
	}
	t.Run("task not done", func(t *testing.T) {
		dir := setup()
		os.Remove(filepath.Join(dir, "done"))
		_, _, err := BuildClusters(context.Background(), []string{dir}, "", cfg)
		if err == nil || !strings.Contains(err.Error(), "not done") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("decisions", func(t *testing.T) {
		dir := setup()
		out := filepath.Join(t.TempDir(), "c")
		if _, _, err := BuildClusters(context.Background(), []string{dir}, out, cfg); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(out, "decisions.bin")
		b, _ := os.ReadFile(p)
		b[headerSize+9] ^= 1
		os.WriteFile(p, b, 0o644)
		if _, err := LoadDecisions(out); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("err = %v, want ErrCorrupt", err)
		}
	})
}

func glob1(t *testing.T, dir, pattern string) string {
	m, _ := filepath.Glob(filepath.Join(dir, pattern))
	if len(m) == 0 {
		t.Fatalf("no %s in %s", pattern, dir)
	}
	sort.Strings(m)
	return m[0]
}

func TestMinhashKeepPolicies(t *testing.T) {
	docs := mkdocs(
		storyA,
		storyA+" The minister welcomed the decision.",
		"BREAKING: "+storyA,
	)
	docs[0].SetMeta("date", "2024-01-02")
	docs[1].SetMeta("date", "2023-12-31T10:00:00Z")
	docs[2].SetMeta("date", "2024-01-03 08:00:00")
	for _, tc := range []struct {
		keep string
		want int
	}{{"first", 0}, {"longest", 1}, {"newest", 2}} {
		out := drive(t, newMinhashT(t, func(o *MinhashOptions) { o.Keep = tc.keep }, saring.Env{}), docs, 2, 1)
		for i, o := range out {
			if (o.Result.Outcome != saring.Drop) != (i == tc.want) {
				t.Errorf("keep %s: doc %d %v", tc.keep, i, o.Result.Outcome)
			}
			if i != tc.want && o.Meta["duplicate_of"] != docs[tc.want].ID {
				t.Errorf("keep %s: doc %d duplicate_of %v", tc.keep, i, o.Meta["duplicate_of"])
			}
		}
	}
}

func TestMinhashPerLanguageAndClustersFile(t *testing.T) {
	docs := mkdocs(storyA, "JAKARTA - "+storyA, storyA+" Read more.", "Other text entirely, nothing like the rest of them.")
	docs[0].SetMeta("language", "en")
	docs[1].SetMeta("language", "en")
	docs[2].SetMeta("language", "ms")
	out := t.TempDir()
	m := newMinhashT(t, func(o *MinhashOptions) { o.PerLanguage = true; o.ClustersFile = true }, saring.Env{OutDir: out})
	res := drive(t, m, docs, 2, 1)
	if res[1].Result.Outcome != saring.Drop || res[2].Result.Outcome != saring.Keep {
		t.Fatalf("per-language: %+v", res)
	}
	b, err := os.ReadFile(filepath.Join(out, "clusters.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`{"cluster":"%s","members":["%s","%s"],"size":2}`+"\n", docs[0].ID, docs[0].ID, docs[1].ID)
	if string(b) != want {
		t.Errorf("clusters.jsonl = %s, want %s", b, want)
	}
}

func TestMinhashOptionsValidate(t *testing.T) {
	bad := map[string]func(*MinhashOptions){
		"threshold":    func(o *MinhashOptions) { o.Threshold = 0 },
		"permutations": func(o *MinhashOptions) { o.Permutations = 0 },
		"bands":        func(o *MinhashOptions) { o.Bands = 20; o.Rows = 20 },
		"shingle":      func(o *MinhashOptions) { o.Shingle = "token" },
		"n":            func(o *MinhashOptions) { o.N = 0 },
		"scheme":       func(o *MinhashOptions) { o.Scheme = "simhash" },
		"keep":         func(o *MinhashOptions) { o.Keep = "last" },
	}
	for field, mod := range bad {
		o := DefaultMinhashOptions()
		mod(&o)
		var fe *saring.FieldError
		if err := o.Validate(); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: err = %v", field, err)
		}
	}
	defaults := DefaultMinhashOptions()
	if err := defaults.Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
