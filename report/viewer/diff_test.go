package viewer

import (
	"reflect"
	"strings"
	"testing"
)

func TestRepairDiff(t *testing.T) {
	type tc struct {
		name    string
		kept    string
		repairs []Repair
		want    string // lines, cut ones prefixed with "-step:"
	}
	for _, c := range []tc{
		{"none", "a\nb", nil, "a|b"},
		{"one step", "a\nc", []Repair{{Step: "r", Line: 1, Text: "B"}}, "a|-r:B|c"},
		{"first and last", "b", []Repair{{Step: "r", Line: 0, Text: "A"}, {Step: "r", Line: 2, Text: "C"}}, "-r:A|b|-r:C"},
		{"unsorted indices", "b", []Repair{{Step: "r", Line: 2, Text: "C"}, {Step: "r", Line: 0, Text: "A"}}, "-r:A|b|-r:C"},
		// s1 saw "x\nA\ny\nB\nz", cut A (1) -> "x\ny\nB\nz"; s2 cut B (2) -> "x\ny\nz".
		{"two steps", "x\ny\nz", []Repair{{Step: "s1", Line: 1, Text: "A"}, {Step: "s2", Line: 2, Text: "B"}}, "x|-s1:A|y|-s2:B|z"},
		{"out of range", "a", []Repair{{Step: "r", Line: 9, Text: "Z"}}, "a|-r:Z"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, l := range RepairDiff(c.kept, c.repairs) {
				if l.Removed {
					got = append(got, "-"+l.Step+":"+l.Text)
				} else {
					got = append(got, l.Text)
				}
			}
			if g := strings.Join(got, "|"); g != c.want {
				t.Errorf("got %q, want %q", g, c.want)
			}
		})
	}
}

func TestParseRepairs(t *testing.T) {
	in := []any{map[string]any{"step": "s", "line": 3.0, "text": "t"}, "junk", map[string]any{"line": "x"}}
	got := ParseRepairs(in)
	want := []Repair{{Step: "s", Line: 3, Text: "t"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if ParseRepairs("nope") != nil {
		t.Error("non-list repairs should parse to nil")
	}
}
