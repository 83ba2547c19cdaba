package dedup

import (
	"github.com/saring/saring"
)

// Register adds this package's steps to r.
func Register(r *saring.Registry) {
	r.Register(saring.NewSpec("exact_dedup",
		"drop documents whose normalized text equals an earlier document's (128-bit hash); keeps the first by input position",
		func() ExactOptions { return DefaultExactOptions() },
		func(o ExactOptions, _ saring.Env) (saring.CorpusStep, error) { return NewExact(o), nil }))
	r.Register(saring.NewSpec("url_dedup",
		"drop documents whose normalized URL (case, default ports, fragments, trailing slash, utm_* and other tracking parameters) was seen before",
		func() URLOptions { return DefaultURLOptions() },
		func(o URLOptions, _ saring.Env) (saring.CorpusStep, error) { return NewURL(o), nil }))
	r.Register(saring.NewSpec("minhash",
		"drop near-duplicate documents (MinHash LSH over word or character shingles, verified, clustered); keeps one per cluster",
		func() MinhashOptions { return DefaultMinhashOptions() },
		NewMinhash))
	r.Register(saring.NewSpec("line_dedup",
		"remove lines (or paragraphs) found in many documents of the corpus or site, as CCNet does; drop documents left too short",
		func() LineOptions { return DefaultLineOptions() },
		NewLineDedup))
}
