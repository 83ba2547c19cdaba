package tokenize

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// unigram is a Unigram model (SentencePiece's, as in T5, XLM-RoBERTa,
// ALBERT) as Hugging Face tokenizers runs it: each pre-token is cut where
// the sum of its pieces' log-probabilities is highest (Viterbi), a code
// point that no piece starts with scores the lowest piece's score less 10
// and is unknown; adjacent unknowns fuse into one unknown token, which
// byte fallback, when on, spells as <0xXX> tokens.
type unigram struct {
	next   map[uint64]int32 // trie: node<<8 | byte → child node
	root   [256]int32       // the root's children (-1: none)
	tokID  []int32          // per node: the id of the piece ending there, or -1
	score  []float64        // per id
	ids    map[string]int32 // piece → id (the last of equal pieces, as the reference's map)
	unkID  int32
	unkSc  float64
	maxLen int // the longest piece, in bytes

	byteFallback bool
	byteID       [256]int32 // <0xXX>, -1 when missing

	// Pre-tokenizer: WhitespaceSplit (optional) then Metaspace.
	wsSplit bool
	meta    bool
	rep     string // Metaspace's replacement of " "
	prepend prependScheme
	split   bool
}

type prependScheme uint8

const (
	prependAlways prependScheme = iota
	prependFirst
	prependNever
)

// newUnigram builds the model from the tokenizer.json's vocab ([[piece,
// score], ...]), unk_id and byte_fallback.
func newUnigram(rawVocab json.RawMessage, unkID *int32, byteFallback bool) (*unigram, error) {
	var vocab []json.RawMessage
	if err := json.Unmarshal(rawVocab, &vocab); err != nil {
		return nil, fmt.Errorf("Unigram vocab: %w", err)
	}
	if len(vocab) == 0 {
		return nil, errors.New("Unigram: empty vocabulary")
	}
	u := &unigram{next: map[uint64]int32{}, ids: make(map[string]int32, len(vocab)), unkID: -1, byteFallback: byteFallback}
	for i := range u.root {
		u.root[i] = -1
	}
	u.tokID = []int32{-1}
	u.score = make([]float64, len(vocab))
	minScore := math.Inf(1)
	for id, r := range vocab {
		var pair [2]json.RawMessage
		var piece string
		if err := json.Unmarshal(r, &pair); err != nil {
			return nil, fmt.Errorf("Unigram vocab %d: %w", id, err)
		}
		if err := json.Unmarshal(pair[0], &piece); err != nil {
			return nil, fmt.Errorf("Unigram vocab %d: %w", id, err)
		}
		if err := json.Unmarshal(pair[1], &u.score[id]); err != nil {
			return nil, fmt.Errorf("Unigram vocab %d: %w", id, err)
		}
		// A piece listed twice is the last one, in the trie as in the map
		// the reference looks pieces up in.
		u.ids[piece] = int32(id)
		minScore = min(minScore, u.score[id])
		u.maxLen = max(u.maxLen, len(piece))
		if piece != "" {
			u.insert(piece, int32(id))
		}
	}
	u.unkSc = minScore - 10
	// The reference fails on a text with an unknown code point when there
	// is no unk_id; every known file has one.
	if unkID == nil {
		return nil, errors.New("Unigram without unk_id is not supported")
	}
	if *unkID < 0 || int(*unkID) >= len(vocab) {
		return nil, fmt.Errorf("Unigram: unk_id %d outside the vocabulary", *unkID)
	}
	u.unkID = *unkID
	for b := range u.byteID {
		u.byteID[b] = -1
		if id, ok := u.ids[fmt.Sprintf("<0x%02X>", b)]; ok {
			u.byteID[b] = id
		}
	}
	return u, nil
}

func (u *unigram) insert(piece string, id int32) {
	node := int32(0)
	for i := 0; i < len(piece); i++ {
		c := piece[i]
		var child int32
		var ok bool
		if node == 0 {
			child = u.root[c]
			ok = child >= 0
		} else {
			child, ok = u.next[uint64(node)<<8|uint64(c)]
		}
		if !ok {
			child = int32(len(u.tokID))
			u.tokID = append(u.tokID, -1)
			if node == 0 {
				u.root[c] = child
			} else {
				u.next[uint64(node)<<8|uint64(c)] = child
			}
		}
		node = child
	}
	u.tokID[node] = id
}

// setPreTokenizer takes a Metaspace, or a Sequence of WhitespaceSplit and
// Metaspace, or none.
func (u *unigram) setPreTokenizer(raw json.RawMessage) error {
	raw = json.RawMessage(strings.TrimSpace(string(raw)))
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	type pre struct {
		Type           string            `json:"type"`
		Pretokenizers  []json.RawMessage `json:"pretokenizers"`
		Replacement    string            `json:"replacement"`
		PrependScheme  string            `json:"prepend_scheme"`
		AddPrefixSpace *bool             `json:"add_prefix_space"`
		Split          *bool             `json:"split"`
	}
	var p pre
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("pre_tokenizer: %w", err)
	}
	list := []json.RawMessage{raw}
	if p.Type == "Sequence" {
		list = p.Pretokenizers
	}
	unsupported := fmt.Errorf("pre_tokenizer %s is not supported with a Unigram model (Metaspace, WhitespaceSplit then Metaspace, or none are)", string(raw))
	for i, r := range list {
		var x pre
		if err := json.Unmarshal(r, &x); err != nil {
			return fmt.Errorf("pre_tokenizer: %w", err)
		}
		switch {
		case x.Type == "WhitespaceSplit" && i == 0 && len(list) == 2:
			u.wsSplit = true
		case x.Type == "Metaspace" && i == len(list)-1 && x.Replacement != "":
			u.meta, u.rep, u.split = true, x.Replacement, true
			if x.Split != nil {
				u.split = *x.Split
			}
			switch x.PrependScheme {
			case "always":
				u.prepend = prependAlways
			case "first":
				u.prepend = prependFirst
			case "never":
				u.prepend = prependNever
			case "":
				// Files written before prepend_scheme: add_prefix_space.
				u.prepend = prependNever
				if x.AddPrefixSpace == nil || *x.AddPrefixSpace {
					u.prepend = prependAlways
				}
			default:
				return unsupported
			}
		default:
			return unsupported
		}
	}
	if u.wsSplit && !u.meta {
		return unsupported
	}
	if u.wsSplit && u.prepend == prependFirst {
		// "first" asks whether a word starts the original text, which
		// needs offsets through the normalizers; no such file is known.
		return errors.New("pre_tokenizer WhitespaceSplit then Metaspace with prepend_scheme first is not supported")
	}
	return nil
}

type uniNode struct {
	score float64
	start int32 // -1: not reached
	id    int32
}

// encodeUnigram normalizes a segment (text between added tokens), splits it
// into pre-tokens and encodes each; atStart tells whether the segment starts
// the text (Metaspace's prepend_scheme first).
func (t *Tokenizer) encodeUnigram(s string, atStart bool, fn func(ids []int32, id int32)) {
	u := t.uni
	sc := t.bufs.Get().(*scratch)
	defer t.bufs.Put(sc)
	s = validUTF8(s)
	s, sc.norm = normalizeChain(t.norms, s, sc.norm)
	if s == "" {
		return
	}
	if !u.meta {
		t.unigramPiece(sc, s, fn)
		return
	}
	word := func(w string, first bool) {
		if w == "" {
			return
		}
		w = strings.ReplaceAll(w, " ", u.rep)
		if !strings.HasPrefix(w, u.rep) && (u.prepend == prependAlways || u.prepend == prependFirst && first) {
			w = u.rep + w
		}
		if !u.split {
			t.unigramPiece(sc, w, fn)
			return
		}
		// Split before every replacement but a leading one (the
		// replacement begins with a UTF-8 lead byte, so a search from the
		// second byte finds only later ones).
		for {
			j := strings.Index(w[1:], u.rep)
			if j < 0 {
				t.unigramPiece(sc, w, fn)
				return
			}
			t.unigramPiece(sc, w[:j+1], fn)
			w = w[j+1:]
		}
	}
	if !u.wsSplit {
		word(s, atStart)
		return
	}
	for _, w := range strings.FieldsFunc(s, unicode.IsSpace) {
		word(w, false)
	}
}

func (t *Tokenizer) unigramPiece(sc *scratch, s string, fn func(ids []int32, id int32)) {
	if ids, ok := t.cache.get(s); ok {
		fn(ids, 0)
		return
	}
	ids := t.uni.viterbi(sc, s)
	t.cache.put(s, ids)
	fn(ids, 0)
}

func (u *unigram) viterbi(sc *scratch, s string) []int32 {
	n := len(s)
	if cap(sc.nodes) < n+1 {
		sc.nodes = make([]uniNode, n+1)
	}
	nodes := sc.nodes[:n+1]
	for i := range nodes {
		nodes[i] = uniNode{start: -1}
	}
	nodes[0].start = 0
	for i := 0; i < n; {
		base := nodes[i].score
		w := 1
		if s[i] >= utf8.RuneSelf {
			_, w = utf8.DecodeRuneInString(s[i:])
		}
		single := false
		node := int32(0)
		for j := i; j < n; j++ {
			var ok bool
			if node == 0 {
				node = u.root[s[j]]
				ok = node >= 0
			} else {
				node, ok = u.next[uint64(node)<<8|uint64(s[j])]
			}
			if !ok {
				break
			}
			id := u.tokID[node]
			if id < 0 {
				continue
			}
			end := j + 1
			cand := base + u.score[id]
			if t := &nodes[end]; t.start < 0 || cand > t.score {
				t.score, t.start, t.id = cand, int32(i), id
			}
			if end-i == w {
				single = true
			}
		}
		if !single {
			cand := base + u.unkSc
			if t := &nodes[i+w]; t.start < 0 || cand > t.score {
				t.score, t.start, t.id = cand, int32(i), u.unkID
			}
		}
		i += w
	}
	// Back from the end: pieces in reverse, adjacent unknowns fused.
	rev := sc.rev[:0]
	unkEnd := -1 // end of the unknown run being fused
	flushUnk := func(start int) {
		rev = u.appendUnknown(rev, s[start:unkEnd])
		unkEnd = -1
	}
	for end := n; end > 0; {
		nd := nodes[end]
		start := int(nd.start)
		if nd.id == u.unkID {
			if unkEnd < 0 {
				unkEnd = end
			}
		} else {
			if unkEnd >= 0 {
				flushUnk(end)
			}
			rev = append(rev, nd.id)
		}
		end = start
	}
	if unkEnd >= 0 {
		flushUnk(0)
	}
	sc.rev = rev
	ids := make([]int32, len(rev))
	for i, id := range rev {
		ids[len(rev)-1-i] = id
	}
	return ids
}

// appendUnknown appends, reversed, the ids of a fused unknown run: the
// piece itself when the run happens to spell one, else its bytes' <0xXX>
// tokens when byte fallback has them all, else the unknown token.
func (u *unigram) appendUnknown(rev []int32, run string) []int32 {
	if id, ok := u.ids[run]; ok {
		return append(rev, id)
	}
	if u.byteFallback {
		all := true
		for i := 0; i < len(run); i++ {
			all = all && u.byteID[run[i]] >= 0
		}
		if all {
			for i := len(run) - 1; i >= 0; i-- {
				rev = append(rev, u.byteID[run[i]])
			}
			return rev
		}
	}
	return append(rev, u.unkID)
}
