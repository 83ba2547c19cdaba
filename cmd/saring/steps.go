package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/pipeline"
)

func newStepsCommand(reg *saring.Registry) *cobra.Command {
	var asJSON, showDefault bool
	cmd := &cobra.Command{
		Use:   "steps [NAME...]",
		Short: "List every step with its options, defaults and documentation",
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if showDefault {
				fmt.Fprint(out, pipeline.DefaultYAML())
				return nil
			}
			names := args
			if len(names) == 0 {
				names = reg.Names()
			}
			type stepDoc struct {
				Name    string               `json:"name"`
				Doc     string               `json:"doc"`
				Corpus  bool                 `json:"corpus,omitempty"`
				Options []pipeline.OptionDoc `json:"options"`
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
			if asJSON {
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
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.Flags().BoolVar(&showDefault, "default", false, "print the default pipeline")
	return cmd
}
