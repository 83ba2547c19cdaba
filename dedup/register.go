package dedup

import (
	"fmt"

	"github.com/saring/saring"
)

// Register adds this package's steps to r.
func Register(r *saring.Registry) {
	r.Register(saring.Spec{
		Name:    "exact_dedup",
		Doc:     "drop documents whose normalized text equals an earlier document's (128-bit hash); keeps the first by input position",
		Options: func() any { return DefaultExactOptions() },
		New: func(opts any, env saring.Env) (saring.Step, error) {
			o, ok := opts.(*ExactOptions)
			if !ok {
				return nil, fmt.Errorf("exact_dedup: options of type %T", opts)
			}
			return NewExact(*o), nil
		},
	})
	r.Register(saring.Spec{
		Name:    "url_dedup",
		Doc:     "drop documents whose normalized URL (case, default ports, fragments, trailing slash, utm_* and other tracking parameters) was seen before",
		Options: func() any { return DefaultURLOptions() },
		New: func(opts any, env saring.Env) (saring.Step, error) {
			o, ok := opts.(*URLOptions)
			if !ok {
				return nil, fmt.Errorf("url_dedup: options of type %T", opts)
			}
			if err := o.Validate(); err != nil {
				return nil, err
			}
			return NewURL(*o), nil
		},
	})
	r.Register(saring.Spec{
		Name:    "minhash",
		Doc:     "drop near-duplicate documents (MinHash LSH over word or character shingles, verified, clustered); keeps one per cluster",
		Options: func() any { return DefaultMinhashOptions() },
		New: func(opts any, env saring.Env) (saring.Step, error) {
			o, ok := opts.(*MinhashOptions)
			if !ok {
				return nil, fmt.Errorf("minhash: options of type %T", opts)
			}
			return NewMinhash(*o, env)
		},
	})
	r.Register(saring.Spec{
		Name:    "line_dedup",
		Doc:     "remove lines (or paragraphs) found in many documents of the corpus or site, as CCNet does; drop documents left too short",
		Options: func() any { return DefaultLineOptions() },
		New: func(opts any, env saring.Env) (saring.Step, error) {
			o, ok := opts.(*LineOptions)
			if !ok {
				return nil, fmt.Errorf("line_dedup: options of type %T", opts)
			}
			return NewLineDedup(*o, env)
		},
	})
}
