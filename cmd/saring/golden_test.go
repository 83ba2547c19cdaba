package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"

	"github.com/saring/saring/internal/golden"
)

// The default pipeline over the bundled examples: which documents are kept,
// which removed by which step and why, and the text each kept one ends with.
// Refresh with: go test ./cmd/saring -run Golden -update
func TestDefaultPipelineGolden(t *testing.T) {
	testenv.LIDModel(t)
	out := t.TempDir()
	_, stderr, code := runCLI(t, "run", "-q", "-i", "examples/news.jsonl", "-o", out, "--format", "jsonl", "--workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var b strings.Builder
	kept := readJSONL(t, filepath.Join(out, "kept", "*.jsonl"))
	removed := readJSONL(t, filepath.Join(out, "removed", "*.jsonl"))
	sort.Slice(removed, func(i, j int) bool { return removed[i].ID < removed[j].ID })
	for _, d := range removed {
		r, _ := d.Metadata["removed"].(map[string]any)
		fmt.Fprintf(&b, "REMOVED %s language=%v step=%v reason=%v\n", d.ID, d.Metadata["language"], r["step"], r["reason"])
	}
	for _, d := range kept {
		fmt.Fprintf(&b, "KEPT %s language=%v\n%s\n\n", d.ID, d.Metadata["language"], d.Text)
	}
	golden.Check(t, filepath.Join("testdata", "news.golden"), []byte(b.String()))
}

// The default pipeline, real steps and all, writes the same bytes with one
// worker as with four.
func TestDefaultPipelineDeterministic(t *testing.T) {
	testenv.LIDModel(t)
	var ref map[string][]byte
	for _, w := range []string{"1", "4"} {
		out := t.TempDir()
		_, stderr, code := runCLI(t, "run", "-q", "-i", "examples/news.jsonl", "-i", "examples/pages.warc.gz", "-o", out, "--workers", w, "--shard-docs", "3")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		got := map[string][]byte{}
		for _, sub := range []string{"kept", "removed", "rejected"} {
			files, _ := filepath.Glob(filepath.Join(out, sub, "*"))
			for _, f := range files {
				b, _ := os.ReadFile(f)
				got[sub+"/"+filepath.Base(f)] = b
			}
		}
		if ref == nil {
			ref = got
			continue
		}
		if len(got) != len(ref) {
			t.Fatalf("workers=%s: %d files, want %d", w, len(got), len(ref))
		}
		for name, b := range ref {
			if string(got[name]) != string(b) {
				t.Errorf("workers=%s: %s differs", w, name)
			}
		}
	}
}
