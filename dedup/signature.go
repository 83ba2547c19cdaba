package dedup

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
)

// Hashing schemes for MinHash signatures.
const (
	// SchemeOPH is one-permutation hashing with optimal densification
	// (Shrivastava, ICML 2017): each shingle is hashed once and lands in one
	// of K bins, each bin keeps its minimum, and empty bins borrow the value
	// of a bin picked by a fixed hash sequence. Cost per shingle is O(1)
	// instead of O(K); the collision probability of each slot is still the
	// Jaccard similarity.
	SchemeOPH = "oph"
	// SchemePermutations is classic MinHash: K hash functions
	// h_i(x) = a_i*x + b_i (mod 2^64, a_i odd, x a 64-bit shingle hash), the
	// minimum of each kept. Cost per shingle is O(K).
	SchemePermutations = "permutations"
)

// SignerConfig says how documents become MinHash signatures.
type SignerConfig struct {
	Scheme       string // SchemeOPH or SchemePermutations
	Permutations int    // signature length K
	Shingle      string // "word" or "char"
	N            int    // words or characters per shingle
	Seed         uint64
}

// Signer turns texts into signatures. It is safe for concurrent use.
type Signer struct {
	cfg  SignerConfig
	a, b []uint64 // per-permutation multipliers and offsets (SchemePermutations)
	pool sync.Pool
}

type signScratch struct {
	words, shingles []uint64
	buf             []byte
	ends            []int
	bins            []uint64
	vals            []uint32
}

// NewSigner checks cfg and builds a Signer.
func NewSigner(cfg SignerConfig) (*Signer, error) {
	if cfg.Permutations < 1 || cfg.Permutations > 1<<12 {
		return nil, fmt.Errorf("minhash: permutations = %d, want 1..4096", cfg.Permutations)
	}
	if cfg.N < 1 {
		return nil, fmt.Errorf("minhash: shingle size = %d, want >= 1", cfg.N)
	}
	switch cfg.Shingle {
	case "word", "char":
	default:
		return nil, fmt.Errorf("minhash: shingle kind %q, want word or char", cfg.Shingle)
	}
	switch cfg.Scheme {
	case SchemeOPH, SchemePermutations:
	default:
		return nil, fmt.Errorf("minhash: scheme %q, want %s or %s", cfg.Scheme, SchemeOPH, SchemePermutations)
	}
	s := &Signer{cfg: cfg}
	s.pool.New = func() any { return new(signScratch) }
	if cfg.Scheme == SchemePermutations {
		// A fixed splitmix64 sequence from the seed: signatures must not
		// change between runs or machines.
		state := cfg.Seed ^ 0x5851f42d4c957f2d
		next := func() uint64 {
			state += 0x9e3779b97f4a7c15
			return mix64(state)
		}
		s.a = make([]uint64, cfg.Permutations)
		s.b = make([]uint64, cfg.Permutations)
		for i := range s.a {
			s.a[i] = next() | 1
			s.b[i] = next()
		}
	}
	return s, nil
}

// K is the signature length.
func (s *Signer) K() int { return s.cfg.Permutations }

// Sign writes the signature of text into sig (length K) and returns the
// number of shingles. A text without words gives 0 and an all-ones
// signature, which callers must not index (it would match every other empty
// text).
func (s *Signer) Sign(text string, sig []uint64) int {
	n, _, _ := s.SignSketch(text, sig, nil, 0)
	return n
}

// SignSketch is Sign that also appends to sketch the k smallest distinct
// 32-bit shingle values of the text (all of them when k <= 0 or the text
// has no more than k), sorted, and returns the number of distinct values.
// Two sketches give the documents' Jaccard similarity and containment
// (CompareSketches): exactly when both hold every value. With k = 0 and a
// nil sketch, nothing but the signature is computed.
func (s *Signer) SignSketch(text string, sig []uint64, sketch []uint32, k int) (shingles int, _ []uint32, distinct int) {
	sc := s.pool.Get().(*signScratch)
	defer s.pool.Put(sc)
	s.shingle(sc, text)
	if sig != nil {
		for i := range sig {
			sig[i] = math.MaxUint64
		}
	}
	if len(sc.shingles) == 0 {
		return 0, sketch, 0
	}
	if sig != nil {
		if s.cfg.Scheme == SchemeOPH {
			signOPH(sc.shingles, sig, s.cfg.Seed)
		} else {
			signPerm(sc.shingles, sig, s.a, s.b, s.cfg.Seed)
		}
	}
	if k != 0 || sketch != nil {
		sc.vals = sc.vals[:0]
		for _, x := range sc.shingles {
			sc.vals = append(sc.vals, sketchValue(x, s.cfg.Seed))
		}
		slices.Sort(sc.vals)
		sc.vals = slices.Compact(sc.vals)
		distinct = len(sc.vals)
		if k > 0 && len(sc.vals) > k {
			sc.vals = sc.vals[:k]
		}
		sketch = append(sketch, sc.vals...)
	}
	return len(sc.shingles), sketch, distinct
}

// sketchValue is a shingle's value in sketches: a hash independent of the
// signature's (another mix of the shingle hash).
func sketchValue(x, seed uint64) uint32 {
	return uint32(mix64(x^seed^0x6a09e667f3bcc909) >> 32)
}

func (s *Signer) shingle(sc *signScratch, text string) {
	sc.shingles = sc.shingles[:0]
	if s.cfg.Shingle == "word" {
		sc.words = appendWordHashes(sc.words[:0], text)
		sc.shingles = appendWordShingles(sc.shingles, sc.words, s.cfg.N)
	} else {
		sc.shingles, sc.buf, sc.ends = appendCharShingles(sc.shingles, text, s.cfg.N, sc.buf, sc.ends)
	}
}

// CompareSketches returns the Jaccard similarity of two documents and the
// containment of the smaller in the larger (the fraction of the smaller
// document's distinct shingles that the larger has) from their sketches
// (SignSketch) and distinct shingle counts. When both sketches hold every
// value (a document with no more distinct shingles than the sketch size)
// both numbers are exact; otherwise Jaccard is the bottom-k estimate over
// the values both sketches cover, and containment follows from it and the
// exact counts.
func CompareSketches(a []uint32, na int, b []uint32, nb int) (jaccard, containment float64) {
	if na == 0 || nb == 0 || len(a) == 0 || len(b) == 0 {
		return 0, 0
	}
	// Values up to tau are in both sketches if they are in the documents.
	tau := uint64(math.MaxUint64)
	if len(a) < na {
		tau = uint64(a[len(a)-1])
	}
	if len(b) < nb {
		tau = min(tau, uint64(b[len(b)-1]))
	}
	inter, union := 0, 0
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var v uint32
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			v = a[i]
			i++
		case i == len(a) || b[j] < a[i]:
			v = b[j]
			j++
		default:
			v = a[i]
			i++
			j++
			if uint64(v) <= tau {
				inter++
			}
		}
		if uint64(v) > tau {
			break
		}
		union++
	}
	if union == 0 {
		return 0, 0
	}
	small := float64(min(na, nb))
	if len(a) == na && len(b) == nb { // both complete: exact
		return float64(inter) / float64(union), float64(inter) / small
	}
	jaccard = float64(inter) / float64(union)
	est := jaccard / (1 + jaccard) * float64(na+nb)
	return jaccard, min(1, est/small)
}

// ContainmentFromJaccard is the containment of the smaller of two sets of
// na and nb elements in the larger, given their Jaccard similarity j.
func ContainmentFromJaccard(j float64, na, nb int) float64 {
	if na <= 0 || nb <= 0 {
		return 0
	}
	return min(1, j/(1+j)*float64(na+nb)/float64(min(na, nb)))
}

func signPerm(shingles, sig, a, b []uint64, seed uint64) {
	a = a[:len(sig)]
	b = b[:len(sig)]
	for _, x := range shingles {
		x = mix64(x ^ seed)
		for i := range sig {
			v := a[i]*x + b[i]
			sig[i] = min(sig[i], v)
		}
	}
}

func signOPH(shingles, sig []uint64, seed uint64) {
	k := uint64(len(sig))
	for _, x := range shingles {
		x = mix64(x ^ seed)
		// The high bits choose the bin (Lemire's multiply-shift range
		// reduction), the value compared is the whole hash: inside a bin
		// the high bits are nearly equal, so the low bits decide.
		bin, _ := bits.Mul64(x, k)
		sig[bin] = min(sig[bin], x)
	}
	// Optimal densification: an empty bin i copies the first non-empty bin
	// along a probe sequence that depends only on i and the attempt number,
	// so two documents with the same filled bins densify the same way.
	empty := 0
	for _, v := range sig {
		if v == math.MaxUint64 {
			empty++
		}
	}
	if empty == 0 {
		return
	}
	// Densify against the bins filled by shingles only, never against
	// bins filled by densification itself.
	var filledArr [512]bool
	filled := filledArr[:0]
	if k > uint64(len(filledArr)) {
		filled = make([]bool, k)
	} else {
		filled = filledArr[:k]
	}
	for i, v := range sig {
		filled[i] = v != math.MaxUint64
	}
	for i := range sig {
		if filled[i] {
			continue
		}
		for attempt := uint64(1); ; attempt++ {
			j, _ := bits.Mul64(mix64(seed^uint64(i)<<32^attempt), k)
			if filled[j] {
				sig[i] = sig[j]
				break
			}
		}
	}
}

// Similarity estimates the Jaccard similarity of two documents from their
// compact signatures: the fraction of equal slots.
func Similarity(a, b []uint32) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	eq := 0
	for i := range a {
		if a[i] == b[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(a))
}

// Compact returns the 32-bit form of a signature that Similarity compares
// and the intermediate files store.
func Compact(sig []uint64) []uint32 {
	c := make([]uint32, len(sig))
	compact(sig, c)
	return c
}

// compact keeps 32 bits of each slot for storage and verification; two
// different minima agree on 32 bits with probability 2^-32.
func compact(sig []uint64, dst []uint32) {
	for i, v := range sig {
		dst[i] = uint32(v) ^ uint32(v>>32)
	}
}

// bandKeys hashes each band of rows slots into one key; the band number
// sits in the top 8 bits so that one sorted stream holds all bands, and lang
// (0 for global mode) is mixed in so that per-language runs only ever compare
// documents of the same language.
func bandKeys(sig []uint64, bands, rows int, lang uint64, dst []uint64) {
	for b := 0; b < bands; b++ {
		h := lang ^ uint64(b)*0x9e3779b97f4a7c15
		for _, v := range sig[b*rows : (b+1)*rows] {
			h = combine(h, v)
		}
		dst[b] = uint64(b)<<56 | h>>8
	}
}

// OptimalBands picks bands × rows ≤ permutations for a Jaccard threshold t,
// minimizing the weighted probability of missing a pair above t (weight
// fnWeight) plus that of a candidate pair below t (1-fnWeight), as
// datasketch does. Candidates are verified afterwards, so a false positive
// only costs time: callers weight misses more.
func OptimalBands(permutations int, t, fnWeight float64) (bands, rows int) {
	best := math.Inf(1)
	for b := 1; b <= min(permutations, 255); b++ {
		for r := 1; b*r <= permutations; r++ {
			fp := integrate(func(s float64) float64 { return 1 - math.Pow(1-math.Pow(s, float64(r)), float64(b)) }, 0, t)
			fn := integrate(func(s float64) float64 { return math.Pow(1-math.Pow(s, float64(r)), float64(b)) }, t, 1)
			if e := (1-fnWeight)*fp + fnWeight*fn; e < best-1e-12 {
				best, bands, rows = e, b, r
			}
		}
	}
	return bands, rows
}

func integrate(f func(float64) float64, a, b float64) float64 {
	const steps = 200
	h := (b - a) / steps
	sum := 0.0
	for i := 0; i < steps; i++ {
		sum += f(a + (float64(i)+0.5)*h)
	}
	return sum * h
}
