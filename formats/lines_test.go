package formats

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/klauspost/compress/zstd"
)

// FuzzLineReader: lines and offsets agree with a plain split, whatever the
// read sizes and line lengths.
func FuzzLineReader(f *testing.F) {
	f.Add([]byte("a\nbb\n\nccc"))
	f.Add([]byte("\r\n\n x \r\n"))
	f.Add(bytes.Repeat([]byte("y"), 3<<20))
	f.Fuzz(func(t *testing.T, b []byte) {
		lr := NewLineReader(iotest.HalfReader(bytes.NewReader(b)))
		var got []string
		for {
			line, off, err := lr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b[off:], line) {
				t.Fatalf("line %q not at offset %d", line, off)
			}
			got = append(got, string(line))
			if lr.Line() != int64(len(got)) {
				t.Fatalf("line number %d after %d lines", lr.Line(), len(got))
			}
		}
		want := strings.Split(string(b), "\n")
		if len(want) > 0 && want[len(want)-1] == "" {
			want = want[:len(want)-1]
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Fatalf("got %d lines, want %d", len(got), len(want))
		}
	})
}

func TestOpenDecompressed(t *testing.T) {
	dir := t.TempDir()
	want := "{\"a\":1}\n{\"b\":2}\n"
	var gz, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write([]byte(want))
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write([]byte(want))
	zw.Close()
	files := map[string][]byte{"plain.jsonl": []byte(want), "x.jsonl.gz": gz.Bytes(), "x.jsonl.zst": zs.Bytes(),
		"misnamed.jsonl": zs.Bytes()}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		rc, err := OpenDecompressed(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
	p := filepath.Join(dir, "cut.jsonl.gz")
	os.WriteFile(p, gz.Bytes()[:3], 0o644)
	if rc, err := OpenDecompressed(p); err == nil {
		_, err = io.ReadAll(rc)
		rc.Close()
		if err == nil {
			t.Error("a cut gzip file reads without an error")
		}
	}
}
