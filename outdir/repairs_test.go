package outdir

import (
	"reflect"
	"testing"

	"github.com/saring/saring"
)

func TestAppendRepairs(t *testing.T) {
	doc := &saring.Document{Text: "x"}
	AppendRepairs(doc) // nothing to add: no key appears
	if _, ok := doc.Meta(MetaRepairs); ok {
		t.Fatal("an empty append wrote metadata.repairs")
	}
	AppendRepairs(doc, Repair{Step: "boilerplate", Line: 2, Text: "Baca juga"})
	AppendRepairs(doc, Repair{Step: "line_dedup", Line: 0, Text: "menu"}, Repair{Step: "line_dedup", Line: 4, Text: "footer"})
	v, _ := doc.Meta(MetaRepairs)
	want := []Repair{{Step: "boilerplate", Line: 2, Text: "Baca juga"}, {Step: "line_dedup", Line: 0, Text: "menu"}, {Step: "line_dedup", Line: 4, Text: "footer"}}
	if got := ParseRepairs(v); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	// A value of another shape (not saring's) is replaced, not appended to.
	doc.SetMeta(MetaRepairs, "hand-written")
	AppendRepairs(doc, Repair{Step: "s", Line: 1, Text: "t"})
	v, _ = doc.Meta(MetaRepairs)
	if got := ParseRepairs(v); !reflect.DeepEqual(got, []Repair{{Step: "s", Line: 1, Text: "t"}}) {
		t.Errorf("after a foreign value: %+v", got)
	}
}
