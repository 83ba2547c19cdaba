package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/outdir"
)

func TestParseTokens(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
	}{{"12345", 12345}, {"2B", 2e9}, {"1.5T", 1.5e12}, {"500M", 5e8}, {"20k", 2e4}, {"1_000", 1000}} {
		if got, err := parseTokens(tt.in); err != nil || got != tt.want {
			t.Errorf("%q: %v %v", tt.in, got, err)
		}
	}
	for _, bad := range []string{"", "B", "-1", "2X", "NaN"} {
		if _, err := parseTokens(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A counting run (tokens step), a plan for target tokens by language, and
// a sampling run with the printed fragment: each language gets its target
// within binomial error, an upsampled one by repeats.
func TestMixPlanMeetsTargets(t *testing.T) {
	tok := filepath.Join(testenv.RepoRoot(t), "models", "tokenizers", "llama3.json")
	if _, err := os.Stat(tok); err != nil {
		t.Skip("no llama3 tokenizer (scripts/get-tokenizers.sh)")
	}
	dir := t.TempDir()
	langs := map[string][]string{}
	for _, l := range []string{"en", "id"} {
		langs[l] = testenv.ReadLines(t, testenv.SharedFile(t, "data", "lingua-sentences", l+".txt"))
	}
	var b strings.Builder
	for i := 0; i < 4000; i++ {
		l := "en"
		if i%3 == 0 {
			l = "id"
		}
		ss := langs[l]
		text := ss[(i*7)%len(ss)] + " " + ss[(i*11+3)%len(ss)]
		rec, _ := json.Marshal(map[string]any{"id": fmt.Sprint("m", i), "text": text, "metadata": map[string]any{"language": l}})
		b.Write(rec)
		b.WriteByte('\n')
	}
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(b.String()), 0o644)
	count := filepath.Join(dir, "count")
	os.WriteFile(filepath.Join(dir, "count.yaml"), []byte("steps:\n  - tokens: {tokenizer: "+tok+"}\n"), 0o644)
	mustRun(t, "run", filepath.Join(dir, "count.yaml"), "-q", "-i", in, "-o", count, "--format", "jsonl", "--shard-docs", "500")
	st, err := outdir.Dir{Root: count}.LoadStats()
	if err != nil {
		t.Fatal(err)
	}
	have := st.Tokens["token_count"].KeptByLanguage
	if have["en"] == 0 || have["id"] == 0 {
		t.Fatalf("token totals %v", have)
	}
	target := map[string]float64{"en": math.Round(0.3 * float64(have["en"])), "id": math.Round(1.5 * float64(have["id"]))}
	mix := fmt.Sprintf("by: language\nseed: 3\nmax_rate: 2\ntargets:\n  en: %.0f\n  id: %.0f\n", target["en"], target["id"])
	os.WriteFile(filepath.Join(dir, "mix.yaml"), []byte(mix), 0o644)
	plan, stderr, code := runCLI(t, "mix", "plan", filepath.Join(dir, "mix.yaml"), count)
	if code != 0 {
		t.Fatalf("mix plan: exit %d %s", code, stderr)
	}
	if !strings.Contains(plan, "rates:") || !strings.Contains(plan, "en: 0.29") || !strings.Contains(plan, "id: 1.5") {
		t.Fatalf("plan:\n%s", plan)
	}
	os.WriteFile(filepath.Join(dir, "sample.yaml"), []byte(plan), 0o644)
	out := filepath.Join(dir, "sampled")
	mustRun(t, "run", filepath.Join(dir, "sample.yaml"), "-q", "-i", filepath.Join(count, "kept"), "-o", out, "--format", "jsonl", "--workers", "1")
	// The same sample from 8 workers in each of 4 task processes.
	out4 := filepath.Join(dir, "sampled4")
	mustRun(t, "run", filepath.Join(dir, "sample.yaml"), "-q", "-i", filepath.Join(count, "kept"), "-o", out4, "--format", "jsonl",
		"--workers", "8", "--tasks", "4", "--parallel", "2")
	sameOutputs(t, "sample at 4 tasks of 8 workers", out, out4)

	// Tokens drawn per language against the target: the sum of copies ×
	// tokens, with the binomial spread of the fractional part.
	got := map[string]float64{}
	spread := map[string]float64{}
	frac := map[string]float64{"en": 0.3, "id": 0.5}
	for _, d := range readOutDocs(t, count, "kept") {
		l := d.Metadata["language"].(string)
		n := d.Metadata["token_count"].(float64)
		spread[l] += n * n * frac[l] * (1 - frac[l])
	}
	for _, d := range readOutDocs(t, out, "kept") {
		l := d.Metadata["language"].(string)
		copies := 1.0
		if r, ok := d.Metadata["repeat"].(float64); ok {
			copies = r
		}
		got[l] += copies * d.Metadata["token_count"].(float64)
	}
	for _, l := range []string{"en", "id"} {
		if sd := math.Sqrt(spread[l]); math.Abs(got[l]-target[l]) > 4*sd {
			t.Errorf("%s: %.0f tokens drawn, target %.0f ± %.0f (4σ)", l, got[l], target[l], 4*sd)
		}
	}
	// A target beyond max_rate is capped, with a warning.
	os.WriteFile(filepath.Join(dir, "big.yaml"), []byte("targets:\n  id: 1T\n  xx: 5M\n"), 0o644)
	plan, stderr, code = runCLI(t, "mix", "plan", filepath.Join(dir, "big.yaml"), count)
	if code != 0 || !strings.Contains(stderr, "capped at max_rate 1") || !strings.Contains(stderr, `"xx": no kept tokens`) || !strings.Contains(plan, "id: 1\n") {
		t.Errorf("exit %d\n%s\n%s", code, plan, stderr)
	}
	// Unknown keys in a mix file are refused.
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("target:\n  id: 1T\n"), 0o644)
	if _, stderr, code := runCLI(t, "mix", "plan", filepath.Join(dir, "bad.yaml"), count); code == 0 || !strings.Contains(stderr, "target") {
		t.Errorf("bad mix file: exit %d %s", code, stderr)
	}
}
