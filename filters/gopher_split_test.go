package filters

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/saring/saring/words"
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

// gopherLineStats counts as the plain loop over words.EachLine with
// Python's strip functions does.
func FuzzGopherLineStats(f *testing.F) {
	for _, s := range []string{"", "- a\n• b\n c...\n\u2028x…  \r\n\u00a0- y\u3000", " \n\t\n", "\x85-\x1c...\x1d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var lines, bullets, endEllip int
		words.EachLine(s, func(l string) {
			lines++
			l = words.TrimLeftSpace(l)
			if strings.HasPrefix(l, "•") || strings.HasPrefix(l, "-") {
				bullets++
			}
			l = words.TrimRightSpace(l)
			if strings.HasSuffix(l, "...") || strings.HasSuffix(l, "…") {
				endEllip++
			}
		})
		gl, gb, ge := gopherLineStats(s)
		if gl != lines || gb != bullets || ge != endEllip {
			t.Errorf("%q: %d %d %d, want %d %d %d", s, gl, gb, ge, lines, bullets, endEllip)
		}
	})
}

// The stop word prefilter lets every stop word through, of any length.
func TestGopherStopsMayHave(t *testing.T) {
	long := strings.Repeat("x", 70)
	st := gopherStopSet([]string{"the", "a", long, "ñandú", ""})
	for _, w := range []string{"the", "a", long, "ñandú"} {
		if !st.mayHave(w) {
			t.Errorf("stop word %q filtered out", w)
		}
	}
	for _, w := range []string{"", "th", "then", "b", "x", "ñ"} {
		if st.mayHave(w) {
			if _, ok := st.idx[w]; ok {
				continue
			}
			if w == "" {
				t.Errorf("empty word let through")
			}
		}
	}
}
