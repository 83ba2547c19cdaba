package formats

import "io"

// LineReader reads the lines of a stream, of any length, with their byte
// offsets: the reader JSONL and line-mode text inputs use, for other
// packages that read JSONL (report, serve).
type LineReader struct{ l *lineReader }

// NewLineReader wraps r (uncompressed; see OpenDecompressed).
func NewLineReader(r io.Reader) *LineReader { return &LineReader{l: newLineReader(r)} }

// Next returns the next line without its newline, its offset in the
// stream, and io.EOF after the last one. The slice is valid until the next
// call. Blank lines are returned too. A final line without a newline is
// returned; a stream that breaks mid-line returns the error.
func (r *LineReader) Next() (line []byte, off int64, err error) { return r.l.next() }

// Line is the 1-based number of the last line returned.
func (r *LineReader) Line() int64 { return r.l.line }
