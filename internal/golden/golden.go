// Package golden compares test output with files under testdata, the one
// way every saring test keeps golden files. Run a package's tests with
// -update to rewrite them after an intended change:
//
//	go test ./repair -run TestGolden -update
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files with the output the tests produce")

// Updating reports whether the tests were asked to rewrite golden files.
func Updating() bool { return *update }

// Check compares got with the file at path (relative to the test's package
// directory), or writes got there under -update.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with: go test -run '%s' -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (if the change is intended: go test -run '%s' -update)\n got: %.2000s\nwant: %.2000s", path, t.Name(), got, want)
	}
}
