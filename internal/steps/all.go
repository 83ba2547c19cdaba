// Package steps builds the registry of every step saring ships. It is the one
// place that lists them, so adding a step package means adding a line here.
package steps

import (
	"github.com/saring/saring"
	"github.com/saring/saring/decontam"
	"github.com/saring/saring/dedup"
	"github.com/saring/saring/extract"
	"github.com/saring/saring/filters"
	"github.com/saring/saring/langid"
	"github.com/saring/saring/repair"
	"github.com/saring/saring/sample"
	"github.com/saring/saring/tokenize"
)

// All returns a registry holding every step.
func All() *saring.Registry {
	r := saring.NewRegistry()
	extract.Register(r)
	repair.Register(r)
	langid.Register(r)
	filters.Register(r)
	dedup.Register(r)
	tokenize.Register(r)
	decontam.Register(r)
	sample.Register(r)
	return r
}
