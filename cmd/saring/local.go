package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/saring/saring/outdir"
	"github.com/saring/saring/pipeline"
	"github.com/saring/saring/storage"
)

// runLocal is the local executor: every task of every stage as a separate
// process of this program on this machine, at most t.parallel at a time,
// stage after stage. Each task loads the pipeline file the plan wrote, so
// all of them run the same configuration; a task already done is skipped by
// the task itself, so running the same command again redoes nothing.
func runLocal(ctx context.Context, g *globalOptions, r *pipeline.Runner, t taskSpec) error {
	log := g.logger()
	plan, err := r.Prepare(ctx)
	if err != nil {
		return err
	}
	d := outdir.Dir{Root: r.Config.Output.Dir}
	if storage.IsRemote(d.Root) {
		// The tasks stage the remote directory in one local directory;
		// the executor keeps its lock and logs there.
		rem, err := outdir.NewRemote(d.Root, "")
		if err != nil {
			return err
		}
		d = outdir.Dir{Root: rem.Local, Remote: rem}
	}
	lock, err := outdir.Acquire(d.RunLock(), "saring run --parallel into "+d.Root)
	if err != nil {
		return err
	}
	defer lock.Release()
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	workers := r.Config.Workers
	if workers == 0 {
		workers = max(1, r.Config.ResolvedWorkers()/t.parallel)
	}
	pipelineFile := d.Path(".saring", "pipeline.yaml")
	if err := os.MkdirAll(d.Logs(), 0o755); err != nil {
		return err
	}
	start := time.Now()
	for _, st := range plan.Stages {
		sem := make(chan struct{}, t.parallel)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failures []string
		for task := 0; task < st.Tasks; task++ {
			if _, err := os.Stat(d.TaskMarker(st.Index, task)); err == nil {
				continue
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				wg.Wait()
				return ctx.Err()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				logPath := filepath.Join(d.Logs(), fmt.Sprintf("stage-%02d-task-%05d.log", st.Index, task))
				args := []string{"run", pipelineFile, "--tasks", strconv.Itoa(plan.Tasks), "--task", strconv.Itoa(task),
					"--stage", strconv.Itoa(st.Index), "--workers", strconv.Itoa(workers), "--log-level", g.logLevel}
				if t.verify {
					args = append(args, "--verify")
				}
				err := runChild(ctx, exe, args, logPath)
				if err != nil && ctx.Err() == nil {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("task %d: %v\n%s", task, err, tail(logPath, 10)))
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if len(failures) > 0 {
			return fmt.Errorf("stage %d (%s): %d of %d tasks failed (logs in %s); fix the cause and run the same command again to redo only those:\n%s",
				st.Index, st.Name, len(failures), st.Tasks, d.Logs(), strings.Join(failures, "\n"))
		}
		log.Debug("stage done", "stage", st.Index, "name", st.Name, "tasks", st.Tasks)
	}
	if _, err := os.Stat(d.Done()); err != nil {
		// The last task writes stats.json; if it was killed just before,
		// write it here.
		r.Only = &pipeline.TaskRef{Task: 0, Stage: len(plan.Stages) - 1}
		if _, err := r.Run(ctx); err != nil {
			return err
		}
	}
	log.Info("run finished", "tasks", plan.Tasks, "stages", len(plan.Stages), "seconds", time.Since(start).Seconds(), "out", d.Root)
	return nil
}

// runChild runs one task process, its output to logPath. On cancel the
// child gets SIGINT, as from Ctrl-C, so it cleans up before it exits.
func runChild(ctx context.Context, exe string, args []string, logPath string) error {
	lf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer lf.Close()
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 30 * time.Second
	cmd.Env = append(os.Environ(), "SLURM_ARRAY_TASK_ID=", "JOB_COMPLETION_INDEX=")
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Errorf("exit status %d", ee.ExitCode())
	}
	return err
}

// tail returns the last n lines of a log file, indented.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    " + strings.Join(lines, "\n    ")
}
