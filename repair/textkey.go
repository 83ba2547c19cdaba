package repair

import (
	"math/bits"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Lines and sentences are compared by a key that ignores case, spacing and
// punctuation: a hash of their words (runs of letters, digits and marks),
// lowercased. "Putin  said: 'no'." and "putin said no" have the same key.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// asciiKey maps an ASCII byte to the byte it contributes to a key (0: none,
// and for every byte >= 0x80, which starts or continues a multi-byte rune).
var asciiKey = func() (t [256]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = byte(c)
		t[c-'a'+'A'] = byte(c)
	}
	return t
}()

// keyRune returns the lowercased rune a non-ASCII rune contributes to a key.
func keyRune(r rune) (rune, bool) {
	if uint32(r) < uint32(len(keyRunesBMP{})) {
		if v := keyRunes()[r]; v != 0 {
			return rune(v) - 1, true
		}
		return 0, false
	}
	return keyRuneSlow(r)
}

func keyRuneSlow(r rune) (rune, bool) {
	if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
		return unicode.ToLower(r), true
	}
	return 0, false
}

// keyRunesBMP holds keyRune for the Basic Multilingual Plane: the
// lowercased rune plus one, 0 for a rune that is no part of a key. The
// Unicode table searches behind keyRuneSlow were most of the time spent
// on text outside ASCII (Cyrillic, Arabic, Han ...).
type keyRunesBMP [0x10000]uint32

// keyRunes builds the table on first use (about a millisecond).
var keyRunes = sync.OnceValue(func() *keyRunesBMP {
	t := new(keyRunesBMP)
	for r := range rune(len(t)) {
		if k, ok := keyRuneSlow(r); ok {
			t[r] = uint32(k) + 1
		}
	}
	return t
})

// sentenceEnd reports whether r can end a sentence.
func sentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '。', '！', '？', '؟', '।':
		return true
	}
	return false
}

// closer reports whether r may follow a sentence end without cancelling it ('."').
func closer(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '’', '”', '»', '」', '』', '*':
		return true
	}
	return false
}

// lineInfo is what repetition_repair knows of a line.
type lineInfo struct {
	key     uint64
	content int // 1 when the line has a letter, digit or mark, else 0
	runes   int // all characters
}

// sentence is a run of text ending in sentence punctuation, a blank line or
// the end of the text. It may span lines: re-wrapped copies of a paragraph
// have different lines but the same sentences.
type sentence struct {
	key         uint64
	first, last int32 // lines it spans
	start, end  int32 // bytes from its first to past its last letter or digit
}

// A key is built from words: the letters and digits of a word (lowercased)
// are packed eight bytes at a time, little-endian, into a word that is mixed once, and each
// word's hash is mixed into the key of its line and of its sentence. So keys
// ignore case, punctuation and how much space separates words. The state
// lives in local variables in scanText, where it stays in registers.

const mixPrime = 0x9E3779B97F4A7C15

func mixWord(h, acc uint64) uint64 {
	h = (h ^ acc) * mixPrime
	return h ^ h>>31
}

func keySum(h, acc uint64, n uint) uint64 {
	h = (h ^ acc ^ uint64(n)<<56) * mixPrime
	return h ^ h>>29
}

// wordKey finishes a word: a word of up to seven bytes is its bytes and
// length, exactly; a longer one is hashed.
func wordKey(wh, acc uint64, n uint) uint64 {
	if wh == fnvOffset && n < 8 {
		return acc | uint64(n)<<56
	}
	return keySum(wh, acc, n)
}

const hiBits = 0x8080808080808080

// load64 reads eight bytes of s at i, little-endian (one load on amd64/arm64).
func load64(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// alnumMask sets the top bit of every byte of x that is an ASCII letter or
// digit, testing the eight bytes at once.
func alnumMask(x uint64) uint64 {
	const ones = 0x0101010101010101
	x7 := x &^ hiBits // bytes >= 0x80 are excluded below
	y := x7 | 0x20*ones
	letter := (y + 0x1F*ones) &^ (y + 0x05*ones)  // 0x61 <= y <= 0x7A
	digit := (x7 + 0x50*ones) &^ (x7 + 0x46*ones) // 0x30 <= x <= 0x39
	return (letter | digit) & hiBits &^ (x & hiBits)
}

// scanText computes the key of every line and every sentence in one pass.
func scanText(s string, lines []span, infos []lineInfo, sents []sentence) ([]lineInfo, []sentence) {
	// Sentence state.
	var sh uint64 = fnvOffset
	scontent := 0
	sfirst, slast := int32(-1), int32(-1)
	var sstart, send int32
	pendingEnd := false
	for li, ln := range lines {
		// Line and word state.
		var lh uint64 = fnvOffset
		var wh, wacc uint64 = fnvOffset, 0
		var wn uint
		inWord := false
		content, extra := 0, 0 // extra: continuation bytes of multi-byte runes
		line := s[ln.start:ln.end]
		for i := 0; i < len(line); {
			c := line[i]
			if c < utf8.RuneSelf {
				if asciiKey[c] != 0 {
					// A run of ASCII letters and digits, eight bytes at a
					// time where a word chunk starts, else byte by byte.
					j := i
					for j < len(line) {
						if wn == 0 && j+8 <= len(line) {
							x := load64(line, j)
							run := uint(bits.TrailingZeros64(^alnumMask(x)&hiBits)) >> 3
							y := x | 0x2020202020202020 // lowercase; digits are unchanged
							if run == 8 {
								wh = mixWord(wh, y)
								j += 8
								continue
							}
							wacc, wn = y&(1<<(8*run)-1), run
							j += int(run)
							break
						}
						k := uint64(asciiKey[line[j]])
						if k == 0 {
							break
						}
						wacc |= k << (8 * wn)
						wn++
						if wn == 8 {
							wh, wacc, wn = mixWord(wh, wacc), 0, 0
						}
						j++
					}
					inWord = true
					content = 1
					scontent = 1
					if sfirst < 0 {
						sfirst, sstart = int32(li), int32(ln.start+i)
					}
					slast, send = int32(li), int32(ln.start+j)
					i = j
					pendingEnd = false
					continue
				}
				if inWord {
					k := wordKey(wh, wacc, wn)
					lh, sh = mixWord(lh, k), mixWord(sh, k)
					wh, wacc, wn, inWord = fnvOffset, 0, 0, false
				}
				i++
				switch c {
				case '.', '!', '?':
					pendingEnd = scontent > 0
				case ' ', '\t':
					if pendingEnd {
						sents = append(sents, sentence{sh, sfirst, slast, sstart, send})
						sh, scontent, sfirst, pendingEnd = fnvOffset, 0, -1, false
					}
				case '"', '\'', ')', ']', '*':
				default:
					pendingEnd = false
				}
				continue
			}
			r, size := utf8.DecodeRuneInString(line[i:])
			i += size
			extra += size - 1
			if k, ok := keyRune(r); ok {
				var buf [utf8.UTFMax]byte
				n := utf8.EncodeRune(buf[:], k)
				for _, b := range buf[:n] {
					wacc |= uint64(b) << (8 * wn)
					wn++
					if wn == 8 {
						wh, wacc, wn = mixWord(wh, wacc), 0, 0
					}
				}
				inWord = true
				content = 1
				scontent = 1
				if sfirst < 0 {
					sfirst, sstart = int32(li), int32(ln.start+i-size)
				}
				slast, send = int32(li), int32(ln.start+i)
				pendingEnd = false
				continue
			}
			if inWord {
				k := wordKey(wh, wacc, wn)
				lh, sh = mixWord(lh, k), mixWord(sh, k)
				wh, wacc, wn, inWord = fnvOffset, 0, 0, false
			}
			switch {
			case sentenceEnd(r):
				pendingEnd = scontent > 0
			case unicode.IsSpace(r):
				if pendingEnd {
					sents = append(sents, sentence{sh, sfirst, slast, sstart, send})
					sh, scontent, sfirst, pendingEnd = fnvOffset, 0, -1, false
				}
			case closer(r):
			default:
				pendingEnd = false
			}
		}
		if inWord {
			k := wordKey(wh, wacc, wn)
			lh, sh = mixWord(lh, k), mixWord(sh, k)
		}
		if (pendingEnd || (content == 0 && isBlank(line))) && scontent > 0 {
			sents = append(sents, sentence{sh, sfirst, slast, sstart, send})
			sh, scontent, sfirst = fnvOffset, 0, -1
		}
		pendingEnd = pendingEnd && scontent > 0
		infos = append(infos, lineInfo{key: lh, content: content, runes: len(line) - extra})
	}
	if scontent > 0 {
		sents = append(sents, sentence{sh, sfirst, slast, sstart, send})
	}
	return infos, sents
}

// normKey returns the text a key is computed from, for prefix and suffix tests.
func normKey(line string) string {
	b := make([]byte, 0, len(line))
	for _, r := range line {
		if r < utf8.RuneSelf {
			if k := asciiKey[r]; k != 0 {
				b = append(b, k)
			}
			continue
		}
		if k, ok := keyRune(r); ok {
			b = utf8.AppendRune(b, k)
		}
	}
	return string(b)
}

// wordSet returns the sorted distinct word hashes of a line.
func wordSet(line string) []uint64 {
	words := make([]uint64, 0, len(line)/6+1)
	var h uint64 = fnvOffset
	n := 0
	flush := func() {
		if n > 0 {
			words = append(words, h)
		}
		h, n = fnvOffset, 0
	}
	for _, r := range line {
		var k rune
		ok := false
		if r < utf8.RuneSelf {
			if b := asciiKey[r]; b != 0 {
				k, ok = rune(b), true
			}
		} else {
			k, ok = keyRune(r)
		}
		if ok {
			h = (h ^ uint64(k)) * fnvPrime
			n++
		} else {
			flush()
		}
	}
	flush()
	slices.Sort(words)
	out := words[:0]
	for i, w := range words {
		if i == 0 || w != words[i-1] {
			out = append(out, w)
		}
	}
	return out
}

// jaccard is the Jaccard similarity of two sorted distinct sets.
func jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
