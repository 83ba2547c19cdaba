package tokenize

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// TestConcurrentEncode: one Tokenizer used by several goroutines gives
// every line the ids it gives alone (a scratch buffer returned to the pool
// while still in use made them differ, or panic).
func TestConcurrentEncode(t *testing.T) {
	var lines []string
	for _, lang := range []string{"id", "en", "ja", "th", "ar", "ru", "de", "vi"} {
		p := testenv.SharedFile(t, "data", "lingua-sentences", lang+".txt")
		ls := testenv.ReadLines(t, p)
		lines = append(lines, ls...)
	}
	for i := 0; i < 200; i++ {
		lines = append(lines, fmt.Sprintf("line %d with   spaces, digits 1234567 and punctuation!? %s", i, strings.Repeat("ab ", i%17)))
	}
	if testing.Short() {
		// Under -race (CI runs it with -short) a tenth of the lines
		// still has the goroutines meet in the pool thousands of times.
		var some []string
		for i := 0; i < len(lines); i += 10 {
			some = append(some, lines[i])
		}
		lines = some
	}
	for _, name := range []string{"llama3", "qwen3", "mistral", "gemma3", "cl100k_base", "albert"} {
		t.Run(name, func(t *testing.T) {
			tok := fetched(t, name)
			want := make([]string, len(lines))
			for i, l := range lines {
				want[i] = fmt.Sprint(tok.Encode(l))
			}
			fresh := fetched(t, name)
			var wg sync.WaitGroup
			errs := make(chan string, 4)
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := w; i < len(lines); i += 4 {
						if got := fmt.Sprint(fresh.Encode(lines[i])); got != want[i] {
							errs <- fmt.Sprintf("line %d %.60q: %s, alone %s", i, lines[i], got, want[i])
							return
						}
					}
				}(w)
			}
			wg.Wait()
			close(errs)
			for e := range errs {
				t.Error(e)
			}
		})
	}
}
