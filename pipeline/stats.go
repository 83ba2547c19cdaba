package pipeline

import (
	"math"
	"math/bits"
	"sort"
	"strings"

	"github.com/saring/saring"
)

// Stats is what stats.json holds.
type Stats struct {
	Version     string                `json:"version"`
	Started     string                `json:"started"`
	WallSeconds float64               `json:"wall_seconds"`
	Workers     int                   `json:"workers"`
	Config      *Config               `json:"config"`
	Input       InputStats            `json:"input"`
	Totals      Totals                `json:"totals"`
	Steps       []*StepStats          `json:"steps"`
	Histograms  map[string]*Histogram `json:"histograms"`
	Languages   map[string]int64      `json:"languages"`
}

// InputStats describes what was read.
type InputStats struct {
	Files   int              `json:"files"`
	Bytes   int64            `json:"bytes"`
	Skipped map[string]int64 `json:"skipped"`
}

// Totals is the accounting: Read == Kept + Removed + Rejected.
type Totals struct {
	Read      int64 `json:"read"`
	Kept      int64 `json:"kept"`
	Removed   int64 `json:"removed"`
	Rejected  int64 `json:"rejected"`
	BytesRead int64 `json:"bytes_read"` // text bytes of documents read
	BytesKept int64 `json:"bytes_kept"`
}

// StepStats counts what one step did.
type StepStats struct {
	Name      string                `json:"name"`
	DocsIn    int64                 `json:"docs_in"`
	BytesIn   int64                 `json:"bytes_in"`
	Kept      int64                 `json:"kept"`
	Rewritten int64                 `json:"rewritten"`
	Removed   int64                 `json:"removed"`
	BytesOut  int64                 `json:"bytes_out"`
	ByReason  map[string]int64      `json:"removed_by_reason"`
	Seconds   float64               `json:"seconds"` // summed over workers
	Measures  map[string]*Histogram `json:"measures,omitempty"`
}

func newStepStats(name string) *StepStats {
	return &StepStats{Name: name, ByReason: map[string]int64{}, Measures: map[string]*Histogram{}}
}

func (s *StepStats) merge(o *StepStats) {
	s.DocsIn += o.DocsIn
	s.BytesIn += o.BytesIn
	s.Kept += o.Kept
	s.Rewritten += o.Rewritten
	s.Removed += o.Removed
	s.BytesOut += o.BytesOut
	s.Seconds += o.Seconds
	for k, v := range o.ByReason {
		s.ByReason[k] += v
	}
	for k, h := range o.Measures {
		s.measure(k).merge(h)
	}
}

func (s *StepStats) measure(name string) *Histogram {
	h := s.Measures[name]
	if h == nil {
		h = newHistogram()
		s.Measures[name] = h
	}
	return h
}

// histEdges are shared by every histogram so that they merge and compare:
// twenty bins of 0.05 over [0, 1] for ratios and scores, then bins growing
// by a quarter power of two for counts and lengths, up to 2^40.
var histEdges = func() []float64 {
	var e []float64
	for i := 0; i <= 20; i++ {
		e = append(e, float64(i)/20)
	}
	for p := 0.25; p <= 40; p += 0.25 {
		e = append(e, math.Round(math.Pow(2, p)*100)/100)
	}
	return e
}()

// Histogram counts values in the shared bins. Values below 0 land in the
// first bin, values above the last edge in the last.
type Histogram struct {
	Count  int64     `json:"count"`
	Sum    float64   `json:"sum"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	Edges  []float64 `json:"edges"`
	Counts []int64   `json:"counts"`
}

func newHistogram() *Histogram {
	return &Histogram{Counts: make([]int64, len(histEdges)-1), Min: math.Inf(1), Max: math.Inf(-1)}
}

func (h *Histogram) Add(v float64) {
	if math.IsNaN(v) {
		return
	}
	h.Count++
	h.Sum += v
	h.Min = math.Min(h.Min, v)
	h.Max = math.Max(h.Max, v)
	i := sort.SearchFloat64s(histEdges, v) // first edge >= v
	if i < len(histEdges) && histEdges[i] == v && i < len(h.Counts) {
		// v on an edge belongs to the bin starting there
	} else {
		i--
	}
	h.Counts[max(0, min(i, len(h.Counts)-1))]++
}

func (h *Histogram) merge(o *Histogram) {
	if o.Count == 0 {
		return
	}
	h.Count += o.Count
	h.Sum += o.Sum
	h.Min = math.Min(h.Min, o.Min)
	h.Max = math.Max(h.Max, o.Max)
	for i, c := range o.Counts {
		h.Counts[i] += c
	}
}

// trim prepares a histogram for JSON: edges attached, empty tails cut,
// infinities (no values) zeroed.
func (h *Histogram) trim() {
	if h.Count == 0 {
		h.Min, h.Max = 0, 0
		h.Counts, h.Edges = nil, nil
		return
	}
	lo, hi := 0, len(h.Counts)
	for lo < hi && h.Counts[lo] == 0 {
		lo++
	}
	for hi > lo && h.Counts[hi-1] == 0 {
		hi--
	}
	h.Counts = h.Counts[lo:hi]
	h.Edges = histEdges[lo : hi+1]
}

// runStats is the mutable per-run (or per-batch) accumulator.
type runStats struct {
	steps      []*StepStats
	hists      map[string]*Histogram
	languages  map[string]int64
	totals     Totals
	skipped    map[string]int64
	inputFiles int
}

func newRunStats(steps []saring.Step) *runStats {
	rs := &runStats{hists: map[string]*Histogram{}, languages: map[string]int64{}, skipped: map[string]int64{}}
	for _, s := range steps {
		rs.steps = append(rs.steps, newStepStats(s.Name()))
	}
	return rs
}

func (r *runStats) hist(name string) *Histogram {
	h := r.hists[name]
	if h == nil {
		h = newHistogram()
		r.hists[name] = h
	}
	return h
}

func (r *runStats) merge(o *runStats) {
	for i, s := range o.steps {
		r.steps[i].merge(s)
	}
	for k, h := range o.hists {
		r.hist(k).merge(h)
	}
	for k, v := range o.languages {
		r.languages[k] += v
	}
	r.totals.Read += o.totals.Read
	r.totals.Kept += o.totals.Kept
	r.totals.Removed += o.totals.Removed
	r.totals.Rejected += o.totals.Rejected
	r.totals.BytesRead += o.totals.BytesRead
	r.totals.BytesKept += o.totals.BytesKept
	for k, v := range o.skipped {
		r.skipped[k] += v
	}
}

// countWords counts whitespace-separated tokens: cheap, for the length
// histograms (the filters count words their own, language-aware way).
func countWords(s string) int {
	// Eight bytes at a time: a token starts at a non-space byte whose
	// previous byte is a space (a byte <= ' ').
	const lo, hi = 0x2121212121212121, 0x8080808080808080
	n := 0
	prev := uint64(0x80) // the byte before the text counts as a space
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// (x|hi)-lo cannot borrow across bytes; its top bit is set where
		// the low seven bits are >= 0x21. A space is a byte below 0x80
		// without that bit.
		sp := ^(((x | hi) - lo) | x) & hi
		n += bits.OnesCount64(^sp & hi & (sp<<8 | prev))
		prev = sp >> 56
	}
	in := prev == 0
	for ; i < len(s); i++ {
		word := s[i] > ' '
		if word && !in {
			n++
		}
		in = word
	}
	return n
}

func measureKey(m saring.Measure) string {
	if m.Step == "" {
		return m.Name
	}
	return strings.TrimPrefix(m.Name, m.Step+".")
}
