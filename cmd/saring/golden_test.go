package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files")

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
	golden := filepath.Join("testdata", "news.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if b.String() != string(want) {
		t.Errorf("output differs from %s (refresh with -update if the change is intended):\n%s", golden, b.String())
	}
}
