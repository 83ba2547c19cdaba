package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/saring/saring/report/viewer"
)

type serveOptions struct {
	addr     string
	indexDir string
}

func newServeCommand() *cobra.Command {
	var opts serveOptions
	cmd := &cobra.Command{
		Use:   "serve OUTDIR",
		Short: "Browse, filter and search a run's kept, removed and rejected documents in a browser",
		Long: `serve indexes OUTDIR once (into OUTDIR/.index, rebuilt when the outputs
change) and serves a local viewer: list and full-text search the documents,
filter by set, step, reason, language and language score, and open one to see
its text, metadata, why it was removed and which lines repairs cut.
It binds 127.0.0.1 unless told otherwise.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			err := viewer.Serve(cmd.Context(), viewer.Options{OutDir: args[0], IndexDir: opts.indexDir,
				Addr: opts.addr, Log: cmd.ErrOrStderr()})
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		},
	}
	cmd.Flags().StringVar(&opts.addr, "addr", "127.0.0.1:8080", "address to listen on (a non-loopback address exposes the documents)")
	cmd.Flags().StringVar(&opts.indexDir, "index-dir", "", "where to keep the index (default OUTDIR/.index)")
	return cmd
}
