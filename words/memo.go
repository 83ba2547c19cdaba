package words

import "github.com/saring/saring"

// memoKey names a word split of a document's text under one rule set.
type memoKey struct{ rules string }

// Of returns the words of doc's text for lang (see Split), splitting it once
// for as long as the text stays the same: the filters that run one after
// another on a document share the split, which is most of their cost. The
// slice is shared: do not modify it.
func Of(doc *saring.Document, lang string) []string {
	return doc.Memo(memoKey{RuleSet(lang)}, func(text string) any {
		return For(lang).Words(text)
	}).([]string)
}
