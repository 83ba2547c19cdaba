package words

import (
	"math/bits"
	"strings"
	"unicode/utf8"
)

// The fast path. It computes exactly what the reference path (tokenizeRef:
// firstPass, chunk, findSuffix, applySpecialMatches in tokenizer.go and
// affixes.go) computes, from the same rule data, with less work per chunk.
// Each shortcut rests on a fact about the rules that prepareFast checks
// when a rule set is built:
//
//   - the whitespace scan takes ASCII letters eight at a time and notes
//     whether a chunk is letters only, digits only, or letters or digits
//     then one mark;
//   - a chunk of letters (ASCII, or of other scripts where no rule starts:
//     alphaOK) or of digits that is no exception and starts no
//     multi-character prefix is one token (lettersNoAffix, alphaNoAffix,
//     digitsNoAffix);
//   - letters or digits then one mark give [run, mark] without the affix
//     loop (runThenMark), one character gives itself;
//   - the affix loop looks each candidate string up in the exceptions once
//     rather than up to three times, leaves as soon as what remains is one
//     run of letters, and finds suffixes by the literals ending in the
//     string's last byte (findSuffixFast), infixes by stepping over bytes
//     no infix starts at (findInfixesFast);
//   - strings of digits, dots and commas skip the URL matcher unless they
//     have the three dots of an IPv4 host (urlMayMatch);
//   - the second pass looks only at the tokens that, with the token after
//     them, may begin a matcher pattern (candSet).
//
// FuzzFastPath and TestFastPathCorpora check tokens, suffixes, infixes and
// URL decisions against the reference path.

// fast-path byte classes
const (
	fLetter uint8 = 1 << iota // ASCII letter
	fSpace                    // ASCII whitespace (Python's)
	fOther                    // other ASCII
	fHigh                     // UTF-8 lead or continuation byte
	fDigit                    // ASCII digit
	fAlpha                    // a non-ASCII letter no rule starts at (alphaOK)
)

var byteFlags = func() (t [256]uint8) {
	for b := 0; b < 256; b++ {
		switch byteKind[b] {
		case kLetter:
			t[b] = fLetter
		case kSpace:
			t[b] = fSpace
		case kOther:
			t[b] = fOther
			if b >= '0' && b <= '9' {
				t[b] = fDigit
			}
		default:
			t[b] = fHigh
		}
	}
	return t
}()

// tokenizeFast is tokenizeRef's fast path; cands is scratch space for the
// second pass.
func (r *ruleSet) tokenizeFast(text string, buf, tmp []token, cands []int32) ([]token, []token, []int32) {
	toks, cands := r.firstPassFast(text, buf[:0], cands[:0])
	if len(cands) == 0 {
		return toks, tmp, cands
	}
	toks, tmp = r.applySpecialMatchesAt(text, toks, tmp, cands)
	return toks, tmp, cands
}

// firstPassFast is firstPass with specials on. It also returns the indices
// of the tokens that may start a matcher pattern (a superset of those that
// do, by patMay).
func (r *ruleSet) firstPassFast(text string, out []token, cands []int32) ([]token, []int32) {
	cs := candSet{list: cands, pend: -1}
	n := len(text)
	ws := 0 // start of the pending whitespace run
	i := 0
	for i < n {
		// Whitespace run from i; the token, if any, starts at ws.
		for i < n {
			b := text[i]
			if b < utf8.RuneSelf {
				if !asciiSpace[b] {
					break
				}
				i++
				continue
			}
			c, sz := utf8.DecodeRuneInString(text[i:])
			if !isSpace(c) {
				break
			}
			i += sz
		}
		if ws < i {
			out = append(out, token{int32(ws), int32(i), true})
			if cs.pend >= 0 {
				r.next(&cs, keyRaw(text[ws:i]))
			}
		}
		if i >= n {
			break
		}
		// Non-space run from i.
		s := i
		acc := uint8(0)
		firstMark := -1 // the first byte that is no ASCII letter or digit
		nl := 0         // bytes that are no ASCII letters
		for i < n {
			for i+8 <= n {
				m := letterBytes(load64(text, i))
				if m == highBits {
					i += 8
					continue
				}
				i += bits.TrailingZeros64(^m&highBits) >> 3
				break
			}
			if i >= n {
				break
			}
			f := byteFlags[text[i]]
			if f == fLetter {
				i++
				continue
			}
			if f == fSpace {
				break
			}
			sz := 1
			if f == fHigh {
				var c rune
				c, sz = utf8.DecodeRuneInString(text[i:])
				if isSpace(c) {
					break
				}
				if c < 0x10000 && r.alphaOK[c>>6]&(1<<(c&63)) != 0 {
					f = fAlpha
				}
			}
			if f != fDigit && firstMark < 0 {
				firstMark = i
			}
			nl += sz
			acc |= f
			i += sz
		}
		done := false
		if r.oneHash && (acc == 0 || acc == fAlpha && r.alphaNoAffix || acc == fDigit && nl == i-s && r.digitsNoAffix) {
			// Letters only (ASCII, or with letters of other scripts no
			// rule starts at), or digits only: no rule but an exception
			// or a multi-character prefix applies. One hash serves the
			// exception and the pattern filter.
			span := text[s:i]
			raw := keyRaw(span)
			h := r.specialsMay.mix(raw)
			if !(len(span) <= r.maxSpecial && r.specialsMay.test(h) && r.specials[span] != nil) && r.plainWord(span) &&
				(acc != fAlpha || !r.prefixFirst[span[0]] || r.findPrefixIn(span, false) == 0) {
				out = append(out, token{int32(s), int32(i), false})
				if cs.pend >= 0 {
					r.next(&cs, raw)
				}
				if r.patMay.test(h) {
					r.add(&cs, len(out)-1, raw)
				}
				done = true
			}
		} else if firstMark == i-1 && i-1 > s && r.lettersNoAffix {
			// Letters or digits, then one ASCII mark.
			if acc == fOther && nl == 1 {
				out, done = r.runThenMark(text, s, i, false, out, &cs)
			} else if acc == fDigit|fOther && nl == i-s && r.digitsNoAffix {
				out, done = r.runThenMark(text, s, i, true, out, &cs)
			}
		}
		if !done && oneRune(text[s:i]) {
			// One character: the rules can only keep it whole (tokens
			// cover the chunk, at character boundaries), unless it is an
			// exception.
			before := len(out)
			if ends, ok := r.special(text[s:i]); ok {
				out = appendException(out, s, ends)
			} else {
				out = append(out, token{int32(s), int32(i), false})
			}
			r.noteTokens(&cs, text, out, before)
			done = true
		}
		if !done {
			before := len(out)
			out = r.chunkFast(text, s, i, out)
			r.noteTokens(&cs, text, out, before)
		}
		// A single space after a chunk belongs to it (spaCy's SPACY flag).
		ws = i
		if i < n && text[i] == ' ' {
			ws = i + 1
		}
	}
	if cs.pend >= 0 {
		cs.list = cs.list[:len(cs.list)-1] // no token follows it
	}
	return out, cs.list
}

// candSet collects the tokens that may start a matcher pattern: those
// patMay lets through, less those that can start only patterns of two or
// more tokens and that, with the token after them, cannot be a pattern's
// first two (patPair).
type candSet struct {
	list    []int32
	pend    int32  // the last candidate, waiting for the token after it; -1 if none
	pendRaw uint32 // its keyRaw
}

// next notes that the token after the pending candidate has keyRaw raw.
func (r *ruleSet) next(cs *candSet, raw uint32) {
	if !r.patPair.test(r.patPair.mixPair(cs.pendRaw, raw)) {
		cs.list = cs.list[:len(cs.list)-1]
	}
	cs.pend = -1
}

// add notes token k, with keyRaw raw, as a candidate.
func (r *ruleSet) add(cs *candSet, k int, raw uint32) {
	cs.list = append(cs.list, int32(k))
	if !r.patSingle.test(r.patSingle.mix(raw)) {
		cs.pend, cs.pendRaw = int32(k), raw
	}
}

// noteTokens notes the tokens out[from:].
func (r *ruleSet) noteTokens(cs *candSet, text string, out []token, from int) {
	for k := from; k < len(out); k++ {
		t := out[k]
		raw := keyRaw(text[t.s:t.e])
		if cs.pend >= 0 {
			r.next(cs, raw)
		}
		if !t.ws && r.patMay.test(r.patMay.mix(raw)) {
			r.add(cs, k, raw)
		}
	}
}

// oneRune reports whether s is one valid UTF-8 encoded character.
func oneRune(s string) bool {
	if len(s) == 1 {
		return s[0] < utf8.RuneSelf
	}
	c, n := utf8.DecodeRuneInString(s)
	return n == len(s) && c != utf8.RuneError
}

const highBits = 0x8080808080808080

// load64 reads 8 bytes of s at i, little-endian (one load once compiled).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// letterBytes sets the high bit of each byte of x that is an ASCII letter:
// folded to lower case (|0x20, which maps no other byte into a-z), at or
// above 'a', below '{', and ASCII.
func letterBytes(x uint64) uint64 {
	y := x | 0x2020202020202020
	lo := y &^ highBits
	return (lo + 0x1F1F1F1F1F1F1F1F) &^ (lo + 0x0505050505050505) &^ y & highBits
}

// runThenMark tokenizes text[s:e], a run R of ASCII letters (or of ASCII
// digits) then one ASCII mark c, when that gives [R, c] or [exception
// R..., c]. That is the reference affix loop on R+c when R+c is no
// exception and, for letters, neither R+c nor R starts with a
// multi-character prefix: no prefix (letters and digits are no
// one-character prefixes, and "<a" cannot occur); the suffix is c alone
// when the rules take c after R's last byte (no dot run, and no literal
// suffix but c itself can end R+c: litAfterLetters, litAfterDigits); then R
// is an exception, or no rule applies to it (lettersNoAffix,
// digitsNoAffix) and it has no dot, so is no URL.
func (r *ruleSet) runThenMark(text string, s, e int, digits bool, out []token, cs *candSet) ([]token, bool) {
	span := text[s:e]
	run, c := span[:len(span)-1], span[len(span)-1]
	if digits {
		if r.litAfterDigits[c] {
			return out, false
		}
	} else if r.litAfterLetters[c] ||
		r.prefixFirst[span[0]] && (r.findPrefixIn(span, false) != 0 || r.findPrefixIn(run, false) != 0) {
		return out, false
	}
	if !r.suffixAt(span, len(run), rune(c), 1, rune(run[len(run)-1])) {
		return out, false
	}
	if _, ok := r.special(span); ok {
		return out, false
	}
	k := len(out)
	rawRun := keyRaw(run)
	if len(run) <= r.maxSpecial && r.specialsMay.test(r.specialsMay.mix(rawRun)) {
		if ends, ok := r.specials[run]; ok {
			out = appendException(out, s, ends)
			out = append(out, token{int32(e - 1), int32(e), false})
			r.noteTokens(cs, text, out, k)
			return out, true
		}
	}
	out = append(out, token{int32(s), int32(e - 1), false}, token{int32(e - 1), int32(e), false})
	if cs.pend >= 0 {
		r.next(cs, rawRun)
	}
	if r.patMay.test(r.patMay.mix(rawRun)) {
		r.add(cs, k, rawRun)
	}
	rawC := keyRaw(span[len(run):])
	if cs.pend >= 0 {
		r.next(cs, rawC)
	}
	if r.patMay.test(r.patMay.mix(rawC)) {
		r.add(cs, k+1, rawC)
	}
	return out, true
}

// chunkFast is chunk (with specials) for a non-space run. Each string the
// affix loop looks at is looked up in the exceptions once: known records
// that text[a:b] has been looked up and is no exception.
func (r *ruleSet) chunkFast(text string, s, e int, out []token) []token {
	span := text[s:e]
	if ends, ok := r.special(span); ok {
		return appendException(out, s, ends)
	}
	var preBuf, sufBuf [8]int32
	pres, sufs := preBuf[:0], sufBuf[:0]
	a, b := s, e
	last := -1
	anchor := r.anyAnchorA && strings.IndexByte(span, '<') >= 0 && strings.Contains(span, "<a")
	known := true
	var coreEnds []uint16 // the exception the core is, when the loop ends on one
	// [lf, ll) is span's run of ASCII letters when it has only one: once
	// the loop is down to letters and no multi-character prefix starts
	// them, no rule applies to them any more (lettersNoAffix).
	lf, ll := letterRun(text, s, e)
	letters := false
	for a < b && b-a != last {
		cur := text[a:b]
		if !known {
			if ends, ok := r.special(cur); ok {
				coreEnds = ends
				break
			}
		}
		if a >= lf && b <= ll && r.lettersNoAffix && r.findPrefixIn(cur, false) == 0 {
			letters = true
			break
		}
		known = false
		last = b - a
		pl := r.findPrefixIn(cur, anchor)
		if pl != 0 && a+pl < b {
			if ends, ok := r.special(text[a+pl : b]); ok {
				pres = append(pres, int32(pl))
				a += pl
				coreEnds = ends
				break
			}
		}
		sl := r.findSuffixFast(text[a+pl : b])
		if sl != 0 && a < b-sl {
			if ends, ok := r.special(text[a : b-sl]); ok {
				sufs = append(sufs, int32(sl))
				b -= sl
				coreEnds = ends
				break
			}
		}
		switch {
		case pl != 0 && sl != 0 && pl+sl <= b-a:
			pres = append(pres, int32(pl))
			sufs = append(sufs, int32(sl))
			a += pl
			b -= sl
		case pl != 0:
			// text[a+pl:b] was looked up above (when not empty).
			pres = append(pres, int32(pl))
			a += pl
			known = true
		case sl != 0:
			// text[a:b-sl] likewise.
			sufs = append(sufs, int32(sl))
			b -= sl
			known = true
		default:
			// Nothing peeled: the loop ends on cur, looked up above.
			known = true
		}
	}
	p := s
	for _, l := range pres {
		out = append(out, token{int32(p), int32(p) + l, false})
		p += int(l)
	}
	if a < b {
		core := text[a:b]
		switch {
		case coreEnds != nil:
			out = appendException(out, a, coreEnds)
		case letters:
			out = append(out, token{int32(a), int32(b), false})
		case urlMayMatch(core) && urlMatch(core):
			out = append(out, token{int32(a), int32(b), false})
		default:
			var buf [8]infix
			out = splitAt(text, a, b, r.findInfixesFast(core, buf[:0]), out)
		}
	}
	q := b
	for i := len(sufs) - 1; i >= 0; i-- {
		out = append(out, token{int32(q), int32(q) + sufs[i], false})
		q += int(sufs[i])
	}
	return out
}

// letterRun returns the bounds of the one run of ASCII letters in
// text[s:e], or an empty range when there are none or several.
func letterRun(text string, s, e int) (int, int) {
	f := s
	for f < e && byteKind[text[f]] != kLetter {
		f++
	}
	l := f
	for l < e && byteKind[text[l]] == kLetter {
		l++
	}
	for i := l; i < e; i++ {
		if byteKind[text[i]] == kLetter {
			return 0, -1
		}
	}
	return f, l
}

// findSuffixFast is findSuffix. findSuffix takes the leftmost start at
// which a rule matches, i.e. the longest match among: the trailing run of
// dots (two or more), a one-character rule on the last character, and the
// literal suffixes s ends with whose lookbehind holds. Only literals ending
// in s's last byte can be among them, so only those are tried.
func (r *ruleSet) findSuffixFast(s string) int {
	if s == "" {
		return 0
	}
	c, n := lastRune(s)
	if c == utf8.RuneError && n <= 1 {
		return r.findSuffix(s) // broken UTF-8: let the reference walk it
	}
	best := 0
	if c == '.' {
		i := len(s) - 1
		for i > 0 && s[i-1] == '.' {
			i--
		}
		if len(s)-i >= 2 {
			best = len(s) - i
		}
	}
	var prev rune = -1
	if p := len(s) - n; p > 0 {
		prev, _ = lastRune(s[:p])
	}
	if n > best && r.suffixOneChar(s, len(s)-n, c, prev) {
		best = n
	}
	for _, l := range r.sufByLast[s[len(s)-1]] {
		if len(l.s) <= best || len(l.s) > len(s) || s[len(s)-len(l.s):] != l.s {
			continue
		}
		var before rune = -1
		if p := len(s) - len(l.s); p > 0 {
			before, _ = lastRune(s[:p])
		}
		digit := isASCIIDigit(before)
		if !digit && !r.sufPlainFirst[l.s[0]] && !(l.s[0] == '<' && r.indoAff) {
			continue // suffixAt's gate
		}
		if l.flags&sufPlain != 0 ||
			l.flags&sufAfterDigit != 0 && digit ||
			l.flags&sufAfterAlnum != 0 && before >= 0 && (digit || class(before)&cAlpha != 0) {
			best = len(l.s)
		}
	}
	return best
}

// findInfixesFast is findInfixes. No infix rule starts at an ASCII byte
// outside infixStart (the bytes mayHaveInfix looks for), so those are
// stepped over without trying the rules.
func (r *ruleSet) findInfixesFast(s string, dst []infix) []infix {
	if !r.mayHaveInfix(s) {
		return dst
	}
	var prev, prev2 rune = -1, -1
	for p := 0; p < len(s); {
		if b := s[p]; !r.infixStart[b] {
			prev2, prev = prev, rune(b)
			p++
			continue
		}
		c, n := firstRune(s[p:])
		if e := r.infixAt(s, p, c, n, prev, prev2); e > p {
			dst = append(dst, infix{p, e})
			prev, prev2 = lastTwo(s[:e])
			p = e
			continue
		}
		prev2, prev = prev, c
		p += n
	}
	return dst
}

// sufEntry is a literal suffix and its sufLit flags.
type sufEntry struct {
	s     string
	flags uint8
}

// urlMayMatch is a cheap test that urlMatch can be true: a string of ASCII
// digits, dots and commas has no scheme, user info or lowercase TLD, so
// only the IPv4 host form, with its exactly three dots, can match it.
func urlMayMatch(s string) bool {
	dots, comma := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			dots++
		case c >= '0' && c <= '9':
		case c == ',':
			// Not an IPv4 host, but a later byte may still make it a
			// URL (",@0.aa"): decide at the end.
			comma = true
		default:
			return true
		}
	}
	return !comma && dots == 3
}

// prepareFast derives the fast path's tables from the rules.
func (r *ruleSet) prepareFast() {
	for s, f := range r.sufLit {
		b := s[len(s)-1]
		r.sufByLast[b] = append(r.sufByLast[b], sufEntry{s, f})
	}
	// lettersNoAffix: a string of ASCII letters has no prefix but a
	// prefixMulti literal (plainWord), no suffix (no one-character rule
	// takes a letter, and every literal made of letters needs a digit
	// before it), no infix (mayHaveInfix) and is no URL (no dot).
	ok := true
	for c := 'A'; c <= 'z'; c++ {
		if byteKind[c] != kLetter {
			continue
		}
		if class(c)&(r.suffix1|r.prefix1) != 0 || r.mayHaveInfix(string(c)) {
			ok = false
		}
	}
	for s, f := range r.sufLit {
		letters := true
		for i := 0; i < len(s); i++ {
			letters = letters && byteKind[s[i]] == kLetter
		}
		if letters && f&^sufAfterDigit != 0 {
			ok = false
		}
	}
	r.lettersNoAffix = ok
	r.digitsNoAffix = true
	r.oneHash = ok && r.patMay.shift == r.specialsMay.shift
	isDigit := func(b byte) bool { return b >= '0' && b <= '9' }
	for k, f := range r.sufLit {
		letters, digits := true, true
		for i := 0; i < len(k)-1; i++ {
			letters = letters && byteKind[k[i]] == kLetter
			digits = digits && isDigit(k[i])
		}
		if letters && len(k) > 1 {
			r.litAfterLetters[k[len(k)-1]] = true
		}
		if digits && len(k) > 1 {
			r.litAfterDigits[k[len(k)-1]] = true
		}
		allDigits := digits && isDigit(k[len(k)-1])
		if allDigits && f != 0 {
			r.digitsNoAffix = false
		}
	}
	// digitsNoAffix: nor does any rule apply to a string of ASCII digits:
	// no prefix starts with a digit, no one-character suffix rule takes a
	// digit, no literal suffix is all digits (checked above), no infix
	// starts at one, and there is no dot for a URL.
	r.digitsNoAffix = r.digitsNoAffix && r.lettersNoAffix
	for c := '0'; c <= '9'; c++ {
		if class(c)&(r.suffix1|r.prefix1) != 0 || r.prefixFirst[c] || r.mayHaveInfix(string(c)) {
			r.digitsNoAffix = false
		}
	}
	// alphaOK: the letters (spaCy's ALPHA) of other scripts that no one-
	// character prefix, suffix or infix rule takes: no prefix1 or suffix1
	// class, no icon, and none of the characters infixAt tests for by
	// name (…, –, —). alphaNoAffix: no literal suffix made of letters
	// applies without a digit before it, so that a chunk of such letters
	// and ASCII letters is, like one of ASCII letters, whole unless an
	// exception or a multi-character prefix.
	r.alphaNoAffix = r.lettersNoAffix
	for s, f := range r.sufLit {
		letters := true
		for _, c := range s {
			letters = letters && class(c)&cAlpha != 0
		}
		if letters && f&^sufAfterDigit != 0 {
			r.alphaNoAffix = false
		}
	}
	for c := rune(0x80); c < 0x10000; c++ {
		cl := bmpClass[c]
		if cl&cAlpha == 0 || cl&(r.prefix1|r.suffix1|cIcon|cSpace) != 0 ||
			c == '…' || c == '–' || c == '—' || c == utf8.RuneError || c >= 0xD800 && c <= 0xDFFF {
			continue
		}
		r.alphaOK[c>>6] |= 1 << (c & 63)
	}
	for b := 0; b < 256; b++ {
		r.infixStart[b] = b >= utf8.RuneSelf || r.mayHaveInfix(string(rune(b)))
	}
	r.patPair = newKeyFilter(len(r.patterns))
	r.patSingle = newKeyFilter(0)
	for _, pat := range r.patterns {
		if len(pat) == 1 {
			r.patSingle.add(pat[0])
		} else {
			r.patPair.addPair(pat[0], pat[1])
		}
	}
}
