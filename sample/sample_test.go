package sample

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/pipeline"
)

func mustNew(t *testing.T, o Options) *Sample {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// within4Sigma fails unless k successes of n trials fit rate p.
func within4Sigma(t *testing.T, what string, k, n int, p float64) {
	t.Helper()
	mean := float64(n) * p
	sd := math.Sqrt(float64(n) * p * (1 - p))
	if math.Abs(float64(k)-mean) > 4*sd {
		t.Errorf("%s: %d of %d, want %.0f ± %.1f (4σ)", what, k, n, mean, 4*sd)
	}
}

func docs(n int) []*saring.Document {
	out := make([]*saring.Document, n)
	for i := range out {
		out[i] = &saring.Document{ID: fmt.Sprintf("doc-%06d", i), Text: fmt.Sprintf("text %d", i)}
	}
	return out
}

func TestRates(t *testing.T) {
	ds := docs(20000)
	kept := map[float64]map[string]bool{}
	for _, rate := range []float64{0.001, 0.01, 0.1, 0.3, 0.5, 0.9, 1} {
		o := DefaultOptions()
		o.Rate, o.Seed = rate, 7
		s := mustNew(t, o)
		kept[rate] = map[string]bool{}
		for _, d := range ds {
			res, err := s.Process(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != saring.Drop {
				kept[rate][d.ID] = true
			} else if res.Reason != Reason {
				t.Fatalf("reason %q", res.Reason)
			}
		}
		if rate == 1 {
			if len(kept[rate]) != len(ds) {
				t.Errorf("rate 1 kept %d of %d", len(kept[rate]), len(ds))
			}
			continue
		}
		within4Sigma(t, fmt.Sprintf("rate %g", rate), len(kept[rate]), len(ds), rate)
	}
	// A lower rate's sample is inside a higher rate's, with the same seed.
	for id := range kept[0.1] {
		if !kept[0.3][id] {
			t.Fatalf("%s in the 0.1 sample, not in the 0.3 one", id)
		}
	}
	// Another seed draws another sample: overlap near 0.3², not 0.3.
	o := DefaultOptions()
	o.Rate, o.Seed = 0.3, 8
	s := mustNew(t, o)
	both := 0
	for _, d := range ds {
		if res, _ := s.Process(context.Background(), d); res.Outcome != saring.Drop && kept[0.3][d.ID] {
			both++
		}
	}
	within4Sigma(t, "overlap of two seeds", both, len(ds), 0.09)
}

func TestUpsampleRate(t *testing.T) {
	ds := docs(10000)
	o := DefaultOptions()
	o.Rate = 2.25
	s := mustNew(t, o)
	three := 0
	for _, d := range ds {
		res, _ := s.Process(context.Background(), d)
		n, _ := d.Metadata["repeat"].(int)
		if res.Outcome != saring.Rewrite || (n != 2 && n != 3) {
			t.Fatalf("%s: %v repeat %v", d.ID, res.Outcome, d.Metadata["repeat"])
		}
		if n == 3 {
			three++
		}
	}
	within4Sigma(t, "third copies at 2.25", three, len(ds), 0.25)
}

func TestKey(t *testing.T) {
	s := mustNew(t, DefaultOptions())
	for _, tt := range []struct {
		doc  saring.Document
		want string
	}{
		{saring.Document{ID: "abc", Text: "t"}, "abc"},
		{saring.Document{ID: "", Text: "t"}, "t"},
		// The reader's made-up id (file:line): the text is the key.
		{saring.Document{ID: "in/a.jsonl:7", Text: "t", Source: saring.Source{File: "in/a.jsonl", Line: 7}}, "t"},
		{saring.Document{ID: "s3://b/x:y.jsonl:12", Text: "t", Source: saring.Source{File: "s3://b/x:y.jsonl", Line: 12}}, "t"},
		{saring.Document{ID: "in/a.jsonl:8", Text: "t", Source: saring.Source{File: "in/a.jsonl", Line: 7}}, "in/a.jsonl:8"},
	} {
		if got := s.key(&tt.doc); got != tt.want {
			t.Errorf("%+v: key %q, want %q", tt.doc, got, tt.want)
		}
	}
}

// FineWeb 2's weights: the largest listed size not above the cluster's.
func TestRehydrationTable(t *testing.T) {
	o := DefaultOptions()
	o.Weights = map[int]float64{1: 1, 2: 2, 3: 3, 5: 5, 100: 8, 1000: 1}
	s := mustNew(t, o)
	for _, tt := range []struct {
		size any
		want int
	}{
		{nil, 1}, {1, 1}, {2, 2}, {3, 3}, {4, 3}, {5, 5}, {99, 5}, {100, 8}, {999, 8}, {1000, 1}, {50000, 1},
		{json.Number("100"), 8}, {float64(4), 3}, {"bad", 1},
	} {
		d := &saring.Document{ID: "x"}
		if tt.size != nil {
			d.SetMeta("minhash_cluster_size", tt.size)
		}
		if got := s.Copies(d); got != tt.want {
			t.Errorf("cluster size %v: %d copies, want %d", tt.size, got, tt.want)
		}
	}
}

func TestWeightsFile(t *testing.T) {
	// The layout of FineWeb 2's misc/rehydration/weights/up_to_10_reps.json.
	path := filepath.Join(t.TempDir(), "up_to_10_reps.json")
	os.WriteFile(path, []byte(`{"ita_Latn": {"1": 1, "2": 3, "3": 4, "4": 5, "5": 6, "7": 7, "8": 8, "11": 9, "17": 10, "26": 9, "31": 8, "46": 7, "52": 6, "63": 5, "75": 4, "96": 3, "118": 2, "123": 3, "125": 2, "145": 1},
		"ndc_Latn": {"1": 1, "65": 2, "71": 1}}`), 0o644)
	o := DefaultOptions()
	o.WeightsFile = path
	o.Weights = map[int]float64{1: 1, 2: 2}
	s := mustNew(t, o)
	for _, tt := range []struct {
		lang string
		size int
		want int
	}{
		{"ita_Latn", 1, 1}, {"ita_Latn", 2, 3}, {"ita_Latn", 16, 9}, {"ita_Latn", 17, 10}, {"ita_Latn", 24, 10},
		{"ita_Latn", 124, 3}, {"ita_Latn", 200, 1}, {"ndc_Latn", 70, 2}, {"ndc_Latn", 71, 1},
		{"eng_Latn", 5, 2}, {"", 1, 1},
	} {
		d := &saring.Document{ID: "x"}
		d.SetMeta("language", tt.lang)
		d.SetMeta("minhash_cluster_size", tt.size)
		if got := s.Copies(d); got != tt.want {
			t.Errorf("%s size %d: %d, want %d", tt.lang, tt.size, got, tt.want)
		}
	}
	os.WriteFile(path, []byte(`{"ita_Latn": {"zero": 1}}`), 0o644)
	if _, err := New(o); err == nil || !strings.Contains(err.Error(), "zero") {
		t.Errorf("bad size: %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, tt := range []struct {
		edit func(*Options)
		want string
	}{
		{func(o *Options) { o.Rate = -1 }, "rate"},
		{func(o *Options) { o.Rate = math.NaN() }, "rate"},
		{func(o *Options) { o.Rates = map[string]float64{"en": 0.5} }, "by"},
		{func(o *Options) { o.By = "language"; o.Rates = map[string]float64{"en": -2} }, "rates"},
		{func(o *Options) { o.Key = "url" }, "key"},
		{func(o *Options) { o.Weights = map[int]float64{0: 1} }, "weights"},
	} {
		o := DefaultOptions()
		tt.edit(&o)
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", o, err, tt.want)
		}
	}
}

// corpus writes files of JSONL documents: some with ids, some without,
// languages en and id, duplicate-cluster sizes on a few.
func corpus(t *testing.T, files, perFile int) string {
	t.Helper()
	dir := t.TempDir()
	for f := 0; f < files; f++ {
		var b strings.Builder
		for i := 0; i < perFile; i++ {
			n := f*perFile + i
			rec := map[string]any{"text": fmt.Sprintf("document %d of file %d: some words", n, f)}
			if n%3 != 0 {
				rec["id"] = fmt.Sprintf("id-%d", n)
			}
			lang := "en"
			if n%4 == 0 {
				lang = "id"
			}
			md := map[string]any{"language": lang, "token_count": 10}
			if n%10 == 0 {
				md["minhash_cluster_size"] = 1 + n%7
			}
			rec["metadata"] = md
			line, _ := json.Marshal(rec)
			b.Write(line)
			b.WriteByte('\n')
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("part-%02d.jsonl", f)), []byte(b.String()), 0o644)
	}
	return dir
}

func registry() *saring.Registry {
	r := saring.NewRegistry()
	Register(r)
	return r
}

func run(t *testing.T, in string, o Options, workers, tasks int) (string, *pipeline.Stats) {
	t.Helper()
	cfg := pipeline.Defaults()
	cfg.Input.Paths = []string{in}
	cfg.Output.Dir = t.TempDir()
	cfg.Output.Format = "jsonl"
	cfg.Output.ShardDocs = 1000
	cfg.Workers = workers
	cfg.Steps = []pipeline.StepConfig{{Name: StepName, Options: &o}}
	r := &pipeline.Runner{Config: &cfg, Registry: registry(), Tasks: tasks}
	st, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Output.Dir, st
}

// The same documents, in the same files, for 1 and 8 workers and 1 and 4
// tasks; the rates are met within binomial error.
func TestSameSampleAnyWorkersAndTasks(t *testing.T) {
	in := corpus(t, 6, 2000)
	o := DefaultOptions()
	o.Seed = 42
	o.Rate = 0.5
	o.By = "language"
	o.Rates = map[string]float64{"en": 0.2, "id": 0.7}
	o.Weights = map[int]float64{1: 1, 2: 2, 3: 3, 5: 5}
	ref, st := run(t, in, o, 1, 1)
	want, err := outdir.Dir{Root: ref}.Concat(outdir.Kept)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ workers, tasks int }{{8, 1}, {1, 4}, {8, 4}} {
		out, _ := run(t, in, o, c.workers, c.tasks)
		got, err := outdir.Dir{Root: out}.Concat(outdir.Kept)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%d workers, %d tasks: kept output differs from 1 worker, 1 task", c.workers, c.tasks)
		}
	}
	if st.Totals.Read != 12000 || st.Totals.Kept+st.Totals.Removed != st.Totals.Read {
		t.Fatalf("totals %+v", st.Totals)
	}
	// Count kept by language among documents without a cluster size (rate
	// alone), and the copies of the clustered ones.
	n := map[string]int{}
	k := map[string]int{}
	rehydrated := 0
	for _, line := range strings.Split(strings.TrimSpace(string(want)), "\n") {
		var rec struct {
			Metadata map[string]any `json:"metadata"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		if size, ok := rec.Metadata["minhash_cluster_size"]; ok {
			// id documents of clusters of 5 or more: 0.7 × 5 = 3.5 copies.
			if f, _ := size.(float64); f >= 5 && rec.Metadata["language"] == "id" {
				if r, _ := rec.Metadata["repeat"].(float64); r != 3 && r != 4 {
					t.Errorf("cluster of %v in id: repeat %v, want 3 or 4", size, rec.Metadata["repeat"])
				}
				rehydrated++
			}
			continue
		}
		k[rec.Metadata["language"].(string)]++
	}
	for i := 0; i < 12000; i++ {
		if i%10 == 0 {
			continue
		}
		if i%4 == 0 {
			n["id"]++
		} else {
			n["en"]++
		}
	}
	if rehydrated == 0 {
		t.Errorf("no rehydrated document in the sample")
	}
	within4Sigma(t, "en", k["en"], n["en"], 0.2)
	within4Sigma(t, "id", k["id"], n["id"], 0.7)
	h := st.Steps[0].Measures["copies"]
	if h == nil || h.Count != 12000 {
		t.Fatalf("copies measure %+v", h)
	}
	if tok := st.Steps[0].Measures["copied_tokens"]; tok == nil || tok.Sum != 10*h.Sum {
		t.Errorf("copied tokens %+v, copies %v", tok, h.Sum)
	}
}

func TestExplain(t *testing.T) {
	o := DefaultOptions()
	o.Rate = 0.5
	s := mustNew(t, o)
	for _, d := range docs(50) {
		cs, err := s.Explain(context.Background(), d)
		if err != nil || len(cs) != 1 {
			t.Fatal(cs, err)
		}
		res, _ := s.Process(context.Background(), d)
		if c := cs[0]; c.Rule != "draw" || c.Pass != (res.Outcome != saring.Drop) || c.Pass != (c.Value < c.Threshold) {
			t.Fatalf("%s: %+v, outcome %v", d.ID, c, res.Outcome)
		}
	}
	o.Rate = 2
	s = mustNew(t, o)
	if cs, _ := s.Explain(context.Background(), docs(1)[0]); cs[0].Rule != "copies" || cs[0].Value != 2 || !cs[0].Pass {
		t.Errorf("%+v", cs)
	}
}

// Rates by language and rehydration read metadata that an earlier step or
// the input must provide; check refuses the pipeline otherwise.
func TestNeedsMetadata(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{"steps:\n  - sample: {rate: 0.5}\n", ""},
		{"steps:\n  - sample: {by: language, rates: {en: 0.5}}\n", "reads metadata.language"},
		{"input:\n  metadata: [language]\nsteps:\n  - sample: {by: language, rates: {en: 0.5}}\n", ""},
		{"steps:\n  - sample: {weights: {1: 1, 2: 2}}\n", "reads metadata.minhash_cluster_size"},
		{"input:\n  metadata: [minhash_cluster_size]\nsteps:\n  - sample: {weights: {1: 1, 2: 2}}\n", ""},
	} {
		_, err := pipeline.Parse("p.yaml", []byte(tt.yaml), registry())
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%q: %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
