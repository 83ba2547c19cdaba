package viewer

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saring/saring"
	"github.com/saring/saring/formats"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/report"
	"github.com/saring/saring/report/reporttest"
)

type fixture struct {
	dir   string
	stats *outdir.Stats
	store *Store
	srv   *httptest.Server
}

func newFixture(t *testing.T, o reporttest.Options) *fixture {
	t.Helper()
	dir := t.TempDir()
	if err := reporttest.Write(dir, o); err != nil {
		t.Fatal(err)
	}
	st, _, err := report.LoadStats(dir)
	if err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(dir, ".index")
	man, built, err := Open(context.Background(), dir, idx)
	if err != nil || !built {
		t.Fatalf("build index: built=%v err=%v", built, err)
	}
	s, err := OpenStore(dir, idx, man)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	srv := httptest.NewServer(NewHandler(s, nil))
	t.Cleanup(srv.Close)
	return &fixture{dir: dir, stats: st, store: s, srv: srv}
}

func (f *fixture) get(t *testing.T, path string) (string, *http.Response) {
	t.Helper()
	resp, err := http.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp
}

func TestIndexCounts(t *testing.T) {
	for _, comp := range []string{"", "gz", "zst"} {
		t.Run("compression="+comp, func(t *testing.T) {
			f := newFixture(t, reporttest.Options{Docs: 700, PerFile: 250, Compression: comp, Seed: 5})
			m := f.store.Man
			if m.SetDocs[report.Kept] != f.stats.Totals.Kept || m.SetDocs[report.Removed] != f.stats.Totals.Removed ||
				m.SetDocs[report.Rejected] != f.stats.Totals.Rejected {
				t.Fatalf("index sets %v, stats %+v", m.SetDocs, f.stats.Totals)
			}
			// Every record reads back as the JSON document it points at.
			seen := map[string]bool{}
			for ord := int64(0); ord < m.Docs; ord++ {
				r, err := f.store.Rec(ord)
				if err != nil {
					t.Fatal(err)
				}
				raw, err := f.store.Raw(r)
				if err != nil {
					t.Fatal(err)
				}
				var d struct {
					ID string `json:"id"`
				}
				if err := json.Unmarshal(raw, &d); err != nil {
					t.Fatalf("record %d: %v: %q", ord, err, raw)
				}
				if r.Set != report.Rejected {
					if seen[d.ID] {
						t.Fatalf("id %s twice", d.ID)
					}
					seen[d.ID] = true
				}
			}
			// Per step and reason counts agree with stats.json.
			for _, s := range f.stats.Steps {
				for reason, n := range s.ByReason {
					sel, err := f.store.Select(Filter{Set: -1, Step: lookup(m.Steps, s.Name), Reason: lookup(m.Reasons, reason), Lang: -1, MinScore: math.NaN(), MaxScore: math.NaN()})
					if err != nil {
						t.Fatal(err)
					}
					if sel.Len() != n {
						t.Errorf("%s/%s: index selects %d, stats say %v", s.Name, reason, sel.Len(), n)
					}
				}
			}
		})
	}
}

func TestIndexFreshness(t *testing.T) {
	f := newFixture(t, reporttest.Options{Docs: 100, Seed: 1})
	idx := filepath.Join(f.dir, ".index")
	if _, built, err := Open(context.Background(), f.dir, idx); err != nil || built {
		t.Fatalf("second open rebuilt the index (built=%v, err=%v)", built, err)
	}
	files, err := report.ListOutputs(f.dir)
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	p := files[0].Path
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	if _, built, err := Open(context.Background(), f.dir, idx); err != nil || !built {
		t.Fatalf("changed output did not rebuild the index (built=%v, err=%v)", built, err)
	}
}

func TestListAndFilter(t *testing.T) {
	f := newFixture(t, reporttest.Options{Docs: 400, Compression: "zst", Seed: 2})
	body, resp := f.get(t, "/")
	if resp.StatusCode != 200 || !strings.Contains(body, "documents 1–50 of") {
		t.Fatalf("list: %d %s", resp.StatusCode, body[:min(len(body), 300)])
	}
	if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'") || strings.Contains(got, "script-src") {
		t.Errorf("CSP = %q", got)
	}
	body, _ = f.get(t, "/?reason=gopher_short_doc")
	if !strings.Contains(body, HostileID()) {
		t.Error("reason filter does not list the hostile document")
	}
	if strings.Contains(body, "language_not_allowed</span>") {
		t.Error("reason filter lists another reason")
	}
	// The set filter's pages cover every document exactly once.
	n := 0
	for p := 0; ; p += PageSize {
		body, _ := f.get(t, "/?set=kept&p="+itoa(p))
		c := strings.Count(body, `<span class="badge kept">`)
		n += c
		if c < PageSize {
			break
		}
	}
	if int64(n) != f.stats.Totals.Kept {
		t.Errorf("paged through %d kept documents, want %v", n, f.stats.Totals.Kept)
	}
	body, _ = f.get(t, "/?set=kept&lang=en&min=0.9")
	if strings.Contains(body, `<td>id</td>`) {
		t.Error("language filter lists an Indonesian document")
	}
	body, _ = f.get(t, "/?repaired=1")
	if !strings.Contains(body, reporttest.RepairedDocID) {
		t.Error("repaired filter misses the repaired document")
	}
}

func TestSearch(t *testing.T) {
	f := newFixture(t, reporttest.Options{Docs: 300, Seed: 4})
	sel, _ := f.store.Select(Any())
	for _, q := range []string{"HUJAN", "Tahun", "ALERT(1)", "doc-repaired"} {
		res, err := f.store.Search(context.Background(), sel, q, 0, 1000, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Errorf("%q: no hits", q)
		}
		if res.Next != sel.Len() {
			t.Errorf("%q: scan stopped at %d of %d", q, res.Next, sel.Len())
		}
	}
	res, _ := f.store.Search(context.Background(), sel, "zzzz-not-there", 0, 10, time.Minute)
	if len(res.Hits) != 0 {
		t.Errorf("found %d hits for a word not in the corpus", len(res.Hits))
	}
	// Paging: a small limit hands back a cursor that continues the scan.
	first, _ := f.store.Search(context.Background(), sel, "hujan", 0, 3, time.Minute)
	second, _ := f.store.Search(context.Background(), sel, "hujan", first.Next, 3, time.Minute)
	if len(first.Hits) != 3 || len(second.Hits) == 0 || second.Hits[0].Ord <= first.Hits[2].Ord {
		t.Errorf("search paging broken: %d then %d hits", len(first.Hits), len(second.Hits))
	}
	body, _ := f.get(t, "/?q=hujan")
	if !strings.Contains(body, "match(es)") {
		t.Error("search page lacks its summary")
	}
}

func TestDocPageEscapes(t *testing.T) {
	f := newFixture(t, reporttest.Options{Docs: 50, Seed: 1})
	ord := find(t, f.store, HostileID())
	body, resp := f.get(t, "/doc/"+itoa(ord))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if strings.Contains(body, "<script>") {
		t.Error("document page contains a raw <script> tag")
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "gopher_short_doc", "Why it was removed"} {
		if !strings.Contains(body, want) {
			t.Errorf("document page lacks %q", want)
		}
	}
	raw, resp := f.get(t, "/raw/"+itoa(ord))
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("raw served as %q", ct)
	}
	if !strings.Contains(raw, reporttest.HostileText) {
		t.Error("raw line lacks the text")
	}
	// The repaired document shows the cut line, escaped, in the diff.
	body, _ = f.get(t, "/doc/"+itoa(find(t, f.store, reporttest.RepairedDocID)))
	if !strings.Contains(body, `class="cut"`) || !strings.Contains(body, "Baca juga: &lt;script&gt;alert(4)") {
		t.Error("repaired document lacks its diff")
	}
	for _, path := range []string{"/doc/999999", "/doc/-1", "/doc/x", "/raw/999999"} {
		if _, resp := f.get(t, path); resp.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestHostHeader(t *testing.T) {
	f := newFixture(t, reporttest.Options{Docs: 20, Seed: 1})
	req, _ := http.NewRequest("GET", f.srv.URL+"/", nil)
	req.Host = "evil.example:8080"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host header: status %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("POST", f.srv.URL+"/", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", resp.StatusCode)
	}
}

func HostileID() string { return reporttest.HostileID }

func itoa(i int) string {
	return strings.TrimSpace(strings.Replace(report.Int(float64(i)), ",", "", -1))
}

// find returns the ordinal of the document with this id.
func find(t *testing.T, s *Store, id string) int {
	t.Helper()
	sel, _ := s.Select(Any())
	res, err := s.Search(context.Background(), sel, id, 0, 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ID == id {
			return int(h.Ord)
		}
	}
	t.Fatalf("document %s not found", id)
	return 0
}

func TestParquetOutputs(t *testing.T) {
	dir := t.TempDir()
	for _, set := range []string{"kept", "removed"} {
		w, err := formats.NewShardWriter(filepath.Join(dir, set), "parquet", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 30; i++ {
			d := &saring.Document{ID: set + "-" + itoa(i), Text: "teks <b>" + set + "</b>\nbaris dua"}
			d.SetMeta("language", "id")
			d.SetMeta("language_score", 0.9)
			if set == "removed" {
				d.SetMeta("removed", map[string]any{"step": "gopher_quality", "reason": "gopher_short_doc", "message": "too short"})
			}
			if err := w.Write(d); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	idx := filepath.Join(dir, ".index")
	man, _, err := Open(context.Background(), dir, idx)
	if err != nil {
		t.Fatal(err)
	}
	if man.SetDocs[report.Kept] != 30 || man.SetDocs[report.Removed] != 30 {
		t.Fatalf("indexed %v documents, want 30 kept and 30 removed", man.SetDocs)
	}
	s, err := OpenStore(dir, idx, man)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sel, _ := s.Select(Filter{Set: -1, Step: -1, Reason: lookup(man.Reasons, "gopher_short_doc"), Lang: lookup(man.Langs, "id"), MinScore: 0.5, MaxScore: math.NaN()})
	if sel.Len() != 30 {
		t.Errorf("reason filter on Parquet outputs selects %d, want 30", sel.Len())
	}
	hits, err := s.Page(sel, 0, 5)
	if err != nil || len(hits) != 5 || hits[0].ID != "removed-0" {
		t.Fatalf("page: %v %+v", err, hits)
	}
}

func TestRecsOf(t *testing.T) {
	f := newFixture(t, reporttest.Options{Docs: 300, Seed: 8})
	n := f.store.Man.Docs
	sels := []*Selection{{lo: 5, n: n - 10}, {ords: []uint32{0, 1, 2, 40, 41, uint32(n - 1)}}, {ords: []uint32{3, 200}}}
	for si, sel := range sels {
		for _, chunk := range []int64{1, 2, 4, 1024} {
			for i := int64(0); i < sel.Len(); i += chunk {
				got, err := f.store.recsOf(sel, i, chunk)
				if err != nil {
					t.Fatal(err)
				}
				for k, r := range got {
					want, _ := f.store.Rec(sel.At(i + int64(k)))
					if math.IsNaN(float64(r.Score)) && math.IsNaN(float64(want.Score)) {
						r.Score, want.Score = 0, 0
					}
					if r != want {
						t.Fatalf("selection %d, chunk %d, position %d: got %+v want %+v", si, chunk, i+int64(k), r, want)
					}
				}
			}
		}
	}
}

func TestExplainView(t *testing.T) {
	f := newFixture(t, reporttest.Options{Docs: 30, Seed: 1})
	var seen string
	explain := func(ctx context.Context, d *saring.Document) ([]StepExplain, error) {
		seen = d.Text
		return []StepExplain{{Step: "gopher_quality", Outcome: "drop", Reason: "gopher_short_doc",
			Checks: []saring.Check{{Rule: "<b>words</b>", Value: 4, Op: ">=", Threshold: 50, Pass: false}}}}, nil
	}
	srv := httptest.NewServer(NewHandler(f.store, explain))
	defer srv.Close()
	g := &fixture{srv: srv}
	ord := itoa(find(t, f.store, HostileID()))
	body, _ := g.get(t, "/doc/"+ord)
	if !strings.Contains(body, "explain=1") || strings.Contains(body, `id="explain"`) {
		t.Error("explain link missing, or explain ran without being asked")
	}
	body, _ = g.get(t, "/doc/"+ord+"?explain=1")
	for _, want := range []string{`id="explain"`, `class="fail"`, "&lt;b&gt;words&lt;/b&gt;", "<td>50</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("explain view lacks %q", want)
		}
	}
	if seen != reporttest.HostileText {
		t.Errorf("explain saw text %q", seen)
	}
}
