package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/saring/saring"
	"github.com/saring/saring/formats"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/tokenize"
)

// Tokenized output (output.format megatron or datatrove_tokens) writes the
// token ids of every kept document with an end-of-document token after it.
// The ids are computed by the workers, after the steps, and kept on the
// document (Document.Memo) until the writer puts them in the shard, so the
// one writer goroutine only copies bytes.

// EOSNone turns the end-of-document token off.
const EOSNone = "none"

// defaultEOS are the end-of-document tokens looked for, in order, when
// output.eos_token is not given: Llama 3's, GPT-2's (also Qwen's base
// models' and tiktoken's), SentencePiece's (Llama 2, Mistral) and Gemma's.
var defaultEOS = []string{"<|end_of_text|>", "<|endoftext|>", "</s>", "<eos>"}

// outputTokenizer is the tokenizer of tokenized output: output.tokenizer,
// else the tokenizer of the pipeline's first tokens step.
func outputTokenizer(out *OutputConfig, steps []StepConfig) string {
	if out.Tokenizer != "" {
		return out.Tokenizer
	}
	for _, s := range steps {
		if o, ok := s.Options.(*tokenize.TokensOptions); ok && o.Tokenizer != "" {
			return o.Tokenizer
		}
	}
	return ""
}

// outputProblem is a problem with one output option.
type outputProblem struct{ key, msg string }

// checkTokenOutput checks the options of tokenized and partitioned output
// without loading a tokenizer (a file that is not there is caught).
func checkTokenOutput(out *OutputConfig, steps []StepConfig) []outputProblem {
	var ps []outputProblem
	if out.PartitionBy != "" {
		if err := outdir.ValidPartitionKey(out.PartitionBy); err != nil {
			ps = append(ps, outputProblem{"partition_by", err.Error()})
		}
	}
	if out.ShardTokens < 0 {
		ps = append(ps, outputProblem{"shard_tokens", "must be >= 0"})
	}
	if !formats.IsTokenFormat(out.Format) {
		for _, o := range []struct {
			key string
			set bool
		}{{"tokenizer", out.Tokenizer != ""}, {"eos_token", out.EOS != ""}, {"shuffle", out.Shuffle}, {"shard_tokens", out.ShardTokens != 0}} {
			if o.set {
				ps = append(ps, outputProblem{o.key, fmt.Sprintf("applies to the tokenized formats (%s, %s) only", formats.Megatron, formats.DatatroveTokens)})
			}
		}
		return ps
	}
	spec := outputTokenizer(out, steps)
	if spec == "" {
		ps = append(ps, outputProblem{"tokenizer", fmt.Sprintf("required by format %s (or a tokens step): a tokenizer.json path or one of %s", out.Format, strings.Join(tokenize.Names, ", "))})
	} else if _, err := tokenize.Find(spec); err != nil {
		ps = append(ps, outputProblem{"tokenizer", err.Error()})
	}
	return ps
}

// tokenOutput encodes kept documents for a tokenized format.
type tokenOutput struct {
	tok   *tokenize.Tokenizer
	eos   int // -1: none
	width int
	opts  formats.TokenOptions
}

// memoKey names the encoded ids in Document.Memo.
type tokenMemoKey struct{ t *tokenOutput }

type encoded struct {
	ids []byte
	err error
}

func newTokenOutput(cfg *Config) (*tokenOutput, error) {
	out := &cfg.Output
	spec := outputTokenizer(out, cfg.Steps)
	path, err := tokenize.Find(spec)
	if err != nil {
		return nil, fmt.Errorf("output.tokenizer: %w", err)
	}
	tok, err := tokenize.Load(spec)
	if err != nil {
		return nil, fmt.Errorf("output.tokenizer: %w", err)
	}
	info, err := readTokenizerInfo(path)
	if err != nil {
		return nil, fmt.Errorf("output.tokenizer: %s: %w", path, err)
	}
	t := &tokenOutput{tok: tok, eos: -1, width: formats.TokenWidth(out.Format, info.vocab)}
	switch out.EOS {
	case EOSNone:
	case "":
		for _, name := range defaultEOS {
			if id, ok := info.special[name]; ok {
				t.eos = id
				break
			}
		}
	default:
		id, ok := info.special[out.EOS]
		if !ok {
			id, ok = info.vocab1[out.EOS]
		}
		if !ok {
			return nil, fmt.Errorf("output.eos_token: %q is not a token of %s", out.EOS, spec)
		}
		t.eos = id
	}
	if t.eos >= info.vocab {
		return nil, fmt.Errorf("output.eos_token: id %d is outside the vocabulary of %d", t.eos, info.vocab)
	}
	t.opts = formats.TokenOptions{
		Encode: t.encode, Width: t.width, MaxTokens: out.ShardTokens,
		Shuffle: out.Shuffle, Seed: out.Seed, Tokenizer: spec,
	}
	return t, nil
}

// prepare encodes doc ahead of the writer (in a worker).
func (t *tokenOutput) prepare(doc *saring.Document) { t.encode(doc) }

func (t *tokenOutput) encode(doc *saring.Document) ([]byte, error) {
	e := doc.Memo(tokenMemoKey{t}, func(text string) any {
		ids := t.tok.AppendEncode(nil, text)
		if t.eos >= 0 {
			ids = append(ids, t.eos)
		}
		b, err := formats.AppendTokenIDs(make([]byte, 0, len(ids)*t.width), t.width, ids)
		return encoded{b, err}
	}).(encoded)
	return e.ids, e.err
}

// tokenizerInfo is what tokenized output needs of a tokenizer file that
// the tokenize package does not say: the vocabulary size (which picks the
// id width) and the ids of special tokens (the end-of-document token).
type tokenizerInfo struct {
	vocab   int            // the largest id + 1
	special map[string]int // added tokens (tokenizer.json) or special_tokens (tiktoken)
	vocab1  map[string]int // the model's vocabulary (tokenizer.json), for an eos_token that is not an added token
}

func readTokenizerInfo(path string) (*tokenizerInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	info := &tokenizerInfo{special: map[string]int{}}
	head := data[:min(len(data), 4096)]
	if bytes.Contains(head, []byte(`"bpe_ranks"`)) || bytes.Contains(head, []byte(`"pat_str"`)) {
		var f struct {
			SpecialTokens map[string]int `json:"special_tokens"`
			BPERanks      string         `json:"bpe_ranks"`
		}
		if err := json.Unmarshal(data, &f); err != nil {
			return nil, err
		}
		// Lines of "NAME OFFSET TOKEN..." rank tokens from OFFSET.
		for _, line := range strings.Split(f.BPERanks, "\n") {
			fields := strings.Fields(line)
			if len(fields) < 2 {
				continue
			}
			off, err := strconv.Atoi(fields[1])
			if err != nil {
				return nil, fmt.Errorf("bpe_ranks: bad offset %q", fields[1])
			}
			info.vocab = max(info.vocab, off+len(fields)-2)
		}
		for name, id := range f.SpecialTokens {
			info.special[name] = id
			info.vocab = max(info.vocab, id+1)
		}
		return info, nil
	}
	var f struct {
		AddedTokens []struct {
			ID      int    `json:"id"`
			Content string `json:"content"`
		} `json:"added_tokens"`
		Model struct {
			Vocab json.RawMessage `json:"vocab"`
		} `json:"model"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	for _, a := range f.AddedTokens {
		info.special[a.Content] = a.ID
		info.vocab = max(info.vocab, a.ID+1)
	}
	switch v := bytes.TrimSpace(f.Model.Vocab); {
	case len(v) > 0 && v[0] == '{':
		if err := json.Unmarshal(v, &info.vocab1); err != nil {
			return nil, fmt.Errorf("model.vocab: %w", err)
		}
		for _, id := range info.vocab1 {
			info.vocab = max(info.vocab, id+1)
		}
	case len(v) > 0 && v[0] == '[':
		// Unigram: a list of [piece, score], ids in list order.
		var pieces [][]json.RawMessage
		if err := json.Unmarshal(v, &pieces); err != nil {
			return nil, fmt.Errorf("model.vocab: %w", err)
		}
		info.vocab1 = map[string]int{}
		for i, p := range pieces {
			var s string
			if len(p) > 0 && json.Unmarshal(p[0], &s) == nil {
				info.vocab1[s] = i
			}
		}
		info.vocab = max(info.vocab, len(pieces))
	default:
		return nil, errors.New("no model.vocab")
	}
	return info, nil
}

// keptPartition returns the partition function of kept/, nil when the
// output is not partitioned.
func keptPartition(out *OutputConfig) func(*saring.Document) string {
	key := out.PartitionBy
	if key == "" {
		return nil
	}
	return func(doc *saring.Document) string {
		v, ok := doc.Meta(key)
		return outdir.PartitionDir(key, v, ok)
	}
}

// removedFormat is the format of removed/: the output format, except that
// removed documents of a tokenized run are written as JSONL (zstd), for
// reading and the viewer, not as token ids.
func removedFormat(out *OutputConfig) string {
	if formats.IsTokenFormat(out.Format) {
		return "jsonl.zst"
	}
	return out.Format
}

// cleanUnitOutputs removes what an interrupted attempt at a unit left that
// cleanUnit does not know of: token shards, partition directories' shards,
// and removed/ files of a tokenized run. As cleanUnit, it tries the names
// shards are written under, from number 0 on; only the partition
// directories of kept/ are listed.
func cleanUnitOutputs(d outdir.Dir, cfg *Config, stage, unit int) error {
	out := &cfg.Output
	if !formats.IsTokenFormat(out.Format) && out.PartitionBy == "" {
		return nil
	}
	prefix := outdir.ShardPrefix(stage, unit)
	dirs := []string{d.Path(outdir.Kept)}
	if out.PartitionBy != "" {
		parts, err := d.PartitionDirs(outdir.Kept)
		if err != nil {
			return err
		}
		dirs = append(dirs, parts...)
	}
	exts := []string{"." + out.Format}
	if e, ok := formats.TokenFileExts[out.Format]; ok {
		exts = e
	}
	for _, dir := range dirs {
		removeShards(dir, prefix, exts)
	}
	if rf := removedFormat(out); rf != out.Format {
		removeShards(d.Path(outdir.Removed), prefix, []string{"." + rf})
	}
	return nil
}

func removeShards(dir, prefix string, exts []string) {
	for n := 0; ; n++ {
		found := false
		for _, ext := range exts {
			final := filepath.Join(dir, fmt.Sprintf("%s-%05d%s", prefix, n, ext))
			for _, p := range []string{final, outdir.TempName(final), formats.UnshuffledTempName(final)} {
				if err := os.Remove(p); err == nil || !errors.Is(err, fs.ErrNotExist) {
					found = true
				}
			}
		}
		if !found {
			return
		}
	}
}
