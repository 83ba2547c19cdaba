package viewer

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/saring/saring/report/reporttest"
)

func benchDir(b *testing.B) string {
	dir := b.TempDir()
	if err := reporttest.Write(dir, reporttest.Options{Docs: 20000, Compression: "zst", Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBuild indexes a 20k-document jsonl.zst output.
//
//	go test ./report/viewer -run XXX -bench Build -benchtime 5x
func BenchmarkBuild(b *testing.B) {
	dir := benchDir(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Build(context.Background(), dir, filepath.Join(dir, ".index")); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(20000*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkSelectAndPage filters by language and score (a full index scan
// when not cached) and reads one page of 50 documents.
//
//	go test ./report/viewer -run XXX -bench SelectAndPage
func BenchmarkSelectAndPage(b *testing.B) {
	dir := benchDir(b)
	idx := filepath.Join(dir, ".index")
	man, err := Build(context.Background(), dir, idx)
	if err != nil {
		b.Fatal(err)
	}
	s, err := OpenStore(dir, idx, man)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := Filter{Set: -1, Step: -1, Reason: -1, Lang: lookup(man.Langs, "en"), MinScore: 0.5 + float64(i%100)/1000, MaxScore: math.NaN()}
		sel, err := s.Select(f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Page(sel, 100, PageSize); err != nil {
			b.Fatal(err)
		}
	}
}
