package saring

import (
	"fmt"
	"sort"
)

// Env is what the runner tells a step when it is built.
type Env struct {
	// WorkDir is a private directory the step may use for state (spill
	// files, indexes); it lives under the run's output directory.
	WorkDir string
	// OutDir is the run's output directory (for side outputs such as clusters.jsonl).
	OutDir string
	// Workers is the number of workers the run uses.
	Workers int
	// MemoryBytes is the memory budget for steps that hold corpus-wide state (0: no limit set).
	MemoryBytes int64
}

// Spec describes a step kind: its name, its options with their defaults, and
// how to build it. The options struct is the schema: its yaml tags are the
// keys a pipeline file may use, its `doc` tags the documentation shown by
// `saring steps`, and the values returned by Options the defaults.
type Spec struct {
	Name string
	Doc  string // one line
	// Options returns a pointer to a new options struct holding the defaults,
	// or nil when the step takes no options.
	Options func() any
	// New builds the step from options (of the type Options returns).
	New func(opts any, env Env) (Step, error)
}

// NewSpec is the Spec of a step whose options are of type O: Options gives
// a pointer to defaults(), and New does the one type assertion, validates
// the options (when O is a Validator) and calls build with them. A step
// without options registers a Spec with Options nil instead.
func NewSpec[O any, S Step](name, doc string, defaults func() O, build func(O, Env) (S, error)) Spec {
	return Spec{
		Name:    name,
		Doc:     doc,
		Options: func() any { o := defaults(); return &o },
		New: func(opts any, env Env) (Step, error) {
			o, ok := opts.(*O)
			if !ok {
				return nil, fmt.Errorf("step %s: options of type %T, want %T", name, opts, o)
			}
			if v, ok := any(o).(Validator); ok {
				if err := v.Validate(); err != nil {
					return nil, err
				}
			}
			s, err := build(*o, env)
			if err != nil {
				return nil, err
			}
			return s, nil
		},
	}
}

// Validator is implemented by options structs that check their values.
// Return a *FieldError so that the message can name the file, line and key.
type Validator interface {
	Validate() error
}

// MetadataReader is implemented by options structs whose step, as
// configured, reads metadata keys that an earlier step or the input must
// provide: a filter with language: auto reads metadata.language. saring
// check and saring run refuse a pipeline in which no one provides them,
// rather than let the step judge every document by a fallback.
type MetadataReader interface {
	ReadsMetadata() []string
}

// MetadataWriter is implemented by options structs whose step writes
// metadata keys that later steps may read.
type MetadataWriter interface {
	WritesMetadata() []string
}

// FieldError is an invalid option value; Field is its yaml key.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Registry maps step names to specs. It is built explicitly in one place
// (internal/steps) rather than by init() side effects.
type Registry struct {
	specs map[string]Spec
}

func NewRegistry() *Registry { return &Registry{specs: map[string]Spec{}} }

// Register adds a spec; registering a name twice is a programming error.
func (r *Registry) Register(s Spec) {
	if _, dup := r.specs[s.Name]; dup {
		panic(fmt.Sprintf("saring: step %q registered twice", s.Name))
	}
	r.specs[s.Name] = s
}

func (r *Registry) Lookup(name string) (Spec, bool) {
	s, ok := r.specs[name]
	return s, ok
}

// Names returns the registered step names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.specs))
	for n := range r.specs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
