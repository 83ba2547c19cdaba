package report

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var reportTmpl string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"int": Int, "bytes": Bytes, "pct": Pct, "dur": Duration,
}).Parse(reportTmpl))

// Options say what to render and where.
type Options struct {
	OutDir string
	Output string // default OUTDIR/report.html
}

// Summary says what Generate did, for the command line.
type Summary struct {
	Output   string
	Docs     int64
	Seconds  float64
	Warnings []string
}

// Generate writes the HTML report of a run's output directory. The file is
// self-contained: inline CSS and SVG, no script, no network.
func Generate(ctx context.Context, opts Options) (*Summary, error) {
	start := time.Now()
	if fi, err := os.Stat(opts.OutDir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a run output directory (run `saring run` first, or pass the directory it wrote)", opts.OutDir)
	}
	out := opts.Output
	if out == "" {
		out = filepath.Join(opts.OutDir, "report.html")
	}
	st, warnings, err := LoadStats(opts.OutDir)
	if err != nil {
		return nil, err
	}
	files, err := ListOutputs(opts.OutDir)
	if err != nil {
		return nil, err
	}
	scan, err := ScanOutputs(ctx, files, st == nil)
	if err != nil {
		return nil, err
	}
	for _, fe := range scan.FileErrors {
		warnings = append(warnings, "could not read "+fe.Error())
	}
	page := buildPage(opts.OutDir, st, scan, warnings)
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("render report: %w", err)
	}
	if err := writeFileAtomic(out, buf.Bytes()); err != nil {
		return nil, err
	}
	return &Summary{Output: out, Docs: scan.Docs[0] + scan.Docs[1] + scan.Docs[2],
		Seconds: time.Since(start).Seconds(), Warnings: warnings}, nil
}

// Render writes the report of already loaded data to w (used by tests and
// by callers that hold the stats in memory).
func Render(w *bytes.Buffer, outdir string, st *Stats, scan *Scan) error {
	return tmpl.Execute(w, buildPage(outdir, st, scan, nil))
}

func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*.html")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write report: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Fact is one line of the run facts table.
type Fact struct{ Name, Value string }

// Card is one headline number.
type Card struct{ Name, Value, Sub, Class string }

// Row is a table row of strings.
type Row []string

// MeasureGroup is one step's measure histograms.
type MeasureGroup struct {
	Step   string
	Charts []template.HTML
	Rows   []Row
}

type page struct {
	OutDir       string
	Cards        []Card
	Facts        []Fact
	Funnel       template.HTML
	FunnelBytes  template.HTML
	StepRows     []Row
	Removals     template.HTML
	RemovalRows  []Row
	Lengths      []template.HTML
	Languages    template.HTML
	LangScore    []template.HTML
	OtherHists   []template.HTML
	Measures     []MeasureGroup
	Clusters     template.HTML
	ClusterFacts []Fact
	Repairs      template.HTML
	RepairRows   []Row
	RepairFacts  []Fact
	StepRepairs  []Row
	RejectRows   []Row
	RejectSample []RejectedLine
	Skipped      []Row
	Config       string
	Warnings     []string
}

func buildPage(outdir string, st *Stats, sc *Scan, warnings []string) *page {
	p := &page{OutDir: outdir, Warnings: warnings}
	if st == nil {
		st = statsFromScan(sc)
	}
	t := st.Totals
	p.Cards = []Card{
		{"read", Int(t.Read), Bytes(t.BytesRead), "in"},
		{"kept", Int(t.Kept), Pct(t.Kept, t.Read) + " of read · " + Bytes(t.BytesKept), "pass"},
		{"removed", Int(t.Removed), Pct(t.Removed, t.Read) + " of read", "rm"},
		{"rejected", Int(t.Rejected), "unreadable records", "rej"},
	}
	p.Facts = runFacts(st, sc)
	p.Funnel, p.FunnelBytes, p.StepRows = funnels(st)
	p.Removals, p.RemovalRows = removals(st)
	h := st.Histograms
	p.Lengths = append(p.Lengths, HistFromStats("Document length before and after, in characters", "characters per document",
		[]string{"input", "kept"}, []string{"in", "out"}, []*Hist{h.CharsIn, h.CharsOut}, false)...)
	p.Lengths = append(p.Lengths, HistFromStats("Document length before and after, in words", "words per document",
		[]string{"input", "kept"}, []string{"in", "out"}, []*Hist{h.WordsIn, h.WordsOut}, false)...)
	p.Languages = languages(h.Language)
	others := make([]string, 0, len(h.Other))
	for k := range h.Other {
		others = append(others, k)
	}
	sort.Strings(others)
	for _, k := range others {
		p.OtherHists = append(p.OtherHists, HistFromStats(strings.ReplaceAll(k, "_", " "), strings.ReplaceAll(k, "_", " "),
			[]string{"documents"}, []string{"bar"}, []*Hist{h.Other[k]}, false)...)
	}
	p.LangScore = HistFromStats("Language identification score", "score (probability of the top language)",
		[]string{"documents"}, []string{"bar"}, []*Hist{h.LanguageScore}, false)
	p.Measures = measures(st)
	p.Clusters, p.ClusterFacts = clusters(h.MinhashClusterSize, sc)
	if p.Clusters == "" {
		p.Clusters, p.ClusterFacts = clusterMeasure(st)
	}
	p.Repairs, p.RepairRows, p.RepairFacts = repairs(st, sc)
	p.StepRepairs = stepRepairs(st)
	for _, k := range sortedKeys(sc.RejectErrors) {
		p.RejectRows = append(p.RejectRows, Row{k, Int(float64(sc.RejectErrors[k]))})
	}
	p.RejectSample = sc.RejectSample
	for _, k := range sortedKeys(st.Input.Skipped) {
		p.Skipped = append(p.Skipped, Row{k, Int(st.Input.Skipped[k])})
	}
	if len(st.Config) > 0 && string(st.Config) != "null" {
		var buf bytes.Buffer
		if json.Indent(&buf, st.Config, "", "  ") == nil {
			p.Config = buf.String()
		} else {
			p.Config = string(st.Config)
		}
	}
	return p
}

// statsFromScan stands in for a missing stats.json with what the outputs tell.
func statsFromScan(sc *Scan) *Stats {
	st := &Stats{}
	st.Totals.Kept = float64(sc.Docs[Kept])
	st.Totals.Removed = float64(sc.Docs[Removed])
	st.Totals.Rejected = float64(sc.Docs[Rejected])
	st.Totals.Read = st.Totals.Kept + st.Totals.Removed + st.Totals.Rejected
	if len(sc.Languages) > 0 {
		st.Histograms.Language = map[string]float64{}
		for k, v := range sc.Languages {
			st.Histograms.Language[k] = float64(v)
		}
	}
	steps := make([]string, 0, len(sc.RemovedBy))
	for s := range sc.RemovedBy {
		steps = append(steps, s)
	}
	sort.Strings(steps)
	for _, s := range steps {
		ss := StepStats{Name: s, RemovedByReason: map[string]float64{}}
		for r, n := range sc.RemovedBy[s] {
			ss.RemovedByReason[r] = float64(n)
			ss.Removed += float64(n)
		}
		st.Steps = append(st.Steps, ss)
	}
	return st
}

func runFacts(st *Stats, sc *Scan) []Fact {
	var f []Fact
	add := func(name, v string) {
		if v != "" && v != "–" {
			f = append(f, Fact{name, v})
		}
	}
	add("saring version", st.Version)
	if t, err := time.Parse(time.RFC3339, st.Started); err == nil {
		add("started", t.UTC().Format("2006-01-02 15:04:05 UTC"))
	} else {
		add("started", st.Started)
	}
	add("wall time", Duration(st.WallSeconds))
	if st.Workers > 0 {
		add("workers", Int(st.Workers))
	}
	if st.WallSeconds > 0 {
		add("throughput", fmt.Sprintf("%s docs/s · %s/s", Int(st.Totals.Read/st.WallSeconds), Bytes(st.Totals.BytesRead/st.WallSeconds)))
		if st.Workers > 0 {
			add("per worker", fmt.Sprintf("%s docs/s · %s/s", Int(st.Totals.Read/st.WallSeconds/st.Workers), Bytes(st.Totals.BytesRead/st.WallSeconds/st.Workers)))
		}
	}
	if st.Input.Files > 0 {
		add("input", fmt.Sprintf("%s files · %s", Int(st.Input.Files), Bytes(st.Input.Bytes)))
	}
	add("output files", Int(float64(sc.Files)))
	return f
}

func funnels(st *Stats) (docs, byts template.HTML, rows []Row) {
	t := st.Totals
	var bars, bbars []Bar
	if t.Read > 0 {
		bars = append(bars, Bar{"input read", []Seg{{t.Read, "in", "read: " + Int(t.Read)}}, Int(t.Read)})
	}
	if t.BytesRead > 0 {
		bbars = append(bbars, Bar{"input read", []Seg{{t.BytesRead, "in", "read: " + Bytes(t.BytesRead)}}, Bytes(t.BytesRead)})
	}
	for _, s := range st.Steps {
		// Writers differ on whether kept includes rewritten; docs_in minus
		// removed is what passed either way.
		passed := s.DocsIn - s.Removed
		if s.DocsIn == 0 {
			passed = s.Kept + s.Rewritten
		}
		bars = append(bars, Bar{s.Name, []Seg{
			{passed, "pass", fmt.Sprintf("%s passed (%s rewritten)", Int(passed), Int(s.Rewritten))},
			{s.Removed, "rm", fmt.Sprintf("%s removed", Int(s.Removed))},
		}, fmt.Sprintf("−%s (%s)", Int(s.Removed), Pct(s.Removed, s.DocsIn))})
		if s.BytesIn > 0 {
			lost := math.Max(s.BytesIn-s.BytesOut, 0)
			bbars = append(bbars, Bar{s.Name, []Seg{
				{s.BytesOut, "pass", Bytes(s.BytesOut) + " out"},
				{lost, "rm", Bytes(lost) + " removed or cut"},
			}, fmt.Sprintf("−%s (%s)", Bytes(lost), Pct(lost, s.BytesIn))})
		}
		rate := "–"
		if s.Seconds > 0 {
			rate = Int(s.DocsIn/s.Seconds) + " docs/s"
		}
		rows = append(rows, Row{s.Name, Int(s.DocsIn), Int(s.Kept), Int(s.Rewritten), Int(s.Removed),
			Pct(s.Removed, s.DocsIn), Bytes(s.BytesIn), Bytes(s.BytesOut), Duration(s.Seconds), rate})
	}
	if t.Kept > 0 || len(bars) > 0 {
		bars = append(bars, Bar{"output kept", []Seg{{t.Kept, "out", "kept: " + Int(t.Kept)}}, fmt.Sprintf("%s (%s)", Int(t.Kept), Pct(t.Kept, t.Read))})
	}
	if t.BytesKept > 0 {
		bbars = append(bbars, Bar{"output kept", []Seg{{t.BytesKept, "out", "kept: " + Bytes(t.BytesKept)}}, fmt.Sprintf("%s (%s)", Bytes(t.BytesKept), Pct(t.BytesKept, t.BytesRead))})
	}
	lg := []Legend{{"in", "input"}, {"pass", "passed the step"}, {"rm", "removed by the step"}, {"out", "kept"}}
	docs = HBarChart("Documents through each step", "documents", bars, lg, Compact)
	if len(bbars) > 1 {
		blg := []Legend{{"in", "input"}, {"pass", "passed on"}, {"rm", "dropped, cut or extracted away"}, {"out", "kept"}}
		byts = HBarChart("Bytes of text through each step", "bytes of text", bbars, blg, func(v float64) string { return Bytes(v) })
	}
	return docs, byts, rows
}

func removals(st *Stats) (template.HTML, []Row) {
	type rr struct {
		step, reason string
		n            float64
	}
	var all []rr
	for _, s := range st.Steps {
		for r, n := range s.RemovedByReason {
			all = append(all, rr{s.Name, r, n})
		}
		if len(s.RemovedByReason) == 0 && s.Removed > 0 {
			all = append(all, rr{s.Name, "(no reason recorded)", s.Removed})
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].n != all[j].n {
			return all[i].n > all[j].n
		}
		return all[i].step+all[i].reason < all[j].step+all[j].reason
	})
	var bars []Bar
	var rows []Row
	for i, r := range all {
		rows = append(rows, Row{r.step, r.reason, Int(r.n), Pct(r.n, st.Totals.Read)})
		if i < 30 {
			bars = append(bars, Bar{r.step + " / " + r.reason, []Seg{{r.n, "rm", r.step + " / " + r.reason + ": " + Int(r.n)}},
				fmt.Sprintf("%s (%s of read)", Int(r.n), Pct(r.n, st.Totals.Read))})
		}
	}
	title := "Removed documents by step and reason"
	if len(all) > 30 {
		title += " (top 30)"
	}
	return HBarChart(title, "documents removed", bars, nil, Compact), rows
}

func languages(lang map[string]float64) template.HTML {
	if len(lang) == 0 {
		return ""
	}
	var total float64
	for _, v := range lang {
		total += v
	}
	var bars []Bar
	keys := sortedKeys(lang)
	for i, k := range keys {
		if i == 15 {
			var rest float64
			for _, k := range keys[15:] {
				rest += lang[k]
			}
			bars = append(bars, Bar{fmt.Sprintf("%d other languages", len(keys)-15), []Seg{{rest, "bar", Int(rest)}}, fmt.Sprintf("%s (%s)", Int(rest), Pct(rest, total))})
			break
		}
		bars = append(bars, Bar{k, []Seg{{lang[k], "bar", k + ": " + Int(lang[k])}}, fmt.Sprintf("%s (%s)", Int(lang[k]), Pct(lang[k], total))})
	}
	return HBarChart("Documents by language", "documents", bars, nil, Compact)
}

func measures(st *Stats) []MeasureGroup {
	var out []MeasureGroup
	for _, s := range st.Steps {
		if len(s.Measures) == 0 {
			continue
		}
		g := MeasureGroup{Step: s.Name}
		names := make([]string, 0, len(s.Measures))
		for n := range s.Measures {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			m := s.Measures[n]
			if m == nil {
				continue
			}
			mean := "–"
			if m.Count > 0 {
				mean = Compact(m.Sum / m.Count)
			}
			g.Rows = append(g.Rows, Row{n, Int(m.Count), Compact(m.Min), mean, Compact(m.Max)})
			if m.Count > 0 && m.Min == m.Max {
				continue // one value: the table says it all
			}
			g.Charts = append(g.Charts, HistFromStats(s.Name+": "+n, strings.ReplaceAll(n, "_", " "),
				[]string{"documents"}, []string{"bar"}, []*Hist{m.H()}, false)...)
		}
		out = append(out, g)
	}
	return out
}

// clusters draws near-duplicate cluster sizes in powers of two: most
// documents are in clusters of one, a few in clusters of thousands.
func clusters(h *Hist, sc *Scan) (template.HTML, []Fact) {
	if h != nil && len(h.Edges) > 1 {
		c := HistFromStats("Near-duplicate cluster size of kept documents", "cluster size (documents)", []string{"kept documents"}, []string{"bar"}, []*Hist{h}, true)
		if len(c) > 0 {
			return c[0], []Fact{{"kept documents counted", Int(h.Total())}}
		}
	}
	if len(sc.ClusterSizes) == 0 {
		return "", nil
	}
	var max, docs, inDup, clustersN int64
	for size, n := range sc.ClusterSizes {
		if size > max {
			max = size
		}
		docs += n
		if size > 1 {
			inDup += n
			clustersN += n
		}
	}
	// Buckets 1, 2, 3–4, 5–8, ...: one bar each, so that a size reads
	// exactly where it matters (singletons, pairs).
	var bars []Bar
	for lo := int64(1); lo <= max; {
		hi := lo
		if lo > 2 {
			hi = lo*2 - 2
		}
		var c float64
		for size, n := range sc.ClusterSizes {
			if size >= lo && size <= hi {
				c += float64(n)
			}
		}
		label := "cluster of " + Int(float64(lo))
		if hi > lo {
			label = fmt.Sprintf("cluster of %s–%s", Int(float64(lo)), Int(float64(hi)))
		}
		bars = append(bars, Bar{label, []Seg{{c, "bar", label + ": " + Int(c) + " kept documents"}}, fmt.Sprintf("%s (%s)", Int(c), Pct(c, float64(docs)))})
		lo = hi + 1
	}
	chart := HBarChart("Near-duplicate cluster size of kept documents", "kept documents", bars, nil, Compact)
	return chart, []Fact{
		{"kept documents with a cluster size", Int(float64(docs))},
		{"kept documents that had near-duplicates (cluster > 1)", fmt.Sprintf("%s (%s)", Int(float64(inDup)), Pct(float64(inDup), float64(docs)))},
		{"largest cluster", Int(float64(max)) + " documents"},
	}
}

// stepRepairs reads what repair steps measured on every document they saw
// (removed_lines and removed_chars), removed later or not.
func stepRepairs(st *Stats) []Row {
	var rows []Row
	for _, s := range st.Steps {
		l, c := s.Measures["removed_lines"], s.Measures["removed_chars"]
		if l == nil || c == nil || l.Sum == 0 {
			continue
		}
		rows = append(rows, Row{s.Name, Int(s.Rewritten), Int(l.Sum), Int(c.Sum)})
	}
	return rows
}

func repairs(st *Stats, sc *Scan) (template.HTML, []Row, []Fact) {
	if sc.Repaired == 0 {
		return "", nil, nil
	}
	var bars []Bar
	var rows []Row
	var chars, lines float64
	for _, k := range sortedKeys(sc.RepairChars) {
		c, l, d := float64(sc.RepairChars[k]), float64(sc.RepairLines[k]), float64(sc.RepairDocs[k])
		chars += c
		lines += l
		bars = append(bars, Bar{k, []Seg{{c, "rm", k + ": " + Int(c) + " characters"}}, fmt.Sprintf("%s chars · %s lines", Compact(c), Compact(l))})
		rows = append(rows, Row{k, Int(d), Int(l), Int(c)})
	}
	facts := []Fact{
		{"kept documents repaired", fmt.Sprintf("%s (%s of kept)", Int(float64(sc.Repaired)), Pct(float64(sc.Repaired), float64(sc.Docs[Kept])))},
		{"lines cut", Int(lines)},
		{"characters cut", Int(chars)},
	}
	return HBarChart("Characters cut by repair steps (kept documents)", "characters", bars, nil, Compact), rows, facts
}

// clusterMeasure falls back on a dedup step's own cluster_size measure
// (over every document it saw) when the kept documents carry no sizes.
func clusterMeasure(st *Stats) (template.HTML, []Fact) {
	for _, s := range st.Steps {
		m := s.Measures["cluster_size"]
		if m == nil || m.Count == 0 {
			continue
		}
		c := HistFromStats(s.Name+": cluster size of every document it saw", "cluster size (documents)",
			[]string{"documents"}, []string{"bar"}, []*Hist{m.H()}, true)
		if len(c) == 0 {
			continue
		}
		return c[0], []Fact{{"documents measured", Int(m.Count)}, {"largest cluster", Int(m.Max) + " documents"},
			{"mean cluster size", Compact(m.Sum / m.Count)}}
	}
	return "", nil
}
