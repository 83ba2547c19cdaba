package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// decontamCorpus writes two benchmarks built from the shared English
// sentences, and a corpus of documents of other sentences, some holding a
// benchmark passage (re-cased, or cut from its middle), in several files.
func decontamCorpus(t *testing.T) (dir string, planted map[string]string) {
	t.Helper()
	ss := testenv.ReadLines(t, testenv.SharedFile(t, "data", "lingua-sentences", "en.txt"))
	var long []string
	for _, s := range ss[:200] {
		if len(strings.Fields(s)) >= 20 {
			long = append(long, s)
		}
	}
	if len(long) < 8 {
		t.Skip("too few long sentences")
	}
	dir = t.TempDir()
	var qa, cloze strings.Builder
	for i, s := range long {
		rec, _ := json.Marshal(map[string]any{"question": s, "answer": "yes"})
		if i%2 == 0 {
			qa.Write(rec)
			qa.WriteByte('\n')
		} else {
			cloze.WriteString(s + "\n")
		}
	}
	os.WriteFile(filepath.Join(dir, "qa.jsonl"), []byte(qa.String()), 0o644)
	os.WriteFile(filepath.Join(dir, "cloze.txt"), []byte(cloze.String()), 0o644)
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	planted = map[string]string{}
	n := 0
	for f := 0; f < 4; f++ {
		var b strings.Builder
		for i := 0; i < 30; i++ {
			n++
			text := strings.Join([]string{ss[200+(n*7)%290], ss[200+(n*13)%290], ss[200+(n*17)%290]}, " ")
			id := "doc-" + strconv.Itoa(n)
			if n%9 == 0 {
				p := long[(n/9)%len(long)]
				bench := "qa"
				if (n/9)%len(long)%2 == 1 {
					bench = "cloze"
				}
				w := strings.Fields(p)
				text = text + " " + strings.ToUpper(strings.Join(w[3:3+14], " ")) + ". " + text
				planted[id] = bench
			}
			rec, _ := json.Marshal(map[string]any{"id": id, "text": text})
			b.Write(rec)
			b.WriteByte('\n')
		}
		os.WriteFile(filepath.Join(in, "part-"+strconv.Itoa(f)+".jsonl"), []byte(b.String()), 0o644)
	}
	pipe := `steps:
  - decontaminate:
      benchmarks:
        - {path: ` + filepath.Join(dir, "qa.jsonl") + `, fields: [question, answer]}
        - ` + filepath.Join(dir, "cloze.txt") + `
`
	os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(pipe), 0o644)
	return dir, planted
}

// Planted passages are removed, at 1 and 4 tasks alike, and the report
// counts them per benchmark.
func TestDecontamRunAndReport(t *testing.T) {
	dir, planted := decontamCorpus(t)
	var ref string
	for _, tasks := range []string{"1", "4"} {
		out := filepath.Join(dir, "out"+tasks)
		mustRun(t, "run", filepath.Join(dir, "pipeline.yaml"), "-q", "-i", filepath.Join(dir, "in"), "-o", out, "--format", "jsonl", "--tasks", tasks)
		removed := map[string]string{}
		for _, d := range readOutDocs(t, out, "removed") {
			m := d.Metadata["decontam"].(map[string]any)
			removed[d.ID] = m["benchmark"].(string)
		}
		if len(removed) != len(planted) {
			t.Errorf("%s tasks: removed %d documents, planted %d", tasks, len(removed), len(planted))
		}
		for id, b := range planted {
			if removed[id] != b {
				t.Errorf("%s tasks: %s planted from %s, removed as %q", tasks, id, b, removed[id])
			}
		}
		stdout, stderr, code := runCLI(t, "decontam-report", out)
		if code != 0 {
			t.Fatalf("decontam-report: exit %d %s", code, stderr)
		}
		if tasks == "1" {
			ref = stdout
		} else if stdout != ref {
			t.Errorf("report at 4 tasks differs:\n%s\nat 1:\n%s", stdout, ref)
		}
	}
	want := map[string]int{}
	for _, b := range planted {
		want[b]++
	}
	for b, n := range want {
		if !strings.Contains(ref, "  "+b+"  ") || !strings.Contains(ref, "  "+strconv.Itoa(n)+"  ") {
			t.Errorf("report does not show %d documents of %s:\n%s", n, b, ref)
		}
	}
	if !strings.Contains(ref, "removed as contaminated") || !strings.Contains(ref, "most frequent first-matched n-grams") {
		t.Errorf("report:\n%s", ref)
	}
	// A run without the step is an error that says so.
	plain := filepath.Join(dir, "plain")
	mustRun(t, "run", "-q", "-i", filepath.Join(dir, "in"), "-o", plain, "--format", "jsonl", "--steps", "normalize")
	if _, stderr, code := runCLI(t, "decontam-report", plain); code == 0 || !strings.Contains(stderr, "no decontaminate step") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

type outRecord struct {
	ID       string         `json:"id"`
	Text     string         `json:"text"`
	Metadata map[string]any `json:"metadata"`
}

func readOutDocs(t *testing.T, out, kind string) []outRecord {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, kind, "part-*"))
	var docs []outRecord
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if line == "" {
				continue
			}
			var d outRecord
			if err := json.Unmarshal([]byte(line), &d); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d)
		}
	}
	return docs
}
