package repair

import "strings"

// findNumbers finds IPv4 addresses, phone and card numbers.
func (p *PII) findNumbers(s string, dst []piiMatch) []piiMatch {
	var emails []piiMatch // already found; numbers inside them are skipped
	emails = append(emails, dst...)
	ei := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && c != '+' && c != '(' {
			continue
		}
		for ei < len(emails) && emails[ei].end <= i {
			ei++
		}
		if ei < len(emails) && emails[ei].start <= i {
			i = emails[ei].end - 1
			continue
		}
		if wordBefore(s, i) || (i > 0 && (s[i-1] == '.' || s[i-1] == '-' || s[i-1] == '+' || s[i-1] == ',')) {
			continue
		}
		// After a slash only an address may start ("http://8.8.8.8/"); a
		// number there is part of a date or a fraction.
		if i > 0 && s[i-1] == '/' {
			if p.opts.IPs && isDigit(c) {
				if end, ok := ipv4At(s, i, p.opts.OnlyPublicIPs); ok {
					dst = append(dst, piiMatch{i, end, kindIPv4})
					i = end - 1
					continue
				}
			}
			for i+1 < len(s) && isDigit(s[i+1]) {
				i++
			}
			continue
		}
		if c == '+' || c == '(' {
			if i+1 >= len(s) || !isDigit(s[i+1]) {
				continue
			}
			if p.opts.Phones {
				if end, ok := phoneAt(s, i); ok {
					dst = append(dst, piiMatch{i, end, kindPhone})
					i = end - 1
				}
			}
			continue
		}
		if p.opts.Cards {
			if end, ok := cardAt(s, i); ok {
				dst = append(dst, piiMatch{i, end, kindCard})
				i = end - 1
				continue
			}
		}
		if p.opts.IPs {
			if end, ok := ipv4At(s, i, p.opts.OnlyPublicIPs); ok {
				dst = append(dst, piiMatch{i, end, kindIPv4})
				i = end - 1
				continue
			}
		}
		if p.opts.Phones {
			if end, ok := phoneAt(s, i); ok {
				dst = append(dst, piiMatch{i, end, kindPhone})
				i = end - 1
				continue
			}
		}
		// Skip the rest of this number: its digits are not at a boundary.
		for i+1 < len(s) && isDigit(s[i+1]) {
			i++
		}
	}
	return dst
}

// digitGroups reads digit groups separated by single separator bytes from
// seps, starting at s[i] (a digit). It returns the end and the group sizes.
func digitGroups(s string, i int, seps string, groups []int) (int, []int) {
	for {
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		groups = append(groups, j-i)
		if j+1 < len(s) && strings.IndexByte(seps, s[j]) >= 0 && isDigit(s[j+1]) {
			i = j + 1
			continue
		}
		return j, groups
	}
}

// numberEndsHere reports whether a number ending at i is not followed by more
// of a number or a word.
func numberEndsHere(s string, i int) bool {
	if wordAfter(s, i) {
		return false
	}
	if i+1 < len(s) && (s[i] == '.' || s[i] == ',' || s[i] == '-' || s[i] == '/') && isDigit(s[i+1]) {
		return false
	}
	return true
}

func cardAt(s string, i int) (int, bool) {
	if s[i] < '2' || s[i] > '6' {
		return 0, false
	}
	var buf [8]int
	end, groups := digitGroups(s, i, " -", buf[:0])
	if !numberEndsHere(s, end) {
		return 0, false
	}
	total := 0
	for _, g := range groups {
		total += g
	}
	if total < 13 || total > 19 {
		return 0, false
	}
	switch {
	case len(groups) == 1:
	case len(groups) == 3 && groups[0] == 4 && groups[1] == 6 && (groups[2] == 5 || groups[2] == 4):
	default:
		for k, g := range groups {
			if g != 4 && (k != len(groups)-1 || g > 4) {
				return 0, false
			}
		}
	}
	// Luhn: double every second digit from the right.
	sum, double := 0, false
	for k := end - 1; k >= i; k-- {
		if !isDigit(s[k]) {
			continue
		}
		d := int(s[k] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return end, sum%10 == 0
}

func ipv4At(s string, i int, publicOnly bool) (int, bool) {
	var oct [4]int
	j := i
	for k := 0; k < 4; k++ {
		if k > 0 {
			if j >= len(s) || s[j] != '.' {
				return 0, false
			}
			j++
		}
		st := j
		v := 0
		for j < len(s) && isDigit(s[j]) && j-st < 4 {
			v = v*10 + int(s[j]-'0')
			j++
		}
		n := j - st
		if n == 0 || n > 3 || v > 255 || (n > 1 && s[st] == '0') {
			return 0, false
		}
		oct[k] = v
	}
	if !numberEndsHere(s, j) {
		return 0, false
	}
	if publicOnly && !globalIPv4(oct) {
		return 0, false
	}
	return j, true
}

// globalIPv4 mirrors Python's ipaddress is_global, which datatrove uses: not
// private, loopback, link-local, shared, reserved or documentation space.
func globalIPv4(o [4]int) bool {
	a, b, c := o[0], o[1], o[2]
	switch {
	case a == 0, a == 10, a == 127, a >= 240:
		return false
	case a == 100 && b >= 64 && b <= 127:
		return false
	case a == 169 && b == 254, a == 172 && b >= 16 && b <= 31, a == 192 && b == 168:
		return false
	case a == 192 && b == 0 && (c == 0 || c == 2):
		return false
	case a == 198 && (b == 18 || b == 19), a == 198 && b == 51 && c == 100, a == 203 && b == 0 && c == 113:
		return false
	}
	return true
}

// phoneAt matches a phone number starting at s[i] ('+', '(' or a digit).
func phoneAt(s string, i int) (int, bool) {
	var buf [8]int
	switch s[i] {
	case '+':
		// Country code, then groups; a group may be in parentheses.
		j := i + 1
		total, groups := 0, 0
		for {
			var g []int
			var end int
			if j < len(s) && s[j] == '(' {
				k := j + 1
				for k < len(s) && isDigit(s[k]) {
					k++
				}
				if k == j+1 || k-j-1 > 4 || k >= len(s) || s[k] != ')' {
					return 0, false
				}
				total += k - j - 1
				groups++
				end = k + 1
			} else {
				end, g = digitGroups(s, j, " -.", buf[:0])
				for _, n := range g {
					total += n
				}
				groups += len(g)
			}
			// Continue past a space or dash before a parenthesised group or after one.
			if end+1 < len(s) && (s[end] == ' ' || s[end] == '-') && (s[end+1] == '(' || isDigit(s[end+1])) {
				j = end + 1
				continue
			}
			if end < len(s) && (s[end] == '(' || isDigit(s[end])) {
				j = end
				continue
			}
			if total < 8 || total > 15 || groups < 2 && total < 10 || !numberEndsHere(s, end) {
				return 0, false
			}
			return end, true
		}
	case '(':
		k := i + 1
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		area := k - i - 1
		if k+1 >= len(s) || s[k] != ')' {
			return 0, false
		}
		j := k + 1
		if s[j] == ' ' || s[j] == '-' {
			j++
		}
		if j >= len(s) || !isDigit(s[j]) {
			return 0, false
		}
		end, g := digitGroups(s, j, " -", buf[:0])
		rest := 0
		for _, n := range g {
			rest += n
		}
		if !numberEndsHere(s, end) {
			return 0, false
		}
		switch {
		case s[i+1] == '0' && area >= 2 && area <= 4 && rest >= 5 && rest <= 8:
			return end, true // (021) 555-1234, (0274) 512345
		case s[i+1] != '0' && area == 3 && len(g) == 2 && g[0] == 3 && g[1] == 4:
			return end, true // (555) 123-4567
		}
		return 0, false
	}
	if s[i] == '0' {
		if i+1 >= len(s) || s[i+1] == '0' {
			return 0, false
		}
		end, g := digitGroups(s, i, " -", buf[:0])
		total := 0
		for _, n := range g {
			if n < 2 {
				return 0, false
			}
			total += n
		}
		if g[0] < 3 || total < 9 || total > 13 || len(g) > 4 || !numberEndsHere(s, end) {
			return 0, false
		}
		return end, true
	}
	// xxx-xxx-xxxx (or with dots), the North American form.
	end, g := digitGroups(s, i, "-.", buf[:0])
	if len(g) == 3 && g[0] == 3 && g[1] == 3 && g[2] == 4 && numberEndsHere(s, end) {
		sep := s[i+3]
		if s[i+7] == sep {
			return end, true
		}
	}
	return 0, false
}
