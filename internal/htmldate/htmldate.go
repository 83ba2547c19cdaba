// Package htmldate finds the publication date of a web page: in its meta
// tags, <time> elements, JSON-LD, or its URL. It is saring's stand-in for
// the go-htmldate package that go-trafilatura imports, with the same types
// and entry point, and without a general natural-language date parser.
package htmldate

import (
	"errors"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// Options mirror the fields of go-htmldate's options that callers set.
type Options struct {
	ExtractTime         bool
	UseOriginalDate     bool // prefer the publication date over a modification date
	URL                 string
	MinDate             time.Time
	MaxDate             time.Time
	SkipExtensiveSearch bool
	EnableLog           bool
}

// Result is an extracted date.
type Result struct {
	DateTime    time.Time
	HasTime     bool
	HasTimezone bool
	SrcString   string
}

// IsZero reports whether no date was found.
func (r Result) IsZero() bool { return r.DateTime.IsZero() }

var (
	publishedKeys = map[string]bool{
		"article:published_time": true, "datepublished": true, "pubdate": true, "publishdate": true,
		"publish-date": true, "published-date": true, "publication_date": true, "date": true,
		"dc.date": true, "dc.date.issued": true, "dcterms.date": true, "dcterms.created": true,
		"dcterms.issued": true, "sailthru.date": true, "parsely-pub-date": true, "article.published": true,
		"og:published_time": true, "citation_publication_date": true, "release_date": true,
	}
	modifiedKeys = map[string]bool{
		"article:modified_time": true, "og:updated_time": true, "datemodified": true,
		"dcterms.modified": true, "last-modified": true, "lastmod": true,
	}
	jsonLDDate = regexp.MustCompile(`"date(Published|Created|Modified)"\s*:\s*"([^"]{8,40})"`)
	urlDate    = regexp.MustCompile(`(?:^|[/_-])((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)
)

var layouts = []struct {
	layout        string
	time, hasZone bool
}{
	{time.RFC3339Nano, true, true},
	{"2006-01-02T15:04:05Z0700", true, true},
	{"2006-01-02T15:04:05-07:00", true, true},
	{"2006-01-02T15:04:05", true, false},
	{"2006-01-02T15:04", true, false},
	{"2006-01-02 15:04:05 -0700", true, true},
	{"2006-01-02 15:04:05", true, false},
	{"2006-01-02 15:04", true, false},
	{time.RFC1123Z, true, true},
	{time.RFC1123, true, true},
	{"2006-01-02", false, false},
	{"2006/01/02", false, false},
	{"2006.01.02", false, false},
	{"20060102", false, false},
	{"January 2, 2006", false, false},
	{"Jan 2, 2006", false, false},
	{"2 January 2006", false, false},
	{"02 Jan 2006", false, false},
}

func parse(s string) (Result, bool) {
	s = strings.TrimSpace(s)
	for _, l := range layouts {
		if len(s) < len("20060102") {
			break
		}
		if t, err := time.Parse(l.layout, s); err == nil {
			return Result{DateTime: t, HasTime: l.time, HasTimezone: l.hasZone, SrcString: s}, true
		}
	}
	return Result{}, false
}

func (o Options) plausible(r Result) bool {
	min := o.MinDate
	if min.IsZero() {
		min = time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	max := o.MaxDate
	if max.IsZero() {
		max = time.Now().AddDate(1, 0, 0)
	}
	return !r.DateTime.Before(min) && !r.DateTime.After(max)
}

// FromDocument returns the page's publication date, or an error when none is found.
func FromDocument(doc *html.Node, opts Options) (Result, error) {
	if doc == nil {
		return Result{}, errors.New("document is empty")
	}
	var published, modified, timeTag, jsonLD Result
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "meta":
				key := strings.ToLower(attr(n, "property") + attr(n, "name") + attr(n, "itemprop") + attr(n, "http-equiv"))
				if r, ok := parse(attr(n, "content")); ok && opts.plausible(r) {
					if publishedKeys[key] && published.IsZero() {
						published = r
					} else if modifiedKeys[key] && modified.IsZero() {
						modified = r
					}
				}
			case "time":
				if r, ok := parse(attr(n, "datetime")); ok && opts.plausible(r) && timeTag.IsZero() {
					timeTag = r
				}
			case "script":
				if strings.Contains(attr(n, "type"), "ld+json") && n.FirstChild != nil {
					for _, m := range jsonLDDate.FindAllStringSubmatch(n.FirstChild.Data, -1) {
						if r, ok := parse(m[2]); ok && opts.plausible(r) && (jsonLD.IsZero() || m[1] == "Published") {
							jsonLD = r
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	candidates := []Result{published, jsonLD, timeTag}
	if !opts.UseOriginalDate {
		candidates = []Result{modified, published, jsonLD, timeTag}
	} else {
		candidates = append(candidates, modified)
	}
	for _, r := range candidates {
		if !r.IsZero() {
			return r, nil
		}
	}
	if m := urlDate.FindStringSubmatch(opts.URL); m != nil {
		if r, ok := parse(m[1] + "-" + m[2] + "-" + m[3]); ok && opts.plausible(r) {
			r.SrcString = m[0]
			return r, nil
		}
	}
	return Result{}, errors.New("no date found")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
