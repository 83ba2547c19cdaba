package pipeline

import (
	"fmt"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
)

// metaProblem is a step that reads a metadata key which neither the input
// (input.metadata) nor any step before it provides.
type metaProblem struct {
	step int
	name string
	key  string
}

func (p metaProblem) String() string {
	how := "add a step that writes it before this one"
	if p.key == outdir.MetaLanguage {
		how = "add the language step before it, or name the language (language: en, language_params: none)"
	}
	return fmt.Sprintf("step %s reads metadata.%s, which no step before it writes, so it would judge every document by its fallback: %s; if the input already carries metadata.%s, say so with input.metadata: [%s]",
		p.name, p.key, how, p.key, p.key)
}

// metadataProblems follows the metadata keys through the steps in order.
func metadataProblems(cfg *Config) []metaProblem {
	have := map[string]bool{}
	for _, k := range cfg.Input.Metadata {
		have[k] = true
	}
	var ps []metaProblem
	for i, s := range cfg.Steps {
		if r, ok := s.Options.(saring.MetadataReader); ok {
			for _, k := range r.ReadsMetadata() {
				if !have[k] {
					ps = append(ps, metaProblem{step: i, name: s.Name, key: k})
				}
			}
		}
		if w, ok := s.Options.(saring.MetadataWriter); ok {
			for _, k := range w.WritesMetadata() {
				have[k] = true
			}
		}
	}
	return ps
}
