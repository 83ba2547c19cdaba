package main

import (
	"context"
	"io"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/saring/saring/fasttext"
	"github.com/saring/saring/langid"
)

type lidOptions struct {
	model     string
	k         int
	threshold float32
	workers   int
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
	f.IntVar(&opts.workers, "workers", runtime.GOMAXPROCS(0), "goroutines predicting (output order is the input's either way)")
	return cmd
}

func runLID(ctx context.Context, opts *lidOptions, in io.Reader, out io.Writer) error {
	path, err := langid.FindModel(opts.model)
	if err != nil {
		return err
	}
	m, err := langid.LoadModel(path)
	if err != nil {
		return err
	}
	return m.PredictStream(ctx, in, out, fasttext.StreamOptions{K: opts.k, Threshold: opts.threshold, Probs: true, Workers: opts.workers})
}
