package decontam_test

import (
	"fmt"

	"github.com/saring/saring/decontam"
)

func ExampleDecontaminate_Find() {
	x := decontam.NewIndex(8)
	x.StartBenchmark("trivia")
	x.AddPassage("Which river flows through Baghdad?", "The Tigris river flows through the city of Baghdad.")
	s := decontam.NewWith(decontam.Options{NGram: 8, Action: "cut", MinMatches: 1}, x)

	f := s.Find(`Quiz night! WHICH RIVER flows through Baghdad -- the Tigris river, of course. Next question.`)
	fmt.Println(f.Matches, f.First)
	fmt.Println(f.NGram)
	fmt.Println(f.Spans) // the comma after "river" belongs to its word
	// Output:
	// 1 trivia
	// which river flows through baghdad the tigris river
	// [[12 66]]
}
