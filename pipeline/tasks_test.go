package pipeline

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/saring/saring/outdir"
)

func taskConfig(t *testing.T, steps string) (*Config, *Runner) {
	t.Helper()
	reg := testRegistry()
	cfg := Defaults()
	cfg.Input.Paths = []string{writeInputs(t)}
	cfg.Output.Dir = t.TempDir()
	cfg.Output.Format = "jsonl"
	var err error
	if cfg.Steps, err = StepsFromNames(strings.Split(steps, ","), reg); err != nil {
		t.Fatal(err)
	}
	return &cfg, &Runner{Config: &cfg, Registry: reg}
}

// A corpus step without a distributed form runs in one process, and a run
// split into tasks is refused with a message naming it.
func TestTasksRefuseStepWithoutDistributedForm(t *testing.T) {
	_, r := taskConfig(t, "upper,exactdup")
	r.Tasks = 2
	_, err := r.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "exactdup") || !strings.Contains(err.Error(), "--tasks") {
		t.Fatalf("err = %v", err)
	}
	r.Tasks = 1
	if _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Tasks in one process (Runner.Tasks without Only) give the files of a
// one-task run.
func TestTasksInProcess(t *testing.T) {
	_, r := taskConfig(t, "upper,minlen")
	if _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := outputFiles(t, r.Config.Output.Dir)
	for _, n := range []int{2, 3, 8} {
		cfg := *r.Config
		cfg.Output.Dir = t.TempDir()
		r2 := &Runner{Config: &cfg, Registry: r.Registry, Tasks: n}
		if _, err := r2.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := outputFiles(t, cfg.Output.Dir)
		if len(got) != len(want) {
			t.Fatalf("%d tasks: %d files, want %d", n, len(got), len(want))
		}
		for name, b := range want {
			if string(got[name]) != string(b) {
				t.Errorf("%d tasks: %s differs", n, name)
			}
		}
	}
}

// A second run into a directory in use is refused with a message naming
// the holder; a lock left by a process that is gone is taken over.
func TestRunLock(t *testing.T) {
	_, r := taskConfig(t, "upper")
	d := outdir.Dir{Root: r.Config.Output.Dir}
	lock, err := outdir.Acquire(d.RunLock(), "a test holding the directory")
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Run(context.Background())
	if !errors.Is(err, outdir.ErrLocked) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second run: %v", err)
	}
	lock.Release()

	// A stale lock: the PID of a process that has exited.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	host, _ := os.Hostname()
	os.WriteFile(d.RunLock(), []byte(`{"pid":`+strconv.Itoa(cmd.Process.Pid)+`,"host":"`+host+`","what":"a run that crashed"}`), 0o644)
	if _, err := r.Run(context.Background()); err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	if _, err := os.Stat(d.RunLock()); err == nil {
		t.Errorf("the lock outlived the run")
	}
}

// A finished run whose output no longer matches its markers is reported,
// not trusted; an unfinished one redoes the units whose files changed.
func TestMarkersNotTrustedWhenFilesChange(t *testing.T) {
	_, r := taskConfig(t, "upper,minlen")
	if _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	d := outdir.Dir{Root: r.Config.Output.Dir}
	files, _ := d.Files(outdir.Kept)
	if len(files) == 0 {
		t.Fatal("no kept files")
	}
	os.WriteFile(files[0], []byte("{}\n"), 0o644)
	_, err := r.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "--restart") {
		t.Fatalf("a changed finished run was trusted: %v", err)
	}
	r.Restart = true
	if _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.Restart = false

	// Unfinished: drop done.json and change a unit's file: the unit is redone.
	want, _ := os.ReadFile(files[0])
	os.Remove(d.Done())
	os.Remove(d.TaskMarker(0, 0))
	os.WriteFile(files[0], []byte("{}\n"), 0o644)
	if _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(files[0]); string(got) != string(want) {
		t.Errorf("the changed unit was not redone")
	}
	if _, err := os.Stat(filepath.Join(d.State(), "stage-00", "work")); err == nil {
		t.Errorf("work files outlived a finished run")
	}
}
