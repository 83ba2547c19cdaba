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

	"github.com/saring/saring/outdir"
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
	// Unfinished says why the outputs may not be the whole run (no
	// done.json, no stats.json); empty for a finished run.
	Unfinished []string
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
	dir := outdir.Dir{Root: opts.OutDir}
	state, err := dir.RunState()
	if err != nil {
		return nil, err
	}
	st, warnings, err := LoadStats(opts.OutDir)
	if err != nil {
		return nil, err
	}
	if st == nil && state.HasStats && len(warnings) == 0 {
		state.HasStats = false
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
	page.Unfinished = state.Problems(dir)
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("render report: %w", err)
	}
	if err := outdir.WriteFile(out, buf.Bytes()); err != nil {
		return nil, fmt.Errorf("write report: %w", err)
	}
	return &Summary{Output: out, Docs: scan.Docs[0] + scan.Docs[1] + scan.Docs[2],
		Seconds: time.Since(start).Seconds(), Warnings: warnings, Unfinished: page.Unfinished}, nil
}

// Render writes the report of already loaded data to w (used by tests and
// by callers that hold the stats in memory).
func Render(w *bytes.Buffer, dir string, st *outdir.Stats, scan *Scan) error {
	return tmpl.Execute(w, buildPage(dir, st, scan, nil))
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
	Unfinished   []string
}

func buildPage(dir string, st *outdir.Stats, sc *Scan, warnings []string) *page {
	p := &page{OutDir: dir, Warnings: warnings}
	if st == nil {
		st = statsFromScan(sc)
	}
	// What corpus-wide decisions ask a person to check (minhash clusters
	// over the size limit, with the largest named).
	for _, s := range st.Steps {
		p.Warnings = append(p.Warnings, s.Warnings...)
	}
	t := st.Totals
	read, kept, removed := float64(t.Read), float64(t.Kept), float64(t.Removed)
	p.Cards = []Card{
		{"read", Int(read), Bytes(float64(t.BytesRead)), "in"},
		{"kept", Int(kept), Pct(kept, read) + " of read · " + Bytes(float64(t.BytesKept)), "pass"},
		{"removed", Int(removed), Pct(removed, read) + " of read", "rm"},
		{"rejected", Int(float64(t.Rejected)), "unreadable records", "rej"},
	}
	p.Facts = runFacts(st, sc)
	p.Funnel, p.FunnelBytes, p.StepRows = funnels(st)
	p.Removals, p.RemovalRows = removals(st)
	h := st.Histograms
	p.Lengths = append(p.Lengths, HistFromStats("Document length before and after, in characters", "characters per document",
		[]string{"input", "kept"}, []string{"in", "out"}, []*outdir.Histogram{h["chars_in"], h["chars_out"]}, false)...)
	p.Lengths = append(p.Lengths, HistFromStats("Document length before and after, in words", "words per document",
		[]string{"input", "kept"}, []string{"in", "out"}, []*outdir.Histogram{h["words_in"], h["words_out"]}, false)...)
	p.Languages = languages(st.Languages)
	var others []string
	for k := range h {
		if !knownHists[k] {
			others = append(others, k)
		}
	}
	sort.Strings(others)
	for _, k := range others {
		p.OtherHists = append(p.OtherHists, HistFromStats(strings.ReplaceAll(k, "_", " "), strings.ReplaceAll(k, "_", " "),
			[]string{"documents"}, []string{"bar"}, []*outdir.Histogram{h[k]}, false)...)
	}
	p.LangScore = HistFromStats("Language identification score", "score (probability of the top language)",
		[]string{"documents"}, []string{"bar"}, []*outdir.Histogram{h[outdir.MetaLanguageScore]}, false)
	p.Measures = measures(st)
	p.Clusters, p.ClusterFacts = clusters(h[outdir.MetaMinhashClusterSize], sc)
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
		p.Skipped = append(p.Skipped, Row{k, Int(float64(st.Input.Skipped[k]))})
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

// knownHists are the run-wide histograms the report draws in their own
// sections; any other is drawn under "other distributions".
var knownHists = map[string]bool{"chars_in": true, "chars_out": true, "words_in": true, "words_out": true,
	outdir.MetaLanguageScore: true, outdir.MetaMinhashClusterSize: true}

// statsFromScan stands in for a missing stats.json with what the outputs tell.
func statsFromScan(sc *Scan) *outdir.Stats {
	st := &outdir.Stats{}
	st.Totals.Kept = sc.Docs[Kept]
	st.Totals.Removed = sc.Docs[Removed]
	st.Totals.Rejected = sc.Docs[Rejected]
	st.Totals.Read = st.Totals.Kept + st.Totals.Removed + st.Totals.Rejected
	if len(sc.Languages) > 0 {
		st.Languages = map[string]int64{}
		for k, v := range sc.Languages {
			st.Languages[k] = v
		}
	}
	steps := make([]string, 0, len(sc.RemovedBy))
	for s := range sc.RemovedBy {
		steps = append(steps, s)
	}
	sort.Strings(steps)
	for _, s := range steps {
		ss := outdir.NewStepStats(s)
		for r, n := range sc.RemovedBy[s] {
			ss.ByReason[r] = n
			ss.Removed += n
		}
		st.Steps = append(st.Steps, ss)
	}
	return st
}

func runFacts(st *outdir.Stats, sc *Scan) []Fact {
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
	if st.TaskSeconds > 0 {
		add("task time (every task of every stage)", Duration(st.TaskSeconds))
	}
	workers := float64(st.Workers)
	if workers > 0 {
		add("workers", Int(workers))
	}
	read, bytesRead := float64(st.Totals.Read), float64(st.Totals.BytesRead)
	if st.WallSeconds > 0 {
		add("throughput", fmt.Sprintf("%s docs/s · %s/s", Int(read/st.WallSeconds), Bytes(bytesRead/st.WallSeconds)))
		if workers > 0 {
			add("per worker", fmt.Sprintf("%s docs/s · %s/s", Int(read/st.WallSeconds/workers), Bytes(bytesRead/st.WallSeconds/workers)))
		}
	}
	if r := st.Resources; r != nil && r.CPUSeconds > 0 {
		add("CPU", fmt.Sprintf("%s (%s/CPU-second)", Duration(r.CPUSeconds), Bytes(bytesRead/r.CPUSeconds)))
	}
	if r := st.Resources; r != nil && r.PeakRSSBytes > 0 {
		add("peak memory of a task", fmt.Sprintf("%s (%d workers)", Bytes(float64(r.PeakRSSBytes)), r.Workers))
	}
	if st.Input.Files > 0 {
		add("input", fmt.Sprintf("%s files · %s", Int(float64(st.Input.Files)), Bytes(float64(st.Input.Bytes))))
	}
	for _, t := range TokenSummary(st) {
		add(t.Name, t.Value)
	}
	add("output files", Int(float64(sc.Files)))
	return f
}

func funnels(st *outdir.Stats) (docs, byts template.HTML, rows []Row) {
	type totals struct{ Read, Kept, BytesRead, BytesKept float64 }
	t := totals{float64(st.Totals.Read), float64(st.Totals.Kept), float64(st.Totals.BytesRead), float64(st.Totals.BytesKept)}
	var bars, bbars []Bar
	if t.Read > 0 {
		bars = append(bars, Bar{"input read", []Seg{{t.Read, "in", "read: " + Int(t.Read)}}, Int(t.Read)})
	}
	if t.BytesRead > 0 {
		bbars = append(bbars, Bar{"input read", []Seg{{t.BytesRead, "in", "read: " + Bytes(t.BytesRead)}}, Bytes(t.BytesRead)})
	}
	for _, ss := range st.Steps {
		if ss == nil {
			continue
		}
		s := stepNums(ss)
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

func removals(st *outdir.Stats) (template.HTML, []Row) {
	type rr struct {
		step, reason string
		n            float64
	}
	var all []rr
	for _, s := range st.Steps {
		if s == nil {
			continue
		}
		for r, n := range s.ByReason {
			all = append(all, rr{s.Name, r, float64(n)})
		}
		if len(s.ByReason) == 0 && s.Removed > 0 {
			all = append(all, rr{s.Name, "(no reason recorded)", float64(s.Removed)})
		}
	}
	read := float64(st.Totals.Read)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].n != all[j].n {
			return all[i].n > all[j].n
		}
		return all[i].step+all[i].reason < all[j].step+all[j].reason
	})
	var bars []Bar
	var rows []Row
	for i, r := range all {
		rows = append(rows, Row{r.step, r.reason, Int(r.n), Pct(r.n, read)})
		if i < 30 {
			bars = append(bars, Bar{r.step + " / " + r.reason, []Seg{{r.n, "rm", r.step + " / " + r.reason + ": " + Int(r.n)}},
				fmt.Sprintf("%s (%s of read)", Int(r.n), Pct(r.n, read))})
		}
	}
	title := "Removed documents by step and reason"
	if len(all) > 30 {
		title += " (top 30)"
	}
	return HBarChart(title, "documents removed", bars, nil, Compact), rows
}

func languages(counts map[string]int64) template.HTML {
	if len(counts) == 0 {
		return ""
	}
	lang := make(map[string]float64, len(counts))
	for k, v := range counts {
		lang[k] = float64(v)
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

func measures(st *outdir.Stats) []MeasureGroup {
	var out []MeasureGroup
	for _, s := range st.Steps {
		if s == nil || len(s.Measures) == 0 {
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
				mean = Compact(m.Sum / float64(m.Count))
			}
			g.Rows = append(g.Rows, Row{n, Int(float64(m.Count)), Compact(m.Min), mean, Compact(m.Max)})
			if m.Count > 0 && m.Min == m.Max {
				continue // one value: the table says it all
			}
			g.Charts = append(g.Charts, HistFromStats(s.Name+": "+n, strings.ReplaceAll(n, "_", " "),
				[]string{"documents"}, []string{"bar"}, []*outdir.Histogram{m}, false)...)
		}
		out = append(out, g)
	}
	return out
}

// clusters draws near-duplicate cluster sizes in powers of two: most
// documents are in clusters of one, a few in clusters of thousands.
func clusters(h *outdir.Histogram, sc *Scan) (template.HTML, []Fact) {
	if h != nil && len(h.Edges) > 1 {
		c := HistFromStats("Near-duplicate cluster size of kept documents", "cluster size (documents)", []string{"kept documents"}, []string{"bar"}, []*outdir.Histogram{h}, true)
		if len(c) > 0 {
			return c[0], []Fact{{"kept documents counted", Int(total(h))}}
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
func stepRepairs(st *outdir.Stats) []Row {
	var rows []Row
	for _, s := range st.Steps {
		if s == nil {
			continue
		}
		l, c := s.Measures["removed_lines"], s.Measures["removed_chars"]
		if l == nil || c == nil || l.Sum == 0 {
			continue
		}
		rows = append(rows, Row{s.Name, Int(float64(s.Rewritten)), Int(l.Sum), Int(c.Sum)})
	}
	return rows
}

func repairs(st *outdir.Stats, sc *Scan) (template.HTML, []Row, []Fact) {
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
func clusterMeasure(st *outdir.Stats) (template.HTML, []Fact) {
	for _, s := range st.Steps {
		if s == nil {
			continue
		}
		m := s.Measures["cluster_size"]
		if m == nil || m.Count == 0 {
			continue
		}
		c := HistFromStats(s.Name+": cluster size of every document it saw", "cluster size (documents)",
			[]string{"documents"}, []string{"bar"}, []*outdir.Histogram{m}, true)
		if len(c) == 0 {
			continue
		}
		return c[0], []Fact{{"documents measured", Int(float64(m.Count))}, {"largest cluster", Int(m.Max) + " documents"},
			{"mean cluster size", Compact(m.Sum / float64(m.Count))}}
	}
	return "", nil
}

// stepNumbers are a step's counts as the charts take them.
type stepNumbers struct {
	Name                                                string
	DocsIn, BytesIn, Kept, Rewritten, Removed, BytesOut float64
	Seconds                                             float64
}

func stepNums(s *outdir.StepStats) stepNumbers {
	return stepNumbers{s.Name, float64(s.DocsIn), float64(s.BytesIn), float64(s.Kept), float64(s.Rewritten),
		float64(s.Removed), float64(s.BytesOut), s.Seconds}
}

// TokenSummary gives one line per token count of the run (the tokens
// step's measure keys): tokens kept of those counted, and the five
// languages with most kept tokens. The report and the viewer show it.
func TokenSummary(st *outdir.Stats) []Fact {
	keys := make([]string, 0, len(st.Tokens))
	for k := range st.Tokens {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []Fact
	for _, k := range keys {
		t := st.Tokens[k]
		v := fmt.Sprintf("%s kept of %s counted", Int(float64(t.Kept)), Int(float64(t.Total)))
		langs := make([]string, 0, len(t.KeptByLanguage))
		for l := range t.KeptByLanguage {
			langs = append(langs, l)
		}
		sort.Slice(langs, func(i, j int) bool {
			a, b := t.KeptByLanguage[langs[i]], t.KeptByLanguage[langs[j]]
			return a > b || a == b && langs[i] < langs[j]
		})
		for i, l := range langs {
			if i == 5 {
				v += " · …"
				break
			}
			v += fmt.Sprintf(" · %s %s", l, Int(float64(t.KeptByLanguage[l])))
		}
		out = append(out, Fact{"tokens (" + k + ")", v})
	}
	return out
}
