package words

import (
	"strings"
	"unicode/utf8"
)

// findPrefix returns the byte length of the prefix spaCy's prefix search
// finds in s, or 0. The rules are an ordered alternation anchored at the
// start, so the first rule that matches decides.
func (r *ruleSet) findPrefix(s string) int { return r.findPrefixIn(s, true) }

// findPrefixIn is findPrefix; anchor false says s cannot contain "<a" (the
// caller knows it from a longer string s is cut from), which keeps the
// affix loop linear on long chunks.
func (r *ruleSet) findPrefixIn(s string, anchor bool) int {
	if s == "" {
		return 0
	}
	c, n := firstRune(s)
	switch {
	case c == '+':
		// \+(?![0-9])
		if len(s) == 1 || !isASCIIDigit(rune(s[1])) {
			return 1
		}
	case c == '.':
		// \.\.+
		i := 1
		for i < len(s) && s[i] == '.' {
			i++
		}
		if i >= 2 {
			return i
		}
	case class(c)&r.prefix1 != 0:
		return n
	case r.prefixFirst[s[0]]:
		for _, p := range r.prefixByFirst[s[0]] {
			if strings.HasPrefix(s, p) {
				return len(p)
			}
		}
	}
	if r.anyAnchorA && anchor {
		// `<a([^>]+)>` is joined into the prefix pattern without "^", so
		// spaCy finds it anywhere in the string and returns its length.
		return anchorTagLen(s)
	}
	return 0
}

// anchorTagLen finds the leftmost `<a[^>]+>` in s. spaCy then cuts as many
// characters as the match has off the start of s (not the match itself),
// so the returned byte length is that of s's first runes.
func anchorTagLen(s string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], "<a")
		if i < 0 {
			return 0
		}
		i += off
		if j := strings.IndexByte(s[i+2:], '>'); j > 0 {
			n := utf8.RuneCountInString(s[i : i+j+3])
			b := 0
			for ; n > 0; n-- {
				_, sz := firstRune(s[b:])
				b += sz
			}
			return b
		} else if j < 0 {
			return 0
		}
		off = i + 1
	}
}

// findSuffix returns the byte length of the suffix spaCy's suffix search
// finds in s, or 0. Every rule is anchored at the end, and the search takes
// the leftmost start at which any rule matches, i.e. the longest suffix.
func (r *ruleSet) findSuffix(s string) int {
	if s == "" {
		return 0
	}
	best := -1
	// \.\.+$ : a trailing run of two or more dots.
	if s[len(s)-1] == '.' {
		i := len(s) - 1
		for i > 0 && s[i-1] == '.' {
			i--
		}
		if len(s)-i >= 2 {
			best = i
		}
	}
	// Other rules end within the last sufMax runes.
	start := len(s)
	for k := 0; k < r.sufMax && start > 0; k++ {
		_, n := lastRune(s[:start]) // 1 for a broken byte: O(1) per step
		start -= n
	}
	for p := start; p < len(s); {
		if best >= 0 && p >= best {
			break
		}
		n := 1
		if s[p] >= utf8.RuneSelf {
			_, n = utf8.DecodeRuneInString(s[p:])
		}
		// Only the last character, or a literal (after a digit, or
		// starting with a byte some literal starts with) can match.
		if p+n == len(s) || (p > 0 && isASCIIDigit(rune(s[p-1]))) || r.sufPlainFirst[s[p]] || s[p] == '<' {
			c, _ := firstRune(s[p:])
			var prev rune = -1
			if p > 0 {
				prev, _ = lastRune(s[:p])
			}
			if r.suffixAt(s, p, c, n, prev) {
				best = p
				break
			}
		}
		p += n
	}
	if best < 0 {
		return 0
	}
	return len(s) - best
}

// suffixAt reports whether some suffix rule matches exactly s[p:]; c is
// the rune at p (n bytes) and prev the rune before it (-1 at the start).
func (r *ruleSet) suffixAt(s string, p int, c rune, n int, prev rune) bool {
	rest := s[p:]
	if n == len(rest) && r.suffixOneChar(s, p, c, prev) {
		return true
	}
	// Literal suffixes: only look up those that could apply here.
	digit := isASCIIDigit(prev)
	if !digit && !r.sufPlainFirst[rest[0]] && !(rest[0] == '<' && r.indoAff) {
		return false
	}
	if f, ok := r.sufLit[rest]; ok {
		if f&sufPlain != 0 {
			return true
		}
		if f&sufAfterDigit != 0 && digit {
			return true
		}
		if f&sufAfterAlnum != 0 && prev >= 0 && (digit || class(prev)&cAlpha != 0) {
			return true
		}
	}
	return false
}

// suffixOneChar reports whether a one-character suffix rule matches c,
// the last rune of s, at p; prev is the rune before it (-1 at the start).
func (r *ruleSet) suffixOneChar(s string, p int, c rune, prev rune) bool {
	if class(c)&r.suffix1 != 0 {
		return true
	}
	switch c {
	case '+':
		if isASCIIDigit(prev) {
			return true
		}
	case '.':
		if prev >= 0 {
			pc := class(prev)
			if pc&cSufDotLB != 0 {
				return true
			}
			var prev2 rune = -1
			if pn := p - utf8.RuneLen(prev); pn > 0 && utf8.RuneLen(prev) > 0 {
				prev2, _ = lastRune(s[:pn])
			}
			if prev2 == '°' && strings.ContainsRune("FfCcKk", prev) {
				return true
			}
			if prev2 >= 0 && pc&cAlphaUpper != 0 && class(prev2)&cAlphaUpper != 0 {
				return true
			}
		}
	}
	return false
}

// infix is one infix match, in byte offsets of the string searched.
type infix struct{ s, e int }

// mayHaveInfix is a cheap test: can any infix rule start at a rune of s?
func (r *ruleSet) mayHaveInfix(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return true
		}
		switch c {
		case '.', '+', '-', '*', '^', ',', '~', ':', '<', '>', '=', '/':
			return true
		case '\\', '%', '"':
			if r.indoAff {
				return true
			}
		}
	}
	return false
}

func (r *ruleSet) hasInfix(s string) bool {
	return len(r.findInfixes(s, nil)) > 0
}

// findInfixes appends the matches of spaCy's infix finditer over s: scan
// left to right, at each position try the rules in order, continue after a
// match. Lookbehinds see the whole of s, including earlier matches.
func (r *ruleSet) findInfixes(s string, dst []infix) []infix {
	if !r.mayHaveInfix(s) {
		return dst
	}
	var prev, prev2 rune = -1, -1
	for p := 0; p < len(s); {
		c, n := firstRune(s[p:])
		if e := r.infixAt(s, p, c, n, prev, prev2); e > p {
			dst = append(dst, infix{p, e})
			// Lookbehind after the match sees the match's last runes.
			prev, prev2 = lastTwo(s[:e])
			p = e
			continue
		}
		prev2, prev = prev, c
		p += n
	}
	return dst
}

func lastTwo(s string) (last, before rune) {
	l, n := lastRune(s)
	if n == 0 {
		return -1, -1
	}
	if n == len(s) {
		return l, -1
	}
	b, _ := lastRune(s[:len(s)-n])
	return l, b
}

// infixAt returns the end of the infix match starting at p, or -1.
func (r *ruleSet) infixAt(s string, p int, c rune, n int, prev, prev2 rune) int {
	next := func(at int) rune {
		if at >= len(s) {
			return -1
		}
		x, _ := firstRune(s[at:])
		return x
	}
	alpha := func(x rune) bool { return x >= 0 && class(x)&cAlpha != 0 }
	digit := isASCIIDigit
	// \.\.+
	if c == '.' && p+1 < len(s) && s[p+1] == '.' {
		e := p + 1
		for e < len(s) && s[e] == '.' {
			e++
		}
		return e
	}
	// … and icons
	if c == '…' || class(c)&cIcon != 0 {
		return p + n
	}
	// (?<=[0-9])[+\-\*^](?=[0-9-])
	if (c == '+' || c == '-' || c == '*' || c == '^') && digit(prev) {
		if x := next(p + 1); digit(x) || x == '-' {
			return p + 1
		}
	}
	// (?<=[{al}{q}])\.(?=[{au}{q}])
	if c == '.' && prev >= 0 && class(prev)&(cAlphaLower|cQuote) != 0 {
		if x := next(p + 1); x >= 0 && class(x)&(cAlphaUpper|cQuote) != 0 {
			return p + 1
		}
	}
	// (?<=[{a}]),(?=[{a}])
	if c == ',' && alpha(prev) && alpha(next(p+1)) {
		return p + 1
	}
	// (?<=[{a}])(?:{h})(?=[{a}]) ; English also after a digit.
	if (c == '-' || c == '–' || c == '—' || c == '~') && (alpha(prev) || (r.enInfix && digit(prev))) {
		if e := hyphenInfix(s, p, c, n, alpha); e > 0 {
			return e
		}
	}
	// (?<=[{a}0-9])[:<>=/](?=[{a}])
	if (c == ':' || c == '<' || c == '>' || c == '=' || c == '/') && (alpha(prev) || digit(prev)) && alpha(next(p+1)) {
		return p + 1
	}
	if !r.indoAff {
		return -1
	}
	// (?<=[0-9])[\\/](?=[0-9%-])
	if (c == '\\' || c == '/') && digit(prev) {
		if x := next(p + 1); digit(x) || x == '%' || x == '-' {
			return p + 1
		}
	}
	// (?<=[0-9])%(?=[{a}0-9/])
	if c == '%' && digit(prev) {
		if x := next(p + 1); alpha(x) || digit(x) || x == '/' {
			return p + 1
		}
	}
	// (?<=[0-9)][.,])"(?=[0-9])
	if c == '"' && (prev == '.' || prev == ',') && (digit(prev2) || prev2 == ')') && digit(next(p+1)) {
		return p + 1
	}
	// (?<=[{a})][.,\'])["—](?=[{a}])
	if (c == '"' || c == '—') && (prev == '.' || prev == ',' || prev == '\'') && (alpha(prev2) || prev2 == ')') && alpha(next(p+n)) {
		return p + n
	}
	// (?<=[{a}])-(?=[0-9])
	if c == '-' && alpha(prev) && digit(next(p+1)) {
		return p + 1
	}
	// (?<=[0-9])-(?=[{a}])
	if c == '-' && digit(prev) && alpha(next(p+1)) {
		return p + 1
	}
	// (?<=[{a}])[\/-](?={c}|[{a}])
	if (c == '/' || c == '-') && alpha(prev) {
		rest := s[p+1:]
		for _, cur := range r.curList {
			if strings.HasPrefix(rest, cur) {
				return p + 1
			}
		}
		if alpha(next(p + 1)) {
			return p + 1
		}
	}
	return -1
}

// hyphenInfix tries spaCy's hyphen alternation -|–|—|--|---|——|~ in order,
// each followed by a letter.
func hyphenInfix(s string, p int, c rune, n int, alpha func(rune) bool) int {
	after := func(e int) bool {
		if e >= len(s) {
			return false
		}
		x, _ := firstRune(s[e:])
		return alpha(x)
	}
	switch c {
	case '-':
		if after(p + 1) {
			return p + 1
		}
		if strings.HasPrefix(s[p:], "--") && after(p+2) {
			return p + 2
		}
		if strings.HasPrefix(s[p:], "---") && after(p+3) {
			return p + 3
		}
	case '–', '~':
		if after(p + n) {
			return p + n
		}
	case '—':
		if after(p + n) {
			return p + n
		}
		if strings.HasPrefix(s[p:], "——") && after(p+2*n) {
			return p + 2*n
		}
	}
	return -1
}
