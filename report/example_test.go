package report_test

import (
	"fmt"

	"github.com/saring/saring/report"
)

// TopLevelValue finds a record's metadata without decoding its text.
func ExampleTopLevelValue() {
	line := []byte(`{"id":"d1","text":"a long text with \"metadata\": inside","metadata":{"language":"id"}}`)
	v, ok := report.TopLevelValue(line, "metadata")
	fmt.Println(string(v), ok)
	// Output: {"language":"id"} true
}

func ExampleHBarChart() {
	svg := report.HBarChart("Removed by reason", "documents",
		[]report.Bar{{Label: "gopher_short_doc", Segs: []report.Seg{{Value: 120, Class: "rm"}}, Note: "120"}},
		nil, report.Compact)
	fmt.Println(len(svg) > 0, svg[:4])
	// Output: true <svg
}
