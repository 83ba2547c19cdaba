package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/saring/saring"
	"github.com/saring/saring/pipeline"
)

// pipelineOptions resolve a pipeline: the file, if any, then the flags
// given over it. run, slurm submit and k8s take the same ones.
type pipelineOptions struct {
	file        string // PIPELINE.yaml; "" for flags and the default pipeline
	inputs      []string
	output      string
	steps       string
	workers     int
	format      string
	inputFormat string
	textKey     string
	idKey       string
	textMode    string
	memory      string
	shardDocs   int64
	noRemoved   bool
	compression string
	tasks       int
	restart     bool

	// set reports whether a flag was given; over a pipeline file only
	// those override it. nil: none was.
	set func(flag string) bool
}

// newPipelineOptions holds the defaults of the flags: pipeline.Defaults(),
// so that a run from flags is a run from an empty pipeline file.
func newPipelineOptions() pipelineOptions {
	d := pipeline.Defaults()
	return pipelineOptions{
		workers:     d.Workers,
		format:      d.Output.Format,
		inputFormat: d.Input.Format,
		textKey:     d.Input.TextKey,
		idKey:       d.Input.IDKey,
		textMode:    d.Input.TextMode,
		memory:      d.Memory.String(),
		shardDocs:   d.Output.ShardDocs,
		noRemoved:   !d.Output.Removed,
		compression: d.Output.Level,
		tasks:       1,
	}
}

// addPipelineFlags registers the flags that resolve a pipeline, with the
// same names and meanings in every command; o's values are the defaults.
func addPipelineFlags(f *pflag.FlagSet, o *pipelineOptions) {
	f.StringArrayVarP(&o.inputs, "input", "i", o.inputs, "input file, directory, glob or - (repeatable)")
	f.StringVarP(&o.output, "output", "o", o.output, "output directory")
	f.StringVar(&o.steps, "steps", o.steps, "comma-separated steps to run instead of the default pipeline")
	f.IntVarP(&o.workers, "workers", "w", o.workers, "parallel workers per task (0: the CPUs the task is given)")
	f.StringVar(&o.format, "format", o.format, "output format: jsonl, jsonl.gz, jsonl.zst, parquet, megatron or datatrove_tokens")
	f.StringVar(&o.inputFormat, "input-format", o.inputFormat, "input format: auto, jsonl, text, parquet, warc or wet")
	f.StringVar(&o.textKey, "text-key", o.textKey, "JSONL key or Parquet column of the text")
	f.StringVar(&o.idKey, "id-key", o.idKey, "JSONL key or Parquet column of the id")
	f.StringVar(&o.textMode, "text-mode", o.textMode, "plain text input: file (one document per file) or line")
	f.StringVar(&o.memory, "memory", o.memory, "memory budget of each task for corpus-wide steps such as dedup")
	f.Int64Var(&o.shardDocs, "shard-docs", o.shardDocs, "documents per output file (0: no limit)")
	f.StringVar(&o.compression, "compression", o.compression, "compression effort for .gz and .zst output: fastest, default, better or best")
	f.BoolVar(&o.noRemoved, "no-removed", o.noRemoved, "do not write removed documents (they are still counted)")
	f.IntVar(&o.tasks, "tasks", o.tasks, "split every stage into this many tasks (input files go to tasks as contiguous ranges of the sorted input list, balanced by size)")
	f.BoolVar(&o.restart, "restart", o.restart, "remove the earlier run in the output directory and start over (default: continue it)")
}

// given reports whether flag's value is to be used: always without a
// pipeline file (the defaults are a file's), else when it was given.
func (o *pipelineOptions) given(flag string) bool {
	return o.file == "" || (o.set != nil && o.set(flag))
}

// config resolves the pipeline: the file (its relative paths relative to
// its directory), then the flags (relative to the working directory), then
// the one Validate.
func (o *pipelineOptions) config(reg *saring.Registry) (*pipeline.Config, error) {
	var cfg *pipeline.Config
	if o.file != "" {
		c, err := pipeline.LoadFile(o.file, reg)
		if err != nil {
			return nil, err
		}
		cfg = c
	} else {
		c := pipeline.Defaults()
		cfg = &c
		if len(o.inputs) == 0 || o.output == "" {
			return nil, fmt.Errorf("give inputs and an output directory: saring run -i INPUT -o OUTDIR (or a pipeline file)")
		}
	}
	given := o.given
	if given("input") && len(o.inputs) > 0 {
		cfg.Input.Paths = o.inputs
	}
	if given("output") && o.output != "" {
		cfg.Output.Dir = o.output
	}
	if given("workers") {
		if o.workers < 0 {
			return nil, fmt.Errorf("--workers must be >= 0")
		}
		cfg.Workers = o.workers
	}
	for _, s := range []struct {
		flag string
		dst  *string
		val  string
	}{
		{"format", &cfg.Output.Format, o.format},
		{"input-format", &cfg.Input.Format, o.inputFormat},
		{"text-key", &cfg.Input.TextKey, o.textKey},
		{"id-key", &cfg.Input.IDKey, o.idKey},
		{"text-mode", &cfg.Input.TextMode, o.textMode},
		{"compression", &cfg.Output.Level, o.compression},
	} {
		if given(s.flag) {
			*s.dst = s.val
		}
	}
	if given("shard-docs") {
		cfg.Output.ShardDocs = o.shardDocs
	}
	if given("no-removed") {
		cfg.Output.Removed = !o.noRemoved
	}
	if given("memory") {
		n, err := pipeline.ParseByteSize(o.memory)
		if err != nil {
			return nil, fmt.Errorf("--memory: %w", err)
		}
		cfg.Memory = pipeline.ByteSize(n)
	}
	switch {
	// --steps "" given is a run with no steps (the spine benchmarks time it), not the default.
	case o.set != nil && o.set("steps"), o.file == "" && o.steps != "":
		steps, err := pipeline.StepsFromNames(strings.Split(o.steps, ","), reg)
		if err != nil {
			return nil, err
		}
		cfg.Steps = steps
	case o.file == "":
		steps, err := pipeline.DefaultSteps(reg)
		if err != nil {
			return nil, err
		}
		cfg.Steps = steps
	}
	if len(cfg.Input.Paths) == 0 {
		return nil, fmt.Errorf("no inputs: give -i INPUT or input.paths")
	}
	if cfg.Output.Dir == "" {
		return nil, fmt.Errorf("no output directory: give -o OUTDIR or output.dir")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}
