package formats

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/saring/saring"
)

// textFileReader yields a whole plain-text file as one document.
type textFileReader struct {
	name string
	r    io.Reader
	c    io.Closer
	opts ReadOptions
	done bool
	dmg  []damage
}

func (t *textFileReader) Close() error { return closeIf(t.c) }

func (t *textFileReader) Next() (*saring.Document, error) {
	if t.done {
		return nil, io.EOF
	}
	t.done = true
	src := saring.Source{File: t.name, Line: 1}
	max := t.opts.limits().maxDoc
	var b []byte
	var err error
	if max > 0 {
		b, err = io.ReadAll(io.LimitReader(t.r, max+1))
	} else {
		b, err = io.ReadAll(t.r)
	}
	if err != nil {
		return nil, &RecordError{Source: src, Err: fmt.Errorf("after byte %d: %w", len(b), err), Raw: prefix(b)}
	}
	if max > 0 && int64(len(b)) > max {
		raw := prefix(b)
		b = nil
		n, err := io.Copy(io.Discard, t.r)
		size := max + 1 + n
		if err != nil {
			return nil, &RecordError{Source: src, Err: fmt.Errorf("document over the limit of %d bytes, and then after byte %d: %w", max, size, err), Raw: raw}
		}
		return nil, &RecordError{Source: src, Err: &tooLongError{size: size, max: max}, Raw: raw}
	}
	if len(t.dmg) > 0 {
		return nil, &RecordError{Source: src, Err: t.dmg[0], Raw: prefix(b)}
	}
	if !utf8.Valid(b) {
		return nil, &RecordError{Source: src, Err: fmt.Errorf("invalid UTF-8 at byte %d (convert the file to UTF-8)", invalidAt(b)), Raw: prefix(b)}
	}
	return &saring.Document{ID: t.name, Text: string(b), Source: src, Seq: SeqOf(t.opts.FileIndex, 1)}, nil
}

// textLineReader yields one document per non-blank line.
type textLineReader struct {
	name    string
	lines   *lineReader
	c       io.Closer
	opts    ReadOptions
	skipped map[string]int64
	dmg     *damageIndex
	done    bool
	held    heldLine
}

func (t *textLineReader) Close() error              { return closeIf(t.c) }
func (t *textLineReader) Skipped() map[string]int64 { return t.skipped }

func (t *textLineReader) Next() (*saring.Document, error) {
	for {
		if t.done {
			return nil, io.EOF
		}
		line, off, end, err, lost := nextLine(t.name, t.lines, t.dmg, &t.held)
		if lost != nil {
			return nil, lost
		}
		if err != nil {
			return nil, lineRecordError(t.name, t.lines, off, err, &t.done)
		}
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 {
			t.skipped["blank_line"]++
			continue
		}
		n := t.lines.line
		src := saring.Source{File: t.name, Line: n, Offset: off}
		if err := damagedLine(t.dmg, src, end, line); err != nil {
			return nil, err
		}
		if !utf8.Valid(line) {
			return nil, &RecordError{Source: src, Err: fmt.Errorf("invalid UTF-8 at byte %d of the line", invalidAt(line)), Raw: prefix(line)}
		}
		return &saring.Document{ID: t.name + ":" + strconv.FormatInt(n, 10), Text: string(line), Source: src, Seq: SeqOf(t.opts.FileIndex, n)}, nil
	}
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func closeIf(c io.Closer) error {
	if c != nil {
		return c.Close()
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
