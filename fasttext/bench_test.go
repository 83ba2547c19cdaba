package fasttext

import (
	"testing"
	"time"

	"github.com/saring/saring/internal/testenv"
)

// reportRates reports lines/s (and MB/s when lineBytes > 0) over wall time
// and over CPU time.
func reportRates(b *testing.B, n int, lineBytes float64, cpu time.Duration) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
	if lineBytes > 0 {
		b.ReportMetric(lineBytes*float64(n)/b.Elapsed().Seconds()/1e6, "MB/s")
	}
	if cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "lines/cpu-s")
	}
}

// BenchmarkPredictLID measures lid.176.ftz on the lingua sentences (75
// languages), top-1 as language filters use it, one core:
//
//	GOMAXPROCS=1 go test ./fasttext -run '^$' -bench PredictLID -benchmem
func BenchmarkPredictLID(b *testing.B) {
	m, err := Load(testenv.LIDModel(b))
	if err != nil {
		b.Fatal(err)
	}
	lines := linguaSentences(b)
	var bytes int64
	for _, l := range lines {
		bytes += int64(len(l)) + 1
	}
	p := m.NewPredictor()
	b.ReportAllocs()
	n := 0
	c0 := testenv.CPUTime()
	for b.Loop() {
		p.Predict(lines[n%len(lines)], 1, 0)
		n++
	}
	reportRates(b, n, float64(bytes)/float64(len(lines)), testenv.CPUTime()-c0)
}

// BenchmarkPredictLIDTop5 is BenchmarkPredictLID with k=5.
func BenchmarkPredictLIDTop5(b *testing.B) {
	m, err := Load(testenv.LIDModel(b))
	if err != nil {
		b.Fatal(err)
	}
	lines := linguaSentences(b)
	p := m.NewPredictor()
	b.ReportAllocs()
	n := 0
	c0 := testenv.CPUTime()
	for b.Loop() {
		p.Predict(lines[n%len(lines)], 5, 0)
		n++
	}
	reportRates(b, n, 0, testenv.CPUTime()-c0)
}

// BenchmarkLoadLID measures loading lid.176.ftz.
func BenchmarkLoadLID(b *testing.B) {
	path := testenv.LIDModel(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}
