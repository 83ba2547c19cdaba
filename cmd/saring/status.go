package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/saring/saring/executor"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/pipeline"
)

// Task states.
const (
	stateDone    = "done"
	stateRunning = "running"
	stateFailed  = "failed"
	statePending = "pending"
)

// runStatus is where a planned run stands, read from its plan and markers.
type runStatus struct {
	Plan     *pipeline.Plan `json:"-"`
	Out      string         `json:"out"`
	Complete bool           `json:"complete"`
	Stages   []stageStatus  `json:"stages"`
	Slurm    string         `json:"slurm,omitempty"` // what squeue said, when it was asked and failed
}

type stageStatus struct {
	Index   int          `json:"index"`
	Name    string       `json:"name"`
	Kind    string       `json:"kind"`
	Tasks   []taskStatus `json:"tasks"`
	Done    int          `json:"done"`
	Running int          `json:"running"`
	Failed  int          `json:"failed"`
	Pending int          `json:"pending"`
}

type taskStatus struct {
	Task      int     `json:"task"`
	State     string  `json:"state"`
	Units     [2]int  `json:"units"` // input units [from, to) of a docs task
	UnitsDone int     `json:"units_done"`
	Docs      int64   `json:"docs"`
	Bytes     int64   `json:"bytes"`
	Seconds   float64 `json:"seconds"`
	Error     string  `json:"error,omitempty"`
	Slurm     string  `json:"slurm,omitempty"` // job_task and state, when squeue knows the task
}

type lockFile struct {
	PID  int    `json:"pid"`
	Host string `json:"host"`
}

// loadStatus reads the state of the run in out from its plan and markers:
// a task with a marker is done, one with a lock whose process lives is
// running, one with a .failed file is failed (with its error), the rest are
// pending. Docs, bytes and seconds add up the finished units' markers.
func loadStatus(out string) (*runStatus, error) {
	plan, err := pipeline.LoadPlan(out)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s holds no planned run (no %s): start one with saring run or saring slurm submit", out, outdir.Dir{Root: out}.Plan())
		}
		return nil, err
	}
	d := outdir.Dir{Root: out}
	host, _ := os.Hostname()
	rs := &runStatus{Plan: plan, Out: out, Complete: true}
	for _, ps := range plan.Stages {
		ss := stageStatus{Index: ps.Index, Name: ps.Name, Kind: ps.Kind}
		for t := 0; t < ps.Tasks; t++ {
			ts := taskStatus{Task: t, State: statePending}
			if ps.Kind == pipeline.StageDocs && t < len(plan.Ranges) {
				ts.Units = plan.Ranges[t]
				for u := ts.Units[0]; u < ts.Units[1]; u++ {
					m, err := outdir.ReadMarker(d.UnitMarker(ps.Index, u))
					if err != nil || m == nil {
						continue
					}
					ts.UnitsDone++
					ts.Docs += m.Counts.Read
					ts.Bytes += m.Bytes
					ts.Seconds += m.Seconds
				}
			}
			tasks := filepath.Dir(d.TaskMarker(ps.Index, t))
			switch m, err := outdir.ReadMarker(d.TaskMarker(ps.Index, t)); {
			case err == nil && m != nil:
				ts.State = stateDone
				if ps.Kind != pipeline.StageDocs {
					ts.Seconds = m.Seconds
				}
			default:
				if b, err := os.ReadFile(d.TaskLock(ps.Index, t)); err == nil {
					var l lockFile
					json.Unmarshal(b, &l)
					// A lock of a process that is gone on this host is stale;
					// one from another host is believed (squeue may correct it).
					if l.Host != host || processAlive(l.PID) {
						ts.State = stateRunning
						break
					}
				}
				if b, err := os.ReadFile(filepath.Join(tasks, fmt.Sprintf("%05d.failed", t))); err == nil {
					ts.State = stateFailed
					ts.Error = strings.TrimSpace(string(b))
				}
			}
			ss.Tasks = append(ss.Tasks, ts)
		}
		ss.count()
		if ss.Done < len(ss.Tasks) {
			rs.Complete = false
		}
		rs.Stages = append(rs.Stages, ss)
	}
	// The run is complete when done.json is written, after the last task
	// merged stats.json; until then its last task is still finishing.
	if _, err := os.Stat(d.Done()); err != nil {
		rs.Complete = false
	}
	return rs, nil
}

// allTasksDone reports whether every task has its marker (the run may still
// lack stats.json, which the last task writes after its marker).
func (rs *runStatus) allTasksDone() bool {
	for _, s := range rs.Stages {
		if s.Done < len(s.Tasks) {
			return false
		}
	}
	return true
}

func (ss *stageStatus) count() {
	ss.Done, ss.Running, ss.Failed, ss.Pending = 0, 0, 0, 0
	for _, t := range ss.Tasks {
		switch t.State {
		case stateDone:
			ss.Done++
		case stateRunning:
			ss.Running++
		case stateFailed:
			ss.Failed++
		default:
			ss.Pending++
		}
	}
}

// processAlive tells a live process from a gone one (a zombie is gone).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && err != syscall.EPERM {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	for i := len(b) - 1; i > 0; i-- {
		if b[i] == ')' {
			return !(i+2 < len(b) && b[i+2] == 'Z')
		}
	}
	return true
}

// slurmView is what squeue says of the run's submitted tasks.
type slurmView struct {
	jobs  *executor.Jobs
	queue map[executor.StageTask]executor.QueueEntry
	note  string
}

// askSlurm asks squeue about the run's submissions, if it has any. It is
// asked before the markers are read: a task that leaves the queue between
// the two looks is then seen with its marker, never as gone without one.
func askSlurm(ctx context.Context, out string) *slurmView {
	jobs, err := executor.LoadJobs(out)
	if err != nil || len(jobs.Submissions) == 0 {
		return nil
	}
	if _, err := exec.LookPath("squeue"); err != nil {
		return &slurmView{note: "squeue not found: running tasks are judged from their lock files"}
	}
	q, err := executor.QueueStates(ctx, executor.SlurmOptions{Out: out}, jobs)
	if err != nil {
		return &slurmView{note: err.Error()}
	}
	return &slurmView{jobs: jobs, queue: q}
}

// applySlurm corrects running and pending from squeue for the tasks of the
// run's submissions: squeue, not a lock file, knows whether a job runs.
func (rs *runStatus) applySlurm(v *slurmView) {
	if v == nil {
		return
	}
	rs.Slurm = v.note
	if v.jobs == nil {
		return
	}
	jobs, q := v.jobs, v.queue
	latest := jobs.Latest()
	for i := range rs.Stages {
		ss := &rs.Stages[i]
		for j := range ss.Tasks {
			ts := &ss.Tasks[j]
			if ts.State == stateDone {
				continue
			}
			key := executor.StageTask{Stage: ss.Index, Task: ts.Task}
			e, ok := q[key]
			switch {
			case ok:
				ts.Slurm = fmt.Sprintf("%s_%d %s", e.JobID, e.Task, strings.ToLower(e.State))
				if e.Reason != "" && e.Reason != "None" {
					ts.Slurm += " (" + e.Reason + ")"
				}
				switch {
				case e.State == "RUNNING" || e.State == "COMPLETING" || e.State == "CONFIGURING":
					ts.State = stateRunning
				case ts.State == stateRunning:
					ts.State = statePending
				}
			case latest[key] != "":
				// Submitted, gone from the queue, no marker: the job ended
				// without finishing the task (cancelled, failed, timed out,
				// or never started because a stage before it failed).
				// Nothing will run it until it is submitted again.
				ts.State = stateFailed
				if ts.Error == "" {
					ts.Error = fmt.Sprintf("job %s_%d ended without finishing the task", latest[key], ts.Task)
					if _, err := os.Stat(taskLog(rs.Out, ss.Index, ts.Task)); err != nil {
						ts.Error = fmt.Sprintf("job %s_%d ended before the task ran (a stage before it did not finish)", latest[key], ts.Task)
					}
				}
			}
		}
		ss.count()
	}
}

// taskLog finds a task's log: the Slurm and local executors both write
// OUT/.saring/logs/stage-SS-task-TTTTT.log.
func taskLog(out string, stage, task int) string {
	return executor.TaskLog(out, stage, task)
}

func logTail(path string, n int) []string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return nil
	}
	if len(b) > 64<<10 {
		b = b[len(b)-64<<10:]
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}

type statusOptions struct {
	stage    int
	wait     bool
	interval time.Duration
	timeout  time.Duration
	asJSON   bool
	logLines int
	quiet    bool
}

func newStatusCommand(g *globalOptions) *cobra.Command {
	o := &statusOptions{}
	cmd := &cobra.Command{
		Use:   "status OUTDIR",
		Short: "Show how far a run has got: each stage's tasks done, running, failed and pending",
		Long: `Show how far the run in OUTDIR has got, from its plan and its task markers:
for each stage, how many tasks are done, running, failed and pending; every
failed task with its error and the tail of its log; documents and bytes read
so far and the throughput of the finished work.

When the run was submitted with saring slurm submit, running and pending come
from squeue for the recorded job ids (a task whose job left the queue without
finishing it counts as failed, as do tasks whose job was cancelled because a
stage before them failed: nothing runs them until saring slurm submit is run
again); otherwise from the tasks' lock files.

Exit status:
  0  every task of every stage is done (with --stage: of that stage)
  1  tasks are still pending or running
  2  a task failed (and nothing else is wrong)
With --wait, status polls until the run (or --stage) is complete and exits
0, or exits 1 when --timeout passes first. Kubernetes init containers use
"saring status OUTDIR --stage S --wait" to order stages.`,
		Example: `  saring status out
  saring status out --json
  saring status out --stage 1 --wait --quiet`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatusCommand(cmd.Context(), cmd.OutOrStdout(), args[0], o, g)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.stage, "stage", -1, "only this stage")
	f.BoolVar(&o.wait, "wait", false, "poll until complete")
	f.DurationVar(&o.interval, "interval", 5*time.Second, "with --wait: time between looks")
	f.DurationVar(&o.timeout, "timeout", 0, "with --wait: give up after this long (0: never)")
	f.BoolVar(&o.asJSON, "json", false, "print the status as JSON")
	f.IntVar(&o.logLines, "log-lines", 10, "lines of a failed task's log to show")
	return cmd
}

func runStatusCommand(ctx context.Context, w io.Writer, out string, o *statusOptions, g *globalOptions) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	var deadline time.Time
	if o.timeout > 0 {
		deadline = time.Now().Add(o.timeout)
	}
	for {
		sv := askSlurm(ctx, abs)
		rs, err := loadStatus(abs)
		if err != nil && !(o.wait && errors.Is(errors.Unwrap(err), fs.ErrNotExist)) {
			if !o.wait {
				return err
			}
		}
		code := 1
		if rs != nil {
			if o.stage >= len(rs.Stages) {
				return fmt.Errorf("--stage %d: the plan has %d stages", o.stage, len(rs.Stages))
			}
			rs.applySlurm(sv)
			code = rs.exitCode(o.stage)
			if !o.wait || code == 0 {
				if !g.quiet {
					if o.asJSON {
						enc := json.NewEncoder(w)
						enc.SetIndent("", "  ")
						if err := enc.Encode(rs); err != nil {
							return err
						}
					} else {
						rs.print(w, o)
					}
				}
				if code == 0 {
					return nil
				}
				return &exitError{code: code}
			}
		}
		if !deadline.IsZero() && time.Now().After(deadline) {
			return &exitError{code: 1, msg: fmt.Sprintf("saring status: %s is not complete after %s", out, o.timeout)}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(o.interval):
		}
	}
}

func (rs *runStatus) exitCode(stage int) int {
	failed, open := false, false
	for _, s := range rs.Stages {
		if stage >= 0 && s.Index != stage {
			continue
		}
		failed = failed || s.Failed > 0
		open = open || s.Pending+s.Running > 0
	}
	switch {
	case failed:
		return 2
	case open:
		return 1
	case stage < 0 && !rs.Complete:
		return 1 // every task done, stats.json not yet merged
	}
	return 0
}

func (rs *runStatus) print(w io.Writer, o *statusOptions) {
	done, total := 0, 0
	for _, s := range rs.Stages {
		done += s.Done
		total += len(s.Tasks)
	}
	state := "in progress"
	if rs.Complete {
		state = "complete"
	}
	fmt.Fprintf(w, "%s: %s, %d of %d tasks done (%d stages, --tasks %d, planned %s)\n",
		rs.Out, state, done, total, len(rs.Stages), rs.Plan.Tasks, rs.Plan.Created.Format(time.RFC3339))
	if rs.Slurm != "" {
		fmt.Fprintf(w, "slurm: %s\n", rs.Slurm)
	}
	if !rs.Complete && rs.allTasksDone() {
		fmt.Fprintf(w, "every task is done but stats.json is not merged yet; if no task is running, submit again (saring slurm submit) or run the last stage's task 0 again to merge it\n")
	}
	for _, s := range rs.Stages {
		if o.stage >= 0 && s.Index != o.stage {
			continue
		}
		var docs, bytes int64
		var secs float64
		units, unitsDone := 0, 0
		for _, t := range s.Tasks {
			docs += t.Docs
			bytes += t.Bytes
			secs += t.Seconds
			units += t.Units[1] - t.Units[0]
			unitsDone += t.UnitsDone
		}
		fmt.Fprintf(w, "stage %d  %-6s %4d tasks: %d done, %d running, %d failed, %d pending  (%s)\n",
			s.Index, s.Kind, len(s.Tasks), s.Done, s.Running, s.Failed, s.Pending, s.Name)
		if s.Kind == pipeline.StageDocs && units > 0 && docs > 0 {
			line := fmt.Sprintf("         %d of %d input units, %d docs, %s read", unitsDone, units, docs, humanBytes(bytes))
			if secs > 0 {
				line += fmt.Sprintf(", %s/s and %.0f docs/s per task", humanBytes(int64(float64(bytes)/secs)), float64(docs)/secs)
			}
			fmt.Fprintln(w, line)
		} else if s.Kind == pipeline.StageDocs && units > 0 {
			fmt.Fprintf(w, "         %d of %d input units, %.1f task-seconds\n", unitsDone, units, secs)
		} else if secs > 0 {
			fmt.Fprintf(w, "         %.1f task-seconds\n", secs)
		}
		for _, t := range s.Tasks {
			switch t.State {
			case stateFailed:
				fmt.Fprintf(w, "  task %d failed", t.Task)
				if t.Slurm != "" {
					fmt.Fprintf(w, " [%s]", t.Slurm)
				}
				if t.Error != "" {
					fmt.Fprintf(w, ": %s", firstLine(t.Error))
				}
				fmt.Fprintln(w)
				log := taskLog(rs.Out, s.Index, t.Task)
				if lines := logTail(log, o.logLines); len(lines) > 0 {
					fmt.Fprintf(w, "    %s:\n", log)
					for _, l := range lines {
						fmt.Fprintf(w, "    | %s\n", l)
					}
				}
			case stateRunning:
				if t.Slurm != "" {
					fmt.Fprintf(w, "  task %d running [%s]\n", t.Task, t.Slurm)
				}
			}
		}
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, i := float64(n), 0
	for f >= unit && i < 5 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.1f %cB", f, "kMGTPE"[i-1])
}
