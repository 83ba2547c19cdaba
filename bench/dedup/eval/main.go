// Command eval scores removed documents against the benchmark's truth:
// precision, recall and F1 of removals, and hard negatives wrongly removed.
//
//	go run ./bench/dedup/eval -truth /tmp/dd/truth.tsv -removed /tmp/dd/ours.tsv
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
)

func main() {
	truth := flag.String("truth", "truth.tsv", "truth file from gen")
	removed := flag.String("removed", "removed.tsv", "removed ids (first column)")
	label := flag.String("label", "", "label printed in the result line")
	flag.Parse()
	f, err := os.Open(*truth)
	if err != nil {
		log.Fatal(err)
	}
	seen := map[string]bool{}
	should := map[string]bool{}
	kind := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) < 3 {
			continue
		}
		kind[p[0]] = p[2]
		// The first document of a cluster in file order is the one to keep.
		if seen[p[1]] {
			should[p[0]] = true
		}
		seen[p[1]] = true
	}
	f.Close()
	g, err := os.Open(*removed)
	if err != nil {
		log.Fatal(err)
	}
	tp, fp := 0, 0
	hit := map[string]bool{}
	negRemoved := map[string]int{}
	sc = bufio.NewScanner(g)
	for sc.Scan() {
		id, _, _ := strings.Cut(sc.Text(), "\t")
		if id == "" {
			continue
		}
		if should[id] {
			tp++
			hit[id] = true
		} else {
			fp++
			negRemoved[kind[id]]++
		}
	}
	g.Close()
	fn := len(should) - tp
	missed := map[string]int{}
	byKind := map[string]int{}
	for id := range should {
		byKind[kind[id]]++
		if !hit[id] {
			missed[kind[id]]++
		}
	}
	recallByKind := map[string]float64{}
	for k, n := range byKind {
		recallByKind[k] = round(float64(n-missed[k]) / float64(n))
	}
	p := float64(tp) / float64(max(tp+fp, 1))
	r := float64(tp) / float64(max(tp+fn, 1))
	f1 := 2 * p * r / max(p+r, 1e-12)
	b, _ := json.Marshal(map[string]any{"label": *label, "precision": round(p), "recall": round(r), "f1": round(f1),
		"tp": tp, "fp": fp, "fn": fn, "wrongly_removed_by_kind": negRemoved,
		"missed_by_kind": missed, "recall_by_kind": recallByKind})
	fmt.Println(string(b))
}

func round(x float64) float64 { return float64(int(x*10000+0.5)) / 10000 }

var _ = fmt.Sprint
