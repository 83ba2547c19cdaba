package words

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// IsSpace reports whether r is whitespace by Python's str.isspace, the
// definition datatrove's strip(), lstrip() and split() use.
func IsSpace(r rune) bool { return isSpace(r) }

// TrimSpace strips Python whitespace from both ends of s (str.strip()).
func TrimSpace(s string) string { return TrimRightSpace(TrimLeftSpace(s)) }

// TrimLeftSpace is Python's str.lstrip().
func TrimLeftSpace(s string) string {
	return strings.TrimLeftFunc(s, isSpace)
}

// TrimRightSpace is Python's str.rstrip().
func TrimRightSpace(s string) string {
	return strings.TrimRightFunc(s, isSpace)
}

// IsPunctuation reports whether r is in datatrove's PUNCTUATION_SET
// (datatrove.utils.text: ASCII and CJK punctuation, C0/C1 controls other
// than tab and newline, and the terminal punctuation of many scripts).
// Gopher's quality rules count a word made only of these as a symbol.
func IsPunctuation(r rune) bool {
	if r < 0x100 {
		return latinPunct[r]
	}
	i := sort.Search(len(datatrovePunct), func(i int) bool { return datatrovePunct[i][1] >= r })
	return i < len(datatrovePunct) && datatrovePunct[i][0] <= r
}

// AllPunctuation reports whether every character of w is in
// datatrove's PUNCTUATION_SET (true for "").
func AllPunctuation(w string) bool {
	for _, c := range w {
		if !IsPunctuation(c) {
			return false
		}
	}
	return true
}

var latinPunct = func() (t [0x100]bool) {
	for _, rg := range datatrovePunct {
		for c := rg[0]; c <= rg[1] && c < 0x100; c++ {
			t[c] = true
		}
	}
	return t
}()

// datatrovePunct is PUNCTUATION_SET as sorted inclusive ranges.
var datatrovePunct = [][2]rune{{0x0, 0x8}, {0xB, 0x1F}, {0x21, 0x2F}, {0x3A, 0x40}, {0x5B, 0x60}, {0x7B, 0x9F}, {0xAB, 0xAB}, {0xB4, 0xB4}, {0xBB, 0xBB}, {0x589, 0x589}, {0x61D, 0x61F}, {0x6D4, 0x6D4}, {0x700, 0x702}, {0x7F9, 0x7F9}, {0x837, 0x837}, {0x839, 0x839}, {0x83D, 0x83E}, {0x964, 0x965}, {0x104A, 0x104B}, {0x1362, 0x1362}, {0x1367, 0x1368}, {0x166E, 0x166E}, {0x1735, 0x1736}, {0x17D4, 0x17D6}, {0x17D9, 0x17DA}, {0x1803, 0x1803}, {0x1809, 0x1809}, {0x1944, 0x1945}, {0x1AA8, 0x1AAB}, {0x1B5A, 0x1B5B}, {0x1B5E, 0x1B5F}, {0x1B7D, 0x1B7E}, {0x1C3B, 0x1C3C}, {0x1C7E, 0x1C7F}, {0x2013, 0x2014}, {0x2019, 0x2019}, {0x201C, 0x201E}, {0x2026, 0x2026}, {0x203C, 0x203D}, {0x2047, 0x2049}, {0x2236, 0x2236}, {0x2501, 0x2501}, {0x25BA, 0x25BA}, {0x2E2E, 0x2E2E}, {0x2E3C, 0x2E3C}, {0x2E53, 0x2E54}, {0x3001, 0x3002}, {0x3008, 0x300D}, {0x3010, 0x3011}, {0xA4FF, 0xA4FF}, {0xA60E, 0xA60F}, {0xA6F3, 0xA6F3}, {0xA6F7, 0xA6F7}, {0xA876, 0xA877}, {0xA8CE, 0xA8CF}, {0xA92F, 0xA92F}, {0xA9C8, 0xA9C9}, {0xAA5D, 0xAA5F}, {0xAAF0, 0xAAF1}, {0xABEB, 0xABEB}, {0xFE52, 0xFE52}, {0xFE56, 0xFE57}, {0xFF01, 0xFF01}, {0xFF05, 0xFF05}, {0xFF08, 0xFF09}, {0xFF0C, 0xFF0C}, {0xFF0E, 0xFF0E}, {0xFF11, 0xFF11}, {0xFF1A, 0xFF1B}, {0xFF1F, 0xFF1F}, {0xFF5E, 0xFF5E}, {0xFF61, 0xFF61}, {0x10A56, 0x10A57}, {0x10F55, 0x10F59}, {0x10F86, 0x10F89}, {0x11047, 0x11048}, {0x110BE, 0x110C1}, {0x11141, 0x11143}, {0x111C5, 0x111C6}, {0x111CD, 0x111CD}, {0x111DE, 0x111DF}, {0x11238, 0x11239}, {0x1123B, 0x1123C}, {0x112A9, 0x112A9}, {0x1144B, 0x1144C}, {0x115C2, 0x115C3}, {0x115C9, 0x115D7}, {0x11641, 0x11642}, {0x1173C, 0x1173E}, {0x11944, 0x11944}, {0x11946, 0x11946}, {0x11A42, 0x11A43}, {0x11A9B, 0x11A9C}, {0x11C41, 0x11C42}, {0x11EF7, 0x11EF8}, {0x11F43, 0x11F44}, {0x16A6E, 0x16A6F}, {0x16AF5, 0x16AF5}, {0x16B37, 0x16B38}, {0x16B44, 0x16B44}, {0x16E98, 0x16E98}, {0x1BC9F, 0x1BC9F}, {0x1DA88, 0x1DA88}}

// EachLine calls fn for each line of s as Python's str.splitlines() cuts
// them: at \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, U+2028 and U+2029,
// without the line breaks, and without a last empty line after a final
// break. An empty s has no lines.
func EachLine(s string, fn func(line string)) {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e:
				fn(s[start:i])
				i++
				start = i
				continue
			case '\r':
				fn(s[start:i])
				i++
				if i < len(s) && s[i] == '\n' {
					i++
				}
				start = i
				continue
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0x85 || r == 0x2028 || r == 0x2029 {
			fn(s[start:i])
			start = i + n
		}
		i += n
	}
	if start < len(s) {
		fn(s[start:])
	}
}

// SplitLines returns the lines of s as Python's str.splitlines() does.
func SplitLines(s string) []string {
	var out []string
	EachLine(s, func(l string) { out = append(out, l) })
	return out
}
