package extract

import (
	"fmt"

	"github.com/saring/saring"
)

// Register adds this package's steps to r.
func Register(r *saring.Registry) {
	r.Register(saring.Spec{
		Name:    StepName,
		Doc:     "HTML pages (metadata content_format \"html\", e.g. from WARC) to their main text with go-trafilatura, readability as fallback",
		Options: func() any { return DefaultOptions() },
		New: func(opts any, env saring.Env) (saring.Step, error) {
			o, ok := opts.(*Options)
			if !ok {
				return nil, fmt.Errorf("extract: options of type %T, want *extract.Options", opts)
			}
			return New(*o, env.Workers)
		},
	})
}
