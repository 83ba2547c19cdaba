package formats

import (
	"bytes"
	"io"
	"testing"
	"unicode/utf8"
)

// FuzzJSONLRecord checks that any record either fails cleanly or survives a
// write and a second read unchanged.
func FuzzJSONLRecord(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","text":"hello"}`,
		`{"text":"\u00e9\ud83d\ude00\n","url":"x","n":[1,{"a":null}],"metadata":{"k":1}}`,
		`{"text":"a","id":12.5e3}`,
		`{"text":"\ud800"}`,
		`{}`, `[]`, `{"text":"`, "{\"text\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := parseRecord(b, ReadOptions{})
		if err != nil {
			return
		}
		if !utf8.ValidString(doc.Text) {
			// \ud800-style lone surrogates decode to U+FFFD, so text is always valid.
			t.Fatalf("invalid UTF-8 text from %q", b)
		}
		out, err := AppendJSONL(nil, doc)
		if err != nil {
			return // metadata that encoding/json cannot write back (e.g. huge numbers)
		}
		doc2, err := parseRecord(bytes.TrimSuffix(out, []byte("\n")), ReadOptions{})
		if err != nil {
			t.Fatalf("re-read of %q failed: %v", out, err)
		}
		if doc2.Text != doc.Text || doc2.ID != doc.ID || len(doc2.Fields) != len(doc.Fields) {
			t.Fatalf("round trip changed the record: %q -> %q", b, out)
		}
	})
}

// FuzzJSONLReader feeds arbitrary bytes as a .jsonl file: no panic, no hang,
// every line a document or a rejected record.
func FuzzJSONLReader(f *testing.F) {
	f.Add([]byte("{\"text\":\"a\"}\n{bad\n\n{\"text\":\"b\"}"))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := newJSONLReader("f.jsonl", bytes.NewReader(b), nil, ReadOptions{})
		for i := 0; i < 1<<20; i++ {
			_, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if _, ok := AsRecordError(err); !ok {
					return
				}
			}
		}
		t.Fatal("reader did not stop")
	})
}

// FuzzTextLines feeds arbitrary bytes as a line-per-document text file.
func FuzzTextLines(f *testing.F) {
	f.Add([]byte("one\ntwo\r\n\n\xff\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := &textLineReader{name: "f.txt", lines: newLineReader(bytes.NewReader(b)), skipped: map[string]int64{}}
		for {
			d, err := r.Next()
			if err == io.EOF {
				return
			}
			if err == nil && !utf8.ValidString(d.Text) {
				t.Fatal("invalid UTF-8 document")
			}
		}
	})
}
