// Package testenv finds what tests read from outside their package: the
// repository root, the shared data directory beside it (../shared, holding
// data/ and examples/) and the lid.176 language-ID model. A test whose
// input is missing is skipped with a message saying how to get it, so
// `go test ./...` passes on a bare clone and runs everything in CI.
//
// Only test files import it.
package testenv

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// ModelEnv names the environment variable that points at lid.176.ftz; it
// is the same variable the language step reads.
const ModelEnv = "SARING_LID_MODEL"

// RepoRoot returns the directory holding go.mod, walking up from the
// working directory (the package directory under go test).
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := findRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// LookupSharedDir returns the shared data directory (../shared beside the
// repository root) and whether it exists, for benchmarks that fall back to
// built-in inputs without it.
func LookupSharedDir() (string, bool) {
	root, err := findRoot()
	if err != nil {
		return "", false
	}
	d := filepath.Join(filepath.Dir(root), "shared")
	st, err := os.Stat(d)
	return d, err == nil && st.IsDir()
}

// SharedDir returns the shared data directory, skipping the test when it
// is not beside the repository root.
func SharedDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join(filepath.Dir(RepoRoot(t)), "shared")
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		t.Skipf("shared test data not found at %s: put the shared directory (data/, examples/) beside the repository", d)
	}
	return d
}

// SharedFile returns a file or directory under the shared data directory,
// e.g. SharedFile(t, "examples", "antara-news-scraped.txt"), skipping the
// test when it is absent.
func SharedFile(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{SharedDir(t)}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared test data %s not found", p)
	}
	return p
}

// LIDModel returns the path of lid.176.ftz: $SARING_LID_MODEL when set,
// else models/lid.176.ftz in the repository. It skips the test when the
// file is absent.
func LIDModel(t testing.TB) string {
	t.Helper()
	p := os.Getenv(ModelEnv)
	if p == "" {
		p = filepath.Join(RepoRoot(t), "models", "lid.176.ftz")
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("lid.176.ftz not found at %s: run scripts/get-model.sh", p)
	}
	return p
}

// ReadLines returns a text file's lines without their newlines. Lines may
// be up to 64 MiB long.
func ReadLines(t testing.TB, path string) []string {
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
		t.Fatalf("%s: %v", path, err)
	}
	return lines
}
