package words

import (
	"sort"
	"unicode/utf8"
)

// bmpClass holds the class bits of every code point of the Basic
// Multilingual Plane; astral code points are looked up in astralSegs.
// Built once from classRanges (generated from spaCy's character classes and
// Python's definitions of \w, \d, str.isspace and the P categories, which
// is what spaCy's regular expressions see).
var (
	bmpClass   [0x10000]uint16
	astralSegs []astralSeg
)

type astralSeg struct {
	lo, hi rune
	bits   uint16
}

func init() {
	type edge struct {
		at   rune
		bit  uint16
		open bool
	}
	var edges []edge
	for _, c := range classRanges {
		for _, r := range c.ranges {
			lo, hi := r[0], r[1]
			if lo < 0x10000 {
				top := hi
				if top > 0xFFFF {
					top = 0xFFFF
				}
				for cp := lo; cp <= top; cp++ {
					bmpClass[cp] |= c.bit
				}
				if hi <= 0xFFFF {
					continue
				}
				lo = 0x10000
			}
			edges = append(edges, edge{lo, c.bit, true}, edge{hi + 1, c.bit, false})
		}
	}
	sort.Slice(edges, func(i, j int) bool { return edges[i].at < edges[j].at })
	var bits uint16
	var counts [16]int
	for i := 0; i < len(edges); {
		at := edges[i].at
		for ; i < len(edges) && edges[i].at == at; i++ {
			e := edges[i]
			for b := 0; b < 16; b++ {
				if e.bit == 1<<b {
					if e.open {
						counts[b]++
					} else {
						counts[b]--
					}
				}
			}
		}
		bits = 0
		for b := 0; b < 16; b++ {
			if counts[b] > 0 {
				bits |= 1 << b
			}
		}
		next := rune(utf8.MaxRune + 1)
		if i < len(edges) {
			next = edges[i].at
		}
		if bits != 0 {
			astralSegs = append(astralSegs, astralSeg{at, next - 1, bits})
		}
	}
}

// class returns the class bits of r.
func class(r rune) uint16 {
	if r < 0x10000 {
		if r < 0 {
			return 0
		}
		return bmpClass[r]
	}
	i := sort.Search(len(astralSegs), func(i int) bool { return astralSegs[i].hi >= r })
	if i < len(astralSegs) && astralSegs[i].lo <= r {
		return astralSegs[i].bits
	}
	return 0
}

func is(r rune, bits uint16) bool { return class(r)&bits != 0 }

// isSpace is Python's str.isspace, which spaCy splits on.
func isSpace(r rune) bool {
	if r < 0x80 {
		return asciiSpace[r]
	}
	return bmpClassOf(r)&cSpace != 0
}

func bmpClassOf(r rune) uint16 {
	if r < 0x10000 {
		return bmpClass[r]
	}
	return class(r)
}

var asciiSpace = [128]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true,
	0x1c: true, 0x1d: true, 0x1e: true, 0x1f: true}

// isASCIIDigit is the [0-9] of spaCy's patterns (ASCII only, unlike \d).
func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// lastRune returns the last rune of s and its size (0, 0 for "").
func lastRune(s string) (rune, int) {
	if s == "" {
		return 0, 0
	}
	if c := s[len(s)-1]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeLastRuneInString(s)
}

func firstRune(s string) (rune, int) {
	if s == "" {
		return 0, 0
	}
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s)
}
