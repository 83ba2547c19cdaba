package dedup

import (
	"encoding/json"
	"testing"

	"github.com/saring/saring"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://Example.COM/a/b/", "http://example.com/a/b"},
		{"http://www.example.com:80/a#frag", "http://example.com/a"},
		{"https://example.com:443/a?utm_source=x&id=3&utm_medium=y", "http://example.com/a?id=3"},
		{"https://example.com/a?b=2&a=1&fbclid=zz", "http://example.com/a?a=1&b=2"},
		{"https://example.com:8080//a//b", "http://example.com:8080/a/b"},
		{"https://example.com", "http://example.com"},
		{"ftp://Example.com/x/", "ftp://example.com/x"},
		{"not a url", "not a url"},
		{"  https://example.com/Path  ", "http://example.com/Path"},
	}
	for _, tc := range tests {
		if got := NormalizeURL(tc.in, true, true); got != tc.want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := NormalizeURL("https://www.example.com/a", false, false); got != "https://www.example.com/a" {
		t.Errorf("strict: %q", got)
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"https://Example.com:443/a/?utm_x=1#f", "http://[::1]:80/", "%zz", "http://a.b/c?d&&e=&", "//x/y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeURL(s, true, true)
		if NormalizeURL(n, true, true) == "" && n != "" {
			t.Errorf("normal form %q of %q normalizes to empty", n, s)
		}
	})
}

func TestURLDedup(t *testing.T) {
	docs := mkdocs("a", "b", "c", "d")
	urls := []string{"https://news.example/x?utm_source=fb", "http://www.news.example/x/", "https://news.example/y", ""}
	for i, u := range urls {
		if u != "" {
			raw, _ := json.Marshal(u)
			docs[i].Fields = []saring.Field{{Key: "url", Value: raw}}
		}
	}
	out := drive(t, NewURL(DefaultURLOptions()), docs, 2, 1)
	want := []saring.Outcome{saring.Keep, saring.Drop, saring.Keep, saring.Keep}
	for i, o := range out {
		if o.Result.Outcome != want[i] {
			t.Errorf("doc %d: %v, want %v", i, o.Result.Outcome, want[i])
		}
	}
	if out[1].Result.Reason != "url_duplicate" || out[1].Meta["duplicate_of"] != docs[0].ID {
		t.Errorf("got %+v %v", out[1].Result, out[1].Meta)
	}
}
