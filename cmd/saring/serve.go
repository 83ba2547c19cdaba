package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/steps"
	"github.com/saring/saring/pipeline"
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
its text, metadata, why it was removed, which lines repairs cut, and every
rule of the run's pipeline on it. It binds 127.0.0.1 unless told otherwise.`,
		Example: `  saring serve out
  saring serve out --addr 127.0.0.1:9000 --index-dir /tmp/out-index`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			err := viewer.Serve(cmd.Context(), viewer.Options{OutDir: args[0], IndexDir: opts.indexDir,
				Addr: opts.addr, Log: cmd.ErrOrStderr(), Explain: runExplainer(args[0])})
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

// runExplainer explains documents with the pipeline the run used, read from
// OUTDIR/stats.json, built on first use. The text it sees is the text as
// written out (after any repair), so repairs show as having nothing to cut.
func runExplainer(outdir string) viewer.ExplainFunc {
	var once sync.Once
	var built []saring.Step
	var buildErr error
	return func(ctx context.Context, doc *saring.Document) ([]viewer.StepExplain, error) {
		once.Do(func() { built, buildErr = runSteps(outdir) })
		if buildErr != nil {
			return nil, buildErr
		}
		ex, err := pipeline.Explain(ctx, built, doc)
		if err != nil {
			return nil, err
		}
		var out []viewer.StepExplain
		for _, s := range ex.Steps {
			note := s.Note
			if s.AfterDrop {
				note = "after removal, for information. " + note
			}
			out = append(out, viewer.StepExplain{Step: s.Step, Outcome: s.Outcome, Reason: s.Reason,
				Message: s.Message, Checks: s.Checks, Note: note})
		}
		return out, nil
	}
}

func runSteps(outdir string) ([]saring.Step, error) {
	b, err := os.ReadFile(filepath.Join(outdir, "stats.json"))
	if err != nil {
		return nil, fmt.Errorf("no stats.json to learn the run's pipeline from: %w", err)
	}
	var st struct {
		Config map[string]any `json:"config"`
	}
	if err := json.Unmarshal(b, &st); err != nil || st.Config == nil {
		return nil, fmt.Errorf("stats.json has no readable config (%v)", err)
	}
	// stats.json lists steps as {name, options}; pipeline files map each
	// name to its options.
	if list, ok := st.Config["steps"].([]any); ok {
		var yamlSteps []any
		for _, s := range list {
			m, _ := s.(map[string]any)
			name, _ := m["name"].(string)
			if opts, ok := m["options"]; ok && opts != nil {
				yamlSteps = append(yamlSteps, map[string]any{name: opts})
			} else {
				yamlSteps = append(yamlSteps, name)
			}
		}
		st.Config["steps"] = yamlSteps
	}
	src, err := json.Marshal(st.Config) // JSON is YAML
	if err != nil {
		return nil, err
	}
	reg := steps.All()
	cfg, err := pipeline.Parse("stats.json (config)", src, reg)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "saring-serve-explain-")
	if err != nil {
		return nil, err
	}
	cfg.Output.Dir = tmp
	return pipeline.BuildSteps(cfg, reg, filepath.Join(tmp, ".work"))
}
