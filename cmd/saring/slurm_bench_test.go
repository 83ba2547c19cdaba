package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/saring/saring/internal/slurmtest"
)

// TestBenchSlurmOverLocal measures what Slurm adds to the same work run by
// the local executor: the default pipeline as 4 tasks, 2 at a time, one
// worker each. It runs only when asked:
//
//	SARING_BENCH=1 SARING_BENCH_INPUT=/tmp/saring-tasks-bench/in go test ./cmd/saring -run TestBenchSlurmOverLocal -v
func TestBenchSlurmOverLocal(t *testing.T) {
	if os.Getenv("SARING_BENCH") == "" {
		t.Skip("a benchmark: set SARING_BENCH=1")
	}
	in := os.Getenv("SARING_BENCH_INPUT")
	if in == "" {
		in = slurmCorpus(t)
	}
	c := slurmtest.Start(t)
	env := slurmEnv(t, c)
	base := t.TempDir()
	for round := 0; round < 2; round++ {
		local := filepath.Join(base, "local", string(rune('a'+round)))
		t0 := time.Now()
		if r := slurmRunIn(t, env, "run", "-q", "-i", in, "-o", local, "--tasks", "4", "--parallel", "2", "--workers", "1"); r.code != 0 {
			t.Fatalf("local: %s", r.stderr)
		}
		localWall := time.Since(t0)
		out := filepath.Join(base, "slurm", string(rune('a'+round)))
		t0 = time.Now()
		if r := slurmRunIn(t, env, "slurm", "submit", "-q", "-i", in, "-o", out, "--tasks", "4", "--partition", c.Partition,
			"--cpus-per-task", "1", "--max-parallel", "2"); r.code != 0 {
			t.Fatalf("submit: %s%s", r.stdout, r.stderr)
		}
		slurmWaitStatus(t, c, env, out)
		slurmWall := time.Since(t0)
		t.Logf("round %d: local executor %.1f s, Slurm %.1f s, overhead %.1f s (%.0f%%)", round, localWall.Seconds(), slurmWall.Seconds(),
			(slurmWall - localWall).Seconds(), 100*(slurmWall-localWall).Seconds()/localWall.Seconds())
		slurmSameOutput(t, local, out)
	}
}
