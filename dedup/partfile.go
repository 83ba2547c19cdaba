package dedup

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/zeebo/xxh3"

	"github.com/saring/saring/outdir"
)

// A partitioned file holds records split into sections, one per partition
// of a stage, so that each task of the next stage reads only its own
// section: NAME.bin is the sections one after the other, NAME.idx says
// where each starts, how many records it holds and its xxh3. A section is
// checked as a whole when read, so a file cut short or damaged is reported,
// never silently read as fewer records.

type partIndex struct {
	Parts    int           `json:"parts"`
	Sections []partSection `json:"sections"`
}

type partSection struct {
	Offset  int64  `json:"offset"`
	Length  int64  `json:"length"`
	Records int64  `json:"records"`
	XXH3    uint64 `json:"xxh3"`
}

// partWriter gathers records by partition in memory and writes them on
// close. Add is safe for concurrent use.
type partWriter struct {
	path  string // without extension
	mu    sync.Mutex
	parts [][]byte
	count []int64
	err   error
}

func newPartWriter(path string, parts int) *partWriter {
	return &partWriter{path: path, parts: make([][]byte, parts), count: make([]int64, parts)}
}

// append adds one record to partition p, encoded by f.
func (w *partWriter) append(p int, f func([]byte) []byte) {
	w.mu.Lock()
	w.parts[p] = f(w.parts[p])
	w.count[p]++
	w.mu.Unlock()
}

func (w *partWriter) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	f, err := outdir.Create(w.path + ".bin")
	if err != nil {
		return err
	}
	idx := partIndex{Parts: len(w.parts)}
	var off int64
	for p, b := range w.parts {
		if _, err := f.Write(b); err != nil {
			f.Abort()
			return fmt.Errorf("%s.bin: %w", w.path, err)
		}
		idx.Sections = append(idx.Sections, partSection{Offset: off, Length: int64(len(b)), Records: w.count[p], XXH3: xxh3.Hash(b)})
		off += int64(len(b))
		w.parts[p] = nil
	}
	if err := f.Commit(); err != nil {
		return err
	}
	// The index is written last: a file without it was never finished.
	return outdir.WriteJSON(w.path+".idx", idx)
}

func (w *partWriter) abort() {
	os.Remove(w.path + ".bin")
	os.Remove(w.path + ".idx")
}

// readSection returns partition p of the partitioned file at path (without
// extension) and its record count, after checking it.
func readSection(path string, p int) ([]byte, int64, error) {
	var idx partIndex
	if err := outdir.ReadJSON(path+".idx", &idx); err != nil {
		return nil, 0, fmt.Errorf("%w (was the stage that writes it finished?)", err)
	}
	if p >= len(idx.Sections) {
		return nil, 0, corrupt(path+".idx", "has %d sections, partition %d asked for", len(idx.Sections), p)
	}
	s := idx.Sections[p]
	if s.Length == 0 {
		return nil, 0, nil
	}
	f, err := os.Open(path + ".bin")
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	b := make([]byte, s.Length)
	if _, err := f.ReadAt(b, s.Offset); err != nil {
		if err == io.EOF {
			return nil, 0, corrupt(path+".bin", "cut short in partition %d", p)
		}
		return nil, 0, err
	}
	if xxh3.Hash(b) != s.XXH3 {
		return nil, 0, corrupt(path+".bin", "checksum mismatch in partition %d", p)
	}
	return b, s.Records, nil
}

// recReader decodes records of a section.
type recReader struct {
	b    []byte
	err  error
	path string
}

func (r *recReader) u64() uint64 {
	if len(r.b) < 8 {
		r.err = corrupt(r.path, "record cut short")
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *recReader) u32() uint32 {
	if len(r.b) < 4 {
		r.err = corrupt(r.path, "record cut short")
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *recReader) str() string {
	n, k := binary.Uvarint(r.b)
	if k <= 0 || uint64(len(r.b)-k) < n {
		r.err = corrupt(r.path, "record cut short")
		return ""
	}
	s := string(r.b[k : k+int(n)])
	r.b = r.b[k+int(n):]
	return s
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// partitionOf spreads 64-bit hashes over n partitions.
func partitionOf(h uint64, n int) int { return int(mix64(h) % uint64(n)) }
