package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/tokenize"
)

// tokenizerFile returns models/tokenizers/NAME.json, failing under CI=true
// and skipping otherwise when scripts/get-tokenizers.sh has not run.
func tokenizerFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(testenv.RepoRoot(t), "models", "tokenizers", name+".json")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s missing: run scripts/get-tokenizers.sh", p)
		}
		t.Skipf("%s missing: run scripts/get-tokenizers.sh", p)
	}
	return p
}

// saring tokenize prints one line of ids per line in, the library's ids,
// for a tokenizer named and one given by path.
func TestTokenizeCommand(t *testing.T) {
	lines := []string{"Hello world", "", "a <|begin_of_text|> b", "Saring menyaring teks.\r", "   ", "数据 1234567 😀"}
	input := strings.Join(lines, "\n") + "\n"
	for _, spec := range []string{"llama3", tokenizerFile(t, "qwen3"), "cl100k_base", "o200k_base", "mistral", "gemma3"} {
		tokenizerFile(t, strings.TrimSuffix(filepath.Base(spec), ".json"))
		cmd := exec.Command(saringBin, "tokenize", "--tokenizer", spec, "--workers", "2")
		cmd.Dir = testenv.RepoRoot(t)
		cmd.Stdin = strings.NewReader(input)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(got) != len(lines) {
			t.Fatalf("%s: %d lines out for %d in:\n%s", spec, len(got), len(lines), out)
		}
		tok, err := tokenize.Load(filepath.Join(testenv.RepoRoot(t), "models", "tokenizers", strings.TrimSuffix(filepath.Base(spec), ".json")+".json"))
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range lines {
			want := strings.Trim(fmt.Sprint(tok.Encode(l)), "[]")
			if got[i] != want {
				t.Errorf("%s line %d %q: %q, want %q", spec, i, l, got[i], want)
			}
		}
	}
	if got := strings.Split(runTok(t, "llama3", "Hello world\n"), "\n")[0]; got != "9906 1917" {
		t.Errorf("llama3 Hello world: %q", got)
	}
	// No trailing newline on the last line: still one line out.
	if got := runTok(t, "cl100k_base", "Hello world"); got != "9906 1917\n" {
		t.Errorf("cl100k_base: %q", got)
	}
	_, stderr, code := runCLI(t, "tokenize", "--tokenizer", "no-such-tokenizer")
	if code == 0 || !strings.Contains(stderr, "get-tokenizers.sh") {
		t.Errorf("unknown tokenizer: exit %d, %s", code, stderr)
	}
}

func runTok(t *testing.T, spec, in string) string {
	t.Helper()
	cmd := exec.Command(saringBin, "tokenize", "--tokenizer", spec)
	cmd.Dir = testenv.RepoRoot(t)
	cmd.Stdin = strings.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// The tokens step in a pipeline file: metadata on every kept and removed
// document, the totals in stats.json as the measures' sums.
func TestTokensStepInRun(t *testing.T) {
	tokenizerFile(t, "llama3")
	tokenizerFile(t, "o200k_base")
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	docs := []string{"Saring menyaring teks web.", "Hello <|begin_of_text|> world\nline two", "pendek"}
	var b strings.Builder
	for i, d := range docs {
		j, _ := json.Marshal(map[string]string{"id": fmt.Sprint("d", i), "text": d})
		b.Write(append(j, '\n'))
	}
	os.WriteFile(in, []byte(b.String()), 0o644)
	out := filepath.Join(dir, "out")
	p := filepath.Join(dir, "p.yaml")
	os.WriteFile(p, []byte(fmt.Sprintf(`input:
  paths: [%s]
output:
  dir: %s
  format: jsonl
steps:
  - tokens:
      tokenizer: llama3
  - tokens:
      tokenizer: o200k_base
      key: token_count_o200k
  - length:
      min_chars: 10
`, in, out)), 0o644)
	if _, stderr, code := runCLI(t, "run", "-q", p); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	all := append(readJSONL(t, filepath.Join(out, "kept", "*.jsonl")), readJSONL(t, filepath.Join(out, "removed", "*.jsonl"))...)
	if len(all) != len(docs) {
		t.Fatalf("%d documents out, want %d", len(all), len(docs))
	}
	l3, err := tokenize.Load(filepath.Join(testenv.RepoRoot(t), "models", "tokenizers", "llama3.json"))
	if err != nil {
		t.Fatal(err)
	}
	o2, err := tokenize.Load(filepath.Join(testenv.RepoRoot(t), "models", "tokenizers", "o200k_base.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sumL3, sumO2 float64
	for _, d := range all {
		if d.Metadata["token_count"] != float64(l3.Count(d.Text)) || d.Metadata["token_count_o200k"] != float64(o2.Count(d.Text)) {
			t.Errorf("%s: metadata %v", d.ID, d.Metadata)
		}
		sumL3 += float64(l3.Count(d.Text))
		sumO2 += float64(o2.Count(d.Text))
	}
	raw, err := os.ReadFile(filepath.Join(out, "stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Steps []struct {
			Name     string `json:"name"`
			Measures map[string]struct {
				Count int     `json:"count"`
				Sum   float64 `json:"sum"`
			} `json:"measures"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Steps) < 2 {
		t.Fatalf("stats steps: %s", raw)
	}
	if m := st.Steps[0].Measures["token_count"]; m.Count != 3 || m.Sum != sumL3 {
		t.Errorf("llama3 measure %+v, want count 3 sum %v", m, sumL3)
	}
	if m := st.Steps[1].Measures["token_count_o200k"]; m.Count != 3 || m.Sum != sumO2 {
		t.Errorf("o200k measure %+v, want count 3 sum %v", m, sumO2)
	}
}
