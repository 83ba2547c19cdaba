package fasttext

// tokenCache remembers the input rows of recent words, so that a word seen
// again (most words of running text are) costs one lookup instead of
// hashing and looking up each of its character n-grams. It is
// direct-mapped on the word's hash and bounded: when its arenas fill up it
// starts over. Rows are kept in order, so sums stay bit-identical.
type tokenCache struct {
	slots []cacheSlot
	toks  []byte
	rows  []int32
}

type cacheSlot struct {
	hash           uint32
	tokOff, tokLen uint32 // tokLen 0: empty
	rowOff, rowLen uint32
}

const (
	cacheSlots   = 1 << 13
	cacheMaxTok  = 64 // longer words are rare and would crowd the arena
	cacheTokCap  = 1 << 17
	cacheRowsCap = 1 << 16
)

func (c *tokenCache) get(tok []byte, h uint32) ([]int32, bool) {
	if c.slots == nil {
		return nil, false
	}
	e := &c.slots[h&(cacheSlots-1)]
	if e.hash != h || int(e.tokLen) != len(tok) || string(c.toks[e.tokOff:e.tokOff+e.tokLen]) != string(tok) {
		return nil, false
	}
	return c.rows[e.rowOff : e.rowOff+e.rowLen], true
}

func (c *tokenCache) put(tok []byte, h uint32, rows []int32) {
	if len(tok) > cacheMaxTok {
		return
	}
	if c.slots == nil {
		c.slots = make([]cacheSlot, cacheSlots)
		c.toks = make([]byte, 0, cacheTokCap)
		c.rows = make([]int32, 0, cacheRowsCap)
	}
	if len(c.toks)+len(tok) > cacheTokCap || len(c.rows)+len(rows) > cacheRowsCap {
		clear(c.slots)
		c.toks = c.toks[:0]
		c.rows = c.rows[:0]
	}
	c.slots[h&(cacheSlots-1)] = cacheSlot{
		hash:   h,
		tokOff: uint32(len(c.toks)), tokLen: uint32(len(tok)),
		rowOff: uint32(len(c.rows)), rowLen: uint32(len(rows)),
	}
	c.toks = append(c.toks, tok...)
	c.rows = append(c.rows, rows...)
}
