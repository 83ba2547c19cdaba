// Package tokenize counts and produces the token ids of language-model
// tokenizers in pure Go, with the same ids as the reference implementations:
// byte-level BPE from a Hugging Face tokenizer.json (GPT-2 style, as Llama 3
// and Qwen), SentencePiece-style BPE from a tokenizer.json (spaces replaced
// by "▁", byte fallback, as Mistral and Gemma 3), Unigram from a
// tokenizer.json (SentencePiece's model as T5, XLM-RoBERTa and ALBERT use
// it, with its Precompiled charsmap normalizer and Metaspace) and tiktoken
// encodings (cl100k_base, o200k_base).
//
// Tokenizer files are not embedded: scripts/get-tokenizers.sh fetches them
// into models/tokenizers/, and a tokenizer is named by a path or by the name
// of a file there (llama3, qwen3, cl100k_base, o200k_base, mistral, gemma3,
// albert).
package tokenize

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Tokenizer encodes text to token ids. It is safe for concurrent use.
type Tokenizer struct {
	name  string
	nfc   bool
	pre   pretokKind
	added *addedVocab // nil: none are split out

	// The model, over raw bytes.
	byteID       [256]int32
	vocab        map[string]int32 // token bytes → id
	pairs        *pairTable
	ignoreMerges bool // a piece that is one token is that token

	// SentencePiece-style BPE (Llama 2, Gemma): the vocabulary is of
	// characters, not bytes; a character not in it becomes its bytes'
	// <0xXX> tokens (byte fallback), else the unknown token.
	sp           bool
	prepend      string // normalizer Prepend: put before a non-empty segment
	spaceTo      string // normalizer Replace " " → spaceTo
	byteFallback bool
	fallbackID   [256]int32
	unkID        int32 // -1: none
	fuseUnk      bool
	spRune       []int32       // the id of each code point below 0x10000 as a token, -1 when none
	spRep        rune          // spaceTo when it is one code point, else 0
	spNoSplit    map[rune]bool // code points some token has right before spRep

	// Unigram (T5, XLM-RoBERTa, ALBERT): a general normalizer chain, then
	// the model's own pre-tokenizer and Viterbi search.
	uni   *unigram
	norms []normStep

	cache wordCache
	bufs  sync.Pool // *scratch
}

type scratch struct {
	parts []part
	norm  []byte
	nodes []uniNode
	rev   []int32
}

// Name is what the tokenizer was loaded as.
func (t *Tokenizer) Name() string { return t.name }

// Encode returns the ids of text, with no special tokens added. Special and
// added tokens written in the text are encoded as those tokens when the
// reference does so (Hugging Face tokenizers), as plain text otherwise
// (tiktoken's encode_ordinary).
func (t *Tokenizer) Encode(text string) []int {
	return t.AppendEncode(nil, text)
}

// Count returns len(t.Encode(text)).
func (t *Tokenizer) Count(text string) int {
	n := 0
	t.each(text, func(ids []int32, id int32) {
		if ids != nil {
			n += len(ids)
		} else {
			n++
		}
	})
	return n
}

// AppendEncode appends the ids of text to dst.
func (t *Tokenizer) AppendEncode(dst []int, text string) []int {
	t.each(text, func(ids []int32, id int32) {
		if ids == nil {
			dst = append(dst, int(id))
			return
		}
		for _, x := range ids {
			dst = append(dst, int(x))
		}
	})
	return dst
}

// each calls fn with the ids of text in order: a slice (not to be kept) or,
// when ids is nil, one id.
func (t *Tokenizer) each(text string, fn func(ids []int32, id int32)) {
	if t.added == nil {
		t.encodeSegment(text, true, fn)
		return
	}
	for atStart := true; len(text) > 0; atStart = false {
		i, n, tk := t.added.find(text)
		if i < 0 {
			t.encodeSegment(text, atStart, fn)
			return
		}
		id := tk.id
		// lstrip and rstrip: the token takes the white space before and
		// after it (back to the end of the previous token at most).
		if tk.lstrip {
			j := len(strings.TrimRightFunc(text[:i], unicode.IsSpace))
			n += i - j
			i = j
		}
		if tk.rstrip {
			n += len(text[i+n:]) - len(strings.TrimLeftFunc(text[i+n:], unicode.IsSpace))
		}
		if i > 0 {
			t.encodeSegment(text[:i], atStart, fn)
		}
		fn(nil, id)
		text = text[i+n:]
	}
}

// encodeSegment encodes text between added tokens; atStart tells whether it
// starts the text.
func (t *Tokenizer) encodeSegment(s string, atStart bool, fn func(ids []int32, id int32)) {
	if t.uni != nil {
		t.encodeUnigram(s, atStart, fn)
		return
	}
	if t.nfc {
		s = nfc9(s)
	}
	if t.sp {
		t.encodeSP(s, fn)
		return
	}
	// One scratch for the whole segment, back in the pool when the segment
	// is done: returning it after the first piece let another goroutine
	// take it while later pieces still used it.
	var sc *scratch
	defer func() {
		if sc != nil {
			t.bufs.Put(sc)
		}
	}()
	t.pre.split(s, func(piece string) {
		if t.ignoreMerges {
			if id, ok := t.vocab[piece]; ok {
				fn(nil, id)
				return
			}
		}
		if len(piece) == 1 {
			fn(nil, t.byteID[piece[0]])
			return
		}
		if ids, ok := t.cache.get(piece); ok {
			fn(ids, 0)
			return
		}
		if sc == nil {
			sc = t.bufs.Get().(*scratch)
		}
		ids := t.encodePiece(sc, piece)
		t.cache.put(piece, ids)
		fn(ids, 0)
	})
}

// encodeSP normalizes a segment as the SentencePiece-style families do and
// runs the BPE model on it. They have no pre-tokenizer, but a merge never
// joins a character to a following "▁" unless some token spells the two
// (spNoSplit), so the text is cut before each such "▁" and the pieces,
// mostly words that recur, are merged (and remembered) apart, with the ids
// of merging the whole.
func (t *Tokenizer) encodeSP(s string, fn func(ids []int32, id int32)) {
	if s == "" {
		return
	}
	if t.spaceTo != "" {
		s = strings.ReplaceAll(s, " ", t.spaceTo)
	}
	s = t.prepend + s
	if t.spRep == 0 {
		t.encodeSPChunk(s, fn)
		return
	}
	start := 0
	for i, r := range s {
		if r == t.spRep && i > start {
			if pr, _ := utf8.DecodeLastRuneInString(s[:i]); pr != t.spRep && t.spMayEnd(pr) {
				t.encodeSPChunk(s[start:i], fn)
				start = i
			}
		}
	}
	t.encodeSPChunk(s[start:], fn)
}

// spMayEnd tells whether a piece may end with r: r is one token and no
// token has it before spRep.
func (t *Tokenizer) spMayEnd(r rune) bool {
	if r == utf8.RuneError { // perhaps a byte that is no code point
		return false
	}
	if t.spNoSplit[r] {
		return false
	}
	if r < 0x10000 {
		return t.spRune[r] >= 0
	}
	_, ok := t.vocab[string(r)]
	return ok
}

func (t *Tokenizer) encodeSPChunk(s string, fn func(ids []int32, id int32)) {
	if ids, ok := t.cache.get(s); ok {
		fn(ids, 0)
		return
	}
	sc := t.bufs.Get().(*scratch)
	defer t.bufs.Put(sc)
	parts := sc.parts[:0]
	unk := false // the last part is an unknown token
	for i, r := range s {
		w := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, w = utf8.DecodeRuneInString(s[i:])
		}
		id, ok := int32(-1), false
		if r < 0x10000 && w > 0 && (r != utf8.RuneError || w == 3) {
			id = t.spRune[r]
			ok = id >= 0
		} else {
			id, ok = t.vocab[s[i:i+w]]
		}
		if ok {
			parts = append(parts, part{start: int32(i), end: int32(i + w), id: id})
			unk = false
			continue
		}
		if t.byteFallback {
			for j := i; j < i+w; j++ {
				parts = append(parts, part{start: int32(j), end: int32(j + 1), id: t.fallbackID[s[j]]})
			}
			unk = false
			continue
		}
		if t.fuseUnk && unk {
			parts[len(parts)-1].end = int32(i + w)
			continue
		}
		parts = append(parts, part{start: int32(i), end: int32(i + w), id: t.unkID})
		unk = true
	}
	sc.parts = parts
	ids := bpe(s, parts, pairMerger{t})
	t.cache.put(s, ids)
	fn(ids, 0)
}

// encodePiece runs the BPE model on one pre-token.
func (t *Tokenizer) encodePiece(sc *scratch, piece string) []int32 {
	parts := sc.parts[:0]
	for i := 0; i < len(piece); i++ {
		c := piece[i]
		parts = append(parts, part{start: int32(i), end: int32(i + 1), id: t.byteID[c]})
	}
	sc.parts = parts
	return bpe(piece, parts, pairMerger{t})
}

type pairMerger struct{ t *Tokenizer }

func (m pairMerger) rank(_ string, l, r *part) (int32, int32, bool) {
	return m.t.pairs.get(uint64(uint32(l.id))<<32 | uint64(uint32(r.id)))
}

// addedVocab splits out added tokens, leftmost first, longest among those
// starting at the same place (Hugging Face's AddedVocabulary).
type addedVocab struct {
	first [256]bool
	byLen [][]addedToken // by first byte, longest first
}

type addedToken struct {
	content        string
	id             int32
	lstrip, rstrip bool
}

func newAddedVocab(toks []addedToken) *addedVocab {
	if len(toks) == 0 {
		return nil
	}
	a := &addedVocab{byLen: make([][]addedToken, 256)}
	for _, tk := range toks {
		c := tk.content[0]
		a.first[c] = true
		a.byLen[c] = append(a.byLen[c], tk)
	}
	for c := range a.byLen {
		l := a.byLen[c]
		// longest first; stable for equal lengths
		for i := 1; i < len(l); i++ {
			for j := i; j > 0 && len(l[j].content) > len(l[j-1].content); j-- {
				l[j], l[j-1] = l[j-1], l[j]
			}
		}
	}
	return a
}

// find returns the offset and length of the first added token in s and the
// token, or -1.
func (a *addedVocab) find(s string) (int, int, *addedToken) {
	for i := 0; i < len(s); i++ {
		if !a.first[s[i]] {
			continue
		}
		for k := range a.byLen[s[i]] {
			tk := &a.byLen[s[i]][k]
			if len(s)-i >= len(tk.content) && s[i:i+len(tk.content)] == tk.content {
				return i, len(tk.content), tk
			}
		}
	}
	return -1, 0, nil
}

// byteLevelDecode maps GPT-2's byte-level alphabet back to bytes.
var byteLevelDecode = func() map[rune]byte {
	m := make(map[rune]byte, 256)
	n := 0
	for b := 0; b < 256; b++ {
		if (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF) {
			m[rune(b)] = byte(b)
		} else {
			m[rune(256+n)] = byte(b)
			n++
		}
	}
	return m
}()

// fromByteLevel turns a byte-level vocabulary entry into its bytes.
func fromByteLevel(s string) (string, error) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		b, ok := byteLevelDecode[r]
		if !ok {
			return "", fmt.Errorf("%q is not in the byte-level alphabet", s)
		}
		out = append(out, b)
	}
	return string(out), nil
}
