package filters

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"

	"github.com/saring/saring"
	"github.com/saring/saring/words"
)

// The n-gram rules of gopher_repetition compare n-grams through hashes;
// these tests hold them to a plain port of datatrove's code that builds
// every n-gram string (get_n_grams, find_top_duplicate,
// find_all_duplicate), including with hashes forced to collide.

// refTopNGramChars is find_top_duplicate(get_n_grams(words, n)).
func refTopNGramChars(ws []string, n int) int {
	count := map[string]int{}
	var order []string
	for i := 0; i+n <= len(ws); i++ {
		g := strings.Join(ws[i:i+n], " ")
		if count[g] == 0 {
			order = append(order, g)
		}
		count[g]++
	}
	best, bestN := "", 0
	for _, g := range order { // Counter.most_common(1): the first of the most frequent
		if count[g] > bestN {
			best, bestN = g, count[g]
		}
	}
	return utf8.RuneCountInString(best) * bestN
}

// refDupNGramChars is find_all_duplicate(words, n).
func refDupNGramChars(ws []string, n int) int {
	unique := map[string]bool{}
	repeated := 0
	for i := 0; i < len(ws)-n+1; {
		g := strings.Join(ws[i:i+n], "")
		if unique[g] {
			repeated += utf8.RuneCountInString(g)
			i += n
			continue
		}
		unique[g] = true
		i++
	}
	return repeated
}

// gopherRefOptions adds n-gram sizes beyond the defaults, so that 1-grams
// and long n-grams are covered too.
func gopherRefOptions() GopherRepetitionOptions {
	o := DefaultGopherRepetitionOptions()
	o.Language = "auto"
	o.TopNGrams = append(o.TopNGrams, []float64{1, 0.5}, []float64{7, 0.1})
	o.DupNGrams = append(o.DupNGrams, []float64{1, 0.5}, []float64{2, 0.5}, []float64{30, 0.1})
	return o
}

// checkAgainstReference compares every n-gram rule's value on text.
func checkAgainstReference(t *testing.T, s saring.Step, o GopherRepetitionOptions, text, lang, what string) {
	t.Helper()
	got := map[string]float64{}
	for _, c := range gopherValues(t, s, text, lang) {
		got[c.Rule] = c.Value
	}
	ws := words.Split(text, lang)
	textLen := utf8.RuneCountInString(text)
	for _, p := range o.TopNGrams {
		n := int(p[0])
		rule := gopherRuleName(true, n)
		v, ok := got[rule]
		if len(ws) < n {
			if ok {
				t.Errorf("%s: %s measured on %d words", what, rule, len(ws))
			}
			continue
		}
		if want := gopherRatio(refTopNGramChars(ws, n), textLen); v != want {
			t.Errorf("%s: %s = %v, datatrove's code gives %v", what, rule, v, want)
		}
	}
	for _, p := range o.DupNGrams {
		n := int(p[0])
		rule := gopherRuleName(false, n)
		if want := gopherRatio(refDupNGramChars(ws, n), textLen); got[rule] != want {
			t.Errorf("%s: %s = %v, datatrove's code gives %v", what, rule, got[rule], want)
		}
	}
}

// gopherTrickyTexts hold n-grams that are equal as strings but not word by
// word ("".join of ["ab", "c"] and ["a", "bc"]), runs of punctuation that
// split differently, and repeats at the very end.
func gopherTrickyTexts() []string {
	return []string{
		"ab c a bc ab c a bc ab c",
		"x ... .. . x .. ... . x . .. ... x",
		"don't do n't don ' t don't don't",
		"a a a a a a a a a a a a a a a a a a a a a",
		"a b a b a b a b a b a b a b a b c",
		"1.5 1 .5 1. 5 1.5 1.5 (a) ( a ) (a)",
		"é e\u0301 é e\u0301 é é é e\u0301 e\u0301",
		"the end the end the end the end the end the end the end the end",
		// not UTF-8: characters counted as utf8.RuneCountInString counts them
		"a\xffb c\x80 a\xffb c\x80 a\xffb c\x80 \xe2\x82 \xe2\x82 a\xffb c\x80 long\xe2\x82words here",
	}
}

func TestGopherNGramsMatchReference(t *testing.T) {
	o := gopherRefOptions()
	s, err := NewGopherRepetition(o)
	if err != nil {
		t.Fatal(err)
	}
	texts := append(gopherTestTexts(t), gopherTrickyTexts()...)
	for i, text := range texts {
		checkAgainstReference(t, s, o, text, "en", fmt.Sprintf("text %d", i))
	}
	for i, text := range gopherWebSample(t, 300) {
		checkAgainstReference(t, s, o, text.text, text.lang, fmt.Sprintf("web page %d (%s)", i, text.lang))
	}
}

// With the hash keys cut to a few bits nearly every lookup meets other
// n-grams under the same key: the values must not change.
func TestGopherNGramsCollisions(t *testing.T) {
	o := gopherRefOptions()
	s, err := NewGopherRepetition(o)
	if err != nil {
		t.Fatal(err)
	}
	defer func(m uint64) { gopherKeyMask = m }(gopherKeyMask)
	texts := append(gopherTestTexts(t)[:40], gopherTrickyTexts()...)
	for _, mask := range []uint64{0, 1, 0xff} {
		gopherKeyMask = mask
		for i, text := range texts {
			checkAgainstReference(t, s, o, text, "en", fmt.Sprintf("mask %#x, text %d", mask, i))
		}
	}
}

type gopherWebText struct{ text, lang string }

// gopherWebSample returns up to n pages of the web corpus (see
// speed_bench_test.go), spread over its languages; none without it.
func gopherWebSample(t testing.TB, n int) []gopherWebText {
	path := os.Getenv("SARING_WEBCORPUS")
	if path == "" {
		path = filepath.Join(os.TempDir(), "saring-bench", "webcorpus", "web.jsonl.zst")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Logf("no web corpus at %s (scripts/get-webcorpus.sh): generated texts only", path)
		return nil
	}
	defer f.Close()
	zr, err := zstd.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var all []gopherWebText
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var r struct{ ID, Text string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		lang := "en"
		for _, part := range strings.Split(r.ID, "/") {
			if l, _, _ := strings.Cut(part, "-"); len(l) == 2 && l == strings.ToLower(l) {
				lang = l
				break
			}
		}
		all = append(all, gopherWebText{r.Text, lang})
	}
	if len(all) <= n {
		return all
	}
	out := make([]gopherWebText, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, all[i*len(all)/n])
	}
	return out
}

// Workers share the pooled scratch buffers: documents of every size in
// any order, on several goroutines, give the values one goroutine gives.
func TestGopherRepetitionConcurrent(t *testing.T) {
	o := gopherRefOptions()
	s, err := NewGopherRepetition(o)
	if err != nil {
		t.Fatal(err)
	}
	texts := append(gopherTestTexts(t), gopherTrickyTexts()...)
	if testing.Short() || raceEnabled {
		texts = texts[:30]
	}
	want := make([][]saring.Check, len(texts))
	for i, text := range texts {
		want[i] = gopherValues(t, s, text, "en")
	}
	errs := make(chan string, 4)
	for w := 0; w < 4; w++ {
		go func() {
			msg := ""
			for k := range texts {
				i := (k*7 + w*13) % len(texts)
				got := gopherValues(t, s, texts[i], "en")
				for j := range got {
					if got[j] != want[i][j] && msg == "" {
						msg = fmt.Sprintf("worker %d, text %d: %s = %v, want %v", w, i, got[j].Rule, got[j].Value, want[i][j].Value)
					}
				}
			}
			errs <- msg
		}()
	}
	for w := 0; w < 4; w++ {
		if m := <-errs; m != "" {
			t.Error(m)
		}
	}
}
