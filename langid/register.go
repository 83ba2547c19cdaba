// Package langid holds the steps built on fastText models: language (which
// language a document is in, with datatrove's LanguageFilter semantics and
// Indonesian/Malay disambiguation) and fasttext_classifier (any fastText
// model's label and score, e.g. a quality classifier).
package langid

import "github.com/saring/saring"

// Register adds this package's steps to r.
func Register(r *saring.Registry) {
	registerLanguage(r)
	registerClassifier(r)
}
