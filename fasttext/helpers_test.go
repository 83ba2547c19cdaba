package fasttext

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"
)

// repoRoot is the directory holding go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// lidModelPath returns lid.176.ftz (SARING_LID_MODEL, else models/ in the
// repository), skipping the test when it is absent.
func lidModelPath(t testing.TB) string {
	t.Helper()
	p := os.Getenv("SARING_LID_MODEL")
	if p == "" {
		p = filepath.Join(repoRoot(t), "models", "lid.176.ftz")
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("lid.176.ftz not found at %s: run scripts/get-model.sh", p)
	}
	return p
}

// sharedDir returns the shared data directory beside the repository.
func sharedDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join(filepath.Dir(repoRoot(t)), "shared")
	if _, err := os.Stat(filepath.Join(d, "data", "lingua-sentences")); err != nil {
		t.Skipf("shared data not found at %s", d)
	}
	return d
}

// readLines reads a text file's lines (without newlines).
func readLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// linguaSentences returns every sentence of the lingua test set, in
// language order.
func linguaSentences(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(sharedDir(t), "data", "lingua-sentences", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skip("no lingua sentences")
	}
	var all []string
	for _, f := range files {
		all = append(all, readLines(t, f)...)
	}
	return all
}
