package dedup

import "sync"

// firstSeen remembers, for every 128-bit key, the document with the smallest
// seq that has it, and that document's id. Memory grows with the number of
// distinct keys (about 80 bytes each plus the id); it is sharded so that
// concurrent Add calls rarely wait. The result does not depend on the order
// of the calls.
type firstSeen struct {
	shards [64]struct {
		mu sync.Mutex
		m  map[[2]uint64]seen
	}
}

type seen struct {
	seq   uint64
	id    string
	count uint32
}

func newFirstSeen() *firstSeen {
	f := &firstSeen{}
	for i := range f.shards {
		f.shards[i].m = map[[2]uint64]seen{}
	}
	return f
}

func (f *firstSeen) add(k [2]uint64, seq uint64, id string) {
	s := &f.shards[k[0]%uint64(len(f.shards))]
	s.mu.Lock()
	e, ok := s.m[k]
	if !ok || seq < e.seq {
		e.seq, e.id = seq, id
	}
	e.count++
	s.m[k] = e
	s.mu.Unlock()
}

func (f *firstSeen) get(k [2]uint64) (seen, bool) {
	s := &f.shards[k[0]%uint64(len(f.shards))]
	s.mu.Lock()
	e, ok := s.m[k]
	s.mu.Unlock()
	return e, ok
}
