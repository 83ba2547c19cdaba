package main

import (
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

func newExplainCommand(g *globalOptions, reg *saring.Registry) *cobra.Command {
	var input, pipelineFile, stepsFlag, id, format, textKey, idKey string
	var limit int
	var asJSON bool
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
			cfg, err := explainConfig(pipelineFile, stepsFlag, reg)
			if err != nil {
				return err
			}
			// The documents are read as the run reads them: the pipeline
			// file's input section, then the flags given.
			f := cmd.Flags()
			for _, o := range []struct {
				flag string
				dst  *string
				val  string
			}{{"input-format", &cfg.Input.Format, format}, {"text-key", &cfg.Input.TextKey, textKey}, {"id-key", &cfg.Input.IDKey, idKey}} {
				if f.Changed(o.flag) {
					*o.dst = o.val
				}
			}
			var docs []*saring.Document
			switch {
			case input != "":
				if len(args) > 0 {
					return fmt.Errorf("give either -i FILE or TEXT, not both")
				}
				rd, err := formats.Open(input, cfg.Input.ReadOptions(0), nil)
				if err != nil {
					return err
				}
				defer rd.Close()
				for len(docs) < limit || id != "" {
					d, err := rd.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						if re, ok := formats.AsRecordError(err); ok {
							fmt.Fprintf(cmd.ErrOrStderr(), "skipping unreadable record %s\n", re)
							continue
						}
						return err
					}
					if id == "" || d.ID == id {
						docs = append(docs, d)
						if id != "" {
							break
						}
					}
				}
				if len(docs) == 0 {
					return fmt.Errorf("%s: no document found%s", input, map[bool]string{true: " with id " + id}[id != ""])
				}
			case len(args) == 1:
				text := args[0]
				if text == "-" {
					b, err := io.ReadAll(os.Stdin)
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
			out := cmd.OutOrStdout()
			for _, d := range docs {
				ex, err := pipeline.Explain(cmd.Context(), steps, d)
				if err != nil {
					return err
				}
				if asJSON {
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
		},
	}
	f := cmd.Flags()
	f.StringVarP(&input, "input", "i", "", "explain the documents of this file")
	f.StringVar(&pipelineFile, "pipeline", "", "pipeline file whose steps to use (default: the default pipeline)")
	f.StringVar(&stepsFlag, "steps", "", "comma-separated steps to use instead")
	f.StringVar(&id, "id", "", "with -i: the id of the document to explain")
	f.IntVar(&limit, "limit", 1, "with -i: how many documents to explain")
	f.StringVar(&format, "input-format", "auto", "input format: auto, jsonl, text, parquet, warc or wet")
	f.StringVar(&textKey, "text-key", "text", "JSONL key or Parquet column of the text (default: the pipeline file's input.text_key)")
	f.StringVar(&idKey, "id-key", "id", "JSONL key or Parquet column of the id (default: the pipeline file's input.id_key)")
	f.BoolVar(&asJSON, "json", false, "print JSON, one object per document")
	return cmd
}

func explainConfig(file, stepsFlag string, reg *saring.Registry) (*pipeline.Config, error) {
	if file != "" {
		return pipeline.LoadFile(file, reg)
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
