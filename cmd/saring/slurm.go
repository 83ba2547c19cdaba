package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/executor"
	"github.com/saring/saring/pipeline"
)

// planned is a run planned for a cluster executor: the plan, the stages with
// the tasks still to do, and the absolute paths tasks use.
type planned struct {
	cfg      *pipeline.Config
	plan     *pipeline.Plan
	stages   []executor.Stage
	out      string // absolute output directory
	pipeline string // OUT/.saring/pipeline.yaml
	dir      string // working directory of the tasks
}

// planForCluster resolves the pipeline, runs Prepare (writing plan.json and
// the resolved pipeline file), and lists the tasks still to do.
func planForCluster(ctx context.Context, g *globalOptions, reg *saring.Registry, o *pipelineOptions) (*planned, error) {
	cfg, err := o.config(reg)
	if err != nil {
		return nil, err
	}
	if o.tasks < 1 {
		return nil, fmt.Errorf("--tasks must be >= 1")
	}
	for _, p := range cfg.Input.Paths {
		if p == "-" {
			return nil, fmt.Errorf("standard input cannot be read by cluster tasks: give files")
		}
	}
	r := &pipeline.Runner{Config: cfg, Registry: reg, Log: g.logger(), Version: saringVersion(), Tasks: o.tasks, Restart: o.restart}
	plan, err := r.Prepare(ctx)
	if err != nil {
		return nil, err
	}
	out, err := filepath.Abs(cfg.Output.Dir)
	if err != nil {
		return nil, err
	}
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	st, err := loadStatus(out)
	if err != nil {
		return nil, err
	}
	return &planned{cfg: cfg, plan: plan, stages: clusterStages(st), out: out, dir: dir,
		pipeline: filepath.Join(out, ".saring", "pipeline.yaml")}, nil
}

// clusterStages are the plan's stages with every task not done as to do.
// When every task is done but the run is not complete (the last task was
// stopped after its marker, before it merged stats.json), task 0 of the
// last stage is to do again: it finds its work done and merges.
func clusterStages(st *runStatus) []executor.Stage {
	var stages []executor.Stage
	for _, s := range st.Stages {
		es := executor.Stage{Index: s.Index, Name: s.Name, Kind: s.Kind, Tasks: len(s.Tasks)}
		for _, t := range s.Tasks {
			if t.State != "done" {
				es.Todo = append(es.Todo, t.Task)
			}
		}
		stages = append(stages, es)
	}
	if !st.Complete && st.allTasksDone() && len(stages) > 0 {
		stages[len(stages)-1].Todo = []int{0}
	}
	return stages
}

type slurmSubmitOptions struct {
	run    pipelineOptions
	sl     executor.SlurmOptions
	dryRun bool
}

func newSlurmCommand(g *globalOptions, reg *saring.Registry) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "slurm",
		Short: "Run a pipeline on a Slurm cluster as array jobs, one per stage",
	}
	cmd.AddCommand(newSlurmSubmitCommand(g, reg))
	return cmd
}

func newSlurmSubmitCommand(g *globalOptions, reg *saring.Registry) *cobra.Command {
	o := &slurmSubmitOptions{run: newPipelineOptions(), sl: executor.SlurmOptions{JobName: "saring"}}
	cmd := &cobra.Command{
		Use:   "submit [PIPELINE.yaml]",
		Short: "Plan a run and submit its stages as sbatch array jobs chained with afterok",
		Long: `Plan the run (as saring run --tasks N does), write one sbatch script per
stage to OUTDIR/.saring/slurm/stage-SS.sbatch and submit them with
sbatch --parsable, each stage with --dependency=afterok on the one before it
(and --kill-on-invalid-dep=yes, so a failed stage cancels the ones after it).

Every task runs
  cd DIR && saring run OUTDIR/.saring/pipeline.yaml --tasks N --stage S --task $SLURM_ARRAY_TASK_ID
from the directory submit ran in, so that directory, the output directory and
the inputs must be on a file system the compute nodes share, at the same paths.
Per-task logs go to OUTDIR/.saring/logs/stage-SS-task-TTTTT.log; job ids to
OUTDIR/.saring/slurm/jobs.json, which saring status reads.

Submitting again after failures submits only the unfinished tasks: the array
of each stage lists the tasks without a marker, and finished stages are left
out. It refuses while tasks of an earlier submission are still queued or
running. --dry-run prints the scripts and the sbatch commands instead.`,
		Example: `  saring slurm submit pipeline.yaml --tasks 64 --partition cpu --time 4:00:00 --mem 16G --cpus-per-task 8
  saring slurm submit -i crawl/ -o out --tasks 8 --max-parallel 4 --dry-run
  saring slurm submit pipeline.yaml --tasks 64 --sbatch-arg=--account=lm --sbatch-arg=--qos=low`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.run.file = args[0]
			}
			o.run.set = cmd.Flags().Changed
			return runSlurmSubmit(cmd.Context(), g, reg, o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	addPipelineFlags(f, &o.run)
	f.IntVar(&o.sl.MaxParallel, "max-parallel", o.sl.MaxParallel, "run at most this many tasks of a stage at once (the array's %M; 0: no limit)")
	f.StringVar(&o.sl.Partition, "partition", o.sl.Partition, "sbatch --partition")
	f.StringVar(&o.sl.Time, "time", o.sl.Time, "sbatch --time: the time limit of each task, e.g. 4:00:00")
	f.StringVar(&o.sl.Mem, "mem", o.sl.Mem, "sbatch --mem: memory of each task, e.g. 16G (keep --memory, the dedup budget, well below it)")
	f.IntVar(&o.sl.CPUsPerTask, "cpus-per-task", o.sl.CPUsPerTask, "sbatch --cpus-per-task, also each task's --workers")
	f.StringArrayVar(&o.sl.Extra, "sbatch-arg", o.sl.Extra, "a further sbatch argument for every stage, e.g. --sbatch-arg=--account=lm (repeatable)")
	f.StringVar(&o.sl.JobName, "job-name", o.sl.JobName, "prefix of the jobs' names (NAME-SS-STAGE)")
	f.StringVar(&o.sl.Saring, "saring", o.sl.Saring, "the saring executable as the compute nodes see it (default: this one)")
	f.BoolVar(&o.dryRun, "dry-run", o.dryRun, "print the scripts and the sbatch commands, submit nothing")
	return cmd
}

// runSlurmSubmit plans the run and submits (or with dryRun prints) its
// stages' array jobs, reporting to w.
func runSlurmSubmit(ctx context.Context, g *globalOptions, reg *saring.Registry, o *slurmSubmitOptions, w io.Writer) error {
	p, err := planForCluster(ctx, g, reg, &o.run)
	if err != nil {
		return err
	}
	sl := o.sl
	sl.Out, sl.Pipeline, sl.Dir, sl.Tasks, sl.Workers = p.out, p.pipeline, p.dir, p.plan.Tasks, p.cfg.Workers
	if sl.Saring == "" {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		sl.Saring = exe
	}
	scripts, err := executor.SlurmScripts(p.stages, sl)
	if err != nil {
		return err
	}
	if err := executor.WriteScripts(sl, scripts); err != nil {
		return err
	}
	if o.dryRun {
		fmt.Fprint(w, executor.DryRun(scripts))
		return nil
	}
	if len(scripts) == 0 {
		fmt.Fprintf(w, "every task of every stage is done; nothing to submit (saring status %s)\n", p.out)
		return nil
	}
	jobs, err := executor.LoadJobs(p.out)
	if err != nil {
		return err
	}
	if err := executor.Resubmittable(ctx, sl, jobs); err != nil {
		return err
	}
	sub, err := executor.Submit(ctx, sl, scripts)
	if err != nil {
		return err
	}
	jobs.Submissions = append(jobs.Submissions, *sub)
	if err := jobs.Save(p.out); err != nil {
		return fmt.Errorf("jobs were submitted (%v) but not recorded: %w", jobIDs(sub), err)
	}
	for _, j := range sub.Jobs {
		fmt.Fprintf(w, "stage %d (%s): job %s, tasks %s\n", j.Stage, j.Name, j.JobID, j.Array)
	}
	fmt.Fprintf(w, "logs: %s\nfollow with: saring status %s\n", executor.LogsDir(p.out), p.out)
	return nil
}

func jobIDs(s *executor.Submission) []string {
	var ids []string
	for _, j := range s.Jobs {
		ids = append(ids, j.JobID)
	}
	return ids
}
