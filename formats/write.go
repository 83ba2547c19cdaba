package formats

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/saring/saring"
)

// OutputFormats are the formats writers accept.
var OutputFormats = []string{"jsonl", "jsonl.gz", "jsonl.zst", "parquet", Megatron, DatatroveTokens}

// ValidOutputFormat reports whether f is one of OutputFormats.
func ValidOutputFormat(f string) bool {
	for _, o := range OutputFormats {
		if f == o {
			return true
		}
	}
	return false
}

// AppendJSONL appends doc as one JSON line: id, text, the input's other
// fields in their order, then metadata (keys sorted, so output is stable).
func AppendJSONL(dst []byte, doc *saring.Document) ([]byte, error) {
	dst = append(dst, `{"id":`...)
	dst = appendJSONString(dst, doc.ID)
	dst = append(dst, `,"text":`...)
	dst = appendJSONString(dst, doc.Text)
	for _, f := range doc.Fields {
		if f.Key == "id" || f.Key == "text" || f.Key == "metadata" {
			continue // the text or id came from another key; this one is shadowed by ours
		}
		dst = append(dst, ',')
		dst = appendJSONString(dst, f.Key)
		dst = append(dst, ':')
		dst = append(dst, f.Value...)
	}
	if len(doc.Metadata) > 0 {
		dst = append(dst, `,"metadata":`...)
		var err error
		if dst, err = AppendJSONValue(dst, doc.Metadata); err != nil {
			return dst, fmt.Errorf("document %s: metadata: %w", doc.ID, err)
		}
	}
	return append(dst, '}', '\n'), nil
}

// AppendJSONValue appends v as compact JSON without HTML escaping.
func AppendJSONValue(dst []byte, v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return dst, err
	}
	return append(dst, bytes.TrimRight(buf.Bytes(), "\n")...), nil
}

// Rejected is an input record that could not be read.
type Rejected struct {
	File   string `json:"file"`
	Line   int64  `json:"line,omitempty"`
	Offset int64  `json:"offset"`
	Error  string `json:"error"`
	Raw    string `json:"raw,omitempty"`
	// Records is how many input records the entry stands for, when more
	// than one is known to be lost (the rest of a Parquet row group).
	Records int64 `json:"records,omitempty"`
}

// ShardWriter writes documents to DIR/part-NNNNN.EXT files, starting a new
// shard after MaxDocs documents or MaxBytes uncompressed bytes. Each shard is
// written under a temporary name and renamed when complete, so a file under
// a final name is always whole.
type ShardWriter struct {
	Dir      string
	Format   string
	MaxDocs  int64
	MaxBytes int64
	// Level is the compression effort for .gz and .zst: "fastest",
	// "default" (zstd level 3, gzip 6), "better" or "best".
	Level string
	// Prefix starts every file name (default "part"): PREFIX-NNNNN.EXT.
	Prefix string
	// Tokens configures the tokenized formats (Megatron, DatatroveTokens).
	Tokens *TokenOptions
	// Partition, when set, names the subdirectory of Dir a document goes
	// to (see partitioned.go); each has its own shards.
	Partition func(doc *saring.Document) string

	next   int
	cur    shard
	docs   int64
	bytes  int64
	tokens int64
	buf    []byte
	parts  map[string]*ShardWriter
	// inPartition: this writer is one partition's of a partitioned one.
	inPartition bool
	Files       []string // final names written so far
	Docs        []int64  // records in each of Files
}

type shard interface {
	// write appends doc (line is its encoded form, for the formats that
	// have one) and returns the uncompressed bytes it added, which
	// shard_bytes counts.
	write(doc *saring.Document, line []byte) (int64, error)
	finish() error // flush and close, keep the temp file
	abort()
	tmpName() string
}

// NewShardWriter creates dir and returns a writer for format.
func NewShardWriter(dir, format string, maxDocs, maxBytes int64) (*ShardWriter, error) {
	if !ValidOutputFormat(format) {
		return nil, fmt.Errorf("unknown output format %q (use one of %s)", format, strings.Join(OutputFormats, ", "))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &ShardWriter{Dir: dir, Format: format, MaxDocs: maxDocs, MaxBytes: maxBytes}, nil
}

func (w *ShardWriter) finalName(n int) string {
	return w.baseName(n) + "." + w.Format
}

// baseName is shard n's path without extension: DIR/PREFIX-NNNNN.
func (w *ShardWriter) baseName(n int) string {
	prefix := w.Prefix
	if prefix == "" {
		prefix = "part"
	}
	return filepath.Join(w.Dir, fmt.Sprintf("%s-%05d", prefix, n))
}

func (w *ShardWriter) open() error {
	if IsTokenFormat(w.Format) {
		s, err := newTokenShard(w.Format, w.baseName(w.next), w.Tokens, w.bufSize())
		if err != nil {
			return err
		}
		w.cur, w.docs, w.bytes, w.tokens = s, 0, 0, 0
		return nil
	}
	final := w.finalName(w.next)
	tmp := filepath.Join(w.Dir, "."+filepath.Base(final)+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if w.Format == "parquet" {
		w.cur = newParquetShard(f, tmp)
	} else {
		w.cur, err = newJSONLShard(f, tmp, w.Format, w.Level, w.bufSize())
		if err != nil {
			f.Close()
			os.Remove(tmp)
			return err
		}
	}
	w.docs, w.bytes = 0, 0
	return nil
}

// Write appends one document.
func (w *ShardWriter) Write(doc *saring.Document) error {
	if w.Partition != nil {
		return w.writePartitioned(doc)
	}
	if IsTokenFormat(w.Format) {
		if w.Tokens == nil || w.Tokens.Encode == nil {
			return fmt.Errorf("output format %s needs a tokenizer", w.Format)
		}
		ids, err := w.Tokens.Encode(doc)
		if err != nil {
			return fmt.Errorf("document %s: %w", doc.ID, err)
		}
		return w.writeLine(doc, ids)
	}
	if w.Format == "parquet" {
		// A Parquet shard encodes the row itself; a JSONL line built here
		// would only be measured and thrown away.
		return w.writeLine(doc, nil)
	}
	var err error
	w.buf, err = AppendJSONL(w.buf[:0], doc)
	if err != nil {
		return err
	}
	return w.writeLine(doc, w.buf)
}

// WriteRejected appends a rejected-record entry (JSONL formats only; a
// Parquet run writes rejected/ as JSONL).
func (w *ShardWriter) WriteRejected(r Rejected) error {
	b, err := AppendJSONValue(w.buf[:0], r)
	if err != nil {
		return err
	}
	w.buf = append(b, '\n')
	return w.writeLine(nil, w.buf)
}

func (w *ShardWriter) writeLine(doc *saring.Document, line []byte) error {
	if w.cur == nil {
		if err := w.open(); err != nil {
			return err
		}
	}
	n, err := w.cur.write(doc, line)
	if err != nil {
		return err
	}
	w.docs++
	w.bytes += n
	if ts, ok := w.cur.(*tokenShard); ok {
		w.tokens = ts.tokens
		if w.Tokens.MaxTokens > 0 && w.tokens >= w.Tokens.MaxTokens {
			return w.rotate()
		}
	}
	if (w.MaxDocs > 0 && w.docs >= w.MaxDocs) || (w.MaxBytes > 0 && w.bytes >= w.MaxBytes) {
		return w.rotate()
	}
	return nil
}

func (w *ShardWriter) rotate() error {
	if w.cur == nil {
		return nil
	}
	cur := w.cur
	w.cur = nil
	if err := cur.finish(); err != nil {
		cur.abort()
		return err
	}
	if ts, ok := cur.(*tokenShard); ok {
		// The data file stands for the shard's documents; its index and
		// metadata files count none.
		files, err := ts.commit()
		if err != nil {
			return err
		}
		for i, f := range files {
			docs := int64(0)
			if i == 0 {
				docs = w.docs
			}
			w.Files = append(w.Files, f)
			w.Docs = append(w.Docs, docs)
		}
		w.next++
		return nil
	}
	final := w.finalName(w.next)
	if err := os.Rename(cur.tmpName(), final); err != nil {
		return err
	}
	w.Files = append(w.Files, final)
	w.Docs = append(w.Docs, w.docs)
	w.next++
	return nil
}

// Close completes the current shard and makes its name final.
func (w *ShardWriter) Close() error {
	if w.parts != nil {
		return w.closePartitions()
	}
	if err := w.rotate(); err != nil {
		return err
	}
	if len(w.Files) == 0 {
		return nil // nothing renamed: nothing to make durable
	}
	return syncDir(w.Dir)
}

// Abort removes the shard being written; completed shards stay.
func (w *ShardWriter) Abort() {
	for _, p := range w.parts {
		p.Abort()
	}
	if w.cur != nil {
		w.cur.abort()
		w.cur = nil
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	d.Sync() // not every file system can sync a directory; the rename is what matters
	return nil
}

type jsonlShard struct {
	f    *os.File
	tmp  string
	bw   *bufio.Writer
	comp io.WriteCloser // nil for plain
}

// CompressionLevels are the values ShardWriter.Level accepts.
var CompressionLevels = []string{"fastest", "default", "better", "best"}

func newJSONLShard(f *os.File, tmp, format, level string, buf int) (*jsonlShard, error) {
	s := &jsonlShard{f: f, tmp: tmp}
	switch format {
	case "jsonl":
		s.bw = bufio.NewWriterSize(f, buf)
	case "jsonl.gz":
		gz, _ := gzip.NewWriterLevel(f, gzipLevel(level))
		s.comp = gz
		s.bw = bufio.NewWriterSize(gz, buf)
	case "jsonl.zst":
		zl := map[string]zstd.EncoderLevel{"fastest": zstd.SpeedFastest, "better": zstd.SpeedBetterCompression, "best": zstd.SpeedBestCompression}[level]
		if zl == 0 {
			zl = zstd.SpeedDefault
		}
		opts := []zstd.EOption{zstd.WithEncoderLevel(zl), zstd.WithEncoderConcurrency(1)}
		if buf < 1<<20 {
			// A partition's writer: one of many open at once.
			opts = append(opts, zstd.WithLowerEncoderMem(true))
		}
		zw, err := zstd.NewWriter(f, opts...)
		if err != nil {
			return nil, err
		}
		s.comp = zw
		s.bw = bufio.NewWriterSize(zw, buf)
	}
	return s, nil
}

func (s *jsonlShard) write(_ *saring.Document, line []byte) (int64, error) {
	n, err := s.bw.Write(line)
	return int64(n), err
}

func (s *jsonlShard) finish() error {
	if err := s.bw.Flush(); err != nil {
		return err
	}
	if s.comp != nil {
		if err := s.comp.Close(); err != nil {
			return err
		}
	}
	if err := s.f.Sync(); err != nil {
		return err
	}
	return s.f.Close()
}

func (s *jsonlShard) abort() {
	s.f.Close()
	os.Remove(s.tmp)
}

func (s *jsonlShard) tmpName() string { return s.tmp }

func gzipLevel(level string) int {
	switch level {
	case "fastest":
		return gzip.BestSpeed
	case "better":
		return 7
	case "best":
		return gzip.BestCompression
	}
	return gzip.DefaultCompression
}
