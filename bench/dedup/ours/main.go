// Command ours runs saring's minhash step on a JSONL corpus (as written by
// bench/dedup/gen) the way the pipeline runner does: a first pass calling
// Add from every core, Finish, a second pass calling Process. It writes the
// removed documents (id, duplicate_of) and prints one JSON line of timings.
//
//	go run ./bench/dedup/ours -in /tmp/dd/corpus.jsonl -removed /tmp/dd/ours.tsv
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/saring/saring"
	"github.com/saring/saring/bench/dedup/measure"
	"github.com/saring/saring/dedup"
	"github.com/saring/saring/formats"
)

// stream reads the corpus with saring's JSONL reader and hands documents
// to workers calling fn.
func stream(path string, workers int, fn func(*saring.Document) error) error {
	r, err := formats.Open(path, formats.ReadOptions{Format: "jsonl"}, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	docs := make(chan *saring.Document, 256)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range docs {
				if l, ok := d.Lookup("language"); ok {
					d.SetMeta("language", l)
				}
				if err := fn(d); err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
				}
			}
		}()
	}
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			close(docs)
			wg.Wait()
			return err
		}
		docs <- d
	}
	close(docs)
	wg.Wait()
	return first
}

// inMemory hands preloaded documents (copies, as a spool would) to workers.
func inMemory(all []*saring.Document, workers int, fn func(*saring.Document) error) error {
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(all); i += workers {
				d := *all[i]
				d.Metadata = map[string]any{"language": all[i].Metadata["language"]}
				if err := fn(&d); err != nil {
					errs[w] = err
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func main() {
	in := flag.String("in", "corpus.jsonl", "corpus")
	removed := flag.String("removed", "", "write removed ids here (id<TAB>duplicate_of)")
	work := flag.String("work", "", "work directory (default: a temporary one)")
	mem := flag.Int64("mem", 0, "memory budget in MiB for the step (0: default)")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "workers")
	o := dedup.DefaultMinhashOptions()
	flag.Float64Var(&o.Threshold, "threshold", o.Threshold, "Jaccard threshold")
	flag.IntVar(&o.Permutations, "perms", o.Permutations, "permutations")
	flag.IntVar(&o.Bands, "bands", o.Bands, "bands (0: derived)")
	flag.IntVar(&o.Rows, "rows", o.Rows, "rows (0: derived)")
	flag.IntVar(&o.N, "n", o.N, "shingle size")
	flag.StringVar(&o.Scheme, "scheme", o.Scheme, "oph or permutations")
	flag.BoolVar(&o.Verify, "verify", o.Verify, "verify candidates")
	flag.IntVar(&o.Sketch, "sketch", o.Sketch, "shingle values per document for verification (0: the signature estimate)")
	flag.Float64Var(&o.Containment, "containment", o.Containment, "containment threshold (0: off)")
	flag.Float64Var(&o.RepSimilarity, "rep", o.RepSimilarity, "similarity every member needs with the kept document (0: no check)")
	flag.BoolVar(&o.PerLanguage, "per-language", o.PerLanguage, "per-language buckets")
	label := flag.String("label", "saring", "label printed in the result line")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here")
	preload := flag.Bool("preload", false, "read the corpus into memory first and time only the step (passes then read from memory)")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}

	if *mem > 0 && !*preload {
		// The step keeps its own structures within the budget; the limit
		// makes the garbage collector hold the whole process to it too
		// (not with -preload: the corpus in memory alone exceeds it).
		debug.SetMemoryLimit(*mem << 20)
	}
	dir := *work
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "saring-minhash-"); err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	step, err := dedup.NewMinhash(o, saring.Env{WorkDir: dir, OutDir: dir, Workers: *workers, MemoryBytes: *mem << 20})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	pass := func(fn func(*saring.Document) error) error { return stream(*in, *workers, fn) }
	if *preload {
		var all []*saring.Document
		var mu sync.Mutex
		if err := stream(*in, 1, func(d *saring.Document) error { mu.Lock(); all = append(all, d); mu.Unlock(); return nil }); err != nil {
			log.Fatal(err)
		}
		pass = func(fn func(*saring.Document) error) error { return inMemory(all, *workers, fn) }
	}
	t0, c0 := time.Now(), measure.CPUSeconds()
	if err := pass(func(d *saring.Document) error { return step.Add(ctx, d) }); err != nil {
		log.Fatal(err)
	}
	t1, c1 := time.Now(), measure.CPUSeconds()
	if err := step.Finish(ctx); err != nil {
		log.Fatal(err)
	}
	t2, c2 := time.Now(), measure.CPUSeconds()
	var mu sync.Mutex
	var out []string
	docs := 0
	if err := pass(func(d *saring.Document) error {
		r, err := step.Process(ctx, d)
		mu.Lock()
		docs++
		if r.Outcome == saring.Drop {
			dup, _ := d.Meta("duplicate_of")
			out = append(out, fmt.Sprintf("%s\t%v", d.ID, dup))
		}
		mu.Unlock()
		return err
	}); err != nil {
		log.Fatal(err)
	}
	t3, c3 := time.Now(), measure.CPUSeconds()
	step.Close()
	sort.Strings(out)
	if *removed != "" {
		if err := os.WriteFile(*removed, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	cfg := step.Config()
	res := map[string]any{
		"tool": *label, "docs": docs, "removed": len(out), "workers": *workers,
		"bands": cfg.Bands, "rows": cfg.Rows, "scheme": o.Scheme, "threshold": o.Threshold,
		"sign_s": t1.Sub(t0).Seconds(), "cluster_s": t2.Sub(t1).Seconds(), "filter_s": t3.Sub(t2).Seconds(),
		"total_s":    t3.Sub(t0).Seconds(),
		"sign_cpu_s": c1 - c0, "cluster_cpu_s": c2 - c1, "filter_cpu_s": c3 - c2, "total_cpu_s": c3 - c0, "peak_rss_mb": measure.PeakRSSMB(),
		"candidates": step.Stats.Candidates, "verified": step.Stats.Verified, "preload": *preload,
		"groups_split": step.Stats.Split, "largest_cluster": step.Stats.LargestCluster, "sketch": o.Sketch, "n": o.N,
	}
	b, _ := json.Marshal(res)
	fmt.Println(string(b))
}
