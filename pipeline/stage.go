package pipeline

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/saring/saring"
	"github.com/saring/saring/formats"
	"github.com/saring/saring/outdir"
)

// docsTask is one task of a docs stage: it reads its units (input files, or
// the spools the previous docs stage left for them), runs steps[from:to] in
// parallel, and in input order writes every unit's removed documents and
// either its kept documents (the last stage) or its spool and the first
// pass of the corpus step at `to`. Each unit is committed on its own, with
// a marker, so a task killed mid-way redoes only its unfinished units.
type docsTask struct {
	r      *Runner
	s      *setup
	st     PlanStage
	task   int
	cfg    *Config
	units  []int // units still to do, in order
	last   bool
	mapper saring.Distributed // the corpus step at st.To, if any
	prog   *progress
	tokOut *tokenOutput // the last stage of a tokenized run

	mu   sync.Mutex
	open map[int]*unitSinks
	mem  *semaphore.Weighted
}

// workingSetFactor is how much memory a document takes while the steps
// work on it, per byte of its text: the text, its word and sentence splits
// (16 bytes a word), n-gram tables; measured on the default pipeline.
const workingSetFactor = 8

// memBudget is what documents in flight may take: half of the run's memory
// budget (the corpus steps have the rest).
func (t *docsTask) memBudget() int64 {
	if m := int64(t.cfg.Memory) / 2; m > 0 {
		return m
	}
	return 2 << 30
}

func (r *Runner) runDocs(ctx context.Context, s *setup, st PlanStage, task int, prog *progress) (*outdir.Marker, error) {
	rg := s.plan.Ranges[task]
	t := &docsTask{r: r, s: s, st: st, task: task, cfg: r.Config, last: s.plan.Last(st.Index), prog: prog, open: map[int]*unitSinks{}}
	if st.To < len(s.steps) {
		t.mapper = distributed(s.steps[st.To])
	}
	var markers []string
	for u := rg[0]; u < rg[1]; u++ {
		markers = append(markers, s.dir.UnitMarker(st.Index, u))
	}
	if err := s.pullPaths(ctx, markers...); err != nil {
		return nil, err
	}
	for u := rg[0]; u < rg[1]; u++ {
		m, err := outdir.ReadMarker(s.dir.UnitMarker(st.Index, u))
		if err == nil && m != nil {
			if err = s.dir.Verify(m, r.VerifyChecksums); err == nil {
				continue // done by an earlier attempt
			}
			s.log.Warn("unit marker does not match its files; redoing the unit", "stage", st.Index, "unit", u, "err", err)
		}
		t.units = append(t.units, u)
	}
	if len(t.units) > 0 && st.Source >= 0 {
		var spools []string
		for _, u := range t.units {
			spools = append(spools, spoolPath(s.dir, st.Source, u))
		}
		if err := s.pullPaths(ctx, spools...); err != nil {
			return nil, err
		}
	}
	if len(t.units) > 0 && t.last && formats.IsTokenFormat(t.cfg.Output.Format) {
		var err error
		if t.tokOut, err = newTokenOutput(t.cfg); err != nil {
			return nil, err
		}
	}
	if len(t.units) > 0 {
		if st.Apply {
			c := distributed(s.steps[st.From])
			prev := s.plan.Stages[st.Index-1]
			var dirs []string
			for p := 0; p < prev.Tasks; p++ {
				dirs = append(dirs, decideDir(s.dir, prev.Index, p))
			}
			if err := s.pullPaths(ctx, filepath.Join(s.dir.Work(prev.Index), "out")+"/"); err != nil {
				return nil, err
			}
			if err := c.Load(ctx, dirs, task); err != nil {
				return nil, fmt.Errorf("step %s: loading decisions: %w", c.Name(), err)
			}
		}
		if err := t.run(ctx); err != nil {
			t.abortAll()
			return nil, err
		}
	}
	// The task marker stands for its unit markers; verifyTask checks them.
	return &outdir.Marker{Input: fmt.Sprintf("units %d-%d", rg[0], rg[1])}, nil
}

func (t *docsTask) abortAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for u, us := range t.open {
		us.abort()
		delete(t.open, u)
	}
}

// sinks returns the outputs of unit u, creating them (after removing what an
// earlier attempt left) on first use.
func (t *docsTask) sinks(u int) (*unitSinks, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if us, ok := t.open[u]; ok {
		return us, nil
	}
	d, st, cfg := t.s.dir, t.st, t.cfg
	if err := cleanUnit(d, cfg, st.Index, u); err != nil {
		return nil, err
	}
	if err := cleanUnitOutputs(d, cfg, st.Index, u); err != nil {
		return nil, err
	}
	us := &unitSinks{unit: u, stats: newRunStats(t.s.steps), start: time.Now()}
	prefix := outdir.ShardPrefix(st.Index, u)
	newWriter := func(kind, format string, docs, bytes int64) (*formats.ShardWriter, error) {
		w, err := formats.NewShardWriter(d.Path(kind), format, docs, bytes)
		if err != nil {
			return nil, err
		}
		w.Prefix, w.Level = prefix, cfg.Output.Level
		return w, nil
	}
	var err error
	if t.last {
		if us.kept, err = newWriter(outdir.Kept, cfg.Output.Format, cfg.Output.ShardDocs, int64(cfg.Output.ShardBytes)); err != nil {
			return nil, err
		}
		us.kept.Partition = keptPartition(&cfg.Output)
		if t.tokOut != nil {
			us.kept.Tokens = &t.tokOut.opts
		}
	}
	if us.removed, err = newWriter(outdir.Removed, removedFormat(&cfg.Output), cfg.Output.ShardDocs, int64(cfg.Output.ShardBytes)); err != nil {
		return nil, err
	}
	if st.Source < 0 {
		if us.rejected, err = newWriter(outdir.Rejected, "jsonl", 0, 0); err != nil {
			return nil, err
		}
	}
	if t.mapper != nil {
		if us.spool, err = createSpool(spoolPath(d, st.Index, u)); err != nil {
			return nil, err
		}
		parts := t.s.plan.Stages[st.Index+1].Tasks
		if us.mapper, err = t.mapper.NewMap(mapDir(d, st.Index, u), parts); err != nil {
			us.abort()
			return nil, fmt.Errorf("step %s: %w", t.mapper.Name(), err)
		}
	}
	t.open[u] = us
	return us, nil
}

func (t *docsTask) run(ctx context.Context) error {
	workers := t.cfg.ResolvedWorkers()
	g, gctx := errgroup.WithContext(ctx)
	todo := make(chan *batch, workers)
	done := make(chan *batch, workers)
	inflight := make(chan struct{}, workers*4)
	t.mem = semaphore.NewWeighted(t.memBudget())

	g.Go(func() error {
		defer close(todo)
		return t.produce(gctx, todo, inflight)
	})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for b := range todo {
				if err := t.process(gctx, b); err != nil {
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
	g.Go(func() error { return t.write(gctx, done, inflight) })
	err := g.Wait()
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return err
}

// produce reads every unit into batches, numbered in input order. A batch
// never spans two units, and each unit ends with a batch marked last (empty
// when the unit had nothing more), so the writer knows when to commit it.
func (t *docsTask) produce(ctx context.Context, out chan<- *batch, inflight chan struct{}) error {
	var idx int64
	var cur *batch
	size := 0
	send := func() error {
		select {
		case inflight <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		// Documents in flight are held against the memory budget: a
		// batch weighs what its texts will take while the steps work on
		// them. One heavier than the whole budget runs alone.
		cur.weight = min(int64(size)*workingSetFactor, t.memBudget())
		if err := t.mem.Acquire(ctx, cur.weight); err != nil {
			return err
		}
		cur.idx = idx
		idx++
		select {
		case out <- cur:
		case <-ctx.Done():
			return ctx.Err()
		}
		cur, size = &batch{unit: cur.unit}, 0
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
	for _, u := range t.units {
		cur, size = &batch{unit: u}, 0
		var err error
		if t.st.Source < 0 {
			err = t.readInput(ctx, u, add)
		} else {
			err = t.readSpool(ctx, u, add)
		}
		if err != nil {
			return err
		}
		cur.last = true
		if err := send(); err != nil {
			return err
		}
	}
	return nil
}

func (t *docsTask) readSpool(ctx context.Context, u int, add func(item) error) error {
	sp, err := openSpool(spoolPath(t.s.dir, t.st.Source, u))
	if err != nil {
		return err
	}
	defer sp.Close()
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		doc, err := sp.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := add(item{doc: doc, removedAt: -1}); err != nil {
			return err
		}
	}
}

func (t *docsTask) readInput(ctx context.Context, u int, add func(item) error) error {
	in := t.s.inputs[u]
	rd, err := formats.Open(in.Path, t.cfg.Input.ReadOptions(u), &t.prog.bytes)
	if err != nil {
		// An input that cannot be opened is one rejected entry; the others are still read.
		return add(item{rejected: &formats.Rejected{File: in.Path, Error: err.Error()}, removedAt: -1})
	}
	defer rd.Close()
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		doc, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			rej := &formats.Rejected{File: in.Path, Error: err.Error()}
			re, isRecord := formats.AsRecordError(err)
			if isRecord {
				rej.Line, rej.Offset, rej.Raw, rej.Records = re.Source.Line, re.Source.Offset, string(re.Raw), re.Records
				rej.Error = re.Err.Error()
				if re.Source.File != "" {
					rej.File = re.Source.File
				}
			}
			if err := add(item{rejected: rej, removedAt: -1}); err != nil {
				return err
			}
			if isRecord {
				continue
			}
			break // the rest of this input cannot be read
		}
		if err := add(item{doc: doc, removedAt: -1}); err != nil {
			return err
		}
	}
	if sk, ok := rd.(formats.Skipper); ok {
		us, err := t.sinks(u)
		if err != nil {
			return err
		}
		// The writer reads these only when it commits the unit, after the
		// unit's last batch, which is sent after this.
		t.mu.Lock()
		for k, v := range sk.Skipped() {
			us.stats.Skipped[k] += v
		}
		t.mu.Unlock()
	}
	return nil
}

// process runs the stage's steps over one batch.
func (t *docsTask) process(ctx context.Context, b *batch) error {
	steps := t.s.steps
	rs := newRunStats(steps)
	b.stats = rs
	first := t.st.Source < 0
	var mw saring.MapWriter
	if t.mapper != nil {
		us, err := t.sinks(b.unit)
		if err != nil {
			return err
		}
		mw = us.mapper
	}
	for k := range b.items {
		it := &b.items[k]
		doc := it.doc
		if doc == nil {
			continue
		}
		b.textIn += int64(len(doc.Text))
		if first {
			rs.hist("chars_in").Add(float64(len(doc.Text)))
			rs.hist("words_in").Add(float64(countWords(doc.Text)))
		}
		for i := t.st.From; i < t.st.To; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			step, ss := steps[i], rs.Steps[i]
			ss.DocsIn++
			ss.BytesIn += int64(len(doc.Text))
			t0 := time.Now()
			res, err := step.Process(ctx, doc)
			ss.Seconds += time.Since(t0).Seconds()
			if err != nil {
				return fmt.Errorf("step %s on document %s (%s): %w", step.Name(), doc.ID, doc.Source, err)
			}
			for _, m := range doc.Measures {
				ss.Measure(measureKey(m)).Add(m.Value)
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
		if it.removedAt < 0 && t.tokOut != nil {
			t.tokOut.prepare(doc) // in the worker, not the writer
		}
		if it.removedAt < 0 && mw != nil {
			if err := mw.Add(ctx, doc); err != nil {
				return fmt.Errorf("step %s on document %s (%s): %w", t.mapper.Name(), doc.ID, doc.Source, err)
			}
		}
	}
	return nil
}

// write puts finished batches back in input order, writes them and commits
// each unit after its last batch.
func (t *docsTask) write(ctx context.Context, done <-chan *batch, inflight chan struct{}) error {
	pending := map[int64]*batch{}
	var next int64
	for b := range done {
		pending[b.idx] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := t.writeBatch(b); err != nil {
				return err
			}
			t.mem.Release(b.weight)
			<-inflight
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(pending) > 0 {
		return fmt.Errorf("internal error: %d batches never written", len(pending))
	}
	return nil
}

func (t *docsTask) writeBatch(b *batch) error {
	us, err := t.sinks(b.unit)
	if err != nil {
		return err
	}
	first := t.st.Source < 0
	rs := us.stats
	tot := &rs.Totals
	for k := range b.items {
		it := &b.items[k]
		// An entry may stand for several records the input is known to
		// have lost (a damaged Parquet row group): each counts as read
		// and rejected.
		n := int64(1)
		if it.rejected != nil && it.rejected.Records > 1 {
			n = it.rejected.Records
		}
		if first {
			tot.Read += n
		}
		if it.doc != nil && len(t.s.tokenKeys) > 0 && (it.removedAt >= 0 || us.spool == nil) {
			t.countTokens(rs, it)
		}
		switch {
		case it.rejected != nil:
			tot.Rejected += n
			if err := us.rejected.WriteRejected(*it.rejected); err != nil {
				return err
			}
		case it.removedAt >= 0:
			tot.Removed++
			it.doc.SetMeta(outdir.MetaRemoved, map[string]any{
				"step":    t.s.steps[it.removedAt].Name(),
				"reason":  it.res.Reason,
				"message": it.res.Message,
			})
			if t.cfg.Output.Removed {
				if err := us.removed.Write(it.doc); err != nil {
					return err
				}
			}
		case us.spool != nil:
			if err := us.spool.write(it.doc); err != nil {
				return err
			}
		default:
			tot.Kept++
			tot.BytesKept += int64(len(it.doc.Text))
			rs.hist("chars_out").Add(float64(len(it.doc.Text)))
			rs.hist("words_out").Add(float64(countWords(it.doc.Text)))
			if lang := it.doc.Language(); lang != "" {
				rs.Languages[lang]++
				if v, ok := it.doc.Meta(outdir.MetaLanguageScore); ok {
					if f, ok := toFloat(v); ok {
						rs.hist("language_score").Add(f)
					}
				}
			}
			if err := us.kept.Write(it.doc); err != nil {
				return err
			}
		}
		it.doc = nil
	}
	us.docs += int64(len(b.items))
	us.bytes += b.textIn
	t.prog.text.Add(b.textIn)
	if b.stats != nil {
		if first {
			if h := b.stats.Hists["chars_in"]; h != nil {
				tot.BytesRead += int64(h.Sum)
			}
		}
		rs.merge(b.stats) // its totals are zero: they are counted above
	}
	t.prog.docs.Add(int64(len(b.items)))
	if b.last {
		return t.commit(us)
	}
	return nil
}

// commit makes a unit's files durable and writes its marker.
func (t *docsTask) commit(us *unitSinks) error {
	d := t.s.dir
	var files []outdir.FileSum
	for _, w := range []*formats.ShardWriter{us.kept, us.removed, us.rejected} {
		if w == nil {
			continue
		}
		if err := w.Close(); err != nil {
			return err
		}
		for i, f := range w.Files {
			fs, err := d.Sum(f, w.Docs[i])
			if err != nil {
				return err
			}
			files = append(files, fs)
		}
	}
	if us.spool != nil {
		if err := us.spool.close(); err != nil {
			return fmt.Errorf("spool of unit %d: %w", us.unit, err)
		}
		us.spool = nil
		fs, err := d.Sum(spoolPath(d, t.st.Index, us.unit), 0)
		if err != nil {
			return err
		}
		files = append(files, fs)
	}
	if us.mapper != nil {
		if err := us.mapper.Close(); err != nil {
			return fmt.Errorf("step %s: unit %d: %w", t.mapper.Name(), us.unit, err)
		}
		us.mapper = nil
		mf, err := sumTree(d, mapDir(d, t.st.Index, us.unit))
		if err != nil {
			return err
		}
		files = append(files, mf...)
	}
	stats, err := us.stats.encode()
	if err != nil {
		return err
	}
	tot := us.stats.Totals
	m := &outdir.Marker{
		Stage: t.st.Index, Unit: us.unit, Task: t.task, Files: files, Stats: stats,
		Counts:  outdir.Counts{Read: us.docs, Kept: tot.Kept, Removed: tot.Removed, Rejected: tot.Rejected},
		Bytes:   us.bytes,
		Seconds: time.Since(us.start).Seconds(),
	}
	if t.st.Source < 0 {
		m.Input = t.s.inputs[us.unit].Path
	}
	if err := outdir.WriteMarker(d.UnitMarker(t.st.Index, us.unit), m); err != nil {
		return err
	}
	if d.Remote != nil {
		// The unit's files, then its marker: a marker never names an
		// object that is not there.
		rels := make([]string, 0, len(files)+1)
		for _, f := range files {
			rels = append(rels, f.Path)
		}
		if err := d.Remote.Push(context.Background(), append(rels, d.Rel(d.UnitMarker(t.st.Index, us.unit)))...); err != nil {
			return err
		}
	}
	t.mu.Lock()
	delete(t.open, us.unit)
	t.mu.Unlock()
	return nil
}

// countTokens adds a document's token counts (written by a tokens step) to
// the unit's totals, as kept (in its language) or removed by its step.
func (t *docsTask) countTokens(rs *runStats, it *item) {
	for _, key := range t.s.tokenKeys {
		v, ok := it.doc.Meta(key)
		if !ok {
			continue
		}
		f, ok := toFloat(v)
		if !ok {
			continue
		}
		step := ""
		if it.removedAt >= 0 {
			step = t.s.steps[it.removedAt].Name()
		}
		rs.tokens(key).Add(int64(f), it.removedAt < 0, step, it.doc.Language())
	}
}
