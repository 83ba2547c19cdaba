package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/saring/saring/report"
)

type reportOptions struct {
	outDir string
	output string
}

func newReportCommand() *cobra.Command {
	var opts reportOptions
	cmd := &cobra.Command{
		Use:   "report OUTDIR",
		Short: "Write a self-contained HTML report of a run's output directory",
		Long: `report reads OUTDIR/stats.json and streams the kept, removed and rejected
files once, then writes one HTML file with inline charts (funnel, removals by
step and reason, length/language/score distributions, step measures, dedup
cluster sizes, repairs, run facts). It opens without a network connection.

A run that is not finished (OUTDIR/.saring/plan.json without
.saring/done.json, or no stats.json) is still reported, from what its
finished units wrote, with a warning here and a banner in the page.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.outDir = args[0]
			return runReport(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVarP(&opts.output, "output", "o", opts.output, "HTML file to write (default OUTDIR/report.html)")
	return cmd
}

// runReport writes the report of opts.outDir, what it wrote to out and
// warnings to errOut.
func runReport(ctx context.Context, opts reportOptions, out, errOut io.Writer) error {
	sum, err := report.Generate(ctx, report.Options{OutDir: opts.outDir, Output: opts.output})
	if err != nil {
		return err
	}
	for _, w := range sum.Unfinished {
		fmt.Fprintln(errOut, "warning:", w)
	}
	for _, w := range sum.Warnings {
		fmt.Fprintln(errOut, "note:", w)
	}
	fmt.Fprintf(out, "wrote %s (%s documents, %.2f s)\n", sum.Output, report.Int(float64(sum.Docs)), sum.Seconds)
	return nil
}
