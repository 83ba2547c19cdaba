package filters

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/saring/saring"
)

// c4BadwordsFS holds the small example lists shipped with saring. datatrove
// downloads the LDNOOBW lists at run time; saring never downloads, so real
// lists come from badwords_dir or badwords_file.
//
//go:embed params/badwords/*.txt
var c4BadwordsFS embed.FS

// c4BadwordsAllow are removed from every list, as datatrove does: they are
// common subwords in languages written without spaces.
var c4BadwordsAllow = []string{"sm", "グロ", "女の子", "性"}

// C4BadWordsOptions configures c4_badwords. Defaults are datatrove's.
type C4BadWordsOptions struct {
	KeepFraction          float64 `yaml:"keep_fraction" doc:"fraction of documents with bad words to keep anyway (chosen by seed and input position)"`
	FailOnMissingLanguage bool    `yaml:"fail_on_missing_language" doc:"stop the run when a document's language has no list (false: keep such documents)"`
	Seed                  uint64  `yaml:"seed" doc:"seed for keep_fraction"`
	DefaultLanguage       string  `yaml:"default_language" doc:"language of documents without metadata.language"`
	BadwordsDir           string  `yaml:"badwords_dir" path:"file" doc:"directory of <lang>.txt lists, one word or phrase per line (default: saring's minimal en and id lists)"`
	BadwordsFile          string  `yaml:"badwords_file" path:"file" doc:"one list used for every language (overrides badwords_dir)"`
}

// DefaultC4BadWordsOptions returns datatrove's defaults.
func DefaultC4BadWordsOptions() C4BadWordsOptions {
	return C4BadWordsOptions{FailOnMissingLanguage: true, DefaultLanguage: "en"}
}

// Validate checks option values.
func (o *C4BadWordsOptions) Validate() error {
	if o.KeepFraction < 0 || o.KeepFraction > 1 {
		return &saring.FieldError{Field: "keep_fraction", Msg: "must be between 0 and 1"}
	}
	if strings.TrimSpace(o.DefaultLanguage) == "" {
		return &saring.FieldError{Field: "default_language", Msg: "must be a language code such as en"}
	}
	return nil
}

// C4BadWords is the c4_badwords step.
type C4BadWords struct {
	o      C4BadWordsOptions
	fsys   fs.FS      // where <lang>.txt lists live
	where  string     // for messages
	one    *c4BadList // badwords_file, with word boundaries
	oneAny *c4BadList // badwords_file, for ja, th, zh
	lists  sync.Map   // lang -> *c4BadList (nil: no list)
}

// c4BadList is one language's compiled list.
type c4BadList struct {
	trie     c4Trie
	anywhere bool // ja, th, zh: no word boundaries required
	ascii    bool // every entry is ASCII without upper-case letters
}

// NewC4BadWords builds a c4_badwords step. Lists are read when first needed,
// except badwords_file, which is read now.
func NewC4BadWords(o C4BadWordsOptions) (*C4BadWords, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &C4BadWords{o: o}
	switch {
	case o.BadwordsFile != "":
		b, err := os.ReadFile(o.BadwordsFile)
		if err != nil {
			return nil, &saring.FieldError{Field: "badwords_file", Msg: err.Error()}
		}
		s.one = c4NewBadList(c4ParseWordList(string(b)), false)
		s.oneAny = &c4BadList{trie: s.one.trie, anywhere: true, ascii: s.one.ascii}
	case o.BadwordsDir != "":
		st, err := os.Stat(o.BadwordsDir)
		if err != nil {
			return nil, &saring.FieldError{Field: "badwords_dir", Msg: err.Error()}
		}
		if !st.IsDir() {
			return nil, &saring.FieldError{Field: "badwords_dir", Msg: o.BadwordsDir + " is not a directory"}
		}
		s.fsys, s.where = os.DirFS(o.BadwordsDir), o.BadwordsDir
	default:
		sub, err := fs.Sub(c4BadwordsFS, "params/badwords")
		if err != nil {
			return nil, err
		}
		s.fsys, s.where = sub, "saring's built-in lists (en, id)"
	}
	return s, nil
}

func (*C4BadWords) Name() string { return "c4_badwords" }

// list returns lang's list, or nil when there is none.
func (s *C4BadWords) list(lang string) (*c4BadList, error) {
	anywhere := lang == "ja" || lang == "th" || lang == "zh"
	if s.one != nil {
		if anywhere {
			return s.oneAny, nil
		}
		return s.one, nil
	}
	if v, ok := s.lists.Load(lang); ok {
		return v.(*c4BadList), nil
	}
	var l *c4BadList
	if fs.ValidPath(lang) && !strings.ContainsAny(lang, `/\`) {
		b, err := fs.ReadFile(s.fsys, lang+".txt")
		switch {
		case err == nil:
			l = c4NewBadList(c4ParseWordList(string(b)), anywhere)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("c4_badwords: reading %s: %w", filepath.Join(s.where, lang+".txt"), err)
		}
	}
	v, _ := s.lists.LoadOrStore(lang, l)
	return v.(*c4BadList), nil
}

// lang is the document's language, else default_language: c4_badwords
// always reads the document's language, as datatrove's filter does.
func (s *C4BadWords) lang(doc *saring.Document) string {
	return languageOf(doc, languageAuto, s.o.DefaultLanguage)
}

// find returns the first listed word in doc (after lowering), "" if none;
// ok is false when the language has no list.
func (s *C4BadWords) find(doc *saring.Document) (word, lang string, ok bool, err error) {
	lang = s.lang(doc)
	l, err := s.list(lang)
	if err != nil {
		return "", lang, false, err
	}
	if l == nil {
		if s.o.FailOnMissingLanguage {
			return "", lang, false, fmt.Errorf("c4_badwords: no bad-words list for language %q in %s: add %s.txt there, or set fail_on_missing_language: false to keep such documents", lang, s.where, lang)
		}
		return "", lang, false, nil
	}
	if l.ascii && !strings.Contains(doc.Text, "İ") && !strings.Contains(doc.Text, "\u212a") {
		// Only ASCII letters change case in a way that matters: fold them
		// during the search instead of lowering a copy.
		return strings.ToLower(l.find(doc.Text, true)), lang, true, nil
	}
	bp := c4LowerPool.Get().(*[]byte)
	*bp = c4AppendLower((*bp)[:0], doc.Text)
	w := l.find(unsafe.String(unsafe.SliceData(*bp), len(*bp)), false)
	w = strings.Clone(w) // the buffer is reused
	if cap(*bp) <= 1<<20 {
		c4LowerPool.Put(bp)
	}
	return w, lang, true, nil
}

var c4LowerPool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// c4AppendLower appends Python's s.lower() to dst (see c4Lower).
func c4AppendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		switch {
		case r == 'İ':
			dst = append(dst, "i\u0307"...)
		case r == utf8.RuneError && w == 1:
			dst = append(dst, s[i-1]) // keep invalid bytes as they are
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

// keep decides keep_fraction from the seed and the input position, so the
// same input gives the same output at any worker count.
func (s *C4BadWords) keep(doc *saring.Document) bool {
	if s.o.KeepFraction <= 0 {
		return false
	}
	u := float64(c4SplitMix(s.o.Seed^c4SplitMix(doc.Seq))>>11) / (1 << 53)
	return u < s.o.KeepFraction
}

// c4BadwordsReason is datatrove's drop reason, and the rule's name in Explain.
const c4BadwordsReason = "document_removed_with_badwords"

func (s *C4BadWords) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	w, lang, ok, err := s.find(doc)
	if err != nil {
		return saring.Result{}, err
	}
	if !ok {
		return saring.Kept(), nil
	}
	doc.Record("c4_badwords", "has_badwords", c4Bool(w != ""))
	if w == "" || s.keep(doc) {
		return saring.Kept(), nil
	}
	return saring.Dropped(c4BadwordsReason, "contains %q (list %s)", w, lang), nil
}

func (s *C4BadWords) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	w, lang, ok, err := s.find(doc)
	if err != nil {
		return nil, err
	}
	if !ok {
		return []saring.Check{{Rule: c4BadwordsReason, Op: "==", Pass: true, Note: "no list for language " + lang}}, nil
	}
	c := saring.Check{Rule: c4BadwordsReason, Value: c4Bool(w != ""), Op: "==", Threshold: 0, Pass: w == "", Note: "list " + lang}
	if w != "" {
		c.Note = fmt.Sprintf("list %s: found %q", lang, w)
		if s.keep(doc) {
			c.Pass = true
			c.Note += fmt.Sprintf(", kept by keep_fraction %g", s.o.KeepFraction)
		}
	}
	return []saring.Check{c}, nil
}

func c4SplitMix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// c4ParseWordList reads a list: one entry per line, surrounding whitespace
// removed (Python str.strip), blank lines and lines starting with # skipped.
func c4ParseWordList(text string) []string {
	var out []string
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		line := text
		if i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		if w := c4Strip(line); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// c4NewBadList compiles a list.
func c4NewBadList(list []string, anywhere bool) *c4BadList {
	l := &c4BadList{trie: c4BuildBadTrie(list), anywhere: anywhere, ascii: true}
	for _, w := range list {
		for i := 0; i < len(w); i++ {
			if w[i] >= utf8.RuneSelf || 'A' <= w[i] && w[i] <= 'Z' {
				l.ascii = false
			}
		}
	}
	return l
}

func c4BuildBadTrie(list []string) c4Trie {
	var t c4Trie
	allow := map[string]bool{}
	for _, a := range c4BadwordsAllow {
		allow[a] = true
	}
	for _, w := range list {
		if !allow[w] {
			t.add(w)
		}
	}
	return t
}

// c4IsWordRune is Python's \w for str patterns (str.isalnum() or "_").
// Combining marks are not word characters there.
func c4IsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return c4ASCIIWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

var c4ASCIIWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// find returns the first entry of l found in the lowered text: anywhere,
// or — as datatrove's (?:\W|^)(w1|w2|...)(?:\W|$) — only where the entry is
// neither preceded nor followed by a word character. With fold, text is
// not lowered yet and ASCII letters are lowered as they are read (case does
// not change whether a character is a word character).
func (l *c4BadList) find(text string, fold bool) string {
	t := &l.trie
	if len(t.nodes) == 0 {
		return ""
	}
	prevNonWord := true
	for i := 0; i < len(text); {
		r, w := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(text[i:])
		}
		if (l.anywhere || prevNonWord) && t.root[c4Fold(text[i], fold)] != 0 {
			n := int32(0)
			for j := i; j < len(text); j++ {
				if n = t.next(n, c4Fold(text[j], fold)); n == 0 {
					break
				}
				if t.nodes[n].end {
					if l.anywhere || j+1 == len(text) {
						return text[i : j+1]
					}
					nr, _ := utf8.DecodeRuneInString(text[j+1:])
					if !c4IsWordRune(nr) {
						return text[i : j+1]
					}
				}
			}
		}
		prevNonWord = !c4IsWordRune(r)
		i += w
	}
	return ""
}

func c4Fold(c byte, fold bool) byte {
	if fold && 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// c4Trie is a byte trie of strings: a dense root table and sparse nodes,
// small for word lists and fast to walk from every word start.
type c4Trie struct {
	root  [256]int32 // child of the root by first byte; 0: none
	nodes []c4TrieNode
}

type c4TrieNode struct {
	keys []byte
	kids []int32
	end  bool
}

func (t *c4Trie) add(w string) {
	if w == "" {
		return
	}
	if len(t.nodes) == 0 {
		t.nodes = append(t.nodes, c4TrieNode{}) // node 0: the root
	}
	n := int32(0)
	for i := 0; i < len(w); i++ {
		c := t.next(n, w[i])
		if c == 0 {
			c = int32(len(t.nodes))
			t.nodes = append(t.nodes, c4TrieNode{})
			if n == 0 {
				t.root[w[i]] = c
			} else {
				t.nodes[n].keys = append(t.nodes[n].keys, w[i])
				t.nodes[n].kids = append(t.nodes[n].kids, c)
			}
		}
		n = c
	}
	t.nodes[n].end = true
}

func (t *c4Trie) next(n int32, b byte) int32 {
	if n == 0 {
		return t.root[b]
	}
	nd := &t.nodes[n]
	for k, key := range nd.keys {
		if key == b {
			return nd.kids[k]
		}
	}
	return 0
}

// contains reports whether any entry occurs anywhere in s.
func (t *c4Trie) contains(s string) bool {
	if len(t.nodes) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if t.root[s[i]] == 0 {
			continue
		}
		n := int32(0)
		for j := i; j < len(s); j++ {
			if n = t.next(n, s[j]); n == 0 {
				break
			}
			if t.nodes[n].end {
				return true
			}
		}
	}
	return false
}
