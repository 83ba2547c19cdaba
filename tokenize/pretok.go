package tokenize

import (
	"unicode"
	"unicode/utf8"
)

// The pre-tokenizer regexes of the shipped families. They use lookahead
// (\s+(?!\S)) and Unicode classes, which Go's regexp lacks, so each is
// matched by hand below, alternative by alternative, with the same
// leftmost-first, greedy, backtracking semantics as the regex engines of the
// reference implementations (Oniguruma in Hugging Face tokenizers,
// fancy-regex in tiktoken).
const (
	// cl100k_base and Llama 3.
	patCL100K = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	// Qwen 2 and 3: single digits.
	patQwen = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	// o200k_base.
	patO200K = `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

type pretokKind uint8

const (
	preCL100K pretokKind = iota + 1
	preQwen
	preO200K
)

func pretokFor(pattern string) (pretokKind, bool) {
	switch pattern {
	case patCL100K:
		return preCL100K, true
	case patQwen:
		return preQwen, true
	case patO200K:
		return preO200K, true
	}
	return 0, false
}

// Character classes. ASCII is looked up in a table; the rest asks package
// unicode.
const (
	cL     = 1 << iota // \p{L}
	cN                 // \p{N}
	cS                 // \s (White_Space)
	cNL                // \r or \n
	cUpper             // \p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}  (o200k's first class)
	cLower             // \p{Ll}\p{Lm}\p{Lo}\p{M}        (o200k's second class)
	cM                 // \p{M}
)

var (
	asciiClass [128]uint8
	bmpClass   [0x10000]uint8 // the Basic Multilingual Plane, filled at init (a few ms)
)

func init() {
	for r := rune(0); r < 0x10000; r++ {
		bmpClass[r] = slowClass(r)
	}
	copy(asciiClass[:], bmpClass[:128])
}

// class is slowClass through the tables.
func class(r rune) uint8 {
	if r < 0x10000 {
		return bmpClass[r]
	}
	return slowClass(r)
}

func slowClass(r rune) uint8 {
	var c uint8
	switch {
	case unicode.IsLetter(r):
		c |= cL
		if unicode.Is(unicode.Ll, r) {
			c |= cLower
		} else if unicode.Is(unicode.Lu, r) || unicode.Is(unicode.Lt, r) {
			c |= cUpper
		} else { // Lm, Lo
			c |= cUpper | cLower
		}
	case unicode.IsNumber(r):
		c |= cN
	case unicode.IsSpace(r):
		c |= cS
		if r == '\r' || r == '\n' {
			c |= cNL
		}
	case unicode.Is(unicode.M, r):
		c |= cM | cUpper | cLower
	}
	return c
}

// classAt returns the class of the rune at s[i] and its width.
func classAt(s string, i int) (uint8, int) {
	b := s[i]
	if b < utf8.RuneSelf {
		return asciiClass[b], 1
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	return class(r), w
}

// split calls fn with each piece of s, in order; the pieces cover s.
func (k pretokKind) split(s string, fn func(piece string)) {
	for i := 0; i < len(s); {
		var j int
		switch k {
		case preO200K:
			j = matchO200K(s, i)
		case preQwen:
			j = matchCL100K(s, i, 1)
		default:
			j = matchCL100K(s, i, 3)
		}
		fn(s[i:j])
		i = j
	}
}

// contraction matches (?i:'s|'t|'re|'ve|'m|'ll|'d) at s[i:] and returns its
// end, or -1. Under Unicode simple case folding ſ (U+017F) matches s.
func contraction(s string, i int) int {
	if i >= len(s) || s[i] != '\'' {
		return -1
	}
	i++
	if i >= len(s) {
		return -1
	}
	lower := func(b byte) byte { return b | 0x20 }
	switch lower(s[i]) {
	case 's', 't', 'm', 'd':
		return i + 1
	case 'r', 'v':
		if i+1 < len(s) && lower(s[i+1]) == 'e' {
			return i + 2
		}
	case 'l':
		if i+1 < len(s) && lower(s[i+1]) == 'l' {
			return i + 2
		}
	}
	if s[i] == 0xC5 && i+1 < len(s) && s[i+1] == 0xBF { // ſ
		return i + 2
	}
	return -1
}

// runOf returns the end of the run of runes from i whose class has any of
// the bits in mask.
func runOf(s string, i int, mask uint8) int {
	for i < len(s) {
		c, w := classAt(s, i)
		if c&mask == 0 {
			break
		}
		i += w
	}
	return i
}

// punct is [^\s\p{L}\p{N}].
func isPunct(c uint8) bool { return c&(cL|cN|cS) == 0 }

func runPunct(s string, i int) int {
	for i < len(s) {
		c, w := classAt(s, i)
		if !isPunct(c) {
			break
		}
		i += w
	}
	return i
}

// matchSpace matches \s*[\r\n]+ | \s+(?!\S) | \s+ at s[i], whose rune is
// white space.
func matchSpace(s string, i int) int {
	end := i
	lastNL := -1
	last := i // start of the last rune of the run
	for end < len(s) {
		c, w := classAt(s, end)
		if c&cS == 0 {
			break
		}
		if c&cNL != 0 {
			lastNL = end
		}
		last = end
		end += w
	}
	if lastNL >= 0 {
		return lastNL + 1
	}
	if end == len(s) || last == i {
		return end
	}
	return last
}

func matchCL100K(s string, i, maxDigits int) int {
	if j := contraction(s, i); j > 0 {
		return j
	}
	c, w := classAt(s, i)
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if c&cL != 0 {
		return runOf(s, i+w, cL)
	}
	if c&(cNL|cN) == 0 && i+w < len(s) {
		if c2, w2 := classAt(s, i+w); c2&cL != 0 {
			return runOf(s, i+w+w2, cL)
		}
	}
	// \p{N}{1,maxDigits}
	if c&cN != 0 {
		j := i + w
		for n := 1; n < maxDigits && j < len(s); n++ {
			c2, w2 := classAt(s, j)
			if c2&cN == 0 {
				break
			}
			j += w2
		}
		return j
	}
	//  ?[^\s\p{L}\p{N}]+[\r\n]*
	j := i
	if s[i] == ' ' && i+1 < len(s) {
		if c2, _ := classAt(s, i+1); isPunct(c2) {
			j = i + 1
		}
	}
	if c2, _ := classAt(s, j); isPunct(c2) {
		j = runPunct(s, j)
		for j < len(s) && (s[j] == '\r' || s[j] == '\n') {
			j++
		}
		return j
	}
	return matchSpace(s, i)
}

// upperLower matches [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+
// at s[i] and returns its end, or -1.
func upperLower(s string, i int) int {
	end := runOf(s, i, cUpper)
	if end < len(s) {
		if c, _ := classAt(s, end); c&cLower != 0 {
			return runOf(s, end, cLower)
		}
	}
	// Give back runes of the upper run until one is also in the lower class;
	// the lower run then ends right after it (what follows it is Lu/Lt or
	// not a letter).
	for j := end; j > i; {
		r, w := utf8.DecodeLastRuneInString(s[i:j])
		j -= w
		if class(r)&cLower != 0 {
			return j + w
		}
	}
	return -1
}

func optContraction(s string, j int) int {
	if k := contraction(s, j); k > 0 {
		return k
	}
	return j
}

func matchO200K(s string, i int) int {
	c, w := classAt(s, i)
	prefix := c&(cNL|cL|cN) == 0 && i+w < len(s)
	// [^\r\n\p{L}\p{N}]?[UPPER]*[LOWER]+(contraction)?
	if prefix {
		if j := upperLower(s, i+w); j > 0 {
			return optContraction(s, j)
		}
	}
	if j := upperLower(s, i); j > 0 {
		return optContraction(s, j)
	}
	// [^\r\n\p{L}\p{N}]?[UPPER]+[LOWER]*(contraction)?
	if prefix {
		if j := runOf(s, i+w, cUpper); j > i+w {
			return optContraction(s, runOf(s, j, cLower))
		}
	}
	if j := runOf(s, i, cUpper); j > i {
		return optContraction(s, runOf(s, j, cLower))
	}
	// \p{N}{1,3}
	if c&cN != 0 {
		j := i + w
		for n := 1; n < 3 && j < len(s); n++ {
			c2, w2 := classAt(s, j)
			if c2&cN == 0 {
				break
			}
			j += w2
		}
		return j
	}
	//  ?[^\s\p{L}\p{N}]+[\r\n/]*
	j := i
	if s[i] == ' ' && i+1 < len(s) {
		if c2, _ := classAt(s, i+1); isPunct(c2) {
			j = i + 1
		}
	}
	if c2, _ := classAt(s, j); isPunct(c2) {
		j = runPunct(s, j)
		for j < len(s) && (s[j] == '\r' || s[j] == '\n' || s[j] == '/') {
			j++
		}
		return j
	}
	return matchSpace(s, i)
}
