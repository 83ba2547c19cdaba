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

// parquetPackedFields marks files whose "fields" column is saring's packing
// of the input's other fields, so that reading them back gives those fields
// again rather than one field named "fields".
const parquetPackedFields = "saring.fields"

func newParquetShard(f *os.File, tmp string) *parquetShard {
	return &parquetShard{f: f, tmp: tmp, w: parquet.NewGenericWriter[parquetRow](f, parquet.PageBufferSize(1<<20),
		parquet.KeyValueMetadata(parquetPackedFields, "json-object"))}
}

func (s *parquetShard) write(doc *saring.Document, _ []byte) (int64, error) {
	row := parquetRow{ID: doc.ID, Text: doc.Text}
	if len(doc.Metadata) > 0 {
		b, err := AppendJSONValue(nil, doc.Metadata)
		if err != nil {
			return 0, fmt.Errorf("document %s: metadata: %w", doc.ID, err)
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
	if _, err := s.w.Write(s.row[:]); err != nil {
		return 0, err
	}
	return int64(len(row.ID) + len(row.Text) + len(row.Metadata) + len(row.Fields)), nil
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
	maxDoc int64
	groups []parquetGroup
	total  int64 // rows, from the footer
	// packedFields: the file is saring's own, its "fields" column the
	// input's other fields packed as one JSON object.
	packedFields bool
	pf           *parquet.File
	gi           int // the row group r reads
}

// seek makes p.r read row (0-based), one row group at a time: a reader of
// the whole file reads ahead into the next row group, and a damaged page
// there would cost rows of this one.
func (p *parquetReader) seek(row int64) error {
	rgs := p.pf.RowGroups()
	for i, g := range p.groups {
		if row >= g.first && row < g.first+g.rows && i < len(rgs) {
			if i != p.gi || p.r == nil {
				if p.r != nil {
					p.r.Close()
				}
				p.r, p.gi = parquet.NewRowGroupReader(rgs[i]), i
			}
			return p.r.SeekToRow(row - g.first)
		}
	}
	return io.EOF
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
	lim := opts.limits()
	md := pf.Metadata()
	groups := parquetGroups(f, st.Size(), md, parquetPageCap(lim.maxDoc))
	_, packed := pf.Lookup(parquetPackedFields)
	return &parquetReader{name: name, f: f, pf: pf, gi: -1, opts: opts, maxDoc: lim.maxDoc, groups: groups, total: md.NumRows, packedFields: packed}, nil
}

// group returns the row group holding row (0-based).
func (p *parquetReader) group(row int64) *parquetGroup {
	for i := range p.groups {
		if g := &p.groups[i]; row >= g.first && row < g.first+g.rows {
			return g
		}
	}
	return nil
}

// read reads the next row. The library reads ahead, so an error may come
// from a later page than the row's: the row is tried once more after a seek.
func (p *parquetReader) read(m *map[string]any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("corrupt Parquet data: %v", r)
		}
	}()
	if p.r == nil || p.row >= p.groups[p.gi].first+p.groups[p.gi].rows {
		if err := p.seek(p.row); err != nil {
			if err == io.EOF && p.row >= p.total {
				return io.EOF
			}
			return err
		}
	}
	err = p.r.Read(m)
	if err == io.EOF && p.row < p.total {
		err = fmt.Errorf("row group %d ended before the %d rows its footer gives", p.gi, p.groups[p.gi].rows)
	}
	return err
}

// skipGroup is the entry for the rows from p.row to the end of its row
// group, which cannot be read; reading goes on with the next row group.
func (p *parquetReader) skipGroup(err error) error {
	g := p.group(p.row)
	if g == nil {
		return p.tail(err)
	}
	src := saring.Source{File: p.name, Line: p.row + 1, Offset: g.offset}
	end := g.first + g.rows
	n := end - p.row
	p.row = end
	return &RecordError{Source: src, Err: fmt.Errorf("rows %d to %d (%d rows, by the footer) cannot be read: %w", src.Line, end, n, err), Records: n}
}

// tail is the entry for the rows from p.row on, which cannot be read: one
// entry, counted as the rows the footer says are left.
func (p *parquetReader) tail(err error) error {
	p.broken = true
	src := saring.Source{File: p.name, Line: p.row + 1}
	if g := p.group(p.row); g != nil {
		src.Offset = g.offset
	}
	left := p.total - p.row
	if left < 1 {
		left = 1
	}
	return &RecordError{Source: src, Err: fmt.Errorf("rows %d to %d (%d rows, by the footer) cannot be read: %w", p.row+1, p.row+left, left, err), Records: left}
}

func (p *parquetReader) Close() error {
	if p.r != nil {
		p.r.Close()
	}
	return p.f.Close()
}

func (p *parquetReader) Next() (doc *saring.Document, err error) {
	if p.broken {
		return nil, io.EOF
	}
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, p.tail(fmt.Errorf("corrupt Parquet data: %v", r))
		}
	}()
	if g := p.group(p.row); g != nil && g.tooLarge != "" && p.row == g.first {
		// Passed over whole: its pages are not decoded.
		src := saring.Source{File: p.name, Line: p.row + 1, Offset: g.offset}
		p.row += g.rows
		return nil, &RecordError{Source: src, Err: fmt.Errorf("rows %d to %d (%d rows) not read: %s", g.first+1, g.first+g.rows, g.rows, g.tooLarge), Records: g.rows}
	}
	m := map[string]any{}
	if err := p.read(&m); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		if p.broken {
			return nil, p.tail(err)
		}
		return nil, p.skipGroup(err)
	}
	p.row++
	src := saring.Source{File: p.name, Line: p.row}
	if g := p.group(p.row - 1); g != nil {
		src.Offset = g.offset
	}
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
	if n := textLen(text); p.maxDoc > 0 && n > p.maxDoc {
		return nil, &RecordError{Source: src, Err: &tooLongError{size: n, max: p.maxDoc}}
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
			if k == "fields" && p.packedFields {
				if s, ok := v.(string); ok {
					fs, err := unpackFields(s)
					if err != nil {
						return nil, &RecordError{Source: src, Err: fmt.Errorf("column %q: %w", k, err)}
					}
					doc.Fields = append(doc.Fields, fs...)
					continue
				}
			}
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

// maxParquetFooter bounds the footer saring decodes: real ones are KBs to
// a few MBs, even with thousands of row groups.
const maxParquetFooter = 256 << 20

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
	if footer > maxParquetFooter {
		return fmt.Errorf("its footer is %d bytes, over the limit of %d (statistics holding whole values?)", footer, maxParquetFooter)
	}
	return nil
}

func textLen(v any) int64 {
	switch t := v.(type) {
	case string:
		return int64(len(t))
	case []byte:
		return int64(len(t))
	}
	return 0
}

// unpackFields reads the JSON object the writer packed the fields into,
// keeping their order and their values' bytes.
func unpackFields(s string) ([]saring.Field, error) {
	if s == "" {
		return nil, nil
	}
	b := []byte(s)
	end, err := skipValue(b, 0)
	if err != nil || b[skipSpace(b, 0)] != '{' || skipSpace(b, end) != len(b) {
		return nil, fmt.Errorf("not the JSON object saring writes")
	}
	var fs []saring.Field
	i := skipSpace(b, skipSpace(b, 0)+1)
	for i < len(b) && b[i] != '}' {
		kend, esc, _ := scanString(b, i)
		key := decodeString(b, i, kend, esc)
		vstart := skipSpace(b, skipSpace(b, kend)+1)
		vend, _ := skipValue(b, vstart)
		fs = append(fs, saring.Field{Key: key, Value: json.RawMessage(b[vstart:vend])})
		i = skipSpace(b, vend)
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return fs, nil
}
