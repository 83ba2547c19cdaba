package filters

import "github.com/saring/saring"

// Register adds the filter steps to r. Each file registers its own steps.
func Register(r *saring.Registry) {
	registerGopher(r)
	registerC4(r)
	registerFineweb(r)
	registerLength(r)
	registerURL(r)
}
