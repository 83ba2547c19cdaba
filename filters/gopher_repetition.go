package filters

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/saring/saring"
	"github.com/saring/saring/words"
)

// GopherRepetitionOptions configures gopher_repetition. Defaults are
// datatrove's (Gopher's table A1); 0 disables a rule.
type GopherRepetitionOptions struct {
	DupLineFrac     float64     `yaml:"dup_line_frac" doc:"drop when more than this fraction of lines are repeats of an earlier line; 0 disables"`
	DupParaFrac     float64     `yaml:"dup_para_frac" doc:"drop when more than this fraction of paragraphs are repeats; 0 disables"`
	DupLineCharFrac float64     `yaml:"dup_line_char_frac" doc:"drop when repeated lines hold more than this fraction of the characters; 0 disables"`
	DupParaCharFrac float64     `yaml:"dup_para_char_frac" doc:"drop when repeated paragraphs hold more than this fraction of the characters; 0 disables"`
	TopNGrams       [][]float64 `yaml:"top_n_grams" doc:"[n, frac] pairs: drop when the most frequent word n-gram covers more than frac of the characters"`
	DupNGrams       [][]float64 `yaml:"dup_n_grams" doc:"[n, frac] pairs: drop when repeated word n-grams cover more than frac of the characters"`
	Language        string      `yaml:"language" doc:"language for word splitting (lid.176 code), or auto for the document's language"`
	LanguageParams  string      `yaml:"language_params" doc:"auto: take dup_line_frac, top_n_grams and dup_n_grams from FineWeb 2's table for the document's language; none: use the values above"`
}

// DefaultGopherRepetitionOptions returns datatrove's defaults.
func DefaultGopherRepetitionOptions() GopherRepetitionOptions {
	return GopherRepetitionOptions{
		DupLineFrac:     0.3,
		DupParaFrac:     0.3,
		DupLineCharFrac: 0.2,
		DupParaCharFrac: 0.2,
		TopNGrams:       [][]float64{{2, 0.2}, {3, 0.18}, {4, 0.16}},
		DupNGrams:       [][]float64{{5, 0.15}, {6, 0.14}, {7, 0.13}, {8, 0.12}, {9, 0.11}, {10, 0.10}},
		Language:        "en",
		LanguageParams:  lpModeNone,
	}
}

// Validate checks option values.
func (o *GopherRepetitionOptions) Validate() error {
	for _, f := range []struct {
		key string
		v   float64
	}{{"dup_line_frac", o.DupLineFrac}, {"dup_para_frac", o.DupParaFrac}, {"dup_line_char_frac", o.DupLineCharFrac}, {"dup_para_char_frac", o.DupParaCharFrac}} {
		if f.v < 0 || math.IsNaN(f.v) {
			return &saring.FieldError{Field: f.key, Msg: "must be >= 0 (0 disables the rule)"}
		}
	}
	for _, g := range []struct {
		key   string
		pairs [][]float64
	}{{"top_n_grams", o.TopNGrams}, {"dup_n_grams", o.DupNGrams}} {
		for _, p := range g.pairs {
			if len(p) != 2 || p[0] < 1 || p[0] != math.Trunc(p[0]) || p[0] > 1000 || p[1] < 0 || math.IsNaN(p[1]) {
				return &saring.FieldError{Field: g.key, Msg: "must be a list of [n, frac] pairs with n a whole number from 1 to 1000 and frac >= 0, e.g. [[2, 0.2], [3, 0.18]]"}
			}
		}
	}
	if strings.TrimSpace(o.Language) == "" {
		return &saring.FieldError{Field: "language", Msg: "must be a language code such as en, or auto"}
	}
	if !lpValidMode(o.LanguageParams) {
		return &saring.FieldError{Field: "language_params", Msg: "must be auto or none"}
	}
	return nil
}

type gopherNGram struct {
	n    int
	frac float64
}

// gopherRuleName returns datatrove's reason for an n-gram rule.
func gopherRuleName(top bool, n int) string {
	if top {
		if n >= 2 && n <= 4 {
			return [...]string{"top_2_gram", "top_3_gram", "top_4_gram"}[n-2]
		}
		return fmt.Sprintf("top_%d_gram", n)
	}
	if n >= 5 && n <= 10 {
		return [...]string{"duplicated_5_n_grams", "duplicated_6_n_grams", "duplicated_7_n_grams",
			"duplicated_8_n_grams", "duplicated_9_n_grams", "duplicated_10_n_grams"}[n-5]
	}
	return fmt.Sprintf("duplicated_%d_n_grams", n)
}

// GopherRepetition is the gopher_repetition step.
type GopherRepetition struct {
	o     GopherRepetitionOptions
	rules rules[*gopherScratch] // with the options' bounds
	// langRules are the tables with FineWeb 2's bounds, by its key.
	langRules *gopherCache[rules[*gopherScratch]]
}

// NewGopherRepetition builds a gopher_repetition step.
func NewGopherRepetition(o GopherRepetitionOptions) (*GopherRepetition, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &GopherRepetition{o: o, langRules: newGopherCache[rules[*gopherScratch]]()}
	s.rules = gopherRepetitionRules(&s.o, o.DupLineFrac, gopherPairs(o.TopNGrams), gopherPairs(o.DupNGrams))
	return s, nil
}

func gopherPairs(in [][]float64) []gopherNGram {
	out := make([]gopherNGram, len(in))
	for i, p := range in {
		out[i] = gopherNGram{int(p[0]), p[1]}
	}
	return out
}

func (s *GopherRepetition) Name() string { return "gopher_repetition" }

// gopherRepetitionRules are datatrove's rules in its order: paragraphs,
// lines, the top n-grams, the duplicated n-grams. Each row measures its
// own value on first use, so that Process, stopping at the first failure,
// splits no words for a document its paragraphs or lines already drop.
func gopherRepetitionRules(o *GopherRepetitionOptions, dupLine float64, top, dup []gopherNGram) rules[*gopherScratch] {
	type m = *gopherScratch
	paramsNote := func(x m, base string) string {
		if base != "" {
			return base
		}
		return lpNote(o.LanguageParams, x.doc.paramsKey, x.doc.doc, "", "option values")
	}
	row := func(reason, what string, bound float64, value func(m) float64, note func(m, string) string) rule[m] {
		return rule[m]{reason: reason, record: reason, op: "<=", value: value, limit: bound, zeroOff: true, note: note,
			message: func(_ m, v, b float64) string { return fmt.Sprintf("%s %.4f > %g", what, v, b) }}
	}
	t := rules[m]{
		row("dup_para_frac", "fraction of paragraphs repeated", o.DupParaFrac,
			func(x m) float64 { x.paragraphs(); return gopherRatio(x.doc.dupParas, x.doc.paras) }, nil),
		row("dup_para_char_frac", "fraction of characters in repeated paragraphs", o.DupParaCharFrac,
			func(x m) float64 { x.paragraphs(); return gopherRatio(x.doc.dupParaChars, x.doc.textLen) }, nil),
		row("dup_line_frac", "fraction of lines repeated", dupLine,
			func(x m) float64 { x.lines(); return gopherRatio(x.doc.dupLines, x.doc.nLines) }, paramsNote),
		row("dup_line_char_frac", "fraction of characters in repeated lines", o.DupLineCharFrac,
			func(x m) float64 { x.lines(); return gopherRatio(x.doc.dupLineChars, x.doc.textLen) }, nil),
	}
	for _, g := range top {
		n := g.n
		r := row(gopherRuleName(true, n), fmt.Sprintf("fraction of characters in the most frequent %d-gram", n), g.frac,
			func(x m) float64 { return gopherRatio(x.topChars(n), x.doc.textLen) }, paramsNote)
		r.skip = func(x m) bool { return len(x.docWords()) < n } // no n-grams: datatrove skips the rule
		t = append(t, r)
	}
	for _, g := range dup {
		n := g.n
		t = append(t, row(gopherRuleName(false, n), fmt.Sprintf("fraction of characters in repeated %d-grams", n), g.frac,
			func(x m) float64 { return gopherRatio(x.dupChars(n), x.doc.textLen) }, paramsNote))
	}
	return t
}

func gopherLangNGrams(p *LangParams) (g [2][]gopherNGram) {
	for _, x := range p.TopNGrams {
		g[0] = append(g[0], gopherNGram{x.N, x.Frac})
	}
	for _, x := range p.DupNGrams {
		g[1] = append(g[1], gopherNGram{x.N, x.Frac})
	}
	return g
}

// gopherRepDoc is what gopher_repetition measured on the document at hand.
type gopherRepDoc struct {
	doc       *saring.Document
	lang      string
	paramsKey string // FineWeb 2's key of the bounds in force, "" for the options'
	textLen   int
	validUTF8 bool

	parasDone, linesDone, wordsDone bool
	paras, dupParas, dupParaChars   int
	nLines, dupLines, dupLineChars  int
	big                             bool // the n-gram rules take the bounded-memory path
}

// begin readies a scratch for doc and returns the rules in force for it.
func (s *GopherRepetition) begin(doc *saring.Document) (*gopherScratch, rules[*gopherScratch]) {
	t, key := s.rules, ""
	if p, ok := docLangParams(s.o.LanguageParams, doc); ok {
		t = s.langRules.get(p.Key, func() rules[*gopherScratch] {
			g := gopherLangNGrams(p)
			return gopherRepetitionRules(&s.o, p.DupLineFrac, g[0], g[1])
		})
		key = p.Key
	}
	sc := gopherScratchPool.Get().(*gopherScratch)
	sc.doc = gopherRepDoc{doc: doc, lang: languageOf(doc, s.o.Language, fallbackLanguage), paramsKey: key,
		textLen: gopherRuneLen(doc.Text), validUTF8: utf8.ValidString(doc.Text)}
	return sc, t
}

// end returns the scratch to the pool.
func (sc *gopherScratch) end() {
	sc.doc = gopherRepDoc{}
	sc.words = nil // shared with other steps through the document; do not keep it
	sc.trim()
	gopherScratchPool.Put(sc)
}

// paragraphs counts the paragraphs: the stripped text cut at runs of two
// or more newlines.
func (sc *gopherScratch) paragraphs() {
	if d := &sc.doc; !d.parasDone {
		d.paras, d.dupParas, d.dupParaChars = sc.duplicates(gopherParagraphs(words.TrimSpace(d.doc.Text)))
		d.parasDone = true
	}
}

// lines counts the lines: the text cut at runs of newlines (an empty
// first or last line kept).
func (sc *gopherScratch) lines() {
	if d := &sc.doc; !d.linesDone {
		d.nLines, d.dupLines, d.dupLineChars = sc.duplicates(gopherLines(d.doc.Text))
		d.linesDone = true
	}
}

// docWords splits the document's words and readies the n-gram passes.
// Large documents take the n-gram rules in bounded memory: hashes from a
// window of prefixes instead of per-word tables, the top n-gram counted in
// hash partitions, the seen n-grams in a compact set. Same hashes, same
// answers, a few bytes per word.
func (sc *gopherScratch) docWords() []string {
	if d := &sc.doc; !d.wordsDone {
		sc.words = words.Of(d.doc, d.lang)
		d.big = len(sc.words) > gopherBigWords
		if d.big {
			sc.releaseArrays()
		} else {
			sc.prepare(sc.words, d.validUTF8)
		}
		d.wordsDone = true
	}
	return sc.words
}

// topChars is the characters of the most frequent n-gram times its count.
func (sc *gopherScratch) topChars(n int) int {
	sc.docWords()
	if sc.doc.big {
		return sc.topNGramCharsLarge(n)
	}
	return sc.topNGramChars(n)
}

// dupChars is the characters of the repeated n-grams.
func (sc *gopherScratch) dupChars(n int) int {
	sc.docWords()
	if sc.doc.big {
		return sc.dupNGramCharsLarge(n)
	}
	return sc.dupNGramChars(n)
}

func (s *GopherRepetition) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	sc, t := s.begin(doc)
	defer sc.end()
	return t.decide(sc, doc, "gopher_repetition"), nil
}

func (s *GopherRepetition) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	sc, t := s.begin(doc)
	defer sc.end()
	return t.explain(sc), nil
}

// gopherParagraphs is re.split(r"\n{2,}", s).
func gopherParagraphs(s string) func(func(string)) {
	return func(yield func(string)) {
		start, i := 0, 0
		for {
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				break
			}
			i += j
			if i+1 < len(s) && s[i+1] == '\n' {
				yield(s[start:i])
				for i < len(s) && s[i] == '\n' {
					i++
				}
				start = i
				continue
			}
			i++
		}
		yield(s[start:])
	}
}

// gopherLines is re.split("\n+", s).
func gopherLines(s string) func(func(string)) {
	return func(yield func(string)) {
		start, i := 0, 0
		for {
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				break
			}
			i += j
			yield(s[start:i])
			for i < len(s) && s[i] == '\n' {
				i++
			}
			start = i
		}
		yield(s[start:])
	}
}

// gopherScratch holds per-document buffers, reused across documents.
type gopherScratch struct {
	doc   gopherRepDoc
	seen  map[string]struct{}
	words []string
	runes []int32     // prefix sums of word lengths in characters
	bytes []int32     // prefix sums of word lengths in bytes
	hCat  []uint64    // hCat[i]: hash of words[:i] joined by ""
	hSp   []uint64    // hSp[i]: hash of words[:i] joined by " "
	table gopherTable // large path
	set   gopherSet
	ring  gopherRing

	ngrams       gopherNGrams
	counts       []int32
	joinA, joinB []byte

	stream, streamSp      []byte
	prefixes              gopherPrefixes
	repeatsCat, repeatsSp []bool
}

var gopherScratchPool = sync.Pool{New: func() any {
	return &gopherScratch{seen: map[string]struct{}{}}
}}

// gopherTable is an open-addressing hash table from n-gram hashes to a
// count and the index of the first occurrence; much cheaper than a Go map
// for the many lookups the n-gram rules make.
type gopherTable struct {
	slots []gopherSlot
	mask  uint64
	used  int
}

type gopherSlot struct {
	key          uint64 // 0: empty (keys are forced odd)
	count, first int32
}

// reset empties the table, sized for up to n keys.
func (t *gopherTable) reset(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	if cap(t.slots) >= size {
		t.slots = t.slots[:size]
		clear(t.slots)
	} else {
		t.slots = make([]gopherSlot, size)
	}
	t.mask = uint64(size - 1)
	t.used = 0
}

// grow doubles the table, keeping its entries.
func (t *gopherTable) grow() {
	old := t.slots
	t.slots = make([]gopherSlot, 2*len(old))
	t.mask = uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.key == 0 {
			continue
		}
		for j := (s.key ^ s.key>>29) & t.mask; ; j = (j + 1) & t.mask {
			if t.slots[j].key == 0 {
				t.slots[j] = s
				break
			}
		}
	}
}

// slot returns the slot of key, and whether it was already there; a new
// key is inserted with count 0 and first = i. same(first) tells whether
// the n-gram at first is the one at i: keys are hashes, and a slot with
// the key of another n-gram is passed over.
func (t *gopherTable) slot(key uint64, i int32, same func(first int32) bool) (*gopherSlot, bool) {
	key |= 1
	for j := (key ^ key>>29) & t.mask; ; j = (j + 1) & t.mask {
		s := &t.slots[j]
		switch {
		case s.key == 0:
			if (t.used+1)*4 > len(t.slots)*3 { // never for the sizes reset gives the whole-document tables
				t.grow()
				return t.slot(key, i, same)
			}
			t.used++
			*s = gopherSlot{key: key, first: i}
			return s, false
		case s.key == key && same(s.first):
			return s, true
		}
	}
}

// duplicates is datatrove's find_duplicates: the number of elements, of
// elements equal to an earlier one, and of characters in those.
func (sc *gopherScratch) duplicates(each func(func(string))) (n, dups, chars int) {
	clear(sc.seen)
	each(func(e string) {
		n++
		if _, ok := sc.seen[e]; ok {
			dups++
			chars += gopherRuneLen(e)
			return
		}
		sc.seen[e] = struct{}{}
	})
	return n, dups, chars
}

// The large path (gopher_large.go) hashes n-grams modulo 2^61-1.
const (
	gopherMod  = 1<<61 - 1
	gopherBase = 0x5bd1e9955bd1e995 % gopherMod
)

func gopherMulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	r := (hi<<3 | lo>>61) + (lo & gopherMod)
	if r >= gopherMod {
		r -= gopherMod
	}
	return r
}

// gopherPowLo[i] is gopherBase^i and gopherPowHi[i] gopherBase^(i<<16):
// any power is one product of the two, so no table grows with the text.
var gopherPowLo, gopherPowHi = func() (lo, hi [1 << 16]uint64) {
	lo[0] = 1
	for i := 1; i < len(lo); i++ {
		lo[i] = gopherMulMod(lo[i-1], gopherBase)
	}
	step := gopherMulMod(lo[len(lo)-1], gopherBase) // base^65536
	hi[0] = 1
	for i := 1; i < len(hi); i++ {
		hi[i] = gopherMulMod(hi[i-1], step)
	}
	return
}()

// gopherPow returns gopherBase^l, for 0 <= l < 2^32.
func gopherPow(l int) uint64 {
	if l < 1<<16 {
		return gopherPowLo[l]
	}
	return gopherMulMod(gopherPowLo[l&0xffff], gopherPowHi[l>>16])
}

func gopherAddMod(a, b uint64) uint64 {
	r := a + b
	if r >= gopherMod {
		r -= gopherMod
	}
	return r
}

func gopherSubMod(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + gopherMod - b
}

// N-gram keys of the whole-document path: polynomial hashes modulo 2^64
// of the n-gram's text (words joined by "" for the duplicated n-gram rule,
// by " " for the top n-gram rule, as datatrove builds them), from prefix
// hashes per word boundary, so that no n-gram string is built. A key only
// finds candidates: two n-grams are the same when their texts are, which
// the tables check on every key match (gopherScratch.same), so a hash
// collision costs a comparison and never changes a value.
const gopherB = 0x9E3779B97F4A7C15 // odd: invertible, powers never vanish

// gopherKeyMask cuts keys in tests, to force collisions.
var gopherKeyMask = ^uint64(0)

// gopherPows[l] is gopherB^l mod 2^64, for the n-gram lengths met in text.
var gopherPows = func() (p [1 << 12]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * gopherB
	}
	return
}()

func gopherPow64(l int) uint64 {
	if l < len(gopherPows) {
		return gopherPows[l]
	}
	r, b := uint64(1), uint64(gopherB)
	for ; l > 0; l >>= 1 {
		if l&1 != 0 {
			r *= b
		}
		b *= b
	}
	return r
}

// prepare computes, per word boundary, prefix hashes of the words joined
// by "" (hCat) and of the words each preceded by " " (hSp: " " + the
// words joined by " "), and prefix sums of their lengths.
func (sc *gopherScratch) prepare(ws []string, validUTF8 bool) {
	n := len(ws) + 1
	if cap(sc.hCat) < n {
		c := n + n/4
		sc.hCat, sc.hSp = make([]uint64, c), make([]uint64, c)
		sc.bytes, sc.runes = make([]int32, c), make([]int32, c)
	}
	hc, hs, by, ru := sc.hCat[:n], sc.hSp[:n], sc.bytes[:n], sc.runes[:n]
	sc.hCat, sc.hSp, sc.bytes, sc.runes = hc, hs, by, ru
	// The words joined by "" and by " ", for prefixRepeats, written
	// while the words are hashed.
	total := 0
	for _, w := range ws {
		total += len(w)
	}
	if cap(sc.stream) < total {
		sc.stream = make([]byte, total+total/4)
	}
	if cap(sc.streamSp) < total+len(ws) {
		sc.streamSp = make([]byte, total+len(ws)+(total+len(ws))/4)
	}
	cat, spc := sc.stream[:total], sc.streamSp[:max(0, total+len(ws)-1)]
	sc.stream, sc.streamSp = cat, spc
	var c, sp uint64
	var b, r int32
	hc[0], hs[0], by[0], ru[0] = 0, 0, 0, 0
	for i, w := range ws {
		var h uint64
		runes := 0
		if i > 0 {
			spc[int(b)+i-1] = ' '
		}
		dc, ds := cat[b:int(b)+len(w)], spc[int(b)+i:int(b)+i+len(w)]
		for j := 0; j < len(w); j++ {
			x := w[j]
			h = h*gopherB + uint64(x)
			dc[j], ds[j] = x, x
			if x&0xC0 != 0x80 { // not a continuation byte: a character of valid UTF-8
				runes++
			}
		}
		if !validUTF8 {
			runes = utf8.RuneCountInString(w)
		}
		p := gopherPow64(len(w))
		c = c*p + h
		sp = (sp*gopherB+' ')*p + h
		b += int32(len(w))
		r += int32(runes)
		hc[i+1], hs[i+1], by[i+1], ru[i+1] = c, sp, b, r
	}
	sc.repeatsCat = sc.prefixRepeats(sc.repeatsCat, cat, 0)
	sc.repeatsSp = sc.prefixRepeats(sc.repeatsSp, spc, 1)
}

// gopherPrefix is how many bytes of text from the start of a word the
// n-gram passes look at before hashing: an n-gram whose text is at least
// this long can equal another only if the texts from the two starting
// words agree on their first gopherPrefix bytes.
const gopherPrefix = 16

// prefixRepeats marks, for each word, whether the gopherPrefix bytes of
// the words from it on, joined by sep, also follow another word. The
// n-gram passes skip an n-gram of gopherPrefix bytes or more that starts
// at an unmarked word: no other n-gram can have its text, so it is neither
// a repeat nor ever repeated, and leaving it out of the table changes no
// count. Most n-grams of real text are such, and the comparison of 16
// bytes is exact, so this costs one pass instead of most of nine.
func (sc *gopherScratch) prefixRepeats(dst []bool, st []byte, sepLen int) []bool {
	m := len(sc.bytes) - 1
	if cap(dst) < m {
		dst = make([]bool, m+m/4)
	}
	dst = dst[:m]
	clear(dst)
	t := &sc.prefixes
	t.reset(m)
	by := sc.bytes
	for i := 0; i < m; i++ {
		off := int(by[i]) + i*sepLen // where word i starts in st
		if off+gopherPrefix > len(st) {
			break // no n-gram of gopherPrefix bytes starts here or later
		}
		a := binary.LittleEndian.Uint64(st[off:])
		b := binary.LittleEndian.Uint64(st[off+8:])
		if first := t.find(a, b, i); first != i {
			dst[first], dst[i] = true, true
		}
	}
	return dst
}

// gopherPrefixes is an open-addressing set of 16-byte strings with the
// first word they follow.
type gopherPrefixes struct {
	slots []gopherPSlot
	mask  uint64
	shift uint
}

type gopherPSlot struct {
	a, b  uint64
	first uint32 // plus one; 0 is an empty slot
}

func (t *gopherPrefixes) reset(n int) {
	size, shift := 16, uint(60)
	for size < 2*n {
		size <<= 1
		shift--
	}
	if cap(t.slots) >= size {
		t.slots = t.slots[:size]
		clear(t.slots)
	} else {
		t.slots = make([]gopherPSlot, size)
	}
	t.mask, t.shift = uint64(size-1), shift
}

// find returns the first word followed by the bytes a, b, inserting i if
// none was.
func (t *gopherPrefixes) find(a, b uint64, i int) int {
	h := (a ^ bits.RotateLeft64(b, 31)) * 0x9E3779B97F4A7C15
	for j := h >> t.shift; ; j = (j + 1) & t.mask {
		s := &t.slots[j]
		if s.first == 0 {
			*s = gopherPSlot{a: a, b: b, first: uint32(i) + 1}
			return i
		}
		if s.a == a && s.b == b {
			return int(s.first - 1)
		}
	}
}

// catKey is the key of words[i:i+n] joined by "".
func (sc *gopherScratch) catKey(i, n int) uint64 {
	l := int(sc.bytes[i+n] - sc.bytes[i])
	return (sc.hCat[i+n] - sc.hCat[i]*gopherPow64(l) + uint64(l)) & gopherKeyMask
}

// spKey is the key of words[i:i+n] joined by " ".
func (sc *gopherScratch) spKey(i, n int) uint64 {
	l := int(sc.bytes[i+n]-sc.bytes[i]) + n
	return (sc.hSp[i+n] - sc.hSp[i]*gopherPow64(l) + uint64(l)) & gopherKeyMask
}

// same reports whether the n-grams at a and b have the same text, joined
// by sep ("" or " "): the same bytes in the joined copy of the words.
func (sc *gopherScratch) same(a, b, n int, sep string) bool {
	by := sc.bytes
	l := by[a+n] - by[a]
	if by[b+n]-by[b] != l {
		return false
	}
	st, oa, ob := sc.stream, int(by[a]), int(by[b])
	if sep != "" {
		st, oa, ob, l = sc.streamSp, oa+a, ob+b, l+int32(n-1)
	}
	return string(st[oa:oa+int(l)]) == string(st[ob:ob+int(l)])
}

// sameWords is same without the prefix sums (the large path).
func (sc *gopherScratch) sameWords(a, b, n int, sep string) bool {
	ws := sc.words
	k := 0
	for k < n && ws[a+k] == ws[b+k] {
		k++
	}
	if k == n {
		return true
	}
	sc.joinA = gopherJoin(sc.joinA[:0], ws[a+k:a+n], sep)
	sc.joinB = gopherJoin(sc.joinB[:0], ws[b+k:b+n], sep)
	return string(sc.joinA) == string(sc.joinB)
}

func gopherJoin(dst []byte, ws []string, sep string) []byte {
	for i, w := range ws {
		if i > 0 {
			dst = append(dst, sep...)
		}
		dst = append(dst, w...)
	}
	return dst
}

// gopherNGrams is an open-addressing table of n-grams: for each distinct
// n-gram text, 8 bytes: 32 bits of its key and the position of its first
// occurrence (plus one; 0 is an empty slot). Counts, for the top n-gram
// rule, are kept by first position. The table never holds more than half
// its slots, and is emptied, not reallocated, between passes.
type gopherNGrams struct {
	slots []gopherNSlot
	mask  uint64
	shift uint
}

type gopherNSlot struct{ tag, first uint32 }

// reset empties the table, sized for up to n n-grams.
func (t *gopherNGrams) reset(n int) {
	size, shift := 16, uint(60)
	for size < 2*n {
		size <<= 1
		shift--
	}
	if cap(t.slots) >= size {
		t.slots = t.slots[:size]
		clear(t.slots)
	} else {
		t.slots = make([]gopherNSlot, size)
	}
	t.mask, t.shift = uint64(size-1), shift
}

// find returns the position of the first n-gram equal to the one at i (n
// words joined by sep, with key key), inserting it if it is the first.
func (sc *gopherScratch) find(t *gopherNGrams, key uint64, i, n int, sep string) int {
	key *= 0x9E3779B97F4A7C15
	tag := uint32(key)
	for j := key >> t.shift; ; j = (j + 1) & t.mask {
		s := &t.slots[j]
		if s.first == 0 {
			*s = gopherNSlot{tag: tag, first: uint32(i) + 1}
			return i
		}
		if s.tag == tag && sc.same(int(s.first-1), i, n, sep) {
			return int(s.first - 1)
		}
	}
}

// topNGramChars is datatrove's find_top_duplicate over get_n_grams(words,
// n): the length of the most frequent " "-joined n-gram (the first seen
// among equally frequent ones) times its count.
func (sc *gopherScratch) topNGramChars(n int) int {
	ws := sc.words
	t := &sc.ngrams
	m := len(ws) - n + 1
	t.reset(m)
	if cap(sc.counts) < m {
		sc.counts = make([]int32, m+m/4)
	}
	counts := sc.counts[:m]
	clear(counts)
	best, bestN := -1, int32(0)
	rep, by := sc.repeatsSp, sc.bytes
	for i := 0; i < m; i++ {
		if !rep[i] && int(by[i+n]-by[i])+n-1 >= gopherPrefix {
			continue // unique (see prefixRepeats): count 1, matters only when every count is
		}
		first := sc.find(t, sc.spKey(i, n), i, n, " ")
		counts[first]++
		// Counts grow by one: an n-gram overtakes the best only by
		// exceeding it, and among equal counts the earlier first
		// occurrence wins.
		if c := counts[first]; c > bestN || (c == bestN && first < best) {
			best, bestN = first, c
		}
	}
	if bestN <= 1 {
		// Every n-gram occurs once: the first is the most common.
		best, bestN = 0, 1
	}
	if m <= 0 {
		return 0
	}
	chars := int(sc.runes[best+n]-sc.runes[best]) + n - 1
	return chars * int(bestN)
}

// dupNGramChars is datatrove's find_all_duplicate: walk the n-grams (words
// joined by ""), and when one was seen before, count its characters and
// jump past it.
func (sc *gopherScratch) dupNGramChars(n int) int {
	ws := sc.words
	if len(ws) < n {
		return 0
	}
	t := &sc.ngrams
	rep, by := sc.repeatsCat, sc.bytes
	t.reset(len(ws) - n + 1)
	repeated := 0
	for i := 0; i+n <= len(ws); {
		if !rep[i] && by[i+n]-by[i] >= gopherPrefix {
			i++ // unique (see prefixRepeats)
			continue
		}
		if sc.find(t, sc.catKey(i, n), i, n, "") != i {
			repeated += int(sc.runes[i+n] - sc.runes[i])
			i += n
			continue
		}
		i++
	}
	return repeated
}

// gopherCache is a small concurrent map from a key to a value built once.
type gopherCache[V any] struct{ m sync.Map }

func newGopherCache[V any]() *gopherCache[V] { return &gopherCache[V]{} }

func (c *gopherCache[V]) get(key string, build func() V) V {
	if v, ok := c.m.Load(key); ok {
		return v.(V)
	}
	v, _ := c.m.LoadOrStore(key, build())
	return v.(V)
}
