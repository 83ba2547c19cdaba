// Command peer is the baseline for bench/dedup: the same near-duplicate
// removal written on github.com/ekzhu/minhash-lsh, as a Go user would: word
// 5-gram shingles (same word definition as saring: lowercased runs of
// letters, digits and marks), the same number of permutations and threshold,
// the same JSONL reader,
// signing and querying spread over all cores, candidates verified by
// estimated Jaccard, union-find, the first document of a cluster kept.
//
//	(cd bench/dedup/peer && go run . -in /tmp/dd/corpus.jsonl -removed /tmp/dd/peer.tsv)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	minhashlsh "github.com/ekzhu/minhash-lsh"

	"github.com/saring/saring"
	"github.com/saring/saring/bench/dedup/measure"
	"github.com/saring/saring/formats"
)

func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc))
	})
}

func main() {
	in := flag.String("in", "corpus.jsonl", "corpus")
	removed := flag.String("removed", "", "write removed ids here")
	perms := flag.Int("perms", 128, "permutations")
	n := flag.Int("n", 5, "shingle size")
	threshold := flag.Float64("threshold", 0.6, "Jaccard threshold")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "workers")
	preload := flag.Bool("preload", false, "read the corpus into memory first and time only deduplication")
	flag.Parse()

	var all []*saring.Document
	next := func() (*saring.Document, error) { return nil, io.EOF }
	if *preload {
		r, err := formats.Open(*in, formats.ReadOptions{Format: "jsonl"}, nil)
		if err != nil {
			log.Fatal(err)
		}
		for {
			d, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				log.Fatal(err)
			}
			all = append(all, d)
		}
		r.Close()
		k := 0
		next = func() (*saring.Document, error) {
			if k == len(all) {
				return nil, io.EOF
			}
			k++
			return all[k-1], nil
		}
	}

	t0, c0 := time.Now(), measure.CPUSeconds()
	if !*preload {
		r, err := formats.Open(*in, formats.ReadOptions{Format: "jsonl"}, nil)
		if err != nil {
			log.Fatal(err)
		}
		defer r.Close()
		next = r.Next
	}
	var ids []string
	var sigs [][]uint64
	type job struct {
		i int
		d *saring.Document
	}
	jobs := make(chan job, 256)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				mh := minhashlsh.NewMinhash(1, *perms)
				w := words(j.d.Text)
				if len(w) > 0 {
					k := min(*n, len(w))
					for i := 0; i+k <= len(w); i++ {
						mh.Push([]byte(strings.Join(w[i:i+k], " ")))
					}
				}
				sig := mh.Signature()
				if len(w) == 0 {
					sig = nil
				}
				mu.Lock()
				for len(ids) <= j.i {
					ids = append(ids, "")
					sigs = append(sigs, nil)
				}
				ids[j.i], sigs[j.i] = j.d.ID, sig
				mu.Unlock()
			}
		}()
	}
	for i := 0; ; i++ {
		d, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		jobs <- job{i, d}
	}
	close(jobs)
	wg.Wait()
	t1, c1 := time.Now(), measure.CPUSeconds()

	lsh := minhashlsh.NewMinhashLSH64(*perms, *threshold)
	for i, s := range sigs {
		if s != nil {
			lsh.Add(i, s)
		}
	}
	lsh.Index()
	parent := make([]int, len(sigs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	type pair struct{ a, b int }
	pairs := make(chan []pair, *workers)
	idx := make(chan int, 1024)
	var qwg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		qwg.Add(1)
		go func() {
			defer qwg.Done()
			var out []pair
			for i := range idx {
				for _, c := range lsh.Query(sigs[i]) {
					j := c.(int)
					if j == i {
						continue
					}
					eq := 0
					for k := range sigs[i] {
						if sigs[i][k] == sigs[j][k] {
							eq++
						}
					}
					if float64(eq)/float64(len(sigs[i])) >= *threshold {
						out = append(out, pair{i, j})
					}
				}
			}
			pairs <- out
		}()
	}
	for i, s := range sigs {
		if s != nil {
			idx <- i
		}
	}
	close(idx)
	qwg.Wait()
	close(pairs)
	for ps := range pairs {
		for _, p := range ps {
			ra, rb := find(p.a), find(p.b)
			if ra > rb {
				ra, rb = rb, ra
			}
			if ra != rb {
				parent[rb] = ra
			}
		}
	}
	var out []string
	for i := range sigs {
		if r := find(i); r != i {
			out = append(out, ids[i]+"\t"+ids[r])
		}
	}
	t2, c2 := time.Now(), measure.CPUSeconds()
	sort.Strings(out)
	if *removed != "" {
		if err := os.WriteFile(*removed, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	k, l := lsh.Params()
	b, _ := json.Marshal(map[string]any{"tool": "ekzhu/minhash-lsh", "docs": len(sigs), "removed": len(out), "workers": *workers,
		"rows": k, "bands": l, "threshold": *threshold,
		"sign_s": t1.Sub(t0).Seconds(), "cluster_s": t2.Sub(t1).Seconds(), "total_s": t2.Sub(t0).Seconds(),
		"sign_cpu_s": c1 - c0, "cluster_cpu_s": c2 - c1, "total_cpu_s": c2 - c0, "preload": *preload, "peak_rss_mb": measure.PeakRSSMB()})
	fmt.Println(string(b))
}
