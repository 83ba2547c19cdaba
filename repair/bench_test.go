package repair

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/testenv"
)

// Benchmarks run each step over news-like pages: the testdata pages, and
// 5 KB articles assembled from real Indonesian, Malay and English sentences
// (../shared/data/lingua-sentences, when present) with related-article links,
// bylines, a copyright line and, for every other article, the body twice.
//
//	go test ./repair -run XXX -bench . -benchtime 2s -cpu 1
func benchCorpus(b *testing.B) ([]string, int64) {
	b.Helper()
	var docs []string
	files, _ := filepath.Glob("testdata/*.txt")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, string(raw))
	}
	if dir, ok := testenv.LookupSharedDir(); ok {
		for _, lang := range []string{"id", "ms", "en"} {
			raw, err := os.ReadFile(filepath.Join(dir, "data", "lingua-sentences", lang+".txt"))
			if err != nil {
				continue
			}
			sents := strings.Split(strings.TrimSpace(string(raw)), "\n")
			for a := 0; a+40 <= len(sents); a += 40 {
				docs = append(docs, article(sents[a:a+40], a%80 == 0))
			}
		}
	}
	var n int64
	for _, d := range docs {
		n += int64(len(d))
	}
	return docs, n
}

// article builds a page of 3-sentence paragraphs with furniture.
func article(sents []string, twice bool) string {
	var body strings.Builder
	for i := 0; i < len(sents); i += 3 {
		end := min(i+3, len(sents))
		body.WriteString(strings.Join(sents[i:end], " "))
		body.WriteByte('\n')
		if i == 9 {
			body.WriteString("Baca juga: " + sents[i][:min(len(sents[i]), 60)] + "\n")
		}
	}
	page := "Beranda | Berita | Ekonomi | Olahraga\n" + body.String() + "Pewarta: Rina\nEditor: Budi\nCOPYRIGHT © Kabar 2024"
	if twice {
		page += "\n" + body.String()
	}
	return page
}

// measure runs f over the corpus b.N times and reports MB/cpu-s.
func measure(b *testing.B, f func(docs []string)) {
	docs, n := benchCorpus(b)
	b.SetBytes(n)
	b.ReportAllocs()
	start := testenv.CPUTime()
	for b.Loop() {
		f(docs)
	}
	testenv.ReportMBPerCPUSecond(b, start, n)
}

func benchStep(b *testing.B, st saring.Step) {
	ctx := context.Background()
	doc := &saring.Document{}
	measure(b, func(docs []string) {
		for i, text := range docs {
			*doc = saring.Document{Text: text, Seq: uint64(i), Measures: doc.Measures[:0]}
			if _, err := st.Process(ctx, doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	benchStep(b, NewNormalize(NormalizeOptions{Form: "nfc", KeepIndent: true}))
}

func BenchmarkNormalizeMojibake(b *testing.B) {
	benchStep(b, NewNormalize(NormalizeOptions{Form: "nfc", KeepIndent: true, FixMojibake: true}))
}

func BenchmarkRepetitionRepair(b *testing.B) {
	benchStep(b, NewRepetition(DefaultRepetitionOptions()))
}

func BenchmarkBoilerplate(b *testing.B) {
	benchStep(b, NewBoilerplate(DefaultBoilerplateOptions(), nil))
}

func BenchmarkPII(b *testing.B) {
	benchStep(b, NewPII(DefaultPIIOptions()))
}

// Baselines measured in the same run.

// BenchmarkBaselineNFC is x/text NFC alone, the floor for normalize.
func BenchmarkBaselineNFC(b *testing.B) {
	measure(b, func(docs []string) {
		for _, d := range docs {
			_ = norm.NFC.String(d)
		}
	})
}

// BenchmarkBaselineRegexpPII runs datatrove's PIIFormatter expressions for
// e-mail and IPv4 with Go's regexp, the way a direct port would.
func BenchmarkBaselineRegexpPII(b *testing.B) {
	email := regexp.MustCompile(`\b[a-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+)*@(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?|\[(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?|[a-z0-9-]*[a-z0-9]:)\])`)
	ip := regexp.MustCompile(`(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)`)
	measure(b, func(docs []string) {
		for _, d := range docs {
			d = email.ReplaceAllString(d, "email@example.com")
			_ = ip.ReplaceAllString(d, "22.214.171.124")
		}
	})
}

// BenchmarkBaselineFNV is a byte-wise FNV-1a hash over the corpus: the speed
// of the simplest loop that touches every byte, to calibrate the machine.
func BenchmarkBaselineFNV(b *testing.B) {
	measure(b, func(docs []string) {
		var h uint64 = fnvOffset
		for _, d := range docs {
			for i := 0; i < len(d); i++ {
				h = (h ^ uint64(d[i])) * fnvPrime
			}
		}
		fnvSink = h
	})
}

var fnvSink uint64
