package tokenize

import (
	"hash/maphash"
	"sync"
)

// wordCache remembers the ids of pieces (pre-tokens, words). It is sharded
// by hash for concurrent use; each shard is an open-addressing table whose
// slots keep the hash, so a probe compares strings only on a full hash
// match, and which doubles when half full up to cacheShardSize slots, then
// is emptied (a bounded memory, and the common pieces come back at once).
type wordCache struct {
	seed   maphash.Seed
	once   sync.Once
	shards [cacheShards]cacheShard
}

type cacheShard struct {
	mu    sync.RWMutex
	slots []cacheSlot
	n     int
}

type cacheSlot struct {
	hash uint64 // 0: free
	key  string
	ids  []int32
}

const (
	cacheShards    = 64
	cacheMaxPiece  = 64      // longer pieces are not remembered
	cacheShardMin  = 1 << 6  // slots of a new shard
	cacheShardSize = 1 << 14 // the most slots of a shard; it holds half as many pieces
)

func (c *wordCache) hash(s string) uint64 {
	c.once.Do(func() { c.seed = maphash.MakeSeed() })
	h := maphash.String(c.seed, s)
	if h == 0 {
		h = 1
	}
	return h
}

func (c *wordCache) get(s string) ([]int32, bool) {
	if len(s) > cacheMaxPiece {
		return nil, false
	}
	h := c.hash(s)
	sh := &c.shards[h%cacheShards]
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	if sh.slots == nil {
		return nil, false
	}
	mask := uint64(len(sh.slots) - 1)
	for i := (h / cacheShards) & mask; ; i = (i + 1) & mask {
		sl := &sh.slots[i]
		if sl.hash == 0 {
			return nil, false
		}
		if sl.hash == h && sl.key == s {
			return sl.ids, true
		}
	}
}

func (c *wordCache) put(s string, ids []int32) {
	if len(s) > cacheMaxPiece {
		return
	}
	h := c.hash(s)
	sh := &c.shards[h%cacheShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	switch {
	case sh.slots == nil:
		sh.slots = make([]cacheSlot, cacheShardMin)
	case sh.n >= len(sh.slots)/2 && len(sh.slots) < cacheShardSize:
		old := sh.slots
		sh.slots, sh.n = make([]cacheSlot, 2*len(old)), 0
		for _, sl := range old {
			if sl.hash != 0 {
				sh.insert(sl)
			}
		}
	case sh.n >= len(sh.slots)/2:
		clear(sh.slots)
		sh.n = 0
	}
	sh.insert(cacheSlot{hash: h, key: s, ids: ids})
}

func (sh *cacheShard) insert(c cacheSlot) {
	mask := uint64(len(sh.slots) - 1)
	for i := (c.hash / cacheShards) & mask; ; i = (i + 1) & mask {
		sl := &sh.slots[i]
		if sl.hash == 0 {
			*sl = c
			sh.n++
			return
		}
		if sl.hash == c.hash && sl.key == c.key {
			return
		}
	}
}
