package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestParseData reads a map literal shaped like go-trafilatura's data.go.
func TestParseData(t *testing.T) {
	src := `package main

var other = map[string]int{"x": 1}

var comparisonData = map[string]ComparisonEntry{
	"https://a.example/1": {
		File:    "a.html",
		Title:   "ignored",
		With:    []string{"first", "sec" + "ond", ` + "`raw`" + `},
		Without: []string{"Impressum"},
	},
	"https://b.example/2": {File: "b.html", With: []string{"\u00e4"}},
}
`
	path := filepath.Join(t.TempDir(), "data.go")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := parseData(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []entry{
		{URL: "https://a.example/1", File: "a.html", With: []string{"first", "second", "raw"}, Without: []string{"Impressum"}},
		{URL: "https://b.example/2", File: "b.html", With: []string{"ä"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}

	bad := filepath.Join(t.TempDir(), "bad.go")
	os.WriteFile(bad, []byte("package main\nvar comparisonData = map[string]ComparisonEntry{\"u\": {With: []string{\"x\"}}}\n"), 0o644)
	if _, err := parseData(bad); err == nil {
		t.Error("an entry without File was accepted")
	}
}

// TestEvaluate follows trafilatura's evaluateEntry, empty text included.
func TestEvaluate(t *testing.T) {
	e := &entry{With: []string{"alpha", "beta", "gamma"}, Without: []string{"menu", "cookie"}}
	for _, c := range []struct {
		text string
		want counts
	}{
		{"alpha and beta, then the menu", counts{TP: 2, FN: 1, FP: 1, TN: 1}},
		{"", counts{FN: 3, TN: 2}},
		{"alpha beta gamma", counts{TP: 3, TN: 2}},
	} {
		if got := evaluate(e, c.text); got != c.want {
			t.Errorf("%q: got %+v, want %+v", c.text, got, c.want)
		}
	}
	p, r, f := counts{TP: 3, FN: 1, FP: 1, TN: 5}.prf()
	if p != 0.75 || r != 0.75 || f != 0.75 {
		t.Errorf("prf %v %v %v", p, r, f)
	}
}

func TestHTMLLang(t *testing.T) {
	for page, want := range map[string]string{
		`<!doctype html><html lang="de-DE"><body>x`:         "de",
		`<html xml:lang="fr" lang="EN_us">`:                 "en",
		`<html><head><title>t</title></head><body lang=es>`: "",
		`<p>text first</p><html lang="pl">`:                 "pl",
		``:                                                  "",
	} {
		if got := htmlLang(page); got != want {
			t.Errorf("%q: got %q, want %q", page, got, want)
		}
	}
}

// FuzzHTMLLang: any page gives a lower-case tag without a region.
//
//	go test ./bench/extract/trafeval -run '^$' -fuzz FuzzHTMLLang -fuzztime 30s
func FuzzHTMLLang(f *testing.F) {
	f.Add(`<html lang="de-DE">`)
	f.Add(`<html xml:lang="fr">`)
	f.Fuzz(func(t *testing.T, page string) {
		l := htmlLang(page)
		for _, c := range l {
			if c == '-' || c == '_' || (c >= 'A' && c <= 'Z') {
				t.Fatalf("%q -> %q", page, l)
			}
		}
	})
}
