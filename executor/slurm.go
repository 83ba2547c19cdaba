package executor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// SlurmOptions say how the stages of a run become Slurm array jobs.
type SlurmOptions struct {
	Out      string // output directory, absolute
	Pipeline string // resolved pipeline file every task loads (OUT/.saring/pipeline.yaml)
	Dir      string // working directory of the tasks (where the run was planned)
	Saring   string // the saring executable, as the compute nodes see it
	Tasks    int    // the run's --tasks

	JobName     string // prefix of every job's name; "saring" when empty
	MaxParallel int    // at most this many tasks of a stage at once (%M); 0: no limit
	Partition   string // --partition
	Time        string // --time
	Mem         string // --mem
	CPUsPerTask int    // --cpus-per-task; also the task's --workers
	// Workers is the pipeline's own worker count. When it is 0 (one per
	// core) and CPUsPerTask is 0, a task runs as many workers as Slurm gave
	// it CPUs ($SLURM_CPUS_ON_NODE), not one per core of the node.
	Workers int
	Extra   []string // further sbatch arguments, one #SBATCH line each

	Env []string // environment of sbatch, squeue and scancel (nil: this process's)
}

// SlurmScript is one stage's batch script.
type SlurmScript struct {
	Stage Stage
	Path  string // OUT/.saring/slurm/stage-SS.sbatch
	Text  string
}

// SlurmDir is where scripts and jobs.json live: OUT/.saring/slurm.
func SlurmDir(out string) string { return filepath.Join(out, ".saring", "slurm") }

// LogsDir is where per-task logs go: OUT/.saring/logs.
func LogsDir(out string) string { return filepath.Join(out, ".saring", "logs") }

// TaskLog is the log of one task of a stage, as the scripts name it (%5a:
// the index zero-padded to five digits, as the local executor names its
// logs too).
func TaskLog(out string, stage, task int) string {
	return filepath.Join(LogsDir(out), fmt.Sprintf("stage-%02d-task-%05d.log", stage, task))
}

// JobsFile is OUT/.saring/slurm/jobs.json.
func JobsFile(out string) string { return filepath.Join(SlurmDir(out), "jobs.json") }

// SlurmScripts returns the scripts of the stages that have tasks to run,
// in stage order.
func SlurmScripts(stages []Stage, o SlurmOptions) ([]SlurmScript, error) {
	if o.Out == "" || o.Pipeline == "" || o.Saring == "" {
		return nil, errors.New("slurm: the output directory, pipeline file and saring executable are needed")
	}
	name := o.JobName
	if name == "" {
		name = "saring"
	}
	var scripts []SlurmScript
	for _, s := range stages {
		if len(s.Todo) == 0 {
			continue
		}
		var b strings.Builder
		b.WriteString("#!/bin/bash\n")
		fmt.Fprintf(&b, "# saring stage %d of %d: %s (%s), %d of its %d tasks.\n", s.Index, len(stages), s.Name, s.Kind, len(s.Todo), s.Tasks)
		b.WriteString("# Written by `saring slurm submit`, which submits it; run that again to resume.\n")
		line := func(arg string) { fmt.Fprintf(&b, "#SBATCH %s\n", arg) }
		line("--job-name=" + sbatchValue(fmt.Sprintf("%s-%02d-%s", name, s.Index, stageLabel(s))))
		array := "--array=" + Ranges(s.Todo)
		if o.MaxParallel > 0 {
			array += "%" + strconv.Itoa(o.MaxParallel)
		}
		line(array)
		line("--output=" + sbatchValue(filepath.Join(LogsDir(o.Out), fmt.Sprintf("stage-%02d-task-%%5a.log", s.Index))))
		line("--open-mode=append")
		line("--kill-on-invalid-dep=yes")
		if o.Partition != "" {
			line("--partition=" + sbatchValue(o.Partition))
		}
		if o.Time != "" {
			line("--time=" + sbatchValue(o.Time))
		}
		if o.Mem != "" {
			line("--mem=" + sbatchValue(o.Mem))
		}
		if o.CPUsPerTask > 0 {
			line("--cpus-per-task=" + strconv.Itoa(o.CPUsPerTask))
		}
		for _, e := range o.Extra {
			if strings.ContainsAny(e, "\n\r") {
				return nil, fmt.Errorf("slurm: sbatch argument %q holds a line break", e)
			}
			if !strings.HasPrefix(e, "-") {
				return nil, fmt.Errorf("slurm: sbatch argument %q does not start with -", e)
			}
			line(e)
		}
		b.WriteString("set -eu\n")
		fmt.Fprintf(&b, "cd %s\n", shellQuote(o.Dir))
		fmt.Fprintf(&b, "echo \"saring: stage %d task $SLURM_ARRAY_TASK_ID, job $SLURM_JOB_ID on $(hostname), $(date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ)\"\n", s.Index)
		cmd := []string{shellQuote(o.Saring), "run", shellQuote(o.Pipeline),
			"--tasks", strconv.Itoa(o.Tasks), "--stage", strconv.Itoa(s.Index), "--task", `"$SLURM_ARRAY_TASK_ID"`}
		switch {
		case o.CPUsPerTask > 0:
			cmd = append(cmd, "--workers", strconv.Itoa(o.CPUsPerTask))
		case o.Workers == 0:
			cmd = append(cmd, "--workers", `"${SLURM_CPUS_ON_NODE:-0}"`)
		}
		b.WriteString("exec " + strings.Join(cmd, " ") + "\n")
		scripts = append(scripts, SlurmScript{
			Stage: s,
			Path:  filepath.Join(SlurmDir(o.Out), fmt.Sprintf("stage-%02d.sbatch", s.Index)),
			Text:  b.String(),
		})
	}
	return scripts, nil
}

// sbatchValue keeps a value on its #SBATCH line: sbatch reads the rest of
// the line up to white space, so values with spaces are quoted.
func sbatchValue(v string) string {
	if strings.ContainsAny(v, " \t\"") {
		return strconv.Quote(v)
	}
	return v
}

// SubmitCommands are the shell commands that submit scripts in order, each
// stage after the one before it succeeded. They are what Submit runs, and
// what a dry run prints.
func SubmitCommands(scripts []SlurmScript) string {
	var b strings.Builder
	for i, s := range scripts {
		dep := ""
		if i > 0 {
			dep = fmt.Sprintf(" --dependency=afterok:$job%02d", scripts[i-1].Stage.Index)
		}
		fmt.Fprintf(&b, "job%02d=$(sbatch --parsable%s %s)\n", s.Stage.Index, dep, shellQuote(s.Path))
	}
	return b.String()
}

// DryRun is what `saring slurm submit --dry-run` prints: every script under
// a comment naming its file, then the commands that would submit them.
func DryRun(scripts []SlurmScript) string {
	var b strings.Builder
	if len(scripts) == 0 {
		return "# every task of every stage is done: nothing to submit\n"
	}
	for _, s := range scripts {
		fmt.Fprintf(&b, "# ==> %s <==\n%s\n", s.Path, s.Text)
	}
	b.WriteString("# ==> submit <==\n")
	b.WriteString(SubmitCommands(scripts))
	return b.String()
}

// WriteScripts writes the scripts and submit.sh (the submit commands as a
// script) under OUT/.saring/slurm, and makes the log directory, which
// Slurm does not create.
func WriteScripts(o SlurmOptions, scripts []SlurmScript) error {
	if err := os.MkdirAll(LogsDir(o.Out), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(SlurmDir(o.Out), 0o755); err != nil {
		return err
	}
	for _, s := range scripts {
		if err := writeFile(s.Path, []byte(s.Text), 0o755); err != nil {
			return err
		}
	}
	sub := "#!/bin/sh\n# Submits the stages' scripts by hand, as saring slurm submit does.\nset -eu\n" + SubmitCommands(scripts)
	return writeFile(filepath.Join(SlurmDir(o.Out), "submit.sh"), []byte(sub), 0o755)
}

func writeFile(path string, data []byte, mode fs.FileMode) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Job is one submitted array job.
type Job struct {
	Stage      int    `json:"stage"`
	Name       string `json:"name"`
	JobID      string `json:"job_id"`
	Tasks      []int  `json:"tasks"`
	Array      string `json:"array"`
	Dependency string `json:"dependency,omitempty"`
	Script     string `json:"script"`
}

// Submission is one `saring slurm submit`.
type Submission struct {
	Submitted time.Time `json:"submitted"`
	Jobs      []Job     `json:"jobs"`
}

// Jobs is every submission of a run, oldest first.
type Jobs struct {
	Submissions []Submission `json:"submissions"`
}

// LoadJobs reads OUT/.saring/slurm/jobs.json; an empty Jobs when there is none.
func LoadJobs(out string) (*Jobs, error) {
	var j Jobs
	data, err := os.ReadFile(JobsFile(out))
	if errors.Is(err, fs.ErrNotExist) {
		return &j, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("%s: %w", JobsFile(out), err)
	}
	return &j, nil
}

// Save writes jobs.json atomically.
func (j *Jobs) Save(out string) error {
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(SlurmDir(out), 0o755); err != nil {
		return err
	}
	return writeFile(JobsFile(out), append(data, '\n'), 0o644)
}

// Latest maps each stage and task to the job that last included it.
func (j *Jobs) Latest() map[StageTask]string {
	m := map[StageTask]string{}
	for _, s := range j.Submissions {
		for _, job := range s.Jobs {
			for _, t := range job.Tasks {
				m[StageTask{job.Stage, t}] = job.JobID
			}
		}
	}
	return m
}

// IDs are the job ids of every submission.
func (j *Jobs) IDs() []string {
	var ids []string
	for _, s := range j.Submissions {
		for _, job := range s.Jobs {
			ids = append(ids, job.JobID)
		}
	}
	return ids
}

// StageTask names one task of one stage.
type StageTask struct{ Stage, Task int }

func (o SlurmOptions) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	if o.Env != nil {
		cmd.Env = o.Env
	}
	return cmd
}

// Submit submits the scripts (written by WriteScripts) in stage order,
// each with --dependency=afterok on the one before, and returns the
// submission. When a submission fails half-way, the jobs already submitted
// are cancelled, so no stage runs without the stages before it.
func Submit(ctx context.Context, o SlurmOptions, scripts []SlurmScript) (*Submission, error) {
	sub := &Submission{Submitted: time.Now().UTC()}
	prev := ""
	for _, s := range scripts {
		args := []string{"--parsable"}
		dep := ""
		if prev != "" {
			dep = "afterok:" + prev
			args = append(args, "--dependency="+dep)
		}
		args = append(args, s.Path)
		var stderr bytes.Buffer
		cmd := o.command(ctx, "sbatch", args...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			for _, j := range sub.Jobs {
				o.command(context.Background(), "scancel", j.JobID).Run()
			}
			return nil, fmt.Errorf("sbatch %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		// --parsable prints "jobid" or "jobid;cluster".
		id, _, _ := strings.Cut(strings.TrimSpace(string(out)), ";")
		if _, err := strconv.Atoi(id); err != nil {
			return nil, fmt.Errorf("sbatch printed %q, not a job id", out)
		}
		sub.Jobs = append(sub.Jobs, Job{Stage: s.Stage.Index, Name: s.Stage.Name, JobID: id,
			Tasks: append([]int(nil), s.Stage.Todo...), Array: Ranges(s.Stage.Todo), Dependency: dep, Script: s.Path})
		prev = id
	}
	return sub, nil
}

// QueueEntry is one array task squeue knows.
type QueueEntry struct {
	JobID  string // the array job's id
	Task   int    // the array index
	State  string // PENDING, RUNNING, COMPLETING, ...
	Reason string // why it is pending: Dependency, DependencyNeverSatisfied, Resources, ...
}

// Active reports whether the entry will still run or is running.
func (e QueueEntry) Active() bool {
	switch e.State {
	case "PENDING":
		return e.Reason != "DependencyNeverSatisfied"
	case "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED", "RESIZING", "SIGNALING", "STAGE_OUT":
		return true
	}
	return false
}

// Queue asks squeue about the array tasks of the given jobs. Jobs squeue
// no longer knows (finished long enough ago) are simply absent.
func Queue(ctx context.Context, o SlurmOptions, ids []string) ([]QueueEntry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	// All of the user's jobs rather than -j: squeue fails outright when a
	// listed id is unknown, which old ids of finished jobs are.
	args := []string{"-h", "-r", "-o", "%F|%K|%T|%r"}
	if u := os.Getenv("USER"); u != "" {
		args = append(args, "-u", u)
	} else {
		args = append(args, "-u", strconv.Itoa(os.Getuid()))
	}
	var stderr bytes.Buffer
	cmd := o.command(ctx, "squeue", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("squeue: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var entries []QueueEntry
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(strings.TrimSpace(line), "|")
		if len(f) != 4 || !want[f[0]] {
			continue
		}
		task, err := strconv.Atoi(f[1])
		if err != nil {
			continue // "N/A": not an array job
		}
		entries = append(entries, QueueEntry{JobID: f[0], Task: task, State: f[2], Reason: f[3]})
	}
	return entries, nil
}

// QueueStates maps each stage and task of the run's submissions to what
// squeue says of the job that last included it.
func QueueStates(ctx context.Context, o SlurmOptions, jobs *Jobs) (map[StageTask]QueueEntry, error) {
	entries, err := Queue(ctx, o, jobs.IDs())
	if err != nil {
		return nil, err
	}
	byJob := map[[2]string]QueueEntry{}
	for _, e := range entries {
		byJob[[2]string{e.JobID, strconv.Itoa(e.Task)}] = e
	}
	m := map[StageTask]QueueEntry{}
	for st, id := range jobs.Latest() {
		if e, ok := byJob[[2]string{id, strconv.Itoa(st.Task)}]; ok {
			m[st] = e
		}
	}
	return m, nil
}

// Cancel runs scancel on job ids.
func Cancel(ctx context.Context, o SlurmOptions, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	out, err := o.command(ctx, "scancel", ids...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("scancel %s: %v: %s", strings.Join(ids, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Resubmittable checks the run's earlier submissions before a new one: a
// task that is still queued or running must not be submitted twice, so
// those are refused with a message naming them; jobs that wait on a
// dependency that can never be met (a stage before them failed) are
// cancelled, since the new submission replaces them.
func Resubmittable(ctx context.Context, o SlurmOptions, jobs *Jobs) error {
	if len(jobs.Submissions) == 0 {
		return nil
	}
	entries, err := Queue(ctx, o, jobs.IDs())
	if err != nil {
		return err
	}
	var active []string
	dead := map[string]bool{}
	for _, e := range entries {
		if e.Active() {
			active = append(active, fmt.Sprintf("%s_%d (%s)", e.JobID, e.Task, strings.ToLower(e.State)))
		} else if e.State == "PENDING" {
			dead[e.JobID] = true
		}
	}
	if len(active) > 0 {
		if len(active) > 5 {
			active = append(active[:5], fmt.Sprintf("and %d more", len(active)-5))
		}
		return fmt.Errorf("tasks of an earlier submission are still queued or running: %s; wait for them (saring status %s) or scancel them, then submit again",
			strings.Join(active, ", "), o.Out)
	}
	var ids []string
	for id := range dead {
		ids = append(ids, id)
	}
	return Cancel(ctx, o, ids...)
}
