package viewer

import (
	"sort"
	"strings"

	"github.com/saring/saring/outdir"
)

// Repair is one line a repair step cut: Line is its index in the text as
// that step saw it.
type Repair = outdir.Repair

// DiffLine is one line of a repaired document: kept, or cut by Step.
type DiffLine struct {
	N       int // 1-based line number in the kept text; 0 for a cut line
	Text    string
	Removed bool
	Step    string
}

// ParseRepairs reads metadata.repairs, skipping entries of the wrong shape.
func ParseRepairs(v any) []Repair { return outdir.ParseRepairs(v) }

// RepairDiff rebuilds the text a pipeline's repair steps saw from the kept
// text and the lines they cut. Steps ran in the order their entries first
// appear; undoing them in reverse, each step's lines go back at their
// indices in ascending order, which restores the text that step saw.
// Out-of-range indices (a damaged record) land at the end rather than fail.
func RepairDiff(kept string, repairs []Repair) []DiffLine {
	lines := []DiffLine{}
	for i, l := range strings.Split(kept, "\n") {
		lines = append(lines, DiffLine{N: i + 1, Text: l})
	}
	var order []string
	byStep := map[string][]Repair{}
	for _, r := range repairs {
		if _, ok := byStep[r.Step]; !ok {
			order = append(order, r.Step)
		}
		byStep[r.Step] = append(byStep[r.Step], r)
	}
	for i := len(order) - 1; i >= 0; i-- {
		rs := byStep[order[i]]
		sort.SliceStable(rs, func(a, b int) bool { return rs[a].Line < rs[b].Line })
		for _, r := range rs {
			at := r.Line
			if at > len(lines) {
				at = len(lines)
			}
			lines = append(lines, DiffLine{})
			copy(lines[at+1:], lines[at:])
			lines[at] = DiffLine{Text: r.Text, Removed: true, Step: r.Step}
		}
	}
	return lines
}
