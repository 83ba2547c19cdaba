package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/saring/saring/decontam"
	"github.com/saring/saring/formats"
	"github.com/saring/saring/outdir"
)

type decontamReportOptions struct {
	top int
}

func newDecontamReportCommand() *cobra.Command {
	opts := &decontamReportOptions{}
	cmd := &cobra.Command{
		Use:   "decontam-report OUTDIR",
		Short: "Print a run's benchmark contamination: documents and n-grams matched per benchmark",
		Long: `decontam-report reads OUTDIR/stats.json and prints, for each decontaminate
step, the documents that held n-grams of each benchmark and how many n-gram
positions matched (a document matching several benchmarks counts for
each), and what the step did: documents removed, documents cut.

With --top N (default 5), it also reads the kept and removed files and
lists, per benchmark, the N most frequent first-matched n-grams
(metadata.decontam.ngram): the passages most often found, or the common
phrases a benchmark shares with the web. --top 0 reads stats.json only.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDecontamReport(cmd.Context(), opts, args[0], cmd.OutOrStdout())
		},
	}
	cmd.Flags().IntVar(&opts.top, "top", 5, "most frequent matched n-grams to list per benchmark (0: none, and no output file is read)")
	return cmd
}

type benchHits struct {
	name   string
	docs   int64
	ngrams int64
}

func runDecontamReport(ctx context.Context, opts *decontamReportOptions, dir string, w io.Writer) error {
	d := outdir.Dir{Root: dir}
	st, err := d.LoadStats()
	if err != nil {
		return fmt.Errorf("%s: %w (decontam-report reads a finished run's stats.json)", dir, err)
	}
	found := false
	for i, s := range st.Steps {
		if s.Name != decontam.StepName {
			continue
		}
		found = true
		var hits []benchHits
		for k, h := range s.Measures {
			if name, ok := strings.CutPrefix(k, decontam.MeasurePrefix); ok {
				hits = append(hits, benchHits{name: name, docs: h.Count, ngrams: int64(h.Sum)})
			}
		}
		sort.Slice(hits, func(a, b int) bool {
			if hits[a].docs != hits[b].docs {
				return hits[a].docs > hits[b].docs
			}
			return hits[a].name < hits[b].name
		})
		fmt.Fprintf(w, "step %d (%s): %d documents in, %d removed as contaminated, %d rewritten (cut or below min_matches)\n",
			i+1, s.Name, s.DocsIn, s.ByReason[decontam.Reason], s.Rewritten)
		if len(hits) == 0 {
			fmt.Fprintln(w, "  no document held a benchmark n-gram")
			continue
		}
		tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "  benchmark\tdocuments\tshare\tn-grams matched\t")
		for _, h := range hits {
			fmt.Fprintf(tw, "  %s\t%d\t%.4f%%\t%d\t\n", h.name, h.docs, 100*float64(h.docs)/float64(max(1, s.DocsIn)), h.ngrams)
		}
		tw.Flush()
	}
	if !found {
		return errors.New(dir + ": the run has no decontaminate step")
	}
	if opts.top <= 0 {
		return nil
	}
	top, err := topNgrams(ctx, d)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(top))
	for n := range top {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "%s: most frequent first-matched n-grams\n", n)
		type kv struct {
			g string
			c int
		}
		var gs []kv
		for g, c := range top[n] {
			gs = append(gs, kv{g, c})
		}
		sort.Slice(gs, func(a, b int) bool {
			if gs[a].c != gs[b].c {
				return gs[a].c > gs[b].c
			}
			return gs[a].g < gs[b].g
		})
		for i, e := range gs {
			if i == opts.top {
				break
			}
			fmt.Fprintf(w, "  %6d  %q\n", e.c, e.g)
		}
	}
	return nil
}

// topNgrams counts metadata.decontam's first n-gram by benchmark over the
// kept and removed files.
func topNgrams(ctx context.Context, d outdir.Dir) (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	for _, kind := range []string{outdir.Kept, outdir.Removed} {
		files, err := d.Files(kind)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			r, err := formats.Open(f, formats.ReadOptions{MaxDocBytes: -1}, nil)
			if err != nil {
				return nil, err
			}
			for {
				doc, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					r.Close()
					return nil, err
				}
				m, _ := doc.Metadata[decontam.MetaKey].(map[string]any)
				b, _ := m["benchmark"].(string)
				g, _ := m["ngram"].(string)
				if b == "" || g == "" {
					continue
				}
				if out[b] == nil {
					out[b] = map[string]int{}
				}
				out[b][g]++
			}
			r.Close()
		}
	}
	return out, nil
}
