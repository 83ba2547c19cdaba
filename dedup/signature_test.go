package dedup

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// Both schemes estimate the Jaccard similarity of word shingle sets.
func TestSignerEstimatesJaccard(t *testing.T) {
	words := make([]string, 2000)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	// Two texts of distinct words: 1-shingles make the sets easy to count.
	for _, tc := range []struct{ shared, own int }{{1000, 0}, {800, 100}, {500, 250}, {200, 400}} {
		a := strings.Join(words[:tc.shared+tc.own], " ")
		b := strings.Join(append(append([]string(nil), words[:tc.shared]...), words[1000:1000+tc.own]...), " ")
		want := float64(tc.shared) / float64(tc.shared+2*tc.own)
		for _, scheme := range []string{SchemeOPH, SchemePermutations} {
			s, err := NewSigner(SignerConfig{Scheme: scheme, Permutations: 256, Shingle: "word", N: 1, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			sa, sb := make([]uint64, 256), make([]uint64, 256)
			s.Sign(a, sa)
			s.Sign(b, sb)
			ca, cb := make([]uint32, 256), make([]uint32, 256)
			compact(sa, ca)
			compact(sb, cb)
			if got := Similarity(ca, cb); math.Abs(got-want) > 0.1 {
				t.Errorf("%s: J=%.2f estimated %.2f", scheme, want, got)
			}
		}
	}
}

func TestWordShinglesIgnoreCaseAndPunctuation(t *testing.T) {
	s, _ := NewSigner(SignerConfig{Scheme: SchemeOPH, Permutations: 64, Shingle: "word", N: 3, Seed: 1})
	a, b := make([]uint64, 64), make([]uint64, 64)
	s.Sign("Ngũgĩ wa Thiong'o menulis: \"buku-buku\" BAGUS!", a)
	s.Sign("ngũgĩ WA thiong o menulis buku buku bagus", b)
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("signatures differ")
		}
	}
	if n := s.Sign(" ... ", a); n != 0 {
		t.Errorf("no words gave %d shingles", n)
	}
	if n := s.Sign("two words", a); n != 1 {
		t.Errorf("short text gave %d shingles, want 1", n)
	}
}

func TestCharShingles(t *testing.T) {
	hs, _, _ := appendCharShingles(nil, "  Ab, c!", 3, nil, nil)
	want, _, _ := appendCharShingles(nil, "ab c", 3, nil, nil)
	if len(hs) != 2 || hs[0] != want[0] || hs[1] != want[1] { // "ab ", "b c"
		t.Fatalf("got %x, want %x", hs, want)
	}
}

func TestOptimalBands(t *testing.T) {
	for _, tc := range []struct {
		perms int
		t, fn float64
	}{{128, 0.6, 0.8}, {112, 0.8, 0.5}, {256, 0.5, 0.5}} {
		b, r := OptimalBands(tc.perms, tc.t, tc.fn)
		if b*r > tc.perms || b < 1 || r < 1 {
			t.Fatalf("%v: %d×%d", tc, b, r)
		}
		// The S-curve's midpoint sits near (and, when misses weigh more, below) t.
		mid := math.Pow(1/float64(b), 1/float64(r))
		if mid > tc.t+0.05 || mid < tc.t-0.25 {
			t.Errorf("%v: %d×%d has midpoint %.2f", tc, b, r, mid)
		}
	}
}

func ExampleSigner() {
	s, _ := NewSigner(SignerConfig{Scheme: SchemeOPH, Permutations: 128, Shingle: "word", N: 2, Seed: 1})
	sig := func(text string) []uint32 {
		full := make([]uint64, s.K())
		s.Sign(text, full)
		return Compact(full)
	}
	a := sig("the quick brown fox jumps over the lazy dog near the river bank")
	b := sig("The quick brown fox jumps over the lazy dog near the river!")
	c := sig("an entirely different sentence about the weather in Jakarta today")
	fmt.Println(Similarity(a, b) > 0.7, Similarity(a, c) < 0.2)
	// Output: true true
}
