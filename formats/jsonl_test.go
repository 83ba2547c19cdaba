package formats

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"

	"github.com/saring/saring"
)

func TestParseRecord(t *testing.T) {
	tests := []struct {
		name, in       string
		wantID, wantTx string
		wantFields     []string
		wantErr        string
	}{
		{name: "plain", in: `{"id":"a","text":"hello"}`, wantID: "a", wantTx: "hello"},
		{name: "escapes", in: `{"text":"line1\nline2 \"q\" \u00e9 \ud83d\ude00 \/"}`, wantTx: "line1\nline2 \"q\" é 😀 /"},
		{name: "numeric id", in: `{"id": 42, "text": "x"}`, wantID: "42", wantTx: "x"},
		{name: "null id", in: `{"id": null, "text": "x"}`, wantTx: "x"},
		{name: "extra fields kept", in: `{"url":"http://a","text":"x","n":[1,2,{"a":null}],"f":1.5e3}`, wantTx: "x", wantFields: []string{`url="http://a"`, `n=[1,2,{"a":null}]`, `f=1.5e3`}},
		{name: "whitespace", in: " { \"text\" : \"x\" , \"id\" : \"b\" } ", wantID: "b", wantTx: "x"},
		{name: "no text", in: `{"id":"a"}`, wantErr: `no "text" field`},
		{name: "text not string", in: `{"text":5}`, wantErr: "must be a string"},
		{name: "not object", in: `["text"]`, wantErr: "must be a JSON object"},
		{name: "truncated", in: `{"text":"abc`, wantErr: "unterminated string"},
		{name: "trailing", in: `{"text":"a"} x`, wantErr: "trailing data"},
		{name: "bad escape", in: `{"text":"\q"}`, wantErr: "bad escape"},
		{name: "control char", in: "{\"text\":\"a\x01b\"}", wantErr: "control character"},
		{name: "invalid utf8", in: "{\"text\":\"a\xffb\"}", wantErr: "invalid UTF-8"},
		{name: "bad number", in: `{"text":"a","n":01}`, wantErr: "expected ','"},
		{name: "bad literal", in: `{"text":"a","n":tru}`, wantErr: "invalid literal"},
		{name: "metadata", in: `{"text":"a","metadata":{"lang":"id","score":0.9}}`, wantTx: "a"},
		{name: "bad metadata", in: `{"text":"a","metadata":[1]}`, wantErr: "must be an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := parseRecord([]byte(tt.in), ReadOptions{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if doc.ID != tt.wantID || doc.Text != tt.wantTx {
				t.Errorf("got id %q text %q, want %q %q", doc.ID, doc.Text, tt.wantID, tt.wantTx)
			}
			var got []string
			for _, f := range doc.Fields {
				got = append(got, f.Key+"="+string(f.Value))
			}
			if strings.Join(got, " ") != strings.Join(tt.wantFields, " ") {
				t.Errorf("fields = %q, want %q", got, tt.wantFields)
			}
		})
	}
}

func TestParseRecordCustomKeys(t *testing.T) {
	doc, err := parseRecord([]byte(`{"content":"body","doc_id":"z","text":"other"}`), ReadOptions{TextKey: "content", IDKey: "doc_id"})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Text != "body" || doc.ID != "z" {
		t.Fatalf("got %q %q", doc.Text, doc.ID)
	}
	// the input's own "text" field is shadowed by ours on output
	line, err := AppendJSONL(nil, doc)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"z","text":"body"}` + "\n"; string(line) != want {
		t.Errorf("got %s want %s", line, want)
	}
}

func TestAppendJSONLRoundTrip(t *testing.T) {
	in := `{"id":"x","text":"a\"b\\c\n\t\u0001 é <b>&","url":"u","n":[1,2],"metadata":{"b":1,"a":"z"}}`
	doc, err := parseRecord([]byte(in), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := AppendJSONL(nil, doc)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"x","text":"a\"b\\c\n\t\u0001 é <b>&","url":"u","n":[1,2],"metadata":{"a":"z","b":1}}` + "\n"
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

func TestAppendJSONStringInvalidUTF8(t *testing.T) {
	got := string(appendJSONString(nil, "a\xffb"))
	if got != "\"a\ufffdb\"" {
		t.Errorf("got %q", got)
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zst(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := zstd.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// readAll returns the documents and the rejected errors of one input.
func readDocs(t *testing.T, path string, opts ReadOptions) (docs []*saring.Document, rejects []error, fatal error) {
	t.Helper()
	r, err := Open(path, opts, nil)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	for {
		d, err := r.Next()
		if err == io.EOF {
			return docs, rejects, nil
		}
		if err != nil {
			if _, ok := AsRecordError(err); ok {
				rejects = append(rejects, err)
				continue
			}
			return docs, rejects, err
		}
		docs = append(docs, d)
	}
}

func sampleJSONL(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		b.WriteString(`{"text":"document number `)
		b.WriteString(strings.Repeat("x", i%50))
		b.WriteString("\"}\n")
	}
	return b.Bytes()
}

func TestReadCompressed(t *testing.T) {
	data := sampleJSONL(1000)
	for _, tc := range []struct {
		name string
		data []byte
	}{{"a.jsonl", data}, {"a.jsonl.gz", gz(data)}, {"a.jsonl.zst", zst(data)}} {
		t.Run(tc.name, func(t *testing.T) {
			docs, rej, err := readDocs(t, writeFile(t, tc.name, tc.data), ReadOptions{FileIndex: 3})
			if err != nil || len(rej) > 0 {
				t.Fatal(err, rej)
			}
			if len(docs) != 1000 {
				t.Fatalf("%d docs", len(docs))
			}
			if docs[9].Source.Line != 10 || docs[9].Seq != SeqOf(3, 10) || !strings.HasSuffix(docs[9].ID, ":10") {
				t.Errorf("doc 10: %+v", docs[9].Source)
			}
		})
	}
}

func TestReadTruncated(t *testing.T) {
	data := sampleJSONL(20000)
	for _, tc := range []struct {
		name string
		data []byte
	}{{"t.jsonl.gz", gz(data)}, {"t.jsonl.zst", zst(data)}} {
		t.Run(tc.name, func(t *testing.T) {
			// One gzip member or zstd frame, cut: its checksum is never
			// verified, so every line decoded from it is a rejected entry
			// with its line and offset, and none is handed out as good.
			cut := tc.data[:len(tc.data)*2/3]
			docs, rej, err := readDocs(t, writeFile(t, tc.name, cut), ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 0 || len(rej) == 0 || len(rej) >= 20000 {
				t.Fatalf("got %d documents and %d rejected", len(docs), len(rej))
			}
			for i, e := range rej {
				re, ok := AsRecordError(e)
				want := "damaged"
				if i == len(rej)-1 {
					want = "could not be decoded" // the cut itself
				}
				if !ok || re.Source.Line != int64(i+1) || (i > 0 && i < len(rej)-1 && re.Source.Offset == 0) || !strings.Contains(re.Error(), want) {
					t.Fatalf("rejected %d: %v", i, e)
				}
			}
		})
	}
}

func TestReadBadRecordsContinue(t *testing.T) {
	in := "{\"text\":\"one\"}\n{bad json\n{\"text\":\"inv\xffalid\"}\n\n{\"id\":\"x\"}\n{\"text\":\"two\"}"
	docs, rej, err := readDocs(t, writeFile(t, "b.jsonl", []byte(in)), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Text != "one" || docs[1].Text != "two" || docs[1].Source.Line != 6 {
		t.Fatalf("docs = %+v", docs)
	}
	if len(rej) != 3 {
		t.Fatalf("rejects = %v", rej)
	}
	var re *RecordError
	if !errors.As(rej[1], &re) || re.Source.Line != 3 || !strings.Contains(re.Error(), "b.jsonl:3") {
		t.Errorf("reject 2 = %v", rej[1])
	}
}

func TestReadEmptyFile(t *testing.T) {
	for _, name := range []string{"e.jsonl", "e.jsonl.gz", "e.txt"} {
		docs, rej, err := readDocs(t, writeFile(t, name, nil), ReadOptions{})
		if name == "e.txt" {
			if err != nil || len(docs) != 1 || docs[0].Text != "" {
				t.Errorf("%s: %v %v %v", name, docs, rej, err)
			}
			continue
		}
		if err != nil || len(docs) != 0 || len(rej) != 0 {
			t.Errorf("%s: %v %v %v", name, docs, rej, err)
		}
	}
}

func TestReadHugeDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("100 MB document")
	}
	text := strings.Repeat("kata ", 20<<20) // 100 MiB on one line
	line := `{"id":"big","text":"` + text + "\"}\n" + `{"text":"after"}` + "\n"
	docs, rej, err := readDocs(t, writeFile(t, "big.jsonl", []byte(line)), ReadOptions{MaxDocBytes: 128 << 20})
	if err != nil || len(rej) > 0 {
		t.Fatal(err, rej)
	}
	if len(docs) != 2 || len(docs[0].Text) != len(text) || docs[1].Text != "after" {
		t.Fatalf("got %d docs", len(docs))
	}
}

func TestReadTextModes(t *testing.T) {
	p := writeFile(t, "p.txt", []byte("first line\n\nsecond line\r\n"))
	docs, _, err := readDocs(t, p, ReadOptions{TextMode: "line"})
	if err != nil || len(docs) != 2 || docs[1].Text != "second line" || docs[1].Source.Line != 3 {
		t.Fatalf("%v %+v", err, docs)
	}
	docs, _, err = readDocs(t, p, ReadOptions{TextMode: "file"})
	if err != nil || len(docs) != 1 || docs[0].ID != p {
		t.Fatalf("%v %+v", err, docs)
	}
	bad := writeFile(t, "bad.txt", []byte("ok\xff"))
	_, rej, err := readDocs(t, bad, ReadOptions{})
	if err != nil || len(rej) != 1 || !strings.Contains(rej[0].Error(), "invalid UTF-8 at byte 2") {
		t.Fatalf("%v %v", err, rej)
	}
}

func TestUnknownFormat(t *testing.T) {
	_, err := Open(writeFile(t, "x.dat", []byte("a")), ReadOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "cannot tell the format") {
		t.Fatal(err)
	}
}

func TestShardWriterRotatesAndRenames(t *testing.T) {
	dir := t.TempDir()
	w, err := NewShardWriter(dir, "jsonl", 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 7; i++ {
		if err := w.Write(&saring.Document{ID: "d", Text: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	hidden, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(names) != 3 || len(hidden) != 0 {
		t.Fatalf("files %v hidden %v", names, hidden)
	}
	w2, _ := NewShardWriter(filepath.Join(dir, "sub"), "jsonl.zst", 0, 0)
	w2.Write(&saring.Document{ID: "d", Text: "t"})
	w2.Abort()
	left, _ := filepath.Glob(filepath.Join(dir, "sub", "*"))
	lefth, _ := filepath.Glob(filepath.Join(dir, "sub", ".*"))
	if len(left)+len(lefth) != 0 {
		t.Fatalf("abort left %v %v", left, lefth)
	}
}

func TestParquetRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := NewShardWriter(dir, "parquet", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	in := []*saring.Document{
		{ID: "a", Text: "satu", Metadata: map[string]any{"language": "id"}, Fields: []saring.Field{{Key: "url", Value: []byte(`"http://x"`)}}},
		{ID: "b", Text: "dua"},
	}
	for _, d := range in {
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	docs, rej, err := readDocs(t, w.Files[0], ReadOptions{})
	if err != nil || len(rej) > 0 {
		t.Fatal(err, rej)
	}
	if len(docs) != 2 || docs[0].ID != "a" || docs[0].Text != "satu" || docs[0].Language() != "id" || docs[1].Text != "dua" {
		t.Fatalf("%+v", docs)
	}
	// The input's other fields come back as they went in, in order, and
	// are written out again byte for byte.
	if u, ok := docs[0].Lookup("url"); !ok || u != "http://x" {
		t.Errorf("url after the round trip: %q %v (fields %+v)", u, ok, docs[0].Fields)
	}
	if _, ok := docs[0].Lookup("fields"); ok {
		t.Errorf("a field named fields appeared: %+v", docs[0].Fields)
	}
	for i := range in {
		a, _ := AppendJSONL(nil, in[i])
		b, _ := AppendJSONL(nil, docs[i])
		if !bytes.Equal(a, b) {
			t.Errorf("document %d: wrote\n%s\nread back\n%s", i, a, b)
		}
	}
}

// A "fields" column in somebody else's Parquet file is an ordinary field.
func TestParquetForeignFieldsColumn(t *testing.T) {
	type row struct {
		Text   string `parquet:"text"`
		Fields string `parquet:"fields"`
	}
	path := filepath.Join(t.TempDir(), "foreign.parquet")
	f, _ := os.Create(path)
	w := parquet.NewGenericWriter[row](f)
	w.Write([]row{{Text: "satu", Fields: `{"a":1}`}})
	w.Close()
	f.Close()
	docs, rej, err := readDocs(t, path, ReadOptions{})
	if err != nil || len(rej) > 0 || len(docs) != 1 {
		t.Fatal(err, rej, docs)
	}
	if v, ok := docs[0].Lookup("fields"); !ok || v != `{"a":1}` {
		t.Errorf("fields = %q %v", v, ok)
	}
}

func TestParquetCorrupt(t *testing.T) {
	_, err := Open(writeFile(t, "c.parquet", []byte("PAR1 not really")), ReadOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "Parquet") {
		t.Fatalf("err = %v", err)
	}
}

func TestCompressionLevels(t *testing.T) {
	sizes := map[string]int64{}
	for _, format := range []string{"jsonl.gz", "jsonl.zst"} {
		for _, level := range CompressionLevels {
			dir := t.TempDir()
			w, _ := NewShardWriter(dir, format, 0, 0)
			w.Level = level
			for i := 0; i < 2000; i++ {
				w.Write(&saring.Document{ID: "d", Text: strings.Repeat("kata lain ", i%40)})
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			docs, _, err := readDocs(t, w.Files[0], ReadOptions{})
			if err != nil || len(docs) != 2000 {
				t.Fatalf("%s %s: %d docs, %v", format, level, len(docs), err)
			}
			st, _ := os.Stat(w.Files[0])
			sizes[format+" "+level] = st.Size()
		}
		if sizes[format+" fastest"] < sizes[format+" best"] {
			t.Errorf("%s: fastest %d smaller than best %d", format, sizes[format+" fastest"], sizes[format+" best"])
		}
	}
}

// A damaged footer length used to make the Parquet library allocate
// gigabytes before failing; it is now refused up front.
func TestParquetDamagedFooterLength(t *testing.T) {
	dir := t.TempDir()
	w, _ := NewShardWriter(dir, "parquet", 0, 0)
	w.Write(&saring.Document{ID: "a", Text: "satu"})
	w.Close()
	b, _ := os.ReadFile(w.Files[0])
	b[len(b)-5] = 0x7f // high byte of the footer length
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Open(writeFile(t, "d.parquet", b), ReadOptions{}, nil)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "footer claims") {
		t.Fatalf("err = %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("allocated %d MB for a damaged file", grew>>20)
	}
}

// A damaged codec byte can turn a column into LZ4, whose decoder in the
// Parquet library grows without bound on bad data: such files are refused.
func TestParquetLZ4Refused(t *testing.T) {
	dir := t.TempDir()
	f, _ := os.Create(filepath.Join(dir, "lz4.parquet"))
	type row struct {
		ID   string `parquet:"id,lz4"`
		Text string `parquet:"text,lz4"`
	}
	w := parquet.NewGenericWriter[row](f)
	w.Write([]row{{ID: "a", Text: "satu"}})
	w.Close()
	f.Close()
	_, err := Open(f.Name(), ReadOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "LZ4-compressed") {
		t.Fatalf("err = %v", err)
	}
}

// TestParquetShardBytes: a Parquet shard counts the bytes of its rows (id,
// text, metadata and fields as stored) against shard_bytes.
func TestParquetShardBytes(t *testing.T) {
	dir := t.TempDir()
	w, err := NewShardWriter(dir, "parquet", 0, 25)
	if err != nil {
		t.Fatal(err)
	}
	// Rows of 1+10, 1+10, 1+10+17 bytes: the shard turns over after the
	// third, whose metadata {"language":"id"} is 17 bytes.
	for i, d := range []*saring.Document{
		{ID: "a", Text: "0123456789"},
		{ID: "b", Text: "0123456789"},
		{ID: "c", Text: "0123456789", Metadata: map[string]any{"language": "id"}},
		{ID: "d", Text: "x"},
	} {
		if err := w.Write(d); err != nil {
			t.Fatal(i, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(w.Files) != 2 {
		t.Fatalf("%d shards, want 2: %v", len(w.Files), w.Files)
	}
	docs, _, err := readDocs(t, w.Files[1], ReadOptions{})
	if err != nil || len(docs) != 1 || docs[0].ID != "d" {
		t.Fatalf("second shard: %+v %v", docs, err)
	}
}
