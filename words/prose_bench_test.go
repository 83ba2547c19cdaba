package words

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/saring/saring/internal/testenv"
	"github.com/zeebo/xxh3"
)

// proseCorpus is real text of one language, split with that language's
// rules.
type proseCorpus struct {
	name string
	docs []proseDoc
}

type proseDoc struct{ lang, text string }

func (c proseCorpus) bytes() int64 {
	var n int64
	for _, d := range c.docs {
		n += int64(len(d.text))
	}
	return n
}

// proseCorpora reads the shared real-prose inputs: the lingua sentences of
// English, Indonesian and Malay (500 sentences each, one document per
// language), all 75 lingua languages each with its own rules, and the
// scraped Antara news page. It skips the benchmark without the shared
// directory.
func proseCorpora(b *testing.B) []proseCorpus {
	b.Helper()
	dir := testenv.SharedFile(b, "data", "lingua-sentences")
	read := func(p string) string {
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return string(raw)
	}
	var out []proseCorpus
	for _, l := range []string{"en", "id", "ms"} {
		out = append(out, proseCorpus{l, []proseDoc{{l, read(filepath.Join(dir, l+".txt"))}}})
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) < 70 {
		b.Fatalf("lingua sentences: %d files (%v)", len(files), err)
	}
	all := proseCorpus{name: "all75"}
	for _, f := range files {
		all.docs = append(all.docs, proseDoc{strings.TrimSuffix(filepath.Base(f), ".txt"), read(f)})
	}
	out = append(out, all)
	antara := testenv.SharedFile(b, "examples", "antara-news-scraped.txt")
	out = append(out, proseCorpus{"antara", []proseDoc{{"id", read(antara)}}})
	return out
}

// BenchmarkProse splits real prose with words.Split's rules (and with its
// reference path, which the fast path is checked against) and, in the same
// run, with the plain splits that bound it: strings.Fields, a run of
// letters and digits decoded as UTF-8 (a plain Go word split), and xxh3
// over every strings.Fields word.
//
//	go test ./words -run '^$' -bench 'Prose' -benchtime 2s -cpu 1 -count 3
func BenchmarkProse(b *testing.B) {
	for _, c := range proseCorpora(b) {
		size := c.bytes()
		run := func(name string, fn func(d proseDoc) int) {
			b.Run(c.name+"/"+name, func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				start := testenv.CPUTime()
				n := 0
				for b.Loop() {
					for _, d := range c.docs {
						n += fn(d)
					}
				}
				testenv.ReportMBPerCPUSecond(b, start, size)
				if n == 0 {
					b.Fatal("no words")
				}
			})
		}
		buf := make([]string, 0, 1<<16)
		run("split", func(d proseDoc) int {
			buf = AppendSplit(buf[:0], d.text, d.lang)
			return len(buf)
		})
		if proseReference != nil {
			run("reference", func(d proseDoc) int {
				buf = proseReference(buf[:0], d.text, d.lang)
				return len(buf)
			})
		}
		run("fields", func(d proseDoc) int { return len(strings.Fields(d.text)) })
		run("wordrun", func(d proseDoc) int {
			buf = appendWordRuns(buf[:0], d.text)
			return len(buf)
		})
		run("xxh3", func(d proseDoc) int {
			var h uint64
			for _, w := range strings.Fields(d.text) {
				h ^= xxh3.HashString(w)
			}
			return int(h | 1)
		})
	}
}

// proseReference, when set, is the reference path of AppendSplit, timed
// beside it.
var proseReference func(dst []string, text, lang string) []string

// appendWordRuns is the plain Go word split the benchmarks compare with:
// maximal runs of Unicode letters and digits, UTF-8 decoded.
func appendWordRuns(dst []string, s string) []string {
	start := -1
	for i := 0; i < len(s); {
		c, n := rune(s[i]), 1
		if c >= utf8.RuneSelf {
			c, n = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			dst = append(dst, s[start:i])
			start = -1
		}
		i += n
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}
