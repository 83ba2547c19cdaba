package words

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Tokenizer splits text of one language. It is safe for concurrent use.
type Tokenizer struct {
	r     *ruleSet
	chars bool // split no-space scripts into characters
	kind  string
}

// For returns the tokenizer datatrove would use for lang (a lid.176 code
// such as "en" or "id", an ISO 639-3 code, or code_Script). "" means
// English, datatrove's default.
func For(lang string) *Tokenizer {
	if t, ok := tokenizers.Load(lang); ok {
		return t.(*Tokenizer)
	}
	kind := RuleSet(lang)
	t := &Tokenizer{r: getRules(kind), kind: kind}
	if kind == "chars" {
		t.r, t.chars = getRules("xx"), true
	}
	if len(lang) <= 16 { // do not let odd labels grow the cache
		tokenizers.Store(lang, t)
	}
	return t
}

var tokenizers sync.Map // language label -> *Tokenizer

// RuleSet names the rules used for lang: "en", "id", "ms" (spaCy's
// English, Indonesian and Malay tokenizers), "chars" (no-space scripts,
// one token per character) or "xx" (spaCy's multi-language rules, used
// for every other language).
func RuleSet(lang string) string {
	if lang == "" {
		return "en"
	}
	if k, ok := datatroveRules[lang]; ok {
		return k
	}
	if i := strings.IndexAny(lang, "_-"); i > 0 {
		if k, ok := datatroveRules[lang[:i]]; ok {
			return k
		}
	}
	return "xx"
}

var tokPool = sync.Pool{New: func() any { return new(tokBuf) }}

type tokBuf struct {
	a, b  []token
	cands []int32
}

func (t *Tokenizer) tokens(text string, buf *tokBuf) []token {
	toks, other, cands := t.r.tokenizeFast(text, buf.a, buf.b, buf.cands)
	buf.a, buf.b, buf.cands = toks, other, cands
	return toks
}

// AppendWords appends the words of text to dst, as datatrove's
// word_tokenize returns them: token texts with whitespace tokens dropped.
// Words are substrings of text (no copies).
func (t *Tokenizer) AppendWords(dst []string, text string) []string {
	buf := tokPool.Get().(*tokBuf)
	toks := t.tokens(text, buf)
	for _, k := range toks {
		if k.ws {
			continue
		}
		w := text[k.s:k.e]
		if t.chars {
			dst = appendChars(dst, w)
			continue
		}
		dst = append(dst, w)
	}
	tokPool.Put(buf)
	return dst
}

// Words returns the words of text.
func (t *Tokenizer) Words(text string) []string {
	return t.AppendWords(make([]string, 0, len(text)/5+1), text)
}

// Each calls fn for each word of text, in order, without building a slice.
func (t *Tokenizer) Each(text string, fn func(word string)) {
	buf := tokPool.Get().(*tokBuf)
	toks := t.tokens(text, buf)
	for _, k := range toks {
		if k.ws {
			continue
		}
		w := text[k.s:k.e]
		if t.chars {
			eachChar(w, fn)
			continue
		}
		fn(w)
	}
	tokPool.Put(buf)
}

// Split returns the words of text for the given language (see For).
// Punctuation tokens are included, as datatrove's tokenizers produce them.
func Split(text, lang string) []string { return For(lang).Words(text) }

// AppendSplit appends the words of text to dst (see Split).
func AppendSplit(dst []string, text, lang string) []string {
	return For(lang).AppendWords(dst, text)
}

// noSpaceScript reports scripts written without spaces between words.
func noSpaceScript(r rune) bool {
	return unicode.In(r, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar,
		unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Tibetan)
}

func appendChars(dst []string, w string) []string {
	eachChar(w, func(s string) { dst = append(dst, s) })
	return dst
}

// eachChar cuts w before and after every character of a no-space script.
func eachChar(w string, fn func(string)) {
	start := 0
	for i := 0; i < len(w); {
		c, n := utf8.DecodeRuneInString(w[i:])
		if c >= 0x0E00 && noSpaceScript(c) {
			if start < i {
				fn(w[start:i])
			}
			fn(w[i : i+n])
			start = i + n
		}
		i += n
	}
	if start < len(w) {
		fn(w[start:])
	}
}
