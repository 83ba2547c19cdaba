package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/spf13/cobra"
)

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print saring's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVersion(cmd.OutOrStdout())
		},
	}
}

func runVersion(w io.Writer) error {
	_, err := fmt.Fprintf(w, "saring %s (%s, %s/%s)\n", saringVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
