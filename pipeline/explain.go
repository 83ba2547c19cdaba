package pipeline

import (
	"context"
	"strings"

	"github.com/saring/saring"
)

// StepExplanation is what one step did to one document and why.
type StepExplanation struct {
	Step         string         `json:"step"`
	Outcome      string         `json:"outcome"` // keep, rewrite, drop, skipped
	Reason       string         `json:"reason,omitempty"`
	Message      string         `json:"message,omitempty"`
	Checks       []saring.Check `json:"checks,omitempty"`
	CharsBefore  int            `json:"chars_before"`
	CharsAfter   int            `json:"chars_after"`
	RemovedLines []string       `json:"removed_lines,omitempty"`
	AfterDrop    bool           `json:"after_drop,omitempty"` // evaluated for information after an earlier step dropped the document
	Note         string         `json:"note,omitempty"`
}

// Explanation is a document's way through a pipeline.
type Explanation struct {
	ID        string            `json:"id"`
	Source    string            `json:"source"`
	Verdict   string            `json:"verdict"` // kept or removed
	RemovedBy string            `json:"removed_by,omitempty"`
	Steps     []StepExplanation `json:"steps"`
	Text      string            `json:"text"` // the text as the last step left it
}

// Explain runs steps over doc one by one, recording every rule's value for
// steps that can tell (saring.Explainer). Steps after a drop are still
// evaluated, marked AfterDrop, so a user sees every rule a document fails.
// Corpus-wide steps cannot judge one document alone and are skipped.
func Explain(ctx context.Context, steps []saring.Step, doc *saring.Document) (*Explanation, error) {
	ex := &Explanation{ID: doc.ID, Source: doc.Source.String(), Verdict: "kept"}
	for _, s := range steps {
		se := StepExplanation{Step: s.Name(), CharsBefore: len(doc.Text), AfterDrop: ex.RemovedBy != ""}
		if _, ok := s.(saring.CorpusStep); ok {
			se.Outcome = "skipped"
			se.Note = "needs the whole corpus; not evaluated on one document"
			se.CharsAfter = len(doc.Text)
			ex.Steps = append(ex.Steps, se)
			continue
		}
		if e, ok := s.(saring.Explainer); ok {
			checks, err := e.Explain(ctx, doc)
			if err != nil {
				return nil, err
			}
			se.Checks = checks
		}
		before := doc.Text
		res, err := s.Process(ctx, doc)
		if err != nil {
			return nil, err
		}
		doc.Measures = doc.Measures[:0]
		se.Outcome, se.Reason, se.Message = res.Outcome.String(), res.Reason, res.Message
		se.CharsAfter = len(doc.Text)
		if doc.Text != before {
			se.RemovedLines = removedLines(before, doc.Text)
		}
		if res.Outcome == saring.Drop && ex.RemovedBy == "" {
			ex.Verdict, ex.RemovedBy = "removed", s.Name()
		}
		ex.Steps = append(ex.Steps, se)
	}
	ex.Text = doc.Text
	return ex, nil
}

// removedLines lists the lines of before that after no longer has (as a
// multiset: a line kept once but present twice before counts once).
func removedLines(before, after string) []string {
	have := map[string]int{}
	for _, l := range strings.Split(after, "\n") {
		have[strings.TrimSpace(l)]++
	}
	var out []string
	for _, l := range strings.Split(before, "\n") {
		t := strings.TrimSpace(l)
		if have[t] > 0 {
			have[t]--
			continue
		}
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}
