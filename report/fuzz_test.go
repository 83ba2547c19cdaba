package report

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

var update = flag.Bool("update", false, "rewrite golden files")

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

// FuzzLineReader: lines and offsets agree with a plain split, whatever the
// read sizes.
func FuzzLineReader(f *testing.F) {
	f.Add([]byte("a\nbb\n\nccc"))
	f.Add([]byte("\r\n\n x \r\n"))
	f.Add(bytes.Repeat([]byte("y"), 3<<20))
	f.Fuzz(func(t *testing.T, b []byte) {
		lr := NewLineReader(iotest.HalfReader(bytes.NewReader(b)))
		var got []string
		for {
			line, off, err := lr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b[off:], line) {
				t.Fatalf("line %q not at offset %d", line, off)
			}
			got = append(got, string(line))
		}
		var want []string
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimRight(l, "\r\n")
			if strings.TrimSpace(l) != "" {
				want = append(want, l)
			}
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Fatalf("got %d lines, want %d", len(got), len(want))
		}
	})
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./report -run Golden -update to accept)", name)
	}
}

func TestChartsGolden(t *testing.T) {
	bars := []Bar{
		{"input read", []Seg{{1000, "in", "read"}}, "1,000"},
		{"gopher_quality", []Seg{{900, "pass", "passed"}, {100, "rm", "removed"}}, "−100 (10%)"},
		{"<script>x</script>", []Seg{{5, "rm", "a&b"}}, "5"},
	}
	golden(t, "hbar.svg", []byte(HBarChart("Documents through each step", "documents", bars, []Legend{{"pass", "passed"}}, Compact)))
	h := &Hist{Edges: []float64{0, 16, 32, 64, 128}, Counts: []float64{1, 5, 9, 2, 1}}
	charts := HistFromStats("Length", "characters", []string{"input", "kept"}, []string{"in", "out"}, []*Hist{h, h}, false)
	if len(charts) != 1 {
		t.Fatalf("got %d charts, want 1", len(charts))
	}
	golden(t, "hist.svg", []byte(charts[0]))
}
