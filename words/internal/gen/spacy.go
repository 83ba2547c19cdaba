package main

import (
	"fmt"
	"sort"
	"strings"
)

const (
	symORTH = symbol("ORTH")
	symNORM = symbol("NORM")
)

// spacyInterp returns a reader over a spaCy source tree, with the compiled
// and heavyweight modules the language data imports provided in Go:
// spacy.symbols (attribute IDs) and spacy.util's update_exc/expand_exc.
func spacyInterp(root string) *interp {
	in := newInterp(root)
	in.builtins["spacy.symbols"] = &module{"spacy.symbols", map[string]value{
		"ORTH": symORTH, "NORM": symNORM,
	}}
	in.builtins["spacy.util"] = &module{"spacy.util", map[string]value{
		"update_exc": method("update_exc", updateExc),
		"expand_exc": method("expand_exc", func(args []value, kw map[string]value) (value, error) {
			if err := wantArgs(args, 3, 3); err != nil {
				return nil, err
			}
			d, ok := args[0].(*pyDict)
			if !ok {
				return nil, fmt.Errorf("exceptions must be a dict")
			}
			search, err := strArg(args, 1)
			if err != nil {
				return nil, err
			}
			repl, err := strArg(args, 2)
			if err != nil {
				return nil, err
			}
			return expandExc(d, search, repl)
		}),
	}}
	return in
}

// updateExc is spacy.util.update_exc: later dicts override earlier ones,
// each addition must spell its key, and every exception with an ASCII
// apostrophe gets a copy with the typographic one.
func updateExc(args []value, kw map[string]value) (value, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("takes at least 1 argument")
	}
	base, ok := args[0].(*pyDict)
	if !ok {
		return nil, fmt.Errorf("base exceptions must be a dict")
	}
	exc := base.copy()
	for _, a := range args[1:] {
		add, ok := a.(*pyDict)
		if !ok {
			return nil, fmt.Errorf("additions must be dicts")
		}
		for i, k := range add.keys {
			orths, err := tokenOrths(add.vals[i])
			if err != nil {
				return nil, fmt.Errorf("exception %s: %v", pyRepr(k), err)
			}
			if k != strings.Join(orths, "") {
				return nil, fmt.Errorf("exception %s spells %q", pyRepr(k), strings.Join(orths, ""))
			}
		}
		for i, k := range add.keys {
			exc.set(k, add.vals[i])
		}
	}
	return expandExc(exc, "'", "’")
}

func expandExc(excs *pyDict, search, repl string) (value, error) {
	out := excs.copy()
	for i, k := range excs.keys {
		ks, ok := k.(string)
		if !ok || !strings.Contains(ks, search) {
			continue
		}
		toks, err := iterate(excs.vals[i])
		if err != nil {
			return nil, err
		}
		fixed := &pyList{}
		for _, t := range toks {
			d, ok := t.(*pyDict)
			if !ok {
				return nil, fmt.Errorf("exception %q: token is not a dict", ks)
			}
			c := d.copy()
			o, ok := c.get(symORTH)
			os, ok2 := o.(string)
			if !ok || !ok2 {
				return nil, fmt.Errorf("exception %q: token without ORTH", ks)
			}
			c.set(symORTH, strings.ReplaceAll(os, search, repl))
			fixed.items = append(fixed.items, c)
		}
		out.set(strings.ReplaceAll(ks, search, repl), fixed)
	}
	return out, nil
}

// tokenOrths returns the ORTH of each token of one exception.
func tokenOrths(v value) ([]string, error) {
	toks, err := iterate(v)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range toks {
		d, ok := t.(*pyDict)
		if !ok {
			return nil, fmt.Errorf("token is %s, not a dict", typeName(t))
		}
		o, ok := d.get(symORTH)
		s, ok2 := o.(string)
		if !ok || !ok2 {
			return nil, fmt.Errorf("token without a string ORTH")
		}
		out = append(out, s)
	}
	return out, nil
}

// spacyData is what the Go tokenizer needs from spaCy's language data.
type spacyData struct {
	exceptions map[string][][]string // rule set -> sorted records of tokens
	lists      []namedList
	classes    []namedClass
}

type namedList struct {
	name, comment string
	items         []string
}

type namedClass struct {
	name   string
	ranges []runeRange
}

func moduleVar(in *interp, mod, name string) (value, error) {
	m, err := in.load(mod)
	if err != nil {
		return nil, err
	}
	v, ok := m.vars[name]
	if !ok {
		return nil, fmt.Errorf("%s has no %s", mod, name)
	}
	return v, nil
}

func stringList(in *interp, mod, name string) ([]string, error) {
	v, err := moduleVar(in, mod, name)
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %v", mod, name, err)
	}
	if _, ok := v.(string); ok {
		return nil, fmt.Errorf("%s.%s is a string, not a list", mod, name)
	}
	out := make([]string, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("%s.%s[%d] is %s, not str", mod, name, i, typeName(it))
		}
		out[i] = s
	}
	return out, nil
}

func stringVar(in *interp, mod, name string) (string, error) {
	v, err := moduleVar(in, mod, name)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s.%s is %s, not str", mod, name, typeName(v))
	}
	return s, nil
}

func exceptionRecords(in *interp, mod, name string) ([][]string, error) {
	v, err := moduleVar(in, mod, name)
	if err != nil {
		return nil, err
	}
	d, ok := v.(*pyDict)
	if !ok {
		return nil, fmt.Errorf("%s.%s is not a dict", mod, name)
	}
	keys := make([]string, 0, len(d.keys))
	recs := map[string][]string{}
	for i, k := range d.keys {
		ks, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("%s.%s: key %s is not a str", mod, name, pyRepr(k))
		}
		orths, err := tokenOrths(d.vals[i])
		if err != nil {
			return nil, fmt.Errorf("%s.%s[%q]: %v", mod, name, ks, err)
		}
		if strings.Join(orths, "") != ks {
			return nil, fmt.Errorf("%s.%s[%q] spells %q", mod, name, ks, strings.Join(orths, ""))
		}
		keys = append(keys, ks)
		recs[ks] = orths
	}
	sort.Strings(keys)
	out := make([][]string, len(keys))
	for i, k := range keys {
		out[i] = recs[k]
	}
	return out, nil
}

func literals(patterns []string) []string {
	var out []string
	for _, p := range patterns {
		if s, ok := literal(p); ok {
			out = append(out, s)
		}
	}
	return out
}

// multiLiterals keeps the literal patterns longer than one character, in
// rule order (repeats included: the rule order is what matters).
func multiLiterals(patterns []string) []string {
	var out []string
	for _, s := range literals(patterns) {
		if len([]rune(s)) > 1 {
			out = append(out, s)
		}
	}
	return out
}

// singleChars is the set of characters that a one-character rule matches:
// one-character literals and patterns that are a single class.
func singleChars(patterns []string) ([]runeRange, error) {
	var out []runeRange
	for _, p := range patterns {
		if s, ok := literal(p); ok {
			if r := []rune(s); len(r) == 1 {
				out = append(out, runeRange{r[0], r[0]})
			}
			continue
		}
		if strings.HasPrefix(p, "[") {
			if rs, err := classOf(p); err == nil {
				out = append(out, rs...)
			}
		}
	}
	return normalize(out), nil
}

const (
	modCharClasses = "spacy.lang.char_classes"
	modPunct       = "spacy.lang.punctuation"
	modPunctID     = "spacy.lang.id.punctuation"
	modPunctMS     = "spacy.lang.ms.punctuation"
)

// readSpacy derives the tables from the spaCy tree at root; ucd gives the
// Unicode data Python's \w, \d, str.isspace and categories come from.
func readSpacy(root string, ucd *unicodeData) (*spacyData, error) {
	in := spacyInterp(root)
	out := &spacyData{exceptions: map[string][][]string{}}

	for _, e := range []struct{ set, mod, name string }{
		{"xx", "spacy.lang.tokenizer_exceptions", "BASE_EXCEPTIONS"},
		{"en", "spacy.lang.en.tokenizer_exceptions", "TOKENIZER_EXCEPTIONS"},
		{"id", "spacy.lang.id.tokenizer_exceptions", "TOKENIZER_EXCEPTIONS"},
		{"ms", "spacy.lang.ms.tokenizer_exceptions", "TOKENIZER_EXCEPTIONS"},
	} {
		recs, err := exceptionRecords(in, e.mod, e.name)
		if err != nil {
			return nil, err
		}
		out.exceptions[e.set] = recs
	}

	// literal lists
	cur := map[string][]string{}
	units := map[string][]string{}
	prefixes := map[string][]string{}
	suffixes := map[string][]string{}
	for _, m := range []struct{ set, chars, punct string }{
		{"base", modCharClasses, modPunct},
		{"id", modPunctID, modPunctID},
		{"ms", modPunctMS, modPunctMS},
	} {
		lc, err := stringList(in, m.chars, "LIST_CURRENCY")
		if err != nil {
			return nil, err
		}
		cur[m.set] = literals(lc)
		if len(cur[m.set]) != len(lc) {
			return nil, fmt.Errorf("%s.LIST_CURRENCY holds a pattern that is not a literal", m.chars)
		}
		u, err := stringVar(in, m.chars, "UNITS")
		if err != nil {
			return nil, err
		}
		if units[m.set], err = expand(u); err != nil {
			return nil, fmt.Errorf("%s.UNITS: %v", m.chars, err)
		}
		if prefixes[m.set], err = stringList(in, m.punct, "TOKENIZER_PREFIXES"); err != nil {
			return nil, err
		}
		if suffixes[m.set], err = stringList(in, m.punct, "TOKENIZER_SUFFIXES"); err != nil {
			return nil, err
		}
	}
	var html [2][]string
	for i, mod := range []string{modPunctID, modPunctMS} {
		h, err := stringVar(in, mod, "HTML_SUFFIX")
		if err != nil {
			return nil, err
		}
		if html[i], err = expand(h); err != nil {
			return nil, fmt.Errorf("%s.HTML_SUFFIX: %v", mod, err)
		}
	}
	if strings.Join(html[0], "\x00") != strings.Join(html[1], "\x00") {
		return nil, fmt.Errorf("Indonesian and Malay HTML suffixes differ; the Go tokenizer shares one list")
	}
	out.lists = []namedList{
		{"currencyBase", "currency symbols, in rule order", cur["base"]},
		{"currencyID", "Indonesian currency symbols, in rule order", cur["id"]},
		{"currencyMS", "Malay currency symbols, in rule order", cur["ms"]},
		{"unitsBase", "unit suffixes split after a digit", units["base"]},
		{"unitsID", "Indonesian unit suffixes split after a digit", units["id"]},
		{"unitsMS", "Malay unit suffixes split after a digit", units["ms"]},
		{"prefixMultiBase", "multi-character prefixes, in rule order", multiLiterals(prefixes["base"])},
		{"prefixMultiID", "Indonesian multi-character prefixes, in rule order", multiLiterals(prefixes["id"])},
		{"prefixMultiMS", "Malay multi-character prefixes, in rule order", multiLiterals(prefixes["ms"])},
		{"htmlSuffixes", "HTML closing tags split after a letter or digit (Indonesian, Malay)", html[0]},
	}

	// character classes
	class := func(mod, name string) ([]runeRange, error) {
		s, err := stringVar(in, mod, name)
		if err != nil {
			return nil, err
		}
		return classOf("[" + s + "]")
	}
	alpha, err := class(modCharClasses, "ALPHA")
	if err != nil {
		return nil, err
	}
	lower, err := class(modCharClasses, "ALPHA_LOWER")
	if err != nil {
		return nil, err
	}
	upper, err := class(modCharClasses, "ALPHA_UPPER")
	if err != nil {
		return nil, err
	}
	quotes, err := class(modCharClasses, "CONCAT_QUOTES")
	if err != nil {
		return nil, err
	}
	icons, err := stringList(in, modCharClasses, "LIST_ICONS")
	if err != nil {
		return nil, err
	}
	if len(icons) != 1 {
		return nil, fmt.Errorf("LIST_ICONS has %d patterns, want 1", len(icons))
	}
	icon, err := classOf(icons[0])
	if err != nil {
		return nil, err
	}
	// the lookbehind of the suffix rule that splits a final '.' after a
	// lower-case letter, digit, quote or punctuation
	var dotLB []runeRange
	for _, p := range suffixes["base"] {
		const pre, suf = "(?<=", `)\.`
		if !strings.HasPrefix(p, pre+"[") || !strings.HasSuffix(p, suf) {
			continue
		}
		if rs, err := classOf(p[len(pre) : len(p)-len(suf)]); err == nil {
			if dotLB != nil {
				return nil, fmt.Errorf("two suffix rules of the form (?<=[...])\\.")
			}
			dotLB = rs
		}
	}
	if dotLB == nil {
		return nil, fmt.Errorf("no suffix rule of the form (?<=[...])\\.")
	}
	var p1, s1 = map[string][]runeRange{}, map[string][]runeRange{}
	for _, set := range []string{"base", "id", "ms"} {
		if p1[set], err = singleChars(prefixes[set]); err != nil {
			return nil, err
		}
		if s1[set], err = singleChars(suffixes[set]); err != nil {
			return nil, err
		}
	}
	if fmt.Sprint(p1["id"]) != fmt.Sprint(p1["ms"]) || fmt.Sprint(s1["id"]) != fmt.Sprint(s1["ms"]) {
		return nil, fmt.Errorf("Indonesian and Malay one-character affixes differ; the Go tokenizer shares one class")
	}
	out.classes = []namedClass{
		{"cAlpha", alpha},
		{"cAlphaLower", lower},
		{"cAlphaUpper", upper},
		{"cIcon", icon},
		{"cQuote", quotes},
		{"cSufDotLB", dotLB},
		{"cWord", ucd.word()},
		{"cDigit", ucd.decimal()},
		{"cSpace", ucd.space()},
		{"cPunctCat", ucd.punct()},
		{"cPrefix1Base", p1["base"]},
		{"cPrefix1ID", p1["id"]},
		{"cSuffix1Base", s1["base"]},
		{"cSuffix1ID", s1["id"]},
	}
	return out, nil
}
