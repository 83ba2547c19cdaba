package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/pipeline"
)

func newCheckCommand(reg *saring.Registry) *cobra.Command {
	return &cobra.Command{
		Use:   "check PIPELINE.yaml...",
		Short: "Check pipeline files: exit 0 when valid, 1 with file:line:col errors when not",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, path := range args {
				if _, err := pipeline.LoadFile(path, reg); err != nil {
					bad++
					var errs pipeline.Errors
					if errors.As(err, &errs) {
						for _, e := range errs {
							fmt.Fprintln(cmd.ErrOrStderr(), e)
						}
					} else {
						fmt.Fprintf(cmd.ErrOrStderr(), "%s: %v\n", path, err)
					}
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok\n", path)
			}
			if bad > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
}
