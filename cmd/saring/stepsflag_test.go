package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// `--steps ""` runs no steps at all: the spine benchmarks (bench/core,
// bench/pipeline, bench/lid/docs.sh) time reading and writing alone with it.
func TestRunEmptyStepsFlag(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	mustRun(t, "run", "-q", "-i", "examples/news.jsonl", "-o", out, "--format", "jsonl", "--steps", "")
	b, err := os.ReadFile(filepath.Join(out, "stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Steps []struct{ Name string } `json:"steps"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Steps) != 0 {
		t.Errorf("--steps \"\" ran %d steps (%v), want none", len(st.Steps), st.Steps)
	}
}
