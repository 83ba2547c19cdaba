package viewer

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring/outdir"
	"github.com/saring/saring/report/reporttest"
)

// The viewer shows the run's token totals on every page and a document's
// token counts among its facts.
func TestViewerTokens(t *testing.T) {
	f := newFixture(t, reporttest.Options{Docs: 40, Seed: 3})
	p := filepath.Join(f.dir, "stats.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var st outdir.Stats
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	st.Tokens = map[string]*outdir.TokenStats{"token_count": {Docs: 40, Total: 1234, Kept: 1000, KeptByLanguage: map[string]int64{"id": 600, "en": 400}}}
	if err := outdir.WriteJSON(p, &st); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(f.store, nil))
	defer srv.Close()
	for _, path := range []string{"/", "/doc/0"} {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "tokens (token_count)") || !strings.Contains(string(body), "1,000 kept of 1,234 counted · id 600 · en 400") {
			t.Errorf("%s: no token totals in\n%.1500s", path, body)
		}
	}
	facts := docFacts("a b", map[string]any{"token_count": 12, "token_count_llama3": 14})
	var got []string
	for _, fa := range facts {
		got = append(got, fa.Name+"="+fa.Value)
	}
	if s := strings.Join(got, ";"); !strings.Contains(s, "tokens (token_count)=12") || !strings.Contains(s, "tokens (token_count_llama3)=14") {
		t.Errorf("facts %s", s)
	}
}
