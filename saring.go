package saring

import (
	"context"
	"encoding/json"
	"fmt"
	"unsafe"
)

// Source says where a document came from, so that every decision about it
// can be traced back to a file and a record.
type Source struct {
	File   string `json:"file"`
	Line   int64  `json:"line,omitempty"`   // 1-based record number (JSONL line, Parquet row, ...)
	Offset int64  `json:"offset,omitempty"` // byte offset of the record: in the uncompressed stream for JSONL and text, of its gzip member for .warc.gz
}

func (s Source) String() string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	if s.Offset > 0 {
		return fmt.Sprintf("%s@%d", s.File, s.Offset)
	}
	return s.File
}

// Field is an input field saring does not interpret. Readers keep such
// fields as raw JSON and writers put them back out unchanged, in input order.
type Field struct {
	Key   string
	Value json.RawMessage
}

// Document is one unit of text moving through a pipeline.
type Document struct {
	ID       string
	Text     string
	Metadata map[string]any
	Source   Source
	// Seq is the document's stable position in the run: input file order,
	// then record order. Every choice that must be deterministic (which
	// duplicate to keep, output order) depends on Seq, never on timing.
	Seq uint64
	// Fields are the input's other top-level fields, kept verbatim.
	Fields []Field
	// Measures are values steps measured on this document (a ratio, a count).
	// They feed the run's histograms and are not written out.
	Measures []Measure

	memo     map[any]any
	memoText string
}

// Memo returns fn(d.Text), computing it once for as long as the text stays
// the same: several filters split the same text into words, and the split
// is most of their cost. key names the computation (include every input
// besides the text, such as the language). The cache is dropped as soon as
// a step changes Text. Callers must not modify what Memo returns.
func (d *Document) Memo(key any, fn func(text string) any) any {
	if !sameString(d.memoText, d.Text) {
		clear(d.memo)
		d.memoText = d.Text
	}
	if v, ok := d.memo[key]; ok {
		return v
	}
	v := fn(d.Text)
	if d.memo == nil {
		d.memo = make(map[any]any, 4)
	}
	d.memo[key] = v
	return v
}

// sameString reports whether a and b are the same string in memory, which
// is cheaper than comparing bytes and, for a text a step replaced, false.
func sameString(a, b string) bool {
	return len(a) == len(b) && (len(a) == 0 || unsafe.StringData(a) == unsafe.StringData(b))
}

// Measure is one measured value of a rule on a document.
type Measure struct {
	Step  string
	Name  string
	Value float64
}

// Meta returns metadata[key] and whether it is set.
func (d *Document) Meta(key string) (any, bool) {
	if d.Metadata == nil {
		return nil, false
	}
	v, ok := d.Metadata[key]
	return v, ok
}

// SetMeta sets metadata[key] = value.
func (d *Document) SetMeta(key string, value any) {
	if d.Metadata == nil {
		d.Metadata = make(map[string]any, 4)
	}
	d.Metadata[key] = value
}

// Lookup finds a string attribute by name: first in metadata, then among the
// input's other top-level fields (e.g. "url"). It is how steps find a URL or
// a date without knowing the input's layout.
func (d *Document) Lookup(key string) (string, bool) {
	if v, ok := d.Meta(key); ok {
		if s, ok := v.(string); ok {
			return s, true
		}
	}
	for _, f := range d.Fields {
		if f.Key == key {
			var s string
			if json.Unmarshal(f.Value, &s) == nil {
				return s, true
			}
			return "", false
		}
	}
	return "", false
}

// Record adds a measured value for the run's histograms.
func (d *Document) Record(step, name string, value float64) {
	d.Measures = append(d.Measures, Measure{Step: step, Name: name, Value: value})
}

// Language returns metadata.language when a language step has set it.
func (d *Document) Language() string {
	if v, ok := d.Meta("language"); ok {
		if s, ok := v.(string); ok {
			return s
		}
	}
	return ""
}

// Outcome is what a step did with a document.
type Outcome uint8

const (
	Keep    Outcome = iota // passed unchanged
	Rewrite                // passed, text or metadata changed
	Drop                   // removed, with a reason
)

func (o Outcome) String() string {
	switch o {
	case Keep:
		return "keep"
	case Rewrite:
		return "rewrite"
	case Drop:
		return "drop"
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// Result is a step's verdict on one document. Reason is a short stable code
// (e.g. "gopher_short_doc") counted in stats; Message is for people.
type Result struct {
	Outcome Outcome
	Reason  string
	Message string
}

// Kept is the result of a step that let a document through unchanged.
func Kept() Result { return Result{Outcome: Keep} }

// Rewritten is the result of a step that changed a document and let it through.
func Rewritten() Result { return Result{Outcome: Rewrite} }

// Dropped is the result of a step that removed a document.
func Dropped(reason, format string, args ...any) Result {
	return Result{Outcome: Drop, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Step is a stage of a pipeline. Process may change doc in place (and then
// return Rewrite). It must be safe for concurrent use by several workers on
// different documents. An error stops the run: use it for broken
// environments (a missing model), not for bad documents, which are dropped.
type Step interface {
	Name() string
	Process(ctx context.Context, doc *Document) (Result, error)
}

// CorpusStep is a step that must see the whole corpus before it can decide
// (deduplication). The runner splits the run at such a step:
//
//  1. first pass: every document that reaches the step is given to Add,
//     concurrently, in no particular order (use doc.Seq for identity);
//  2. Finish is called once, after the last Add;
//  3. second pass: Process is called on the same documents, as for any step.
//
// Documents are spooled to disk between the passes, so Add should keep only
// something small per document (a hash, a signature).
type CorpusStep interface {
	Step
	Add(ctx context.Context, doc *Document) error
	Finish(ctx context.Context) error
}

// Closer is implemented by steps that hold resources (temp files) to release
// at the end of a run.
type Closer interface {
	Close() error
}

// Check is one rule's measured value against its threshold, for `saring explain`.
type Check struct {
	Rule      string  `json:"rule"`
	Value     float64 `json:"value"`
	Op        string  `json:"op"` // how Value must relate to Threshold to pass: "<", "<=", ">", ">=", "==", "in"
	Threshold float64 `json:"threshold"`
	Pass      bool    `json:"pass"`
	Note      string  `json:"note,omitempty"`
}

// Explainer is implemented by steps that can show every rule they apply,
// not just the first that failed.
type Explainer interface {
	Explain(ctx context.Context, doc *Document) ([]Check, error)
}

// Distributed is a CorpusStep whose first pass, decision and second pass
// can run as separate tasks in separate processes, sharing only files:
//
//  1. map: for each unit of input (one input file), NewMap's writer is given
//     the unit's documents that reach the step (concurrently; use doc.Seq)
//     and leaves small records (keys, signatures) under its directory;
//  2. reduce: Reduce runs once per partition (Partitions of them), reading
//     every unit's records for its partition and writing decisions under
//     out, split by the route: the task of the next stage that will see
//     each document;
//  3. apply: Load reads, for one task of the next stage, the decisions of
//     every partition meant for it; then Process decides as usual.
//
// Every file is checksummed; the results depend on Seq only, so they are
// the same for any number of tasks.
type Distributed interface {
	CorpusStep
	// Partitions is the number of reduce tasks for a run of n tasks (1 when
	// the decision must see every record at once).
	Partitions(n int) int
	NewMap(dir string, partitions int) (MapWriter, error)
	Reduce(ctx context.Context, mapDirs []string, partition int, out string, route Route) error
	Load(ctx context.Context, reduceDirs []string, task int) error
}

// MapWriter takes one unit's documents in a Distributed step's first pass.
// Add is safe for concurrent use; Close makes the files durable; Abort
// removes them.
type MapWriter interface {
	Add(ctx context.Context, doc *Document) error
	Close() error
	Abort()
}

// Route tells which task of the next stage handles the document at seq.
type Route struct {
	Tasks int
	Task  func(seq uint64) int
}
