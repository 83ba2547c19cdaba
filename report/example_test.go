package report_test

import (
	"fmt"

	"github.com/saring/saring/report"
)

func ExampleHBarChart() {
	svg := report.HBarChart("Removed by reason", "documents",
		[]report.Bar{{Label: "gopher_short_doc", Segs: []report.Seg{{Value: 120, Class: "rm"}}, Note: "120"}},
		nil, report.Compact)
	fmt.Println(len(svg) > 0, svg[:4])
	// Output: true <svg
}
