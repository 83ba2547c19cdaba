package report

import (
	"github.com/saring/saring/outdir"
	"math"
	"reflect"
	"testing"
)

func TestFormat(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Int(0), "0"}, {Int(999), "999"}, {Int(1000), "1,000"}, {Int(1234567), "1,234,567"}, {Int(-4200), "-4,200"},
		{Int(math.NaN()), "–"},
		{Compact(0), "0"}, {Compact(1200), "1.2k"}, {Compact(15000), "15k"}, {Compact(3.4e6), "3.4M"}, {Compact(2e9), "2G"},
		{Compact(0.25), "0.25"}, {Compact(12.5), "12.5"}, {Compact(0.0012), "0.0012"},
		{Bytes(512), "512 B"}, {Bytes(1536), "1.5 KiB"}, {Bytes(3 << 30), "3.0 GiB"},
		{Pct(1, 4), "25%"}, {Pct(1, 0), "–"}, {Pct(0, 9), "0%"}, {Pct(1, 10000), "<0.1%"}, {Pct(5, 100), "5.0%"},
		{Duration(0.42), "420 ms"}, {Duration(75), "1m15s"}, {Duration(3700), "1h01m"}, {Duration(0), "–"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		max  float64
		want []float64
	}{
		{10, []float64{0, 2, 4, 6, 8, 10}},
		{9, []float64{0, 2, 4, 6, 8, 10}},
		{1, []float64{0, 1}},
		{2, []float64{0, 1, 2}},
		{0, []float64{0, 1}},
		{math.Inf(1), []float64{0, 1}},
		{7300, []float64{0, 2000, 4000, 6000, 8000}},
	} {
		if got := niceTicks(c.max, 5); !reflect.DeepEqual(got, c.want) {
			t.Errorf("niceTicks(%v) = %v, want %v", c.max, got, c.want)
		}
	}
}

func TestHistBins(t *testing.T) {
	for _, c := range []struct {
		name string
		h    *outdir.Histogram
		n    int
	}{
		{"nil", nil, 0},
		{"regular", &outdir.Histogram{Edges: []float64{0, 1, 2}, Counts: []int64{3, 4}}, 2},
		{"long counts", &outdir.Histogram{Edges: []float64{0, 1, 2}, Counts: []int64{3, 4, 5}}, 2},
		{"short counts", &outdir.Histogram{Edges: []float64{0, 1, 2, 3}, Counts: []int64{3}}, 1},
		{"one edge", &outdir.Histogram{Edges: []float64{0}, Counts: []int64{3}}, 0},
	} {
		if _, _, counts := bins(c.h); len(counts) != c.n {
			t.Errorf("%s: %d bins; want %d", c.name, len(counts), c.n)
		}
	}
}
