package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/saring/saring/formats"
	"github.com/saring/saring/outdir"
)

func newMixCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mix",
		Short: "Plan a training mix in tokens from counting runs",
	}
	cmd.AddCommand(newMixPlanCommand())
	return cmd
}

func newMixPlanCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "plan MIXFILE OUTDIR...",
		Short: "Turn target tokens per language or source into sample rates, from the token totals of counting runs",
		Long: `plan reads a mix file of target tokens and the output directories of one or
more finished runs that counted tokens (a tokens step), and prints a
pipeline fragment: a sample step whose rates give each language or source
its target in expectation (rate = target / tokens kept). A rate above 1
repeats documents (metadata.repeat); max_rate caps it.

The mix file:

  by: language          # or a metadata or input field naming the source
  tokens: token_count   # the tokens step's key
  seed: 0               # the sample step's seed
  max_rate: 4           # cap on repeats (default 1: never repeat)
  others: 0             # rate of values the targets do not name (default 0: drop)
  targets:
    ind_Latn: 2B        # tokens: a number, or with K, M, B or T (10^3 .. 10^12)
    eng_Latn: 500M

With by: language the totals are stats.json's tokens.<key>.kept_by_language,
summed over the directories; with any other key the kept files are read
and each document's tokens summed under its value of that key.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMixPlan(cmd.Context(), args[0], args[1:], cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
}

// mixFile is the mix file.
type mixFile struct {
	By      string            `yaml:"by"`
	Tokens  string            `yaml:"tokens"`
	Seed    uint64            `yaml:"seed"`
	MaxRate float64           `yaml:"max_rate"`
	Others  float64           `yaml:"others"`
	Targets map[string]string `yaml:"targets"`
}

// parseTokens reads "2B", "1.5T", "500M", "20k", "12345".
func parseTokens(s string) (float64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "_", ""))
	mult := 1.0
	if s != "" {
		switch s[len(s)-1] {
		case 'k', 'K':
			mult = 1e3
		case 'm', 'M':
			mult = 1e6
		case 'b', 'B', 'g', 'G':
			mult = 1e9
		case 't', 'T':
			mult = 1e12
		}
		if mult != 1 {
			s = s[:len(s)-1]
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("%q is not a token count (a number, or with K, M, B or T)", s)
	}
	return v * mult, nil
}

func loadMixFile(path string) (*mixFile, map[string]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	m := &mixFile{By: "language", Tokens: "token_count", MaxRate: 1}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(m.Targets) == 0 {
		return nil, nil, fmt.Errorf("%s: targets: give the target tokens of at least one %s", path, m.By)
	}
	if m.By == "" || m.Tokens == "" {
		return nil, nil, fmt.Errorf("%s: by and tokens must not be empty", path)
	}
	if m.MaxRate <= 0 {
		return nil, nil, fmt.Errorf("%s: max_rate must be > 0", path)
	}
	if m.Others < 0 {
		return nil, nil, fmt.Errorf("%s: others must be >= 0", path)
	}
	targets := map[string]float64{}
	for k, v := range m.Targets {
		t, err := parseTokens(v)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: targets.%s: %w", path, k, err)
		}
		targets[k] = t
	}
	return m, targets, nil
}

// mixTotals sums the kept tokens by value of m.By over the directories.
func mixTotals(ctx context.Context, m *mixFile, dirs []string) (map[string]float64, error) {
	totals := map[string]float64{}
	for _, dir := range dirs {
		d := outdir.Dir{Root: dir}
		st, err := d.LoadStats()
		if err != nil {
			return nil, fmt.Errorf("%s: %w (mix plan reads finished runs)", dir, err)
		}
		ts := st.Tokens[m.Tokens]
		if ts == nil {
			keys := make([]string, 0, len(st.Tokens))
			for k := range st.Tokens {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			return nil, fmt.Errorf("%s: stats.json has no token counts under %q (it has: %s); run a tokens step with key %s", dir, m.Tokens, strings.Join(keys, ", "), m.Tokens)
		}
		if m.By == "language" {
			for k, v := range ts.KeptByLanguage {
				totals[k] += float64(v)
			}
			continue
		}
		files, err := d.Files(outdir.Kept)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if err := sumKeptTokens(ctx, f, m, totals); err != nil {
				return nil, err
			}
		}
	}
	return totals, nil
}

func sumKeptTokens(ctx context.Context, path string, m *mixFile, totals map[string]float64) error {
	r, err := formats.Open(path, formats.ReadOptions{MaxDocBytes: -1}, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		doc, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		v, _ := doc.Meta(m.Tokens)
		n, ok := tokenNumber(v)
		if !ok {
			continue
		}
		key, _ := doc.Lookup(m.By)
		if mv, ok := doc.Meta(m.By); ok && key == "" {
			key = fmt.Sprint(mv)
		}
		totals[key] += n
	}
}

func tokenNumber(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	case interface{ Float64() (float64, error) }:
		f, err := t.Float64()
		return f, err == nil
	}
	return 0, false
}

// roundRate keeps six significant digits: enough for any corpus, short
// enough to read.
func roundRate(r float64) float64 {
	if r == 0 {
		return 0
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(r, 'g', 6, 64), 64)
	return f
}

func runMixPlan(ctx context.Context, mixPath string, dirs []string, w, warn io.Writer) error {
	m, targets, err := loadMixFile(mixPath)
	if err != nil {
		return err
	}
	totals, err := mixTotals(ctx, m, dirs)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(targets))
	for k := range targets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rates := map[string]float64{}
	fmt.Fprintf(w, "# mix plan: %s over %s (%s by %s)\n", mixPath, strings.Join(dirs, ", "), m.Tokens, m.By)
	var want, expect float64
	for _, k := range keys {
		have, target := totals[k], targets[k]
		want += target
		if have == 0 {
			fmt.Fprintf(warn, "warning: %s %q: no kept tokens in the counting runs; its target of %.0f cannot be met\n", m.By, k, target)
			fmt.Fprintf(w, "#   %s: no tokens, target %s\n", k, humanTokens(target))
			continue
		}
		r := target / have
		note := ""
		if r > m.MaxRate {
			fmt.Fprintf(warn, "warning: %s %q: %s tokens for a target of %s needs rate %.4g, capped at max_rate %g\n", m.By, k, humanTokens(have), humanTokens(target), r, m.MaxRate)
			r, note = m.MaxRate, " (capped at max_rate)"
		}
		r = roundRate(r)
		rates[k] = r
		expect += r * have
		fmt.Fprintf(w, "#   %s: %s tokens, target %s: rate %g, expect %s%s\n", k, humanTokens(have), humanTokens(target), r, humanTokens(r*have), note)
	}
	var other float64
	for k, v := range totals {
		if _, ok := targets[k]; !ok {
			other += v
		}
	}
	if other > 0 {
		fmt.Fprintf(w, "#   others: %s tokens at rate %g, expect %s\n", humanTokens(other), m.Others, humanTokens(m.Others*other))
		expect += m.Others * other
	}
	fmt.Fprintf(w, "#   total: target %s, expect %s\n", humanTokens(want), humanTokens(expect))
	frag := map[string]any{"steps": []any{map[string]any{"sample": map[string]any{
		"by": m.By, "seed": m.Seed, "rate": m.Others, "rates": rates,
	}}}}
	if m.By == "language" {
		// Sampling reads the counting run's output, which carries the
		// language; a pipeline with a language step before sample needs
		// no input.metadata.
		fmt.Fprintln(w, "# input.metadata: the counted documents carry metadata.language")
		frag["input"] = map[string]any{"metadata": []string{"language"}}
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(frag); err != nil {
		return err
	}
	return enc.Close()
}

func humanTokens(v float64) string {
	switch {
	case v >= 1e12:
		return strconv.FormatFloat(v/1e12, 'f', 3, 64) + "T"
	case v >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', 3, 64) + "B"
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 3, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 3, 64) + "K"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}
