package dedup

import (
	"math/bits"
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
)

// mix64 is the MurmurHash3 finalizer: a cheap bijection whose output bits
// all depend on all input bits.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// combine folds v into the running hash h; order matters, so the shingle
// "a b" hashes differently from "b a".
func combine(h, v uint64) uint64 {
	return mix64(bits.RotateLeft64(h, 23)*0x9e3779b97f4a7c15 ^ v)
}

// asciiWord[b] is the lowercase form of an ASCII letter or digit, 0 for a
// separator.
var asciiWord = func() (t [128]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = c
		t[c-'a'+'A'] = c
	}
	return
}()

// isWordRune says whether r belongs to a word: letters, digits and combining
// marks (so that "Ngũgĩ" or Devanagari words stay whole).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

const (
	fnvOffset = 0xcbf29ce484222325
	fnvPrime  = 0x100000001b3
)

// appendWordHashes appends the 64-bit hash of every word of text to dst.
// A word is a maximal run of letters, digits and combining marks, lowercased;
// everything else separates words. This is deliberately simpler than the
// language-aware splitter of package words: near-duplicate detection needs a
// stable, fast split, not linguistic tokens, and it runs on every document.
// Each word is hashed while it is scanned (FNV-1a over lowercased runes,
// then mixed), without copying it.
func appendWordHashes(dst []uint64, text string) []uint64 {
	h := uint64(fnvOffset)
	inWord := false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if l := asciiWord[c]; l != 0 {
				h = (h ^ uint64(l)) * fnvPrime
				inWord = true
			} else if inWord {
				dst = append(dst, mix64(h))
				h, inWord = fnvOffset, false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if isWordRune(r) {
			h = (h ^ uint64(unicode.ToLower(r))) * fnvPrime
			inWord = true
		} else if inWord {
			dst = append(dst, mix64(h))
			h, inWord = fnvOffset, false
		}
	}
	if inWord {
		dst = append(dst, mix64(h))
	}
	return dst
}

// shinglePrime is the base of the polynomial rolling hash over word hashes.
const shinglePrime = 0x9e3779b97f4a7c15

// appendWordShingles appends the hash of every n-word shingle of the word
// hashes w: the polynomial sum of its word hashes, updated in O(1) per
// shingle (the signer mixes it before use). A text with fewer than n words
// (but at least one) gives a single shingle of all its words, so short texts
// can still match each other.
func appendWordShingles(dst []uint64, w []uint64, n int) []uint64 {
	if len(w) == 0 {
		return dst
	}
	if len(w) < n {
		n = len(w)
	}
	var h, top uint64 = 0, 1 // top = shinglePrime^(n-1)
	for j := 0; j < n; j++ {
		h = h*shinglePrime + w[j]
		if j > 0 {
			top *= shinglePrime
		}
	}
	dst = append(dst, h^uint64(n))
	for i := n; i < len(w); i++ {
		h = (h-w[i-n]*top)*shinglePrime + w[i]
		dst = append(dst, h^uint64(n))
	}
	return dst
}

// appendCharShingles appends the hash of every n-character shingle of text,
// after lowercasing and collapsing every run of non-word characters into one
// space. buf and runeEnds are scratch space.
func appendCharShingles(dst []uint64, text string, n int, buf []byte, ends []int) ([]uint64, []byte, []int) {
	buf = buf[:0]
	ends = ends[:0]
	space := true // no leading space
	for _, r := range text {
		if isWordRune(r) {
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
			ends = append(ends, len(buf))
			space = false
		} else if !space {
			buf = append(buf, ' ')
			ends = append(ends, len(buf))
			space = true
		}
	}
	if space && len(buf) > 0 { // drop the trailing space
		buf = buf[:len(buf)-1]
		ends = ends[:len(ends)-1]
	}
	if len(ends) == 0 {
		return dst, buf, ends
	}
	if len(ends) < n {
		n = len(ends)
	}
	start := 0
	for i := n - 1; i < len(ends); i++ {
		dst = append(dst, xxh3.Hash(buf[start:ends[i]]))
		start = ends[i-n+1]
	}
	return dst, buf, ends
}
