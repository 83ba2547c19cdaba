package tokenize

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// refSpec is a tokenizer of the parity test: its file under
// models/tokenizers and how ref.mjs runs the reference on it.
type refSpec struct {
	name string // models/tokenizers/NAME.json
	ref  string // ref.mjs spec after LABEL=
	// A variant of a fetched file: base's tokenizer.json with its JSON
	// changed by derive, for normalizers and pre-tokenizers that no fetched
	// file has.
	base   string
	derive func(map[string]any)
}

var refSpecs = []refSpec{
	{"llama3", "hf:", "", nil},
	{"qwen3", "hf:", "", nil},
	{"cl100k_base", "tiktoken:cl100k_base", "", nil},
	{"o200k_base", "tiktoken:o200k_base", "", nil},
	{"mistral", "hf:", "", nil},
	{"gemma3", "hf:", "", nil},
	{"albert", "hf:", "", nil},
	// ALBERT's pieces behind a chain of the other normalizers, WhitespaceSplit
	// and Metaspace.
	{"albert-lower", "hf:", "albert", func(f map[string]any) {
		norms := f["normalizer"].(map[string]any)["normalizers"].([]any)
		f["normalizer"] = map[string]any{"type": "Sequence", "normalizers": []any{
			map[string]any{"type": "Replace", "pattern": map[string]any{"String": "``"}, "content": `"`},
			map[string]any{"type": "Lowercase"},
			map[string]any{"type": "NFKC"},
			norms[0], // Precompiled
			map[string]any{"type": "Strip", "strip_left": true, "strip_right": true},
			map[string]any{"type": "Replace", "pattern": map[string]any{"Regex": " {2,}"}, "content": " "},
		}}
		f["pre_tokenizer"] = map[string]any{"type": "Sequence", "pretokenizers": []any{
			map[string]any{"type": "WhitespaceSplit"},
			map[string]any{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
		}}
	}},
	// Added tokens that take the white space around them: ALBERT's
	// user-defined pieces, which the texts are full of.
	// (The charsmap alone: Strip would hide what the tokens take.)
	{"albert-strip", "hf:", "albert", func(f map[string]any) {
		f["normalizer"] = f["normalizer"].(map[string]any)["normalizers"].([]any)[0]
		for _, a := range f["added_tokens"].([]any) {
			tk := a.(map[string]any)
			switch tk["content"] {
			case ".", "–":
				tk["lstrip"] = true
			case "(", "€":
				tk["rstrip"] = true
			case "-", `"`, ")":
				tk["lstrip"], tk["rstrip"] = true, true
			}
		}
	}},
	// Metaspace prepending to the first segment only, not splitting.
	{"albert-first", "hf:", "albert", func(f map[string]any) {
		norms := f["normalizer"].(map[string]any)["normalizers"].([]any)
		f["normalizer"] = norms[0]
		f["pre_tokenizer"] = map[string]any{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false}
	}},
}

// need fails the test under CI=true and skips it otherwise: CI must run
// the parity tests, a bare clone need not.
func need(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

type parityData struct {
	texts []string
	dirs  map[string]string // per tokenizer, ref.mjs's outputs: NAME.ids, NAME.time.json
	files map[string]string
}

var (
	parityOnce sync.Once
	parity     parityData
	parityErr  error
	paritySkip string
)

// loadParity builds the texts and runs the references once per input and
// tokenizer (cached in a temporary directory keyed by the hash of the
// texts, the reference script and the tokenizer's file).
func loadParity(t *testing.T) *parityData {
	t.Helper()
	if testing.Short() {
		t.Skip("parity against the reference tokenizers: skipped with -short")
	}
	parityOnce.Do(func() { paritySkip, parityErr = buildParity() })
	if paritySkip != "" {
		need(t, "%s", paritySkip)
	}
	if parityErr != nil {
		t.Fatal(parityErr)
	}
	return &parity
}

func buildParity() (string, error) {
	shared, ok := testenv.LookupSharedDir()
	if !ok {
		return "the shared data directory (../shared beside the repository) is missing: it holds the lingua sentences of the parity set", nil
	}
	texts, err := parityTexts(filepath.Join(shared, "data", "lingua-sentences"))
	if err != nil {
		return "", err
	}
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	dir := os.Getenv(DirEnv)
	if dir == "" {
		dir = filepath.Join(root, "models", "tokenizers")
	}
	script, err := os.ReadFile("testdata/ref/ref.mjs")
	if err != nil {
		return "", err
	}
	var in bytes.Buffer
	for _, s := range texts {
		b, _ := json.Marshal(s)
		in.Write(b)
		in.WriteByte('\n')
	}
	base := sha256.New()
	base.Write(script)
	base.Write(in.Bytes())
	parity = parityData{texts: texts, dirs: map[string]string{}, files: map[string]string{}}
	var todo []refSpec
	for _, s := range refSpecs {
		p := filepath.Join(dir, s.name+".json")
		if s.base != "" {
			p = filepath.Join(dir, s.base+".json")
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Sprintf("tokenizer %s missing (%v): run scripts/get-tokenizers.sh", s.name, err), nil
		}
		if s.derive != nil {
			var f map[string]any
			if err := json.Unmarshal(b, &f); err != nil {
				return "", fmt.Errorf("%s: %w", p, err)
			}
			s.derive(f)
			if b, err = json.Marshal(f); err != nil {
				return "", err
			}
			p = filepath.Join(os.TempDir(), "saring-tokenize-ref", s.name+".json")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return "", err
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				return "", err
			}
		}
		h := sha256.Sum256(append(base.Sum(nil), b...))
		out := filepath.Join(os.TempDir(), "saring-tokenize-ref", s.name+"-"+hex.EncodeToString(h[:12]))
		parity.files[s.name] = p
		parity.dirs[s.name] = out
		if _, err := os.Stat(filepath.Join(out, "done")); err != nil {
			todo = append(todo, s)
		}
	}
	if len(todo) == 0 {
		return "", nil
	}
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		return "node and npm are needed to run the reference tokenizers (scripts/setup.sh test installs them)", nil
	}
	refDir, _ := filepath.Abs("testdata/ref")
	if _, err := os.Stat(filepath.Join(refDir, "node_modules", "@anush008", "tokenizers")); err != nil {
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund")
		cmd.Dir = refDir
		if b, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("npm ci in %s: %v\n%s", refDir, err, b)
		}
	}
	tmp, err := os.MkdirTemp("", "saring-tokenize-ref-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	input := filepath.Join(tmp, "texts.jsonl")
	if err := os.WriteFile(input, in.Bytes(), 0o644); err != nil {
		return "", err
	}
	args := []string{"ref.mjs", input, tmp}
	for _, s := range todo {
		spec := s.ref
		if spec == "hf:" {
			spec += parity.files[s.name]
		}
		args = append(args, s.name+"="+spec)
	}
	cmd := exec.Command(node, args...)
	cmd.Dir = refDir
	cmd.Env = append(os.Environ(), "RAYON_NUM_THREADS=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("node ref.mjs: %v\n%s", err, b)
	}
	for _, s := range todo {
		out := parity.dirs[s.name]
		os.RemoveAll(out)
		if err := os.MkdirAll(out, 0o755); err != nil {
			return "", err
		}
		for _, f := range []string{s.name + ".ids", s.name + ".time.json"} {
			if err := os.Rename(filepath.Join(tmp, f), filepath.Join(out, f)); err != nil {
				return "", err
			}
		}
		if err := os.WriteFile(filepath.Join(out, "done"), nil, 0o644); err != nil {
			return "", err
		}
	}
	return "", nil
}

func readIDs(t *testing.T, path string) [][]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var all [][]int
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		ids := make([]int, len(fs))
		for i, s := range fs {
			ids[i], err = strconv.Atoi(s)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		all = append(all, ids)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return all
}

// TestParity checks every text's ids against the reference tokenizers:
// Hugging Face tokenizers' native library for tokenizer.json files, tiktoken
// for the tiktoken encodings.
func TestParity(t *testing.T) {
	p := loadParity(t)
	if len(p.texts) < 100000 {
		t.Errorf("the parity set has %d texts, want at least 100,000", len(p.texts))
	}
	for _, s := range refSpecs {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			want := readIDs(t, filepath.Join(p.dirs[s.name], s.name+".ids"))
			if len(want) != len(p.texts) {
				t.Fatalf("reference gave %d lines for %d texts", len(want), len(p.texts))
			}
			tok, err := LoadFile(p.files[s.name])
			if err != nil {
				t.Fatal(err)
			}
			bad := 0
			var buf []int
			for i, text := range p.texts {
				buf = tok.AppendEncode(buf[:0], text)
				if !equalIDs(buf, want[i]) {
					bad++
					if bad <= 10 {
						t.Errorf("text %d %q:\n got %v\nwant %v", i, clip(text), clip2(buf), clip2(want[i]))
					}
				} else if i%16 == 0 && tok.Count(text) != len(want[i]) {
					n := tok.Count(text)
					t.Errorf("text %d: Count %d, want %d", i, n, len(want[i]))
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d texts differ", bad, len(p.texts))
			}
		})
	}
}

func equalIDs(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func clip2(ids []int) []int {
	if len(ids) > 60 {
		return ids[:60]
	}
	return ids
}
