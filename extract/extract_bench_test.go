package extract

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// benchPages runs fn over every example page b.N times and reports pages/s
// and MB/s of HTML, on one core:
//
//	go test ./extract -run '^$' -bench . -benchtime 3s -cpu 1
func benchPages(b *testing.B, fn func(page string)) {
	pages := examplePages(b)
	total := 0
	for _, p := range pages {
		total += len(p.html)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			fn(p.html)
		}
	}
	b.ReportMetric(float64(b.N*len(pages))/time.Since(start).Seconds(), "pages/s")
}

// BenchmarkExtract is the extract step's work per page (default options).
func BenchmarkExtract(b *testing.B) {
	e, _ := New(DefaultOptions(), 1)
	benchPages(b, func(p string) {
		if _, err := e.Extract(p, "https://example.com/a"); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkExtractNoMetadata skips title/author/date detection.
func BenchmarkExtractNoMetadata(b *testing.B) {
	o := DefaultOptions()
	o.Metadata = false
	e, _ := New(o, 1)
	benchPages(b, func(p string) {
		if _, err := e.Extract(p, "https://example.com/a"); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkReadability is go-readability alone, for comparison.
func BenchmarkReadability(b *testing.B) {
	benchPages(b, func(p string) { readabilityText(p) })
}

// BenchmarkHTMLParse is parsing alone: the floor under any DOM extractor.
func BenchmarkHTMLParse(b *testing.B) {
	benchPages(b, func(p string) {
		if _, err := html.Parse(strings.NewReader(p)); err != nil {
			b.Fatal(err)
		}
	})
}
