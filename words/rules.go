package words

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// ruleSet is one spaCy "blank" tokenizer: exceptions, prefix, suffix and
// infix rules, and the URL matcher. The three sets saring reproduces are the
// multi-language rules ("xx"), English ("en") and Indonesian/Malay ("id",
// "ms"), which differ in their exceptions and punctuation.
type ruleSet struct {
	name string

	// specials maps an exception's text to the byte ends of its tokens.
	specials    map[string][]uint16
	specialsMay keyFilter
	maxSpecial  int // longest exception, in bytes

	prefix1     uint16    // class bit of one-character prefixes
	prefixMulti []string  // longer literal prefixes, in rule order
	anyAnchorA  bool      // the unanchored `<a[^>]+>` prefix (id, ms)
	prefixFirst [256]bool // first bytes of prefixMulti entries
	// prefixMulti by first byte, in rule order
	prefixByFirst [256][]string

	suffix1       uint16           // class bit of one-character suffixes without lookbehind
	sufLit        map[string]uint8 // longer or conditional literal suffixes
	sufMax        int              // longest literal suffix, in runes
	sufPlainFirst [256]bool        // first bytes of sufPlain literals
	currency      map[string]bool  // for the id/ms infix lookahead
	curList       []string         // same, in rule order
	indoAff       bool             // id/ms: extra suffixes and infixes
	enInfix       bool             // en: hyphen infix also after a digit
	patFirst      map[string][]int // matcher patterns by first token
	patMay        keyFilter
	patterns      [][]string // token texts of each matcher pattern
	maxPat        int

	sufByLast      [256][]sufEntry // sufLit by last byte (fast path)
	lettersNoAffix bool            // no affix rule applies to ASCII letters
	oneHash        bool            // lettersNoAffix, and specialsMay and patMay hash alike
	// litAfterLetters marks the last bytes of literal suffixes longer than
	// one byte whose other bytes are ASCII letters.
	litAfterLetters [256]bool
	litAfterDigits  [256]bool // the same for literals whose other bytes are digits
	digitsNoAffix   bool      // no affix rule applies to ASCII digits
	alphaNoAffix    bool      // nor to letters of alphaOK (fast path)
	alphaOK         [0x10000 / 64]uint64
	infixStart      [256]bool // bytes an infix rule may start at
	patPair         keyFilter // first two tokens of the longer patterns
	patSingle       keyFilter // one-token patterns
}

// flags of sufLit entries
const (
	sufPlain      uint8 = 1 << iota // no lookbehind
	sufAfterDigit                   // (?<=[0-9])
	sufAfterAlnum                   // (?<=[0-9{ALPHA}])
)

var (
	rulesOnce                          [4]sync.Once
	rulesXX, rulesEN, rulesID, rulesMS *ruleSet
)

func getRules(kind string) *ruleSet {
	switch kind {
	case "en":
		rulesOnce[1].Do(func() { rulesEN = newRules("en") })
		return rulesEN
	case "id":
		rulesOnce[2].Do(func() { rulesID = newRules("id") })
		return rulesID
	case "ms":
		rulesOnce[3].Do(func() { rulesMS = newRules("ms") })
		return rulesMS
	}
	rulesOnce[0].Do(func() { rulesXX = newRules("xx") })
	return rulesXX
}

func newRules(kind string) *ruleSet {
	r := &ruleSet{name: kind, sufLit: map[string]uint8{}}
	exc := exceptionsBase
	currency, units := currencyBase, unitsBase
	r.prefix1, r.suffix1, r.prefixMulti = cPrefix1Base, cSuffix1Base, prefixMultiBase
	switch kind {
	case "en":
		exc = exceptionsEN
		r.enInfix = true
	case "id", "ms":
		if kind == "id" {
			exc, currency, units, r.prefixMulti = exceptionsID, currencyID, unitsID, prefixMultiID
		} else {
			exc, currency, units, r.prefixMulti = exceptionsMS, currencyMS, unitsMS, prefixMultiMS
		}
		r.prefix1, r.suffix1 = cPrefix1ID, cSuffix1ID
		r.anyAnchorA = true
		r.indoAff = true
	}
	// Literal suffixes. The base currency and unit lists are used after a
	// digit in every language; id/ms add their own units and "%" after a
	// digit, and HTML closing tags after a letter or digit.
	for _, s := range []string{"……", "'s", "'S", "’s", "’S"} {
		r.sufLit[s] |= sufPlain
	}
	for _, s := range currencyBase {
		r.sufLit[s] |= sufAfterDigit
	}
	for _, s := range unitsBase {
		r.sufLit[s] |= sufAfterDigit
	}
	if r.indoAff {
		for _, s := range []string{"-nya", "-Nya", "-ku", "-Ku", "-mu", "-Mu"} {
			r.sufLit[s] |= sufPlain
		}
		for _, s := range units {
			r.sufLit[s] |= sufAfterDigit
		}
		r.sufLit["%"] |= sufAfterDigit
		for _, s := range htmlSuffixes {
			r.sufLit[s] |= sufAfterAlnum
		}
		r.currency = map[string]bool{}
		for _, c := range currency {
			r.currency[c] = true
		}
		r.curList = currency
	}
	for s, f := range r.sufLit {
		if f&sufPlain != 0 {
			r.sufPlainFirst[s[0]] = true
		}
		if n := utf8.RuneCountInString(s); n > r.sufMax {
			r.sufMax = n
		}
	}
	for _, p := range r.prefixMulti {
		r.prefixFirst[p[0]] = true
		r.prefixByFirst[p[0]] = append(r.prefixByFirst[p[0]], p)
	}
	r.specials = parseExceptions(exc)
	r.specialsMay = newKeyFilter(len(r.specials))
	for k := range r.specials {
		r.maxSpecial = max(r.maxSpecial, len(k))
		r.specialsMay.add(k)
	}
	r.buildMatcher()
	r.prepareFast()
	return r
}

func parseExceptions(table string) map[string][]uint16 {
	m := make(map[string][]uint16, strings.Count(table, "\x1e")+1)
	for _, rec := range strings.Split(table, "\x1e") {
		var ends []uint16
		key := strings.ReplaceAll(rec, "\x1f", "")
		n := 0
		for _, part := range strings.Split(rec, "\x1f") {
			n += len(part)
			ends = append(ends, uint16(n))
		}
		m[key] = ends
	}
	return m
}

// buildMatcher prepares spaCy's second pass: an exception whose text the
// affix rules would split is matched again over the token sequence (so that
// "Hello:)" still yields the emoticon ":)"). As in spaCy, a pattern is the
// exception's text tokenized without exceptions.
func (r *ruleSet) buildMatcher() {
	r.patFirst = map[string][]int{}
	r.patMay = newKeyFilter(len(r.specials))
	var toks []token
	for key := range r.specials {
		if !(r.findPrefix(key) > 0 || r.hasInfix(key) || r.findSuffix(key) > 0 || strings.Contains(key, " ")) {
			continue
		}
		toks = r.firstPass(key, false, toks[:0])
		if len(toks) == 0 {
			continue
		}
		pat := make([]string, len(toks))
		for i, t := range toks {
			pat[i] = key[t.s:t.e]
		}
		if pat[0] == " " && len(pat) == 1 {
			continue // matches a whitespace token and leaves it as it is
		}
		r.patFirst[pat[0]] = append(r.patFirst[pat[0]], len(r.patterns))
		r.patMay.add(pat[0])
		r.patterns = append(r.patterns, pat)
		if len(pat) > r.maxPat {
			r.maxPat = len(pat)
		}
	}
}

// special returns the exception for s, if any.
func (r *ruleSet) special(s string) ([]uint16, bool) {
	if len(s) > r.maxSpecial || !r.specialsMay.mayHave(s) {
		return nil, false
	}
	e, ok := r.specials[s]
	return e, ok
}
