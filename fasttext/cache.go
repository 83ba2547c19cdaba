package fasttext

import (
	"encoding/binary"
	"unsafe"
)

// tokenCache remembers the input rows of recent words, so that a word seen
// again (most words of running text are: words follow Zipf's law) costs
// one lookup instead of hashing each of its character n-grams and looking
// them up. The rows are kept, in order, rather than their sum: adding a
// word's sum would round differently from adding its rows one by one, and
// the hidden vector must come out bit-identical to fastText's.
//
// It is two-way set-associative and keyed by the word's bytes themselves,
// up to 24 of them held in the slot, so a hit compares three words and
// never hashes the text byte by byte. A slot is one 64-byte cache line
// and holds up to eight rows itself (most words have fewer: 2.6 on
// average in the web corpus), so a hit usually touches one line of memory.
// The rows of words with more (and the bytes of words longer than 24) go
// to a ring: such an entry is valid while the ring has not come round to
// it again, so the cache never starts over cold.
type tokenCache struct {
	sets *[cacheSets]cacheSet
	ring *[cacheRingCap]int32 // rows, then bytes past the 24th
	head uint32               // absolute ring position of the next entry
}

type cacheSet [2]cacheSlot // way 0 is the more recently used

type cacheSlot struct {
	key   [3]uint64 // the word's first 24 bytes, zero-padded
	hash  uint32    // the word's fnv hash
	n     uint8     // the word's length in bytes; 0: empty
	nrows uint8
	ring  bool // rows and tail in the ring from position rows[0]
	_     uint8
	rows  [slotRows]int32
}

const (
	slotRows     = 8
	cacheSetBits = 14 // 16,384 sets: 32,768 words, 2 MiB
	cacheSets    = 1 << cacheSetBits
	cacheRingCap = 1 << 16 // int32s: 256 KiB
	cacheMaxTok  = 128     // longer words are rare and would crowd the ring
	cacheMaxRows = 255
)

// wordKey holds a word's first 24 bytes and its length.
type wordKey struct {
	k [3]uint64
	n int
}

// keyMasks[n] keeps the first n bytes of three words.
var keyMasks = func() (m [25][3]uint64) {
	for n := range m {
		for i := range m[n] {
			m[n][i] = lowBytes(n - 8*i)
		}
	}
	return m
}()

// keyOf returns the key of data[start:start+n] (n <= cacheMaxTok).
func keyOf(data []byte, start, n int) wordKey {
	var w wordKey
	w.n = n
	if start+24 <= len(data) {
		b := data[start : start+24]
		mask := &keyMasks[min(n, 24)]
		w.k[0] = binary.LittleEndian.Uint64(b) & mask[0]
		w.k[1] = binary.LittleEndian.Uint64(b[8:]) & mask[1]
		w.k[2] = binary.LittleEndian.Uint64(b[16:]) & mask[2]
		return w
	}
	var buf [24]byte
	copy(buf[:], data[start:start+min(n, 24)])
	w.k[0] = binary.LittleEndian.Uint64(buf[:])
	w.k[1] = binary.LittleEndian.Uint64(buf[8:])
	w.k[2] = binary.LittleEndian.Uint64(buf[16:])
	return w
}

// lowBytes is a mask of the low n bytes of a uint64 (n may be negative or
// over 8).
func lowBytes(n int) uint64 {
	switch {
	case n <= 0:
		return 0
	case n >= 8:
		return ^uint64(0)
	}
	return 1<<(8*uint(n)) - 1
}

func (w *wordKey) set() uint32 {
	h := w.k[0]*0x9E3779B97F4A7C15 ^ w.k[1]*0xC2B2AE3D27D4EB4F ^ w.k[2]*0x165667B19E3779F9 ^ uint64(w.n)
	return uint32((h*0xD6E8FEB86659FD93)>>(64-cacheSetBits)) & (cacheSets - 1)
}

func (c *tokenCache) init() {
	if c.sets == nil {
		c.sets = new([cacheSets]cacheSet)
		c.ring = new([cacheRingCap]int32)
	}
}

// valid reports whether e holds the word w (bytes data[start:start+w.n])
// and its ring entry, if any, is intact.
func (c *tokenCache) valid(e *cacheSlot, w *wordKey, data []byte, start int) bool {
	if !e.ring {
		return true
	}
	off := uint32(e.rows[0])
	if c.head-off > cacheRingCap {
		return false
	}
	if w.n <= 24 {
		return true
	}
	tail := data[start+24 : start+w.n]
	pos := off&(cacheRingCap-1) + uint32(e.nrows)
	return string(c.ringBytes(pos, len(tail))) == string(tail)
}

// slotRowsOf returns the rows e holds.
func (c *tokenCache) slotRowsOf(e *cacheSlot) []int32 {
	if !e.ring {
		return e.rows[:e.nrows:e.nrows]
	}
	pos := uint32(e.rows[0]) & (cacheRingCap - 1)
	return c.ring[pos : pos+uint32(e.nrows)]
}

// ringBytes views n bytes of the ring from int32 position pos.
func (c *tokenCache) ringBytes(pos uint32, n int) []byte {
	b := c.ring[pos : pos+uint32(n+3)/4]
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(b))), n)
}

// put remembers the word data[start:start+w.n] with fnv hash h and rows.
func (c *tokenCache) put(w *wordKey, data []byte, start int, h uint32, rows []int32) {
	if len(rows) > cacheMaxRows {
		return
	}
	set := &c.sets[w.set()]
	set[1] = set[0]
	e := &set[0]
	e.key, e.hash, e.n, e.nrows = w.k, h, uint8(w.n), uint8(len(rows))
	if len(rows) <= slotRows && w.n <= 24 {
		e.ring = false
		copy(e.rows[:], rows)
		return
	}
	tail := max(w.n-24, 0)
	need := uint32(len(rows) + (tail+3)/4)
	if pos := c.head & (cacheRingCap - 1); pos+need > cacheRingCap {
		c.head += cacheRingCap - pos // entries do not wrap round the ring's end
	}
	if c.head >= 1<<31 {
		// Positions stay far from wrapping, so that head-off is exact:
		// forget the entries in the ring.
		for i := range c.sets {
			for j := range c.sets[i] {
				if c.sets[i][j].ring {
					c.sets[i][j].n = 0
				}
			}
		}
		c.head = 0
	}
	off := c.head
	pos := off & (cacheRingCap - 1)
	c.head += need
	copy(c.ring[pos:], rows)
	if tail > 0 {
		copy(c.ringBytes(pos+uint32(len(rows)), tail), data[start+24:start+w.n])
	}
	e.ring = true
	e.rows[0] = int32(off)
}
