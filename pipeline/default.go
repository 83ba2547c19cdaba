package pipeline

import (
	_ "embed"
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/saring/saring"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultSteps returns the default pipeline's steps, leaving out those this
// registry lacks. Options a step does not know are an error in saring.
func DefaultSteps(reg *saring.Registry) ([]StepConfig, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(defaultYAML, &root); err != nil {
		return nil, err
	}
	steps := root.Content[0].Content[1]
	avail := &yaml.Node{Kind: yaml.SequenceNode}
	for _, item := range steps.Content {
		name := item.Value
		if item.Kind == yaml.MappingNode {
			name = item.Content[0].Value
		}
		if _, ok := reg.Lookup(name); ok {
			avail.Content = append(avail.Content, item)
		}
	}
	d := &decoder{file: "default pipeline"}
	out := d.decodeSteps(avail, reg)
	if len(d.errs) > 0 {
		return nil, fmt.Errorf("the built-in default pipeline is invalid (a bug): %w", d.errs)
	}
	return out, nil
}

// DefaultYAML is the default pipeline's text, for `saring steps --default`.
func DefaultYAML() string { return string(defaultYAML) }
