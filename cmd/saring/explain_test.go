package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainReadsInputAsTheRunDoes: explain takes the text and id keys from
// the pipeline file's input section, and the flags over it.
func TestExplainReadsInputAsTheRunDoes(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(`{"doc_id":"a","content":"Buy now!!! Click here"}`+"\n"+
		`{"doc_id":"b","content":"`+strings.Repeat("A calm and ordinary sentence about the weather in Jakarta today. ", 20)+`"}`+"\n"), 0o644)
	pipe := filepath.Join(dir, "p.yaml")
	os.WriteFile(pipe, []byte("input:\n  text_key: content\n  id_key: doc_id\nsteps:\n  - gopher_quality\n"), 0o644)

	out, e, code := runCLI(t, "explain", "-i", in, "--pipeline", pipe, "--id", "b", "--json")
	if code != 0 || !strings.Contains(out, `"id":"b"`) || !strings.Contains(out, "gopher_quality") {
		t.Errorf("from the pipeline's input section: exit %d\n%s\n%s", code, out, e)
	}
	out, e, code = runCLI(t, "explain", "-i", in, "--steps", "gopher_quality", "--text-key", "content", "--id-key", "doc_id", "--id", "a", "--json")
	if code != 0 || !strings.Contains(out, `"id":"a"`) || !strings.Contains(out, "gopher_short_doc") {
		t.Errorf("from the flags: exit %d\n%s\n%s", code, out, e)
	}
	if _, e, code = runCLI(t, "explain", "-i", in, "--steps", "gopher_quality", "--id", "a"); code == 0 || !strings.Contains(e, `no "text" field`) {
		t.Errorf("default keys on this file: exit %d %s", code, e)
	}
}
