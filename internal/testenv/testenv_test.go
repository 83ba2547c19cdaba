package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestRepoRoot(t *testing.T) {
	root := RepoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("RepoRoot = %s, no go.mod there", root)
	}
	if wd, _ := os.Getwd(); wd != filepath.Join(root, "internal", "testenv") {
		t.Errorf("RepoRoot = %s, want the parent of internal/testenv (working directory %s)", root, wd)
	}
}

func TestSharedDir(t *testing.T) {
	d, ok := LookupSharedDir()
	if want := filepath.Join(filepath.Dir(RepoRoot(t)), "shared"); d != want {
		t.Errorf("LookupSharedDir = %s, want %s", d, want)
	}
	if !ok {
		t.Skipf("%s is absent", d)
	}
	if got := SharedDir(t); got != d {
		t.Errorf("SharedDir = %s, want %s", got, d)
	}
	if got := SharedFile(t, "data"); got != filepath.Join(d, "data") {
		t.Errorf("SharedFile(data) = %s", got)
	}
}

// A missing shared file skips, never fails: CI without the data still passes.
func TestSharedFileMissingSkips(t *testing.T) {
	if _, ok := LookupSharedDir(); !ok {
		t.Skip("shared directory absent")
	}
	if !skipped(func(tb testing.TB) { SharedFile(tb, "no", "such-file.txt") }) {
		t.Error("SharedFile on a missing file did not skip")
	}
}

func TestLIDModelEnv(t *testing.T) {
	p := filepath.Join(t.TempDir(), "lid.ftz")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(ModelEnv, p)
	if got := LIDModel(t); got != p {
		t.Errorf("LIDModel with $%s = %s, want %s", ModelEnv, got, p)
	}
	t.Setenv(ModelEnv, p+".missing")
	if !skipped(func(tb testing.TB) { LIDModel(tb) }) {
		t.Errorf("LIDModel with a missing $%s did not skip", ModelEnv)
	}
}

func TestReadLines(t *testing.T) {
	p := filepath.Join(t.TempDir(), "l.txt")
	long := strings.Repeat("x", 2<<20) // beyond bufio's default 64 KiB limit
	if err := os.WriteFile(p, []byte("a\n\n"+long+"\nb"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := ReadLines(t, p)
	if len(got) != 4 || got[0] != "a" || got[1] != "" || got[2] != long || got[3] != "b" {
		t.Errorf("ReadLines: %d lines", len(got))
	}
}

func TestCPUTime(t *testing.T) {
	start := CPUTime()
	x := 0
	for i := range 10_000_000 {
		x += i % 7
	}
	if x < 0 || CPUTime() < start {
		t.Error("CPU time went backwards")
	}
}

// skipped reports whether f called SkipNow on its TB.
func skipped(f func(testing.TB)) bool {
	tb := &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(tb)
	}()
	<-done
	return tb.skipped
}

// recorder stands in for a test so that a helper's skip can be observed:
// SkipNow ends only the goroutine running the helper, as in a real test.
type recorder struct {
	testing.TB
	skipped bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Skipf(string, ...any)  { r.skipped = true; runtime.Goexit() }
func (r *recorder) Skip(...any)           { r.skipped = true; runtime.Goexit() }
func (r *recorder) Fatal(...any)          { runtime.Goexit() }
func (r *recorder) Fatalf(string, ...any) { runtime.Goexit() }
