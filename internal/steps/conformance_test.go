package steps_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/steps"
	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/pipeline"
)

// The conformance suite every registered step runs: it is documented, its
// defaults (plus the few options a step cannot do without) validate and
// build through the same config path as a run, its name is its registered
// name, and on a varied corpus processed by several goroutines at once
// (run under -race in CI) it keeps its contract: Keep leaves the text
// alone, Drop names a reason, the same document always gets the same
// verdict, and nothing panics.

// required gives each step that cannot be built from its defaults the
// options it needs, as a user would write them.
func required(t *testing.T, name, dir string) string {
	root := testenv.RepoRoot(t)
	switch name {
	case "language":
		return "model: " + testenv.LIDModel(t)
	case "fasttext_classifier":
		return "model: " + testenv.LIDModel(t) + "\nlabel: en"
	case "length":
		return "min_words: 5"
	case "c4_badwords":
		return "fail_on_missing_language: false"
	case "url_filter":
		list := filepath.Join(dir, "domains.txt")
		os.WriteFile(list, []byte("site1.example\n"), 0o644)
		return "domains_file: " + list
	case "decontaminate":
		bench := filepath.Join(dir, "bench.jsonl")
		os.WriteFile(bench, []byte(`{"text":"the quick brown fox jumps over the lazy dog while the cat watches from the warm windowsill"}`+"\n"), 0o644)
		return "benchmarks: [" + bench + "]"
	case "tokens":
		tok := filepath.Join(root, "models", "tokenizers", "llama3.json")
		if _, err := os.Stat(tok); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s missing in CI: scripts/get-tokenizers.sh", tok)
			}
			t.Skipf("%s missing: run scripts/get-tokenizers.sh", tok)
		}
		return "tokenizer: " + tok
	}
	return ""
}

// corpus is the documents every step sees: the bundled examples, sentences
// in many languages, and shapes that break careless code.
func corpus(t *testing.T) []*saring.Document {
	root := testenv.RepoRoot(t)
	var docs []*saring.Document
	f, err := os.Open(filepath.Join(root, "examples", "news.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, &saring.Document{ID: r.ID, Text: r.Text})
	}
	odd := []string{
		"", " ", "\n\n\n", "a", "{", "lorem ipsum dolor sit amet", "🙂🙂🙂 emoji only",
		"日本語の文章です。句読点があります。もう一つの文。", "ภาษาไทยไม่มีช่องว่างระหว่างคำ",
		strings.Repeat("Home | News | Sports\n", 50), strings.Repeat("word ", 20000),
		strings.Repeat("Same line again.\n", 300), "Contact me at someone@example.org or 192.168.0.1.",
		"<html><head><title>T</title></head><body><p>" + strings.Repeat("A paragraph of page text. ", 40) + "</p></body></html>",
		strings.Repeat("x", 5000), "mixed\r\nline\rendings\n", "tab\tseparated\tvalues\n1\t2\t3",
	}
	for i, s := range odd {
		docs = append(docs, &saring.Document{ID: fmt.Sprintf("odd-%d", i), Text: s})
	}
	for i, d := range docs {
		d.Seq = uint64(i)
		d.SetMeta("url", fmt.Sprintf("https://site%d.example/page/%d", i%3, i))
		d.SetMeta("language", []string{"id", "en", "ms"}[i%3])
	}
	return docs
}

func clone(d *saring.Document) *saring.Document {
	c := *d
	c.Metadata = map[string]any{}
	for k, v := range d.Metadata {
		c.Metadata[k] = v
	}
	return &c
}

type verdict struct {
	outcome saring.Outcome
	reason  string
	text    string
	meta    string
}

func TestStepConformance(t *testing.T) {
	reg := steps.All()
	names := reg.Names()
	if len(names) < 20 {
		t.Fatalf("only %d steps registered", len(names))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			spec, _ := reg.Lookup(name)
			if strings.TrimSpace(spec.Doc) == "" {
				t.Errorf("no doc line")
			}
			if spec.Options != nil {
				for _, o := range pipeline.DescribeOptions(spec.Options()) {
					if strings.TrimSpace(o.Doc) == "" {
						t.Errorf("option %s has no doc", o.Key)
					}
				}
			}
			dir := t.TempDir()
			yaml := "steps:\n  - " + name
			if extra := required(t, name, dir); extra != "" {
				yaml += ":\n      " + strings.ReplaceAll(extra, "\n", "\n      ")
			}
			// A step reading metadata.language is given it by the input.
			yaml = "input:\n  metadata: [language]\n" + yaml + "\n"
			cfg, err := pipeline.Parse(name+".yaml", []byte(yaml), reg)
			if err != nil {
				t.Fatalf("defaults do not load: %v", err)
			}
			cfg.Output.Dir = filepath.Join(dir, "out")
			built, err := pipeline.BuildSteps(cfg, reg, filepath.Join(dir, "work"))
			if err != nil {
				t.Fatalf("defaults do not build: %v", err)
			}
			step := built[0]
			defer func() {
				if c, ok := step.(saring.Closer); ok {
					c.Close()
				}
			}()
			if step.Name() != name {
				t.Errorf("Name() = %q, registered as %q", step.Name(), name)
			}
			docs := corpus(t)
			ctx := context.Background()
			if cs, ok := step.(saring.CorpusStep); ok {
				for _, d := range docs {
					if err := cs.Add(ctx, clone(d)); err != nil {
						t.Fatalf("Add %s: %v", d.ID, err)
					}
				}
				if err := cs.Finish(ctx); err != nil {
					t.Fatalf("Finish: %v", err)
				}
			}
			const workers = 4
			got := make([][]verdict, workers)
			var wg sync.WaitGroup
			errs := make(chan error, workers)
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for _, d := range docs {
						c := clone(d)
						res, err := step.Process(ctx, c)
						if err != nil {
							errs <- fmt.Errorf("Process %s: %v", d.ID, err)
							return
						}
						meta, _ := json.Marshal(c.Metadata)
						got[w] = append(got[w], verdict{res.Outcome, res.Reason, c.Text, string(meta)})
					}
				}(w)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			for i, d := range docs {
				v := got[0][i]
				switch v.outcome {
				case saring.Keep:
					if v.text != d.Text {
						t.Errorf("%s: Keep changed the text", d.ID)
					}
				case saring.Rewrite:
				case saring.Drop:
					if v.reason == "" {
						t.Errorf("%s: Drop without a reason", d.ID)
					}
				default:
					t.Errorf("%s: outcome %v", d.ID, v.outcome)
				}
				for w := 1; w < workers; w++ {
					if !reflect.DeepEqual(got[w][i], v) {
						t.Errorf("%s: verdicts differ between runs: %+v vs %+v", d.ID, got[w][i], v)
						break
					}
				}
			}
		})
	}
}
