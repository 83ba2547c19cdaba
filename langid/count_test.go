package langid

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// countReference is count as first written, rune by rune through package
// unicode: the ASCII fast path must find the same words.
func (e *wordEvidence) countReference(text string) (aHits, bHits int, aWords, bWords []string) {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if unicode.IsLetter(r) || unicode.IsMark(r) || (r == '-' && i+1 < len(text) && i > start) {
				i += size
				continue
			}
			break
		}
		w := strings.TrimRight(text[start:i], "-")
		if len(w) < 2 || len(w) > 24 {
			continue
		}
		if w == "Minggu" && e.a == "id" && !sentenceStart(text[:start]) {
			aHits++
			if !slices.Contains(aWords, w) {
				aWords = append(aWords, w)
			}
			continue
		}
		var lw []rune
		for _, r := range w {
			lw = append(lw, unicode.ToLower(r))
		}
		switch l := string(lw); {
		case e.aWords[l]:
			aHits++
			if !slices.Contains(aWords, l) {
				aWords = append(aWords, l)
			}
		case e.bWords[l]:
			bHits++
			if !slices.Contains(bWords, l) {
				bWords = append(bWords, l)
			}
		}
	}
	return
}

func TestCountMatchesReference(t *testing.T) {
	e := evidenceLists[0]
	pieces := append(append([]string{}, indonesianWords...), malayWords...)
	pieces = append(pieces, " ", " ", "-", "--", ", ", ". ", "\n", "Minggu", "KARENA", "Bahawa", "é", "\u0301", "İ", "ǅ", "\xff", "日本", "a1b", "x-", "-y", "mana-mana", "Ａ")
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		a1, b1, aw1, bw1 := e.count(text)
		a2, b2, aw2, bw2 := e.countReference(text)
		if a1 != a2 || b1 != b2 || !reflect.DeepEqual(aw1, aw2) || !reflect.DeepEqual(bw1, bw2) {
			t.Fatalf("%q: count %d %d %v %v, reference %d %d %v %v", text, a1, b1, aw1, bw1, a2, b2, aw2, bw2)
		}
	}
}
