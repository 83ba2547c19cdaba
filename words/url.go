package words

import (
	"regexp"
	"strings"
)

// urlMatch reports whether s is entirely a URL by spaCy's URL_MATCH pattern
// (spacy/lang/tokenizer_exceptions.py):
//
//	[scheme "://"] [userinfo "@"] (IPv4 | (label ".")+ tld) [":" port] [("/"|"?"|"#") rest]
//
// The pattern only decides whether the whole string matches, so it is
// evaluated structurally here rather than with backtracking.
func urlMatch(s string) bool {
	if strings.IndexByte(s, '.') < 0 {
		return false // both host forms need a dot
	}
	if urlMatchFrom(s, 0) {
		return true
	}
	// (?:[\w\+\-\.]{2,})://
	if i := strings.Index(s, "://"); i >= 0 {
		n := 0
		ok := true
		for _, c := range s[:i] {
			if !(c == '+' || c == '-' || c == '.' || class(c)&cWord != 0) {
				ok = false
				break
			}
			n++
		}
		if ok && n >= 2 && urlMatchFrom(s, i+3) {
			return true
		}
	}
	return false
}

// urlMatchFrom tries the host at h, then after each "@" ending a non-empty
// user-info part (\S+(?::\S*)?@ is any non-empty run of non-space
// characters followed by "@").
//
// A host cannot contain "@" and ends at the first of ":/?#", so only an "@"
// not followed by another before that delimiter can start a host; host
// regions tried are then disjoint and the whole check stays linear.
func urlMatchFrom(s string, h int) bool {
	if urlHostAt(s, h) {
		return true
	}
	delim := -1 // next of ":/?#" at or after the position looked at
	for a := h + 1; a < len(s); a++ {
		if s[a] != '@' {
			continue
		}
		if delim < a+1 {
			delim = len(s)
			if d := strings.IndexAny(s[a+1:], ":/?#"); d >= 0 {
				delim = a + 1 + d
			}
		}
		next := strings.IndexByte(s[a+1:], '@')
		if next >= 0 && a+1+next < delim {
			continue // a later "@" starts the only possible host
		}
		if urlHostAt(s, a+1) {
			return true
		}
	}
	return false
}

var (
	// The IP alternative and the private-network exclusions, which are
	// plain regular expressions (no lookaround) once taken apart. \d is
	// Unicode in Python, so \p{Nd} here; [0-9] stays ASCII.
	urlIP      = regexp.MustCompile(`^(?:[1-9]\p{Nd}?|1\p{Nd}\p{Nd}|2[01]\p{Nd}|22[0-3])(?:\.(?:1?\p{Nd}{1,2}|2[0-4]\p{Nd}|25[0-5])){2}(?:\.(?:[1-9]\p{Nd}?|1\p{Nd}\p{Nd}|2[0-4]\p{Nd}|25[0-4]))$`)
	urlPrivate = regexp.MustCompile(`^(?:(?:10|127)(?:\.\p{Nd}{1,3}){3}|(?:169\.254|192\.168)(?:\.\p{Nd}{1,3}){2}|172\.(?:1[6-9]|2\p{Nd}|3[0-1])(?:\.\p{Nd}{1,3}){2})`)
)

func urlHostAt(s string, h int) bool {
	if h > len(s) {
		return false
	}
	rest := s[h:]
	if rest == "" {
		return false
	}
	// The negative lookaheads apply to both host forms.
	if (rest[0] == '1') && urlPrivate.MatchString(rest) {
		return false
	}
	// Neither host form can contain ":/?#": the host ends at the first of
	// them, and what follows must be a port and/or a path.
	e := strings.IndexAny(rest, ":/?#")
	if e < 0 {
		e = len(rest)
	}
	host := rest[:e]
	if rest[0] >= '1' && rest[0] <= '9' && urlIP.MatchString(host) && urlPortPath(rest[e:]) {
		return true
	}
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 {
		return false
	}
	// TLD: [ALPHA_LOWER]{2,63}
	n := 0
	for _, c := range host[dot+1:] {
		if class(c)&cAlphaLower == 0 {
			return false
		}
		n++
	}
	if n < 2 || n > 63 {
		return false
	}
	// Labels: (?:[X][X_-]{0,62})?[X] with X = [A-Za-z0-9\u00a1-\uffff].
	for _, label := range strings.Split(host[:dot], ".") {
		if !urlLabel(label) {
			return false
		}
	}
	return urlPortPath(rest[e:])
}

func urlX(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0xa1 && c <= 0xffff
}

func urlLabel(l string) bool {
	if l == "" {
		return false
	}
	n := 0
	var last rune
	for i, c := range l {
		if i == 0 && !urlX(c) {
			return false
		}
		if !urlX(c) && c != '_' && c != '-' {
			return false
		}
		last = c
		n++
	}
	return n <= 64 && urlX(last)
}

// urlPortPath matches (?::\d{2,5})?(?:[/?#]\S*)?$ on a string without spaces.
func urlPortPath(r string) bool {
	if r == "" {
		return true
	}
	if r[0] == ':' {
		n, i := 0, 1
		for i < len(r) {
			c, sz := firstRune(r[i:])
			if class(c)&cDigit == 0 {
				break
			}
			n++
			i += sz
		}
		if n < 2 || n > 5 {
			return false
		}
		r = r[i:]
		if r == "" {
			return true
		}
	}
	return r[0] == '/' || r[0] == '?' || r[0] == '#'
}
