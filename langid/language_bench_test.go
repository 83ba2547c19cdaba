package langid

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// BenchmarkLanguage runs the language step on documents of ten lingua
// sentences each (Indonesian, Malay, English), disambiguation on:
//
//	GOMAXPROCS=1 go test ./langid -run '^$' -bench Language -benchmem
func BenchmarkLanguage(b *testing.B) {
	s := newLanguage(b, nil)
	dir := filepath.Dir(testenv.SharedFile(b, "data", "lingua-sentences", "id.txt"))
	var docs []string
	var bytes int
	for _, lang := range []string{"id", "ms", "en"} {
		lines := testenv.ReadLines(b, filepath.Join(dir, lang+".txt"))
		for i := 0; i+10 <= len(lines); i += 10 {
			d := strings.Join(lines[i:i+10], "\n")
			docs = append(docs, d)
			bytes += len(d)
		}
	}
	b.SetBytes(int64(bytes / len(docs)))
	b.ReportAllocs()
	ctx := context.Background()
	n := 0
	for b.Loop() {
		d := doc(docs[n%len(docs)])
		if _, err := s.Process(ctx, d); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
}
