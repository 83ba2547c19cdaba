package fasttext

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// StreamOptions configures PredictStream.
type StreamOptions struct {
	K         int     // labels per line, at least 1
	Threshold float32 // print only labels at least this probable
	Probs     bool    // print probabilities (predict-prob) or labels only (predict)
	Workers   int     // goroutines predicting; output order is the input's either way
}

// PredictStream reads one text per line from r and writes to w what
// `fasttext predict-prob` (Probs) or `fasttext predict` prints for it,
// byte for byte, in input order whatever the number of workers. Lines may
// be of any length. It stops early with ctx's error when ctx is cancelled.
func (m *Model) PredictStream(ctx context.Context, r io.Reader, w io.Writer, o StreamOptions) error {
	if o.K < 1 {
		return fmt.Errorf("k must be 1 or more, got %d", o.K)
	}
	br := bufio.NewReaderSize(r, 1<<20)
	bw := bufio.NewWriterSize(w, 1<<16)
	var err error
	if o.Workers > 1 {
		err = m.streamParallel(ctx, br, bw, o)
	} else {
		err = m.streamSerial(ctx, br, bw, o)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return nil
}

// readLine returns the next line with its newline (if any); long gathers
// lines longer than the reader's buffer.
func readLine(br *bufio.Reader, long *[]byte) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		*long = append((*long)[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = br.ReadSlice('\n')
			*long = append(*long, line...)
		}
		line = *long
	}
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading input: %w", err)
	}
	return line, err
}

// predictLines appends the output for data, whole lines each ending in
// '\n' except perhaps the last one of the input.
func predictLines(p *Predictor, dst, data []byte, o StreamOptions) []byte {
	emit := func(preds []Prediction) { dst = AppendPredictions(dst, preds, o.Probs) }
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			p.PredictInput(data, false, o.K, o.Threshold, emit)
			break
		}
		p.PredictInput(data[:i], true, o.K, o.Threshold, emit)
		data = data[i+1:]
	}
	return dst
}

func (m *Model) streamSerial(ctx context.Context, br *bufio.Reader, bw *bufio.Writer, o StreamOptions) error {
	p := m.NewPredictor()
	var buf, long []byte
	for n := 0; ; n++ {
		if n&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line, err := readLine(br, &long)
		if line == nil && err != nil && err != io.EOF {
			return err
		}
		if len(line) > 0 {
			buf = predictLines(p, buf[:0], line, o)
			if _, werr := bw.Write(buf); werr != nil {
				return fmt.Errorf("writing output: %w", werr)
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

type chunk struct {
	seq  int
	data []byte
}

// streamParallel cuts the input into chunks of whole lines, predicts them
// on o.Workers goroutines and writes the results back in order.
func (m *Model) streamParallel(ctx context.Context, br *bufio.Reader, bw *bufio.Writer, o StreamOptions) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan chunk, o.Workers)
	results := make(chan chunk, o.Workers)
	var readErr error
	go func() {
		defer close(jobs)
		var long []byte
		for seq := 0; ; seq++ {
			var data []byte
			var err error
			for len(data) < 64<<10 {
				var line []byte
				line, err = readLine(br, &long)
				if line == nil && err != nil && err != io.EOF {
					readErr = err
					cancel()
					return
				}
				data = append(data, line...)
				if err == io.EOF {
					break
				}
			}
			if len(data) > 0 {
				select {
				case jobs <- chunk{seq, data}:
				case <-ctx.Done():
					return
				}
			}
			if err == io.EOF {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := m.NewPredictor()
			for c := range jobs {
				out := predictLines(p, nil, c.data, o)
				select {
				case results <- chunk{c.seq, out}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	pending := map[int][]byte{}
	next := 0
	var werr error
	for c := range results {
		pending[c.seq] = c.data
		for out, ok := pending[next]; ok; out, ok = pending[next] {
			delete(pending, next)
			next++
			if werr == nil {
				if _, err := bw.Write(out); err != nil {
					werr = fmt.Errorf("writing output: %w", err)
					cancel()
				}
			}
		}
	}
	switch {
	case werr != nil:
		return werr
	case readErr != nil:
		return readErr
	}
	return ctx.Err()
}
