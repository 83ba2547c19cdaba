package viewer

import (
	"container/list"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"

	"github.com/klauspost/compress/s2"
)

// Store reads documents through an index.
type Store struct {
	OutDir string
	Dir    string
	Man    *Manifest

	idx *os.File

	mu       sync.Mutex
	files    map[int]*os.File
	frames   *lru[frameKey, []byte]
	selCache *lru[string, *Selection]
}

type frameKey struct {
	file int
	off  uint64
}

// OpenStore opens the index in dir (see Open).
func OpenStore(outdir, dir string, man *Manifest) (*Store, error) {
	f, err := os.Open(filepath.Join(dir, "docs.idx"))
	if err != nil {
		return nil, err
	}
	return &Store{OutDir: outdir, Dir: dir, Man: man, idx: f,
		files: map[int]*os.File{}, frames: newLRU[frameKey, []byte](32)}, nil
}

// Close releases the store's files.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.files {
		f.Close()
	}
	return s.idx.Close()
}

// Recs reads n records starting at ordinal from.
func (s *Store) Recs(from, n int64) ([]Rec, error) {
	if from < 0 || from >= s.Man.Docs {
		return nil, nil
	}
	if from+n > s.Man.Docs {
		n = s.Man.Docs - from
	}
	buf := make([]byte, n*recSize)
	if _, err := s.idx.ReadAt(buf, from*recSize); err != nil && err != io.EOF {
		return nil, err
	}
	out := make([]Rec, n)
	for i := range out {
		out[i].get(buf[i*recSize:])
	}
	return out, nil
}

// Rec reads one record.
func (s *Store) Rec(ord int64) (Rec, error) {
	r, err := s.Recs(ord, 1)
	if err != nil {
		return Rec{}, err
	}
	if len(r) == 0 {
		return Rec{}, fmt.Errorf("no document %d (the index has %d)", ord, s.Man.Docs)
	}
	return r[0], nil
}

func (s *Store) file(i int) (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.files[i]; ok {
		return f, nil
	}
	if i >= len(s.Man.Files) {
		return nil, fmt.Errorf("index names file %d of %d; rebuild it by deleting %s", i, len(s.Man.Files), s.Dir)
	}
	fe := s.Man.Files[i]
	p := filepath.Join(s.OutDir, filepath.FromSlash(fe.Rel))
	if fe.Blocks != "" {
		p = filepath.Join(s.Dir, fe.Blocks)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	s.files[i] = f
	return f, nil
}

// maxLine bounds what one document read may allocate, whatever the index says.
const maxLine = 1 << 30

// Raw returns the JSON line of a record. The slice may be shared: do not modify it.
func (s *Store) Raw(r Rec) ([]byte, error) {
	if r.Len > maxLine {
		return nil, fmt.Errorf("record of %d bytes is too large to show", r.Len)
	}
	f, err := s.file(int(r.File))
	if err != nil {
		return nil, err
	}
	if r.FrameN == 0 {
		buf := make([]byte, r.Len)
		if _, err := f.ReadAt(buf, int64(r.Loc)); err != nil && !(err == io.EOF && len(buf) == int(r.Len)) {
			return nil, err
		}
		return buf, nil
	}
	key := frameKey{int(r.File), r.Loc}
	s.mu.Lock()
	frame, ok := s.frames.get(key)
	s.mu.Unlock()
	if !ok {
		comp := make([]byte, r.FrameN)
		if _, err := f.ReadAt(comp, int64(r.Loc)); err != nil && err != io.EOF {
			return nil, err
		}
		if frame, err = s2.Decode(nil, comp); err != nil {
			return nil, fmt.Errorf("index cache is damaged (delete %s to rebuild it): %w", s.Dir, err)
		}
		s.mu.Lock()
		s.frames.put(key, frame)
		s.mu.Unlock()
	}
	end := uint64(r.InFrame) + uint64(r.Len)
	if end > uint64(len(frame)) {
		return nil, fmt.Errorf("index cache is damaged (delete %s to rebuild it)", s.Dir)
	}
	return frame[r.InFrame:end], nil
}

// HasScore reports whether the record carries a language score.
func HasScore(r Rec) bool { return !math.IsNaN(float64(r.Score)) }

// lru is a small least-recently-used cache (callers lock).
type lru[K comparable, V any] struct {
	max int
	ll  *list.List
	m   map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	k K
	v V
}

func newLRU[K comparable, V any](max int) *lru[K, V] {
	return &lru[K, V]{max: max, ll: list.New(), m: map[K]*list.Element{}}
}

func (c *lru[K, V]) get(k K) (V, bool) {
	if e, ok := c.m[k]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*lruEntry[K, V]).v, true
	}
	var zero V
	return zero, false
}

func (c *lru[K, V]) put(k K, v V) {
	if e, ok := c.m[k]; ok {
		e.Value.(*lruEntry[K, V]).v = v
		c.ll.MoveToFront(e)
		return
	}
	c.m[k] = c.ll.PushFront(&lruEntry[K, V]{k, v})
	for c.ll.Len() > c.max {
		e := c.ll.Back()
		c.ll.Remove(e)
		delete(c.m, e.Value.(*lruEntry[K, V]).k)
	}
}
