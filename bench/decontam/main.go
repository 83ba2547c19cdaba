// Command decontam-index loads the benchmarks of a pipeline file's
// decontaminate step and prints what the index holds: passages, n-grams
// and short passages per benchmark, the index's bytes, the heap in use,
// and the CPU time of loading.
//
// usage: go run ./bench/decontam PIPELINE.yaml
package main

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/saring/saring/decontam"
	"github.com/saring/saring/internal/steps"
	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/pipeline"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: decontam-index PIPELINE.yaml")
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
		runtime.KeepAlive(x)
	}
}
