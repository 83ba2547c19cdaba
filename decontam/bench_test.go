package decontam

import (
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// BenchmarkFind scans documents of the shared sentences of five languages
// against a benchmark of 13-grams of another part of them, next to the
// normalization alone (the floor of any word n-gram method).
//
//	go test -run XXX -bench Find -benchtime 3x ./decontam/
func BenchmarkFind(b *testing.B) {
	var ss []string
	for _, l := range []string{"en", "id", "de", "fr", "es"} {
		ss = append(ss, testenv.ReadLines(b, testenv.SharedFile(b, "data", "lingua-sentences", l+".txt"))...)
	}
	x := NewIndex(13)
	x.StartBenchmark("half")
	for i := 0; i < len(ss); i += 2 {
		x.AddPassage(ss[i])
	}
	s := NewWith(Options{NGram: 13, Action: "drop", MinMatches: 1}, x)
	var docs []string
	size := int64(0)
	for i := 1; i+10 < len(ss); i += 10 {
		d := strings.Join(ss[i:i+10], " ")
		docs = append(docs, d)
		size += int64(len(d))
	}
	b.Run("normalize", func(b *testing.B) {
		var w words
		start := testenv.CPUTime()
		for b.Loop() {
			for _, d := range docs {
				w.reset()
				w.split(d, false)
			}
		}
		testenv.ReportMBPerCPUSecond(b, start, size)
	})
	b.Run("find", func(b *testing.B) {
		start := testenv.CPUTime()
		for b.Loop() {
			for _, d := range docs {
				s.Find(d)
			}
		}
		testenv.ReportMBPerCPUSecond(b, start, size)
	})
}
