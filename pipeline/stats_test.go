package pipeline

import (
	"strings"
	"testing"

	"github.com/saring/saring/outdir"
)

func TestCountWords(t *testing.T) {
	for in, want := range map[string]int{"": 0, "a": 1, " a ": 1, "satu dua\ttiga\nempat": 4, "  \n ": 0, "é ü": 2, "a,b c": 2} {
		if got := countWords(in); got != want {
			t.Errorf("countWords(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestHistogram(t *testing.T) {
	h := outdir.NewHistogram()
	for _, v := range []float64{0, 0.05, 0.5, 1, 3, 1000, -1} {
		h.Add(v)
	}
	if h.Count != 7 || h.Min != -1 || h.Max != 1000 {
		t.Fatalf("%+v", h)
	}
	if h.Counts[0] != 2 || h.Counts[1] != 1 || h.Counts[10] != 1 || h.Counts[20] != 1 {
		t.Errorf("counts %v", h.Counts[:24])
	}
	h.Trim()
	if len(h.Edges) != len(h.Counts)+1 || h.Edges[0] != 0 {
		t.Errorf("trim: %d edges %d counts", len(h.Edges), len(h.Counts))
	}
}

// go test -bench CountWords ./pipeline
func BenchmarkCountWords(b *testing.B) {
	s := strings.Repeat("Bank Indonesia memutuskan untuk mempertahankan suku bunga acuan di level 5,75 persen.\n", 1000)
	b.SetBytes(int64(len(s)))
	for i := 0; i < b.N; i++ {
		countWords(s)
	}
}

func TestCountWordsMatchesSimple(t *testing.T) {
	simple := func(s string) int {
		return len(strings.Fields(strings.Map(func(r rune) rune {
			if r < 0x80 && r <= ' ' {
				return ' '
			}
			return r
		}, s)))
	}
	for _, s := range []string{"", "abcdefgh ijklmnop", "        x       ", "a b c d e f g h i j k l", "\x00\x01a\x1fb\x7fc\xffd é\tü\n", strings.Repeat("kata  ", 37)} {
		for k := 0; k < 9 && k <= len(s); k++ {
			if got, want := countWords(s[k:]), simple(s[k:]); got != want {
				t.Errorf("countWords(%q) = %d, want %d", s[k:], got, want)
			}
		}
	}
}
