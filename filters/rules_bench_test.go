package filters

import (
	"context"
	"testing"

	"github.com/saring/saring"
	"github.com/saring/saring/words"
)

// BenchmarkRuleWalk measures what the rule tables cost a document: Process
// on the bench documents, and the walk over the table alone (record and
// decide, on measures taken once), in the same run. The walk is the only
// work the tables add; on a loaded machine the ratio of the two says more
// than either alone.
//
//	go test ./filters -run '^$' -bench 'RuleWalk' -benchtime 1s -cpu 1
func BenchmarkRuleWalk(b *testing.B) {
	docs := gopherBenchDocs(20)
	for _, d := range docs {
		d.SetMeta("language", "en")
		words.Of(d, "en") // split once: the copies below share the split
	}
	ctx := context.Background()
	gq, _ := NewGopherQuality(DefaultGopherQualityOptions())
	fw, _ := NewFineWebQuality(DefaultFineWebQualityOptions())
	c4, _ := NewC4Quality(DefaultC4QualityOptions())
	process := func(s saring.Step) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range docs {
					d := *p
					d.Measures = nil
					s.Process(ctx, &d)
				}
			}
		}
	}
	b.Run("gopher_quality/process", process(gq))
	b.Run("gopher_quality/walk", ruleWalk(docs, gq.measure, func(m gopherQualityMeasures, d *saring.Document) {
		gq.rules.record(m, d, "gopher_quality")
		gq.rules.decide(m, nil, "")
	}))
	b.Run("fineweb_quality/process", process(fw))
	b.Run("fineweb_quality/walk", ruleWalk(docs, fw.measure, func(m *finewebMeasures, d *saring.Document) {
		m.counted = false // count again, as Process does
		fw.rules.decide(m, d, "fineweb_quality")
	}))
	b.Run("c4_quality/process", process(c4))
	b.Run("c4_quality/walk", ruleWalk(docs, func(d *saring.Document) c4Scan { return c4.scan(d.Text, "en", false) },
		func(m c4Scan, d *saring.Document) {
			c4.rules.record(m, d, "c4_quality")
			c4.rules.decide(m, nil, "")
		}))
}

// ruleWalk benchmarks walk over measures taken once per document.
func ruleWalk[M any](docs []*saring.Document, measure func(*saring.Document) M, walk func(M, *saring.Document)) func(*testing.B) {
	return func(b *testing.B) {
		ms := make([]M, len(docs))
		for i, d := range docs {
			ms[i] = measure(d)
		}
		b.ReportAllocs()
		for b.Loop() {
			for i, p := range docs {
				d := *p
				d.Measures = nil
				walk(ms[i], &d)
			}
		}
	}
}
