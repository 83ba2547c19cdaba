package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/saring/saring/formats"
)

// page is one example page with the article text a person would keep.
type page struct {
	name, html, want string
}

func examplePages(t testing.TB) []page {
	t.Helper()
	files, err := filepath.Glob("../examples/pages/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example pages in ../examples/pages: %v", err)
	}
	var pages []page
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".html") + ".expected.txt")
		if err != nil {
			t.Fatalf("%s has no .expected.txt beside it: %v", f, err)
		}
		// Pages are stored as served (one is windows-1252), as the WARC reader would decode them.
		dec := formats.DecodeHTML(raw, "")
		pages = append(pages, page{filepath.Base(f), dec.Text, string(want)})
	}
	return pages
}

// tokens splits text into lower-cased words (letters and digits).
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// tokenPRF is bag-of-words precision, recall and F1 of got against want,
// counting repeats: a body extracted twice halves the precision.
func tokenPRF(got, want string) (p, r, f float64) {
	counts := map[string]int{}
	wt := tokens(want)
	for _, w := range wt {
		counts[w]++
	}
	gt := tokens(got)
	match := 0
	for _, g := range gt {
		if counts[g] > 0 {
			counts[g]--
			match++
		}
	}
	if len(gt) > 0 {
		p = float64(match) / float64(len(gt))
	}
	if len(wt) > 0 {
		r = float64(match) / float64(len(wt))
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

// TestExtractQuality measures extraction against the hand-written expected
// text of each example page.
//
//	go test ./extract -run ExtractQuality -v
func TestExtractQuality(t *testing.T) {
	e, err := New(DefaultOptions(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var sp, sr, sf float64
	pages := examplePages(t)
	for _, pg := range pages {
		res, err := e.Extract(pg.html, "https://example.com/"+pg.name)
		if err != nil {
			t.Fatalf("%s: %v", pg.name, err)
		}
		p, r, f := tokenPRF(res.Text, pg.want)
		t.Logf("%-28s precision %.3f recall %.3f F1 %.3f (%s)", pg.name, p, r, f, res.Extractor)
		if f < 0.8 {
			t.Errorf("%s: F1 %.3f below 0.8; extracted:\n%s", pg.name, f, res.Text)
		}
		sp, sr, sf = sp+p, sr+r, sf+f
	}
	n := float64(len(pages))
	t.Logf("%-28s precision %.3f recall %.3f F1 %.3f", "mean", sp/n, sr/n, sf/n)
	if sf/n < 0.9 {
		t.Errorf("mean F1 %.3f below 0.9", sf/n)
	}
}

// TestExtractBaselines prints what simpler extractors score on the same
// pages, for comparison: the page's whole visible text and readability alone.
//
//	go test ./extract -run ExtractBaselines -v
func TestExtractBaselines(t *testing.T) {
	pages := examplePages(t)
	for _, b := range []struct {
		name string
		run  func(string) string
	}{
		{"whole page text", wholeText},
		{"readability", readabilityText},
		{"no deduplicate", func(p string) string {
			o := DefaultOptions()
			o.Deduplicate = false
			e, _ := New(o, 1)
			res, _ := e.Extract(p, "https://example.com/")
			return res.Text
		}},
	} {
		var sp, sr, sf float64
		for _, pg := range pages {
			p, r, f := tokenPRF(b.run(pg.html), pg.want)
			sp, sr, sf = sp+p, sr+r, sf+f
		}
		n := float64(len(pages))
		t.Logf("%-16s mean precision %.3f recall %.3f F1 %.3f", b.name, sp/n, sr/n, sf/n)
	}
}
