package pipeline

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
)

// A spool holds the documents that survive the steps before a corpus step,
// between its two passes, so that the run need not keep them in memory.
// Records are length-prefixed binary; the file ends with a record count,
// so a spool cut short (full disk) is detected instead of silently used.

const spoolMagic = "SARINGSPOOL2\n"

type spoolWriter struct {
	f   *outdir.File
	zw  *zstd.Encoder
	bw  *bufio.Writer
	n   uint64
	buf []byte
}

// createSpool starts a spool that appears at path only when close succeeds.
func createSpool(path string) (*spoolWriter, error) {
	f, err := outdir.Create(path)
	if err != nil {
		return nil, err
	}
	zw, err := zstd.NewWriter(f, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		f.Abort()
		return nil, err
	}
	w := &spoolWriter{f: f, zw: zw, bw: bufio.NewWriterSize(zw, 1<<20)}
	w.bw.WriteString(spoolMagic)
	return w, nil
}

func (w *spoolWriter) write(d *saring.Document) error {
	b := w.buf[:0]
	b = binary.AppendUvarint(b, d.Seq)
	b = appendBytes(b, d.ID)
	b = appendBytes(b, d.Text)
	b = appendBytes(b, d.Source.File)
	b = binary.AppendVarint(b, d.Source.Line)
	b = binary.AppendVarint(b, d.Source.Offset)
	if len(d.Metadata) > 0 {
		var err error
		if b, err = appendValue(b, d.Metadata); err != nil {
			return fmt.Errorf("document %s: metadata: %w", d.ID, err)
		}
	} else {
		b = append(b, tagNil)
	}
	b = binary.AppendUvarint(b, uint64(len(d.Fields)))
	for _, f := range d.Fields {
		b = appendBytes(b, f.Key)
		b = appendBytes(b, string(f.Value))
	}
	w.buf = b
	var hdr [binary.MaxVarintLen64]byte
	w.bw.Write(hdr[:binary.PutUvarint(hdr[:], uint64(len(b))+1)])
	_, err := w.bw.Write(b)
	w.n++
	return err
}

func appendBytes(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func (w *spoolWriter) close() error {
	w.bw.WriteByte(0) // end marker, then the count
	var tail [8]byte
	binary.LittleEndian.PutUint64(tail[:], w.n)
	w.bw.Write(tail[:])
	if err := w.bw.Flush(); err != nil {
		w.f.Abort()
		return err
	}
	if err := w.zw.Close(); err != nil {
		w.f.Abort()
		return err
	}
	return w.f.Commit()
}

func (w *spoolWriter) abort() { w.f.Abort() }

type spoolReader struct {
	name string
	f    *os.File
	zr   *zstd.Decoder
	br   *bufio.Reader
	n    uint64
	done bool
}

func openSpool(path string) (*spoolReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1))
	if err != nil {
		f.Close()
		return nil, err
	}
	r := &spoolReader{name: path, f: f, zr: zr, br: bufio.NewReaderSize(zr, 1<<20)}
	magic := make([]byte, len(spoolMagic))
	if _, err := io.ReadFull(r.br, magic); err != nil || string(magic) != spoolMagic {
		r.Close()
		return nil, fmt.Errorf("%s: not a spool file or cut short; delete the output directory and run again", path)
	}
	return r, nil
}

func (r *spoolReader) Close() error {
	r.zr.Close()
	return r.f.Close()
}

var errSpoolCorrupt = errors.New("spool file is corrupt or cut short (was the disk full?); run again")

func (r *spoolReader) Next() (*saring.Document, error) {
	if r.done {
		return nil, io.EOF
	}
	size, err := binary.ReadUvarint(r.br)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.name, errSpoolCorrupt)
	}
	if size == 0 {
		var tail [8]byte
		if _, err := io.ReadFull(r.br, tail[:]); err != nil || binary.LittleEndian.Uint64(tail[:]) != r.n {
			return nil, fmt.Errorf("%s: %w", r.name, errSpoolCorrupt)
		}
		r.done = true
		return nil, io.EOF
	}
	b := make([]byte, size-1)
	if _, err := io.ReadFull(r.br, b); err != nil {
		return nil, fmt.Errorf("%s: %w", r.name, errSpoolCorrupt)
	}
	r.n++
	d := &saring.Document{}
	p := &byteParser{b: b}
	d.Seq = p.uvarint()
	d.ID = p.str()
	d.Text = p.str()
	d.Source.File = p.str()
	d.Source.Line = p.varint()
	d.Source.Offset = p.varint()
	switch md := p.value(0).(type) {
	case nil:
	case map[string]any:
		d.Metadata = md
	default:
		p.err = errSpoolCorrupt
	}
	nf := p.uvarint()
	for i := uint64(0); i < nf && p.err == nil; i++ {
		k := p.str()
		v := p.str()
		d.Fields = append(d.Fields, saring.Field{Key: k, Value: json.RawMessage(v)})
	}
	if p.err != nil {
		return nil, fmt.Errorf("%s: %w", r.name, errSpoolCorrupt)
	}
	return d, nil
}

type byteParser struct {
	b   []byte
	err error
}

func (p *byteParser) uvarint() uint64 {
	v, n := binary.Uvarint(p.b)
	if n <= 0 {
		p.err = errSpoolCorrupt
		return 0
	}
	p.b = p.b[n:]
	return v
}

func (p *byteParser) varint() int64 {
	v, n := binary.Varint(p.b)
	if n <= 0 {
		p.err = errSpoolCorrupt
		return 0
	}
	p.b = p.b[n:]
	return v
}

func (p *byteParser) str() string {
	n := p.uvarint()
	if p.err != nil || n > uint64(len(p.b)) {
		p.err = errSpoolCorrupt
		return ""
	}
	s := string(p.b[:n])
	p.b = p.b[n:]
	return s
}
