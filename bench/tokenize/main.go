// Command tokenize-bench encodes the texts of a JSONL file (one JSON string
// per line) with saring's tokenizers on one goroutine and prints, per
// tokenizer, the CPU seconds spent encoding (getrusage, after loading) with
// the texts, tokens and bytes, as JSON lines in the form ref.mjs writes. With
// -ref DIR it also checks every text's ids against DIR/LABEL.ids.
//
//	go run ./bench/tokenize -input texts.jsonl [-ref DIR] LABEL=PATH...
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/saring/saring/tokenize"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	input := flag.String("input", "", "JSONL file of texts")
	ref := flag.String("ref", "", "directory of LABEL.ids files to check the ids against")
	flag.Parse()
	raw, err := os.ReadFile(*input)
	if err != nil {
		fail(err)
	}
	var texts []string
	bytes := 0
	for _, l := range strings.Split(string(raw), "\n") {
		if l == "" {
			continue
		}
		var s string
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			fail(err)
		}
		texts = append(texts, s)
		bytes += len(s)
	}
	for _, spec := range flag.Args() {
		label, path, _ := strings.Cut(spec, "=")
		tok, err := tokenize.LoadFile(path)
		if err != nil {
			fail(err)
		}
		ids := make([][]int, len(texts))
		start := cpu()
		tokens := 0
		for i, t := range texts {
			ids[i] = tok.Encode(t)
			tokens += len(ids[i])
		}
		secs := (cpu() - start).Seconds()
		// Count: the step's path (no id slice).
		start = cpu()
		for _, t := range texts {
			tok.Count(t)
		}
		countSecs := (cpu() - start).Seconds()
		same := -1
		if *ref != "" {
			same = check(ids, *ref+"/"+label+".ids")
		}
		b, _ := json.Marshal(map[string]any{"label": label, "seconds": secs, "count_seconds": countSecs, "texts": len(texts), "tokens": tokens, "bytes": bytes, "equal_to_ref": same})
		fmt.Println(string(b))
	}
}

// check returns how many texts have the reference's ids.
func check(ids [][]int, path string) int {
	f, err := os.Open(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	n, same := 0, 0
	for sc.Scan() {
		if n >= len(ids) {
			break
		}
		fs := strings.Fields(sc.Text())
		ok := len(fs) == len(ids[n])
		for j := 0; ok && j < len(fs); j++ {
			v, _ := strconv.Atoi(fs[j])
			ok = v == ids[n][j]
		}
		if ok {
			same++
		}
		n++
	}
	return same
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tokenize-bench:", err)
	os.Exit(1)
}
