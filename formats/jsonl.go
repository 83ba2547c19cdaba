package formats

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/saring/saring"
)

// maxRawPrefix bounds how much of a bad record is kept for rejected/.
const maxRawPrefix = 4096

// lineReader reads lines of any length (a web document can be 100 MB on a
// single line; bufio.Scanner would stop at 64 KiB), up to max bytes when
// max > 0: a longer line is passed over without being held and returned
// as a *tooLongError.
type lineReader struct {
	br   *bufio.Reader
	buf  []byte
	off  int64 // offset of the next line in the uncompressed stream
	line int64 // number of the last line returned, 1-based
	max  int64
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 1<<20)}
}

// tooLongError is a line over the document size limit, passed over.
type tooLongError struct {
	size, max int64
	raw       []byte
}

func (e *tooLongError) Error() string {
	return fmt.Sprintf("record of %d bytes is over the limit of %d bytes per document; skipped", e.size, e.max)
}

// streamError is a stream that broke after some lines.
type streamError struct {
	line, off int64 // the line being read and its offset
	err       error
}

func (e *streamError) Error() string {
	return fmt.Sprintf("reading after line %d (byte %d): %v", e.line-1, e.off, e.err)
}
func (e *streamError) Unwrap() error { return e.err }

// next returns the next line without its newline. The slice is valid until
// the next call. A final line without a newline is returned too; a stream
// that breaks mid-line returns the error, not the partial line.
func (l *lineReader) next() (line []byte, off int64, err error) {
	off = l.off
	frag, err := l.br.ReadSlice('\n')
	if err == nil {
		l.off += int64(len(frag))
		l.line++
		if l.max > 0 && int64(len(frag)-1) > l.max {
			// A limit below the buffer size: the record is already read,
			// but it is still over the limit.
			return nil, off, &tooLongError{size: int64(len(frag) - 1), max: l.max, raw: prefix(frag)}
		}
		return frag[:len(frag)-1], off, nil
	}
	if err == bufio.ErrBufferFull {
		l.buf = append(l.buf[:0], frag...)
		size := int64(len(frag))
		over := false
		for err == bufio.ErrBufferFull {
			frag, err = l.br.ReadSlice('\n')
			size += int64(len(frag))
			if !over && l.max > 0 && size > l.max+1 {
				over = true
				if len(l.buf) > maxRawPrefix {
					l.buf = l.buf[:maxRawPrefix]
				}
			}
			if !over {
				l.buf = append(l.buf, frag...)
			}
		}
		if over && (err == nil || err == io.EOF) {
			l.off += size
			l.line++
			if err == nil {
				size-- // the newline
			}
			return nil, off, &tooLongError{size: size, max: l.max, raw: prefix(l.buf)}
		}
		if over {
			return nil, off, &streamError{line: l.line + 1, off: off, err: err}
		}
		if err == nil {
			l.off += int64(len(l.buf))
			l.line++
			return l.buf[:len(l.buf)-1], off, nil
		}
		frag = l.buf
	}
	if err == io.EOF && len(frag) > 0 {
		l.off += int64(len(frag))
		l.line++
		return frag, off, nil
	}
	if err == io.EOF {
		return nil, off, io.EOF
	}
	return nil, off, &streamError{line: l.line + 1, off: off, err: err}
}

// lineRecordError turns what next returned for a record into the reader's
// answer: a skipped over-long line or a broken stream is one *RecordError
// (after a broken stream, *done is set and the input ends).
func lineRecordError(name string, l *lineReader, off int64, err error, done *bool) error {
	if tl, ok := err.(*tooLongError); ok {
		return &RecordError{Source: saring.Source{File: name, Line: l.line, Offset: off}, Err: tl, Raw: tl.raw}
	}
	if err == io.EOF {
		return err
	}
	*done = true
	return &RecordError{Source: saring.Source{File: name, Line: l.line + 1, Offset: off}, Err: err}
}

// damagedLine returns a *RecordError when the line at [off, end) was
// decoded from a damaged member or frame.
func damagedLine(x *damageIndex, src saring.Source, end int64, line []byte) error {
	if x == nil {
		return nil
	}
	if d := x.hit(src.Offset, end); d != nil {
		raw := line
		if len(raw) > 256 {
			raw = raw[:256]
		}
		return &RecordError{Source: src, Err: *d, Raw: bytes.Clone(raw)}
	}
	return nil
}

type jsonlReader struct {
	name    string
	lines   *lineReader
	closer  io.Closer
	opts    ReadOptions
	skipped map[string]int64
	dmg     *damageIndex
	done    bool
	held    heldLine
}

// heldLine is a line read but not yet handed out, while a lost stretch
// before it is reported.
type heldLine struct {
	ok   bool
	line []byte
	off  int64
	end  int64
	err  error
}

// nextLine returns the next line, its offset and end, or first, as a
// *RecordError, a stretch before it whose records were lost.
func nextLine(name string, l *lineReader, x *damageIndex, held *heldLine) (line []byte, off, end int64, err error, lost error) {
	if held.ok {
		held.ok = false
		return held.line, held.off, held.end, held.err, nil
	}
	line, off, err = l.next()
	end = l.off
	if x != nil {
		if d := x.lostBefore(off, err == io.EOF); d != nil {
			*held = heldLine{true, line, off, end, err}
			return nil, 0, 0, nil, &RecordError{Source: saring.Source{File: name, Line: l.line + 1, Offset: d.stop}, Err: lostError{*d}}
		}
	}
	return line, off, end, err, nil
}

func newJSONLReader(name string, r io.Reader, closer io.Closer, opts ReadOptions) *jsonlReader {
	lr := newLineReader(r)
	lr.max = opts.limits().maxDoc
	return &jsonlReader{name: name, lines: lr, closer: closer, opts: opts, skipped: map[string]int64{}}
}

func (r *jsonlReader) Close() error {
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}

func (r *jsonlReader) Skipped() map[string]int64 { return r.skipped }

func (r *jsonlReader) Next() (*saring.Document, error) {
	for {
		if r.done {
			return nil, io.EOF
		}
		line, off, end, err, lost := nextLine(r.name, r.lines, r.dmg, &r.held)
		if lost != nil {
			return nil, lost
		}
		if err != nil {
			return nil, lineRecordError(r.name, r.lines, off, err, &r.done)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			r.skipped["blank_line"]++
			continue
		}
		src := saring.Source{File: r.name, Line: r.lines.line, Offset: off}
		if err := damagedLine(r.dmg, src, end, line); err != nil {
			return nil, err
		}
		doc, err := parseRecord(line, r.opts)
		if err != nil {
			return nil, &RecordError{Source: src, Err: err, Raw: prefix(line)}
		}
		doc.Source = src
		doc.Seq = SeqOf(r.opts.FileIndex, r.lines.line)
		if doc.ID == "" {
			doc.ID = r.name + ":" + strconv.FormatInt(r.lines.line, 10)
		}
		return doc, nil
	}
}

func prefix(b []byte) []byte {
	if len(b) > maxRawPrefix {
		b = b[:maxRawPrefix]
	}
	return bytes.Clone(b)
}

// parseRecord decodes one JSON object: the text and id keys and "metadata"
// are interpreted, every other field is kept verbatim.
func parseRecord(b []byte, opts ReadOptions) (*saring.Document, error) {
	textKey, idKey := opts.TextKey, opts.IDKey
	if textKey == "" {
		textKey = "text"
	}
	if idKey == "" {
		idKey = "id"
	}
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, jsonErr(i, "a record must be a JSON object")
	}
	doc := &saring.Document{}
	haveText := false
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		i++
	} else {
		for {
			i = skipSpace(b, i)
			if i >= len(b) || b[i] != '"' {
				return nil, jsonErr(i, "expected object key")
			}
			kend, kesc, err := scanString(b, i)
			if err != nil {
				return nil, err
			}
			key := decodeString(b, i, kend, kesc)
			i = skipSpace(b, kend)
			if i >= len(b) || b[i] != ':' {
				return nil, jsonErr(i, "expected ':' after key %q", key)
			}
			vstart := skipSpace(b, i+1)
			// Strings (the text above all) are scanned once: the scan
			// that finds their end also says whether they hold escapes.
			var vend int
			var vesc bool
			if vstart < len(b) && b[vstart] == '"' {
				vend, vesc, err = scanString(b, vstart)
			} else {
				vend, err = skipValue(b, vstart)
			}
			if err != nil {
				return nil, fmt.Errorf("field %q: %w", key, err)
			}
			val := b[vstart:vend]
			switch key {
			case textKey:
				if len(val) == 0 || val[0] != '"' {
					return nil, fmt.Errorf("field %q must be a string", key)
				}
				doc.Text = decodeString(val, 0, len(val), vesc)
				haveText = true
			case idKey:
				switch val[0] {
				case '"':
					doc.ID = decodeString(val, 0, len(val), vesc)
				case 'n': // null: derive one
				case '{', '[':
					return nil, fmt.Errorf("field %q must be a string or a number", key)
				default:
					doc.ID = string(val)
				}
			case "metadata":
				if val[0] == 'n' {
					break
				}
				if val[0] != '{' {
					return nil, errors.New(`field "metadata" must be an object`)
				}
				// skipValue has checked the whole value, so it decodes
				// without errors, to what encoding/json with UseNumber
				// gives.
				m, _ := decodeValue(val, 0)
				doc.Metadata = m.(map[string]any)
			default:
				doc.Fields = append(doc.Fields, saring.Field{Key: key, Value: bytes.Clone(val)})
			}
			i = skipSpace(b, vend)
			if i < len(b) && b[i] == ',' {
				i++
				continue
			}
			if i < len(b) && b[i] == '}' {
				i++
				break
			}
			return nil, jsonErr(i, "expected ',' or '}'")
		}
	}
	if j := skipSpace(b, i); j != len(b) {
		return nil, jsonErr(j, "trailing data after the record")
	}
	if !haveText {
		return nil, fmt.Errorf("no %q field (name the text field with --text-key or input.text_key)", textKey)
	}
	return doc, nil
}
