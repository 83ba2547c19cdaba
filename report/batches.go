package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/saring/saring/formats"
)

// Batch is a run of consecutive records of one output file: Data holds them
// as they were in the uncompressed stream, each followed by '\n'.
type Batch struct {
	Seq    int // position among all batches, for ordered collection
	File   int // index into the files slice
	Data   []byte
	Starts []int   // record i is Data[Starts[i]:Ends[i]]
	Ends   []int   // (no newline)
	Offs   []int64 // offset of record i in the file's uncompressed stream
	First  int64   // ordinal of record 0 within its file
}

// Len is the number of records.
func (b *Batch) Len() int { return len(b.Starts) }

// Record returns record i without its newline.
func (b *Batch) Record(i int) []byte { return b.Data[b.Starts[i]:b.Ends[i]] }

func (b *Batch) reset() {
	b.Data, b.Starts, b.Ends, b.Offs = b.Data[:0], b.Starts[:0], b.Ends[:0], b.Offs[:0]
}

// BatchBytes is how much uncompressed data a batch holds before it is cut.
// The viewer's cache stores one compressed frame per batch, so this is also
// how much it decompresses to show one document.
const BatchBytes = 128 << 10

// FileError is an output file that could not be read (fully); the rest of
// the files are still read.
type FileError struct {
	File string
	Err  error
}

func (e FileError) Error() string { return fmt.Sprintf("%s: %v", e.File, e.Err) }

// MapBatches reads files in order, cuts them into batches, calls work on
// each in parallel (workers goroutines; 0 means GOMAXPROCS) and collect on
// the results strictly in batch order. Unreadable files are reported to
// collectErr and skipped. Memory stays bounded: a few batches per worker.
func MapBatches[R any](ctx context.Context, files []OutputFile, workers int,
	work func(worker int, b *Batch) R,
	collect func(b *Batch, r R) error,
	fileErr func(FileError)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		b   *Batch
		res chan R
	}
	pool := sync.Pool{New: func() any { return &Batch{} }}
	jobs := make(chan job, workers*2)
	order := make(chan job, workers*4)
	g, ctx := errgroup.WithContext(ctx)

	g.Go(func() error { // producer
		defer close(jobs)
		defer close(order)
		seq := 0
		for fi, f := range files {
			err := readBatches(ctx, f, fi, &seq, pool.Get, func(b *Batch) error {
				j := job{b: b, res: make(chan R, 1)}
				select {
				case order <- j:
				case <-ctx.Done():
					return ctx.Err()
				}
				select {
				case jobs <- j:
				case <-ctx.Done():
					return ctx.Err()
				}
				return nil
			})
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil && fileErr != nil {
				fileErr(FileError{File: f.Rel, Err: err})
			}
		}
		return nil
	})
	for w := 0; w < workers; w++ {
		g.Go(func() error {
			for j := range jobs {
				j.res <- work(w, j.b)
			}
			return nil
		})
	}
	g.Go(func() error { // collector, in order
		for j := range order {
			var r R
			select {
			case r = <-j.res:
			case <-ctx.Done():
				return ctx.Err()
			}
			if err := collect(j.b, r); err != nil {
				return err
			}
			j.b.reset()
			pool.Put(j.b)
		}
		return nil
	})
	return g.Wait()
}

func readBatches(ctx context.Context, f OutputFile, fi int, seq *int, get func() any, emit func(*Batch) error) error {
	rc, err := OpenDecompressed(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	lr := formats.NewLineReader(rc)
	var b *Batch
	var n int64
	for {
		line, off, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if b != nil && b.Len() > 0 {
				if e := emit(b); e != nil {
					return e
				}
			}
			return err
		}
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 {
			continue // blank lines are not records
		}
		if b == nil {
			b = get().(*Batch)
			b.Seq, b.File, b.First = *seq, fi, n
			*seq++
		}
		b.Starts = append(b.Starts, len(b.Data))
		b.Data = append(b.Data, line...)
		b.Ends = append(b.Ends, len(b.Data))
		b.Data = append(b.Data, '\n')
		b.Offs = append(b.Offs, off)
		n++
		if len(b.Data) >= BatchBytes {
			if err := emit(b); err != nil {
				return err
			}
			b = nil
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	if b != nil && b.Len() > 0 {
		return emit(b)
	}
	return nil
}
