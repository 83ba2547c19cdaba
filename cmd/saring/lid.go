package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/saring/saring/fasttext"
	"github.com/saring/saring/langid"
)

type lidOptions struct {
	model     string
	k         int
	threshold float32
}

func newLIDCommand() *cobra.Command {
	opts := &lidOptions{}
	cmd := &cobra.Command{
		Use:   "lid [--model PATH] [-k N] [--threshold F]",
		Short: "Identify the language of each line of stdin (prints what `fasttext predict-prob` prints)",
		Long: `lid reads one text per line from standard input and prints, for each, the
k most probable labels with their probabilities, exactly as
"fasttext predict-prob MODEL - k threshold" does. The model defaults to
lid.176.ftz (see scripts/get-model.sh); any supervised fastText model works.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLID(cmd.Context(), opts, cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.model, "model", "", "fastText model file (default: $"+langid.ModelEnv+", else models/"+langid.DefaultModelFile+")")
	f.IntVarP(&opts.k, "k", "k", 1, "number of labels to print per line")
	f.Float32Var(&opts.threshold, "threshold", 0, "print only labels with at least this probability")
	return cmd
}

func runLID(ctx context.Context, opts *lidOptions, in io.Reader, out io.Writer) error {
	if opts.k < 1 {
		return fmt.Errorf("-k must be 1 or more, got %d", opts.k)
	}
	path, err := langid.FindModel(opts.model)
	if err != nil {
		return err
	}
	m, err := langid.LoadModel(path)
	if err != nil {
		return err
	}
	p := m.NewPredictor()
	r := bufio.NewReaderSize(in, 1<<20)
	w := bufio.NewWriterSize(out, 1<<16)
	var buf, long []byte
	emit := func(preds []fasttext.Prediction) {
		buf = fasttext.AppendPredictions(buf[:0], preds, true)
		w.Write(buf)
	}
	for n := 0; ; n++ {
		if n&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: gather it whole.
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = r.ReadSlice('\n')
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
			p.PredictInput(line, newline, opts.k, opts.threshold, emit)
		}
		if err == io.EOF {
			break
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return nil
}
