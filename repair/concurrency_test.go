package repair

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/saring/saring"
)

// Steps are shared by all workers: running them on many documents at once
// must give the same results as running them one by one.
func TestStepsConcurrent(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	var texts []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	steps := append(defaultChain(), NewPII(DefaultPIIOptions()))
	process := func(i int) *saring.Document {
		doc := &saring.Document{Text: texts[i%len(texts)], Seq: uint64(i)}
		for _, st := range steps {
			if r, err := st.Process(context.Background(), doc); err != nil || r.Outcome == saring.Drop {
				break
			}
		}
		return doc
	}
	const n = 200
	want := make([]*saring.Document, n)
	for i := range want {
		want[i] = process(i)
	}
	got := make([]*saring.Document, n)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				got[i] = process(i)
			}
		}(w)
	}
	wg.Wait()
	for i := range want {
		if got[i].Text != want[i].Text || !reflect.DeepEqual(got[i].Metadata, want[i].Metadata) {
			t.Fatalf("document %d differs when processed concurrently", i)
		}
	}
}
