package tokenize

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// DirEnv names the environment variable holding the directory of tokenizer
// files (default: models/tokenizers).
const DirEnv = "SARING_TOKENIZERS"

// Names lists the tokenizers scripts/get-tokenizers.sh fetches.
var Names = []string{"llama3", "qwen3", "cl100k_base", "o200k_base", "mistral", "gemma3", "albert"}

// Find returns the file of tokenizer spec: spec itself when it is a file,
// else NAME.json in $SARING_TOKENIZERS, models/tokenizers under the working
// directory, or beside the executable (../models/tokenizers,
// models/tokenizers).
func Find(spec string) (string, error) {
	if spec == "" {
		return "", errors.New("no tokenizer given: a path to a tokenizer.json or a name (" + strings.Join(Names, ", ") + ")")
	}
	if st, err := os.Stat(spec); err == nil && !st.IsDir() {
		return spec, nil
	}
	if strings.ContainsAny(spec, `/\`) || strings.HasSuffix(spec, ".json") {
		return "", fmt.Errorf("tokenizer file %s not found", spec)
	}
	var dirs []string
	if d := os.Getenv(DirEnv); d != "" {
		dirs = append(dirs, d)
	}
	dirs = append(dirs, filepath.Join("models", "tokenizers"))
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		dir := filepath.Dir(exe)
		dirs = append(dirs, filepath.Join(dir, "..", "models", "tokenizers"), filepath.Join(dir, "models", "tokenizers"))
	}
	var tried []string
	for _, d := range dirs {
		p := filepath.Join(d, spec+".json")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
		tried = append(tried, p)
	}
	return "", fmt.Errorf("tokenizer %q not found (looked for %s); run scripts/get-tokenizers.sh from the saring repository, or give a path to a tokenizer.json (or $%s)",
		spec, strings.Join(tried, ", "), DirEnv)
}

var loaded sync.Map // path → *loadOnce

type loadOnce struct {
	once sync.Once
	t    *Tokenizer
	err  error
}

// Load finds (see Find) and loads a tokenizer; loads of the same file share
// one Tokenizer.
func Load(spec string) (*Tokenizer, error) {
	path, err := Find(spec)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	v, _ := loaded.LoadOrStore(abs, &loadOnce{})
	lo := v.(*loadOnce)
	lo.once.Do(func() {
		lo.t, lo.err = LoadFile(path)
		if lo.t != nil {
			lo.t.name = spec
		}
	})
	return lo.t, lo.err
}

// LoadFile reads a Hugging Face tokenizer.json or a tiktoken encoding in the
// JSON form of the npm package tiktoken (pat_str, special_tokens, bpe_ranks).
func LoadFile(path string) (*Tokenizer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := parseFile(data)
	if err != nil {
		return nil, fmt.Errorf("tokenizer %s: %w", path, err)
	}
	t.name = path
	return t, nil
}

// parseFile reads a tokenizer file's bytes (see LoadFile).
func parseFile(data []byte) (*Tokenizer, error) {
	var t *Tokenizer
	var err error
	if bytes.Contains(data[:min(len(data), 4096)], []byte(`"bpe_ranks"`)) || bytes.Contains(data[:min(len(data), 4096)], []byte(`"pat_str"`)) {
		t, err = parseTiktoken(data)
	} else {
		t, err = parseHF(data)
	}
	if err != nil {
		return nil, err
	}
	t.bufs.New = func() any { return &scratch{} }
	return t, nil
}

func parseTiktoken(data []byte) (*Tokenizer, error) {
	var f struct {
		PatStr        string           `json:"pat_str"`
		SpecialTokens map[string]int32 `json:"special_tokens"`
		BPERanks      string           `json:"bpe_ranks"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	pre, ok := pretokFor(f.PatStr)
	if !ok {
		return nil, fmt.Errorf("unsupported pattern %q (cl100k_base's and o200k_base's are)", f.PatStr)
	}
	t := &Tokenizer{pre: pre, ignoreMerges: true, vocab: map[string]int32{}}
	// Lines of "NAME OFFSET TOKEN..." with base64 tokens ranked from OFFSET.
	for _, line := range strings.Split(f.BPERanks, "\n") {
		if line == "" {
			continue
		}
		fields := strings.Split(line, " ")
		if len(fields) < 2 {
			return nil, fmt.Errorf("bpe_ranks: bad line %.40q", line)
		}
		off, err := strconv.Atoi(fields[1])
		if err != nil {
			return nil, fmt.Errorf("bpe_ranks: bad offset %q", fields[1])
		}
		for i, tk := range fields[2:] {
			b, err := base64.StdEncoding.DecodeString(tk)
			if err != nil {
				return nil, fmt.Errorf("bpe_ranks: token %q: %w", tk, err)
			}
			t.vocab[string(b)] = int32(off + i)
		}
	}
	for b := 0; b < 256; b++ {
		id, ok := t.vocab[string([]byte{byte(b)})]
		if !ok {
			return nil, fmt.Errorf("bpe_ranks: no token for byte %#x", b)
		}
		t.byteID[b] = id
	}
	// tiktoken merges the adjacent pair whose joined bytes rank lowest.
	// Parts are always tokens, so every pair that can merge is two tokens
	// that spell a third: listed here once, the merge loop looks pairs up
	// by id as for a merges list, instead of hashing the joined bytes.
	var keys []uint64
	var ranks []int32
	for tok, rank := range t.vocab {
		for k := 1; k < len(tok); k++ {
			a, okA := t.vocab[tok[:k]]
			if !okA {
				continue
			}
			if b, okB := t.vocab[tok[k:]]; okB {
				keys = append(keys, uint64(uint32(a))<<32|uint64(uint32(b)))
				ranks = append(ranks, rank)
			}
		}
	}
	t.pairs = newPairTable(len(keys))
	for i, k := range keys {
		t.pairs.put(k, ranks[i], ranks[i])
	}
	return t, nil
}

type hfFile struct {
	AddedTokens []struct {
		ID         int32  `json:"id"`
		Content    string `json:"content"`
		SingleWord bool   `json:"single_word"`
		LStrip     bool   `json:"lstrip"`
		RStrip     bool   `json:"rstrip"`
		Normalized bool   `json:"normalized"`
		Special    bool   `json:"special"`
	} `json:"added_tokens"`
	Normalizer   json.RawMessage `json:"normalizer"`
	PreTokenizer json.RawMessage `json:"pre_tokenizer"`
	Model        struct {
		Type                    string          `json:"type"`
		Dropout                 *float64        `json:"dropout"`
		UnkToken                *string         `json:"unk_token"`
		ContinuingSubwordPrefix *string         `json:"continuing_subword_prefix"`
		EndOfWordSuffix         *string         `json:"end_of_word_suffix"`
		FuseUnk                 bool            `json:"fuse_unk"`
		ByteFallback            bool            `json:"byte_fallback"`
		IgnoreMerges            bool            `json:"ignore_merges"`
		Vocab                   json.RawMessage `json:"vocab"`
		Merges                  json.RawMessage `json:"merges"`
		UnkID                   *int32          `json:"unk_id"`
	} `json:"model"`
}

type hfPre struct {
	Type          string  `json:"type"`
	Pretokenizers []hfPre `json:"pretokenizers"`
	Pattern       struct {
		Regex  *string `json:"Regex"`
		String *string `json:"String"`
	} `json:"pattern"`
	Behavior       string `json:"behavior"`
	Invert         bool   `json:"invert"`
	AddPrefixSpace bool   `json:"add_prefix_space"`
	UseRegex       bool   `json:"use_regex"`
}

func parseHF(data []byte) (*Tokenizer, error) {
	var f hfFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if f.Model.Type == "Unigram" {
		return parseHFUnigram(&f)
	}
	t := &Tokenizer{unkID: -1}
	if err := t.parseNormalizer(f.Normalizer); err != nil {
		return nil, err
	}
	var pre *hfPre
	if p := bytes.TrimSpace(f.PreTokenizer); len(p) > 0 && string(p) != "null" {
		pre = &hfPre{}
		if err := json.Unmarshal(p, pre); err != nil {
			return nil, fmt.Errorf("pre_tokenizer: %w", err)
		}
	}
	unsupported := fmt.Errorf("pre_tokenizer %s is not supported (a Sequence of a Split with the Llama 3, Qwen or o200k regex and a ByteLevel without its regex is; so is none after a normalizer replacing spaces)", string(f.PreTokenizer))
	switch {
	case pre == nil && t.spaceTo != "":
		t.sp = true
	case pre != nil && pre.Type == "Split" && pre.Pattern.String != nil && *pre.Pattern.String == " " && t.spaceTo != "" && !strings.Contains(t.spaceTo, " "):
		// Gemma: splits on spaces the normalizer has already replaced, so
		// never splits.
		t.sp = true
	case pre != nil && pre.Type == "Sequence" && len(pre.Pretokenizers) == 2:
		sp, bl := pre.Pretokenizers[0], pre.Pretokenizers[1]
		if sp.Type != "Split" || sp.Pattern.Regex == nil || sp.Behavior != "Isolated" || sp.Invert ||
			bl.Type != "ByteLevel" || bl.UseRegex || bl.AddPrefixSpace || t.spaceTo != "" || t.prepend != "" {
			return nil, unsupported
		}
		k, ok := pretokFor(*sp.Pattern.Regex)
		if !ok {
			return nil, unsupported
		}
		t.pre = k
	default:
		return nil, unsupported
	}
	// Model: BPE, over bytes (byte-level) or characters (SentencePiece-style).
	m := f.Model
	if m.Type != "BPE" {
		return nil, fmt.Errorf("model %s is not supported (BPE and Unigram are)", m.Type)
	}
	var vocab map[string]int32
	if err := json.Unmarshal(m.Vocab, &vocab); err != nil {
		return nil, fmt.Errorf("model vocab: %w", err)
	}
	if m.Dropout != nil && *m.Dropout != 0 ||
		m.ContinuingSubwordPrefix != nil && *m.ContinuingSubwordPrefix != "" ||
		m.EndOfWordSuffix != nil && *m.EndOfWordSuffix != "" {
		return nil, errors.New("BPE with dropout or subword prefixes/suffixes is not supported")
	}
	t.ignoreMerges = m.IgnoreMerges
	t.vocab = make(map[string]int32, len(vocab))
	if t.sp {
		if t.ignoreMerges {
			return nil, errors.New("ignore_merges without a pre-tokenizer is not supported")
		}
		for s, id := range vocab {
			t.vocab[s] = id
		}
		t.byteFallback, t.fuseUnk = m.ByteFallback, m.FuseUnk
		if m.UnkToken != nil {
			id, ok := vocab[*m.UnkToken]
			if !ok {
				return nil, fmt.Errorf("unk_token %q is not in the vocabulary", *m.UnkToken)
			}
			t.unkID = id
		}
		if t.byteFallback {
			for b := 0; b < 256; b++ {
				id, ok := vocab[fmt.Sprintf("<0x%02X>", b)]
				if !ok {
					return nil, fmt.Errorf("byte_fallback: no token <0x%02X>", b)
				}
				t.fallbackID[b] = id
			}
		} else if t.unkID < 0 {
			return nil, errors.New("BPE with neither byte_fallback nor unk_token is not supported")
		}
		t.spRune = make([]int32, 0x10000)
		for r := range t.spRune {
			t.spRune[r] = -1
			if id, ok := vocab[string(rune(r))]; ok && utf8.ValidRune(rune(r)) {
				t.spRune[r] = id
			}
		}
		if rep, n := utf8.DecodeRuneInString(t.spaceTo); n > 0 && n == len(t.spaceTo) && rep != utf8.RuneError {
			t.spRep = rep
			t.spNoSplit = map[rune]bool{}
			for tok := range vocab {
				for k := 1; k < len(tok); k++ {
					if strings.HasPrefix(tok[k:], t.spaceTo) {
						if r, _ := utf8.DecodeLastRuneInString(tok[:k]); r != rep {
							t.spNoSplit[r] = true
						}
					}
				}
			}
		}
	} else {
		if m.ByteFallback {
			return nil, errors.New("byte-level BPE with byte_fallback is not supported")
		}
		for s, id := range vocab {
			b, err := fromByteLevel(s)
			if err != nil {
				return nil, fmt.Errorf("vocab: %w", err)
			}
			t.vocab[b] = id
		}
		for b := 0; b < 256; b++ {
			id, ok := t.vocab[string([]byte{byte(b)})]
			if !ok {
				return nil, fmt.Errorf("vocab: no token for byte %#x", b)
			}
			t.byteID[b] = id
		}
	}
	// Merges: ["a b", ...] or [["a", "b"], ...].
	var merges [][2]string
	var flat []string
	if err := json.Unmarshal(m.Merges, &flat); err == nil {
		merges = make([][2]string, len(flat))
		for i, s := range flat {
			a, b, ok := strings.Cut(s, " ")
			if !ok {
				return nil, fmt.Errorf("merge %d: %q", i, s)
			}
			merges[i] = [2]string{a, b}
		}
	} else if err := json.Unmarshal(m.Merges, &merges); err != nil {
		return nil, fmt.Errorf("merges: %w", err)
	}
	t.pairs = newPairTable(len(merges))
	for rank, mg := range merges {
		a, b := mg[0], mg[1]
		ia, oka := vocab[a]
		ib, okb := vocab[b]
		inew, okn := vocab[a+b]
		if !oka || !okb || !okn {
			return nil, fmt.Errorf("merge %d (%q %q): a token is not in the vocabulary", rank, a, b)
		}
		// A pair listed twice takes its last rank, as the reference's map does.
		t.pairs.put(uint64(uint32(ia))<<32|uint64(uint32(ib)), int32(rank), inew)
	}
	var err error
	t.added, err = parseAdded(&f)
	return t, err
}

// parseAdded reads the added tokens, split out of the raw text before
// normalization.
func parseAdded(f *hfFile) (*addedVocab, error) {
	var toks []addedToken
	for _, at := range f.AddedTokens {
		if at.Content == "" {
			continue
		}
		if at.SingleWord || at.Normalized {
			return nil, fmt.Errorf("added token %q: single_word and normalized are not supported", at.Content)
		}
		toks = append(toks, addedToken{content: at.Content, id: at.ID, lstrip: at.LStrip, rstrip: at.RStrip})
	}
	return newAddedVocab(toks), nil
}

// parseHFUnigram reads a tokenizer.json with a Unigram model: any chain of
// the supported normalizers, Metaspace (after WhitespaceSplit or not).
func parseHFUnigram(f *hfFile) (*Tokenizer, error) {
	u, err := newUnigram(f.Model.Vocab, f.Model.UnkID, f.Model.ByteFallback)
	if err != nil {
		return nil, err
	}
	if err := u.setPreTokenizer(f.PreTokenizer); err != nil {
		return nil, err
	}
	t := &Tokenizer{unkID: -1, uni: u}
	if t.norms, err = parseNormChain(f.Normalizer); err != nil {
		return nil, err
	}
	if t.added, err = parseAdded(f); err != nil {
		return nil, err
	}
	return t, nil
}

// parseNormalizer accepts none, NFC, and the SentencePiece-style
// Sequence[Prepend("▁"), Replace(" ", "▁")] or Replace(" ", "▁").
func (t *Tokenizer) parseNormalizer(raw json.RawMessage) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	type norm struct {
		Type        string            `json:"type"`
		Normalizers []json.RawMessage `json:"normalizers"`
		Prepend     string            `json:"prepend"`
		Pattern     struct {
			String *string `json:"String"`
		} `json:"pattern"`
		Content string `json:"content"`
	}
	var n norm
	if err := json.Unmarshal(raw, &n); err != nil {
		return fmt.Errorf("normalizer: %w", err)
	}
	list := []json.RawMessage{raw}
	if n.Type == "Sequence" {
		list = n.Normalizers
	}
	for i, r := range list {
		var x norm
		if err := json.Unmarshal(r, &x); err != nil {
			return fmt.Errorf("normalizer: %w", err)
		}
		switch {
		case x.Type == "NFC" && len(list) == 1:
			t.nfc = true
		case x.Type == "Prepend" && i == 0 && x.Prepend != "":
			t.prepend = x.Prepend
		case x.Type == "Replace" && x.Pattern.String != nil && *x.Pattern.String == " " && x.Content != "" && t.spaceTo == "":
			t.spaceTo = x.Content
		default:
			return fmt.Errorf("normalizer %s is not supported (none, NFC, and Prepend then Replace of spaces are)", string(raw))
		}
	}
	return nil
}
