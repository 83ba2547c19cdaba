package formats

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCompressedJSONL reads arbitrary gzip- and zstd-looking bytes as a
// JSONL input: the reader never panics, always ends, and every rejected
// entry has its line.
func FuzzCompressedJSONL(f *testing.F) {
	data, _ := flipCorpus(20)
	f.Add(gz(data))
	f.Add(zst(data))
	f.Add(gzMembers(data, 3))
	f.Add(zstFrames(data, 3))
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd})
	f.Add([]byte{0x1f, 0x8b, 8})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		name := ".jsonl.gz"
		if len(b) > 0 && b[0] == 0x28 {
			name = ".jsonl.zst"
		}
		path := filepath.Join(dir, "in"+name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path, ReadOptions{MaxDocBytes: 1 << 16, MaxDecompressedBytes: 1 << 24}, nil)
		if err != nil {
			return
		}
		defer r.Close()
		for i := 0; ; i++ {
			if i > 1<<20 {
				t.Fatal("reader does not end")
			}
			_, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				re, ok := AsRecordError(err)
				if !ok {
					return
				}
				if re.Source.Line == 0 {
					t.Fatalf("entry without a line: %v", err)
				}
			}
		}
	})
}

// The checking pass and the reading pass see the same stream.
func TestScanDamageMatchesReader(t *testing.T) {
	data, _ := flipCorpus(200)
	for _, clean := range [][]byte{gzMembers(data, 10), zstFrames(data, 10)} {
		for pos := 10; pos < len(clean); pos += len(clean) / 17 {
			bad := bytes.Clone(clean)
			bad[pos] ^= 0x10
			pre, err := scanDamage(bytes.NewReader(bad), limits{})
			if err != nil {
				t.Fatal(err)
			}
			cr := &countingReader{r: bytes.NewReader(bad)}
			br := newBuf(cr)
			d, c, err := newDecoder(compression(br), br, cr, limits{})
			if err != nil {
				continue
			}
			io.Copy(io.Discard, d)
			if c != nil {
				c.Close()
			}
			got := d.damages()
			if len(got) != len(pre) {
				t.Fatalf("flip at %d: %d damages in the first pass, %d in the second", pos, len(pre), len(got))
			}
			for i := range got {
				if got[i].start != pre[i].start || got[i].end != pre[i].end {
					t.Fatalf("flip at %d: damage %d differs: %+v %+v", pos, i, pre[i], got[i])
				}
			}
		}
	}
}

func newBuf(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 1<<16) }
