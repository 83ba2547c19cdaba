package langid

import "github.com/saring/saring"

// Register adds this package's steps to r.
func Register(r *saring.Registry) {
	registerLanguage(r)
	registerClassifier(r)
}
