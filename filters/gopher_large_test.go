package filters

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saring/saring"
	"github.com/saring/saring/words"
)

// gopherValues measures every gopher_repetition rule on text.
func gopherValues(t testing.TB, s saring.Step, text, lang string) []saring.Check {
	doc := &saring.Document{Text: text}
	doc.SetMeta("language", lang)
	checks, err := s.(saring.Explainer).Explain(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return checks
}

// gopherTestTexts are the golden cases, the Antara page and random texts
// with repeated runs (n-grams repeated, overlapping, at the end).
func gopherTestTexts(t *testing.T) []string {
	var texts []string
	cases := gopherGoldenCases(t)
	for _, c := range cases {
		texts = append(texts, c.Text)
	}
	full, once := gopherAntara(t)
	texts = append(texts, full, once)
	rng := rand.New(rand.NewSource(3))
	vocab := strings.Fields("a ab b abc c harga beras naik turun di pasar minggu ini itu dan yang é ü 日本")
	for k := 0; k < 60; k++ {
		var w []string
		for len(w) < 50+rng.Intn(3000) {
			if len(w) > 10 && rng.Intn(8) == 0 { // repeat an earlier run
				i := rng.Intn(len(w) - 5)
				w = append(w, w[i:i+1+rng.Intn(min(40, len(w)-i-1))]...)
				continue
			}
			w = append(w, vocab[rng.Intn(len(vocab)-k%len(vocab))])
		}
		sep := " "
		if k%3 == 0 {
			sep = "\n"
		}
		texts = append(texts, strings.Join(w, sep))
	}
	return texts
}

// The bounded-memory path for large documents gives exactly the values of
// the whole-document tables, on every golden case and random texts, with
// the top n-gram counted in one partition or many.
func TestGopherLargePathSameValues(t *testing.T) {
	o := DefaultGopherRepetitionOptions()
	o.TopNGrams = append(o.TopNGrams, []float64{1, 0.5}, []float64{7, 0.1})
	o.DupNGrams = append(o.DupNGrams, []float64{1, 0.5}, []float64{2, 0.5}, []float64{30, 0.1})
	s, err := NewGopherRepetition(o)
	if err != nil {
		t.Fatal(err)
	}
	texts := gopherTestTexts(t)
	want := make([][]saring.Check, len(texts))
	for i, text := range texts {
		want[i] = gopherValues(t, s, text, "en")
	}
	defer func(b, p int) { gopherBigWords, gopherPartKeys = b, p }(gopherBigWords, gopherPartKeys)
	for _, parts := range []int{1 << 30, 97, 5} {
		gopherBigWords, gopherPartKeys = 0, parts
		for i, text := range texts {
			got := gopherValues(t, s, text, "en")
			if len(got) != len(want[i]) {
				t.Fatalf("text %d, parts %d: %d checks, want %d", i, parts, len(got), len(want[i]))
			}
			for j := range got {
				if got[j].Value != want[i][j].Value || got[j].Pass != want[i][j].Pass {
					t.Fatalf("text %d, parts of %d keys: %s = %v, want %v", i, parts, got[j].Rule, got[j].Value, want[i][j].Value)
				}
			}
		}
	}
}

// peakHeapDuring runs fn and returns the peak heap in use above what was
// in use before, sampled every few milliseconds.
func peakHeapDuring(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > peak {
				peak = m.HeapAlloc - base
			}
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return peak
}

// One large document: gopher_repetition's own memory stays a few bytes per
// word (the words themselves are the document's, shared by every step).
func TestGopherRepetitionLargeDocumentMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a 20 MB document")
	}
	size := 20 << 20
	if v := os.Getenv("SARING_GOPHER_BIG_MB"); v != "" {
		var mb int
		if _, err := fmt.Sscan(v, &mb); err == nil {
			size = mb << 20
		}
	}
	rng := rand.New(rand.NewSource(1))
	var b strings.Builder
	b.Grow(size + 64)
	for b.Len() < size {
		// distinct words, so that nearly every n-gram is new: the worst case for the tables
		b.WriteString(words5(rng))
		if rng.Intn(12) == 0 {
			b.WriteString(".\n")
		} else {
			b.WriteByte(' ')
		}
	}
	doc := &saring.Document{Text: b.String()}
	doc.SetMeta("language", "en")
	ws := words.Of(doc, "en")
	s, _ := NewGopherRepetition(DefaultGopherRepetitionOptions())
	var res saring.Result
	t0, cpu0 := time.Now(), cpuTime()
	var peak uint64
	if os.Getenv("SARING_GOPHER_NO_SAMPLER") != "" {
		res, _ = s.Process(context.Background(), doc)
	} else {
		peak = peakHeapDuring(func() { res, _ = s.Process(context.Background(), doc) })
	}
	t.Logf("%d MB, %d words: %v in %v (%v CPU), peak heap above text and words %d MiB (%.1f bytes a word)",
		size>>20, len(ws), res.Outcome, time.Since(t0).Round(time.Millisecond), (cpuTime() - cpu0).Round(time.Millisecond), peak>>20, float64(peak)/float64(len(ws)))
	if limit := uint64(len(ws)) * 28; peak > limit+(64<<20) {
		t.Errorf("peak %d MiB above text and words, want under %d MiB", peak>>20, (limit+(64<<20))>>20)
	}
}

func words5(rng *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	n := 3 + rng.Intn(6)
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[rng.Intn(len(letters))]
	}
	return string(b)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
