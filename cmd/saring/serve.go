package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/pipeline"
	"github.com/saring/saring/report/viewer"
)

type serveOptions struct {
	outDir   string
	addr     string
	indexDir string
}

func newServeCommand(reg *saring.Registry) *cobra.Command {
	opts := &serveOptions{addr: "127.0.0.1:8080"}
	cmd := &cobra.Command{
		Use:   "serve OUTDIR",
		Short: "Browse, filter and search a run's kept, removed and rejected documents in a browser",
		Long: `serve indexes OUTDIR once (into OUTDIR/.index, rebuilt when the output
files or the run's completion change) and serves a local viewer: list and full-text search the documents,
filter by set, step, reason, language and language score, and open one to see
its text, metadata, why it was removed, which lines repairs cut, and every
rule of the run's pipeline on it. It binds 127.0.0.1 unless told otherwise.
A run that is not finished is served with a warning and a banner on every page.`,
		Example: `  saring serve out
  saring serve out --addr 127.0.0.1:9000 --index-dir /tmp/out-index`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.outDir = args[0]
			return runServe(cmd.Context(), reg, opts, cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&opts.addr, "addr", opts.addr, "address to listen on (a non-loopback address exposes the documents)")
	cmd.Flags().StringVar(&opts.indexDir, "index-dir", opts.indexDir, "where to keep the index (default OUTDIR/.index)")
	return cmd
}

// runServe serves the viewer until ctx ends, logging to log; the steps'
// scratch directory is removed on the way out.
func runServe(ctx context.Context, reg *saring.Registry, o *serveOptions, log io.Writer) error {
	explain, cleanup := runExplainer(reg, o.outDir)
	defer cleanup()
	err := viewer.Serve(ctx, viewer.Options{OutDir: o.outDir, IndexDir: o.indexDir,
		Addr: o.addr, Log: log, Explain: explain})
	if (err == nil || errors.Is(err, context.Canceled)) && ctx.Err() != nil {
		// Ctrl-C is how serve ends: say so with 130, as run does.
		return &exitError{code: 130, msg: "saring: serve stopped"}
	}
	return err
}

// runExplainer explains documents with the pipeline the run used, built on
// first use; cleanup removes the steps' scratch directory. The text it sees
// is the text as written out (after any repair), so repairs show as having
// nothing to cut.
func runExplainer(reg *saring.Registry, out string) (explain viewer.ExplainFunc, cleanup func()) {
	var once sync.Once
	var built []saring.Step
	var buildErr error
	var mu sync.Mutex
	var scratch string
	cleanup = func() {
		mu.Lock()
		defer mu.Unlock()
		if scratch != "" {
			os.RemoveAll(scratch)
			scratch = ""
		}
	}
	return func(ctx context.Context, doc *saring.Document) ([]viewer.StepExplain, error) {
		once.Do(func() {
			mu.Lock()
			defer mu.Unlock()
			built, scratch, buildErr = builtSteps(reg, out)
		})
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
	}, cleanup
}

// builtSteps builds the run's steps from the pipeline it wrote at
// OUTDIR/.saring/pipeline.yaml (there from the start, so an unfinished run
// explains too), else from the config in stats.json. It returns the
// scratch directory the steps were given.
func builtSteps(reg *saring.Registry, out string) ([]saring.Step, string, error) {
	d := outdir.Dir{Root: out}
	var cfg *pipeline.Config
	pf := d.Path(".saring", "pipeline.yaml")
	if src, err := os.ReadFile(pf); err == nil {
		if cfg, err = pipeline.Parse(pf, src, reg); err != nil {
			return nil, "", err
		}
	} else {
		if cfg, err = statsPipeline(d, reg); err != nil {
			return nil, "", err
		}
	}
	tmp, err := os.MkdirTemp("", "saring-serve-explain-")
	if err != nil {
		return nil, "", err
	}
	cfg.Output.Dir = tmp
	built, err := pipeline.BuildSteps(cfg, reg, filepath.Join(tmp, ".work"))
	if err != nil {
		os.RemoveAll(tmp)
		return nil, "", err
	}
	return built, tmp, nil
}

// statsPipeline reads the resolved config of stats.json.
func statsPipeline(d outdir.Dir, reg *saring.Registry) (*pipeline.Config, error) {
	st, err := d.LoadStats()
	if err != nil {
		return nil, fmt.Errorf("no %s or stats.json to learn the run's pipeline from: %w", d.Path(".saring", "pipeline.yaml"), err)
	}
	var conf map[string]any
	if err := json.Unmarshal(st.Config, &conf); err != nil || conf == nil {
		return nil, fmt.Errorf("stats.json has no readable config (%v)", err)
	}
	// stats.json lists steps as {name, options}; pipeline files map each
	// name to its options.
	if list, ok := conf["steps"].([]any); ok {
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
		conf["steps"] = yamlSteps
	}
	src, err := json.Marshal(conf) // JSON is YAML
	if err != nil {
		return nil, err
	}
	return pipeline.Parse("stats.json (config)", src, reg)
}
