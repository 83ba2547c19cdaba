package dedup

import (
	"github.com/saring/saring"
	"github.com/zeebo/xxh3"
)

// ExactOptions configures exact_dedup.
type ExactOptions struct {
	Lowercase          bool `yaml:"lowercase" doc:"compare case-insensitively"`
	CollapseWhitespace bool `yaml:"collapse_whitespace" doc:"treat every run of spaces, tabs and newlines as one space, and ignore leading and trailing space"`
	StripPunctuation   bool `yaml:"strip_punctuation" doc:"ignore punctuation and symbols"`
	ReplaceDigits      bool `yaml:"replace_digits" doc:"treat every digit as 0 (dates, counters and prices then do not matter)"`
}

// DefaultExactOptions returns the documented defaults.
func DefaultExactOptions() ExactOptions {
	return ExactOptions{Lowercase: true, CollapseWhitespace: true}
}

// NewExact builds exact_dedup: documents whose normalized text has the same
// 128-bit hash (xxh3-128) as an earlier document are dropped with reason
// exact_duplicate and metadata duplicate_of. Documents whose normalized text
// is empty are left alone (empty documents are a filter's business).
// State: one entry per distinct text, in memory.
func NewExact(o ExactOptions) *KeyDedup {
	norm := TextNorm(o)
	return &KeyDedup{
		name: "exact_dedup", reason: "exact_duplicate", what: "text",
		seen: newFirstSeen(),
		key: func(doc *saring.Document) ([2]uint64, bool) {
			bp := bufPool.Get().(*[]byte)
			b := norm.appendNorm((*bp)[:0], doc.Text)
			h := xxh3.Hash128(b)
			*bp = b
			bufPool.Put(bp)
			return [2]uint64{h.Lo, h.Hi}, len(b) > 0
		},
	}
}
