// Command ours runs saring's minhash step on a JSONL corpus (as written by
// bench/dedup/gen) the way the pipeline runner does: a first pass calling
// Add from every core, Finish, a second pass calling Process. It writes the
// removed documents (id, duplicate_of) and prints one JSON line of timings.
//
//	go run ./bench/dedup/ours -in /tmp/dd/corpus.jsonl -removed /tmp/dd/ours.tsv
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/saring/saring"
	"github.com/saring/saring/dedup"
)

type rec struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Language string `json:"language"`
}

// stream decodes the corpus and hands documents to workers calling fn.
func stream(path string, workers int, fn func(*saring.Document) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	lines := make(chan struct {
		seq  uint64
		line []byte
	}, 256)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range lines {
				var r rec
				if err := json.Unmarshal(l.line, &r); err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
					continue
				}
				d := &saring.Document{ID: r.ID, Text: r.Text, Seq: l.seq}
				if r.Language != "" {
					d.SetMeta("language", r.Language)
				}
				if err := fn(d); err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
				}
			}
		}()
	}
	var seq uint64
	for sc.Scan() {
		lines <- struct {
			seq  uint64
			line []byte
		}{seq, append([]byte(nil), sc.Bytes()...)}
		seq++
	}
	close(lines)
	wg.Wait()
	if err := sc.Err(); err != nil {
		return err
	}
	return first
}

func peakRSSMB() float64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(l[6:]), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
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
	flag.BoolVar(&o.PerLanguage, "per-language", o.PerLanguage, "per-language buckets")
	label := flag.String("label", "saring", "label printed in the result line")
	flag.Parse()

	dir := *work
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "saring-minhash-"); err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	step, err := dedup.NewMinhash(*o, saring.Env{WorkDir: dir, OutDir: dir, Workers: *workers, MemoryBytes: *mem << 20})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	t0 := time.Now()
	if err := stream(*in, *workers, func(d *saring.Document) error { return step.Add(ctx, d) }); err != nil {
		log.Fatal(err)
	}
	t1 := time.Now()
	if err := step.Finish(ctx); err != nil {
		log.Fatal(err)
	}
	t2 := time.Now()
	var mu sync.Mutex
	var out []string
	docs := 0
	if err := stream(*in, *workers, func(d *saring.Document) error {
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
	t3 := time.Now()
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
		"total_s": t3.Sub(t0).Seconds(), "peak_rss_mb": peakRSSMB(),
		"candidates": step.Stats.Candidates, "verified": step.Stats.Verified,
	}
	b, _ := json.Marshal(res)
	fmt.Println(string(b))
}
