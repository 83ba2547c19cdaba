package formats

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/saring/saring"
)

// FuzzParquet feeds damaged Parquet files to the reader: an error, never a
// panic or a hang. Seeds are a whole file saring wrote and cut or flipped
// versions of it.
func FuzzParquet(f *testing.F) {
	dir := f.TempDir()
	w, err := NewShardWriter(dir, "parquet", 0, 0)
	if err != nil {
		f.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		w.Write(&saring.Document{ID: "d", Text: "teks dokumen", Metadata: map[string]any{"n": i}})
	}
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	whole, _ := os.ReadFile(w.Files[0])
	f.Add(whole)
	f.Add(whole[:len(whole)/2])
	f.Add(append([]byte("PAR1"), whole[len(whole)-64:]...))
	flipped := bytes.Clone(whole)
	flipped[len(flipped)/3] ^= 0xff
	f.Add(flipped)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		p := filepath.Join(t.TempDir(), "f.parquet")
		os.WriteFile(p, b, 0o644)
		r, err := Open(p, ReadOptions{}, nil)
		if err != nil {
			return
		}
		defer r.Close()
		for i := 0; i < 100000; i++ {
			if _, err := r.Next(); err == io.EOF {
				return
			} else if err != nil {
				if _, ok := AsRecordError(err); !ok {
					return
				}
			}
		}
		t.Fatal("reader did not stop")
	})
}
