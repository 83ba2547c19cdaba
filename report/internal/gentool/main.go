// Command gentool writes a run output directory by running the pipeline on
// a generated corpus (see package reporttest), for screenshots and benchmarks:
//
//	go run ./report/internal/gentool -docs 1000000 -compression zst /tmp/out
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/saring/saring/report/reporttest"
)

func main() {
	docs := flag.Int("docs", 2000, "documents to write")
	per := flag.Int("per-file", 100000, "documents per part file")
	comp := flag.String("compression", "zst", `"", "gz" or "zst"`)
	tasks := flag.Int("tasks", 1, "tasks per stage")
	inputs := flag.Int("inputs", 3, "input files")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gentool [-docs N] [-compression zst] OUTDIR")
		os.Exit(2)
	}
	if err := reporttest.Write(flag.Arg(0), reporttest.Options{Docs: *docs, PerFile: *per, Compression: *comp, Seed: 1, Tasks: *tasks, Inputs: *inputs}); err != nil {
		fmt.Fprintln(os.Stderr, "gentool:", err)
		os.Exit(1)
	}
}
