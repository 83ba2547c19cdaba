package formats

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/saring/saring"
)

// parquetRow is the schema saring writes: metadata and the input's other
// fields as JSON strings, so any document fits one flat, stable schema.
type parquetRow struct {
	ID       string `parquet:"id,zstd"`
	Text     string `parquet:"text,zstd"`
	Metadata string `parquet:"metadata,zstd"`
	Fields   string `parquet:"fields,zstd"`
}

type parquetShard struct {
	f   *os.File
	tmp string
	w   *parquet.GenericWriter[parquetRow]
	row [1]parquetRow
}

func newParquetShard(f *os.File, tmp string) *parquetShard {
	return &parquetShard{f: f, tmp: tmp, w: parquet.NewGenericWriter[parquetRow](f, parquet.PageBufferSize(1<<20))}
}

func (s *parquetShard) write(doc *saring.Document, _ []byte) error {
	row := parquetRow{ID: doc.ID, Text: doc.Text}
	if len(doc.Metadata) > 0 {
		b, err := AppendJSONValue(nil, doc.Metadata)
		if err != nil {
			return fmt.Errorf("document %s: metadata: %w", doc.ID, err)
		}
		row.Metadata = string(b)
	}
	if len(doc.Fields) > 0 {
		b := []byte{'{'}
		for i, f := range doc.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, f.Key)
			b = append(b, ':')
			b = append(b, f.Value...)
		}
		row.Fields = string(append(b, '}'))
	}
	s.row[0] = row
	_, err := s.w.Write(s.row[:])
	return err
}

func (s *parquetShard) finish() error {
	if err := s.w.Close(); err != nil {
		return err
	}
	if err := s.f.Sync(); err != nil {
		return err
	}
	return s.f.Close()
}

func (s *parquetShard) abort() {
	s.f.Close()
	os.Remove(s.tmp)
}

func (s *parquetShard) tmpName() string { return s.tmp }

// parquetReader reads rows of any flat schema: the text and id columns
// become the document's, a "metadata" column holding a JSON object (as
// saring writes it) becomes its metadata, and every other column a field.
type parquetReader struct {
	name   string
	f      *os.File
	r      *parquet.Reader
	opts   ReadOptions
	row    int64
	broken bool
}

func openParquet(name string, f *os.File, opts ReadOptions) (_ Reader, err error) {
	defer func() {
		if p := recover(); p != nil { // the library panics on some corrupt files
			err = fmt.Errorf("%s: not a readable Parquet file: %v", name, p)
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkParquetFrame(f, st.Size()); err != nil {
		return nil, fmt.Errorf("%s: not a readable Parquet file: %w", name, err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable Parquet file: %w", name, err)
	}
	for _, rg := range pf.Metadata().RowGroups {
		for _, c := range rg.Columns {
			if c.MetaData.Codec == format.Lz4Raw || c.MetaData.Codec == format.Lz4 {
				// parquet-go's LZ4 decoder doubles its buffer until decoding
				// succeeds, so one damaged page can exhaust memory.
				return nil, fmt.Errorf("%s: column %s is LZ4-compressed, which saring does not read (damaged LZ4 pages can exhaust memory); rewrite the file with zstd or snappy", name, strings.Join(c.MetaData.PathInSchema, "."))
			}
		}
	}
	return &parquetReader{name: name, f: f, r: parquet.NewReader(pf), opts: opts}, nil
}

func (p *parquetReader) Close() error { return p.f.Close() }

func (p *parquetReader) Next() (doc *saring.Document, err error) {
	if p.broken {
		return nil, io.EOF
	}
	defer func() {
		if r := recover(); r != nil {
			p.broken = true
			err = fmt.Errorf("row %d: corrupt Parquet data: %v", p.row+1, r)
		}
	}()
	m := map[string]any{}
	if err := p.r.Read(&m); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		p.broken = true
		return nil, fmt.Errorf("row %d: %w", p.row+1, err)
	}
	p.row++
	src := saring.Source{File: p.name, Line: p.row}
	textKey, idKey := p.opts.TextKey, p.opts.IDKey
	if textKey == "" {
		textKey = "text"
	}
	if idKey == "" {
		idKey = "id"
	}
	doc = &saring.Document{Source: src, Seq: SeqOf(p.opts.FileIndex, p.row)}
	text, ok := m[textKey]
	if !ok {
		return nil, &RecordError{Source: src, Err: fmt.Errorf("no %q column (name it with --text-key or input.text_key)", textKey)}
	}
	switch t := text.(type) {
	case string:
		doc.Text = t
	case []byte:
		doc.Text = string(t)
	default:
		return nil, &RecordError{Source: src, Err: fmt.Errorf("column %q is %T, not a string", textKey, text)}
	}
	for _, k := range sortedKeys(m) {
		v := m[k]
		switch k {
		case textKey:
		case idKey:
			switch id := v.(type) {
			case string:
				doc.ID = id
			case []byte:
				doc.ID = string(id)
			case nil:
			default:
				doc.ID = fmt.Sprint(id)
			}
		case "metadata":
			if s, ok := v.(string); ok && s != "" {
				var md map[string]any
				dec := json.NewDecoder(stringsReader(s))
				dec.UseNumber()
				if err := dec.Decode(&md); err == nil {
					doc.Metadata = md
					continue
				}
			}
			fallthrough
		default:
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			raw, err := AppendJSONValue(nil, v)
			if err != nil {
				return nil, &RecordError{Source: src, Err: fmt.Errorf("column %q: %w", k, err)}
			}
			doc.Fields = append(doc.Fields, saring.Field{Key: k, Value: raw})
		}
	}
	if doc.ID == "" {
		doc.ID = p.name + ":" + strconv.FormatInt(p.row, 10)
	}
	return doc, nil
}

// checkParquetFrame checks the magic numbers and the footer length before the
// library reads the footer: a damaged length would otherwise make it
// allocate up to 4 GiB.
func checkParquetFrame(f io.ReaderAt, size int64) error {
	if size < 12 {
		return fmt.Errorf("%d bytes is too short", size)
	}
	var head [4]byte
	var tail [8]byte
	if _, err := f.ReadAt(head[:], 0); err != nil {
		return err
	}
	if _, err := f.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	if string(head[:]) != "PAR1" || string(tail[4:]) != "PAR1" {
		return fmt.Errorf("no PAR1 magic at its start and end")
	}
	footer := int64(binary.LittleEndian.Uint32(tail[:4]))
	if footer+12 > size {
		return fmt.Errorf("its footer claims %d bytes, more than the file holds (%d)", footer, size)
	}
	return nil
}
