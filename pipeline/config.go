// Package pipeline turns a pipeline file into steps and runs them over
// inputs: in parallel, in a deterministic order, with every document
// accounted for.
package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/saring/saring"
	"github.com/saring/saring/formats"
	"github.com/saring/saring/storage"
)

// Config is a pipeline file, resolved: defaults filled in, steps built from
// their options.
type Config struct {
	Input   InputConfig  `yaml:"input" json:"input"`
	Output  OutputConfig `yaml:"output" json:"output"`
	Workers int          `yaml:"workers" json:"workers" doc:"parallel workers; 0 means one per core"`
	Memory  ByteSize     `yaml:"memory" json:"memory" doc:"memory budget for corpus-wide steps (dedup), e.g. 4GiB"`
	Steps   []StepConfig `yaml:"-" json:"steps"`

	// PathsRelativeTo is left out of the JSON form (stats.json, the
	// plan's fingerprint): once loaded, every path is relative to the
	// working directory whichever way the file said it.
	PathsRelativeTo string `yaml:"paths_relative_to" json:"-" doc:"what the relative paths of this file (input.paths, output.dir, output.tokenizer, and the step options that name files: models, word lists, benchmark files, tokenizers) are relative to: file (the directory of this file) or working_directory (where saring runs; the file a run writes for its tasks says so, since they run where the run was planned)"`
}

// The values of paths_relative_to.
const (
	RelativeToFile             = "file"
	RelativeToWorkingDirectory = "working_directory"
)

// InputConfig says what to read.
type InputConfig struct {
	Paths    []string `yaml:"paths" json:"paths" doc:"files, directories (recursive), globs, or - for standard input"`
	Format   string   `yaml:"format" json:"format" doc:"auto (by file name), jsonl, text, parquet, warc or wet"`
	TextKey  string   `yaml:"text_key" json:"text_key" doc:"JSONL key or Parquet column holding the text"`
	IDKey    string   `yaml:"id_key" json:"id_key" doc:"JSONL key or Parquet column holding the id"`
	TextMode string   `yaml:"text_mode" json:"text_mode" doc:"plain text: file (one document per file) or line (one per line)"`
	MaxDoc   ByteSize `yaml:"max_document_bytes" json:"max_document_bytes" doc:"largest record read (a JSONL line, a text document, a WARC payload, a Parquet row); a larger one is one rejected entry with its place and is never held in memory"`
	Metadata []string `yaml:"metadata" json:"metadata,omitempty" doc:"metadata keys the input records already carry (e.g. language, when the input is an earlier run's output), so that steps reading them need no step before them to write them"`
}

// ReadOptions are the options every reader of the run's inputs uses (the
// run itself, explain); fileIndex is the input's place in the input list.
func (in InputConfig) ReadOptions(fileIndex int) formats.ReadOptions {
	return formats.ReadOptions{
		Format: in.Format, TextKey: in.TextKey, IDKey: in.IDKey, TextMode: in.TextMode, FileIndex: fileIndex,
		MaxDocBytes: int64(in.MaxDoc),
	}
}

// OutputConfig says where and how to write.
type OutputConfig struct {
	Dir        string   `yaml:"dir" json:"dir" doc:"output directory (kept/, removed/, rejected/, stats.json)"`
	Format     string   `yaml:"format" json:"format" doc:"jsonl, jsonl.gz, jsonl.zst, parquet, or token ids of kept documents: megatron (Megatron-LM .bin + .idx) or datatrove_tokens (datatrove .ds + .ds.index + .ds.metadata); a tokenized run writes removed/ as jsonl.zst"`
	ShardDocs  int64    `yaml:"shard_docs" json:"shard_docs" doc:"start a new output file after this many documents (0: no limit)"`
	ShardBytes ByteSize `yaml:"shard_bytes" json:"shard_bytes" doc:"start a new output file after this many uncompressed bytes (0: no limit)"`
	Removed    bool     `yaml:"write_removed" json:"write_removed" doc:"write removed documents to removed/"`
	Level      string   `yaml:"compression" json:"compression" doc:"compression effort for .gz and .zst: fastest, default, better or best"`

	PartitionBy string `yaml:"partition_by" json:"partition_by,omitempty" doc:"metadata key whose value divides kept/ into kept/KEY=VALUE/ directories (e.g. language, a quality bucket), for every format; a document without the key goes to KEY=__none__"`
	Tokenizer   string `yaml:"tokenizer" json:"tokenizer,omitempty" doc:"tokenized formats: a tokenizer.json path or a name scripts/get-tokenizers.sh fetched (llama3, qwen3, cl100k_base, o200k_base, mistral, gemma3); default: the tokenizer of the first tokens step. Ids are uint16 when the vocabulary allows (Megatron: under 65,500 ids; datatrove: up to 65,536), else 32-bit"`
	EOS         string `yaml:"eos_token" json:"eos_token,omitempty" doc:"tokenized formats: the token put after every document, as text (e.g. <|endoftext|>); default: the tokenizer's end-of-text token (<|end_of_text|>, <|endoftext|>, </s> or <eos>, the first it has); none for no token"`
	Shuffle     bool   `yaml:"shuffle" json:"shuffle,omitempty" doc:"tokenized formats: write each shard's documents in an order drawn from seed and the shard's name (the same for any task count)"`
	Seed        uint64 `yaml:"seed" json:"seed,omitempty" doc:"tokenized formats: the seed of shuffle"`
	ShardTokens int64  `yaml:"shard_tokens" json:"shard_tokens,omitempty" doc:"tokenized formats: start a new shard once one holds this many tokens (0: no limit; a document is never split); shard_docs and shard_bytes (bytes of ids) apply too"`
}

// StepConfig is one step of the pipeline with its resolved options.
type StepConfig struct {
	Name    string `json:"name"`
	Options any    `json:"options,omitempty"`
	line    int
	col     int
}

// Defaults returns the configuration a pipeline file is decoded over.
func Defaults() Config {
	return Config{
		Input:           InputConfig{Format: "auto", TextKey: "text", IDKey: "id", TextMode: "file", MaxDoc: formats.DefaultMaxDocBytes},
		Output:          OutputConfig{Format: "jsonl.zst", ShardDocs: 100_000, ShardBytes: 1 << 30, Removed: true, Level: "default"},
		Memory:          4 << 30,
		PathsRelativeTo: RelativeToFile,
	}
}

// ByteSize is a size in bytes that YAML may give as 1048576, "512MiB" or "4GB".
type ByteSize int64

// String writes the size in the largest binary unit that divides it
// ("4GiB"), which ParseByteSize reads back.
func (b ByteSize) String() string {
	n := int64(b)
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return err
	}
	*b = ByteSize(v)
	return nil
}

// ParseByteSize reads "123", "64KiB", "512MB", "4GiB", "1.5G".
func ParseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   float64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
	}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(strings.ToUpper(t), strings.ToUpper(u.suffix)) && len(t) > len(u.suffix) {
			mult = u.mult
			t = strings.TrimSpace(t[:len(t)-len(u.suffix)])
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("%q is not a size (write it like 1048576, 512MiB or 4GB)", s)
	}
	return int64(f * mult), nil
}

// Error is a problem in a pipeline file, with its position.
type Error struct {
	File string
	Line int
	Col  int
	Path string // e.g. steps[3].gopher_quality.min_doc_words
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
		}
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors are all the problems found in one file.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// LoadFile reads a pipeline file; its relative paths are relative to its
// directory (see Parse).
func LoadFile(path string, reg *saring.Registry) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, b, reg)
}

// Parse decodes a pipeline file strictly (unknown keys fail), fills in
// defaults and validates every value. All problems found are returned
// together, each with its file, line and column.
//
// Relative paths in the file are made relative to the working directory
// by joining them to file's directory (see SetDirectory), before
// validation, so that a pipeline finds its models and word lists from
// wherever it is run; paths_relative_to: working_directory leaves them.
func Parse(file string, src []byte, reg *saring.Registry) (*Config, error) {
	cfg := Defaults()
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, Errors{yamlSyntaxError(file, err)}
	}
	d := &decoder{file: file}
	if len(root.Content) == 0 {
		return nil, Errors{{File: file, Msg: "empty pipeline file"}}
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		d.fail(top, "", "a pipeline file is a mapping with input, output, workers, memory and steps")
		return nil, d.errs
	}
	var stepsNode *yaml.Node
	rest := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "steps" {
			stepsNode = top.Content[i+1]
			continue
		}
		rest.Content = append(rest.Content, top.Content[i], top.Content[i+1])
	}
	d.decodeStruct(rest, &cfg, "")
	if stepsNode != nil {
		cfg.Steps = d.decodeSteps(stepsNode, reg)
	} else {
		d.fail(top, "steps", "missing: list the steps to run (see `saring steps`)")
	}
	if cfg.PathsRelativeTo == RelativeToFile {
		cfg.SetDirectory(filepath.Dir(file))
	}
	d.validateTop(&cfg, top)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return &cfg, nil
}

func yamlSyntaxError(file string, err error) *Error {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) {
		msg = strings.Join(te.Errors, "; ")
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	e := &Error{File: file, Msg: msg}
	// yaml.v3 reports "line N: ..." for syntax errors.
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, after, ok := strings.Cut(rest, ":"); ok {
			if line, err := strconv.Atoi(n); err == nil {
				e.Line, e.Col, e.Msg = line, 1, strings.TrimSpace(after)
			}
		}
	}
	return e
}

// validateTop reports Validate's problems at their place in the file: the
// value of the key named, else the key's parent (the format that needs a
// missing tokenizer, the mapping a default came from), or the step.
func (d *decoder) validateTop(cfg *Config, top *yaml.Node) {
	for _, p := range cfg.problems() {
		if p.step >= 0 {
			s := cfg.Steps[p.step]
			d.errs = append(d.errs, &Error{File: d.file, Line: s.line, Col: s.col, Msg: p.msg})
			continue
		}
		n := top
		for _, k := range strings.Split(p.path, ".") {
			next := d.valueNode(n, k)
			if next == n && p.near != "" {
				next = d.valueNode(n, p.near)
			}
			n = next
		}
		d.fail(n, p.path, p.msg)
	}
}

// problem is one invalid value of a configuration: at path (output.format),
// or of step number step (>= 0). near is the key beside the path's last
// one to point at when that is missing.
type problem struct {
	path string
	near string
	step int
	msg  string
}

// Validate checks the run-level values of a configuration, whether they
// came from a pipeline file (Parse calls it) or from flags over one.
// The errors name the key (output.format) but no file or line.
func (c *Config) Validate() error {
	var errs Errors
	for _, p := range c.problems() {
		errs = append(errs, &Error{Path: p.path, Msg: p.msg})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func (c *Config) problems() []problem {
	var ps []problem
	bad := func(path, msg string) { ps = append(ps, problem{path: path, step: -1, msg: msg}) }
	if c.Workers < 0 {
		bad("workers", "must be >= 0 (0 means one per core)")
	}
	if c.PathsRelativeTo != RelativeToFile && c.PathsRelativeTo != RelativeToWorkingDirectory {
		bad("paths_relative_to", fmt.Sprintf("%q is not one of %s, %s", c.PathsRelativeTo, RelativeToFile, RelativeToWorkingDirectory))
	}
	if !oneOf(c.Input.Format, formats.InputFormats) {
		bad("input.format", fmt.Sprintf("%q is not one of %s", c.Input.Format, strings.Join(formats.InputFormats, ", ")))
	}
	if c.Input.TextMode != "file" && c.Input.TextMode != "line" {
		bad("input.text_mode", "must be file or line")
	}
	if !formats.ValidOutputFormat(c.Output.Format) {
		bad("output.format", fmt.Sprintf("%q is not one of %s", c.Output.Format, strings.Join(formats.OutputFormats, ", ")))
	}
	if !oneOf(c.Output.Level, formats.CompressionLevels) {
		bad("output.compression", fmt.Sprintf("%q is not one of %s", c.Output.Level, strings.Join(formats.CompressionLevels, ", ")))
	}
	if c.Output.ShardDocs < 0 {
		bad("output.shard_docs", "must be >= 0")
	}
	for _, p := range checkTokenOutput(&c.Output, c.Steps) {
		ps = append(ps, problem{path: "output." + p.key, near: "format", step: -1, msg: p.msg})
	}
	for _, p := range metadataProblems(c) {
		ps = append(ps, problem{step: p.step, msg: p.String()})
	}
	return ps
}

// SetDirectory joins dir to the configuration's relative paths, as
// prometheus' config.SetDirectory does: the input paths (and the file of an
// @FILE list), the output directory, the output tokenizer when it is a file,
// and every step option tagged path:"file" or path:"file_or_name"
// (in nested structs and lists of them too). Absolute paths, URLs, s3://
// names and - stay as they are. A step whose options name a file tags the
// field; no step resolves paths itself.
//
// A value tagged file_or_name is a name (tokenizers: llama3) unless it has
// a path separator, ends in .json, or names a file in dir.
func (c *Config) SetDirectory(dir string) {
	if dir == "" || dir == "." {
		return // joining would only clean the paths
	}
	for i, p := range c.Input.Paths {
		if list, ok := strings.CutPrefix(p, "@"); ok && list != "" {
			c.Input.Paths[i] = "@" + joinDir(dir, list)
		} else {
			c.Input.Paths[i] = joinDir(dir, p)
		}
	}
	c.Output.Dir = joinDir(dir, c.Output.Dir)
	c.Output.Tokenizer = joinFileOrName(dir, c.Output.Tokenizer)
	for _, s := range c.Steps {
		if s.Options != nil {
			setDirectory(dir, reflect.ValueOf(s.Options), "")
		}
	}
}

// PathTag is the struct tag that marks an option naming a local file or
// directory: path:"file", or path:"file_or_name" for a file or a name
// looked up elsewhere.
const PathTag = "path"

// setDirectory walks an options value; tag is the path tag of the field v
// is (or is an element of).
func setDirectory(dir string, v reflect.Value, tag string) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		if !v.CanSet() {
			return
		}
		switch tag {
		case "file":
			v.SetString(joinDir(dir, v.String()))
		case "file_or_name":
			v.SetString(joinFileOrName(dir, v.String()))
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() {
				setDirectory(dir, v.Field(i), f.Tag.Get(PathTag))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			setDirectory(dir, v.Index(i), tag)
		}
	}
}

func joinDir(dir, p string) string {
	if p == "" || p == "-" || filepath.IsAbs(p) || storage.IsRemote(p) || strings.Contains(p, "://") {
		return p
	}
	return filepath.Join(dir, p)
}

func joinFileOrName(dir, p string) string {
	if p == "" || strings.ContainsAny(p, `/\`) || strings.HasSuffix(p, ".json") {
		return joinDir(dir, p)
	}
	if st, err := os.Stat(filepath.Join(dir, p)); err == nil && !st.IsDir() {
		return filepath.Join(dir, p)
	}
	return p
}

func oneOf(s string, set []string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

// ResolvedWorkers is the worker count to use.
func (c *Config) ResolvedWorkers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// StepsFromNames builds step configs with default options for names, as the
// quick form `saring run --steps a,b,c` does.
func StepsFromNames(names []string, reg *saring.Registry) ([]StepConfig, error) {
	var out []StepConfig
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		spec, ok := reg.Lookup(n)
		if !ok {
			return nil, fmt.Errorf("unknown step %q%s (list them with `saring steps`)", n, suggest(n, reg.Names()))
		}
		var opts any
		if spec.Options != nil {
			opts = spec.Options()
		}
		out = append(out, StepConfig{Name: n, Options: opts})
	}
	return out, nil
}

// suggest returns ", did you mean X?" for a close registered name.
func suggest(name string, names []string) string {
	best, bestD := "", 4
	for _, n := range names {
		if d := editDistance(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
