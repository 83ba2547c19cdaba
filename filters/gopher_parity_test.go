package filters

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/saring/saring"
)

// TestGopherParity compares decisions with a JSONL file of documents and
// the reasons datatrove's Gopher filters give them (fields: lang, auto,
// text, quality, repetition; "" means kept). Set SARING_GOPHER_PARITY to
// its path; without it the test is skipped.
func TestGopherParity(t *testing.T) {
	path := os.Getenv("SARING_GOPHER_PARITY")
	if path == "" {
		t.Skip("SARING_GOPHER_PARITY not set")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	steps := map[bool][2]saring.Step{}
	for _, auto := range []bool{false, true} {
		qo, ro := DefaultGopherQualityOptions(), DefaultGopherRepetitionOptions()
		qo.Language, ro.Language = "auto", "auto"
		if auto {
			qo.LanguageParams, ro.LanguageParams = "auto", "auto"
		}
		q, _ := NewGopherQuality(qo)
		r, _ := NewGopherRepetition(ro)
		steps[auto] = [2]saring.Step{q, r}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<26)
	var n, agreeQ, agreeR int
	for sc.Scan() {
		var c struct {
			Lang       string
			Auto       bool
			Text       string
			Quality    string
			Repetition string
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		doc := &saring.Document{Text: c.Text}
		doc.SetMeta("language", c.Lang)
		s := steps[c.Auto]
		rq, _ := s[0].Process(context.Background(), doc)
		rr, _ := s[1].Process(context.Background(), doc)
		if rq.Reason == c.Quality {
			agreeQ++
		} else if n-agreeQ <= 5 {
			t.Errorf("quality %s: got %q (%s), want %q", c.Lang, rq.Reason, rq.Message, c.Quality)
		}
		if rr.Reason == c.Repetition {
			agreeR++
		} else if n-agreeR <= 5 {
			t.Errorf("repetition %s: got %q (%s), want %q", c.Lang, rr.Reason, rr.Message, c.Repetition)
		}
	}
	t.Logf("%d documents: gopher_quality agrees on %d (%.4f), gopher_repetition on %d (%.4f)",
		n, agreeQ, float64(agreeQ)/float64(n), agreeR, float64(agreeR)/float64(n))
}
