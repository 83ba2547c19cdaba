package decontam

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/saring/saring"
)

// StepName is the name of the decontaminate step.
const StepName = "decontaminate"

// MetaKey is the metadata key of what the step found on a document.
const MetaKey = "decontam"

// MeasurePrefix starts the name of the per-benchmark measure: its count in
// stats.json is the documents matching the benchmark, its sum their
// matching n-grams.
const MeasurePrefix = "hits:"

// Reason is the removal reason of a contaminated document.
const Reason = "contaminated"

// Register adds the decontaminate step.
func Register(r *saring.Registry) {
	r.Register(saring.NewSpec(StepName,
		"find word n-grams (13 by default) of benchmark passages in documents, after normalization; drop the document or cut the matched spans; metadata.decontam names the benchmark and n-gram",
		DefaultOptions,
		func(o Options, env saring.Env) (*Decontaminate, error) {
			s, err := New(o)
			if err != nil {
				return nil, err
			}
			// The index is corpus-wide state held for the whole run.
			if b := s.x.Bytes(); env.MemoryBytes > 0 && b > env.MemoryBytes {
				return nil, &saring.FieldError{Field: "benchmarks", Msg: fmt.Sprintf("the index of %d n-grams takes %d MiB, over the memory budget of %d MiB (memory:)", s.x.Len(), b>>20, env.MemoryBytes>>20)}
			}
			return s, nil
		}))
}

// Options configures the decontaminate step.
type Options struct {
	Benchmarks []Benchmark `yaml:"benchmarks" doc:"benchmark files: a path, or {name, path, format, fields}; fields are read in order as one passage"`
	NGram      int         `yaml:"ngram" doc:"n-gram length in words (13 as in GPT-3's overlap analysis; datatrove's default is 12)"`
	Action     string      `yaml:"action" doc:"drop: remove a matching document; cut: remove the matched spans and keep the rest (dropped when nothing but white space is left)"`
	MinMatches int         `yaml:"min_matches" doc:"matching n-gram positions a document must hold to count as contaminated"`
}

// DefaultOptions are 13-grams, dropping on the first match.
func DefaultOptions() Options { return Options{NGram: 13, Action: "drop", MinMatches: 1} }

// Validate checks option values.
func (o *Options) Validate() error {
	if len(o.Benchmarks) == 0 {
		return &saring.FieldError{Field: "benchmarks", Msg: "give at least one benchmark file"}
	}
	names := map[string]bool{}
	for i, b := range o.Benchmarks {
		if b.Path == "" {
			return &saring.FieldError{Field: "benchmarks", Msg: fmt.Sprintf("benchmarks[%d]: path is required", i)}
		}
		switch b.Format {
		case "", "auto", "jsonl", "parquet", "text":
		default:
			return &saring.FieldError{Field: "benchmarks", Msg: fmt.Sprintf("benchmarks[%d]: format must be auto, jsonl, parquet or text", i)}
		}
		n := b.DefaultName()
		if names[n] {
			return &saring.FieldError{Field: "benchmarks", Msg: fmt.Sprintf("benchmarks[%d]: name %q given twice (set name)", i, n)}
		}
		names[n] = true
	}
	if o.NGram < 1 || o.NGram > 1000 {
		return &saring.FieldError{Field: "ngram", Msg: "must be between 1 and 1000"}
	}
	if o.Action != "drop" && o.Action != "cut" {
		return &saring.FieldError{Field: "action", Msg: "must be drop or cut"}
	}
	if o.MinMatches < 1 {
		return &saring.FieldError{Field: "min_matches", Msg: "must be >= 1"}
	}
	return nil
}

// Load reads the benchmarks of o into an index.
func Load(o Options) (*Index, error) {
	x := NewIndex(o.NGram)
	for _, b := range o.Benchmarks {
		files, err := b.files()
		if err != nil {
			return nil, fmt.Errorf("benchmark %s: %w", b.DefaultName(), err)
		}
		if err := x.StartBenchmark(b.DefaultName()); err != nil {
			return nil, err
		}
		for _, f := range files {
			err := readBenchmark(f, b.Format, b.fields(), func(texts []string) error {
				if len(texts) == 0 {
					return nil
				}
				return x.AddPassage(texts...)
			})
			if err != nil {
				return nil, fmt.Errorf("benchmark %s: %w", b.DefaultName(), err)
			}
		}
	}
	return x, nil
}

// Decontaminate is the step.
type Decontaminate struct {
	o     Options
	x     *Index
	names []string
	pool  sync.Pool
}

// indexes shares one index between steps loading the same files (the
// tasks of a run in one process), keyed by the options and the files'
// sizes and times.
var indexes sync.Map // string -> *indexOnce

type indexOnce struct {
	once sync.Once
	x    *Index
	err  error
}

func cacheKey(o Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\x00", o.NGram)
	for _, bm := range o.Benchmarks {
		files, _ := bm.files()
		fmt.Fprintf(&b, "%s\x00%s\x00%s\x00", bm.DefaultName(), bm.Format, strings.Join(bm.fields(), "\x01"))
		for _, f := range files {
			st, err := os.Stat(f)
			if err != nil {
				return "" // not cached: Load reports the error
			}
			fmt.Fprintf(&b, "%s\x00%d\x00%d\x00", f, st.Size(), st.ModTime().UnixNano())
		}
	}
	return b.String()
}

// New loads the benchmarks and builds the step.
func New(o Options) (*Decontaminate, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	var x *Index
	var err error
	if key := cacheKey(o); key != "" {
		v, _ := indexes.LoadOrStore(key, &indexOnce{})
		e := v.(*indexOnce)
		e.once.Do(func() { e.x, e.err = Load(o) })
		x, err = e.x, e.err
	} else {
		x, err = Load(o)
	}
	if err != nil {
		return nil, &saring.FieldError{Field: "benchmarks", Msg: err.Error()}
	}
	return NewWith(o, x), nil
}

// NewWith builds the step around a loaded index.
func NewWith(o Options, x *Index) *Decontaminate {
	if o.MinMatches < 1 {
		o.MinMatches = 1
	}
	if o.Action == "" {
		o.Action = "drop"
	}
	return &Decontaminate{o: o, x: x, names: x.Benchmarks(), pool: sync.Pool{New: func() any { return new(scan) }}}
}

// Index is the step's benchmark index.
func (s *Decontaminate) Index() *Index { return s.x }

func (*Decontaminate) Name() string { return StepName }

func (s *Decontaminate) String() string {
	return fmt.Sprintf("decontaminate(%d benchmarks, %d %d-grams)", len(s.names), s.x.Len(), s.x.n)
}

type scan struct {
	w       words
	matches []Match
	hashes  []uint64
}

// Finding is what the step found in one text.
type Finding struct {
	Matches     int            // n-gram positions of the text found in a benchmark
	ByBenchmark map[string]int // the same, per benchmark (a shared n-gram counts for each)
	First       string         // the first benchmark matched
	NGram       string         // the first matched n-gram, normalized
	Spans       [][2]int       // byte ranges of the text the matches cover, merged, in order
}

// Find looks for benchmark n-grams in text.
func (s *Decontaminate) Find(text string) Finding {
	sc := s.pool.Get().(*scan)
	defer s.pool.Put(sc)
	return s.find(sc, text, s.o.Action == "cut")
}

func (s *Decontaminate) find(sc *scan, text string, spans bool) Finding {
	sc.w.reset()
	sc.w.split(text, spans)
	sc.matches = s.x.find(sc.matches[:0], &sc.w, &sc.hashes)
	var f Finding
	if len(sc.matches) == 0 {
		return f
	}
	f.Matches = len(sc.matches)
	f.ByBenchmark = map[string]int{}
	m0 := sc.matches[0]
	f.First = s.names[m0.Benchmarks[0]]
	f.NGram = string(sc.w.ngram(m0.Word, s.x.n))
	n := s.x.n
	for _, m := range sc.matches {
		for _, b := range m.Benchmarks {
			f.ByBenchmark[s.names[b]]++
		}
		if !spans {
			continue
		}
		lo, hi := int(sc.w.spans[m.Word][0]), int(sc.w.spans[m.Word+n-1][1])
		if k := len(f.Spans); k > 0 && lo <= f.Spans[k-1][1] {
			f.Spans[k-1][1] = max(f.Spans[k-1][1], hi)
			continue
		}
		f.Spans = append(f.Spans, [2]int{lo, hi})
	}
	return f
}

// Process drops a contaminated document or cuts its matched spans.
func (s *Decontaminate) Process(ctx context.Context, doc *saring.Document) (saring.Result, error) {
	if err := ctx.Err(); err != nil {
		return saring.Result{}, err
	}
	f := s.Find(doc.Text)
	if f.Matches == 0 {
		return saring.Kept(), nil
	}
	for _, name := range s.names {
		if k, ok := f.ByBenchmark[name]; ok {
			doc.Record(StepName, MeasurePrefix+name, float64(k))
		}
	}
	meta := map[string]any{"benchmark": f.First, "ngram": f.NGram, "matches": f.Matches, "benchmarks": f.ByBenchmark}
	if f.Matches < s.o.MinMatches {
		meta["below_min_matches"] = true
		doc.SetMeta(MetaKey, meta)
		return saring.Rewritten(), nil
	}
	if s.o.Action == "drop" {
		doc.SetMeta(MetaKey, meta)
		return saring.Dropped(Reason, "%d %d-grams of %s, first %q", f.Matches, s.x.n, f.First, f.NGram), nil
	}
	var b strings.Builder
	b.Grow(len(doc.Text))
	prev, cut := 0, 0
	for _, sp := range f.Spans {
		b.WriteString(doc.Text[prev:sp[0]])
		cut += sp[1] - sp[0]
		prev = sp[1]
	}
	b.WriteString(doc.Text[prev:])
	meta["cut_bytes"] = cut
	meta["cut_spans"] = len(f.Spans)
	doc.SetMeta(MetaKey, meta)
	text := b.String()
	if strings.TrimSpace(text) == "" {
		return saring.Dropped(Reason, "%d %d-grams of %s cover the whole text", f.Matches, s.x.n, f.First), nil
	}
	doc.Text = text
	return saring.Rewritten(), nil
}

// Explain shows the document's matching n-gram count against min_matches.
func (s *Decontaminate) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	f := s.Find(doc.Text)
	note := ""
	if f.Matches > 0 {
		b, _ := json.Marshal(f.ByBenchmark)
		note = fmt.Sprintf("first %q in %s; by benchmark %s", f.NGram, f.First, b)
	}
	return []saring.Check{{
		Rule: "benchmark_ngrams", Value: float64(f.Matches), Op: "<", Threshold: float64(s.o.MinMatches),
		Pass: f.Matches < s.o.MinMatches, Note: note,
	}}, nil
}

// WritesMetadata: what the step found, on matching documents.
func (o *Options) WritesMetadata() []string { return []string{MetaKey} }
