package filters

import (
	"math"

	"github.com/saring/saring"
)

// rule is one row of a filter's rule table. Process and Explain walk the
// same rows in the same order, Process up to the first enabled row that
// fails and Explain through all of them, so the first rule Explain shows
// failing is the one Process drops the document for, and a document
// Process keeps shows no failing rule.
//
// M is what the filter measured on one document. A row reads its value
// and bound from it; a row whose value is costly computes it in value, so
// that Process, which stops at the first failure, never pays for the rows
// it does not reach (M is then a pointer to state the filter reuses, where
// the row keeps what the rows after it need). M is passed by value: the
// rows are functions the compiler cannot see into, and a pointer to a
// local would move every document's measures to the heap.
type rule[M any] struct {
	reason string // drop reason, and the rule's name in Explain
	record string // name the value is recorded under for the run's histograms; "" for none
	// op is how the value must relate to the bound to pass: ">=" and "<="
	// pass a NaN value, as the negated comparisons of datatrove do.
	op    string
	value func(m M) float64
	bound func(m M) float64 // nil: limit
	limit float64
	// off disables the row (by the options): it passes. zeroOff disables
	// it when the bound is 0, datatrove's convention for "no limit".
	off, zeroOff bool
	// skip leaves the row out for this document: it has nothing to
	// measure (no n-grams of that length), and is neither checked nor shown.
	skip func(m M) bool
	// pass replaces op's comparison when the rule has an exception.
	pass    func(m M, v, b float64) bool
	message func(m M, v, b float64) string // the drop message
	// note is Explain's note; base is "disabled" for a disabled row, else "".
	note func(m M, base string) string
	// last ends Explain when the row fails: the rows after it have
	// nothing to measure (fineweb's empty document).
	last bool
}

// rules is a filter's table, in the order its reference applies them.
type rules[M any] []rule[M]

func (r *rule[M]) boundOf(m M) float64 {
	if r.bound != nil {
		return r.bound(m)
	}
	return r.limit
}

// enabled reports whether the row is checked, given its bound b.
func (r *rule[M]) enabled(b float64) bool { return !r.off && !(r.zeroOff && b == 0) }

func (r *rule[M]) passes(m M, v, b float64) bool {
	if r.pass != nil {
		return r.pass(m, v, b)
	}
	switch r.op {
	case ">=":
		return !(v < b)
	case "<=":
		return !(v > b)
	case ">":
		return v > b
	case "<":
		return v < b
	case "==":
		return v == b
	}
	panic("filters: rule " + r.reason + " has no comparison " + r.op)
}

// record records every row's value, for filters that measure everything
// before they decide (datatrove records those values whatever the decision).
func (t rules[M]) record(m M, doc *saring.Document, step string) {
	for i := range t {
		r := &t[i]
		if r.record == "" || (r.skip != nil && r.skip(m)) {
			continue
		}
		recordFinite(doc, step, r.record, r.value(m))
	}
}

// decide is Process's walk: the drop of the first enabled row that fails,
// or Kept. With doc non-nil it records the value of every row it reaches.
func (t rules[M]) decide(m M, doc *saring.Document, step string) saring.Result {
	for i := range t {
		r := &t[i]
		if r.skip != nil && r.skip(m) {
			continue
		}
		v := r.value(m)
		if doc != nil && r.record != "" {
			recordFinite(doc, step, r.record, v)
		}
		b := r.boundOf(m)
		if r.enabled(b) && !r.passes(m, v, b) {
			return saring.Result{Outcome: saring.Drop, Reason: r.reason, Message: r.message(m, v, b)}
		}
	}
	return saring.Kept()
}

// explain is Explain's walk: every row, a disabled one passing.
func (t rules[M]) explain(m M) []saring.Check {
	out := make([]saring.Check, 0, len(t))
	for i := range t {
		r := &t[i]
		if r.skip != nil && r.skip(m) {
			continue
		}
		v := r.value(m)
		b := r.boundOf(m)
		on := r.enabled(b)
		c := saring.Check{Rule: r.reason, Value: checkValue(v), Op: r.op, Threshold: b, Pass: !on || r.passes(m, v, b)}
		if !on {
			c.Note = "disabled"
		}
		if r.note != nil {
			c.Note = r.note(m, c.Note)
		}
		out = append(out, c)
		if r.last && !c.Pass {
			break
		}
	}
	return out
}

func recordFinite(doc *saring.Document, step, name string, v float64) {
	if !math.IsNaN(v) && !math.IsInf(v, 0) {
		doc.Record(step, name, v)
	}
}

// checkValue is v as JSON can hold it: no value (NaN) is 0, and an
// infinite one the largest float.
func checkValue(v float64) float64 {
	switch {
	case math.IsNaN(v):
		return 0
	case math.IsInf(v, 1):
		return math.MaxFloat64
	case math.IsInf(v, -1):
		return -math.MaxFloat64
	}
	return v
}
