package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/dedup"
	"github.com/saring/saring/formats"
)

// newDedupCommand holds the staged form of the corpus-wide steps, for runs
// split into tasks (one process per task, on one machine or many sharing a
// directory):
//
//	saring dedup minhash signatures --work W --task 3 --tasks 16 inputs...
//	saring dedup minhash clusters   --work W --tasks 16
//	saring dedup minhash filter     --work W --task 3 --tasks 16 --out O inputs...
//
// Every task gets the same sorted input list and takes the files whose index
// modulo --tasks is its own, so document positions (Seq) and decisions are
// those of one whole run. A finished task leaves a done marker and is
// skipped when run again.
func newDedupCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dedup",
		Short: "Run corpus-wide deduplication in stages, split into tasks",
	}
	mh := &cobra.Command{
		Use:   "minhash",
		Short: "Near-duplicate removal in stages: signatures (per task), clusters (once), filter (per task)",
	}
	var o stagedOptions
	o.mh = *dedup.DefaultMinhashOptions()
	pf := mh.PersistentFlags()
	pf.StringVar(&o.work, "work", "", "shared work directory of the staged run (required)")
	pf.IntVar(&o.task, "task", 0, "this task's number, 0-based")
	pf.IntVar(&o.tasks, "tasks", 1, "number of tasks")
	pf.Int64Var(&o.memoryMB, "memory", 2048, "memory budget in MiB")
	pf.StringVar(&o.inputFormat, "input-format", "auto", "input format: auto, jsonl, text, parquet, warc or wet")
	pf.BoolVar(&o.force, "force", false, "run the stage even if its done marker exists")
	pf.Float64Var(&o.mh.Threshold, "threshold", o.mh.Threshold, "Jaccard threshold")
	pf.IntVar(&o.mh.Permutations, "permutations", o.mh.Permutations, "signature length")
	pf.IntVar(&o.mh.Bands, "bands", 0, "LSH bands (0: derived from the threshold)")
	pf.IntVar(&o.mh.Rows, "rows", 0, "rows per band (0: derived)")
	pf.StringVar(&o.mh.Shingle, "shingle", o.mh.Shingle, "word or char")
	pf.IntVar(&o.mh.N, "n", o.mh.N, "words or characters per shingle")
	pf.StringVar(&o.mh.Scheme, "scheme", o.mh.Scheme, "oph or permutations")
	pf.Uint64Var(&o.mh.Seed, "seed", o.mh.Seed, "hash seed")
	pf.BoolVar(&o.mh.Verify, "verify", o.mh.Verify, "verify candidate pairs by estimated Jaccard")
	pf.StringVar(&o.mh.Keep, "keep", o.mh.Keep, "first, longest or newest")
	pf.StringVar(&o.mh.DateField, "date-field", o.mh.DateField, "date field for --keep newest")
	pf.BoolVar(&o.mh.PerLanguage, "per-language", false, "compare only documents of the same metadata.language")

	var clustersFile, out string
	sig := &cobra.Command{
		Use:   "signatures [flags] inputs...",
		Short: "Sign this task's documents into WORK/signatures/task-NNNNN",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return runMinhashSignatures(c.Context(), o, args)
		},
	}
	cl := &cobra.Command{
		Use:   "clusters",
		Short: "Merge every task's band runs, verify, cluster; writes WORK/clusters",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return runMinhashClusters(c.Context(), o, clustersFile)
		},
	}
	cl.Flags().StringVar(&clustersFile, "clusters-file", "", "also write clusters as JSON lines here")
	fl := &cobra.Command{
		Use:   "filter [flags] inputs...",
		Short: "Write this task's documents that survive to OUT/kept-NNNNN.jsonl, the others to OUT/removed-NNNNN.jsonl",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return runMinhashFilter(c.Context(), o, out, args)
		},
	}
	fl.Flags().StringVar(&out, "out", "", "output directory (required)")
	mh.AddCommand(sig, cl, fl)
	cmd.AddCommand(mh)
	return cmd
}

type stagedOptions struct {
	work        string
	task, tasks int
	memoryMB    int64
	inputFormat string
	force       bool
	mh          dedup.MinhashOptions
}

func (o stagedOptions) check() error {
	if o.work == "" {
		return errors.New("--work is required")
	}
	if o.tasks < 1 || o.task < 0 || o.task >= o.tasks {
		return fmt.Errorf("--task %d of --tasks %d: want 0 <= task < tasks", o.task, o.tasks)
	}
	return o.mh.Validate()
}

func taskDir(work string, task int) string {
	return filepath.Join(work, "signatures", fmt.Sprintf("task-%05d", task))
}

// stageConfig pins the options every stage of a staged run must share.
func stageConfig(o stagedOptions) error {
	p := filepath.Join(o.work, "minhash-config.json")
	want, _ := json.MarshalIndent(o.mh, "", "  ")
	if b, err := os.ReadFile(p); err == nil {
		var got dedup.MinhashOptions
		if json.Unmarshal(b, &got) != nil || !reflect.DeepEqual(got, o.mh) {
			return fmt.Errorf("%s was written with other minhash options:\n%s\nuse the same options for every stage, or a new --work directory", p, b)
		}
		return nil
	}
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p+".tmp", want, 0o644); err != nil {
		return err
	}
	return os.Rename(p+".tmp", p)
}

// eachDoc reads this task's share of the inputs.
func eachDoc(o stagedOptions, inputs []string, fn func(*saring.Document) error) error {
	files := append([]string(nil), inputs...)
	sort.Strings(files)
	for i, name := range files {
		if i%o.tasks != o.task {
			continue
		}
		r, err := formats.Open(name, formats.ReadOptions{Format: o.inputFormat, FileIndex: i}, nil)
		if err != nil {
			return err
		}
		for {
			d, err := r.Next()
			if err == io.EOF {
				break
			}
			if _, bad := formats.AsRecordError(err); bad {
				continue
			}
			if err != nil {
				r.Close()
				return err
			}
			if err := fn(d); err != nil {
				r.Close()
				return err
			}
		}
		if err := r.Close(); err != nil {
			return err
		}
	}
	return nil
}

func runMinhashSignatures(ctx context.Context, o stagedOptions, inputs []string) error {
	if err := o.check(); err != nil {
		return err
	}
	if err := stageConfig(o); err != nil {
		return err
	}
	dir := taskDir(o.work, o.task)
	if !o.force {
		if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
			fmt.Fprintf(errOut(), "%s is done; skipping (--force to redo)\n", dir)
			return nil
		}
	}
	w, err := dedup.NewSignatureWriter(dir, o.mh.LSH(), o.memoryMB<<20)
	if err != nil {
		return err
	}
	err = eachDoc(o, inputs, func(d *saring.Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return w.Add(d.Seq, d.ID, d.Text, d.Language(), o.mh.Rank(d))
	})
	if err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

func runMinhashClusters(ctx context.Context, o stagedOptions, clustersFile string) error {
	if err := o.check(); err != nil {
		return err
	}
	if err := stageConfig(o); err != nil {
		return err
	}
	out := filepath.Join(o.work, "clusters")
	if !o.force {
		if _, err := os.Stat(filepath.Join(out, "done")); err == nil {
			fmt.Fprintf(errOut(), "%s is done; skipping (--force to redo)\n", out)
			return nil
		}
	}
	var dirs []string
	for t := 0; t < o.tasks; t++ {
		dirs = append(dirs, taskDir(o.work, t))
	}
	cfg := dedup.ClusterConfig{LSH: o.mh.LSH(), MemoryBytes: o.memoryMB << 20, ClustersFile: clustersFile}
	if o.mh.Verify {
		cfg.Threshold = o.mh.Threshold
	}
	_, st, err := dedup.BuildClusters(ctx, dirs, out, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(errOut(), "%d documents, %d clusters, %d to remove\n", st.Docs, st.Clusters, st.Removed)
	return nil
}

func runMinhashFilter(ctx context.Context, o stagedOptions, out string, inputs []string) error {
	if err := o.check(); err != nil {
		return err
	}
	if out == "" {
		return errors.New("--out is required")
	}
	if err := stageConfig(o); err != nil {
		return err
	}
	dec, err := dedup.LoadDecisions(filepath.Join(o.work, "clusters"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	kept, err := newAtomicFile(filepath.Join(out, fmt.Sprintf("kept-%05d.jsonl", o.task)))
	if err != nil {
		return err
	}
	removed, err := newAtomicFile(filepath.Join(out, fmt.Sprintf("removed-%05d.jsonl", o.task)))
	if err != nil {
		kept.abort()
		return err
	}
	var line []byte
	err = eachDoc(o, inputs, func(d *saring.Document) error {
		dd := dec.Lookup(d.Seq)
		f := kept
		if dd.InCluster {
			if dd.Kept {
				d.SetMeta("minhash_cluster_size", dd.Size)
			} else {
				d.SetMeta("duplicate_of", dd.RepID)
				f = removed
			}
		}
		var err error
		if line, err = formats.AppendJSONL(line[:0], d); err != nil {
			return err
		}
		_, err = f.f.Write(line)
		return err
	})
	if err != nil {
		kept.abort()
		removed.abort()
		return err
	}
	if err := kept.commit(); err != nil {
		removed.abort()
		return err
	}
	return removed.commit()
}

type atomicFile struct {
	f    *os.File
	path string
}

func newAtomicFile(path string) (*atomicFile, error) {
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return nil, err
	}
	return &atomicFile{f: f, path: path}, nil
}

func (a *atomicFile) abort() {
	a.f.Close()
	os.Remove(a.path + ".tmp")
}

func (a *atomicFile) commit() error {
	if err := a.f.Sync(); err != nil {
		a.abort()
		return err
	}
	if err := a.f.Close(); err != nil {
		return err
	}
	return os.Rename(a.path+".tmp", a.path)
}
