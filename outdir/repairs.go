package outdir

import (
	"encoding/json"

	"github.com/saring/saring"
)

// Repair is one line a repair step cut from a document, listed under
// metadata.repairs so that the report and the viewer can show the diff.
// Line is the line's index in the text as that step saw it.
type Repair struct {
	Step string `json:"step"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

// AppendRepairs adds rs to doc's metadata.repairs, after what earlier steps
// listed. Entries are stored as plain maps, the shape a decoded JSON record
// has, so a document reads the same before and after a spool or a round
// trip through the output. A value of another shape under the key (not
// written by saring) is replaced.
func AppendRepairs(doc *saring.Document, rs ...Repair) {
	if len(rs) == 0 {
		return
	}
	var list []any
	if old, ok := doc.Meta(MetaRepairs); ok {
		list, _ = old.([]any)
	}
	for _, r := range rs {
		list = append(list, map[string]any{"step": r.Step, "line": r.Line, "text": r.Text})
	}
	doc.SetMeta(MetaRepairs, list)
}

// ParseRepairs reads a metadata.repairs value, skipping entries of the
// wrong shape (a hand-edited or damaged record).
func ParseRepairs(v any) []Repair {
	arr, ok := v.([]any)
	if !ok {
		return nil
	}
	var out []Repair
	for _, e := range arr {
		b, err := json.Marshal(e)
		if err != nil {
			continue
		}
		var r Repair
		if json.Unmarshal(b, &r) == nil && r.Line >= 0 {
			out = append(out, r)
		}
	}
	return out
}
