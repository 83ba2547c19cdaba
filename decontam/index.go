package decontam

import (
	"bytes"
	"fmt"
	"math"
	"sort"

	"github.com/zeebo/xxh3"
)

// Index holds the word n-grams of benchmarks for exact lookup.
//
// Every benchmark passage's normalized words are kept once, in one arena;
// a hash table maps the 64-bit hash of each n-gram to the position of its
// first word there. A lookup that finds the hash compares the n-gram's
// words with the arena's, so a match is exact: a hash collision costs one
// comparison, never a false hit. Memory is the normalized words (about 6
// bytes a word in English), 4 bytes of word offset, and 14 bytes per table
// slot (hash, position, filter) at a load of at most 3/4: 1.56 million
// 13-grams of the State of the Union addresses take 49 MiB, 33 bytes per
// n-gram. Index.Bytes reports it.
type Index struct {
	n      int
	arena  []byte   // normalized words, each followed by a space
	starts []uint32 // start of each arena word; passages are contiguous runs
	keys   []uint64 // hash table: 0 is empty
	vals   []uint32 // word position of the n-gram in the arena
	// filter is a blocked Bloom filter of the table's hashes, two bits in
	// one 64-bit word per hash, 16 bits per table slot: most n-grams of a
	// document are in no benchmark, and the filter (1/6 of the table's
	// size, so mostly in cache) turns them away without touching the
	// table, whose random reads are the step's main cost otherwise.
	filter []uint64
	used   int
	// benches are the loaded benchmarks in order; a benchmark's words are
	// the arena positions from its first to the next one's first.
	benches []benchRange
	// also lists, for an n-gram first seen in one benchmark, the other
	// benchmarks that contain it too.
	also map[uint32][]uint16
	// Short counts passages with fewer words than n, which no n-gram of
	// theirs can match.
	Short map[string]int64
	// Numeric counts n-grams not indexed because most of their words are
	// numbers: digits all normalize to 0, so the rows of any table of
	// figures would match one another.
	Numeric map[string]int64
	// Passages and NGrams count what each benchmark added.
	Passages map[string]int64
	NGrams   map[string]int64
	scratch  words
}

type benchRange struct {
	name  string
	first uint32
}

// NewIndex returns an empty index of n-grams of n words.
func NewIndex(n int) *Index {
	return &Index{
		n: n, keys: make([]uint64, 1024), vals: make([]uint32, 1024), filter: make([]uint64, 1024/4),
		also: map[uint32][]uint16{}, Short: map[string]int64{}, Numeric: map[string]int64{}, Passages: map[string]int64{}, NGrams: map[string]int64{},
	}
}

// N is the n-gram length in words.
func (x *Index) N() int { return x.n }

// Benchmarks are the names of the benchmarks added, in order.
func (x *Index) Benchmarks() []string {
	out := make([]string, len(x.benches))
	for i, b := range x.benches {
		out[i] = b.name
	}
	return out
}

// Len is the number of distinct n-grams indexed.
func (x *Index) Len() int { return x.used }

// Bytes is the memory the index holds.
func (x *Index) Bytes() int64 {
	return int64(cap(x.arena)) + 4*int64(cap(x.starts)) + 14*int64(len(x.keys))
}

// StartBenchmark begins a benchmark: the passages added next belong to it.
func (x *Index) StartBenchmark(name string) error {
	if len(x.benches) >= math.MaxUint16 {
		return fmt.Errorf("more than %d benchmarks", math.MaxUint16)
	}
	x.benches = append(x.benches, benchRange{name: name, first: uint32(len(x.starts))})
	return nil
}

// AddPassage indexes the n-grams of one passage: the texts of a record's
// fields, read one after the other as one run of words (so n-grams that
// span the question and its answer are indexed too, as datatrove's
// overlap n-grams are).
func (x *Index) AddPassage(texts ...string) error {
	if len(x.benches) == 0 {
		return fmt.Errorf("AddPassage before StartBenchmark")
	}
	bench := x.benches[len(x.benches)-1].name
	w := &x.scratch
	w.reset()
	for _, t := range texts {
		w.split(t, false)
	}
	nw := w.count()
	x.Passages[bench]++
	if nw < x.n {
		x.Short[bench]++
		return nil
	}
	if int64(len(x.arena))+int64(len(w.norm)) > math.MaxUint32 || int64(len(x.starts))+int64(nw) >= math.MaxUint32 {
		return fmt.Errorf("benchmarks too large for one index (more than 4 GiB of words)")
	}
	base := uint32(len(x.arena))
	first := uint32(len(x.starts))
	x.arena = append(x.arena, w.norm...)
	for _, s := range w.starts[:nw] {
		x.starts = append(x.starts, base+s)
	}
	isNum := func(i int) int {
		if w.starts[i+1]-w.starts[i] == 2 && w.norm[w.starts[i]] == '0' {
			return 1
		}
		return 0
	}
	nums := 0
	for i := 0; i < x.n-1; i++ {
		nums += isNum(i)
	}
	for i := 0; i+x.n <= nw; i++ {
		nums += isNum(i + x.n - 1)
		if i > 0 {
			nums -= isNum(i - 1)
		}
		if 2*nums > x.n {
			x.Numeric[bench]++
			continue
		}
		if x.insert(w.ngram(i, x.n), first+uint32(i)) {
			x.NGrams[bench]++
		}
	}
	return nil
}

func hashNgram(b []byte) uint64 {
	h := xxh3.Hash(b)
	if h == 0 {
		h = 1
	}
	return h
}

// arenaNgram is the n-gram whose first word is at arena position p.
func (x *Index) arenaNgram(p uint32) []byte {
	end := uint32(len(x.arena))
	if int(p)+x.n < len(x.starts) {
		end = x.starts[int(p)+x.n]
	}
	return x.arena[x.starts[p] : end-1]
}

// insert adds an n-gram at position p; false when it was there already.
func (x *Index) insert(g []byte, p uint32) bool {
	if (x.used+1)*4 > len(x.keys)*3 {
		x.grow()
	}
	h := hashNgram(g)
	mask := uint64(len(x.keys) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch x.keys[i] {
		case 0:
			x.keys[i], x.vals[i] = h, p
			x.used++
			x.setFilter(h)
			return true
		case h:
			q := x.vals[i]
			if bytes.Equal(x.arenaNgram(q), g) {
				x.noteAlso(q, p)
				return false
			}
		}
	}
}

// noteAlso records that the n-gram first seen at q is also in p's benchmark.
func (x *Index) noteAlso(q, p uint32) {
	bq, bp := x.benchOf(q), x.benchOf(p)
	if bq == bp {
		return
	}
	for _, b := range x.also[q] {
		if b == bp {
			return
		}
	}
	x.also[q] = append(x.also[q], bp)
}

func filterBits(h uint64) uint64 { return 1<<(h>>20&63) | 1<<(h>>26&63) }

func (x *Index) setFilter(h uint64) {
	x.filter[(h>>32)&uint64(len(x.filter)-1)] |= filterBits(h)
}

func (x *Index) mayHave(h uint64) bool {
	b := filterBits(h)
	return x.filter[(h>>32)&uint64(len(x.filter)-1)]&b == b
}

func (x *Index) grow() {
	keys, vals := x.keys, x.vals
	x.keys = make([]uint64, 2*len(keys))
	x.vals = make([]uint32, 2*len(keys))
	x.filter = make([]uint64, len(x.keys)/4)
	mask := uint64(len(x.keys) - 1)
	for j, h := range keys {
		if h == 0 {
			continue
		}
		i := h & mask
		for x.keys[i] != 0 {
			i = (i + 1) & mask
		}
		x.keys[i], x.vals[i] = h, vals[j]
		x.setFilter(h)
	}
}

// benchOf is the benchmark holding arena word p.
func (x *Index) benchOf(p uint32) uint16 {
	i := sort.Search(len(x.benches), func(i int) bool { return x.benches[i].first > p })
	return uint16(i - 1)
}

// lookup returns the arena position of n-gram g and whether it is indexed.
func (x *Index) lookup(g []byte) (uint32, bool) {
	h := hashNgram(g)
	if !x.mayHave(h) {
		return 0, false
	}
	return x.lookupHashed(h, g)
}

func (x *Index) lookupHashed(h uint64, g []byte) (uint32, bool) {
	mask := uint64(len(x.keys) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch x.keys[i] {
		case 0:
			return 0, false
		case h:
			if p := x.vals[i]; bytes.Equal(x.arenaNgram(p), g) {
				return p, true
			}
		}
	}
}

// Match is one n-gram of a text found in the index.
type Match struct {
	Word       int      // index of the n-gram's first word in the text
	Benchmarks []uint16 // the benchmarks holding it, first-loaded first
}

// find appends the matches of w's n-grams. It hashes every n-gram first,
// then asks the filter about all of them in a loop of independent reads
// (which the processor overlaps, where one read after each hash would
// wait for it), then looks up the few that pass. hs is scratch space.
func (x *Index) find(dst []Match, w *words, hs *[]uint64) []Match {
	nw := w.count()
	h := (*hs)[:0]
	for i := 0; i+x.n <= nw; i++ {
		h = append(h, hashNgram(w.ngram(i, x.n)))
	}
	cand := 0
	for i, v := range h {
		if x.mayHave(v) {
			h[cand] = uint64(i) // the slice now holds candidate positions
			cand++
		}
	}
	*hs = h
	for _, v := range h[:cand] {
		i := int(v)
		g := w.ngram(i, x.n)
		p, ok := x.lookupHashed(hashNgram(g), g)
		if !ok {
			continue
		}
		bs := []uint16{x.benchOf(p)}
		bs = append(bs, x.also[p]...)
		dst = append(dst, Match{Word: i, Benchmarks: bs})
	}
	return dst
}
