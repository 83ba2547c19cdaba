package executor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saring/saring/internal/slurmtest"
)

// TestSlurmChain submits three stages to a real single-node Slurm with a
// stand-in for saring that records each task, and checks that stages run
// in order, one log per task; then that a failed task cancels the stages
// after it and a new submission of the unfinished tasks is accepted.
func TestSlurmChain(t *testing.T) {
	c := slurmtest.Start(t)
	ctx := context.Background()
	out := t.TempDir()
	fake := filepath.Join(t.TempDir(), "saring")
	// Args: run PIPELINE --tasks N --stage S --task I
	os.WriteFile(fake, []byte(`#!/bin/sh
stage=$6; task=$8
[ -f "`+out+`/fail-$stage-$task" ] && { echo "task failed on purpose" >&2; exit 3; }
sleep 0.2
date +%s.%N > "`+out+`/ran-$stage-$task"
`), 0o755)
	o := SlurmOptions{Out: out, Pipeline: filepath.Join(out, ".saring", "pipeline.yaml"), Dir: out, Saring: fake, Tasks: 3,
		Partition: c.Partition, MaxParallel: 2, Env: c.Env()}
	stages := []Stage{
		{Index: 0, Name: "a", Kind: "docs", Tasks: 3, Todo: AllTasks(3)},
		{Index: 1, Name: "a: decide", Kind: "decide", Tasks: 1, Todo: AllTasks(1)},
		{Index: 2, Name: "b", Kind: "docs", Tasks: 3, Todo: AllTasks(3)},
	}
	run := func() *Submission {
		t.Helper()
		scripts, err := SlurmScripts(stages, o)
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteScripts(o, scripts); err != nil {
			t.Fatal(err)
		}
		if err := Resubmittable(ctx, o, mustJobs(t, out)); err != nil {
			t.Fatal(err)
		}
		sub, err := Submit(ctx, o, scripts)
		if err != nil {
			t.Fatalf("%v\n%s", err, c.Log())
		}
		j := mustJobs(t, out)
		j.Submissions = append(j.Submissions, *sub)
		if err := j.Save(out); err != nil {
			t.Fatal(err)
		}
		return sub
	}
	waitIdle := func() {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			q, err := QueueStates(ctx, o, mustJobs(t, out))
			if err != nil {
				t.Fatal(err)
			}
			active := 0
			for _, e := range q {
				if e.Active() {
					active++
				}
			}
			if active == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("jobs still active after 60 s: %v\n%s", q, c.Log())
			}
			time.Sleep(300 * time.Millisecond)
		}
	}

	// A failing task: the stages after it never run.
	os.WriteFile(filepath.Join(out, "fail-0-1"), nil, 0o644)
	sub := run()
	if len(sub.Jobs) != 3 || sub.Jobs[1].Dependency != "afterok:"+sub.Jobs[0].JobID {
		t.Fatalf("jobs %+v", sub.Jobs)
	}
	waitIdle()
	for _, f := range []string{"ran-0-0", "ran-0-2"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, f := range []string{"ran-0-1", "ran-1-0", "ran-2-0"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("%s ran", f)
		}
	}
	log, _ := os.ReadFile(TaskLog(out, 0, 1))
	if !strings.Contains(string(log), "task failed on purpose") {
		t.Errorf("log of the failed task: %q", log)
	}

	// Submit again the unfinished tasks only.
	os.Remove(filepath.Join(out, "fail-0-1"))
	stages[0].Todo = []int{1}
	sub = run()
	if sub.Jobs[0].Array != "1" {
		t.Errorf("second submission's first array %q", sub.Jobs[0].Array)
	}
	waitIdle()
	when := func(f string) string {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatalf("%s: %v\n%s", f, err, c.Log())
		}
		return strings.TrimSpace(string(b))
	}
	s0 := []string{when("ran-0-0"), when("ran-0-1"), when("ran-0-2")}
	s1 := when("ran-1-0")
	for _, w := range s0 {
		if w >= s1 {
			t.Errorf("stage 1 ran at %s, before a stage 0 task finished at %s", s1, w)
		}
	}
	for i := 0; i < 3; i++ {
		if w := when("ran-2-" + string(rune('0'+i))); w <= s1 {
			t.Errorf("stage 2 ran before stage 1")
		}
	}
}

func mustJobs(t *testing.T, out string) *Jobs {
	t.Helper()
	j, err := LoadJobs(out)
	if err != nil {
		t.Fatal(err)
	}
	return j
}
