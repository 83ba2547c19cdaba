// Command sweep runs saring's minhash step over a grid of settings on the
// hard benchmark's splits (bench/dedup/gen -split tune|heldout) and scores
// each run per kind of copy and per kind of hard negative. Settings are
// chosen on the tuning split only: among the runs whose precision on the
// tuning split is at least -min-precision, the one of highest recall (ties:
// higher F1, then the earlier in the grid) is reported, with its numbers on
// the held-out split beside.
//
//	go run ./bench/dedup/sweep -tune /tmp/dd/tune -heldout /tmp/dd/heldout \
//	    -t 0.4,0.5,0.6 -n 3,5 -sketch 0,256 -containment 0,0.8 -rep 0,0.3 -bands 0x0,32x4
//
// Every run prints one JSON line per split; the last line is the choice.
// -defaults runs only the step's defaults (no grid).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/saring/saring"
	"github.com/saring/saring/dedup"
	"github.com/saring/saring/formats"
)

type split struct {
	name   string
	docs   []*saring.Document
	kind   map[string]string
	should map[string]bool // to be removed: all but the first of a cluster in input order
}

func load(name, dir string) *split {
	sp := &split{name: name, kind: map[string]string{}, should: map[string]bool{}}
	f, err := os.Open(filepath.Join(dir, "truth.tsv"))
	if err != nil {
		log.Fatal(err)
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) < 3 {
			continue
		}
		sp.kind[p[0]] = p[2]
		if seen[p[1]] {
			sp.should[p[0]] = true
		}
		seen[p[1]] = true
	}
	f.Close()
	r, err := formats.Open(filepath.Join(dir, "corpus.jsonl"), formats.ReadOptions{Format: "jsonl"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	for i := uint64(0); ; i++ {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		if l, ok := d.Lookup("language"); ok {
			d.SetMeta("language", l)
		}
		d.Seq = i
		sp.docs = append(sp.docs, d)
	}
	return sp
}

// negKinds are the hard negatives' kinds; every other kind is a copy kind
// (or orig/single).
var negKinds = map[string]bool{"template": true, "leadneg": true, "topic": true, "brief": true}

type score struct {
	Split      string             `json:"split"`
	Config     string             `json:"config"`
	Precision  float64            `json:"precision"`
	Recall     float64            `json:"recall"`
	F1         float64            `json:"f1"`
	TP         int                `json:"tp"`
	FP         int                `json:"fp"`
	FN         int                `json:"fn"`
	PrecHard   float64            `json:"precision_hard_negatives"`
	CopyKinds  map[string]kindRec `json:"copies"`
	NegKinds   map[string]negRec  `json:"negatives"`
	Bands      int                `json:"bands"`
	Rows       int                `json:"rows"`
	Candidates int                `json:"candidates"`
	Verified   int                `json:"verified"`
	Split_     int                `json:"groups_split"`
	Largest    int                `json:"largest_cluster"`
	Seconds    float64            `json:"seconds"`
}

type kindRec struct {
	N      int     `json:"n"`
	Missed int     `json:"missed"`
	Recall float64 `json:"recall"`
	F1     float64 `json:"f1"`
}

type negRec struct {
	N         int     `json:"n"`
	Removed   int     `json:"removed"`
	Precision float64 `json:"precision"`
}

func run(sp *split, o dedup.MinhashOptions, label string) score {
	work, err := os.MkdirTemp("", "saring-sweep-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	step, err := dedup.NewMinhash(o, saring.Env{WorkDir: work, Workers: runtime.GOMAXPROCS(0)})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	t0 := time.Now()
	par(sp.docs, func(d *saring.Document) {
		c := *d
		if err := step.Add(ctx, &c); err != nil {
			log.Fatal(err)
		}
	})
	if err := step.Finish(ctx); err != nil {
		log.Fatal(err)
	}
	var mu sync.Mutex
	removed := map[string]bool{}
	par(sp.docs, func(d *saring.Document) {
		c := *d
		c.Metadata = map[string]any{}
		r, err := step.Process(ctx, &c)
		if err != nil {
			log.Fatal(err)
		}
		if r.Outcome == saring.Drop {
			mu.Lock()
			removed[d.ID] = true
			mu.Unlock()
		}
	})
	secs := time.Since(t0).Seconds()
	step.Close()
	s := evaluate(sp, removed)
	s.Config = label
	cfg := step.Config()
	s.Bands, s.Rows = cfg.Bands, cfg.Rows
	s.Candidates, s.Verified = step.Stats.Candidates, step.Stats.Verified
	s.Split_, s.Largest = step.Stats.Split, step.Stats.LargestCluster
	s.Seconds = round(secs)
	return s
}

func par(docs []*saring.Document, fn func(*saring.Document)) {
	w := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for k := 0; k < w; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k; i < len(docs); i += w {
				fn(docs[i])
			}
		}()
	}
	wg.Wait()
}

func evaluate(sp *split, removed map[string]bool) score {
	s := score{Split: sp.name, CopyKinds: map[string]kindRec{}, NegKinds: map[string]negRec{}}
	fpNeg := 0
	for _, d := range sp.docs {
		k := sp.kind[d.ID]
		rm := removed[d.ID]
		switch {
		case sp.should[d.ID]:
			kr := s.CopyKinds[k]
			kr.N++
			if rm {
				s.TP++
			} else {
				s.FN++
				kr.Missed++
			}
			s.CopyKinds[k] = kr
		case negKinds[k]:
			nr := s.NegKinds[k]
			nr.N++
			if rm {
				s.FP++
				fpNeg++
				nr.Removed++
			}
			s.NegKinds[k] = nr
		case rm:
			s.FP++
			nr := s.NegKinds["other"]
			nr.Removed++
			s.NegKinds["other"] = nr
		}
	}
	s.Precision = ratio(s.TP, s.TP+s.FP)
	s.Recall = ratio(s.TP, s.TP+s.FN)
	s.F1 = f1(s.Precision, s.Recall)
	s.PrecHard = ratio(s.TP, s.TP+fpNeg)
	for k, kr := range s.CopyKinds {
		kr.Recall = ratio(kr.N-kr.Missed, kr.N)
		kr.F1 = f1(s.Precision, kr.Recall)
		s.CopyKinds[k] = kr
	}
	for k, nr := range s.NegKinds {
		nr.Precision = ratio(s.TP, s.TP+nr.Removed)
		s.NegKinds[k] = nr
	}
	s.Precision, s.Recall, s.F1, s.PrecHard = round(s.Precision), round(s.Recall), round(s.F1), round(s.PrecHard)
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return round(float64(a) / float64(b))
}

func f1(p, r float64) float64 { return round(2 * p * r / max(p+r, 1e-12)) }

func round(x float64) float64 { return float64(int(x*10000+0.5)) / 10000 }

func floats(s string) []float64 {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			log.Fatalf("%q: %v", s, err)
		}
		out = append(out, v)
	}
	return out
}

func ints(s string) []int {
	var out []int
	for _, v := range floats(s) {
		out = append(out, int(v))
	}
	return out
}

func main() {
	tuneDir := flag.String("tune", "", "tuning split directory (corpus.jsonl, truth.tsv)")
	heldDir := flag.String("heldout", "", "held-out split directory (scored only, never chosen on)")
	ts := flag.String("t", "0.6", "thresholds")
	ns := flag.String("n", "5", "word shingle sizes")
	sketches := flag.String("sketch", "0", "sketch sizes (0: verify by the signature)")
	conts := flag.String("containment", "0", "containment thresholds (0: off)")
	reps := flag.String("rep", "0", "rep_similarity values (0: no check)")
	bands := flag.String("bands", "0x0", "bands x rows (0x0: derived)")
	perms := flag.Int("perms", 128, "permutations")
	minPrec := flag.Float64("min-precision", 0.999, "precision the choice must keep on the tuning split")
	defaults := flag.Bool("defaults", false, "run the step's defaults only")
	flag.Parse()
	if *tuneDir == "" {
		log.Fatal("-tune is required")
	}
	tune := load("tune", *tuneDir)
	var held *split
	if *heldDir != "" {
		held = load("heldout", *heldDir)
	}
	type cfg struct {
		o     dedup.MinhashOptions
		label string
	}
	var grid []cfg
	if *defaults {
		grid = append(grid, cfg{dedup.DefaultMinhashOptions(), "defaults"})
	} else {
		for _, n := range ints(*ns) {
			for _, sk := range ints(*sketches) {
				for _, t := range floats(*ts) {
					for _, c := range floats(*conts) {
						for _, rp := range floats(*reps) {
							for _, br := range strings.Split(*bands, ",") {
								var b, r int
								if _, err := fmt.Sscanf(br, "%dx%d", &b, &r); err != nil {
									log.Fatalf("-bands %q: %v", br, err)
								}
								o := dedup.DefaultMinhashOptions()
								o.Threshold, o.N, o.Sketch, o.Containment, o.RepSimilarity = t, n, sk, c, rp
								o.Bands, o.Rows, o.Permutations = b, r, *perms
								grid = append(grid, cfg{o, fmt.Sprintf("t=%g n=%d sketch=%d containment=%g rep=%g bands=%s", t, n, sk, c, rp, br)})
							}
						}
					}
				}
			}
		}
	}
	enc := json.NewEncoder(os.Stdout)
	type result struct {
		i    int
		tune score
		c    cfg
	}
	var rs []result
	for i, c := range grid {
		s := run(tune, c.o, c.label)
		enc.Encode(s)
		rs = append(rs, result{i, s, c})
	}
	sort.SliceStable(rs, func(a, b int) bool {
		ra, rb := rs[a].tune, rs[b].tune
		oa, ob := ra.Precision >= *minPrec, rb.Precision >= *minPrec
		if oa != ob {
			return oa
		}
		if ra.Recall != rb.Recall {
			return ra.Recall > rb.Recall
		}
		if ra.F1 != rb.F1 {
			return ra.F1 > rb.F1
		}
		return rs[a].i < rs[b].i
	})
	best := rs[0]
	out := map[string]any{"choice": best.c.label, "tune": best.tune, "meets_min_precision": best.tune.Precision >= *minPrec}
	if held != nil {
		out["heldout"] = run(held, best.c.o, best.c.label)
	}
	enc.Encode(out)
}
