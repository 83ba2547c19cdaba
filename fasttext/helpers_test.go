package fasttext

import (
	"path/filepath"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// linguaSentences returns every sentence of the lingua test set, in
// language order.
func linguaSentences(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.SharedFile(t, "data", "lingua-sentences"), "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skip("no lingua sentences")
	}
	var all []string
	for _, f := range files {
		all = append(all, testenv.ReadLines(t, f)...)
	}
	return all
}
