package dedup

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// bandRec says that document seq has band key key (band number in the top
// byte). Sorted by (key, seq), equal keys are adjacent and in input order.
type bandRec struct{ key, seq uint64 }

const bandRecSize = 16

func sortBandRecs(r []bandRec) {
	slices.SortFunc(r, func(a, b bandRec) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
}

func writeRun(path string, recs []bandRec, noSync bool) error {
	w, err := createChecked(path, kindRun)
	if err != nil {
		return err
	}
	w.noSync = noSync
	var b [bandRecSize]byte
	for _, r := range recs {
		binary.LittleEndian.PutUint64(b[0:], r.key)
		binary.LittleEndian.PutUint64(b[8:], r.seq)
		if err := w.record(b[:]); err != nil {
			w.abort()
			return err
		}
	}
	return w.close()
}

type runReader struct {
	r    *checkedReader
	cur  bandRec
	n    uint64
	prev bandRec
	buf  [bandRecSize]byte
}

// next loads the next record; ok is false at the (verified) end.
func (rr *runReader) next() (ok bool, err error) {
	err = rr.r.full(rr.buf[:])
	if err == io.EOF {
		return false, rr.r.verify(rr.n)
	}
	if err != nil {
		return false, err
	}
	rr.cur = bandRec{binary.LittleEndian.Uint64(rr.buf[0:]), binary.LittleEndian.Uint64(rr.buf[8:])}
	if rr.n > 0 && (rr.cur.key < rr.prev.key || rr.cur.key == rr.prev.key && rr.cur.seq < rr.prev.seq) {
		return false, corrupt(rr.r.path, "records out of order at record %d", rr.n)
	}
	rr.prev = rr.cur
	rr.n++
	return true, nil
}

// maxFanIn bounds the runs merged at once: each open run holds a file and a
// read buffer, and a run over many input units has many runs.
const maxFanIn = 256

// mergeRuns streams the records of all runs in (key, seq) order. Every run's
// checksum is verified when it is exhausted; an error then means the calls
// already made to fn must be discarded. Past maxFanIn runs, groups are first
// merged into intermediate runs (in a directory beside the first run,
// removed after), so open files and memory stay bounded.
func mergeRuns(paths []string, fn func(bandRec) error) error {
	if len(paths) <= maxFanIn {
		return mergeSome(paths, fn)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(paths[0]), ".merge-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	level := 0
	for len(paths) > maxFanIn {
		var next []string
		for i := 0; i < len(paths); i += maxFanIn {
			group := paths[i:min(i+maxFanIn, len(paths))]
			out := filepath.Join(tmp, fmt.Sprintf("l%d-%06d.bin", level, len(next)))
			w, err := createChecked(out, kindRun)
			if err != nil {
				return err
			}
			w.noSync = true // scratch: a crash redoes the decision
			var b [bandRecSize]byte
			err = mergeSome(group, func(r bandRec) error {
				binary.LittleEndian.PutUint64(b[0:], r.key)
				binary.LittleEndian.PutUint64(b[8:], r.seq)
				return w.record(b[:])
			})
			if err == nil {
				err = w.close()
			} else {
				w.abort()
			}
			if err != nil {
				return err
			}
			if level > 0 {
				for _, p := range group {
					os.Remove(p)
				}
			}
			next = append(next, out)
		}
		paths = next
		level++
	}
	return mergeSome(paths, fn)
}

func mergeSome(paths []string, fn func(bandRec) error) error {
	var heap []*runReader
	defer func() {
		for _, h := range heap {
			h.r.close()
		}
	}()
	for _, p := range paths {
		cr, err := openChecked(p, kindRun)
		if err != nil {
			return err
		}
		rr := &runReader{r: cr}
		ok, err := rr.next()
		if err != nil {
			cr.close()
			return err
		}
		if ok {
			heap = append(heap, rr)
		} else {
			cr.close()
		}
	}
	less := func(a, b *runReader) bool {
		return a.cur.key < b.cur.key || a.cur.key == b.cur.key && a.cur.seq < b.cur.seq
	}
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(heap) {
				return
			}
			m := l
			if r := l + 1; r < len(heap) && less(heap[r], heap[l]) {
				m = r
			}
			if !less(heap[m], heap[i]) {
				return
			}
			heap[i], heap[m] = heap[m], heap[i]
			i = m
		}
	}
	for i := len(heap)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for len(heap) > 0 {
		top := heap[0]
		if err := fn(top.cur); err != nil {
			return err
		}
		ok, err := top.next()
		if err != nil {
			return err
		}
		if !ok {
			top.r.close()
			heap[0] = heap[len(heap)-1]
			heap = heap[:len(heap)-1]
		}
		down(0)
	}
	return nil
}
