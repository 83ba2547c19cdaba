package fasttext

import (
	"os"
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

// BenchmarkPredictDocs measures lid.176.ftz on whole documents, the way the
// language step classifies them (newlines as spaces, top 2), one core:
//
//	GOMAXPROCS=1 go test ./fasttext -run '^$' -bench PredictDocs -benchmem -benchtime 3s
//
// "lingua": the lingua sentences of each of 75 languages joined 20 at a
// time (1,871 documents, 5.5 MB, about 3 KB each), in language order; a
// hard case for the word cache, as half its words occur once in the set.
// "web": the web corpus (scripts/get-webcorpus.sh; skipped without it),
// 8,360 pages of Debian's handbook and reference in 26 languages, 24 MB.
// "antara": one scraped Indonesian news page.
func BenchmarkPredictDocs(b *testing.B) {
	m, err := Load(testenv.LIDModel(b))
	if err != nil {
		b.Fatal(err)
	}
	sets := []struct {
		name string
		docs func() []string
	}{
		{"lingua", func() []string { return linguaDocs(b, 20) }},
		{"web", func() []string { return webDocs(b) }},
		{"antara", func() []string {
			t, err := os.ReadFile(testenv.SharedFile(b, "examples", "antara-news-scraped.txt"))
			if err != nil {
				b.Fatal(err)
			}
			return []string{string(t)}
		}},
	}
	for _, set := range sets {
		b.Run(set.name, func(b *testing.B) {
			docs := set.docs()
			if len(docs) == 0 {
				b.Skip("corpus absent")
			}
			var size int64
			for _, d := range docs {
				size += int64(len(d))
			}
			// One op is one pass over the whole set: a word cache
			// sees each part of the corpus as often as any other.
			p := m.NewPredictor()
			b.ReportAllocs()
			b.SetBytes(size)
			c0 := testenv.CPUTime()
			for b.Loop() {
				for _, d := range docs {
					p.PredictText(d, 2, 0)
				}
			}
			testenv.ReportMBPerCPUSecond(b, c0, size)
		})
	}
}
