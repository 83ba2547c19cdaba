// Command decontam-index loads the benchmarks of a pipeline file's
// decontaminate step and prints what the index holds: passages, n-grams
// and short passages per benchmark, the index's bytes, the heap in use,
// and the CPU time of loading. Given a corpus, it then times the step's
// Find over every document's text, in memory, on one goroutine, next to
// strings.Fields over the same texts (the floor of any word n-gram scan).
//
// usage: go run ./bench/decontam PIPELINE.yaml [CORPUS.jsonl]
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/saring/saring/decontam"
	"github.com/saring/saring/formats"
	"github.com/saring/saring/internal/steps"
	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/pipeline"
)

func main() {
	if len(os.Args) != 2 && len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: decontam-index PIPELINE.yaml [CORPUS.jsonl]")
		os.Exit(2)
	}
	cfg, err := pipeline.LoadFile(os.Args[1], steps.All())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, sc := range cfg.Steps {
		o, ok := sc.Options.(*decontam.Options)
		if !ok {
			continue
		}
		t0, c0 := time.Now(), testenv.CPUTime()
		x, err := decontam.Load(*o)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		cpu, wall := testenv.CPUTime()-c0, time.Since(t0)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("%-12s %9s %11s %7s %9s\n", "benchmark", "passages", "n-grams", "short", "numeric")
		for _, b := range x.Benchmarks() {
			fmt.Printf("%-12s %9d %11d %7d %9d\n", b, x.Passages[b], x.NGrams[b], x.Short[b], x.Numeric[b])
		}
		fmt.Printf("%d distinct %d-grams; index %.1f MiB (%.1f bytes per n-gram); heap in use %.1f MiB; load %.2f CPU s (%.2f s wall)\n",
			x.Len(), x.N(), float64(x.Bytes())/(1<<20), float64(x.Bytes())/float64(max(1, x.Len())),
			float64(ms.HeapInuse)/(1<<20), cpu.Seconds(), wall.Seconds())
		if len(os.Args) == 3 {
			scan(decontam.NewWith(*o, x), os.Args[2])
		}
		runtime.KeepAlive(x)
	}
}

func scan(s *decontam.Decontaminate, path string) {
	r, err := formats.Open(path, formats.ReadOptions{}, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var texts []string
	size := 0
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		texts = append(texts, d.Text)
		size += len(d.Text)
	}
	r.Close()
	measure := func(name string, fn func(string) int) {
		c0 := testenv.CPUTime()
		n := 0
		for _, t := range texts {
			n += fn(t)
		}
		cpu := (testenv.CPUTime() - c0).Seconds()
		fmt.Printf("%-14s %6.1f MB of text in %.2f CPU s: %6.1f MB per CPU-second (%d)\n", name, float64(size)/1e6, cpu, float64(size)/1e6/cpu, n)
	}
	if p := os.Getenv("CPUPROFILE"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	for i := 0; i < 2; i++ {
		measure("strings.Fields", func(t string) int { return len(strings.Fields(t)) })
		measure("Find", func(t string) int { return s.Find(t).Matches })
	}
}
