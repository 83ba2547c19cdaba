package extract

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzExtract runs extraction on arbitrary HTML: no panic escapes, the text
// is valid UTF-8 made of non-empty lines.
//
//	go test ./extract -run '^$' -fuzz FuzzExtract -fuzztime 60s
func FuzzExtract(f *testing.F) {
	for _, p := range examplePages(f) {
		f.Add(p.html)
	}
	f.Add("<table><tr><td>a<td>b<tr><td><ul><li>x</table>")
	f.Add("<pre>  a\n\n  b</pre><p>x<br><br>y</p>")
	f.Add("<a href=javascript:x>j</a><a href=#top>t</a><svg><text>no</text></svg>")
	e, _ := New(DefaultOptions(), 1)
	lo := DefaultOptions()
	lo.IncludeLinks, lo.IncludeComments, lo.IncludeTitle = true, true, true
	el, _ := New(lo, 1)
	f.Fuzz(func(t *testing.T, page string) {
		for _, ex := range []*Extractor{e, el} {
			res, err := ex.Extract(page, "https://example.com/")
			if err != nil {
				continue
			}
			if !utf8.ValidString(res.Text) && utf8.ValidString(page) {
				t.Fatalf("invalid UTF-8 out of valid input")
			}
			for _, l := range strings.Split(res.Text, "\n") {
				if res.Text != "" && strings.TrimSpace(l) == "" {
					t.Fatalf("empty line in %q", res.Text)
				}
			}
		}
		if root, err := html.Parse(strings.NewReader(page)); err == nil {
			renderText(root, true)
		}
	})
}
