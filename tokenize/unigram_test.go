package tokenize

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Small Unigram files (testdata/unigram) and the ids Hugging Face tokenizers
// 0.22 (the native addon of testdata/ref) gives for them: Viterbi over the
// scores, fused unknowns, byte fallback all or nothing, the Metaspace
// schemes, WhitespaceSplit, and the Lowercase, NFKC, Replace and Strip
// normalizers.
func TestUnigramSmall(t *testing.T) {
	cases := []struct {
		file, text string
		want       []int
	}{
		{"always", "abc", []int{4, 11}},
		{"always", "ab ab", []int{8, 8}},
		{"always", "a  b", []int{4, 3, 3, 6}},
		{"always", "zz", []int{3, 0}},
		{"always", "☃a", []int{3, 0, 5}},
		{"always", "A☃", []int{3, 0}},
		{"always", "<s>ab<s> ab", []int{1, 8, 1, 8}},
		{"always", " ab", []int{8}},
		{"always", "ＡBc Qé", []int{3, 0, 9, 3, 0, 18}},
		{"always", "abcabc", []int{4, 11, 5, 11}},
		{"always", "x☃☃y", []int{17, 0}},
		{"always", "", nil},
		{"first", "<s>ab<s> ab", []int{1, 7, 1, 8}},
		{"first", "ab ab", []int{8, 8}},
		{"first", "a  b", []int{4, 3, 3, 6}},
		{"bytes", "abc", []int{5, 11}},
		{"bytes", "a  b", []int{5, 6}},
		{"bytes", "zz", []int{0}},
		{"bytes", "☃a", []int{13, 14, 15, 5}},
		{"bytes", "A☃", []int{5, 13, 14, 15}},
		{"bytes", "<s>ab<s> ab", []int{1, 7, 1, 7}},
		{"bytes", "ＡBc Qé", []int{5, 11, 16, 18}},
		{"bytes", "x☃☃y", []int{16, 0}},
	}
	toks := map[string]*Tokenizer{}
	for _, c := range cases {
		tok := toks[c.file]
		if tok == nil {
			var err error
			if tok, err = LoadFile(filepath.Join("testdata", "unigram", c.file+".json")); err != nil {
				t.Fatal(err)
			}
			toks[c.file] = tok
		}
		if got := tok.Encode(c.text); !slices.Equal(got, c.want) {
			t.Errorf("%s %q: %v, want %v", c.file, c.text, got, c.want)
		}
		if n := tok.Count(c.text); n != len(c.want) {
			t.Errorf("%s %q: Count %d, want %d", c.file, c.text, n, len(c.want))
		}
	}
}

// Ids of the fetched ALBERT model, from the reference.
func TestUnigramKnownIDs(t *testing.T) {
	tok := fetched(t, "albert")
	cases := []struct {
		text string
		want []int
	}{
		{"Hello world!  How are   you? (test) ﬁ café e\u0301 ＡＢＣ ①", []int{13, 1, 7523, 126, 187, 13, 1, 3581, 50, 42, 60, 5, 1289, 6, 6028, 1658, 410, 1, 13, 1, 13, 1, 137}},
		{"  leading and trailing  ", []int{1005, 17, 14323}},
		{"x\u200by", []int{993, 13, 93}},
		{"日本語のテキスト", []int{13, 1}},
		{"-a-", []int{8, 21, 8}},   // a user-defined piece is an added token
		{"ﬁ\u0301x", []int{6098}},  // a cluster replaced whole by its first key's replacement
		{"a\r\nb", []int{21, 334}}, // CR LF is one cluster
	}
	for _, c := range cases {
		if got := tok.Encode(c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, want %v", c.text, got, c.want)
		}
	}
}

// The charsmap of the fetched model: replacements of single code points and
// of whole clusters.
func TestPrecompiledCharsmap(t *testing.T) {
	p := albertCharsmap(t)
	cases := map[string]string{
		"ﬁ":             "fi",
		"Ａ":             "A",
		"①":             "1",
		"e\u0301":       "é",
		"ﬁ\u0301\u0301": "fi\u0301\u0301", // clusters of 6 bytes or more go code point by code point
		"ﬁ\u0301":       "fi",             // shorter ones take the shortest key's replacement
		"plain":         "plain",
		"\u3000a":       " a",
		"\U0001F600":    "\U0001F600",
	}
	for in, want := range cases {
		if got := string(p.normalize(nil, in)); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func albertCharsmap(t testing.TB) *precompiled {
	t.Helper()
	tok := fetched(t.(*testing.T), "albert")
	for _, st := range tok.norms {
		if st.kind == normPrecompiled {
			return st.pre
		}
	}
	t.Fatal("albert has no Precompiled normalizer")
	return nil
}

func TestPrecompiledBad(t *testing.T) {
	for _, b := range [][]byte{nil, {1, 0, 0}, {8, 0, 0, 0, 1, 0, 0, 0}, {0, 0, 0, 0}, {4, 0, 0, 0, 0, 0, 0, 0, 0xff}} {
		if _, err := parsePrecompiled(b); err == nil {
			t.Errorf("parsePrecompiled(%v): no error", b)
		}
	}
}

// FuzzPrecompiled: any charsmap either fails to parse or normalizes any text
// without panicking, to valid UTF-8 when text and replacements are.
func FuzzPrecompiled(f *testing.F) {
	if raw, err := os.ReadFile(filepath.Join("..", "models", "tokenizers", "albert.json")); err == nil {
		var v struct {
			Normalizer struct {
				Normalizers []struct {
					Charsmap string `json:"precompiled_charsmap"`
				} `json:"normalizers"`
			} `json:"normalizer"`
		}
		if json.Unmarshal(raw, &v) == nil && len(v.Normalizer.Normalizers) > 0 {
			if b, err := base64.StdEncoding.DecodeString(v.Normalizer.Normalizers[0].Charsmap); err == nil {
				f.Add(b, "ﬁ\u0301 Ａ①\r\n e\u0301")
			}
		}
	}
	f.Add([]byte{4, 0, 0, 0, 0, 0, 0, 0}, "abc")
	f.Add([]byte{8, 0, 0, 0, 0, 4, 0, 0, 0x61, 0x01, 0, 0, 'x', 0}, "a")
	f.Fuzz(func(t *testing.T, charsmap []byte, text string) {
		p, err := parsePrecompiled(charsmap)
		if err != nil {
			return
		}
		out := p.normalize(nil, text)
		if len(text) > 0 && strings.ToValidUTF8(text, "") == text && len(out) == 0 && !strings.Contains(p.blob, "\x00") {
			t.Errorf("%q normalized to nothing with no empty replacement", text)
		}
	})
}

// FuzzUnigramFile: a tokenizer.json with a Unigram model loads or fails
// cleanly, and a loaded one encodes any text to ids inside its vocabulary.
func FuzzUnigramFile(f *testing.F) {
	for _, n := range []string{"always", "first", "bytes"} {
		b, _ := os.ReadFile(filepath.Join("testdata", "unigram", n+".json"))
		f.Add(b, "ab ab ☃ <s>x")
	}
	f.Fuzz(func(t *testing.T, file []byte, text string) {
		tok, err := parseFile(file)
		if err != nil || tok.uni == nil {
			return
		}
		for _, id := range tok.Encode(text) {
			if id < 0 || id >= len(tok.uni.score) && id >= 1<<20 {
				t.Fatalf("id %d out of range", id)
			}
		}
	})
}

// The word cache gives back what was put, through growth and clearing.
func TestWordCache(t *testing.T) {
	var c wordCache
	for i := range 3 * cacheShards * cacheShardSize / 2 {
		k := strconv.Itoa(i)
		c.put(k, []int32{int32(i)})
		if ids, ok := c.get(k); !ok || len(ids) != 1 || ids[0] != int32(i) {
			t.Fatalf("%q: %v %v just after put", k, ids, ok)
		}
	}
	if _, ok := c.get("0"); ok {
		t.Error("the first piece is still there after three times the capacity")
	}
	c.put(strings.Repeat("z", cacheMaxPiece+1), nil)
	if _, ok := c.get(strings.Repeat("z", cacheMaxPiece+1)); ok {
		t.Error("a piece longer than cacheMaxPiece is remembered")
	}
	for i := range c.shards {
		if n := len(c.shards[i].slots); n > cacheShardSize {
			t.Fatalf("shard %d has %d slots", i, n)
		}
	}
}
