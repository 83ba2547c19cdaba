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

// BenchmarkLanguageDocs runs the language step (defaults: id/ms
// disambiguation on) over whole documents, one op a pass over the set, and
// reports MB per CPU-second:
//
//	GOMAXPROCS=1 go test ./langid -run '^$' -bench LanguageDocs -benchtime 2x
//
// "lingua": the lingua sentences of each of 75 languages joined 20 to a
// document by newlines (1,871 documents, 5.5 MB).
func BenchmarkLanguageDocs(b *testing.B) {
	s := newLanguage(b, nil)
	files, err := filepath.Glob(filepath.Join(testenv.SharedFile(b, "data", "lingua-sentences"), "*.txt"))
	if err != nil || len(files) == 0 {
		b.Skip("no lingua sentences")
	}
	var docs []string
	var size int64
	for _, f := range files {
		lines := testenv.ReadLines(b, f)
		for i := 0; i < len(lines); i += 20 {
			d := strings.Join(lines[i:min(i+20, len(lines))], "\n")
			docs = append(docs, d)
			size += int64(len(d))
		}
	}
	ctx := context.Background()
	b.SetBytes(size)
	b.ReportAllocs()
	c0 := testenv.CPUTime()
	for b.Loop() {
		for _, t := range docs {
			if _, err := s.Process(ctx, doc(t)); err != nil {
				b.Fatal(err)
			}
		}
	}
	testenv.ReportMBPerCPUSecond(b, c0, size)
}
