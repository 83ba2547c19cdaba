package fasttext

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
)

// PredictStream reads one text per line from r and writes to w what
// `fasttext predict-prob` (probs true) or `fasttext predict` (probs false)
// prints for it, byte for byte. Lines may be of any length. It stops early
// with ctx's error when ctx is cancelled.
func (m *Model) PredictStream(ctx context.Context, r io.Reader, w io.Writer, k int, threshold float32, probs bool) error {
	if k < 1 {
		return fmt.Errorf("k must be 1 or more, got %d", k)
	}
	p := m.NewPredictor()
	br := bufio.NewReaderSize(r, 1<<20)
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf, long []byte
	var werr error
	emit := func(preds []Prediction) {
		buf = AppendPredictions(buf[:0], preds, probs)
		if _, err := bw.Write(buf); err != nil && werr == nil {
			werr = err
		}
	}
	for n := 0; ; n++ {
		if n&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: gather it whole.
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("reading input: %w", err)
		}
		if len(line) > 0 {
			newline := line[len(line)-1] == '\n'
			if newline {
				line = line[:len(line)-1]
			}
			p.PredictInput(line, newline, k, threshold, emit)
		}
		if werr != nil {
			return fmt.Errorf("writing output: %w", werr)
		}
		if err == io.EOF {
			break
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return nil
}
