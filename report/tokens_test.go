package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/saring/saring/outdir"
)

// Token totals in stats.json are among the run facts: kept of counted, then
// the languages with the most kept tokens.
func TestReportTokenFacts(t *testing.T) {
	st := &outdir.Stats{Tokens: map[string]*outdir.TokenStats{
		"token_count": {Docs: 3, Total: 1200, Kept: 1000, RemovedByStep: map[string]int64{"minhash": 200},
			KeptByLanguage: map[string]int64{"id": 700, "en": 300}},
	}}
	var buf bytes.Buffer
	if err := Render(&buf, "out", st, newScan()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "tokens (token_count)") || !strings.Contains(buf.String(), "1,000 kept of 1,200 counted · id 700 · en 300") {
		t.Errorf("no token facts in the report")
	}
}
