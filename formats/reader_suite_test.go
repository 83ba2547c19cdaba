package formats

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/saring/saring"
)

// The suite every reader runs, whatever its format: an empty input gives no
// documents and no error; a bad record in the middle is one rejected entry
// with its place and the good records after it are still read; a record
// over the size limit is rejected, not held; Seq rises strictly; lines and
// offsets point at the records; and what the writer writes reads back the
// same.

type suiteFormat struct {
	name string
	ext  string
	// encode turns records (one per element) into a file's bytes; a
	// record given as bad is written as something the format cannot read.
	encode func(recs []suiteRecord) []byte
	opts   ReadOptions
	// lines: whether Source.Line counts physical lines (JSONL, text).
	lines bool
}

type suiteRecord struct {
	text string
	bad  bool
}

func jsonlRecords(recs []suiteRecord) []byte {
	var b bytes.Buffer
	for i, r := range recs {
		if r.bad {
			b.WriteString(`{"id": "broken", "text": "no closing quote}` + "\n")
			continue
		}
		line, _ := AppendJSONL(nil, &saring.Document{ID: fmt.Sprintf("r%d", i), Text: r.text})
		b.Write(line)
	}
	return b.Bytes()
}

var suiteFormats = []suiteFormat{
	{name: "jsonl", ext: ".jsonl", encode: jsonlRecords, lines: true},
	{name: "jsonl.gz", ext: ".jsonl.gz", encode: func(r []suiteRecord) []byte { return gz(jsonlRecords(r)) }, lines: true},
	{name: "jsonl.zst", ext: ".jsonl.zst", encode: func(r []suiteRecord) []byte { return zst(jsonlRecords(r)) }, lines: true},
	{name: "text lines", ext: ".txt", opts: ReadOptions{TextMode: "line"}, lines: true, encode: func(recs []suiteRecord) []byte {
		var b bytes.Buffer
		for _, r := range recs {
			if r.bad {
				b.WriteString("invalid \xff\xfe UTF-8\n")
				continue
			}
			b.WriteString(strings.ReplaceAll(r.text, "\n", " ") + "\n")
		}
		return b.Bytes()
	}},
}

func suiteRead(t *testing.T, path string, opts ReadOptions) ([]*saring.Document, []*RecordError) {
	t.Helper()
	r, err := Open(path, opts, nil)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer r.Close()
	var docs []*saring.Document
	var rej []*RecordError
	for n := 0; ; n++ {
		if n > 1_000_000 {
			t.Fatal("reader does not end")
		}
		d, err := r.Next()
		if err == io.EOF {
			return docs, rej
		}
		if err != nil {
			re, ok := AsRecordError(err)
			if !ok {
				t.Fatalf("a bad record stopped the reader: %v", err)
			}
			rej = append(rej, re)
			continue
		}
		docs = append(docs, d)
	}
}

func TestReaderSuite(t *testing.T) {
	for _, f := range suiteFormats {
		t.Run(f.name, func(t *testing.T) {
			dir := t.TempDir()
			write := func(name string, recs []suiteRecord) string {
				p := filepath.Join(dir, name+f.ext)
				writeFileAt(t, p, f.encode(recs))
				return p
			}
			t.Run("empty", func(t *testing.T) {
				docs, rej := suiteRead(t, write("empty", nil), f.opts)
				if len(docs) != 0 || len(rej) != 0 {
					t.Errorf("%d documents, %d rejected from an empty input", len(docs), len(rej))
				}
			})
			recs := []suiteRecord{{text: "first record"}, {text: "second record"}, {bad: true}, {text: "after the bad one"}, {text: "and the last"}}
			t.Run("bad in the middle", func(t *testing.T) {
				docs, rej := suiteRead(t, write("bad", recs), f.opts)
				var texts []string
				for _, d := range docs {
					texts = append(texts, d.Text)
				}
				want := []string{"first record", "second record", "after the bad one", "and the last"}
				if !reflect.DeepEqual(texts, want) {
					t.Errorf("read %q, want %q", texts, want)
				}
				if len(rej) != 1 {
					t.Fatalf("%d rejected entries, want 1: %v", len(rej), rej)
				}
				if f.lines && rej[0].Source.Line != 3 {
					t.Errorf("rejected entry at line %d, want 3", rej[0].Source.Line)
				}
				for i := 1; i < len(docs); i++ {
					if docs[i].Seq <= docs[i-1].Seq {
						t.Errorf("Seq %d after %d", docs[i].Seq, docs[i-1].Seq)
					}
				}
				if f.lines {
					for i, d := range docs {
						wantLine := []int64{1, 2, 4, 5}[i]
						if d.Source.Line != wantLine {
							t.Errorf("%q at line %d, want %d", d.Text, d.Source.Line, wantLine)
						}
					}
				}
				// Offsets point at each record's first byte (plain files:
				// the byte offset in the file).
				if f.ext == ".jsonl" || f.ext == ".txt" {
					raw := f.encode(recs)
					for _, d := range docs {
						off := d.Source.Offset
						if off < 0 || off >= int64(len(raw)) || (off > 0 && raw[off-1] != '\n') {
							t.Errorf("%q: offset %d is not a line start", d.Text, off)
						}
					}
				}
			})
			t.Run("too large", func(t *testing.T) {
				big := []suiteRecord{{text: "small"}, {text: strings.Repeat("x", 5000)}, {text: "small again"}}
				opts := f.opts
				opts.MaxDocBytes = 1000
				docs, rej := suiteRead(t, write("big", big), opts)
				if len(docs) != 2 || len(rej) != 1 {
					t.Fatalf("%d documents, %d rejected; want 2 and 1", len(docs), len(rej))
				}
				if f.lines && rej[0].Source.Line != 2 {
					t.Errorf("rejected at line %d, want 2", rej[0].Source.Line)
				}
			})
		})
	}
}

// TestReaderSuiteRoundTrip: every output format the reader can read gives
// back what the writer wrote: ids, text, metadata, the input's fields.
func TestReaderSuiteRoundTrip(t *testing.T) {
	in := []*saring.Document{
		{ID: "a", Text: "satu\ndua", Metadata: map[string]any{"language": "id", "score": 0.5}, Fields: []saring.Field{{Key: "url", Value: []byte(`"http://x"`)}, {Key: "n", Value: []byte(`3`)}}},
		{ID: "b", Text: "tanpa metadata"},
		{ID: "c", Text: "émoji 🙂 and \"quotes\" \\ and \t tabs"},
	}
	for _, format := range []string{"jsonl", "jsonl.gz", "jsonl.zst", "parquet"} {
		t.Run(format, func(t *testing.T) {
			w, err := NewShardWriter(t.TempDir(), format, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range in {
				if err := w.Write(d); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			docs, rej := suiteRead(t, w.Files[0], ReadOptions{})
			if len(rej) > 0 || len(docs) != len(in) {
				t.Fatalf("%d documents, rejected %v", len(docs), rej)
			}
			for i := range in {
				a, _ := AppendJSONL(nil, in[i])
				b, _ := AppendJSONL(nil, docs[i])
				if !bytes.Equal(a, b) {
					t.Errorf("wrote\n%s\nread back\n%s", a, b)
				}
			}
		})
	}
}

func writeFileAt(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
