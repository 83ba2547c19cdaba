package viewer

import "testing"

func TestSnippet(t *testing.T) {
	for _, c := range []struct{ text, q, pre, match, post string }{
		{"Harga beras naik", "", "Harga beras naik", "", ""},
		{"Harga beras naik", "BERAS", "Harga ", "beras", " naik"},
		{"a\nb", "b", "a ⏎ ", "b", ""},
		{"İstanbul banjir", "banjir", "İstanbul banjir", "", ""}, // ToLower changes length: unmarked
		{"日本語 teks", "teks", "日本語 ", "teks", ""},
	} {
		pre, m, post := snippet(c.text, c.q, 240)
		if pre != c.pre || m != c.match || post != c.post {
			t.Errorf("snippet(%q, %q) = %q %q %q; want %q %q %q", c.text, c.q, pre, m, post, c.pre, c.match, c.post)
		}
	}
}
