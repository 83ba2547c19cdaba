package report_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/saring/saring/report"
	"github.com/saring/saring/report/reporttest"
)

// BenchmarkGenerate renders the report of a 20k-document jsonl.zst output
// (stats.json present, so only documents with repairs or cluster sizes are
// decoded — in this fixture, every kept one).
//
//	go test ./report -run XXX -bench Generate -benchtime 5x
func BenchmarkGenerate(b *testing.B) {
	dir := b.TempDir()
	if err := reporttest.Write(dir, reporttest.Options{Docs: 20000, Compression: "zst", Seed: 1}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := report.Generate(context.Background(), report.Options{OutDir: dir, Output: filepath.Join(dir, "r.html")}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(20000*b.N)/b.Elapsed().Seconds(), "docs/s")
}
