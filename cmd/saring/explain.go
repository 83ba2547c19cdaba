package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/formats"
	"github.com/saring/saring/pipeline"
)

type explainOptions struct {
	input, pipelineFile, steps, id string
	inputFormat, textKey, idKey    string
	limit                          int
	asJSON                         bool
	text                           string // the TEXT argument; - for standard input

	// set reports whether a flag was given: --input-format, --text-key and
	// --id-key override the pipeline file's input section only then.
	set func(flag string) bool
}

func newExplainCommand(g *globalOptions, reg *saring.Registry) *cobra.Command {
	d := pipeline.Defaults()
	o := &explainOptions{limit: 1, inputFormat: d.Input.Format, textKey: d.Input.TextKey, idKey: d.Input.IDKey}
	cmd := &cobra.Command{
		Use:   "explain [-i FILE | TEXT]",
		Short: "Show, step by step, every rule's value, threshold and verdict for documents",
		Long: `Run the pipeline's steps over one or a few documents and show what each step
measured, the threshold it compared against, what repair steps removed, and the
verdict. Give the text as an argument, '-' to read it from standard input, or
-i FILE to explain the documents of a file (--id to pick one).`,
		Example: `  saring explain "Buy now!!! Click here"
  saring explain -i data.jsonl --id doc-42
  saring explain -i page.txt --steps normalize,repetition_repair,gopher_repetition`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.text = args[0]
			} else if o.input == "" {
				return fmt.Errorf("give a TEXT argument, '-' for standard input, or -i FILE")
			}
			o.set = cmd.Flags().Changed
			return runExplain(cmd.Context(), reg, o, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.input, "input", "i", o.input, "explain the documents of this file")
	f.StringVar(&o.pipelineFile, "pipeline", o.pipelineFile, "pipeline file whose steps to use (default: the default pipeline)")
	f.StringVar(&o.steps, "steps", o.steps, "comma-separated steps to use instead")
	f.StringVar(&o.id, "id", o.id, "with -i: the id of the document to explain")
	f.IntVar(&o.limit, "limit", o.limit, "with -i: how many documents to explain")
	f.StringVar(&o.inputFormat, "input-format", o.inputFormat, "input format: auto, jsonl, text, parquet, warc or wet (default: the pipeline file's input.format)")
	f.StringVar(&o.textKey, "text-key", o.textKey, "JSONL key or Parquet column of the text (default: the pipeline file's input.text_key)")
	f.StringVar(&o.idKey, "id-key", o.idKey, "JSONL key or Parquet column of the id (default: the pipeline file's input.id_key)")
	f.BoolVar(&o.asJSON, "json", o.asJSON, "print JSON, one object per document")
	return cmd
}

// runExplain explains the documents o names (a file's, the text, or
// stdin's when the text is -) with the pipeline's steps, to out.
func runExplain(ctx context.Context, reg *saring.Registry, o *explainOptions, stdin io.Reader, out, errOut io.Writer) error {
	cfg, err := explainConfig(o.pipelineFile, o.steps, reg)
	if err != nil {
		return err
	}
	// The documents are read as the run reads them: the pipeline file's
	// input section, then the flags given.
	for _, f := range []struct {
		flag string
		dst  *string
		val  string
	}{{"input-format", &cfg.Input.Format, o.inputFormat}, {"text-key", &cfg.Input.TextKey, o.textKey}, {"id-key", &cfg.Input.IDKey, o.idKey}} {
		if o.pipelineFile == "" || (o.set != nil && o.set(f.flag)) {
			*f.dst = f.val
		}
	}
	var docs []*saring.Document
	switch {
	case o.input != "":
		if o.text != "" {
			return fmt.Errorf("give either -i FILE or TEXT, not both")
		}
		rd, err := formats.Open(o.input, cfg.Input.ReadOptions(0), nil)
		if err != nil {
			return err
		}
		defer rd.Close()
		for len(docs) < o.limit || o.id != "" {
			d, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if re, ok := formats.AsRecordError(err); ok {
					fmt.Fprintf(errOut, "skipping unreadable record %s\n", re)
					continue
				}
				return err
			}
			if o.id == "" || d.ID == o.id {
				docs = append(docs, d)
				if o.id != "" {
					break
				}
			}
		}
		if len(docs) == 0 {
			return fmt.Errorf("%s: no document found%s", o.input, map[bool]string{true: " with id " + o.id}[o.id != ""])
		}
	case o.text != "":
		text := o.text
		if text == "-" {
			b, err := io.ReadAll(stdin)
			if err != nil {
				return err
			}
			text = string(b)
		}
		docs = append(docs, &saring.Document{ID: "text", Text: text, Source: saring.Source{File: "argument"}})
	default:
		return fmt.Errorf("give a TEXT argument, '-' for standard input, or -i FILE")
	}
	tmp, err := os.MkdirTemp("", "saring-explain-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cfg.Output.Dir = tmp
	steps, err := pipeline.BuildSteps(cfg, reg, filepath.Join(tmp, ".work"))
	if err != nil {
		return err
	}
	defer closeSteps(steps)
	for _, d := range docs {
		ex, err := pipeline.Explain(ctx, steps, d)
		if err != nil {
			return err
		}
		if o.asJSON {
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(ex); err != nil {
				return err
			}
			continue
		}
		printExplanation(out, ex)
	}
	return nil
}

func explainConfig(file, stepsFlag string, reg *saring.Registry) (*pipeline.Config, error) {
	if file != "" {
		c, err := pipeline.LoadFile(file, reg)
		if err != nil || stepsFlag == "" {
			return c, err
		}
		c.Steps, err = pipeline.StepsFromNames(strings.Split(stepsFlag, ","), reg)
		return c, err
	}
	c := pipeline.Defaults()
	var err error
	if stepsFlag != "" {
		c.Steps, err = pipeline.StepsFromNames(strings.Split(stepsFlag, ","), reg)
	} else {
		c.Steps, err = pipeline.DefaultSteps(reg)
	}
	return &c, err
}

func printExplanation(w io.Writer, ex *pipeline.Explanation) {
	fmt.Fprintf(w, "document %s (%s)\n", ex.ID, ex.Source)
	for i, s := range ex.Steps {
		mark := ""
		if s.AfterDrop {
			mark = "  (after removal; for information)"
		}
		line := fmt.Sprintf("[%d] %s: %s", i+1, s.Step, s.Outcome)
		if s.Reason != "" {
			line += " — " + s.Reason
		}
		if s.Message != "" && s.Message != s.Reason {
			line += ": " + s.Message
		}
		if s.CharsAfter != s.CharsBefore {
			line += fmt.Sprintf("  (%d → %d chars)", s.CharsBefore, s.CharsAfter)
		}
		if s.Note != "" {
			line += "  (" + s.Note + ")"
		}
		fmt.Fprintln(w, line+mark)
		for _, c := range s.Checks {
			verdict := "pass"
			if !c.Pass {
				verdict = "FAIL"
			}
			note := ""
			if c.Note != "" {
				note = "  " + c.Note
			}
			fmt.Fprintf(w, "      %-4s %-34s %12.4g  %-2s %-10.4g%s\n", verdict, c.Rule, c.Value, c.Op, c.Threshold, note)
		}
		for j, l := range s.RemovedLines {
			if j == 12 {
				fmt.Fprintf(w, "      ... and %d more lines removed\n", len(s.RemovedLines)-j)
				break
			}
			fmt.Fprintf(w, "      - %s\n", ellipsis(l, 100))
		}
	}
	verdict := "KEPT"
	if ex.RemovedBy != "" {
		verdict = "REMOVED by " + ex.RemovedBy
	}
	fmt.Fprintf(w, "verdict: %s\n\n", verdict)
}

func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
