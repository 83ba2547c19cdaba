package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/saring/saring/outdir"
)

// LoadStats reads OUTDIR/stats.json through outdir. A missing file returns
// (nil, nil, nil): the caller says so (outdir.RunState) and counts from the
// outputs. A value of the wrong type is skipped and reported in warnings,
// because a report with a hole is more useful than none.
func LoadStats(dir string) (st *outdir.Stats, warnings []string, err error) {
	d := outdir.Dir{Root: dir}
	st, err = d.LoadStats()
	switch {
	case err == nil:
		return st, nil, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, nil
	}
	b, rerr := os.ReadFile(d.Stats())
	if rerr != nil {
		return nil, nil, fmt.Errorf("read stats: %w", rerr)
	}
	return ParseStats(b)
}

// ParseStats decodes stats.json bytes tolerantly (see LoadStats).
func ParseStats(b []byte) (*outdir.Stats, []string, error) {
	st := &outdir.Stats{}
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
	return st, warnings, nil
}

// bins returns a histogram's bins, dropping a malformed tail: at most
// len(Edges)-1 bins, Counts[i] values in [Edges[i], Edges[i+1]).
func bins(h *outdir.Histogram) (lo, hi, counts []float64) {
	if h == nil || len(h.Edges) < 2 {
		return nil, nil, nil
	}
	n := min(len(h.Edges)-1, len(h.Counts))
	for i := 0; i < n; i++ {
		lo = append(lo, h.Edges[i])
		hi = append(hi, h.Edges[i+1])
		counts = append(counts, float64(h.Counts[i]))
	}
	return lo, hi, counts
}

// total is the number of values a histogram counted in its bins.
func total(h *outdir.Histogram) float64 {
	if h == nil {
		return 0
	}
	var t float64
	for _, c := range h.Counts {
		t += float64(c)
	}
	return t
}
