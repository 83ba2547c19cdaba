package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"gopkg.in/yaml.v3"

	"github.com/saring/saring"
	"github.com/saring/saring/formats"
)

// Runner runs a resolved pipeline.
type Runner struct {
	Config   *Config
	Registry *saring.Registry
	Log      *slog.Logger
	Progress io.Writer // where to draw progress; nil for none
	Version  string
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
	items []item
	stats *runStats
}

// ErrAccounting is returned when documents in != kept + removed + rejected.
var ErrAccounting = errors.New("accounting violated")

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

// cleanOutput removes what an earlier run into dir left, so that a re-run
// gives the same files: only names saring itself writes are touched.
func cleanOutput(dir string) error {
	for _, sub := range []string{"kept", "removed", "rejected"} {
		matches, _ := filepath.Glob(filepath.Join(dir, sub, "part-*"))
		tmps, _ := filepath.Glob(filepath.Join(dir, sub, ".part-*.tmp"))
		for _, m := range append(matches, tmps...) {
			if err := os.Remove(m); err != nil {
				return err
			}
		}
	}
	os.Remove(filepath.Join(dir, "stats.json"))
	return os.RemoveAll(filepath.Join(dir, ".work"))
}

// Run reads every input, runs the steps and writes the output directory.
func (r *Runner) Run(ctx context.Context) (*Stats, error) {
	start := time.Now()
	cfg := r.Config
	log := r.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Output.Dir == "" {
		return nil, errors.New("no output directory: give -o DIR or output.dir")
	}
	inputs, err := ExpandInputs(cfg.Input.Paths, cfg.Input.Format)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Output.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := cleanOutput(cfg.Output.Dir); err != nil {
		return nil, fmt.Errorf("clearing the previous run's files: %w", err)
	}
	workDir := filepath.Join(cfg.Output.Dir, ".work")
	steps, err := BuildSteps(cfg, r.Registry, workDir)
	if err != nil {
		return nil, err
	}
	defer closeSteps(steps)
	defer os.RemoveAll(workDir) // spools and step state, after success or failure

	kept, err := formats.NewShardWriter(filepath.Join(cfg.Output.Dir, "kept"), cfg.Output.Format, cfg.Output.ShardDocs, int64(cfg.Output.ShardBytes))
	if err != nil {
		return nil, err
	}
	removed, err := formats.NewShardWriter(filepath.Join(cfg.Output.Dir, "removed"), cfg.Output.Format, cfg.Output.ShardDocs, int64(cfg.Output.ShardBytes))
	if err != nil {
		return nil, err
	}
	rejected, err := formats.NewShardWriter(filepath.Join(cfg.Output.Dir, "rejected"), "jsonl", 0, 0)
	if err != nil {
		return nil, err
	}
	kept.Level, removed.Level = cfg.Output.Level, cfg.Output.Level
	sinks := []*formats.ShardWriter{kept, removed, rejected}
	abort := func() {
		for _, s := range sinks {
			s.Abort()
		}
	}

	var totalBytes int64
	for _, in := range inputs {
		if in.Size < 0 {
			totalBytes = -1
			break
		}
		totalBytes += in.Size
	}
	prog := newProgress(r.Progress, totalBytes)
	defer prog.stop()

	rs := newRunStats(steps)
	rs.inputFiles = len(inputs)
	from := 0
	var spoolPath string
	for stage := 0; ; stage++ {
		// The corpus step at `from` (after the first stage) is this stage's
		// first step: its second pass. The stage ends before the next one.
		to := len(steps)
		var corpus saring.CorpusStep
		search := from
		if stage > 0 {
			search = from + 1
		}
		for i := search; i < len(steps); i++ {
			if c, ok := steps[i].(saring.CorpusStep); ok {
				to, corpus = i, c
				break
			}
		}
		st := &stageRun{
			r: r, cfg: cfg, steps: steps, from: from, to: to, corpus: corpus,
			first: stage == 0, kept: kept, removed: removed, rejected: rejected,
			stats: rs, prog: prog, inputs: inputs,
		}
		if stage > 0 {
			st.spoolIn = spoolPath
		}
		if corpus != nil {
			if err := os.MkdirAll(workDir, 0o755); err != nil {
				abort()
				return nil, err
			}
			st.spoolOut = filepath.Join(workDir, fmt.Sprintf("spool-%d.bin", stage))
		}
		log.Debug("stage", "stage", stage, "from", from, "to", to)
		if err := st.run(ctx); err != nil {
			abort()
			return nil, err
		}
		if st.spoolIn != "" {
			os.Remove(st.spoolIn)
		}
		if corpus == nil {
			break
		}
		prog.phase(fmt.Sprintf("%s: deciding", corpus.Name()))
		if err := corpus.Finish(ctx); err != nil {
			abort()
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("step %s: %w", corpus.Name(), err)
		}
		prog.phase("")
		spoolPath = st.spoolOut
		from = to
	}
	for _, s := range sinks {
		if err := s.Close(); err != nil {
			abort()
			return nil, err
		}
	}
	prog.stop()

	stats := r.finishStats(rs, start, inputs)
	if err := checkAccounting(stats); err != nil {
		return stats, err
	}
	if err := writeJSONAtomic(filepath.Join(cfg.Output.Dir, "stats.json"), stats); err != nil {
		return stats, err
	}
	log.Info("run finished", "read", stats.Totals.Read, "kept", stats.Totals.Kept, "removed", stats.Totals.Removed,
		"rejected", stats.Totals.Rejected, "seconds", stats.WallSeconds, "out", cfg.Output.Dir)
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
	for _, s := range rs.steps {
		for _, h := range s.Measures {
			h.Edges = histEdges
			h.trim()
		}
	}
	for _, h := range rs.hists {
		h.Edges = histEdges
		h.trim()
	}
	return &Stats{
		Version:     r.Version,
		Started:     start.UTC().Format(time.RFC3339),
		WallSeconds: time.Since(start).Seconds(),
		Workers:     r.Config.ResolvedWorkers(),
		Config:      r.Config,
		Input:       InputStats{Files: len(inputs), Bytes: inBytes, Skipped: rs.skipped},
		Totals:      rs.totals,
		Steps:       rs.steps,
		Histograms:  rs.hists,
		Languages:   rs.languages,
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

func writeJSONAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// stageRun is one pass over the documents: read (inputs or a spool), run
// steps[from:to] in parallel, then in input order write removed documents
// and either spool the survivors for the corpus step at `to` or write them
// to kept/.
type stageRun struct {
	r        *Runner
	cfg      *Config
	steps    []saring.Step
	from, to int
	corpus   saring.CorpusStep
	first    bool
	inputs   []Input
	spoolIn  string
	spoolOut string
	kept     *formats.ShardWriter
	removed  *formats.ShardWriter
	rejected *formats.ShardWriter
	stats    *runStats
	prog     *progress
}

func (s *stageRun) run(ctx context.Context) error {
	workers := s.cfg.ResolvedWorkers()
	g, gctx := errgroup.WithContext(ctx)
	todo := make(chan *batch, workers)
	done := make(chan *batch, workers)
	inflight := make(chan struct{}, workers*4)

	g.Go(func() error {
		defer close(todo)
		return s.produce(gctx, todo, inflight)
	})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for b := range todo {
				if err := s.process(gctx, b); err != nil {
					return err
				}
				select {
				case done <- b:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	go func() { wg.Wait(); close(done) }()
	g.Go(func() error { return s.write(gctx, done, inflight) })
	err := g.Wait()
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return err
}

// produce reads documents into batches, numbered in input order.
func (s *stageRun) produce(ctx context.Context, out chan<- *batch, inflight chan struct{}) error {
	var idx int64
	cur := &batch{}
	size := 0
	send := func() error {
		if len(cur.items) == 0 {
			return nil
		}
		select {
		case inflight <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		cur.idx = idx
		idx++
		select {
		case out <- cur:
		case <-ctx.Done():
			return ctx.Err()
		}
		cur, size = &batch{}, 0
		return nil
	}
	add := func(it item) error {
		cur.items = append(cur.items, it)
		if it.doc != nil {
			size += len(it.doc.Text)
		}
		if len(cur.items) >= batchDocs || size >= batchBytes {
			return send()
		}
		return nil
	}
	if !s.first {
		sp, err := openSpool(s.spoolIn)
		if err != nil {
			return err
		}
		defer sp.Close()
		for {
			doc, err := sp.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			if err := add(item{doc: doc, removedAt: -1}); err != nil {
				return err
			}
		}
		return send()
	}
	opts := formats.ReadOptions{
		Format: s.cfg.Input.Format, TextKey: s.cfg.Input.TextKey, IDKey: s.cfg.Input.IDKey, TextMode: s.cfg.Input.TextMode,
	}
	skipped := map[string]int64{}
	for i, in := range s.inputs {
		opts.FileIndex = i
		rd, err := formats.Open(in.Path, opts, &s.prog.bytes)
		if err != nil {
			// An input that cannot be opened is one rejected entry; the others are still read.
			if err := add(item{rejected: &formats.Rejected{File: in.Path, Error: err.Error()}, removedAt: -1}); err != nil {
				return err
			}
			continue
		}
		for {
			if ctx.Err() != nil {
				rd.Close()
				return ctx.Err()
			}
			doc, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				rej := &formats.Rejected{File: in.Path, Error: err.Error()}
				if re, ok := formats.AsRecordError(err); ok {
					rej.Line, rej.Offset, rej.Raw = re.Source.Line, re.Source.Offset, string(re.Raw)
					rej.Error = re.Err.Error()
					if re.Source.File != "" {
						rej.File = re.Source.File
					}
				}
				if err := add(item{rejected: rej, removedAt: -1}); err != nil {
					rd.Close()
					return err
				}
				if _, ok := formats.AsRecordError(err); ok {
					continue
				}
				break // the rest of this input cannot be read
			}
			if err := add(item{doc: doc, removedAt: -1}); err != nil {
				rd.Close()
				return err
			}
		}
		if sk, ok := rd.(formats.Skipper); ok {
			for k, v := range sk.Skipped() {
				skipped[k] += v
			}
		}
		rd.Close()
	}
	if err := send(); err != nil {
		return err
	}
	// Safe: the writer reads this only after every producer has finished.
	for k, v := range skipped {
		s.stats.skipped[k] += v
	}
	return nil
}

// process runs the stage's steps over one batch.
func (s *stageRun) process(ctx context.Context, b *batch) error {
	rs := newRunStats(s.steps)
	b.stats = rs
	for k := range b.items {
		it := &b.items[k]
		doc := it.doc
		if doc == nil {
			continue
		}
		if s.first {
			rs.hist("chars_in").Add(float64(len(doc.Text)))
			rs.hist("words_in").Add(float64(countWords(doc.Text)))
		}
		for i := s.from; i < s.to; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			step, ss := s.steps[i], rs.steps[i]
			ss.DocsIn++
			ss.BytesIn += int64(len(doc.Text))
			t0 := time.Now()
			res, err := step.Process(ctx, doc)
			ss.Seconds += time.Since(t0).Seconds()
			if err != nil {
				return fmt.Errorf("step %s on document %s (%s): %w", step.Name(), doc.ID, doc.Source, err)
			}
			for _, m := range doc.Measures {
				ss.measure(measureKey(m)).Add(m.Value)
			}
			doc.Measures = doc.Measures[:0]
			if res.Outcome == saring.Drop {
				if res.Reason == "" {
					res.Reason = step.Name()
				}
				ss.Removed++
				ss.ByReason[res.Reason]++
				it.removedAt, it.res = i, res
				break
			}
			ss.Kept++
			ss.BytesOut += int64(len(doc.Text))
			if res.Outcome == saring.Rewrite {
				ss.Rewritten++
			}
		}
		if it.removedAt < 0 && s.corpus != nil {
			if err := s.corpus.Add(ctx, doc); err != nil {
				return fmt.Errorf("step %s on document %s (%s): %w", s.corpus.Name(), doc.ID, doc.Source, err)
			}
		}
	}
	return nil
}

// write puts finished batches back in input order and writes them.
func (s *stageRun) write(ctx context.Context, done <-chan *batch, inflight chan struct{}) error {
	pending := map[int64]*batch{}
	var next int64
	var spool *spoolWriter
	if s.spoolOut != "" {
		var err error
		if spool, err = createSpool(s.spoolOut); err != nil {
			return err
		}
	}
	for b := range done {
		pending[b.idx] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := s.writeBatch(b, spool); err != nil {
				if spool != nil {
					spool.f.Close()
				}
				return err
			}
			<-inflight
		}
	}
	if ctx.Err() != nil {
		if spool != nil {
			spool.f.Close()
		}
		return ctx.Err()
	}
	if len(pending) > 0 {
		return fmt.Errorf("internal error: %d batches never written", len(pending))
	}
	if spool != nil {
		return spool.close()
	}
	return nil
}

func (s *stageRun) writeBatch(b *batch, spool *spoolWriter) error {
	t := &s.stats.totals
	for k := range b.items {
		it := &b.items[k]
		if s.first {
			t.Read++
		}
		switch {
		case it.rejected != nil:
			t.Rejected++
			if err := s.rejected.WriteRejected(*it.rejected); err != nil {
				return err
			}
		case it.removedAt >= 0:
			t.Removed++
			it.doc.SetMeta("removed", map[string]any{
				"step":    s.steps[it.removedAt].Name(),
				"reason":  it.res.Reason,
				"message": it.res.Message,
			})
			if s.cfg.Output.Removed {
				if err := s.removed.Write(it.doc); err != nil {
					return err
				}
			}
		case spool != nil:
			if err := spool.write(it.doc); err != nil {
				return err
			}
		default:
			t.Kept++
			t.BytesKept += int64(len(it.doc.Text))
			s.stats.hist("chars_out").Add(float64(len(it.doc.Text)))
			s.stats.hist("words_out").Add(float64(countWords(it.doc.Text)))
			if lang := it.doc.Language(); lang != "" {
				s.stats.languages[lang]++
				if v, ok := it.doc.Meta("language_score"); ok {
					if f, ok := toFloat(v); ok {
						s.stats.hist("language_score").Add(f)
					}
				}
			}
			if err := s.kept.Write(it.doc); err != nil {
				return err
			}
		}
		it.doc = nil
	}
	if b.stats != nil {
		if s.first {
			if h := b.stats.hists["chars_in"]; h != nil {
				t.BytesRead += int64(h.Sum)
				s.prog.text.Add(int64(h.Sum))
			}
		}
		s.stats.merge(b.stats)
	}
	s.prog.docs.Add(int64(len(b.items)))
	return nil
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
