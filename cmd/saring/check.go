package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/pipeline"
)

func newCheckCommand(reg *saring.Registry) *cobra.Command {
	return &cobra.Command{
		Use:   "check PIPELINE.yaml...",
		Short: "Check pipeline files: exit 0 when valid, 1 with file:line:col errors when not",
		Long: `Check pipeline files as run would: unknown keys and bad values (with
file:line:col), steps that read metadata no step before them writes (a filter
with language: auto and no language step), then build every step, so that a
missing model or word list fails here rather than in run. Relative paths in
a file are relative to its directory, as in run.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), reg, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
}

// runCheck checks every file: "FILE: ok" to out for a good one, its errors
// to errOut for a bad one, and exit status 1 when any was bad.
func runCheck(ctx context.Context, reg *saring.Registry, files []string, out, errOut io.Writer) error {
	bad := 0
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		cfg, err := pipeline.LoadFile(path, reg)
		if err == nil {
			err = buildAndClose(cfg, reg)
		}
		if err != nil {
			bad++
			var errs pipeline.Errors
			if errors.As(err, &errs) {
				for _, e := range errs {
					fmt.Fprintln(errOut, e)
				}
			} else {
				fmt.Fprintf(errOut, "%s: %v\n", path, err)
			}
			continue
		}
		fmt.Fprintf(out, "%s: ok\n", path)
	}
	if bad > 0 {
		return &exitError{code: 1}
	}
	return nil
}

// buildAndClose builds the steps as a run would, in a scratch directory,
// and closes them again.
func buildAndClose(cfg *pipeline.Config, reg *saring.Registry) error {
	work, err := os.MkdirTemp("", "saring-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	steps, err := pipeline.BuildSteps(cfg, reg, work)
	closeSteps(steps)
	return err
}

// closeSteps closes the steps that hold resources.
func closeSteps(steps []saring.Step) {
	for _, s := range steps {
		if c, ok := s.(saring.Closer); ok {
			c.Close()
		}
	}
}
