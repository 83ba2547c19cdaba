package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/saring/saring"
	"github.com/saring/saring/formats"
	"github.com/saring/saring/internal/rusage"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/storage"
)

// Runner runs a resolved pipeline: every stage in this process (Task < 0),
// or one task of one stage (Task >= 0), with the plan and markers in the
// output directory so that a run killed at any point continues where it
// stopped.
type Runner struct {
	Config   *Config
	Registry *saring.Registry
	Log      *slog.Logger
	Progress io.Writer // where to draw progress; nil for none
	Version  string

	// Tasks is the number of tasks each stage is split into (0: 1).
	Tasks int
	// Only, when set, runs one task; nil runs every task of every stage here.
	Only *TaskRef
	// Restart removes an earlier run's outputs and markers first.
	Restart bool
	// VerifyChecksums checks every file's checksum, not only its size,
	// before trusting a marker.
	VerifyChecksums bool
}

// TaskRef names one task of a run.
type TaskRef struct {
	Task  int
	Stage int // -1: the current stage (the first one not finished)
}

// batchDocs and batchBytes bound a unit of work handed to a worker.
const (
	batchDocs  = 512
	batchBytes = 4 << 20
)

type item struct {
	doc       *saring.Document
	rejected  *formats.Rejected
	removedAt int // index of the step that removed the document, or -1
	res       saring.Result
}

type batch struct {
	idx   int64
	unit  int
	last  bool // the unit's last batch: the writer commits the unit after it
	items []item
	// textIn is the text bytes of the batch's documents as they came in.
	textIn int64
	// weight is what the batch holds of the memory budget until written.
	weight int64
	stats  *runStats
}

// ErrAccounting is returned when documents in != kept + removed + rejected.
var ErrAccounting = errors.New("accounting violated")

// ErrPending is returned by a task that cannot run yet because an earlier
// stage is not finished.
var ErrPending = errors.New("an earlier stage is not finished")

// BuildSteps builds the configured steps.
func BuildSteps(cfg *Config, reg *saring.Registry, workDir string) ([]saring.Step, error) {
	var steps []saring.Step
	for i, sc := range cfg.Steps {
		spec, ok := reg.Lookup(sc.Name)
		if !ok {
			closeSteps(steps)
			return nil, fmt.Errorf("unknown step %q", sc.Name)
		}
		env := saring.Env{
			WorkDir:     filepath.Join(workDir, fmt.Sprintf("%02d-%s", i, sc.Name)),
			OutDir:      cfg.Output.Dir,
			Workers:     cfg.ResolvedWorkers(),
			MemoryBytes: int64(cfg.Memory),
		}
		opts := sc.Options
		if opts == nil && spec.Options != nil {
			opts = spec.Options()
		}
		s, err := spec.New(opts, env)
		if err != nil {
			closeSteps(steps)
			return nil, fmt.Errorf("step %s: %w", sc.Name, err)
		}
		steps = append(steps, s)
	}
	return steps, nil
}

func closeSteps(steps []saring.Step) {
	for _, s := range steps {
		if c, ok := s.(saring.Closer); ok {
			c.Close()
		}
	}
}

// clean removes what an earlier run into the directory left: only names
// saring itself writes are touched.
func clean(d outdir.Dir) error {
	for _, sub := range outdir.Kinds {
		matches, _ := filepath.Glob(d.Path(sub, "part-*"))
		tmps, _ := filepath.Glob(d.Path(sub, ".part-*.tmp"))
		for _, m := range append(matches, tmps...) {
			if err := os.Remove(m); err != nil {
				return err
			}
		}
	}
	for _, f := range []string{d.Stats(), d.Path("clusters.jsonl"), d.Path("report.html")} {
		os.Remove(f)
	}
	os.RemoveAll(d.Path(".index"))
	os.RemoveAll(d.Path(".work"))
	// Keep the lock of this process: remove everything else of the state.
	entries, _ := os.ReadDir(d.State())
	for _, e := range entries {
		if e.Name() == "run.lock" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(d.State(), e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// setup is what every invocation shares: inputs, steps and the plan.
type setup struct {
	dir    outdir.Dir
	inputs []Input
	steps  []saring.Step
	plan   *Plan
	log    *slog.Logger
	// tokenKeys are the metadata keys token-counting steps write, summed
	// in stats.json by outcome and language.
	tokenKeys []string
}

func (r *Runner) logger() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return r.Log
}

func (r *Runner) tasks() int { return max(r.Tasks, 1) }

// Prepare computes the plan and writes it, with the resolved pipeline file
// every task loads, to the output directory. A plan already there is kept
// when it describes the same run; otherwise Prepare fails, unless the
// earlier run finished and this process runs the whole of the new one.
func (r *Runner) Prepare(ctx context.Context) (*Plan, error) {
	s, err := r.prepare(ctx, true)
	if err != nil {
		return nil, err
	}
	closeSteps(s.steps)
	return s.plan, nil
}

func (r *Runner) prepare(ctx context.Context, write bool) (*setup, error) {
	cfg := r.Config
	if cfg.Output.Dir == "" {
		return nil, errors.New("no output directory: give -o DIR or output.dir")
	}
	d := outdir.Dir{Root: cfg.Output.Dir}
	if storage.IsRemote(cfg.Output.Dir) {
		if storage.IsURL(cfg.Output.Dir) {
			return nil, fmt.Errorf("%s: web URLs are read-only; write the output to a directory or s3://BUCKET/PREFIX", cfg.Output.Dir)
		}
		remote, err := outdir.NewRemote(cfg.Output.Dir, "")
		if err != nil {
			return nil, err
		}
		d = outdir.Dir{Root: remote.Local, Remote: remote}
		if err := remote.Pull(ctx, ".saring/plan.json", ".saring/done.json", "stats.json"); err != nil {
			return nil, err
		}
	}
	inputs, err := ExpandInputs(cfg.Input.Paths, cfg.Input.Format, cfg.Output.Dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(d.Root, 0o755); err != nil {
		return nil, err
	}
	local := *cfg
	local.Output.Dir = d.Root // side outputs (clusters.jsonl) are staged too
	steps, err := BuildSteps(&local, r.Registry, d.Path(".saring", "steps"))
	if err != nil {
		return nil, err
	}
	plan, err := NewPlan(cfg, steps, inputs, r.tasks())
	if err != nil {
		closeSteps(steps)
		return nil, err
	}
	s := &setup{dir: d, inputs: inputs, steps: steps, plan: plan, log: r.logger()}
	for _, st := range steps {
		if tc, ok := st.(interface{ TokenKey() string }); ok {
			s.tokenKeys = append(s.tokenKeys, tc.TokenKey())
		}
	}
	stdin := len(inputs) == 1 && inputs[0].Path == "-"
	old, err := LoadPlan(d.Root)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		closeSteps(steps)
		return nil, fmt.Errorf("%w (remove %s, or run with --restart)", err, d.Plan())
	}
	switch {
	case old == nil:
		// Outputs of a run from before plans existed, or of a crashed
		// first attempt, are not to be mixed with this one.
		if err := s.clean(ctx); err != nil {
			closeSteps(steps)
			return nil, fmt.Errorf("clearing the previous run's files: %w", err)
		}
	case r.Restart || stdin || plan.InMemory || (old.Fingerprint != plan.Fingerprint && r.Only == nil && fileExists(d.Done())):
		// Standard input cannot be read again: a run from it always starts over.
		if err := s.clean(ctx); err != nil {
			closeSteps(steps)
			return nil, fmt.Errorf("clearing the previous run's files: %w", err)
		}
	case old.Fingerprint != plan.Fingerprint:
		closeSteps(steps)
		what := "another configuration, other inputs or another task count"
		if old.Tasks != plan.Tasks {
			what = fmt.Sprintf("%d tasks (this one asks for %d)", old.Tasks, plan.Tasks)
		}
		return nil, fmt.Errorf("%s holds an unfinished run with %s; finish it with the same pipeline and inputs, start over with --restart, or use another output directory", cfg.Output.Dir, what)
	default:
		s.plan = old
		if err := s.pullTaskMarkers(ctx); err != nil {
			closeSteps(steps)
			return nil, err
		}
		return s, nil
	}
	if write {
		if err := os.MkdirAll(d.State(), 0o755); err != nil {
			closeSteps(steps)
			return nil, err
		}
		pf, err := MarshalPipelineFile(cfg)
		if err == nil {
			err = outdir.WriteFile(d.Path(".saring", "pipeline.yaml"), pf)
		}
		if err == nil {
			err = outdir.WriteJSON(d.Plan(), plan)
		}
		if err == nil {
			err = s.push(ctx, ".saring/pipeline.yaml", ".saring/plan.json")
		}
		if err != nil {
			closeSteps(steps)
			return nil, err
		}
	}
	return s, nil
}

// clean removes an earlier run, locally and, for a remote directory, there.
func (s *setup) clean(ctx context.Context) error {
	if err := clean(s.dir); err != nil {
		return err
	}
	if s.dir.Remote != nil {
		for _, p := range []string{"kept/", "removed/", "rejected/", ".saring/", "stats.json", "clusters.jsonl", "report.html"} {
			if err := s.dir.Remote.RemoveAll(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// pull and push move files between a remote output directory and its
// staging directory; for a local directory they do nothing.
func (s *setup) pull(ctx context.Context, rels ...string) error {
	if s.dir.Remote == nil {
		return nil
	}
	return s.dir.Remote.Pull(ctx, rels...)
}

func (s *setup) push(ctx context.Context, rels ...string) error {
	if s.dir.Remote == nil {
		return nil
	}
	return s.dir.Remote.Push(ctx, rels...)
}

func (s *setup) pushPaths(ctx context.Context, paths ...string) error {
	rels := make([]string, len(paths))
	for i, p := range paths {
		rels[i] = s.dir.Rel(p)
	}
	return s.push(ctx, rels...)
}

func (s *setup) pullPaths(ctx context.Context, paths ...string) error {
	rels := make([]string, len(paths))
	for i, p := range paths {
		rels[i] = s.dir.Rel(p)
		if strings.HasSuffix(p, string(filepath.Separator)) || strings.HasSuffix(p, "/") {
			rels[i] += "/"
		}
	}
	return s.pull(ctx, rels...)
}

// pullTaskMarkers stages every task marker of the plan (what currentStage
// and status read).
func (s *setup) pullTaskMarkers(ctx context.Context) error {
	for _, st := range s.plan.Stages {
		if err := s.pullPaths(ctx, filepath.Join(s.dir.Stage(st.Index), "tasks")+"/"); err != nil {
			return err
		}
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// LoadPlan reads the plan of the run in out.
func LoadPlan(out string) (*Plan, error) {
	var p Plan
	if err := outdir.ReadJSON(outdir.Dir{Root: out}.Plan(), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// Run runs the whole pipeline, or one task of it, and returns the merged
// statistics once the run is complete (nil after a task when other tasks
// are still to run).
func (r *Runner) Run(ctx context.Context) (*Stats, error) {
	s, err := r.prepare(ctx, true)
	if err != nil {
		return nil, err
	}
	defer closeSteps(s.steps)
	d := s.dir
	if r.Only == nil {
		lock, err := outdir.Acquire(d.RunLock(), "saring run into "+d.Root)
		if err != nil {
			return nil, err
		}
		defer lock.Release()
		if st, err := r.completed(s); st != nil || err != nil {
			return st, err
		}
		prog := newProgress(r.Progress, inputBytes(s.inputs))
		defer prog.stop()
		for _, st := range s.plan.Stages {
			for t := 0; t < st.Tasks; t++ {
				if err := r.runTask(ctx, s, st, t, prog); err != nil {
					return nil, err
				}
			}
		}
		prog.stop()
		return r.finish(s)
	}

	task, stage := r.Only.Task, r.Only.Stage
	if stage < 0 {
		stage = s.currentStage()
		if stage < 0 {
			return r.finish(s)
		}
	}
	if stage >= len(s.plan.Stages) {
		return nil, fmt.Errorf("--stage %d: the plan has stages 0..%d", stage, len(s.plan.Stages)-1)
	}
	st := s.plan.Stages[stage]
	if task >= st.Tasks {
		// A cluster array sized for the widest stage runs more tasks than a
		// narrow stage has: those have nothing to do.
		s.log.Info("no such task in this stage; nothing to do", "stage", stage, "task", task, "tasks", st.Tasks)
		return nil, nil
	}
	for e := 0; e < stage; e++ {
		if pending := s.pendingTasks(e); len(pending) > 0 {
			return nil, fmt.Errorf("%w: stage %d (%s) has %d unfinished tasks (%s); run them first", ErrPending, e, s.plan.Stages[e].Name, len(pending), taskList(pending))
		}
	}
	prog := newProgress(r.Progress, -1)
	defer prog.stop()
	if err := r.runTask(ctx, s, st, task, prog); err != nil {
		return nil, err
	}
	prog.stop()
	if err := s.pullTaskMarkers(ctx); err != nil {
		return nil, err
	}
	if s.currentStage() < 0 {
		return r.finish(s)
	}
	return nil, nil
}

func taskList(ts []int) string {
	var b strings.Builder
	for i, t := range ts {
		if i == 8 {
			fmt.Fprintf(&b, ", …")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(t))
	}
	return b.String()
}

func inputBytes(inputs []Input) int64 {
	var n int64
	for _, in := range inputs {
		if in.Size < 0 {
			return -1
		}
		n += in.Size
	}
	return n
}

// acquireWait takes a lock, waiting up to wait while a live process holds it.
func acquireWait(ctx context.Context, path, what string, wait time.Duration) (*outdir.Lock, error) {
	deadline := time.Now().Add(wait)
	for {
		l, err := outdir.Acquire(path, what)
		if err == nil || !errors.Is(err, outdir.ErrLocked) || time.Now().After(deadline) {
			return l, err
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// completed returns the stats of a run that is already complete.
func (r *Runner) completed(s *setup) (*Stats, error) {
	if !fileExists(s.dir.Done()) {
		return nil, nil
	}
	last := len(s.plan.Stages) - 1
	for t := 0; t < s.plan.Stages[last].Tasks; t++ {
		m, err := outdir.ReadMarker(s.dir.TaskMarker(last, t))
		if err == nil && m != nil {
			err = r.verifyTask(s, last, t, m)
		}
		if err != nil || m == nil {
			return nil, fmt.Errorf("%s is a finished run whose files no longer match their markers (%v); run again with --restart", s.dir.Root, err)
		}
	}
	st, err := s.dir.LoadStats()
	if err != nil {
		return r.finish(s)
	}
	s.log.Info("run already complete; nothing to do", "out", s.dir.Root)
	return st, nil
}

// currentStage is the first stage with an unfinished task, or -1.
func (s *setup) currentStage() int {
	for _, st := range s.plan.Stages {
		if len(s.pendingTasks(st.Index)) > 0 {
			return st.Index
		}
	}
	return -1
}

func (s *setup) pendingTasks(stage int) []int {
	var out []int
	for t := 0; t < s.plan.Stages[stage].Tasks; t++ {
		if !fileExists(s.dir.TaskMarker(stage, t)) {
			out = append(out, t)
		}
	}
	return out
}

// verifyTask checks a task marker and the unit markers it covers.
func (r *Runner) verifyTask(s *setup, stage, task int, m *outdir.Marker) error {
	if err := s.dir.Verify(m, r.VerifyChecksums); err != nil {
		return err
	}
	st := s.plan.Stages[stage]
	if st.Kind != StageDocs {
		return nil
	}
	rg := s.plan.Ranges[task]
	for u := rg[0]; u < rg[1]; u++ {
		um, err := outdir.ReadMarker(s.dir.UnitMarker(stage, u))
		if err != nil {
			return err
		}
		if um == nil {
			return fmt.Errorf("%w: unit %d has no marker", outdir.ErrMismatch, u)
		}
		if err := s.dir.Verify(um, r.VerifyChecksums); err != nil {
			return err
		}
	}
	return nil
}

// runTask runs one task unless its marker says it is done.
func (r *Runner) runTask(ctx context.Context, s *setup, st PlanStage, task int, prog *progress) error {
	d := s.dir
	lock, err := outdir.Acquire(d.TaskLock(st.Index, task), fmt.Sprintf("task %d of stage %d", task, st.Index))
	if err != nil {
		return err
	}
	defer lock.Release()
	if m, err := outdir.ReadMarker(d.TaskMarker(st.Index, task)); err != nil {
		s.log.Warn("unreadable task marker; redoing the task", "stage", st.Index, "task", task, "err", err)
	} else if m != nil {
		err := r.verifyTask(s, st.Index, task, m)
		if err == nil {
			s.log.Debug("task already done", "stage", st.Index, "task", task)
			return nil
		}
		s.log.Warn("task marker does not match its files; redoing the task", "stage", st.Index, "task", task, "err", err)
		os.Remove(d.TaskMarker(st.Index, task))
	}
	failed := filepath.Join(d.Stage(st.Index), "tasks", fmt.Sprintf("%05d.failed", task))
	os.Remove(failed)
	start := time.Now()
	cpu0 := rusage.CPU()
	io0 := storage.Stats()
	s.log.Debug("task", "stage", st.Index, "name", st.Name, "task", task)
	var m *outdir.Marker
	if st.Kind == StageDocs {
		m, err = r.runDocs(ctx, s, st, task, prog)
	} else {
		m, err = r.runDecide(ctx, s, st, task, prog)
	}
	if err != nil {
		if ctx.Err() == nil {
			if outdir.WriteFile(failed, []byte(err.Error()+"\n")) == nil {
				s.pushPaths(ctx, failed)
			}
		}
		return err
	}
	m.Stage, m.Task, m.Unit = st.Index, task, -1
	m.Seconds = time.Since(start).Seconds()
	m.CPUSeconds = (rusage.CPU() - cpu0).Seconds()
	m.PeakRSS = rusage.PeakRSS()
	if io1 := storage.Stats(); io1.Requests > io0.Requests {
		m.Storage = &outdir.StorageStats{Requests: io1.Requests - io0.Requests, Retries: io1.Retries - io0.Retries,
			BytesRead: io1.BytesRead - io0.BytesRead, BytesWritten: io1.BytesWritten - io0.BytesWritten}
	}
	if err := outdir.WriteMarker(d.TaskMarker(st.Index, task), m); err != nil {
		return err
	}
	if s.dir.Remote != nil {
		s.dir.Remote.RemoveAll(ctx, d.Rel(failed))
	}
	return s.pushPaths(ctx, d.TaskMarker(st.Index, task))
}

// runDecide runs one partition of a corpus step's decision.
func (r *Runner) runDecide(ctx context.Context, s *setup, st PlanStage, task int, prog *progress) (*outdir.Marker, error) {
	step := distributed(s.steps[st.Step])
	prog.phase(fmt.Sprintf("%s: deciding", step.Name()))
	defer prog.phase("")
	var mapDirs []string
	for u := range s.inputs {
		mapDirs = append(mapDirs, mapDir(s.dir, st.Source, u))
	}
	if err := s.pullPaths(ctx, filepath.Join(s.dir.Work(st.Source), "map")+"/"); err != nil {
		return nil, err
	}
	out := decideDir(s.dir, st.Index, task)
	if err := os.RemoveAll(out); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	if err := step.Reduce(ctx, mapDirs, task, out, s.plan.Route()); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("step %s: %w", step.Name(), err)
	}
	files, err := sumTree(s.dir, out)
	if err != nil {
		return nil, err
	}
	if s.dir.Remote != nil {
		if err := s.dir.Remote.PushTree(ctx, s.dir.Rel(out)); err != nil {
			return nil, err
		}
	}
	m := &outdir.Marker{Files: files}
	if ds, ok := step.(interface{ DecisionStats() any }); ok {
		if m.Stats, err = json.Marshal(ds.DecisionStats()); err != nil {
			return nil, err
		}
	}
	if w, ok := step.(interface{ Warnings() []string }); ok {
		m.Warnings = w.Warnings()
		for _, msg := range m.Warnings {
			s.log.Warn(msg)
		}
	}
	return m, nil
}

func mapDir(d outdir.Dir, stage, unit int) string {
	return filepath.Join(d.Work(stage), "map", fmt.Sprintf("%06d", unit))
}

func spoolPath(d outdir.Dir, stage, unit int) string {
	return filepath.Join(d.Work(stage), "spool", fmt.Sprintf("%06d.spool", unit))
}

func decideDir(d outdir.Dir, stage, part int) string {
	return filepath.Join(d.Work(stage), "out", fmt.Sprintf("%05d", part))
}

// sumTree records every file under dir for a marker.
func sumTree(d outdir.Dir, dir string) ([]outdir.FileSum, error) {
	var out []outdir.FileSum
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || strings.HasSuffix(e.Name(), ".tmp") {
			return err
		}
		fsum, err := d.Sum(p, 0)
		if err != nil {
			return err
		}
		out = append(out, fsum)
		return nil
	})
	return out, err
}

// finish merges the unit statistics of every stage, in stage and unit
// order, checks the accounting and writes stats.json; then the work files
// are removed and the run is marked complete.
func (r *Runner) finish(s *setup) (*Stats, error) {
	ctx := context.Background()
	// The last tasks of a run may finish at the same moment: one of them
	// merges, the others find the run complete.
	lock, err := acquireWait(ctx, s.dir.Path(".saring", "finish.lock"), "merging the run's statistics", time.Minute)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	if fileExists(s.dir.Done()) {
		if st, err := s.dir.LoadStats(); err == nil {
			return st, nil
		}
	}
	rs := newRunStats(s.steps)
	for _, st := range s.plan.Stages {
		if st.Kind == StageDocs {
			if err := s.pullPaths(ctx, filepath.Join(s.dir.Stage(st.Index), "units")+"/"); err != nil {
				return nil, err
			}
		}
	}
	var seconds float64
	var io outdir.StorageStats
	var res outdir.ResourceStats
	var unreadable []string
	for _, st := range s.plan.Stages {
		for t := 0; t < st.Tasks; t++ {
			if m, _ := outdir.ReadMarker(s.dir.TaskMarker(st.Index, t)); m != nil {
				seconds += m.Seconds
				io.Add(m.Storage)
				res.Add(m.CPUSeconds, m.PeakRSS)
				if st.Kind == StageDecide {
					if len(m.Stats) > 0 {
						rs.Steps[st.Step].Decisions = append(rs.Steps[st.Step].Decisions, m.Stats)
					}
					rs.Steps[st.Step].Warnings = append(rs.Steps[st.Step].Warnings, m.Warnings...)
				}
			}
		}
		if st.Kind != StageDocs {
			continue
		}
		for u := range s.inputs {
			m, err := outdir.ReadMarker(s.dir.UnitMarker(st.Index, u))
			if err != nil {
				return nil, err
			}
			if m == nil {
				return nil, fmt.Errorf("stage %d: unit %d (%s) has no marker; run the stage's tasks again", st.Index, u, s.inputs[u].Path)
			}
			us, err := decodeRunStats(m.Stats, s.steps)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.dir.UnitMarker(st.Index, u), err)
			}
			rs.merge(us)
			if st.Source < 0 && us.Totals.Rejected > 0 && us.Totals.Rejected == us.Totals.Read {
				unreadable = append(unreadable, s.inputs[u].Path)
			}
		}
	}
	stats := r.finishStats(rs, s.plan.Created, s.inputs)
	stats.TaskSeconds = seconds
	stats.Input.Unreadable = unreadable
	if io.Requests > 0 {
		stats.Storage = &io
	}
	if res.Tasks > 0 {
		res.Workers = r.Config.ResolvedWorkers()
		stats.Resources = &res
	}
	if err := checkAccounting(stats); err != nil {
		return stats, err
	}
	if err := outdir.WriteJSON(s.dir.Stats(), stats); err != nil {
		return stats, err
	}
	// A report of an earlier state of the directory would now mislead.
	os.Remove(s.dir.Path("report.html"))
	if s.dir.Remote != nil {
		s.dir.Remote.RemoveAll(ctx, "report.html")
	}
	if err := outdir.WriteJSON(s.dir.Done(), map[string]any{"finished": time.Now().UTC(), "fingerprint": s.plan.Fingerprint}); err != nil {
		return stats, err
	}
	if s.dir.Remote != nil {
		push := []string{"stats.json"}
		if fileExists(s.dir.Path("clusters.jsonl")) {
			push = append(push, "clusters.jsonl")
		}
		if err := s.push(ctx, append(push, ".saring/done.json")...); err != nil {
			return stats, err
		}
	}
	for _, st := range s.plan.Stages {
		os.RemoveAll(s.dir.Work(st.Index))
		if s.dir.Remote != nil {
			s.dir.Remote.RemoveAll(ctx, s.dir.Rel(s.dir.Work(st.Index))+"/")
		}
	}
	os.RemoveAll(s.dir.Path(".saring", "steps"))
	s.log.Info("run finished", "read", stats.Totals.Read, "kept", stats.Totals.Kept, "removed", stats.Totals.Removed,
		"rejected", stats.Totals.Rejected, "seconds", stats.WallSeconds, "out", s.dir.Root)
	return stats, nil
}

func checkAccounting(s *Stats) error {
	t := s.Totals
	if t.Read != t.Kept+t.Removed+t.Rejected {
		return fmt.Errorf("%w: read %d != kept %d + removed %d + rejected %d; this is a bug in saring, please report it", ErrAccounting, t.Read, t.Kept, t.Removed, t.Rejected)
	}
	for _, st := range s.Steps {
		if st.DocsIn != st.Kept+st.Removed {
			return fmt.Errorf("%w: step %s saw %d documents but kept %d and removed %d; this is a bug in saring", ErrAccounting, st.Name, st.DocsIn, st.Kept, st.Removed)
		}
	}
	return nil
}

func (r *Runner) finishStats(rs *runStats, start time.Time, inputs []Input) *Stats {
	var inBytes int64
	for _, in := range inputs {
		if in.Size > 0 {
			inBytes += in.Size
		}
	}
	for _, s := range rs.Steps {
		for _, h := range s.Measures {
			h.Trim()
		}
	}
	for _, h := range rs.Hists {
		h.Trim()
	}
	cfg, _ := json.Marshal(r.Config)
	return &Stats{
		Version:     r.Version,
		Started:     start.UTC().Format(time.RFC3339),
		WallSeconds: time.Since(start).Seconds(),
		Workers:     r.Config.ResolvedWorkers(),
		Config:      cfg,
		Input:       InputStats{Files: len(inputs), Bytes: inBytes, Skipped: rs.Skipped},
		Totals:      rs.Totals,
		Steps:       rs.Steps,
		Histograms:  rs.Hists,
		Languages:   rs.Languages,
		Tokens:      rs.Tokens,
	}
}

// MarshalJSON writes a step's options under their YAML keys.
func (s StepConfig) MarshalJSON() ([]byte, error) {
	out := map[string]any{"name": s.Name}
	if s.Options != nil {
		y, err := yaml.Marshal(s.Options)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := yaml.Unmarshal(y, &m); err != nil {
			return nil, err
		}
		out["options"] = m
	}
	return json.Marshal(out)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// unitSinks are the outputs of one unit in one docs stage.
type unitSinks struct {
	unit     int
	kept     *formats.ShardWriter
	removed  *formats.ShardWriter
	rejected *formats.ShardWriter
	spool    *spoolWriter
	mapper   saring.MapWriter
	stats    *runStats
	start    time.Time
	docs     int64 // records taken in: read (stage 0) or from the spool
	bytes    int64 // their text bytes
}

func (u *unitSinks) abort() {
	for _, w := range []*formats.ShardWriter{u.kept, u.removed, u.rejected} {
		if w != nil {
			w.Abort()
		}
	}
	if u.spool != nil {
		u.spool.abort()
	}
	if u.mapper != nil {
		u.mapper.Abort()
	}
}

// cleanUnit removes whatever an interrupted attempt at a unit left. Shards
// are written one after the other from number 0, so the names to try are
// known: no directory listing, which would cost a read of every other
// unit's files (quadratic over a run of many small inputs).
func cleanUnit(d outdir.Dir, cfg *Config, stage, unit int) error {
	prefix := outdir.ShardPrefix(stage, unit)
	for _, kind := range outdir.Kinds {
		ext := cfg.Output.Format
		if kind == outdir.Rejected {
			ext = "jsonl"
		}
		for n := 0; ; n++ {
			final := d.Path(kind, fmt.Sprintf("%s-%05d.%s", prefix, n, ext))
			errFinal := os.Remove(final)
			errTmp := os.Remove(outdir.TempName(final))
			if errors.Is(errFinal, fs.ErrNotExist) && errors.Is(errTmp, fs.ErrNotExist) {
				break
			}
		}
	}
	sp := spoolPath(d, stage, unit)
	os.Remove(sp)
	os.Remove(outdir.TempName(sp))
	os.Remove(d.UnitMarker(stage, unit))
	return os.RemoveAll(mapDir(d, stage, unit))
}
