package words

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// token is a token as byte offsets into the tokenized text. ws marks the
// whitespace tokens spaCy keeps (every whitespace run except a single space
// after a word); datatrove strips them from the word list, but they still
// separate tokens for the exception matcher and the sentencizer.
type token struct {
	s, e int32
	ws   bool
}

// firstPass is spaCy's Tokenizer._tokenize_affixes: split on whitespace,
// then peel prefixes and suffixes off each chunk, look up exceptions, match
// URLs and split infixes.
func (r *ruleSet) firstPass(text string, specials bool, out []token) []token {
	n := len(text)
	if n == 0 {
		return out
	}
	c0, _ := firstRune(text)
	inWS := isSpace(c0)
	start := 0
	plain := true // the current chunk has only ASCII letters so far
	for i := 0; i < n; {
		k := byteKind[text[i]]
		c := rune(text[i])
		sz := 1
		var sp bool
		switch k {
		case kLetter:
			sp = false
		case kSpace:
			sp = true
		case kOther:
			sp = false
			plain = false
		default:
			c, sz = utf8.DecodeRuneInString(text[i:])
			sp = isSpace(c)
			plain = false
		}
		if sp != inWS {
			if start < i {
				out = r.chunk(text, start, i, inWS, plain && !inWS, specials, out)
			}
			if c == ' ' {
				start = i + 1
			} else {
				start = i
			}
			inWS = !inWS
			plain = k == kLetter
		}
		i += sz
	}
	if start < n {
		out = r.chunk(text, start, n, inWS, plain && !inWS, specials, out)
	}
	return out
}

const (
	kLetter = iota
	kSpace
	kOther
	kMulti
)

// byteKind classifies bytes for the whitespace scan: ASCII letters,
// ASCII whitespace (Python's), other ASCII, and UTF-8 lead or continuation
// bytes.
var byteKind = func() (t [256]uint8) {
	for b := 0; b < 256; b++ {
		switch {
		case b >= 0x80:
			t[b] = kMulti
		case asciiSpace[b]:
			t[b] = kSpace
		case b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z':
			t[b] = kLetter
		default:
			t[b] = kOther
		}
	}
	return t
}()

// chunk tokenizes text[s:e], a run of whitespace or of non-space.
func (r *ruleSet) chunk(text string, s, e int, ws, plain, specials bool, out []token) []token {
	if ws {
		// No rule splits whitespace; exceptions map it to itself.
		return append(out, token{int32(s), int32(e), true})
	}
	span := text[s:e]
	if specials {
		if ends, ok := r.special(span); ok {
			return appendException(out, s, ends)
		}
	}
	if plain && r.plainWord(span) {
		return append(out, token{int32(s), int32(e), false})
	}
	// Affix loop (Tokenizer._split_affixes). prefixes and suffixes are kept
	// as byte lengths; suffixes are emitted in reverse order of discovery.
	var preBuf, sufBuf [8]int32
	pres, sufs := preBuf[:0], sufBuf[:0]
	a, b := s, e
	last := -1
	anchor := r.anyAnchorA && strings.Contains(span, "<a")
	for a < b && b-a != last {
		cur := text[a:b]
		if specials {
			if _, ok := r.special(cur); ok {
				break
			}
		}
		last = b - a
		pl := r.findPrefixIn(cur, anchor)
		if pl != 0 && specials && a+pl < b {
			if _, ok := r.special(text[a+pl : b]); ok {
				pres = append(pres, int32(pl))
				a += pl
				break
			}
		}
		sl := r.findSuffix(text[a+pl : b])
		if sl != 0 && specials && a < b-sl {
			if _, ok := r.special(text[a : b-sl]); ok {
				sufs = append(sufs, int32(sl))
				b -= sl
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
			pres = append(pres, int32(pl))
			a += pl
		case sl != 0:
			sufs = append(sufs, int32(sl))
			b -= sl
		}
	}
	// Attach (Tokenizer._attach_tokens).
	p := s
	for _, l := range pres {
		out = append(out, token{int32(p), int32(p) + l, false})
		p += int(l)
	}
	if a < b {
		core := text[a:b]
		ends, isSpecial := []uint16(nil), false
		if specials {
			ends, isSpecial = r.special(core)
		}
		switch {
		case isSpecial:
			out = appendException(out, a, ends)
		case urlMatch(core):
			out = append(out, token{int32(a), int32(b), false})
		default:
			out = r.splitInfixes(text, a, b, out)
		}
	}
	q := b
	for i := len(sufs) - 1; i >= 0; i-- {
		out = append(out, token{int32(q), int32(q) + sufs[i], false})
		q += int(sufs[i])
	}
	return out
}

func appendException(out []token, at int, ends []uint16) []token {
	prev := 0
	for _, e := range ends {
		out = append(out, token{int32(at + prev), int32(at + int(e)), false})
		prev = int(e)
	}
	return out
}

// splitInfixes cuts text[a:b] at its infix matches. As in spaCy, a match at
// the very start is skipped (it stays glued to what follows).
func (r *ruleSet) splitInfixes(text string, a, b int, out []token) []token {
	var buf [8]infix
	return splitAt(text, a, b, r.findInfixes(text[a:b], buf[:0]), out)
}

// splitAt cuts text[a:b] at the infix matches ms.
func splitAt(text string, a, b int, ms []infix, out []token) []token {
	if len(ms) == 0 {
		return append(out, token{int32(a), int32(b), false})
	}
	start := 0
	for _, m := range ms {
		if m.s == 0 {
			continue
		}
		if m.s != start {
			out = append(out, token{int32(a + start), int32(a + m.s), false})
		}
		if m.s != m.e {
			out = append(out, token{int32(a + m.s), int32(a + m.e), false})
		}
		start = m.e
	}
	if a+start < b {
		out = append(out, token{int32(a + start), int32(b), false})
	}
	return out
}

// plainWord reports whether no rule can apply to span, known to hold only
// ASCII letters: true unless (for id/ms) it starts with a letter currency
// code such as "Rp".
func (r *ruleSet) plainWord(span string) bool {
	if r.indoAff && r.prefixFirst[span[0]] {
		for _, p := range r.prefixByFirst[span[0]] {
			if len(p) <= len(span) && span[:len(p)] == p {
				return false
			}
		}
	}
	return true
}

// applySpecialMatches is spaCy's second pass (Tokenizer._apply_special_cases):
// find token sequences equal to the pattern of an exception, keep the
// longest non-overlapping ones, and replace those whose text is exactly the
// exception's text by the exception's tokens.
func (r *ruleSet) applySpecialMatches(text string, toks []token, tmp []token) ([]token, []token) {
	return r.applySpecialMatchesAt(text, toks, tmp, nil)
}

// applySpecialMatchesAt is applySpecialMatches looking for matches only at
// the tokens indexed by cands (in increasing order), or at every token when
// cands is nil.
func (r *ruleSet) applySpecialMatchesAt(text string, toks []token, tmp []token, cands []int32) ([]token, []token) {
	if len(r.patterns) == 0 {
		return toks, tmp
	}
	type span struct{ s, e int }
	var matches []span
	n := len(toks)
	if cands != nil {
		n = len(cands)
	}
	for j := 0; j < n; j++ {
		i := j
		if cands != nil {
			i = int(cands[j])
		}
		t := toks[i]
		if t.ws {
			continue
		}
		w := text[t.s:t.e]
		if cands == nil && !r.patMay.mayHave(w) {
			continue // (cands passed patMay)
		}
		pats, ok := r.patFirst[w]
		if !ok {
			continue
		}
		for _, pi := range pats {
			pat := r.patterns[pi]
			if i+len(pat) > len(toks) {
				continue
			}
			ok := true
			for k := 1; k < len(pat); k++ {
				u := toks[i+k]
				if text[u.s:u.e] != pat[k] {
					ok = false
					break
				}
			}
			if ok {
				matches = append(matches, span{i, i + len(pat)})
			}
		}
	}
	if len(matches) == 0 {
		return toks, tmp
	}
	// Longest first; among equal lengths, the leftmost first. A match is
	// kept unless its first or last token is already covered (by any
	// match before it, kept or not). Equal keys are equal spans, so the
	// order the sort leaves them in does not matter.
	slices.SortFunc(matches, func(x, y span) int {
		if lx, ly := x.e-x.s, y.e-y.s; lx != ly {
			return ly - lx
		}
		return x.s - y.s
	})
	lo, hi := matches[0].s, matches[0].e
	for _, m := range matches {
		lo, hi = min(lo, m.s), max(hi, m.e)
	}
	seen := make([]uint64, (hi-lo+63)/64) // tokens covered, from lo
	covered := func(k int) bool { return seen[(k-lo)>>6]&(1<<((k-lo)&63)) != 0 }
	kept := matches[:0:0]
	for _, m := range matches {
		if !covered(m.s) && !covered(m.e-1) {
			kept = append(kept, m)
		}
		for k := m.s; k < m.e; k++ {
			seen[(k-lo)>>6] |= 1 << ((k - lo) & 63)
		}
	}
	slices.SortFunc(kept, func(x, y span) int { return x.s - y.s })
	out := tmp[:0]
	i := 0
	for _, m := range kept {
		if m.s < i {
			continue // spaCy keys spans by start; overlaps cannot both apply
		}
		out = append(out, toks[i:m.s]...)
		a, b := toks[m.s].s, toks[m.e-1].e
		if ends, ok := r.specials[text[a:b]]; ok {
			out = appendException(out, int(a), ends)
		} else {
			out = append(out, toks[m.s:m.e]...)
		}
		i = m.e
	}
	out = append(out, toks[i:]...)
	return out, toks
}

// tokenizeRef runs both passes and returns all tokens, whitespace
// included. It is the reference the fast path (tokenizeFast) is checked
// against.
func (r *ruleSet) tokenizeRef(text string, buf, tmp []token) ([]token, []token) {
	toks := r.firstPass(text, true, buf[:0])
	return r.applySpecialMatches(text, toks, tmp)
}
