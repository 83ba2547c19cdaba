package dedup

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/zeebo/xxh3"

	"github.com/saring/saring/outdir"
)

// Every intermediate file is: an 8-byte header (magic + kind), the body, and
// a 32-byte trailer (magic, record count, body length, xxh3 of the body).
// A reader checks all of it, so a file cut short by a full disk or a killed
// task is reported instead of silently yielding fewer records.
const (
	fileMagic    = "SRGDD1"
	trailerMagic = "SRGDEND1"
	headerSize   = 8
	trailerSize  = 32
)

// File kinds.
const (
	kindRun       byte = 'R' // sorted band records: key, seq
	kindSigs      byte = 'S' // seq, rank, K compact slots
	kindIDs       byte = 'I' // seq, uvarint length, id bytes
	kindDecisions byte = 'D' // seq, rep seq, cluster size
)

// ErrCorrupt is wrapped by every error about a damaged intermediate file.
var ErrCorrupt = errors.New("intermediate file is truncated or corrupt")

type checkedWriter struct {
	f       *outdir.File
	bw      *bufio.Writer
	h       *xxh3.Hasher
	path    string
	records uint64
	bytes   uint64
	noSync  bool
}

// createChecked starts a file that becomes visible at path only when Close
// succeeds (written to a temporary name, synced, renamed).
func createChecked(path string, kind byte) (*checkedWriter, error) {
	f, err := outdir.Create(path)
	if err != nil {
		return nil, err
	}
	w := &checkedWriter{f: f, bw: bufio.NewWriterSize(f, 256<<10), h: xxh3.New(), path: path}
	var hdr [headerSize]byte
	copy(hdr[:], fileMagic)
	hdr[6] = kind
	hdr[7] = 1 // version
	if _, err := w.bw.Write(hdr[:]); err != nil {
		w.abort()
		return nil, err
	}
	return w, nil
}

// record writes one record (p may be split across several calls, as long as
// record is called once per record).
func (w *checkedWriter) write(p []byte) error {
	w.h.Write(p)
	w.bytes += uint64(len(p))
	_, err := w.bw.Write(p)
	return err
}

func (w *checkedWriter) record(p []byte) error {
	w.records++
	return w.write(p)
}

func (w *checkedWriter) abort() { w.f.Abort() }

func (w *checkedWriter) close() error {
	var t [trailerSize]byte
	copy(t[:], trailerMagic)
	binary.LittleEndian.PutUint64(t[8:], w.records)
	binary.LittleEndian.PutUint64(t[16:], w.bytes)
	binary.LittleEndian.PutUint64(t[24:], w.h.Sum64())
	if _, err := w.bw.Write(t[:]); err != nil {
		w.abort()
		return err
	}
	if err := w.bw.Flush(); err != nil {
		w.abort()
		return err
	}
	w.f.NoSync = w.noSync
	return w.f.Commit()
}

// checkedReader streams a checked file's body; verify must be called after
// the last record to learn whether what was read can be trusted.
type checkedReader struct {
	f       *os.File
	br      *bufio.Reader
	hr      *hashingReader
	path    string
	records uint64 // promised by the trailer
	bytes   uint64
	sum     uint64
}

type hashingReader struct {
	r io.Reader
	h *xxh3.Hasher
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	return n, err
}

func corrupt(path, format string, args ...any) error {
	return fmt.Errorf("dedup: %s: %s: %w (delete this stage's files and run the stage again)",
		path, fmt.Sprintf(format, args...), ErrCorrupt)
}

func openChecked(path string, kind byte) (*checkedReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	fail := func(format string, args ...any) (*checkedReader, error) {
		f.Close()
		return nil, corrupt(path, format, args...)
	}
	if st.Size() < headerSize+trailerSize {
		return fail("only %d bytes", st.Size())
	}
	var hdr [headerSize]byte
	if _, err := io.ReadFull(f, hdr[:]); err != nil {
		return fail("reading header: %v", err)
	}
	if string(hdr[:6]) != fileMagic || hdr[6] != kind || hdr[7] != 1 {
		return fail("not a %c file of this version", kind)
	}
	var t [trailerSize]byte
	if _, err := f.ReadAt(t[:], st.Size()-trailerSize); err != nil {
		return fail("reading trailer: %v", err)
	}
	if string(t[:8]) != trailerMagic {
		return fail("no trailer")
	}
	r := &checkedReader{f: f, path: path,
		records: binary.LittleEndian.Uint64(t[8:]),
		bytes:   binary.LittleEndian.Uint64(t[16:]),
		sum:     binary.LittleEndian.Uint64(t[24:]),
	}
	if body := uint64(st.Size() - headerSize - trailerSize); body != r.bytes {
		return fail("body is %d bytes, trailer says %d", body, r.bytes)
	}
	r.hr = &hashingReader{r: io.LimitReader(f, int64(r.bytes)), h: xxh3.New()}
	r.br = bufio.NewReaderSize(r.hr, 256<<10)
	return r, nil
}

// full reads exactly len(p) bytes; io.EOF only at a clean record boundary.
func (r *checkedReader) full(p []byte) error {
	n, err := io.ReadFull(r.br, p)
	if err == io.EOF {
		return io.EOF
	}
	if err != nil || n != len(p) {
		return corrupt(r.path, "record cut short")
	}
	return nil
}

// verify checks that the whole body was read and matches the trailer.
func (r *checkedReader) verify(records uint64) error {
	if _, err := r.br.ReadByte(); err != io.EOF {
		return corrupt(r.path, "data after the last record")
	}
	if records != r.records {
		return corrupt(r.path, "%d records read, trailer says %d", records, r.records)
	}
	if r.hr.h.Sum64() != r.sum {
		return corrupt(r.path, "checksum mismatch")
	}
	return nil
}

func (r *checkedReader) close() error { return r.f.Close() }

// Done markers say a stage or task finished; they are written last, after
// every file of the task is renamed into place.
func writeDone(dir string, durable bool) error {
	f, err := outdir.Create(filepath.Join(dir, "done"))
	if err != nil {
		return err
	}
	f.NoSync = !durable
	f.Write([]byte("ok\n"))
	return f.Commit()
}

func isDone(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "done"))
	return err == nil
}
