package decontam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/saring/saring/formats"
)

// Benchmark names benchmark files and the fields of their records to index.
type Benchmark struct {
	Name   string   `yaml:"name" json:"name" doc:"name recorded on matching documents and in stats.json (default: the file name without extensions)"`
	Path   string   `yaml:"path" json:"path" path:"file" doc:"a local file or a glob of files (relative to the pipeline file's directory): JSONL (plain, .gz, .zst), Parquet, or text (one passage per line)"`
	Format string   `yaml:"format" json:"format" doc:"auto (by file name), jsonl, parquet or text"`
	Fields []string `yaml:"fields" json:"fields" doc:"JSONL keys or Parquet columns read from each record, in order, as one passage (strings, numbers, lists of strings); default [text]"`
}

var benchmarkKeys = []string{"name", "path", "format", "fields"}

// UnmarshalYAML decodes strictly: a misspelt key must not silently leave
// a benchmark unread.
func (b *Benchmark) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		b.Path = n.Value
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a benchmark is a path or a mapping of %s", n.Line, strings.Join(benchmarkKeys, ", "))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		known := false
		for _, name := range benchmarkKeys {
			known = known || k == name
		}
		if !known {
			return fmt.Errorf("line %d: benchmark: unknown key %q (known keys: %s)", n.Content[i].Line, k, strings.Join(benchmarkKeys, ", "))
		}
	}
	type plain Benchmark
	return n.Decode((*plain)(b))
}

// resolved fills defaults and expands the glob into sorted file names.
func (b Benchmark) files() ([]string, error) {
	if b.Path == "" {
		return nil, errors.New("path is required")
	}
	if !strings.ContainsAny(b.Path, "*?[") {
		return []string{b.Path}, nil
	}
	m, err := filepath.Glob(b.Path)
	if err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%s: no file matches", b.Path)
	}
	sort.Strings(m)
	return m, nil
}

// DefaultName is a benchmark's name when none is given: the base name of
// its path without extensions ("mmlu" for data/mmlu.test.jsonl.gz).
func (b Benchmark) DefaultName() string {
	if b.Name != "" {
		return b.Name
	}
	base := filepath.Base(b.Path)
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}

func (b Benchmark) fields() []string {
	if len(b.Fields) == 0 {
		return []string{"text"}
	}
	return b.Fields
}

// readBenchmark calls fn with the field texts of every record of one file.
// A record that cannot be read is an error naming its place: a benchmark
// read in part would leave contamination undetected without a word.
func readBenchmark(path, format string, fields []string, fn func(texts []string) error) error {
	if format == "" || format == "auto" {
		format = formats.FormatOf(path)
	}
	switch format {
	case "jsonl":
		return readJSONLBenchmark(path, fields, fn)
	case "text":
		return readTextBenchmark(path, fn)
	case "parquet":
		return readParquetBenchmark(path, fields, fn)
	case "":
		return fmt.Errorf("%s: cannot tell the format from the name; set format: jsonl, parquet or text", path)
	}
	return fmt.Errorf("%s: format %q is not a benchmark format (jsonl, parquet or text)", path, format)
}

func readTextBenchmark(path string, fn func([]string) error) error {
	f, err := formats.OpenDecompressed(path)
	if err != nil {
		return err
	}
	defer f.Close()
	lr := formats.NewLineReader(f)
	for {
		line, _, err := lr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", path, lr.Line()+1, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if err := fn([]string{string(line)}); err != nil {
			return err
		}
	}
}

func readJSONLBenchmark(path string, fields []string, fn func([]string) error) error {
	f, err := formats.OpenDecompressed(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return scanJSONL(path, f, fields, fn)
}

// scanJSONL reads records from r, one JSON object a line.
func scanJSONL(path string, r io.Reader, fields []string, fn func([]string) error) error {
	lr := formats.NewLineReader(r)
	found := 0
	var texts []string
	for {
		line, _, err := lr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", path, lr.Line()+1, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		texts, err = recordTexts(texts[:0], line, fields)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", path, lr.Line(), err)
		}
		if len(texts) > 0 {
			found++
		}
		if err := fn(texts); err != nil {
			return err
		}
	}
	if found == 0 && lr.Line() > 0 {
		return fmt.Errorf("%s: no record has any of the fields %s", path, strings.Join(fields, ", "))
	}
	return nil
}

// recordTexts appends the texts of fields in one JSON object line.
func recordTexts(dst []string, line []byte, fields []string) ([]string, error) {
	any := false
	for _, k := range fields {
		v, ok := formats.TopLevelValue(line, k)
		if !ok {
			continue
		}
		any = true
		var err error
		if dst, err = appendValueTexts(dst, v); err != nil {
			return nil, fmt.Errorf("field %q: %w", k, err)
		}
	}
	if !any && !json.Valid(line) {
		return nil, errors.New("not a JSON object")
	}
	return dst, nil
}

// appendValueTexts appends the texts of one JSON value: a string, a
// number, or a list of them (the choices of a multiple-choice question).
func appendValueTexts(dst []string, v []byte) ([]string, error) {
	var x any
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return nil, err
	}
	return appendAnyTexts(dst, x, 0)
}

func appendAnyTexts(dst []string, x any, depth int) ([]string, error) {
	switch t := x.(type) {
	case nil:
	case string:
		dst = append(dst, t)
	case json.Number:
		dst = append(dst, t.String())
	case bool:
		dst = append(dst, strconv.FormatBool(t))
	case []byte:
		dst = append(dst, string(t))
	case int64, int32, int, float64, float32, uint64, uint32:
		dst = append(dst, fmt.Sprint(t))
	case []any:
		if depth > 0 {
			return nil, errors.New("lists of lists are not read")
		}
		for _, e := range t {
			var err error
			if dst, err = appendAnyTexts(dst, e, depth+1); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("a %T is not read (strings, numbers or lists of them)", x)
	}
	return dst, nil
}

func readParquetBenchmark(path string, fields []string, fn func([]string) error) error {
	// The first field is the reader's text column; the others come back
	// as the record's other fields, as JSON.
	r, err := formats.Open(path, formats.ReadOptions{Format: "parquet", TextKey: fields[0], IDKey: "\x00", MaxDocBytes: -1}, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	var texts []string
	for {
		doc, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		texts = append(texts[:0], doc.Text)
		for _, k := range fields[1:] {
			for _, f := range doc.Fields {
				if f.Key != k {
					continue
				}
				if texts, err = appendValueTexts(texts, f.Value); err != nil {
					return fmt.Errorf("%s: %s: column %q: %w", path, doc.Source, k, err)
				}
			}
		}
		if err := fn(texts); err != nil {
			return err
		}
	}
}
