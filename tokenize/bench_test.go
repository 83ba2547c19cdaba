package tokenize

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// BenchmarkEncode encodes the lingua sentences (75 languages) with each
// fetched tokenizer; see bench/tokenize/run.sh for the comparison with the
// references.
func BenchmarkEncode(b *testing.B) {
	shared, ok := testenv.LookupSharedDir()
	if !ok {
		b.Skip("shared data directory missing")
	}
	files, _ := filepath.Glob(filepath.Join(shared, "data", "lingua-sentences", "*.txt"))
	var texts []string
	size := 0
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		for _, l := range strings.Split(string(raw), "\n") {
			if l != "" {
				texts = append(texts, l)
				size += len(l)
			}
		}
	}
	for _, name := range Names {
		p := filepath.Join(testenv.RepoRoot(b), "models", "tokenizers", name+".json")
		tok, err := LoadFile(p)
		if err != nil {
			b.Skip(err)
		}
		b.Run(name, func(b *testing.B) {
			start := testenv.CPUTime()
			var ids []int
			for b.Loop() {
				for _, t := range texts {
					ids = tok.AppendEncode(ids[:0], t)
				}
			}
			testenv.ReportMBPerCPUSecond(b, start, int64(size))
		})
	}
}
