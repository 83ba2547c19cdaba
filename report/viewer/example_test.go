package viewer_test

import (
	"fmt"

	"github.com/saring/saring/report/viewer"
)

// RepairDiff puts the lines repair steps cut back where they were.
func ExampleRepairDiff() {
	kept := "Harga beras naik.\nPedagang mengeluh."
	cut := []viewer.Repair{{Step: "boilerplate", Line: 1, Text: "Baca juga: harga cabai"}}
	for _, l := range viewer.RepairDiff(kept, cut) {
		if l.Removed {
			fmt.Printf("- %s  (%s)\n", l.Text, l.Step)
		} else {
			fmt.Printf("%d %s\n", l.N, l.Text)
		}
	}
	// Output:
	// 1 Harga beras naik.
	// - Baca juga: harga cabai  (boilerplate)
	// 2 Pedagang mengeluh.
}
