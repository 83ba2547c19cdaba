package pipeline

import (
	"encoding/json"
	"math/bits"
	"strings"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
)

// Stats is what stats.json holds (outdir owns the type).
type (
	Stats      = outdir.Stats
	StepStats  = outdir.StepStats
	Histogram  = outdir.Histogram
	Totals     = outdir.Totals
	InputStats = outdir.InputStats
)

// runStats is the mutable accumulator of a batch, a unit or a run. A unit's
// runStats is stored in its marker (JSON) and merged, in unit order, into
// stats.json, so the merged numbers do not depend on how units were
// grouped into tasks.
type runStats struct {
	Steps     []*StepStats                  `json:"steps"`
	Hists     map[string]*Histogram         `json:"histograms,omitempty"`
	Languages map[string]int64              `json:"languages,omitempty"`
	Totals    Totals                        `json:"totals"`
	Skipped   map[string]int64              `json:"skipped,omitempty"`
	Tokens    map[string]*outdir.TokenStats `json:"tokens,omitempty"`
}

func newRunStats(steps []saring.Step) *runStats {
	rs := &runStats{Hists: map[string]*Histogram{}, Languages: map[string]int64{}, Skipped: map[string]int64{}}
	for _, s := range steps {
		rs.Steps = append(rs.Steps, outdir.NewStepStats(s.Name()))
	}
	return rs
}

func (r *runStats) hist(name string) *Histogram {
	h := r.Hists[name]
	if h == nil {
		h = outdir.NewHistogram()
		r.Hists[name] = h
	}
	return h
}

func (r *runStats) merge(o *runStats) {
	for i, s := range o.Steps {
		if s != nil && i < len(r.Steps) {
			r.Steps[i].Merge(s)
		}
	}
	for k, h := range o.Hists {
		r.hist(k).Merge(h)
	}
	for k, v := range o.Languages {
		r.Languages[k] += v
	}
	r.Totals.Read += o.Totals.Read
	r.Totals.Kept += o.Totals.Kept
	r.Totals.Removed += o.Totals.Removed
	r.Totals.Rejected += o.Totals.Rejected
	r.Totals.BytesRead += o.Totals.BytesRead
	r.Totals.BytesKept += o.Totals.BytesKept
	for k, v := range o.Skipped {
		r.Skipped[k] += v
	}
	for k, t := range o.Tokens {
		r.tokens(k).Merge(t)
	}
}

func (r *runStats) tokens(key string) *outdir.TokenStats {
	if r.Tokens == nil {
		r.Tokens = map[string]*outdir.TokenStats{}
	}
	t := r.Tokens[key]
	if t == nil {
		t = &outdir.TokenStats{}
		r.Tokens[key] = t
	}
	return t
}

// decode restores a runStats from a marker; histograms get their full
// bins back (markers store them trimmed).
func decodeRunStats(b []byte, steps []saring.Step) (*runStats, error) {
	rs := newRunStats(steps)
	var in runStats
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, err
	}
	for i, s := range in.Steps {
		if s == nil || i >= len(rs.Steps) {
			continue
		}
		for k, h := range s.Measures {
			s.Measures[k] = untrim(h)
		}
		if s.ByReason == nil {
			s.ByReason = map[string]int64{}
		}
		rs.Steps[i].Merge(s)
	}
	for k, h := range in.Hists {
		rs.Hists[k] = untrim(h)
	}
	for k, v := range in.Languages {
		rs.Languages[k] = v
	}
	for k, v := range in.Skipped {
		rs.Skipped[k] = v
	}
	rs.Totals = in.Totals
	rs.Tokens = in.Tokens
	return rs, nil
}

// untrim puts a trimmed histogram's counts back on the shared edges.
func untrim(h *Histogram) *Histogram {
	full := outdir.NewHistogram()
	if h.Count == 0 {
		return full
	}
	full.Count, full.Sum, full.Min, full.Max = h.Count, h.Sum, h.Min, h.Max
	lo := 0
	if len(h.Edges) > 0 {
		for lo < len(outdir.HistEdges) && outdir.HistEdges[lo] != h.Edges[0] {
			lo++
		}
	}
	for i, c := range h.Counts {
		if lo+i < len(full.Counts) {
			full.Counts[lo+i] = c
		}
	}
	return full
}

// encode stores a runStats for a marker: histograms trimmed.
func (r *runStats) encode() (json.RawMessage, error) {
	out := &runStats{Hists: map[string]*Histogram{}, Languages: r.Languages, Totals: r.Totals, Skipped: r.Skipped, Tokens: r.Tokens}
	for _, s := range r.Steps {
		c := *s
		c.Measures = map[string]*Histogram{}
		for k, h := range s.Measures {
			hc := *h
			hc.Counts = append([]int64(nil), h.Counts...)
			hc.Trim()
			c.Measures[k] = &hc
		}
		out.Steps = append(out.Steps, &c)
	}
	for k, h := range r.Hists {
		hc := *h
		hc.Counts = append([]int64(nil), h.Counts...)
		hc.Trim()
		out.Hists[k] = &hc
	}
	return json.Marshal(out)
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
