package extract

import (
	"github.com/saring/saring"
)

// Register adds this package's steps to r.
func Register(r *saring.Registry) {
	r.Register(saring.NewSpec(StepName,
		"HTML pages (metadata content_format \"html\", e.g. from WARC) to their main text with go-trafilatura, readability as fallback",
		func() Options { return DefaultOptions() },
		func(o Options, env saring.Env) (*Extractor, error) { return New(o, env.Workers) }))
}
