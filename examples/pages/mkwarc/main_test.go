package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedWARCIsCurrent rebuilds examples/pages.warc.gz and compares
// it with the committed file, so a page edited without rebuilding is caught.
func TestCommittedWARCIsCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pages.warc.gz")
	if err := run("..", out, 1); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../pages.warc.gz")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("examples/pages.warc.gz is not what the pages build to: run `go run ./examples/pages/mkwarc` from the repository root and commit the result")
	}
	// Same input, same bytes: the build is deterministic.
	out2 := filepath.Join(t.TempDir(), "again.warc.gz")
	if err := run("..", out2, 1); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(out2)
	if !bytes.Equal(got, again) {
		t.Fatal("two builds differ")
	}
}
