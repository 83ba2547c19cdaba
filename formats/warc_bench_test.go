package formats

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/klauspost/compress/gzip"
)

func benchWARC(b *testing.B) []byte {
	one, err := os.ReadFile("../examples/pages.warc.gz")
	if err != nil {
		b.Fatal(err)
	}
	return bytes.Repeat(one, 300) // multi-member gzip: concatenation stays a valid .warc.gz
}

// BenchmarkWARCReader reads the example WARC (300 copies) on one core;
// MB/s is of the compressed file:
//
//	go test ./formats -run '^$' -bench 'WARCReader|GzipOnly' -benchtime 3s -cpu 1
func BenchmarkWARCReader(b *testing.B) {
	data := benchWARC(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	docs := 0
	for i := 0; i < b.N; i++ {
		r, err := openWARC("bench.warc.gz", bytes.NewReader(data), ReadOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			docs++
		}
	}
	b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkGzipOnly is decompression alone, the floor under the reader.
func BenchmarkGzipOnly(b *testing.B) {
	data := benchWARC(b)
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, zr)
	}
}
