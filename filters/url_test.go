package filters

import (
	"context"
	"strings"
	"testing"

	"github.com/saring/saring"
)

func urlTestStep(t testing.TB) saring.Step { return urlTestFilter(t, "error") }

// urlTestFilter is url_filter with the test lists and missing_url set.
func urlTestFilter(t testing.TB, missing string) *URLFilter {
	t.Helper()
	o := DefaultURLFilterOptions()
	o.DomainsFile = "testdata/url/domains.txt"
	o.URLsFile = "testdata/url/urls.txt"
	o.BannedWordsFile = "testdata/url/banned_words.txt"
	o.SoftBannedWordsFile = "testdata/url/soft_banned_words.txt"
	o.BannedSubwordsFile = "testdata/url/banned_subwords.txt"
	o.MissingURL = missing
	st, err := NewURLFilter(o)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestURLFilter(t *testing.T) {
	st := urlTestStep(t)
	tests := []struct{ url, reason string }{
		{"https://www.antaranews.com/berita/123/presiden-resmikan-jembatan", ""},
		{"https://www.example-bad.com/news", "domain"},
		{"http://example-bad.com", "domain"},
		{"http://user:pw@example-bad.com:8080/x?y#z", "domain"},
		{"example-bad.com/path", "domain"}, // no scheme
		{"//example-bad.com/path", "domain"},
		{"https://Example-Bad.com/", ""}, // tldextract keeps the case; the list is matched as is
		{"https://example-bad.com./", "domain"},
		{"https://sub.blocked.co.uk/page", "subdomain"},
		{"https://blocked.co.uk/page", ""},
		{"https://a.sub.blocked.co.uk/page", ""},                     // only the full host is looked up
		{"https://someone.blogspot.com/2020/01/post.html", "domain"}, // ICANN suffixes only: blogspot.com is the registered domain
		{"https://spaced.example.net/", "subdomain"},
		{"https://example.org/bad-page", "url"},
		{"https://example.org/bad-page/", ""},
		{"https://news.example.org/casino-night", "hard_blacklisted"},
		{"https://news.example.org/CASINO-night", ""}, // URL words keep their case
		{"https://news.example.org/poker-room", ""},   // "pokerroom" after normalization: never a URL word
		{"https://news.example.org/pokerroom/", "hard_blacklisted"},
		{"http://192.168.0.1/casino", "hard_blacklisted"},
		{"https://shop.example.org/free-bonus", "soft_blacklisted"},
		{"https://shop.example.org/free-free-gift", ""}, // distinct words count
		{"https://shop.example.org/free/slot/bonus", "soft_blacklisted"},
		{"https://situsjudionline.net/", "blacklisted_subword"},
		{"https://example.org/Ju-Di", "blacklisted_subword"}, // normalized: lower-case, no separators
		{"https://example.org/x-x-x", "blacklisted_subword"},
		{"https://localhost:8080/", ""},
	}
	for _, tt := range tests {
		res, _ := c4TestRun(t, st, "text", map[string]any{"url": tt.url})
		if res.Reason != tt.reason || (tt.reason == "") != (res.Outcome == saring.Keep) {
			t.Errorf("%s: got %v %q (%s), want %q", tt.url, res.Outcome, res.Reason, res.Message, tt.reason)
		}
		checks, err := st.(saring.Explainer).Explain(context.Background(), &saring.Document{Metadata: map[string]any{"url": tt.url}})
		if err != nil {
			t.Fatal(err)
		}
		first := ""
		for _, c := range checks {
			if !c.Pass && first == "" {
				first = c.Rule
			}
		}
		if first != tt.reason {
			t.Errorf("%s: Explain's first failing rule %q", tt.url, first)
		}
	}
}

func TestURLFilterFieldAndMissing(t *testing.T) {
	o := DefaultURLFilterOptions()
	o.Domains = []string{"example-bad.com"}
	st, _ := NewURLFilter(o)
	doc := &saring.Document{Text: "x", Fields: []saring.Field{{Key: "url", Value: []byte(`"https://example-bad.com/a"`)}}}
	if res, err := st.Process(context.Background(), doc); err != nil || res.Reason != "domain" {
		t.Errorf("url from an input field: %v %v", res, err)
	}
	if _, err := st.Process(context.Background(), &saring.Document{Text: "x"}); err == nil || !strings.Contains(err.Error(), "missing_url") {
		t.Errorf("missing url: want an error naming missing_url, got %v", err)
	}
	o.MissingURL = "drop"
	st, _ = NewURLFilter(o)
	if res, _ := st.Process(context.Background(), &saring.Document{Text: "x"}); res.Reason != "missing_url" {
		t.Errorf("missing_url drop: %v", res)
	}
	o.MissingURL = "keep"
	o.URLField = "link"
	st, _ = NewURLFilter(o)
	if res, _ := st.Process(context.Background(), &saring.Document{Text: "x", Metadata: map[string]any{"url": "https://example-bad.com"}}); res.Outcome != saring.Keep {
		t.Errorf("url_field link: %v", res)
	}
}

func TestURLFilterValidate(t *testing.T) {
	for _, tt := range []struct {
		mod   func(*URLFilterOptions)
		field string
	}{
		{func(o *URLFilterOptions) {}, "domains_file"},
		{func(o *URLFilterOptions) { o.Domains = []string{"a.com"}; o.SoftWordThreshold = 0 }, "soft_word_threshold"},
		{func(o *URLFilterOptions) { o.Domains = []string{"a.com"}; o.MissingURL = "skip" }, "missing_url"},
		{func(o *URLFilterOptions) { o.Domains = []string{"a.com"}; o.URLField = "" }, "url_field"},
		{func(o *URLFilterOptions) { o.DomainsFile = "testdata/url/nope.txt" }, "domains_file"},
		{func(o *URLFilterOptions) { o.BannedWordsFile = "testdata/url/nope.txt" }, "banned_words_file"},
	} {
		o := DefaultURLFilterOptions()
		tt.mod(&o)
		_, err := NewURLFilter(o)
		if fe, ok := err.(*saring.FieldError); !ok || fe.Field != tt.field {
			t.Errorf("got %v, want a FieldError on %s", err, tt.field)
		}
	}
}

func TestURLDomains(t *testing.T) {
	for _, tt := range []struct{ url, reg, fqdn string }{
		{"http://forums.news.cnn.com/", "cnn.com", "forums.news.cnn.com"},
		{"http://forums.bbc.co.uk/", "bbc.co.uk", "forums.bbc.co.uk"},
		{"http://www.worldbank.org.kg/", "worldbank.org.kg", "www.worldbank.org.kg"},
		{"https://babel.antaranews.com/berita/x", "antaranews.com", "babel.antaranews.com"},
		{"https://www.detik.co.id/", "detik.co.id", "www.detik.co.id"},
		{"https://waiterrant.blogspot.com", "blogspot.com", "waiterrant.blogspot.com"},
		{"http://localhost:8080", "", ""},
		{"http://127.0.0.1/x", "", ""},
		{"http://[2001:db8::1]/x", "", ""},
		{"http://co.uk/", "", ""},
		{"http://a..com/", "", ""},
		{"https://münchen.de/x", "münchen.de", "münchen.de"},
		{"https://www.食狮.中国/", "食狮.中国", "www.食狮.中国"},
		{"http://example。com/", "example.com", "example.com"},
		{"mailto:someone@example.com", "example.com", "example.com"},
		{"", "", ""},
	} {
		reg, fqdn := urlDomains(tt.url)
		if reg != tt.reg || fqdn != tt.fqdn {
			t.Errorf("%q: got %q %q, want %q %q", tt.url, reg, fqdn, tt.reg, tt.fqdn)
		}
	}
}

func TestURLSplitWords(t *testing.T) {
	var got []string
	urlSplitWords("https://a.b/c--D9/", func(w string) { got = append(got, w) })
	if strings.Join(got, "|") != "https|a|b|c|D9|" {
		t.Errorf("got %q", got)
	}
	got = nil
	urlSplitWords("", func(w string) { got = append(got, w) })
	if len(got) != 1 || got[0] != "" {
		t.Errorf("empty: got %q", got)
	}
}

func TestURLParseList(t *testing.T) {
	if got := urlParseList("# c\n Foo-Bar \n---\nx\n", true); strings.Join(got, "|") != "foobar|x" {
		t.Errorf("words: %q", got)
	}
	if got := urlParseList("# c\n Foo.com \n\n#x.com\n", false); strings.Join(got, "|") != "Foo.com" {
		t.Errorf("domains: %q", got)
	}
}

func FuzzURLParseList(f *testing.F) {
	for _, s := range []string{"a.com\n#b\n", " x \r\n", "---\n", "Ünïcode\n"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, normalize bool) {
		for _, e := range urlParseList(s, normalize) {
			if e == "" || strings.Contains(e, "\n") {
				t.Fatalf("bad entry %q", e)
			}
			if normalize && urlNormalize(e) != e {
				t.Fatalf("entry %q not normalized", e)
			}
		}
	})
}

func FuzzURLDomains(f *testing.F) {
	for _, s := range []string{"http://a.b.co.uk/x", "//x.com", "a@b@c.com:80", "[::1]", "http://食狮.中国", "xn--85x722f.xn--fiqs8s", ".", "a..b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		reg, fqdn := urlDomains(s)
		if (reg == "") != (fqdn == "") || !strings.HasSuffix(fqdn, reg) {
			t.Fatalf("%q: registered %q, fqdn %q", s, reg, fqdn)
		}
	})
}

func BenchmarkURLFilter(b *testing.B) {
	c4Bench(b, urlTestStep(b))
}
