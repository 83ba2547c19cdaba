package dedup

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestRunRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "run.bin")
	recs := []bandRec{{3, 9}, {1, 2}, {3, 1}, {1, 1}}
	sortBandRecs(recs)
	if err := writeRun(p, recs, true); err != nil {
		t.Fatal(err)
	}
	var got []bandRec
	if err := mergeRuns([]string{p, p}, func(r bandRec) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []bandRec{{1, 1}, {1, 1}, {1, 2}, {1, 2}, {3, 1}, {3, 1}, {3, 9}, {3, 9}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// Whatever bytes a run file holds, reading it ends in records or an error
// wrapping ErrCorrupt, never a panic or a silent partial read.
func FuzzReadRun(f *testing.F) {
	dir := f.TempDir()
	good := filepath.Join(dir, "good.bin")
	writeRun(good, []bandRec{{1, 2}, {5, 6}}, true)
	b, _ := os.ReadFile(good)
	f.Add(b)
	f.Add(b[:len(b)-1])
	f.Add([]byte("SRGDD1R\x01"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "run.bin")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		n := 0
		err := mergeRuns([]string{p}, func(bandRec) error { n++; return nil })
		if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("error %v does not wrap ErrCorrupt", err)
		}
	})
}
