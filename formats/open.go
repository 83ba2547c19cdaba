package formats

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/zstd"

	"github.com/saring/saring/storage"
)

// InputFormats are the values ReadOptions.Format accepts.
var InputFormats = []string{"auto", "jsonl", "text", "parquet", "warc", "wet"}

// FormatOf tells an input's format from its name ("" when it cannot).
func FormatOf(name string) string {
	if strings.HasPrefix(name, "https://") || strings.HasPrefix(name, "http://") {
		name, _, _ = strings.Cut(name, "?")
	}
	base := strings.ToLower(filepath.Base(name))
	for _, ext := range []string{".gz", ".zst", ".zstd"} {
		base = strings.TrimSuffix(base, ext)
	}
	switch filepath.Ext(base) {
	case ".jsonl", ".json", ".ndjson":
		return "jsonl"
	case ".txt", ".text", ".md":
		return "text"
	case ".parquet":
		return "parquet"
	case ".warc", ".arc":
		return "warc"
	case ".wet":
		return "wet"
	}
	return ""
}

// progressReader counts bytes read, for progress display.
type progressReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c progressReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

type multiCloser []io.Closer

func (m multiCloser) Close() error {
	var first error
	for i := len(m) - 1; i >= 0; i-- {
		if err := m[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

type zstdCloser struct{ d *zstd.Decoder }

func (z zstdCloser) Close() error { z.d.Close(); return nil }

// Open opens one input. name "-" is standard input. counter, if not nil,
// is advanced by the bytes read from the file (compressed), for progress.
func Open(name string, opts ReadOptions, counter *atomic.Int64) (Reader, error) {
	format := opts.Format
	if format == "" || format == "auto" {
		format = FormatOf(name)
		if format == "" {
			if name == "-" {
				format = "jsonl"
			} else {
				return nil, fmt.Errorf("%s: cannot tell the format from the name; set the input format (--input-format or input.format: jsonl, text, parquet, warc or wet)", name)
			}
		}
	}
	var f io.ReadCloser
	var reopen func() (io.ReadCloser, error) // the raw bytes again, for a first checking pass
	switch {
	case name == "-":
		f = os.Stdin
	case storage.IsRemote(name) && (format == "warc" || format == "wet"):
		// A .warc.gz is checked member by member in a first pass before
		// any record is handed out: fetch it once into a temporary file
		// and make both passes there.
		tf, err := spoolRemote(name)
		if err != nil {
			return nil, err
		}
		f = tf
		reopen = func() (io.ReadCloser, error) {
			st, err := tf.Stat()
			if err != nil {
				return nil, err
			}
			return io.NopCloser(io.NewSectionReader(tf, 0, st.Size())), nil
		}
	case storage.IsRemote(name):
		if format == "parquet" {
			// Parquet is read from its end and by column chunk: fetch
			// the object once into a temporary file.
			tf, err := spoolRemote(name)
			if err != nil {
				return nil, err
			}
			r, err := openParquet(name, tf, opts)
			if err != nil {
				tf.Close()
			}
			return r, err
		}
		// Streamed, with parallel range requests ahead of the reader;
		// cut bodies resume where they stopped.
		var err error
		if f, err = storage.Open(context.Background(), name); err != nil {
			return nil, err
		}
		// No reopen: a compressed object is checked from a local copy
		// taken while it is fetched once (openLines), not fetched twice.
	default:
		lf, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		if format == "parquet" {
			r, err := openParquet(name, lf, opts)
			if err != nil {
				lf.Close()
			}
			return r, err
		}
		f = lf
		reopen = func() (io.ReadCloser, error) { return os.Open(name) }
	}
	if format == "parquet" { // standard input
		return nil, fmt.Errorf("Parquet cannot be read from standard input; give a file")
	}
	var raw io.Reader = f
	if counter != nil {
		raw = progressReader{f, counter}
	}
	if format == "warc" || format == "wet" {
		r, err := openWARC(name, raw, opts, reopen)
		if err != nil {
			f.Close()
			return nil, err
		}
		return closeWith{r, f}, nil
	}
	return openLines(name, f, raw, format, opts, reopen)
}

// closeWith closes an extra resource after the reader.
type closeWith struct {
	Reader
	c io.Closer
}

func (c closeWith) Close() error {
	err := c.Reader.Close()
	if err2 := c.c.Close(); err == nil {
		err = err2
	}
	return err
}

// Skipped forwards to the wrapped reader when it counts skips.
func (c closeWith) Skipped() map[string]int64 {
	if s, ok := c.Reader.(Skipper); ok {
		return s.Skipped()
	}
	return nil
}

// spoolRemote copies a remote object into an unlinked temporary file and
// returns it, positioned at the start.
func spoolRemote(name string) (*os.File, error) {
	r, err := storage.Open(context.Background(), name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	tf, err := os.CreateTemp("", "saring-remote-*")
	if err != nil {
		return nil, err
	}
	os.Remove(tf.Name()) // gone when closed
	if _, err := io.Copy(tf, r); err != nil {
		tf.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if _, err := tf.Seek(0, io.SeekStart); err != nil {
		tf.Close()
		return nil, err
	}
	return tf, nil
}
