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
// comparison, never a false hit. Memory is about 35 bytes per indexed
// n-gram for English (the word, 4 bytes of word offset, 12 bytes of table
// slot at a load of at most 3/4), so ten million benchmark n-grams take
// some 350 MB. Index.Bytes reports it.
type Index struct {
	n      int
	arena  []byte   // normalized words, each followed by a space
	starts []uint32 // start of each arena word; passages are contiguous runs
	keys   []uint64 // hash table: 0 is empty
	vals   []uint32 // word position of the n-gram in the arena
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
		n: n, keys: make([]uint64, 1024), vals: make([]uint32, 1024),
		also: map[uint32][]uint16{}, Short: map[string]int64{}, Passages: map[string]int64{}, NGrams: map[string]int64{},
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
	return int64(cap(x.arena)) + 4*int64(cap(x.starts)) + 12*int64(len(x.keys))
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
	for i := 0; i+x.n <= nw; i++ {
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

func (x *Index) grow() {
	keys, vals := x.keys, x.vals
	x.keys = make([]uint64, 2*len(keys))
	x.vals = make([]uint32, 2*len(keys))
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

// find appends the matches of w's n-grams.
func (x *Index) find(dst []Match, w *words) []Match {
	nw := w.count()
	for i := 0; i+x.n <= nw; i++ {
		p, ok := x.lookup(w.ngram(i, x.n))
		if !ok {
			continue
		}
		bs := []uint16{x.benchOf(p)}
		bs = append(bs, x.also[p]...)
		dst = append(dst, Match{Word: i, Benchmarks: bs})
	}
	return dst
}
