package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/pipeline"
)

type stepsOptions struct {
	asJSON      bool
	showDefault bool
	names       []string // "" : every registered step
}

func newStepsCommand(reg *saring.Registry) *cobra.Command {
	o := &stepsOptions{}
	cmd := &cobra.Command{
		Use:   "steps [NAME...]",
		Short: "List every step with its options, defaults and documentation",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.names = args
			return runSteps(reg, o, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", o.asJSON, "print as JSON")
	cmd.Flags().BoolVar(&o.showDefault, "default", o.showDefault, "print the default pipeline")
	return cmd
}

type stepDoc struct {
	Name    string               `json:"name"`
	Doc     string               `json:"doc"`
	Corpus  bool                 `json:"corpus,omitempty"`
	Options []pipeline.OptionDoc `json:"options"`
}

// runSteps documents the steps named (all of them when none is) to out.
func runSteps(reg *saring.Registry, o *stepsOptions, out io.Writer) error {
	if o.showDefault {
		_, err := fmt.Fprint(out, pipeline.DefaultYAML())
		return err
	}
	names := o.names
	if len(names) == 0 {
		names = reg.Names()
	}
	var docs []stepDoc
	for _, n := range names {
		spec, ok := reg.Lookup(n)
		if !ok {
			return fmt.Errorf("unknown step %q (list them with `saring steps`)", n)
		}
		d := stepDoc{Name: n, Doc: spec.Doc}
		if spec.Options != nil {
			d.Options = pipeline.DescribeOptions(spec.Options())
		}
		docs = append(docs, d)
	}
	if o.asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(docs)
	}
	for _, d := range docs {
		fmt.Fprintf(out, "%s\n    %s\n", d.Name, d.Doc)
		for _, o := range d.Options {
			def, _ := json.Marshal(o.Default)
			fmt.Fprintf(out, "    %-28s %-16s default %-12s %s\n", o.Key, o.Type, string(def), o.Doc)
		}
		fmt.Fprintln(out)
	}
	if len(docs) == 0 {
		fmt.Fprintln(out, "no steps registered")
	}
	return nil
}
