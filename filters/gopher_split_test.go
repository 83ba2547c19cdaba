package filters

import (
	"regexp"
	"slices"
	"testing"
)

// gopherParagraphs and gopherLines cut as datatrove's regular expressions
// do (Python's re.split and Go's regexp.Split agree on these patterns).
func FuzzGopherSplit(f *testing.F) {
	for _, s := range []string{"", "\n", "a\n\nb", "\n\n\na\nb\n", "a\n", "x\n\n\n\ny\n\nz\n\n"} {
		f.Add(s)
	}
	para, line := regexp.MustCompile(`\n{2,}`), regexp.MustCompile(`\n+`)
	collect := func(each func(func(string))) (out []string) {
		each(func(e string) { out = append(out, e) })
		return out
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collect(gopherParagraphs(s)), para.Split(s, -1); !slices.Equal(got, want) {
			t.Errorf("paragraphs of %q: %q, want %q", s, got, want)
		}
		if got, want := collect(gopherLines(s)), line.Split(s, -1); !slices.Equal(got, want) {
			t.Errorf("lines of %q: %q, want %q", s, got, want)
		}
	})
}
