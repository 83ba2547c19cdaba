package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/pipeline"
)

type runOptions struct {
	pipelineOptions
	task     int
	stage    int
	parallel int
	verify   bool
}

func newRunCommand(g *globalOptions, reg *saring.Registry) *cobra.Command {
	o := &runOptions{pipelineOptions: newPipelineOptions(), task: -1, stage: -1}
	cmd := &cobra.Command{
		Use:   "run [PIPELINE.yaml]",
		Short: "Run a pipeline over input files",
		Long: `Run a pipeline over input files and write OUTDIR/kept, OUTDIR/removed,
OUTDIR/rejected and OUTDIR/stats.json.

With a pipeline file, flags given on the command line override its values.
Relative paths in the file (inputs, output directory, models, word lists,
benchmark and tokenizer files) are relative to the file's directory; those
on the command line to the working directory. Without a file, -i and -o are
needed, and --steps picks the steps (default: the default pipeline; see
'saring steps --default').

Exit status: 0 when the run finished; 1 on an error (nothing under a final
name is partial; run again to continue); 3 when it finished but no record of
some input files could be read (they are named, and in rejected/); 130 when
interrupted.`,
		Example: `  saring run -i examples/ -o out
  saring run -i crawl/*.jsonl.zst -o out --steps normalize,gopher_quality --workers 8
  saring run pipeline.yaml -o out2`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.file = args[0]
			}
			o.set = cmd.Flags().Changed
			return runRun(cmd.Context(), g, reg, o)
		},
	}
	f := cmd.Flags()
	addPipelineFlags(f, &o.pipelineOptions)
	f.IntVar(&o.task, "task", o.task, "run only this task (0-based) of the current stage; default: $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX when --tasks > 1")
	f.IntVar(&o.stage, "stage", o.stage, "with --task: the stage the task belongs to (default: the first stage not finished)")
	f.IntVarP(&o.parallel, "parallel", "P", o.parallel, "run the tasks as this many processes on this machine, stage after stage")
	f.BoolVar(&o.verify, "verify", o.verify, "check the checksum of every file a finished task wrote before trusting its marker (default: sizes)")
	return cmd
}

// taskSpec says which part of the run this process does.
type taskSpec struct {
	tasks, task, stage, parallel int
	restart, verify              bool
}

func (o *runOptions) taskOptions() (taskSpec, error) {
	t := taskSpec{tasks: o.tasks, task: o.task, stage: o.stage, parallel: o.parallel, restart: o.restart, verify: o.verify}
	if t.tasks < 1 {
		return t, fmt.Errorf("--tasks must be >= 1")
	}
	set := func(flag string) bool { return o.set != nil && o.set(flag) }
	if !set("task") && !set("parallel") && t.tasks > 1 {
		for _, env := range []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"} {
			if v := os.Getenv(env); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					return t, fmt.Errorf("$%s=%q is not a task number", env, v)
				}
				t.task = n
				break
			}
		}
	}
	switch {
	case t.task >= 0 && t.task >= t.tasks:
		return t, fmt.Errorf("--task %d of --tasks %d: want 0 <= task < tasks", t.task, t.tasks)
	case t.task < -1:
		return t, fmt.Errorf("--task must be >= 0")
	case t.stage >= 0 && t.task < 0:
		return t, fmt.Errorf("--stage needs --task")
	case t.parallel < 0:
		return t, fmt.Errorf("--parallel must be >= 0")
	case t.parallel > 0 && t.task >= 0:
		return t, fmt.Errorf("--parallel runs every task; leave out --task")
	case t.restart && t.task >= 0:
		return t, fmt.Errorf("--restart would remove other tasks' work; run it without --task")
	}
	return t, nil
}

// runRun resolves the pipeline and runs it: all of it, one task of it
// (--task), or every task as processes on this machine (--parallel).
func runRun(ctx context.Context, g *globalOptions, reg *saring.Registry, o *runOptions) error {
	cfg, err := o.config(reg)
	if err != nil {
		return err
	}
	t, err := o.taskOptions()
	if err != nil {
		return err
	}
	return runConfig(ctx, g, reg, cfg, t)
}

func runConfig(ctx context.Context, g *globalOptions, reg *saring.Registry, cfg *pipeline.Config, t taskSpec) error {
	r := &pipeline.Runner{Config: cfg, Registry: reg, Log: g.logger(), Progress: g.progressWriter(), Version: saringVersion(),
		Tasks: t.tasks, Restart: t.restart, VerifyChecksums: t.verify}
	if t.task >= 0 {
		r.Only = &pipeline.TaskRef{Task: t.task, Stage: t.stage}
	}
	var st *pipeline.Stats
	var err error
	if t.parallel > 0 {
		if err = runLocal(ctx, g, r, t); err == nil {
			st, _ = outdir.Dir{Root: cfg.Output.Dir}.LoadStats()
		}
	} else {
		st, err = r.Run(ctx)
	}
	if err != nil {
		return err
	}
	return unreadableInputs(st)
}

// unreadableInputs is exit status 3 for a run that finished but could read
// no record of some input files (restic's convention): the output is whole
// for what was read, and the files named need a look.
func unreadableInputs(st *pipeline.Stats) error {
	if st == nil || len(st.Input.Unreadable) == 0 {
		return nil
	}
	names := st.Input.Unreadable
	more := ""
	if len(names) > 5 {
		names, more = names[:5], fmt.Sprintf(" and %d more", len(st.Input.Unreadable)-5)
	}
	return &exitError{code: 3, msg: fmt.Sprintf("saring: the run finished, but no record of %d input files could be read: %s%s (see rejected/)",
		len(st.Input.Unreadable), strings.Join(names, ", "), more)}
}
