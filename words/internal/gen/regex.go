package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The few pieces of Python's regular expression syntax that spaCy's rules
// are read for: character classes, literal patterns, and the finite
// alternations (units, HTML tags) that the Go tokenizer matches as lists.

type runeRange [2]rune

// parseClass reads a character class starting at s[0] == '[' and returns
// its ranges and the bytes consumed, following sre_parse: a '-' first or
// last is literal, escapes are \uXXXX, \UXXXXXXXX, \xXX, \t-style and
// escaped punctuation.
func parseClass(s string) ([]runeRange, int, error) {
	if s == "" || s[0] != '[' {
		return nil, 0, fmt.Errorf("not a character class")
	}
	rs := []rune(s)
	i := 1
	if i < len(rs) && rs[i] == '^' {
		return nil, 0, fmt.Errorf("negated classes are not supported")
	}
	var out []runeRange
	first := true
	item := func() (rune, error) {
		c := rs[i]
		if c != '\\' {
			i++
			return c, nil
		}
		if i+1 >= len(rs) {
			return 0, fmt.Errorf("trailing backslash in class")
		}
		e := rs[i+1]
		i += 2
		switch e {
		case 'u', 'U', 'x':
			w := map[rune]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+w > len(rs) {
				return 0, fmt.Errorf("truncated \\%c escape", e)
			}
			v, err := strconv.ParseUint(string(rs[i:i+w]), 16, 32)
			if err != nil {
				return 0, fmt.Errorf("bad \\%c escape", e)
			}
			i += w
			return rune(v), nil
		case 'n':
			return '\n', nil
		case 't':
			return '\t', nil
		case 'r':
			return '\r', nil
		case 'f':
			return '\f', nil
		case 'v':
			return '\v', nil
		case 'a':
			return 7, nil
		}
		if e < 0x80 && (e >= '0' && e <= '9' || e >= 'a' && e <= 'z' || e >= 'A' && e <= 'Z') {
			return 0, fmt.Errorf("class escape \\%c is not supported", e)
		}
		return e, nil
	}
	for {
		if i >= len(rs) {
			return nil, 0, fmt.Errorf("unterminated character class")
		}
		if rs[i] == ']' && !first {
			i++
			break
		}
		first = false
		lo, err := item()
		if err != nil {
			return nil, 0, err
		}
		hi := lo
		if i+1 < len(rs) && rs[i] == '-' && rs[i+1] != ']' {
			i++
			hi, err = item()
			if err != nil {
				return nil, 0, err
			}
			if hi < lo {
				return nil, 0, fmt.Errorf("bad range %U-%U", lo, hi)
			}
		}
		out = append(out, runeRange{lo, hi})
	}
	return normalize(out), len(string(rs[:i])), nil
}

// classOf parses a pattern that is exactly one character class.
func classOf(p string) ([]runeRange, error) {
	r, n, err := parseClass(p)
	if err != nil {
		return nil, fmt.Errorf("%q: %v", p, err)
	}
	if n != len(p) {
		return nil, fmt.Errorf("%q: text after the class", p)
	}
	return r, nil
}

// normalize sorts and merges ranges (adjacent ones too).
func normalize(in []runeRange) []runeRange {
	if len(in) == 0 {
		return nil
	}
	rs := append([]runeRange(nil), in...)
	sort.Slice(rs, func(i, j int) bool { return rs[i][0] < rs[j][0] })
	out := []runeRange{rs[0]}
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r[0] <= last[1]+1 {
			if r[1] > last[1] {
				last[1] = r[1]
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

const reSpecial = `.^$*+?{}[]|()`

// literal returns the text a pattern matches if it is a plain string
// (escaped punctuation allowed), else ok is false.
func literal(p string) (string, bool) {
	var b strings.Builder
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c == '\\' {
			if i+1 >= len(rs) {
				return "", false
			}
			e := rs[i+1]
			if e < 0x80 && (e >= '0' && e <= '9' || e >= 'a' && e <= 'z' || e >= 'A' && e <= 'Z') {
				return "", false
			}
			b.WriteRune(e)
			i++
			continue
		}
		if strings.ContainsRune(reSpecial, c) {
			return "", false
		}
		b.WriteRune(c)
	}
	return b.String(), true
}

// expand lists the strings a finite pattern matches, in the order the
// regex engine tries them: alternatives left to right, an optional item
// present before absent, a class's members in class order.
func expand(p string) ([]string, error) {
	rs := []rune(p)
	out, n, err := expandAlt(rs, 0)
	if err != nil {
		return nil, fmt.Errorf("%q: %v", p, err)
	}
	if n != len(rs) {
		return nil, fmt.Errorf("%q: unbalanced ')'", p)
	}
	return out, nil
}

func expandAlt(rs []rune, i int) ([]string, int, error) {
	var out []string
	for {
		seq, j, err := expandSeq(rs, i)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, seq...)
		i = j
		if i < len(rs) && rs[i] == '|' {
			i++
			continue
		}
		return out, i, nil
	}
}

func expandSeq(rs []rune, i int) ([]string, int, error) {
	acc := []string{""}
	for i < len(rs) && rs[i] != '|' && rs[i] != ')' {
		var opts []string
		switch c := rs[i]; {
		case c == '(':
			i++
			if i+1 < len(rs) && rs[i] == '?' && rs[i+1] == ':' {
				i += 2
			} else if i < len(rs) && rs[i] == '?' {
				return nil, 0, fmt.Errorf("lookaround groups are not finite strings")
			}
			sub, j, err := expandAlt(rs, i)
			if err != nil {
				return nil, 0, err
			}
			if j >= len(rs) || rs[j] != ')' {
				return nil, 0, fmt.Errorf("unclosed group")
			}
			opts, i = sub, j+1
		case c == '[':
			ranges, n, err := parseClass(string(rs[i:]))
			if err != nil {
				return nil, 0, err
			}
			i += len([]rune(string(rs[i:])[:n]))
			for _, r := range ranges {
				if r[1]-r[0] > 64 {
					return nil, 0, fmt.Errorf("class too large to list")
				}
				for x := r[0]; x <= r[1]; x++ {
					opts = append(opts, string(x))
				}
			}
		case c == '\\':
			if i+1 >= len(rs) {
				return nil, 0, fmt.Errorf("trailing backslash")
			}
			lit, ok := literal(string(rs[i : i+2]))
			if !ok {
				return nil, 0, fmt.Errorf("escape %q is not a literal", string(rs[i:i+2]))
			}
			opts, i = []string{lit}, i+2
		case strings.ContainsRune(`.^$*+{}]`, c):
			return nil, 0, fmt.Errorf("%q does not match a finite list", string(c))
		default:
			opts, i = []string{string(c)}, i+1
		}
		if i < len(rs) && rs[i] == '?' {
			opts = append(opts, "")
			i++
		}
		var next []string
		for _, a := range acc {
			for _, o := range opts {
				next = append(next, a+o)
			}
		}
		if len(next) > maxExpansion {
			return nil, 0, fmt.Errorf("pattern matches more than %d strings", maxExpansion)
		}
		acc = next
	}
	return acc, i, nil
}

// maxExpansion bounds expand: spaCy's lists have a few hundred entries.
const maxExpansion = 1 << 16
