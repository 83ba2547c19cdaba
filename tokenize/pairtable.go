package tokenize

// pairTable maps a pair of token ids to its merge: open addressing with
// linear probing over 16-byte slots, so a look-up of the hundreds of
// thousands of merges of a large vocabulary touches one cache line where a
// Go map touches two or three; the merge loops spend most of their time
// here.
type pairTable struct {
	slots []pairSlot
	shift uint
}

type pairSlot struct {
	key      uint64 // left id << 32 | right id; emptyPair when free
	rank, id int32
}

const emptyPair = ^uint64(0) // ids are below 2^31, so no pair has this key

func newPairTable(n int) *pairTable {
	size, bits := 16, uint(4)
	for size < 2*n {
		size, bits = size*2, bits+1
	}
	t := &pairTable{slots: make([]pairSlot, size), shift: 64 - bits}
	for i := range t.slots {
		t.slots[i].key = emptyPair
	}
	return t
}

func (t *pairTable) home(key uint64) uint64 { return (key * 0x9E3779B97F4A7C15) >> t.shift }

// put sets the merge of key, replacing an earlier one.
func (t *pairTable) put(key uint64, rank, id int32) {
	mask := uint64(len(t.slots) - 1)
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == emptyPair || s.key == key {
			*s = pairSlot{key: key, rank: rank, id: id}
			return
		}
	}
}

func (t *pairTable) get(key uint64) (rank, id int32, ok bool) {
	mask := uint64(len(t.slots) - 1)
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == key {
			return s.rank, s.id, true
		}
		if s.key == emptyPair {
			return 0, 0, false
		}
	}
}
