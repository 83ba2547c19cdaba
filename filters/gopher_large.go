package filters

import "math/bits"

// gopherBigWords is the word count above which gopher_repetition's n-gram
// rules run in bounded memory (a variable for tests).
var gopherBigWords = 1 << 21

// gopherPartKeys bounds how many distinct n-grams one pass of the top
// n-gram rule counts on a large document: the n-grams are counted in hash
// partitions of about this many, one pass each.
var gopherPartKeys = 1 << 21

// gopherKeepCap bounds the buffers a pooled scratch keeps between
// documents, so that one large document does not pin its tables.
const gopherKeepCap = 1 << 22

// releaseArrays drops the per-word tables before a large document.
func (sc *gopherScratch) releaseArrays() {
	sc.runes, sc.bytes, sc.hCat, sc.hSp = nil, nil, nil, nil
}

// trim drops buffers grown past gopherKeepCap.
func (sc *gopherScratch) trim() {
	if cap(sc.runes) > gopherKeepCap {
		sc.releaseArrays()
	}
	if cap(sc.table.slots) > gopherKeepCap {
		sc.table = gopherTable{}
	}
	if cap(sc.set.keys) > gopherKeepCap || cap(sc.set.pos) > gopherKeepCap {
		sc.set = gopherSet{}
	}
	if cap(sc.ngrams.slots) > gopherKeepCap || cap(sc.stream) > 4*gopherKeepCap {
		sc.ngrams, sc.prefixes = gopherNGrams{}, gopherPrefixes{}
		sc.counts, sc.stream, sc.streamSp, sc.repeatsCat, sc.repeatsSp = nil, nil, nil, nil, nil
	}
	sc.ring.ws = nil
}

// gopherRing computes the prefix hashes and lengths that prepare tables
// for every word boundary, for a window of n+1 boundaries only: enough for
// the n-grams at positions that only move forward.
type gopherRing struct {
	ws       []string
	size, k  int // k: the next boundary to compute
	cat, sp  []uint64
	by, runs []int64
}

func (r *gopherRing) reset(ws []string, n int) {
	r.ws, r.size, r.k = ws, n+1, 1
	if cap(r.cat) < r.size {
		r.cat, r.sp = make([]uint64, r.size), make([]uint64, r.size)
		r.by, r.runs = make([]int64, r.size), make([]int64, r.size)
	}
	r.cat, r.sp, r.by, r.runs = r.cat[:r.size], r.sp[:r.size], r.by[:r.size], r.runs[:r.size]
	r.cat[0], r.sp[0], r.by[0], r.runs[0] = 0, 0, 0, 0
}

// upTo computes the boundaries up to k, as prepare does.
func (r *gopherRing) upTo(k int) {
	for ; r.k <= k; r.k++ {
		i := r.k - 1
		w := r.ws[i]
		prev, cur := i%r.size, r.k%r.size
		var hw uint64
		for j := 0; j < len(w); j++ {
			hw = gopherAddMod(gopherMulMod(hw, gopherBase), uint64(w[j])+1)
		}
		p := gopherPow(len(w))
		r.cat[cur] = gopherAddMod(gopherMulMod(r.cat[prev], p), hw)
		if i == 0 {
			r.sp[cur] = hw
		} else {
			withSp := gopherAddMod(gopherMulMod(r.sp[prev], gopherBase), ' '+1)
			r.sp[cur] = gopherAddMod(gopherMulMod(withSp, p), hw)
		}
		r.by[cur] = r.by[prev] + int64(len(w))
		r.runs[cur] = r.runs[prev] + int64(gopherRuneLen(w))
	}
}

// catHash is gopherScratch.catHash.
func (r *gopherRing) catHash(i, n int) uint64 {
	r.upTo(i + n)
	a, b := i%r.size, (i+n)%r.size
	l := int32(r.by[b] - r.by[a])
	h := gopherSubMod(r.cat[b], gopherMulMod(r.cat[a], gopherPow(int(l))))
	return h ^ uint64(l)*0x9E3779B97F4A7C15
}

// spHash is gopherScratch.spHash.
func (r *gopherRing) spHash(i, n int) uint64 {
	r.upTo(i + n)
	a, b := i%r.size, (i+n)%r.size
	l := int32(r.by[b]-r.by[a]) + int32(n-1)
	h := r.sp[b]
	if i > 0 {
		withSp := gopherAddMod(gopherMulMod(r.sp[a], gopherBase), ' '+1)
		h = gopherSubMod(h, gopherMulMod(withSp, gopherPow(int(l))))
	}
	return h ^ uint64(l)*0x9E3779B97F4A7C15
}

// runes is the characters of words[i:i+n], joined by "".
func (r *gopherRing) runes(i, n int) int {
	r.upTo(i + n)
	return int(r.runs[(i+n)%r.size] - r.runs[i%r.size])
}

// gopherSet is a set of n-grams by hash, 12 bytes a slot (the hash and
// the position of the n-gram, to tell apart n-grams with one hash), at
// most 2/3 full.
type gopherSet struct {
	keys []uint64
	pos  []int32
	n    uint64
}

func (s *gopherSet) reset(max int) {
	size := max + max/2 + 16
	if cap(s.keys) >= size && cap(s.pos) >= size {
		s.keys, s.pos = s.keys[:size], s.pos[:size]
		clear(s.keys)
	} else {
		s.keys, s.pos = make([]uint64, size), make([]int32, size)
	}
	s.n = uint64(size)
}

// seenOrAdd reports whether the n-gram at i (with hash key) is in the
// set, adding it if not; same(p) tells whether the n-gram at p is the one
// at i. Keys are forced odd, as gopherTable forces them.
func (s *gopherSet) seenOrAdd(key uint64, i int32, same func(p int32) bool) bool {
	key |= 1
	j, _ := bits.Mul64(key*0x9E3779B97F4A7C15, s.n)
	for {
		switch k := s.keys[j]; {
		case k == 0:
			s.keys[j], s.pos[j] = key, i
			return false
		case k == key && same(s.pos[j]):
			return true
		}
		if j++; j == s.n {
			j = 0
		}
	}
}

// topNGramCharsLarge is topNGramChars in bounded memory: the n-grams are
// counted one hash partition at a time. The answer (the most frequent
// n-gram, the first seen among equally frequent ones) does not depend on
// the order the n-grams are counted in, so it is the same.
func (sc *gopherScratch) topNGramCharsLarge(n int) int {
	ws := sc.words
	total := len(ws) - n + 1
	parts := (total + gopherPartKeys - 1) / gopherPartKeys
	bestChars, bestN, bestFirst := -1, int32(0), int32(0)
	t, r := &sc.table, &sc.ring
	for p := 0; p < parts; p++ {
		r.reset(ws, n)
		t.reset(total/parts + total/parts/8 + 16)
		for i := 0; i+n <= len(ws); i++ {
			h := r.spHash(i, n)
			if parts > 1 && int(((h|1)>>7)%uint64(parts)) != p {
				continue
			}
			sl, _ := t.slot(h, int32(i), func(first int32) bool { return sc.sameWords(int(first), i, n, " ") })
			sl.count++
			c, first := sl.count, sl.first
			if c > bestN || (c == bestN && first < bestFirst) {
				// n-grams with one hash are one text: its length is the
				// length at i.
				bestChars, bestN, bestFirst = r.runes(i, n)+n-1, c, first
			}
		}
	}
	if bestChars < 0 {
		return 0
	}
	return bestChars * int(bestN)
}

// dupNGramCharsLarge is dupNGramChars in bounded memory.
func (sc *gopherScratch) dupNGramCharsLarge(n int) int {
	ws := sc.words
	if len(ws) < n {
		return 0
	}
	r, s := &sc.ring, &sc.set
	r.reset(ws, n)
	s.reset(len(ws) - n + 1)
	repeated := 0
	for i := 0; i+n <= len(ws); {
		if s.seenOrAdd(r.catHash(i, n), int32(i), func(p int32) bool { return sc.sameWords(int(p), i, n, "") }) {
			repeated += r.runes(i, n)
			i += n
			continue
		}
		i++
	}
	return repeated
}
