package tokenize

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/testenv"
)

// fetched returns a tokenizer fetched by scripts/get-tokenizers.sh, failing
// under CI=true and skipping otherwise when it is missing.
func fetched(t *testing.T, name string) *Tokenizer {
	t.Helper()
	dir := os.Getenv(DirEnv)
	if dir == "" {
		dir = filepath.Join(testenv.RepoRoot(t), "models", "tokenizers")
	}
	p := filepath.Join(dir, name+".json")
	if _, err := os.Stat(p); err != nil {
		need(t, "tokenizer %s not found at %s: run scripts/get-tokenizers.sh", name, p)
	}
	tok, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Ids checked by hand against the references (see testdata/ref/ref.mjs).
func TestKnownIDs(t *testing.T) {
	cases := []struct {
		tok, text string
		want      []int
	}{
		{"llama3", "Hello world", []int{9906, 1917}},
		{"llama3", "a <|begin_of_text|> b", []int{64, 220, 128000, 293}}, // added tokens are split out
		{"llama3", "  \n\n  x   y  ", []int{19124, 220, 865, 256, 379, 256}},
		{"qwen3", "<think>x</think> <|im_start|>", []int{151667, 87, 151668, 220, 151644}},
		{"qwen3", "e\u0301 12345", []int{963, 220, 16, 17, 18, 19, 20}}, // NFC, single digits
		{"cl100k_base", "Hello world", []int{9906, 1917}},
		{"cl100k_base", "<|endoftext|>", []int{27, 91, 8862, 728, 428, 91, 29}}, // encode_ordinary
		{"mistral", "Hello world", []int{22557, 1526}},
		{"mistral", "  leading spaces and <s> inside </s> x", []int{259, 5374, 10599, 304, 28705, 1, 28705, 3416, 28705, 2, 28705, 1318}}, // "▁" before every segment
		{"mistral", "\n\ttab", []int{28705, 13, 12, 4252}},                                                                                // byte fallback
		{"gemma3", "Hello world", []int{9259, 1902}},
		{"gemma3", "\n\ttab", []int{107, 255968, 4823}},
	}
	for _, c := range cases {
		tok := fetched(t, c.tok)
		if got := tok.Encode(c.text); !slices.Equal(got, c.want) {
			t.Errorf("%s %q: %v, want %v", c.tok, c.text, got, c.want)
		}
		if n := tok.Count(c.text); n != len(c.want) {
			t.Errorf("%s %q: Count %d, want %d", c.tok, c.text, n, len(c.want))
		}
	}
}

// rankMerger is tiktoken's own rule: the rank of the joined bytes.
type rankMerger struct{ t *Tokenizer }

func (m rankMerger) rank(piece string, l, r *part) (int32, int32, bool) {
	rk, ok := m.t.vocab[piece[l.start:r.end]]
	return rk, rk, ok
}

// The heap merge gives the scan's result on long pieces, and for tiktoken
// the pair table gives the merges of ranking the joined bytes.
func TestMergeHeapEqualsScan(t *testing.T) {
	for _, name := range []string{"qwen3", "o200k_base", "cl100k_base"} {
		tok := fetched(t, name)
		r := rand.New(rand.NewPCG(1, 2))
		alphabet := []string{"a", "b", "ab", "the", " ", "=", "9", "é", "数", "ing", "er", "\xff", "\x80", "ение", "🙂"}
		var m merger = pairMerger{tok}
		for range 600 {
			var sb strings.Builder
			for range 1 + r.IntN(120) {
				sb.WriteString(alphabet[r.IntN(len(alphabet))])
			}
			b := sb.String()
			mk := func() []part {
				ps := make([]part, len(b))
				for i := 0; i < len(b); i++ {
					ps[i] = part{start: int32(i), end: int32(i + 1), id: tok.byteID[b[i]]}
				}
				return ps
			}
			ids := func(ps []part) (out []int32) {
				for i := 0; i >= 0 && i < len(ps); i = int(ps[i].next) {
					out = append(out, ps[i].id)
				}
				return out
			}
			a, h := mk(), mk()
			mergeScan(b, a, m)
			mergeHeap(b, h, m)
			if !slices.Equal(ids(a), ids(h)) {
				t.Fatalf("%s %q: scan %v, heap %v", name, b, ids(a), ids(h))
			}
			if strings.HasSuffix(name, "_base") {
				k := mk()
				mergeScan(b, k, rankMerger{tok})
				if !slices.Equal(ids(a), ids(k)) {
					t.Fatalf("%s %q: pair table %v, ranks of joined bytes %v", name, b, ids(a), ids(k))
				}
			}
		}
	}
}

func TestTokensStep(t *testing.T) {
	tok := fetched(t, "cl100k_base")
	s, err := NewTokensWith(TokensOptions{Key: "token_count"}, tok)
	if err != nil {
		t.Fatal(err)
	}
	doc := &saring.Document{Text: "Hello world"}
	res, err := s.Process(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome == saring.Drop {
		t.Fatalf("dropped: %+v", res)
	}
	if v, _ := doc.Meta("token_count"); v != 2 {
		t.Errorf("token_count %v, want 2", v)
	}
	if len(doc.Measures) != 1 || doc.Measures[0] != (saring.Measure{Step: "tokens", Name: "token_count", Value: 2}) {
		t.Errorf("measures %+v", doc.Measures)
	}
	if _, err := NewTokens(TokensOptions{Key: "token_count"}); err == nil {
		t.Error("no tokenizer: want an error")
	}
	if _, err := NewTokens(TokensOptions{Tokenizer: "no-such-tokenizer", Key: "token_count"}); err == nil || !strings.Contains(err.Error(), "get-tokenizers.sh") {
		t.Errorf("missing tokenizer: %v", err)
	}
}

func TestUnsupportedFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"unigram.json":   `{"normalizer":null,"pre_tokenizer":{"type":"Metaspace"},"model":{"type":"Unigram","vocab":[]}}`,
		"pattern.json":   `{"pat_str":"\\w+","special_tokens":{},"bpe_ranks":"! 0 YQ=="}`,
		"truncated.json": `{"model":`,
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		if _, err := LoadFile(p); err == nil {
			t.Errorf("%s: loaded, want an error", name)
		}
	}
}

// Cutting a SentencePiece-style text before "▁" (encodeSP) gives the ids of
// merging it whole, next to the one token of Gemma 3 that spans ">▁".
func TestSPCutEqualsWhole(t *testing.T) {
	for _, name := range []string{"gemma3", "mistral"} {
		p := filepath.Join(testenv.RepoRoot(t), "models", "tokenizers", name+".json")
		if _, err := os.Stat(p); err != nil {
			need(t, "tokenizer %s not found: run scripts/get-tokenizers.sh", name)
		}
		cut, err := LoadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		whole, _ := LoadFile(p)
		whole.spRep = 0
		if name == "gemma3" && !cut.spNoSplit['>'] {
			t.Errorf("gemma3: '>' may end a piece, but >▁</ is a token")
		}
		r := rand.New(rand.NewPCG(3, 4))
		alphabet := []string{"a", "b", "the", " ", "  ", ">", "</", "x>", "\n", "é", "数", "\U0001F600", "\u0378", "ing", ".", "'", "\t"}
		n := 3000
		if testing.Short() {
			n = 300
		}
		for range n {
			var sb strings.Builder
			for range 1 + r.IntN(40) {
				sb.WriteString(alphabet[r.IntN(len(alphabet))])
			}
			s := sb.String()
			if a, b := cut.Encode(s), whole.Encode(s); !slices.Equal(a, b) {
				t.Fatalf("%s %q: cut %v, whole %v", name, s, a, b)
			}
		}
	}
}
