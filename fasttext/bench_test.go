package fasttext

import "testing"

// BenchmarkPredictLID measures lid.176.ftz on the lingua sentences (75
// languages), top-1 as language filters use it:
//
//	go test ./fasttext -run '^$' -bench PredictLID -benchmem
func BenchmarkPredictLID(b *testing.B) {
	m, err := Load(lidModelPath(b))
	if err != nil {
		b.Fatal(err)
	}
	lines := linguaSentences(b)
	var bytes int64
	for _, l := range lines {
		bytes += int64(len(l)) + 1
	}
	p := m.NewPredictor()
	b.ResetTimer()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		p.Predict(lines[n%len(lines)], 1, 0)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(bytes)/float64(len(lines))*float64(n)/b.Elapsed().Seconds()/1e6, "MB/s")
}

// BenchmarkPredictLIDTop5 is BenchmarkPredictLID with k=5.
func BenchmarkPredictLIDTop5(b *testing.B) {
	m, err := Load(lidModelPath(b))
	if err != nil {
		b.Fatal(err)
	}
	lines := linguaSentences(b)
	p := m.NewPredictor()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		p.Predict(lines[n%len(lines)], 5, 0)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkLoadLID measures loading lid.176.ftz.
func BenchmarkLoadLID(b *testing.B) {
	path := lidModelPath(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}
