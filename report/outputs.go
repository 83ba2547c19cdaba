package report

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// Set is the output a document went to.
type Set uint8

const (
	Kept Set = iota
	Removed
	Rejected
)

// Sets lists the sets in the order outputs are read.
var Sets = []Set{Kept, Removed, Rejected}

func (s Set) String() string {
	switch s {
	case Kept:
		return "kept"
	case Removed:
		return "removed"
	case Rejected:
		return "rejected"
	}
	return fmt.Sprintf("set(%d)", uint8(s))
}

// ParseSet is the inverse of Set.String.
func ParseSet(s string) (Set, bool) {
	for _, x := range Sets {
		if x.String() == s {
			return x, true
		}
	}
	return 0, false
}

// Compression of an output file, from its name.
type Compression uint8

const (
	Plain Compression = iota
	Gzip
	Zstd
	Parquet
)

// OutputFile is one part file of a run's output.
type OutputFile struct {
	Path        string // absolute or relative to the working directory
	Rel         string // relative to OUTDIR, e.g. kept/part-00000.jsonl.zst
	Set         Set
	Compression Compression
	Size        int64
	ModTime     int64 // UnixNano, to notice a re-run
}

// ListOutputs finds OUTDIR/{kept,removed,rejected}/part-* files in set, then
// name, order. Missing directories are fine (a run that removed nothing).
func ListOutputs(outdir string) ([]OutputFile, error) {
	var out []OutputFile
	for _, set := range Sets {
		dir := filepath.Join(outdir, set.String())
		ents, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("list outputs: %w", err)
		}
		var names []string
		for _, e := range ents {
			if e.Type().IsRegular() && isDocFile(e.Name()) {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			p := filepath.Join(dir, n)
			fi, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("list outputs: %w", err)
			}
			out = append(out, OutputFile{
				Path: p, Rel: filepath.ToSlash(filepath.Join(set.String(), n)), Set: set,
				Compression: compressionOf(n), Size: fi.Size(), ModTime: fi.ModTime().UnixNano(),
			})
		}
	}
	return out, nil
}

func isDocFile(name string) bool {
	for _, suf := range []string{".jsonl", ".jsonl.gz", ".jsonl.zst", ".json.gz", ".json.zst", ".ndjson", ".parquet"} {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

func compressionOf(name string) Compression {
	switch {
	case strings.HasSuffix(name, ".gz"):
		return Gzip
	case strings.HasSuffix(name, ".zst"):
		return Zstd
	case strings.HasSuffix(name, ".parquet"):
		return Parquet
	}
	return Plain
}

// OpenDecompressed opens a JSONL output file as its uncompressed stream.
// Parquet files go through OpenParquet.
func OpenDecompressed(f OutputFile) (io.ReadCloser, error) {
	if f.Compression == Parquet {
		return OpenParquetJSONL(f.Path)
	}
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, err
	}
	switch f.Compression {
	case Gzip:
		zr, err := gzip.NewReader(bufio.NewReaderSize(fh, 1<<16))
		if err != nil {
			fh.Close()
			return nil, fmt.Errorf("%s: %w", f.Rel, err)
		}
		return &stackCloser{Reader: zr, closers: []io.Closer{zr, fh}}, nil
	case Zstd:
		zr, err := zstd.NewReader(fh, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(false))
		if err != nil {
			fh.Close()
			return nil, fmt.Errorf("%s: %w", f.Rel, err)
		}
		return &stackCloser{Reader: zr, closers: []io.Closer{closerFunc(func() error { zr.Close(); return nil }), fh}}, nil
	}
	return fh, nil
}

type closerFunc func() error

func (c closerFunc) Close() error { return c() }

type stackCloser struct {
	io.Reader
	closers []io.Closer
}

func (s *stackCloser) Close() error {
	var first error
	for _, c := range s.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// LineReader yields the lines of a stream with their byte offsets in it.
// Lines may be longer than any buffer (web documents are); the returned
// slice is valid until the next call.
type LineReader struct {
	r   *bufio.Reader
	buf []byte
	off int64
}

// NewLineReader wraps r.
func NewLineReader(r io.Reader) *LineReader {
	return &LineReader{r: bufio.NewReaderSize(r, 1<<20)}
}

// Next returns the next non-empty line without its newline, its offset, and
// io.EOF after the last one.
func (l *LineReader) Next() (line []byte, off int64, err error) {
	for {
		start := l.off
		line, err = l.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			l.buf = append(l.buf[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = l.r.ReadSlice('\n')
				l.buf = append(l.buf, line...)
			}
			line = l.buf
		}
		l.off += int64(len(line))
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, start, err
		}
		trimmed := bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(trimmed)) > 0 {
			return trimmed, start, nil
		}
		if err != nil {
			return nil, start, io.EOF
		}
	}
}
