package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Stats is stats.json as the runner writes it. Every number is a float64 so
// that a writer that prints 1e+06 or 12.0 still decodes; missing keys stay zero.
type Stats struct {
	Version     string          `json:"version"`
	Started     string          `json:"started"`
	WallSeconds float64         `json:"wall_seconds"`
	Workers     float64         `json:"workers"`
	Config      json.RawMessage `json:"config"`
	Input       InputStats      `json:"input"`
	Totals      Totals          `json:"totals"`
	Steps       []StepStats     `json:"steps"`
	// Histograms is filled from the "histograms" object, whatever the
	// shape of its members (see ParseStats).
	Histograms    Histograms                 `json:"-"`
	RawHistograms map[string]json.RawMessage `json:"histograms"`
	Languages     map[string]float64         `json:"languages"`
}

// InputStats describes what the run read.
type InputStats struct {
	Files   float64            `json:"files"`
	Bytes   float64            `json:"bytes"`
	Skipped map[string]float64 `json:"skipped"`
}

// Totals are the run's document and byte counts.
type Totals struct {
	Read      float64 `json:"read"`
	Kept      float64 `json:"kept"`
	Removed   float64 `json:"removed"`
	Rejected  float64 `json:"rejected"`
	BytesRead float64 `json:"bytes_read"`
	BytesKept float64 `json:"bytes_kept"`
}

// StepStats are one step's counts, timings and measured values.
type StepStats struct {
	Name            string              `json:"name"`
	DocsIn          float64             `json:"docs_in"`
	BytesIn         float64             `json:"bytes_in"`
	Kept            float64             `json:"kept"`
	Rewritten       float64             `json:"rewritten"`
	Removed         float64             `json:"removed"`
	BytesOut        float64             `json:"bytes_out"`
	RemovedByReason map[string]float64  `json:"removed_by_reason"`
	Seconds         float64             `json:"seconds"`
	Measures        map[string]*Measure `json:"measures"`
}

// Measure summarises one measured value of a step over the documents it
// saw. Its bins are either inline (edges, counts beside count and sum, as
// `saring run` writes them) or nested under "hist".
type Measure struct {
	Hist
	Nested *Hist `json:"hist"`
}

// H returns the measure's histogram, wherever it was written.
func (m *Measure) H() *Hist {
	if m.Nested != nil && len(m.Nested.Edges) > 0 {
		return m.Nested
	}
	return &m.Hist
}

// Hist is a histogram: Counts[i] values fell in [Edges[i], Edges[i+1]).
// A writer may add one more count for values at or past the last edge.
type Hist struct {
	Count  float64   `json:"count"`
	Sum    float64   `json:"sum"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	Edges  []float64 `json:"edges"`
	Counts []float64 `json:"counts"`
}

// Histograms are the run-wide distributions before and after the pipeline.
type Histograms struct {
	CharsIn            *Hist              `json:"chars_in"`
	CharsOut           *Hist              `json:"chars_out"`
	WordsIn            *Hist              `json:"words_in"`
	WordsOut           *Hist              `json:"words_out"`
	Language           map[string]float64 `json:"language"`
	LanguageScore      *Hist              `json:"language_score"`
	MinhashClusterSize *Hist              `json:"minhash_cluster_size"`
	Other              map[string]*Hist   // any other histogram, by name
}

// Bins returns the histogram's bins, dropping a malformed tail: at most
// len(Edges)-1 regular bins plus an overflow bin when Counts has one more.
func (h *Hist) Bins() (lo, hi []float64, counts []float64, overflow float64) {
	if h == nil || len(h.Edges) < 2 {
		return nil, nil, nil, 0
	}
	n := len(h.Edges) - 1
	if len(h.Counts) < n {
		n = len(h.Counts)
	}
	for i := 0; i < n; i++ {
		lo = append(lo, h.Edges[i])
		hi = append(hi, h.Edges[i+1])
		counts = append(counts, h.Counts[i])
	}
	if len(h.Counts) > len(h.Edges)-1 && len(h.Edges)-1 >= 0 {
		for _, c := range h.Counts[len(h.Edges)-1:] {
			overflow += c
		}
	}
	return lo, hi, counts, overflow
}

// Total is the number of values the histogram counted, overflow included.
func (h *Hist) Total() float64 {
	if h == nil {
		return 0
	}
	var t float64
	for _, c := range h.Counts {
		t += c
	}
	return t
}

// LoadStats reads OUTDIR/stats.json. A missing file returns (nil, nil); a
// value of the wrong type is skipped and reported in warnings, because a
// report with a hole is more useful than none.
func LoadStats(outdir string) (st *Stats, warnings []string, err error) {
	b, err := os.ReadFile(filepath.Join(outdir, "stats.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, []string{"stats.json not found: counts come from scanning the output files only"}, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read stats: %w", err)
	}
	return ParseStats(b)
}

// ParseStats decodes stats.json bytes tolerantly (see LoadStats).
func ParseStats(b []byte) (*Stats, []string, error) {
	st := &Stats{}
	var warnings []string
	err := json.Unmarshal(b, st)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &te):
		// encoding/json keeps decoding past a type mismatch; keep what it got.
		warnings = append(warnings, fmt.Sprintf("stats.json: %v (value skipped)", err))
	default:
		return nil, []string{fmt.Sprintf("stats.json is not valid JSON (%v): counts come from scanning the output files only", err)}, nil
	}
	h := &st.Histograms
	for name, raw := range st.RawHistograms {
		if name == "language" || name == "languages" {
			_ = json.Unmarshal(raw, &h.Language)
			continue
		}
		var x Hist
		if json.Unmarshal(raw, &x) != nil && len(x.Edges) == 0 {
			continue
		}
		switch name {
		case "chars_in":
			h.CharsIn = &x
		case "chars_out":
			h.CharsOut = &x
		case "words_in":
			h.WordsIn = &x
		case "words_out":
			h.WordsOut = &x
		case "language_score":
			h.LanguageScore = &x
		case "minhash_cluster_size":
			h.MinhashClusterSize = &x
		default:
			if h.Other == nil {
				h.Other = map[string]*Hist{}
			}
			h.Other[name] = &x
		}
	}
	if len(h.Language) == 0 && len(st.Languages) > 0 {
		h.Language = st.Languages
	}
	return st, warnings, nil
}
