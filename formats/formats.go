// Package formats reads and writes documents: JSONL (plain, gzip, zstd),
// plain text, Parquet and WARC/WET. Readers stream; a bad record becomes a
// *RecordError and reading goes on with the next one.
package formats

import (
	"errors"
	"fmt"

	"github.com/saring/saring"
)

// Reader yields the documents of one input.
//
// Next returns the next document; a *RecordError when one record could not
// be read (the caller rejects it and calls Next again); io.EOF at the end.
// Any other error means the rest of the input cannot be read: the caller
// records it as one rejected entry and moves on to the next input.
type Reader interface {
	Next() (*saring.Document, error)
	Close() error
}

// Skipper is implemented by readers that pass over records that are not
// documents (WARC request records, non-HTML responses), counted per reason.
type Skipper interface {
	Skipped() map[string]int64
}

// RecordError is one unreadable record.
type RecordError struct {
	Source saring.Source
	Err    error
	Raw    []byte // a prefix of the record, for the rejected/ output
	// Records is how many input records the entry stands for, when it is
	// more than one and known (an unreadable Parquet tail or row group:
	// from the footer); 0 means one.
	Records int64
}

func (e *RecordError) Error() string { return fmt.Sprintf("%s: %v", e.Source, e.Err) }
func (e *RecordError) Unwrap() error { return e.Err }

// AsRecordError reports whether err is a single bad record.
func AsRecordError(err error) (*RecordError, bool) {
	var re *RecordError
	ok := errors.As(err, &re)
	return re, ok
}

// ReadOptions configure readers.
type ReadOptions struct {
	Format   string // "auto" (by file name), "jsonl", "text", "parquet", "warc", "wet"
	TextKey  string // JSONL key / Parquet column of the text (default "text")
	IDKey    string // JSONL key / Parquet column of the id (default "id")
	TextMode string // plain text: "file" (one document per file) or "line"
	// FileIndex is the input's position in the run's sorted input list; it
	// makes up the high bits of every document's Seq.
	FileIndex int
	// MaxDocBytes bounds one record (a JSONL line, a text document or line,
	// a WARC payload); a larger one is a rejected entry (WARC: skipped as
	// too_large) and is never held in memory. 0: DefaultMaxDocBytes; < 0:
	// no limit.
	MaxDocBytes int64
	// MaxDecompressedBytes bounds one compressed input's decompressed size
	// (0: no limit); MaxRatio its decompressed size over its compressed
	// size once past 1 GiB (0: DefaultMaxRatio; < 0: no limit). Past
	// either, the rest of the input is one rejected entry.
	MaxDecompressedBytes int64
	MaxRatio             float64
}

// SeqOf builds a document's stable position from its input's index and its
// record number within that input.
func SeqOf(fileIndex int, record int64) uint64 {
	return uint64(fileIndex)<<40 | uint64(record)
}
