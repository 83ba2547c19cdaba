package dedup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func benchText(b *testing.B) string { return benchText2(b) }

func benchText2(b testing.TB) string {
	raw, err := os.ReadFile(filepath.Join(sharedDir(b), "data", "lingua-sentences", "id.txt"))
	if err != nil {
		b.Skip(err)
	}
	lines := strings.Split(string(raw), "\n")
	var sb strings.Builder
	for i := 0; sb.Len() < 5000; i++ {
		sb.WriteString(lines[i%len(lines)])
		sb.WriteString(" ")
	}
	return sb.String()
}

// go test ./dedup -run '^$' -bench Sign -benchmem
func BenchmarkSign(b *testing.B) {
	text := benchText(b)
	for _, scheme := range []string{SchemeOPH, SchemePermutations} {
		b.Run(scheme, func(b *testing.B) {
			s, err := NewSigner(SignerConfig{Scheme: scheme, Permutations: 128, Shingle: "word", N: 5, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			sig := make([]uint64, 128)
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				s.Sign(text, sig)
			}
		})
	}
}
