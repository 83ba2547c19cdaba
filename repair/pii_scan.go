package repair

import (
	"net/netip"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool  { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isHex(c byte) bool    { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f' }
func isLetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// wordBefore reports whether the text just before i ends in a letter or digit
// (of any script).
func wordBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	c := s[i-1]
	if c < utf8.RuneSelf {
		return isAlnum(c) || c == '_'
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wordAfter reports whether the text at i starts with a letter or digit.
func wordAfter(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	if c < utf8.RuneSelf {
		return isAlnum(c) || c == '_'
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// find returns the PII matches in s, sorted and non-overlapping.
func (p *PII) find(s string, dst []piiMatch) []piiMatch {
	if p.opts.Emails && strings.IndexByte(s, '@') >= 0 {
		dst = findEmails(s, dst)
	}
	if p.opts.IPs || p.opts.Phones || p.opts.Cards {
		dst = p.findNumbers(s, dst)
	}
	if p.opts.IPs && strings.IndexByte(s, ':') >= 0 {
		dst = p.findIPv6(s, dst)
	}
	if len(dst) < 2 {
		return dst
	}
	sort.Slice(dst, func(i, j int) bool { return dst[i].start < dst[j].start })
	out := dst[:1]
	for _, m := range dst[1:] {
		if m.start >= out[len(out)-1].end {
			out = append(out, m)
		}
	}
	return out
}

// localChar reports whether c may appear in the local part of an address.
func localChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("!#$%&'*+/=?^_`{|}~-.", c) >= 0
}

func findEmails(s string, dst []piiMatch) []piiMatch {
	from := 0
	for {
		at := strings.IndexByte(s[from:], '@')
		if at < 0 {
			return dst
		}
		at += from
		from = at + 1
		start := at
		for start > 0 && localChar(s[start-1]) {
			start--
		}
		// The local part starts with a letter or digit and has no empty atom.
		if i := strings.LastIndex(s[start:at], ".."); i >= 0 {
			start += i + 2
		}
		for start < at && !isAlnum(s[start]) {
			start++
		}
		if start == at || s[at-1] == '.' || wordBefore(s, start) {
			continue
		}
		end, ok := domainEnd(s, at+1)
		if !ok || wordAfter(s, end) {
			continue
		}
		dst = append(dst, piiMatch{start, end, kindEmail})
		from = end
	}
}

// domainEnd parses a dotted domain at s[i:] and returns where it ends.
func domainEnd(s string, i int) (int, bool) {
	labels := 0
	end := i
	lastStart := i
	for j := i; ; {
		k := j
		for k < len(s) && (isAlnum(s[k]) || s[k] == '-') {
			k++
		}
		if k == j || k-j > 63 || s[j] == '-' || s[k-1] == '-' {
			break
		}
		labels++
		end, lastStart = k, j
		if k+1 < len(s) && s[k] == '.' && isAlnum(s[k+1]) {
			j = k + 1
			continue
		}
		break
	}
	if labels < 2 || end-lastStart < 2 {
		return 0, false
	}
	for k := lastStart; k < end; k++ {
		if !isLetter(s[k]) {
			return 0, false
		}
	}
	return end, true
}

// findIPv6 finds IPv6 addresses around colons.
func (p *PII) findIPv6(s string, dst []piiMatch) []piiMatch {
	from := 0
	for {
		c := strings.IndexByte(s[from:], ':')
		if c < 0 {
			return dst
		}
		c += from
		l, r := c, c+1
		for l > 0 && (isHex(s[l-1]) || s[l-1] == ':' || s[l-1] == '.') {
			l--
		}
		for r < len(s) && (isHex(s[r]) || s[r] == ':' || s[r] == '.') {
			r++
		}
		from = r
		for r > l && (s[r-1] == '.' || (s[r-1] == ':' && (r-2 < l || s[r-2] != ':'))) {
			r--
		}
		for l < r && s[l] == '.' {
			l++
		}
		cand := s[l:r]
		if len(cand) < 6 || strings.Count(cand, ":") < 2 || wordBefore(s, l) || wordAfter(s, r) {
			continue
		}
		a, err := netip.ParseAddr(cand)
		if err != nil || !a.Is6() || a.Is4In6() {
			continue
		}
		if p.opts.OnlyPublicIPs && !globalIPv6(a) {
			continue
		}
		dst = append(dst, piiMatch{l, r, kindIPv6})
	}
}

// globalIPv6 approximates Python's is_global for IPv6: global unicast outside
// the unique-local, documentation, 6to4 and IETF protocol ranges.
func globalIPv6(a netip.Addr) bool {
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	b := a.As16()
	switch {
	case b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8: // 2001:db8::/32
		return false
	case b[0] == 0x20 && b[1] == 0x02: // 2002::/16
		return false
	case b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02: // 2001::/23
		return false
	}
	return true
}
