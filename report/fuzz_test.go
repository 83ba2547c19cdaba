package report

import (
	"bytes"
	"github.com/saring/saring/outdir"
	"path/filepath"
	"testing"

	"github.com/saring/saring/internal/golden"
)

// FuzzParseStats: any stats.json renders a report without panicking.
func FuzzParseStats(f *testing.F) {
	for _, s := range []string{`{}`, `{"steps":[{"name":"a","docs_in":3,"removed":1,"removed_by_reason":{"r":1},"measures":{"m":{"count":1,"hist":{"edges":[0,1],"counts":[1,9]}}}}]}`,
		`{"histograms":{"chars_in":{"edges":[0,1e308,2e308],"counts":[-1,1e300]},"language":{"<b>":1}}}`, `[]`, `null`, `{"totals":{"read":-5}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, _, err := ParseStats(b)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Render(&buf, "out", st, newScan()); err != nil {
			t.Fatal(err)
		}
	})
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

func TestChartsGolden(t *testing.T) {
	bars := []Bar{
		{"input read", []Seg{{1000, "in", "read"}}, "1,000"},
		{"gopher_quality", []Seg{{900, "pass", "passed"}, {100, "rm", "removed"}}, "−100 (10%)"},
		{"<script>x</script>", []Seg{{5, "rm", "a&b"}}, "5"},
	}
	checkGolden(t, "hbar.svg", []byte(HBarChart("Documents through each step", "documents", bars, []Legend{{"pass", "passed"}}, Compact)))
	h := &outdir.Histogram{Edges: []float64{0, 16, 32, 64, 128}, Counts: []int64{1, 5, 9, 2}}
	charts := HistFromStats("Length", "characters", []string{"input", "kept"}, []string{"in", "out"}, []*outdir.Histogram{h, h}, false)
	if len(charts) != 1 {
		t.Fatalf("got %d charts, want 1", len(charts))
	}
	checkGolden(t, "hist.svg", []byte(charts[0]))
}
