package fasttext

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
)

const (
	eosWord     = "</s>"
	labelPrefix = "__label__"

	typeWord  = 0
	typeLabel = 1
)

// fnv is fastText's hash: FNV-1a over the bytes taken as *signed* chars,
// which its released models were trained with.
func fnvAdd(h uint32, c byte) uint32 {
	return (h ^ uint32(int32(int8(c)))) * 16777619
}

const fnvBasis uint32 = 2166136261

func fnv(s []byte) uint32 {
	h := fnvBasis
	for _, c := range s {
		h = fnvAdd(h, c)
	}
	return h
}

// dict is the vocabulary: words first, then labels, as in the file.
type dict struct {
	words  []string
	types  []int8
	counts []int64
	nwords int
	// vocab is an open-addressing table of word ids keyed by fnv hash;
	// lookups hash each token once and rarely compare strings.
	vocab     []vocabSlot
	vocabMask uint32
	// prune maps a hashed n-gram bucket to its row after pruning
	// (quantized models keep only some buckets). pruned < 0: no pruning,
	// every bucket has a row; pruned == 0: no n-gram rows at all.
	pruned int64
	// The kept buckets are a bitmap over all buckets with the count of
	// kept buckets before each 64 (a rank directory): a bucket's row is
	// one bit test away, and for a kept one (20 % of the n-grams of real
	// text with lid.176) a popcount and two loads more, with no probing.
	// lid.176: 2M buckets, 42,765 kept; 250 KB of bits.
	pruneBits []uint64
	pruneRank []uint32 // kept buckets before pruneBits[i]
	pruneRows []int32  // rows of the kept buckets, in bucket order
	bucket    uint32
	bucketMod uint64 // fastmod multiplier for % bucket
}

type vocabSlot struct {
	hash uint32
	id   int32 // -1: empty
}

func readDict(d *decoder, bucket int) *dict {
	size, nwords, nlabels := d.i32(), d.i32(), d.i32()
	d.i64() // ntokens
	pruned := d.i64()
	if d.err != nil {
		return nil
	}
	if size < 0 || nwords < 0 || nlabels < 0 || int64(nwords)+int64(nlabels) != int64(size) {
		d.fail(fmt.Errorf("dictionary sizes disagree: size %d, %d words, %d labels", size, nwords, nlabels))
		return nil
	}
	// An entry takes at least 10 bytes: NUL, int64 count, int8 type.
	n := d.count(int64(size), 10, "dictionary entries")
	dc := &dict{
		words:  make([]string, 0, n),
		types:  make([]int8, 0, n),
		counts: make([]int64, 0, n),
		nwords: int(nwords),
		pruned: pruned,
	}
	dc.setBucket(uint32(bucket))
	for i := 0; i < n && d.err == nil; i++ {
		w := d.cstring()
		c := d.i64()
		t := int8(d.u8())
		want := int8(typeWord)
		if i >= int(nwords) {
			want = typeLabel
		}
		if d.err == nil && t != want {
			d.fail(fmt.Errorf("dictionary entry %d (%q) has type %d, want %d", i, w, t, want))
		}
		dc.words = append(dc.words, w)
		dc.counts = append(dc.counts, c)
		dc.types = append(dc.types, t)
	}
	if d.err != nil {
		return nil
	}
	if pruned > 0 {
		np := d.count(pruned, 8, "pruned n-gram index")
		entries := make([]pruneEntry, 0, np)
		for i := 0; i < np; i++ {
			k, v := d.i32(), d.i32()
			if k < 0 || v < 0 || int64(k) >= int64(bucket) {
				d.fail(fmt.Errorf("pruned n-gram index has impossible entry %d -> %d (bucket %d)", k, v, bucket))
				return nil
			}
			entries = append(entries, pruneEntry{k, v})
		}
		if d.err != nil {
			return nil
		}
		dc.initPrune(entries)
	}
	dc.initVocab()
	return dc
}

func (dc *dict) labels() []string { return dc.words[dc.nwords:] }

func (dc *dict) initVocab() {
	n := 1
	for n < 2*len(dc.words)+1 {
		n <<= 1
	}
	dc.vocab = make([]vocabSlot, n)
	for i := range dc.vocab {
		dc.vocab[i].id = -1
	}
	dc.vocabMask = uint32(n - 1)
	for id, w := range dc.words {
		h := fnv([]byte(w))
		s := h & dc.vocabMask
		for dc.vocab[s].id >= 0 {
			if dc.words[dc.vocab[s].id] == w {
				break // duplicate word: fastText keeps the last id too
			}
			s = (s + 1) & dc.vocabMask
		}
		dc.vocab[s] = vocabSlot{hash: h, id: int32(id)}
	}
}

// find returns the id of the word w with hash h, or -1.
func (dc *dict) find(w []byte, h uint32) int32 {
	s := h & dc.vocabMask
	for {
		e := dc.vocab[s]
		if e.id < 0 {
			return -1
		}
		if e.hash == h && dc.words[e.id] == string(w) {
			return e.id
		}
		s = (s + 1) & dc.vocabMask
	}
}

type pruneEntry struct{ key, row int32 }

// initPrune builds the bitmap and rank directory of the kept buckets. A
// bucket listed twice keeps its last row, as fastText's map does.
func (dc *dict) initPrune(entries []pruneEntry) {
	// The index in the file breaks ties, so the last of a bucket's
	// entries sorts last.
	order := make([]int32, len(entries))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(entries[a].key, entries[b].key), cmp.Compare(a, b))
	})
	sorted := make([]pruneEntry, len(entries))
	for i, o := range order {
		sorted[i] = entries[o]
	}
	entries = sorted
	dc.pruneBits = make([]uint64, dc.bucket/64+1)
	dc.pruneRank = make([]uint32, len(dc.pruneBits))
	dc.pruneRows = make([]int32, 0, len(entries))
	for i, e := range entries {
		if i+1 < len(entries) && entries[i+1].key == e.key {
			continue
		}
		dc.pruneBits[e.key>>6] |= 1 << (e.key & 63)
		dc.pruneRows = append(dc.pruneRows, e.row)
	}
	var n uint32
	for i, w := range dc.pruneBits {
		dc.pruneRank[i] = n
		n += uint32(bits.OnesCount64(w))
	}
}

// pruneGet returns the row kept for bucket k (< bucket), or -1.
func (dc *dict) pruneGet(k int32) int32 {
	w := dc.pruneBits[k>>6]
	if w&(1<<(k&63)) == 0 {
		return -1
	}
	return dc.pruneRows[dc.pruneRank[k>>6]+uint32(bits.OnesCount64(w&(1<<(k&63)-1)))]
}

func (dc *dict) setBucket(b uint32) {
	dc.bucket = b
	if b > 0 {
		dc.bucketMod = ^uint64(0)/uint64(b) + 1
	}
}

// mod returns h % bucket without a division (Lemire's fastmod for 32-bit).
func (dc *dict) mod(h uint32) uint32 {
	lowbits := dc.bucketMod * uint64(h)
	hi, _ := bits.Mul64(lowbits, uint64(dc.bucket))
	return uint32(hi)
}
