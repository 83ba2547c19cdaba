package formats

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/saring/saring"
)

// openLines opens a JSONL or plain-text input. A compressed input is read
// twice: a first pass decompresses it to the end and records which
// stretches of the stream came from gzip members or zstd frames that fail
// their checks; the second pass hands out records, and a record that
// overlaps such a stretch is rejected instead. reopen opens the raw bytes
// again for the first pass (nil for standard input, which is copied to a
// temporary file first).
func openLines(name string, f io.ReadCloser, raw io.Reader, format string, opts ReadOptions, reopen func() (io.ReadCloser, error)) (Reader, error) {
	lim := opts.limits()
	closers := multiCloser{f}
	cr := &countingReader{r: raw}
	br := bufio.NewReaderSize(cr, 1<<16)
	kind := compression(br)
	var body io.Reader = br
	var dmg []damage
	if kind != kindPlain {
		if reopen == nil {
			tf, err := tempCopy(br)
			if err != nil {
				closers.Close()
				return nil, fmt.Errorf("%s: copying standard input: %w", name, err)
			}
			closers = append(closers, tf)
			size, _ := tf.Seek(0, io.SeekEnd)
			reopen = func() (io.ReadCloser, error) { return io.NopCloser(io.NewSectionReader(tf, 0, size)), nil }
			cr = &countingReader{r: io.NewSectionReader(tf, 0, size)}
			br = bufio.NewReaderSize(cr, 1<<16)
		}
		pre, err := reopen()
		if err == nil {
			dmg, err = scanDamage(pre, lim)
			pre.Close()
		}
		if err != nil {
			closers.Close()
			return nil, fmt.Errorf("%s: checking the compressed stream: %w", name, err)
		}
		d, c, err := newDecoder(kind, br, cr, lim)
		if err != nil {
			closers.Close()
			return &failedReader{err: &RecordError{Source: saring.Source{File: name, Line: 1}, Err: err}}, nil
		}
		if c != nil {
			closers = append(closers, c)
		}
		body = d
	}
	var x *damageIndex
	if len(dmg) > 0 {
		x = &damageIndex{d: dmg}
	}
	switch format {
	case "jsonl":
		r := newJSONLReader(name, body, closers, opts)
		r.dmg = x
		return r, nil
	case "text":
		if opts.TextMode == "line" {
			lr := newLineReader(body)
			lr.max = lim.maxDoc
			return &textLineReader{name: name, lines: lr, c: closers, opts: opts, skipped: map[string]int64{}, dmg: x}, nil
		}
		return &textFileReader{name: name, r: body, c: closers, opts: opts, dmg: dmg}, nil
	}
	closers.Close()
	return nil, fmt.Errorf("%s: unknown input format %q (use one of %s)", name, format, strings.Join(InputFormats, ", "))
}

// failedReader yields one error, then io.EOF.
type failedReader struct {
	err  error
	done bool
}

func (r *failedReader) Next() (*saring.Document, error) {
	if r.done {
		return nil, io.EOF
	}
	r.done = true
	return nil, r.err
}

func (r *failedReader) Close() error { return nil }
