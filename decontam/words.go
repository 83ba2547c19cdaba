package decontam

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// words is a text split into normalized words: word i is
// norm[starts[i]:starts[i+1]-1] (each word is followed by one space), so
// the n-gram of words i..i+n-1 is norm[starts[i]:starts[i+n]-1], the words
// joined by single spaces, and two n-grams are equal exactly when those
// bytes are. spans, when kept, are the words' byte ranges in the original
// text (punctuation attached to a word included), for cutting.
type words struct {
	norm   []byte
	starts []uint32
	spans  [][2]int32
	tmp    []byte
}

func (w *words) reset() {
	w.norm = w.norm[:0]
	w.starts = w.starts[:0]
	w.spans = w.spans[:0]
}

// count is the number of words.
func (w *words) count() int {
	if len(w.starts) == 0 {
		return 0
	}
	return len(w.starts) - 1
}

// ngram returns the n-gram starting at word i.
func (w *words) ngram(i, n int) []byte { return w.norm[w.starts[i] : w.starts[i+n]-1] }

// split appends the words of text. The normalization is datatrove's
// simplify_text, word by word: Unicode compatibility decomposition (NFKD)
// with the combining marks dropped (diacritics: "café" is "cafe", and
// full-width or ligature forms become their plain letters), lower case,
// punctuation and symbols removed (deleted, not turned into spaces:
// "don't" is "dont", as in simplify_text), every run of digits replaced by
// one 0, and words split at white space. A token that is only punctuation
// is not a word. withSpans records each word's place in text.
func (w *words) split(text string, withSpans bool) {
	if len(w.starts) > 0 {
		// Continuing a passage: drop the sentinel, it is re-added.
		w.starts = w.starts[:len(w.starts)-1]
	}
	i := 0
	for i < len(text) {
		// Skip white space.
		c := text[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				i++
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			if unicode.IsSpace(r) {
				i += size
				continue
			}
		}
		start := i
		before := len(w.norm)
		// Most words are ASCII: normalize them while finding their end,
		// in one pass; at the first other byte, start the word over.
		ascii := true
		for i < len(text) {
			c := text[i]
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
			if asciiSpace[c] {
				break
			}
			i++
			k := asciiKeep[c]
			if k == 0 || k == '0' && len(w.norm) > before && w.norm[len(w.norm)-1] == '0' {
				continue
			}
			w.norm = append(w.norm, k)
		}
		if !ascii {
			w.norm = w.norm[:before]
			for i < len(text) {
				c := text[i]
				if c < utf8.RuneSelf {
					if asciiSpace[c] {
						break
					}
					i++
					continue
				}
				r, size := utf8.DecodeRuneInString(text[i:])
				if unicode.IsSpace(r) {
					break
				}
				i += size
			}
			w.norm = w.appendWord(w.norm, text[start:i])
		}
		if len(w.norm) == before {
			continue
		}
		w.norm = append(w.norm, ' ')
		w.starts = append(w.starts, uint32(before))
		if withSpans {
			w.spans = append(w.spans, [2]int32{int32(start), int32(i)})
		}
	}
	w.starts = append(w.starts, uint32(len(w.norm)))
}

var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true}

// asciiKeep maps an ASCII byte to what a word keeps of it: a lower-case
// letter, '0' for a digit, 0 for punctuation, symbols and control bytes.
var asciiKeep = func() (t [utf8.RuneSelf]byte) {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch {
		case 'a' <= c && c <= 'z':
			t[c] = byte(c)
		case 'A' <= c && c <= 'Z':
			t[c] = byte(c) + 'a' - 'A'
		case '0' <= c && c <= '9':
			t[c] = '0'
		}
	}
	return
}()

func (w *words) appendWord(dst []byte, tok string) []byte {
	if !utf8.ValidString(tok) {
		// Invalid bytes are dropped below anyway, but left in they stop
		// NFKD from decomposing what follows them ("\xf7½" stays "½",
		// while "½" alone is "1⁄2"), so a word and its own normalized
		// form would differ.
		tok = strings.ToValidUTF8(tok, "")
	}
	w.tmp = norm.NFKD.AppendString(w.tmp[:0], tok)
	start := len(dst)
	for j := 0; j < len(w.tmp); {
		r, size := utf8.DecodeRune(w.tmp[j:])
		j += size
		switch {
		case r < utf8.RuneSelf:
			k := asciiKeep[r]
			if k == 0 || k == '0' && len(dst) > start && dst[len(dst)-1] == '0' {
				continue
			}
			dst = append(dst, k)
		case unicode.IsLetter(r):
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		case unicode.IsDigit(r):
			if len(dst) > start && dst[len(dst)-1] == '0' {
				continue
			}
			dst = append(dst, '0')
		case unicode.In(r, unicode.Mc, unicode.Nl, unicode.No):
			// Spacing vowel signs (Indic scripts) and other numbers are
			// part of words; what is left (combining marks, punctuation,
			// symbols, control and format characters, invalid bytes) is not.
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}
