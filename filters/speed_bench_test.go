package filters_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"
	"github.com/zeebo/xxh3"

	"github.com/saring/saring"
	"github.com/saring/saring/filters"
	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/repair"
	"github.com/saring/saring/words"
)

// The speed benchmarks run each step of bench/filters.yaml, alone and as
// the set, over real prose: every 4th document of the web corpus
// (scripts/get-webcorpus.sh, $SARING_WEBCORPUS or
// /tmp/saring-bench/webcorpus/web.jsonl.zst; the Debian handbook and
// reference in 26 languages, language taken from the page's locale), or
// the generated news documents of gopherBenchDocs when it is absent.
// "Cold" splits words in the step, as the first step of a pipeline that
// needs them does; "Warm" finds the split already on the document
// (words.Of), as every later step does. The baselines are the limits a
// word-level filter is measured against, on the same documents in the same
// run: a plain UTF-8 word split, and xxh3 over every word.
//
//	go test ./filters -run '^$' -bench 'Speed' -benchtime 2s -cpu 1
//	go test ./filters -run '^$' -bench 'Speed/.*/set' -cpuprofile /tmp/filters.prof -cpu 1

type speedCase struct {
	name string
	new  func() saring.Step
}

func speedSteps() []speedCase {
	auto := func() filters.GopherRepetitionOptions {
		o := filters.DefaultGopherRepetitionOptions()
		o.Language, o.LanguageParams = "auto", "auto"
		return o
	}
	must := func(s saring.Step, err error) saring.Step {
		if err != nil {
			panic(err)
		}
		return s
	}
	return []speedCase{
		{"repetition_repair", func() saring.Step { return repair.NewRepetition(repair.DefaultRepetitionOptions()) }},
		{"boilerplate", func() saring.Step { return repair.NewBoilerplate(repair.DefaultBoilerplateOptions(), nil) }},
		{"gopher_repetition", func() saring.Step { return must(filters.NewGopherRepetition(auto())) }},
		{"gopher_quality", func() saring.Step {
			o := filters.DefaultGopherQualityOptions()
			o.Language, o.LanguageParams = "auto", "auto"
			return must(filters.NewGopherQuality(o))
		}},
		{"c4_quality", func() saring.Step {
			o := filters.DefaultC4QualityOptions()
			o.Language, o.FilterNoTerminalPunct = "auto", false
			return must(filters.NewC4Quality(o))
		}},
		{"fineweb_quality", func() saring.Step {
			o := filters.DefaultFineWebQualityOptions()
			o.Language, o.LanguageParams = "auto", "auto"
			return must(filters.NewFineWebQuality(o))
		}},
	}
}

type speedDoc struct {
	text, lang string
}

// speedCorpus returns the benchmark documents and the name of the corpus.
func speedCorpus(b *testing.B) ([]speedDoc, string) {
	path := os.Getenv("SARING_WEBCORPUS")
	if path == "" {
		path = filepath.Join(os.TempDir(), "saring-bench", "webcorpus", "web.jsonl.zst")
	}
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		zr, err := zstd.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		defer zr.Close()
		sc := bufio.NewScanner(zr)
		sc.Buffer(nil, 1<<26)
		var docs []speedDoc
		for i := 0; sc.Scan(); i++ {
			if i%4 != 0 {
				continue
			}
			var r struct{ ID, Text string }
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				b.Fatal(err)
			}
			docs = append(docs, speedDoc{r.Text, pageLang(r.ID)})
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
		return docs, "web"
	}
	var docs []speedDoc
	for _, d := range filters.GopherBenchDocs(400) {
		docs = append(docs, speedDoc{d.Text, "en"})
	}
	return docs, "gen"
}

// pageLang is the language of a web corpus page from the locale in its
// address (".../browse/pt-BR/stable/..." -> "pt", ".../id/..." -> "id").
func pageLang(id string) string {
	for _, part := range strings.Split(id, "/") {
		if l, _, _ := strings.Cut(part, "-"); len(l) == 2 && l == strings.ToLower(l) && part != "ch" {
			if l == "zh" && strings.HasSuffix(part, "TW") {
				return "zh"
			}
			return l
		}
	}
	return "en"
}

func BenchmarkSpeed(b *testing.B) {
	docs, corpus := speedCorpus(b)
	var size int64
	for _, d := range docs {
		size += int64(len(d.text))
	}
	cases := speedSteps()
	ctx := context.Background()
	newDoc := func(d speedDoc) *saring.Document {
		doc := &saring.Document{Text: d.text}
		doc.SetMeta("language", d.lang)
		return doc
	}
	run := func(b *testing.B, steps []saring.Step, warm bool) {
		// Warm documents keep their split from one iteration to the
		// next; steps that rewrite work on a copy, so the originals keep
		// their text and their split.
		base := make([]*saring.Document, len(docs))
		for i, d := range docs {
			base[i] = newDoc(d)
			if warm {
				words.Of(base[i], d.lang)
			}
		}
		b.SetBytes(size)
		b.ReportAllocs()
		b.ResetTimer()
		start := testenv.CPUTime()
		resplit := 0
		for b.Loop() {
			for i, d := range docs {
				doc := base[i]
				if !warm {
					doc = newDoc(d)
				}
				cp := *doc
				cp.Measures = nil
				for _, st := range steps {
					res, err := st.Process(ctx, &cp)
					if err != nil {
						b.Fatal(err)
					}
					if res.Outcome == saring.Drop {
						break
					}
				}
				if warm && cp.Text != d.text {
					// A rewrite re-keyed the memo the copy shares with
					// the original: split the original again, off the
					// clock (the steps' own split of the new text counts).
					t0 := testenv.CPUTime()
					base[i] = newDoc(d)
					words.Of(base[i], d.lang)
					start += testenv.CPUTime() - t0
					resplit++
				}
			}
		}
		testenv.ReportMBPerCPUSecond(b, start, size)
		if warm {
			b.ReportMetric(float64(resplit)/float64(b.N)/float64(len(docs)), "resplit/doc")
		}
	}
	for _, warm := range []bool{false, true} {
		mode := "cold"
		if warm {
			mode = "warm"
		}
		var all []saring.Step
		for _, c := range cases {
			st := c.new()
			all = append(all, st)
			b.Run(corpus+"/"+mode+"/"+c.name, func(b *testing.B) { run(b, []saring.Step{st}, warm) })
		}
		b.Run(corpus+"/"+mode+"/set", func(b *testing.B) { run(b, all, warm) })
	}
	b.Run(corpus+"/baseline/words.Split", func(b *testing.B) {
		b.SetBytes(size)
		start := testenv.CPUTime()
		for b.Loop() {
			for _, d := range docs {
				_ = words.Split(d.text, d.lang)
			}
		}
		testenv.ReportMBPerCPUSecond(b, start, size)
	})
	b.Run(corpus+"/baseline/plain-split", func(b *testing.B) {
		b.SetBytes(size)
		start := testenv.CPUTime()
		for b.Loop() {
			for _, d := range docs {
				plainWords(d.text, nil)
			}
		}
		testenv.ReportMBPerCPUSecond(b, start, size)
	})
	b.Run(corpus+"/baseline/xxh3-words", func(b *testing.B) {
		b.SetBytes(size)
		start := testenv.CPUTime()
		var sum uint64
		for b.Loop() {
			for _, d := range docs {
				plainWords(d.text, func(w string) { sum ^= xxh3.HashString(w) })
			}
		}
		testenv.ReportMBPerCPUSecond(b, start, size)
		speedSink = sum
	})
}

var speedSink uint64

// plainWords is bench/baseline's split: maximal runs of letters, digits
// and marks, with an ASCII shortcut; it returns the number of words.
func plainWords(s string, fn func(string)) int {
	n, start := 0, -1
	for i := 0; i < len(s); {
		c := s[i]
		size, word := 1, false
		if c < utf8.RuneSelf {
			word = 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
		}
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			n++
			if fn != nil {
				fn(s[start:i])
			}
			start = -1
		}
		i += size
	}
	if start >= 0 {
		n++
		if fn != nil {
			fn(s[start:])
		}
	}
	return n
}
