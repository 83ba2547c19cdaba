package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// saring status: exit 1 while tasks are pending, 2 when one failed, 0 when
// complete; --stage and --wait as the Kubernetes init containers use them.
func TestStatusExitCodes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	steps := "normalize,exact_dedup"
	// Planned, nothing run: pending.
	if _, stderr, code := runCLI(t, "slurm", "submit", "-q", "-i", "examples/news.jsonl", "-o", out, "--steps", steps, "--tasks", "2", "--dry-run"); code != 0 {
		t.Fatalf("dry run: %d %s", code, stderr)
	}
	stdout, _, code := runCLI(t, "status", out)
	if code != 1 || !strings.Contains(stdout, "0 done, 0 running, 0 failed, 2 pending") {
		t.Fatalf("planned run: exit %d\n%s", code, stdout)
	}
	if _, stderr, code := runCLI(t, "status", out, "--wait", "--interval", "10ms", "--timeout", "200ms", "-q"); code != 1 || !strings.Contains(stderr, "not complete") {
		t.Errorf("--wait --timeout on a run nobody runs: exit %d %s", code, stderr)
	}
	// A failed task: exit 2, with its error.
	failed := filepath.Join(out, ".saring", "stage-00", "tasks", "00001.failed")
	os.MkdirAll(filepath.Dir(failed), 0o755)
	os.WriteFile(failed, []byte("reading examples/news.jsonl: disk on fire\n"), 0o644)
	stdout, _, code = runCLI(t, "status", out)
	if code != 2 || !strings.Contains(stdout, "task 1 failed: reading examples/news.jsonl: disk on fire") {
		t.Errorf("failed task: exit %d\n%s", code, stdout)
	}
	os.Remove(failed)
	// Run it with the local executor: complete.
	if _, stderr, code := runCLI(t, "run", "-q", "-i", "examples/news.jsonl", "-o", out, "--steps", steps, "--tasks", "2", "--parallel", "2"); code != 0 {
		t.Fatalf("run: %d %s", code, stderr)
	}
	for _, args := range [][]string{{"status", out}, {"status", out, "--stage", "0", "--wait", "-q"}, {"status", out, "--stage", "1"}} {
		if stdout, stderr, code := runCLI(t, args...); code != 0 {
			t.Errorf("%v: exit %d\n%s%s", args, code, stdout, stderr)
		}
	}
	stdout, _, _ = runCLI(t, "status", out, "--json")
	var st struct {
		Complete bool
		Stages   []struct {
			Done  int
			Tasks []struct {
				State string
				Docs  int64
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &st); err != nil || !st.Complete || len(st.Stages) != 3 {
		t.Fatalf("--json: %v %+v\n%s", err, st, stdout)
	}
	var docs int64
	for _, ts := range st.Stages[0].Tasks {
		docs += ts.Docs
	}
	if docs != 8 {
		t.Errorf("stage 0 read %d docs, want 8", docs)
	}
}
