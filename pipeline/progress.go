package pipeline

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progress draws a one-line status on a terminal: documents/s, MB/s of
// input and, when the input size is known, an ETA.
type progress struct {
	w     io.Writer
	total int64
	bytes atomic.Int64 // input bytes read (compressed, as on disk)
	docs  atomic.Int64 // documents written (all stages)
	text  atomic.Int64 // text bytes of the documents read
	start time.Time
	label atomic.Value
	quit  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
}

func newProgress(w io.Writer, total int64) *progress {
	p := &progress{w: w, total: total, start: time.Now(), quit: make(chan struct{})}
	p.label.Store("")
	if w == nil {
		return p
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw()
			case <-p.quit:
				fmt.Fprint(p.w, "\r\033[K")
				return
			}
		}
	}()
	return p
}

func (p *progress) phase(s string) { p.label.Store(s) }

func (p *progress) draw() {
	el := time.Since(p.start).Seconds()
	if el <= 0 {
		return
	}
	docs, bytes := p.docs.Load(), p.bytes.Load()
	line := fmt.Sprintf("%d docs  %.0f docs/s  %.1f MB/s of text  %.1f MB/s from disk", docs, float64(docs)/el, float64(p.text.Load())/el/1e6, float64(bytes)/el/1e6)
	if p.total > 0 && bytes > 0 && bytes < p.total {
		eta := time.Duration(float64(p.total-bytes) / (float64(bytes) / el) * float64(time.Second))
		line += fmt.Sprintf("  %3.0f%%  ETA %s", 100*float64(bytes)/float64(p.total), eta.Round(time.Second))
	}
	if l := p.label.Load().(string); l != "" {
		line += "  " + l
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
}

func (p *progress) stop() {
	p.once.Do(func() {
		close(p.quit)
		p.wg.Wait()
	})
}
