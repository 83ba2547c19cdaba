package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestMapBatches: work runs concurrently, collect sees batches in order,
// and every line arrives once with its offset.
func TestMapBatches(t *testing.T) {
	dir := t.TempDir()
	var files []OutputFile
	var want []string
	for f := 0; f < 3; f++ {
		var b strings.Builder
		for i := 0; i < 3000; i++ {
			line := fmt.Sprintf(`{"f":%d,"i":%d,"pad":"%s"}`, f, i, strings.Repeat("x", 100))
			want = append(want, line)
			b.WriteString(line + "\n")
		}
		p := filepath.Join(dir, fmt.Sprintf("part-%d.jsonl", f))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, OutputFile{Path: p, Rel: p})
	}
	var running, peak atomic.Int32
	var got []string
	next := 0
	err := MapBatches(context.Background(), files, 4,
		func(_ int, b *Batch) int {
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
			running.Add(-1)
			return b.Seq
		},
		func(b *Batch, seq int) error {
			if seq != next || b.Seq != next {
				return fmt.Errorf("collected batch %d, want %d", seq, next)
			}
			next++
			for i := 0; i < b.Len(); i++ {
				got = append(got, string(b.Record(i)))
			}
			return nil
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %d lines, want %d (or order differs)", len(got), len(want))
	}
	if peak.Load() < 2 {
		t.Errorf("work never ran concurrently (peak %d)", peak.Load())
	}
}
