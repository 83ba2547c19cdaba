package formats

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWARCExamplePages reads examples/pages.warc.gz (built by
// `go run ./examples/pages/mkwarc`) and checks every page comes back as
// served: right URL, text equal to the page file decoded to UTF-8.
func TestWARCExamplePages(t *testing.T) {
	data, err := os.ReadFile("../examples/pages.warc.gz")
	if err != nil {
		t.Fatalf("%v (run: go run ./examples/pages/mkwarc)", err)
	}
	docs, errs, skipped := readWARCAll(t, "pages.warc.gz", data)
	if len(errs) > 0 {
		t.Fatalf("record errors: %v", errs)
	}
	files, _ := filepath.Glob("../examples/pages/*.html")
	if len(docs) != len(files) {
		t.Fatalf("got %d documents, want %d (one per page)", len(docs), len(files))
	}
	byName := map[string]string{}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		byName[filepath.Base(f)] = DecodeHTML(b, "").Text
	}
	for _, d := range docs {
		url, _ := d.Lookup("url")
		slug := url[strings.LastIndexByte(url, '/')+1:]
		found := false
		for name, text := range byName {
			if pageSlugMatches(name, slug) {
				found = true
				if d.Text != text {
					t.Errorf("%s: text differs from %s", url, name)
				}
			}
		}
		if !found {
			t.Errorf("no page file for %s", url)
		}
		if !strings.Contains(d.Text, "<html") || d.Metadata["charset_errors"] != 0 {
			t.Errorf("%s: text or charset wrong: errors=%v", url, d.Metadata["charset_errors"])
		}
	}
	want := "map[http_status_404:1 not_html:2 warc_request:7 warc_warcinfo:1]"
	if got := fmt.Sprint(skipped); got != want {
		t.Errorf("skipped %s, want %s", got, want)
	}
}

// pageSlugMatches pairs a page file with its URL by their shared words
// (mkwarc names URLs after the story).
func pageSlugMatches(name, slug string) bool {
	key := map[string]string{
		"id-banjir-demak.html": "banjir-demak", "id-harga-cabai.html": "harga-cabai",
		"id-literasi-digital.html": "literasi-digital", "en-coral-survey.html": "coral-recovery",
		"en-badminton-final.html": "doubles-final", "en-cafe-prices.html": "coffee-prices",
	}[name]
	return key != "" && strings.Contains(slug, key)
}
