package dedup

import (
	"github.com/saring/saring"
	"github.com/zeebo/xxh3"
)

// URLOptions configures url_dedup.
type URLOptions struct {
	Field        string `yaml:"field" doc:"metadata or input field holding the URL"`
	IgnoreScheme bool   `yaml:"ignore_scheme" doc:"treat http:// and https:// as the same page"`
	StripWWW     bool   `yaml:"strip_www" doc:"treat www.example.com and example.com as the same host"`
}

// DefaultURLOptions returns the documented defaults.
func DefaultURLOptions() URLOptions {
	return URLOptions{Field: "url", IgnoreScheme: true, StripWWW: true}
}

// Validate checks option values.
func (o *URLOptions) Validate() error {
	if o.Field == "" {
		return &saring.FieldError{Field: "field", Msg: "must name the URL field"}
	}
	return nil
}

// NewURL builds url_dedup: documents whose normalized URL (NormalizeURL) was
// seen on an earlier document are dropped with reason url_duplicate and
// metadata duplicate_of. Documents without a URL are kept.
func NewURL(o URLOptions) *KeyDedup {
	return &KeyDedup{
		name: "url_dedup", reason: "url_duplicate", what: "URL",
		seen: newFirstSeen(),
		key: func(doc *saring.Document) ([2]uint64, bool) {
			u, ok := doc.Lookup(o.Field)
			if !ok || u == "" {
				return [2]uint64{}, false
			}
			h := xxh3.HashString128(NormalizeURL(u, o.IgnoreScheme, o.StripWWW))
			return [2]uint64{h.Lo, h.Hi}, true
		},
	}
}
