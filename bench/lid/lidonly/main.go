// Command lidonly is `saring lid` without the rest of saring: the same
// engine (fasttext.Model.PredictStream) in a binary that links nothing
// else, to measure it apart from the start-up cost of the full CLI.
//
//	lidonly MODEL K < input > output
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/saring/saring/fasttext"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: lidonly MODEL K < input")
		os.Exit(2)
	}
	k, err := strconv.Atoi(os.Args[2])
	if err == nil {
		var m *fasttext.Model
		if m, err = fasttext.Load(os.Args[1]); err == nil {
			err = m.PredictStream(context.Background(), os.Stdin, os.Stdout, fasttext.StreamOptions{K: k, Probs: true, Workers: 1})
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lidonly:", err)
		os.Exit(1)
	}
}
