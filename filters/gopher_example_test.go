package filters

import (
	"context"
	"fmt"
	"strings"

	"github.com/saring/saring"
)

func ExampleNewGopherRepetition() {
	o := DefaultGopherRepetitionOptions()
	o.Language = "auto"       // split words by the document's language
	o.LanguageParams = "auto" // FineWeb 2's thresholds for it
	step, _ := NewGopherRepetition(o)

	line := "Presiden meresmikan jalan tol baru yang memangkas waktu tempuh hingga dua jam.\n"
	doc := &saring.Document{Text: strings.Repeat(line, 3) + "Baca juga: berita lain\n"}
	doc.SetMeta("language", "id")
	res, _ := step.Process(context.Background(), doc)
	fmt.Println(res.Outcome, res.Reason)
	// Output: drop dup_line_frac
}
