package dedup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring"
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

// go test ./dedup -run '^$' -bench 'Corpus' -benchmem
func BenchmarkCorpusSteps(b *testing.B) {
	text := benchText(b)
	doc := saring.Document{ID: "x", Text: text}
	ctx := context.Background()
	line, _ := NewLineDedup(DefaultLineOptions(), saring.Env{})
	steps := map[string]saring.CorpusStep{"exact_dedup": NewExact(DefaultExactOptions()), "line_dedup": line}
	for name, st := range steps {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			i := uint64(0)
			for b.Loop() {
				d := doc
				d.Seq = i
				i++
				st.Add(ctx, &d)
			}
			st.Finish(ctx)
			for k := 0; k < 100; k++ {
				d := doc
				st.Process(ctx, &d)
			}
		})
	}
}
