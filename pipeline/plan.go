package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/saring/saring"
)

// Plan is how a run is split, computed once up front and stored in
// OUT/.saring/plan.json so that every task, in any process, works from the
// same one.
//
// Stages split at each corpus-wide step. A docs stage reads units (stage 0:
// input files; later: the spools the previous docs stage left), runs its
// steps on every document and either writes the output (the last stage) or
// spools the survivors and records the next corpus step's first pass. A
// decide stage runs a corpus step's decision, partitioned by key hash.
//
// Units are assigned to the tasks of a docs stage as contiguous ranges of
// the run's input list, balanced by size: task t takes the files whose
// middle byte, counted over the whole list, falls in the t-th of N equal
// parts. A document's Seq depends only on its file's place in the list, so
// every keep-first choice is the same for any number of tasks.
type Plan struct {
	Fingerprint string      `json:"fingerprint"`
	Created     time.Time   `json:"created"`
	Tasks       int         `json:"tasks"`
	Inputs      []Input     `json:"inputs"`
	Ranges      [][2]int    `json:"ranges"` // units [from, to) of each task of a docs stage
	Stages      []PlanStage `json:"stages"`
	Steps       []string    `json:"steps"`
	// InMemory is set when a corpus step keeps its state in the process
	// (no distributed form): such a run starts over instead of resuming.
	InMemory bool `json:"in_memory,omitempty"`
}

// Stage kinds.
const (
	StageDocs   = "docs"
	StageDecide = "decide"
)

// PlanStage is one stage of a plan.
type PlanStage struct {
	Index int    `json:"index"`
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Tasks int    `json:"tasks"`
	// Docs stages run steps[From:To]; with Apply, steps[From] is a corpus
	// step whose decisions the stage applies. When To < len(steps),
	// steps[To] is the corpus step whose first pass the stage records.
	From  int  `json:"from"`
	To    int  `json:"to"`
	Apply bool `json:"apply,omitempty"`
	// Source is the docs stage whose spools this docs stage reads, or
	// whose first-pass records this decide stage reads (-1: the inputs).
	Source int `json:"source"`
	// Step is the corpus step a decide stage decides for.
	Step int `json:"step"`
}

// Last reports whether s is the plan's last stage.
func (p *Plan) Last(s int) bool { return s == len(p.Stages)-1 }

// TaskOf returns the docs-stage task that holds unit u.
func (p *Plan) TaskOf(u int) int {
	// Ranges are contiguous and their ends never decrease: the owner is the
	// first task whose range ends after u.
	return min(sort.Search(len(p.Ranges), func(t int) bool { return p.Ranges[t][1] > u }), len(p.Ranges)-1)
}

// Route is the route of documents to the tasks of a docs stage.
func (p *Plan) Route() saring.Route {
	return saring.Route{Tasks: p.Tasks, Task: func(seq uint64) int { return p.TaskOf(int(seq >> 40)) }}
}

// assignUnits splits inputs into n contiguous ranges balanced by size.
func assignUnits(inputs []Input, n int) [][2]int {
	var total float64
	w := make([]float64, len(inputs))
	for i, in := range inputs {
		w[i] = float64(max(in.Size, 0)) + 1 // +1: empty files still count
		total += w[i]
	}
	ranges := make([][2]int, n)
	var before float64
	t := 0
	start := 0
	for i := range inputs {
		mid := before + w[i]/2
		for t < n-1 && mid >= total*float64(t+1)/float64(n) {
			ranges[t] = [2]int{start, i}
			start = i
			t++
		}
		before += w[i]
	}
	for ; t < n; t++ {
		ranges[t] = [2]int{start, len(inputs)}
		start = len(inputs)
	}
	return ranges
}

// NewPlan computes the plan for cfg over inputs in tasks tasks.
func NewPlan(cfg *Config, steps []saring.Step, inputs []Input, tasks int) (*Plan, error) {
	if tasks < 1 {
		tasks = 1
	}
	p := &Plan{Tasks: tasks, Inputs: inputs, Ranges: assignUnits(inputs, tasks), Created: time.Now().UTC()}
	for _, s := range steps {
		p.Steps = append(p.Steps, s.Name())
	}
	for _, in := range inputs {
		if in.Path == "-" && tasks > 1 {
			return nil, fmt.Errorf("standard input cannot be split into tasks: give files, or --tasks 1")
		}
	}
	from, source := 0, -1
	apply := false
	for {
		to := len(steps)
		for i := from; i < len(steps); i++ {
			if apply && i == from {
				continue
			}
			if _, ok := steps[i].(saring.CorpusStep); ok {
				to = i
				break
			}
		}
		docs := PlanStage{Index: len(p.Stages), Kind: StageDocs, Tasks: tasks, From: from, To: to, Apply: apply, Source: source, Step: -1}
		docs.Name = stageName(p.Steps, docs)
		p.Stages = append(p.Stages, docs)
		if to == len(steps) {
			break
		}
		if _, ok := steps[to].(saring.Distributed); !ok {
			if tasks > 1 {
				return nil, fmt.Errorf("step %s is corpus-wide and has no distributed form, so it cannot run in --tasks %d; run it with --tasks 1, or leave it out", steps[to].Name(), tasks)
			}
			p.InMemory = true
		}
		d := distributed(steps[to])
		parts := min(max(d.Partitions(tasks), 1), tasks)
		p.Stages = append(p.Stages, PlanStage{Index: len(p.Stages), Kind: StageDecide, Tasks: parts,
			Name: steps[to].Name() + ": decide", Source: docs.Index, Step: to, From: to, To: to})
		from, source, apply = to, docs.Index, true
	}
	p.Fingerprint = fingerprint(cfg, inputs, tasks)
	return p, nil
}

func stageName(steps []string, s PlanStage) string {
	var parts []string
	if s.Source < 0 {
		parts = append(parts, "read")
	}
	for i := s.From; i < s.To; i++ {
		n := steps[i]
		if s.Apply && i == s.From {
			n += " (apply)"
		}
		parts = append(parts, n)
	}
	if s.To < len(steps) {
		parts = append(parts, steps[s.To]+" (first pass)")
	} else {
		parts = append(parts, "write")
	}
	return strings.Join(parts, " → ")
}

// fingerprint identifies what a run computes: the configuration that
// changes output (not workers or the memory budget), the inputs with their
// sizes, and the task count.
func fingerprint(cfg *Config, inputs []Input, tasks int) string {
	c := *cfg
	c.Workers, c.Memory = 0, 0
	c.Output.Dir = ""
	b, _ := json.Marshal(struct {
		Config *Config
		Inputs []Input
		Tasks  int
	}{&c, inputs, tasks})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}

// MarshalPipelineFile writes cfg as a pipeline file that LoadFile reads back
// to the same configuration: what every task of a multi-process run loads.
func MarshalPipelineFile(cfg *Config) ([]byte, error) {
	type out struct {
		// The tasks run where the plan was made (cd DIR), so the paths,
		// already relative to there, are not to be joined to this file's
		// directory again.
		PathsRelativeTo string       `yaml:"paths_relative_to"`
		Input           InputConfig  `yaml:"input"`
		Output          OutputConfig `yaml:"output"`
		Workers         int          `yaml:"workers"`
		Memory          int64        `yaml:"memory"`
		Steps           []any        `yaml:"steps"`
	}
	o := out{PathsRelativeTo: RelativeToWorkingDirectory, Input: cfg.Input, Output: cfg.Output, Workers: cfg.Workers, Memory: int64(cfg.Memory)}
	for _, s := range cfg.Steps {
		if s.Options == nil {
			o.Steps = append(o.Steps, s.Name)
			continue
		}
		o.Steps = append(o.Steps, map[string]any{s.Name: optionsMap(s.Options)})
	}
	b, err := yaml.Marshal(o)
	if err != nil {
		return nil, err
	}
	return append([]byte("# Written by saring: the resolved pipeline every task of this run loads.\n"), b...), nil
}

func (b ByteSize) MarshalYAML() (any, error) { return int64(b), nil }

// inMemory runs a CorpusStep that has no distributed form in one process:
// its first pass is Add, its decision Finish. Its state lives only in this
// process, so a plan holding one is never resumed (Plan.InMemory) and
// cannot be split into tasks.
type inMemory struct{ saring.CorpusStep }

func (m inMemory) Partitions(int) int { return 1 }
func (m inMemory) NewMap(string, int) (saring.MapWriter, error) {
	return inMemoryMap{m.CorpusStep}, nil
}
func (m inMemory) Reduce(ctx context.Context, _ []string, _ int, _ string, _ saring.Route) error {
	return m.Finish(ctx)
}
func (m inMemory) Load(context.Context, []string, int) error { return nil }

type inMemoryMap struct{ c saring.CorpusStep }

func (m inMemoryMap) Add(ctx context.Context, doc *saring.Document) error { return m.c.Add(ctx, doc) }
func (m inMemoryMap) Close() error                                        { return nil }
func (m inMemoryMap) Abort()                                              {}

// distributed returns the distributed form of a corpus step.
func distributed(s saring.Step) saring.Distributed {
	if d, ok := s.(saring.Distributed); ok {
		return d
	}
	return inMemory{s.(saring.CorpusStep)}
}

// optionsMap is a step's options by YAML key, leaving out nil lists and
// maps: a step reads "not set" (nil: its defaults) differently from an
// empty list, and a pipeline file cannot say nil otherwise.
func optionsMap(opts any) any {
	v := reflect.ValueOf(opts)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return opts
	}
	out := map[string]any{}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if !f.IsExported() || key == "-" {
			continue
		}
		if key == "" {
			key = strings.ToLower(f.Name)
		}
		fv := v.Field(i)
		switch fv.Kind() {
		case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
			if fv.IsNil() {
				continue
			}
		}
		out[key] = fv.Interface()
	}
	return out
}
