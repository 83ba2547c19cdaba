package dedup

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/saring/saring"
)

// sharedDir finds the shared data directory that sits beside the repository.
func sharedDir(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "..", "shared")
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared data directory not found")
		}
		dir = parent
	}
}

// outcome is what a corpus step decided for one document.
type outcome struct {
	Result saring.Result
	Meta   map[string]any
	Text   string
}

// drive runs a corpus step the way the runner does: Add from several
// goroutines in a shuffled order, Finish, then Process. Documents are
// copied so that runs do not share state.
func drive(t testing.TB, step saring.CorpusStep, docs []saring.Document, workers int, seed uint64) []outcome {
	t.Helper()
	ctx := context.Background()
	order := rand.New(rand.NewPCG(seed, 7)).Perm(len(docs))
	ch := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ch {
				d := docs[i]
				if err := step.Add(ctx, &d); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}
		}()
	}
	for _, i := range order {
		ch <- i
	}
	close(ch)
	wg.Wait()
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	if err := step.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	out := make([]outcome, len(docs))
	for _, i := range order {
		d := docs[i]
		d.Metadata = nil
		if docs[i].Metadata != nil {
			d.Metadata = map[string]any{}
			for k, v := range docs[i].Metadata {
				d.Metadata[k] = v
			}
		}
		r, err := step.Process(ctx, &d)
		if err != nil {
			t.Fatal(err)
		}
		r.Message = ""
		out[i] = outcome{Result: r, Meta: d.Metadata, Text: d.Text}
	}
	if c, ok := step.(saring.Closer); ok {
		c.Close()
	}
	return out
}

func mkdocs(texts ...string) []saring.Document {
	docs := make([]saring.Document, len(texts))
	for i, t := range texts {
		docs[i] = saring.Document{ID: "d" + string(rune('a'+i%26)) + itoa(i), Text: t, Seq: uint64(i)}
	}
	return docs
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
