package filters

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/testenv"
)

// gopherBenchDocs builds news-like English documents of about 4 kB from a
// small grammar with a varied vocabulary (contractions, numbers, quotes,
// abbreviations included), so that they pass every rule and the
// benchmarks measure the full work of both steps.
func gopherBenchDocs(n int) []*saring.Document {
	det := []string{"the", "a", "this", "that", "every", "our", "their", "one"}
	adj := []string{"new", "local", "former", "public", "regional", "small", "national", "early", "final", "major", "private", "rural", "urban", "annual", "federal", "quiet"}
	noun := []string{"council", "mayor", "budget", "school", "hospital", "company", "report", "study", "court", "union", "market", "bridge", "election", "museum", "farmer", "police", "driver", "teacher", "bank", "station"}
	verb := []string{"approved", "rejected", "delayed", "announced", "criticised", "funded", "reviewed", "closed", "opened", "expanded", "questioned", "supported", "blocked", "welcomed"}
	prep := []string{"in", "near", "after", "before", "during", "despite", "without", "with", "for", "against"}
	tail := []string{", officials said", ", according to the U.S. agency", ", a spokesperson didn't confirm", " on Tuesday", " last week", " by 4.5%", " for $12 million", " (see www.example.org/news)", ", critics weren't convinced", ""}
	seed := uint64(1)
	pick := func(xs []string) string {
		seed = seed*6364136223846793005 + 1442695040888963407
		return xs[(seed>>33)%uint64(len(xs))]
	}
	docs := make([]*saring.Document, n)
	for i := range docs {
		var b strings.Builder
		for j := 0; b.Len() < 4000; j++ {
			s := fmt.Sprintf("%s %s %s %s %s %s %s %s %s %s%s.", pick(det), pick(adj), pick(noun), pick(verb), pick(det), pick(adj), pick(noun), pick(prep), pick(det), pick(noun), pick(tail))
			b.WriteString(strings.ToUpper(s[:1]) + s[1:])
			switch {
			case j%9 == 8:
				b.WriteString("\n\n")
			case j%3 == 2:
				b.WriteString("\n")
			default:
				b.WriteString(" ")
			}
		}
		docs[i] = &saring.Document{Text: b.String(), Seq: uint64(i)}
	}
	return docs
}

func gopherBench(b *testing.B, steps ...saring.Step) {
	docs := gopherBenchDocs(200)
	size := 0
	for _, d := range docs {
		size += len(d.Text)
	}
	ctx := context.Background()
	b.SetBytes(int64(size))
	b.ResetTimer()
	start := testenv.CPUTime()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			// A fresh document: no word split left from an earlier pass.
			fresh := saring.Document{Text: d.Text, Measures: d.Measures[:0]}
			for _, st := range steps {
				if _, err := st.Process(ctx, &fresh); err != nil {
					b.Fatal(err)
				}
			}
			d.Measures = fresh.Measures
		}
	}
	testenv.ReportMBPerCPUSecond(b, start, int64(size))
}

// go test -run '^$' -bench Gopher -benchmem ./filters
func BenchmarkGopherQuality(b *testing.B) {
	s, _ := NewGopherQuality(DefaultGopherQualityOptions())
	gopherBench(b, s)
}

func BenchmarkGopherRepetition(b *testing.B) {
	s, _ := NewGopherRepetition(DefaultGopherRepetitionOptions())
	gopherBench(b, s)
}

// Both steps on each document, as in a pipeline: the word split is shared.
func BenchmarkGopherBoth(b *testing.B) {
	q, _ := NewGopherQuality(DefaultGopherQualityOptions())
	r, _ := NewGopherRepetition(DefaultGopherRepetitionOptions())
	gopherBench(b, q, r)
}

// The benchmark documents must pass, or the benchmarks would stop early.
func TestGopherBenchDocsKept(t *testing.T) {
	q, _ := NewGopherQuality(DefaultGopherQualityOptions())
	r, _ := NewGopherRepetition(DefaultGopherRepetitionOptions())
	for _, d := range gopherBenchDocs(20) {
		for _, s := range []saring.Step{q, r} {
			if res, _ := s.Process(context.Background(), d); res.Outcome != saring.Keep {
				t.Errorf("%s: %v %s\n%s", s.Name(), res.Outcome, res.Message, d.Text[:300])
			}
		}
	}
}
