package dedup

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// More runs than are merged at once: merged through intermediate runs, in
// the same order, and the intermediate files are gone afterwards.
func TestMergeRunsFanIn(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	var paths []string
	total := 0
	for i := 0; i < maxFanIn*2+17; i++ {
		recs := make([]bandRec, 1+rng.IntN(5))
		for j := range recs {
			recs[j] = bandRec{rng.Uint64N(1000), uint64(i*10 + j)}
		}
		sortBandRecs(recs)
		p := filepath.Join(dir, fmt.Sprintf("run-%05d.bin", i))
		if err := writeRun(p, recs, true); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		total += len(recs)
	}
	var prev bandRec
	n := 0
	err := mergeRuns(paths, func(r bandRec) error {
		if n > 0 && (r.key < prev.key || r.key == prev.key && r.seq < prev.seq) {
			return fmt.Errorf("out of order at %d: %v after %v", n, r, prev)
		}
		prev = r
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != total {
		t.Fatalf("merged %d records, want %d", n, total)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(paths) {
		t.Errorf("%d files left, want the %d runs", len(entries), len(paths))
	}
}
