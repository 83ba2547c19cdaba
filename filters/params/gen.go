//go:build ignore

// gen converts FineWeb 2's per-language filter configs (one YAML file per
// language/script pair, from the public repository huggingface/fineweb-2,
// directory configs/, Apache-2.0) into fineweb2.json.gz, which package
// filters embeds. Run from package filters with `go generate`.
//
//	go run ./params/gen.go -src ../../shared/data/fineweb2-filter-configs -out params/fineweb2.json.gz
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// config is one YAML file. Field names follow FineWeb 2's keys.
type config struct {
	DupLineFrac           float64     `yaml:"dup_line_frac" json:"dup_line_frac"`
	DupNGrams             [][]float64 `yaml:"dup_n_grams" json:"dup_n_grams"`
	TopNGrams             [][]float64 `yaml:"top_n_grams" json:"top_n_grams"`
	LanguageScore         float64     `yaml:"language_score" json:"language_score"`
	LinePunctThr          float64     `yaml:"line_punct_thr" json:"line_punct_thr"`
	MinAvgWordLength      float64     `yaml:"min_avg_word_length" json:"min_avg_word_length"`
	MaxAvgWordLength      float64     `yaml:"max_avg_word_length" json:"max_avg_word_length"`
	MaxNonAlphaWordsRatio float64     `yaml:"max_non_alpha_words_ratio" json:"max_non_alpha_words_ratio"`
	NewLineRatio          float64     `yaml:"new_line_ratio" json:"new_line_ratio"`
	Stopwords             []string    `yaml:"stopwords" json:"stopwords"`
}

func main() {
	src := flag.String("src", "../../shared/data/fineweb2-filter-configs", "directory of <lang>_<Script>.yml files")
	out := flag.String("out", "params/fineweb2.json.gz", "output file")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	files, err := filepath.Glob(filepath.Join(src, "*.yml"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no .yml files in %s: pass -src with the fineweb-2 configs directory", src)
	}
	sort.Strings(files)
	all := make(map[string]config, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var c config
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, ng := range append(append([][]float64{}, c.DupNGrams...), c.TopNGrams...) {
			if len(ng) != 2 {
				return fmt.Errorf("%s: n-gram entry %v is not [n, frac]", f, ng)
			}
		}
		all[strings.TrimSuffix(filepath.Base(f), ".yml")] = c
	}
	// encoding/json sorts map keys, so the output is byte-for-byte stable.
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(all); err != nil {
		return err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(js.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, gz.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("gen: %d languages, %d bytes JSON, %d bytes gzip -> %s\n", len(all), js.Len(), gz.Len(), out)
	return nil
}
