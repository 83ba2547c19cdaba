package slurmtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestArray runs a 3-task array job on the cluster and reads each task's
// output.
func TestArray(t *testing.T) {
	c := Start(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "job.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho task $SLURM_ARRAY_TASK_ID > "+dir+"/out-$SLURM_ARRAY_TASK_ID\n"), 0o755)
	out, err := c.Command("sbatch", "--parsable", "--array=0-2", "--output="+dir+"/log-%a", script).CombinedOutput()
	if err != nil {
		t.Fatalf("sbatch: %v\n%s", err, out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; i < 3; i++ {
		p := filepath.Join(dir, "out-"+string(rune('0'+i)))
		for {
			b, err := os.ReadFile(p)
			if err == nil && strings.TrimSpace(string(b)) == "task "+string(rune('0'+i)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("task %d did not write %s\n%s", i, p, c.Log())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
