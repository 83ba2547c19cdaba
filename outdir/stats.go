package outdir

import (
	"encoding/json"
	"math"
	"sort"
)

// Stats is what stats.json holds.
type Stats struct {
	Version     string  `json:"version"`
	Started     string  `json:"started"`
	WallSeconds float64 `json:"wall_seconds"`
	TaskSeconds float64 `json:"task_seconds,omitempty"` // summed over every task of every stage
	// Storage counts requests to object storage and web inputs, summed
	// over every task (absent when the run touched none).
	Storage *StorageStats `json:"storage,omitempty"`
	// Resources is what the run's processes used, over every task.
	Resources  *ResourceStats        `json:"resources,omitempty"`
	Workers    int                   `json:"workers"`
	Config     json.RawMessage       `json:"config"`
	Input      InputStats            `json:"input"`
	Totals     Totals                `json:"totals"`
	Steps      []*StepStats          `json:"steps"`
	Histograms map[string]*Histogram `json:"histograms"`
	Languages  map[string]int64      `json:"languages"`
	// Tokens are the token counts steps wrote on documents (the tokens
	// step's metadata key), by outcome and, for kept documents, language.
	Tokens map[string]*TokenStats `json:"tokens,omitempty"`
}

// InputStats describes what was read.
type InputStats struct {
	Files   int              `json:"files"`
	Bytes   int64            `json:"bytes"`
	Skipped map[string]int64 `json:"skipped"`
	// Unreadable lists the input files of which no record could be read
	// (every record of theirs is a rejected entry).
	Unreadable []string `json:"unreadable,omitempty"`
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
	// Decisions are what a corpus-wide step's decision found (one entry per
	// partition), e.g. minhash's clusters; Warnings what it asks a person
	// to check.
	Decisions []json.RawMessage `json:"decisions,omitempty"`
	Warnings  []string          `json:"warnings,omitempty"`
}

func NewStepStats(name string) *StepStats {
	return &StepStats{Name: name, ByReason: map[string]int64{}, Measures: map[string]*Histogram{}}
}

func (s *StepStats) Merge(o *StepStats) {
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
		s.Measure(k).Merge(h)
	}
}

func (s *StepStats) Measure(name string) *Histogram {
	h := s.Measures[name]
	if h == nil {
		h = NewHistogram()
		s.Measures[name] = h
	}
	return h
}

// HistEdges are shared by every histogram so that they merge and compare:
// twenty bins of 0.05 over [0, 1] for ratios and scores, then bins growing
// by a quarter power of two for counts and lengths, up to 2^40.
var HistEdges = func() []float64 {
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

func NewHistogram() *Histogram {
	return &Histogram{Counts: make([]int64, len(HistEdges)-1), Min: math.Inf(1), Max: math.Inf(-1)}
}

func (h *Histogram) Add(v float64) {
	if math.IsNaN(v) {
		return
	}
	h.Count++
	h.Sum += v
	h.Min = math.Min(h.Min, v)
	h.Max = math.Max(h.Max, v)
	i := sort.SearchFloat64s(HistEdges, v) // first edge >= v
	if i < len(HistEdges) && HistEdges[i] == v && i < len(h.Counts) {
		// v on an edge belongs to the bin starting there
	} else {
		i--
	}
	h.Counts[max(0, min(i, len(h.Counts)-1))]++
}

func (h *Histogram) Merge(o *Histogram) {
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

// Trim prepares a histogram for JSON: edges attached, empty tails cut,
// infinities (no values) zeroed.
func (h *Histogram) Trim() {
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
	h.Edges = HistEdges[lo : hi+1]
}

// LoadStats reads OUT/stats.json.
func (d Dir) LoadStats() (*Stats, error) {
	var s Stats
	if err := ReadJSON(d.Stats(), &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// ResourceStats is the CPU and memory a run used: CPU seconds (user +
// system) summed over its tasks, and the largest peak resident memory of
// any of its processes, with the workers each ran, so that memory per
// worker can be read off and budgets checked.
type ResourceStats struct {
	Tasks        int     `json:"tasks"`
	CPUSeconds   float64 `json:"cpu_seconds"`
	PeakRSSBytes int64   `json:"peak_rss_bytes"`
	Workers      int     `json:"workers"`
}

// Add merges the resources of one more task.
func (r *ResourceStats) Add(cpu float64, peakRSS int64) {
	r.Tasks++
	r.CPUSeconds += cpu
	r.PeakRSSBytes = max(r.PeakRSSBytes, peakRSS)
}

// StorageStats counts a run's requests to remote stores.
type StorageStats struct {
	Requests     int64 `json:"requests"`
	Retries      int64 `json:"retries"` // requests repeated after a transient fault (503 SlowDown, a cut body, a timeout)
	BytesRead    int64 `json:"bytes_read"`
	BytesWritten int64 `json:"bytes_written"`
}

// Add sums o into s.
func (s *StorageStats) Add(o *StorageStats) {
	if o == nil {
		return
	}
	s.Requests += o.Requests
	s.Retries += o.Retries
	s.BytesRead += o.BytesRead
	s.BytesWritten += o.BytesWritten
}

// TokenStats sums one token-count key over the documents that carry it.
type TokenStats struct {
	Docs           int64            `json:"docs"`
	Total          int64            `json:"total"`
	Kept           int64            `json:"kept"`
	RemovedByStep  map[string]int64 `json:"removed_by_step,omitempty"`
	KeptByLanguage map[string]int64 `json:"kept_by_language,omitempty"`
}

// Add counts one document of n tokens, kept or removed by step, in lang.
func (t *TokenStats) Add(n int64, kept bool, step, lang string) {
	t.Docs++
	t.Total += n
	if kept {
		t.Kept += n
		if lang != "" {
			if t.KeptByLanguage == nil {
				t.KeptByLanguage = map[string]int64{}
			}
			t.KeptByLanguage[lang] += n
		}
		return
	}
	if t.RemovedByStep == nil {
		t.RemovedByStep = map[string]int64{}
	}
	t.RemovedByStep[step] += n
}

// Merge adds o into t.
func (t *TokenStats) Merge(o *TokenStats) {
	t.Docs += o.Docs
	t.Total += o.Total
	t.Kept += o.Kept
	for k, v := range o.RemovedByStep {
		if t.RemovedByStep == nil {
			t.RemovedByStep = map[string]int64{}
		}
		t.RemovedByStep[k] += v
	}
	for k, v := range o.KeptByLanguage {
		if t.KeptByLanguage == nil {
			t.KeptByLanguage = map[string]int64{}
		}
		t.KeptByLanguage[k] += v
	}
}
