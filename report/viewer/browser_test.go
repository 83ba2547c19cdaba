package viewer

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/saring/saring/outdir"
	"github.com/saring/saring/report/internal/browsertest"
	"github.com/saring/saring/report/reporttest"
)

// TestBrowserViewer drives the viewer as a person would: list, filter by
// reason, open the removed hostile document, open a repaired one. No
// document's script may run (no dialog) and the console stays clean.
func TestBrowserViewer(t *testing.T) {
	b := browsertest.New(t)
	f := newFixture(t, reporttest.Options{Docs: 300, Compression: "zst", Seed: 9})
	base := f.srv.URL

	b.Run(t, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#docs", chromedp.ByQuery))
	if n := b.Count(t, "#docs tbody tr td.id a"); n != PageSize {
		t.Errorf("first page lists %d documents, want %d", n, PageSize)
	}

	b.Run(t,
		chromedp.SetValue(`select[name="reason"]`, "gopher_short_doc", chromedp.ByQuery),
		chromedp.Click(`button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#summary`, chromedp.ByQuery),
		chromedp.Sleep(200*time.Millisecond),
	)
	var url string
	b.Run(t, chromedp.Location(&url))
	if !strings.Contains(url, "reason=gopher_short_doc") {
		t.Fatalf("filter form went to %s", url)
	}
	var reasons []string
	b.Run(t, chromedp.Evaluate(`Array.from(document.querySelectorAll("#docs .reason")).map(e => e.textContent)`, &reasons))
	if len(reasons) == 0 {
		t.Fatal("reason filter lists nothing")
	}
	for _, r := range reasons {
		if r != "gopher_short_doc" {
			t.Errorf("reason filter lists a document removed for %q", r)
		}
	}

	// Open the hostile document from the filtered list.
	b.Run(t,
		chromedp.Click(`//td[@class="id"]/a[text()="`+reporttest.HostileID+`"]`, chromedp.BySearch),
		chromedp.WaitVisible("#docid", chromedp.ByQuery),
	)
	if got := b.Text(t, "#docid"); got != reporttest.HostileID {
		t.Errorf("opened %q", got)
	}
	if why := b.Text(t, "#why"); !strings.Contains(why, "gopher_short_doc") || !strings.Contains(why, "gopher_quality") {
		t.Errorf("removal reason box says %q", why)
	}
	if got := b.Text(t, "#text"); strings.TrimSpace(got) != reporttest.HostileText {
		t.Errorf("text shown as %q, want the markup as characters", got)
	}
	if n := b.Count(t, "script"); n != 0 {
		t.Errorf("%d script elements in the page", n)
	}

	// A repaired document shows its cut lines.
	ord := find(t, f.store, reporttest.RepairedDocID)
	b.Run(t, chromedp.Navigate(base+"/doc/"+itoa(ord)), chromedp.WaitVisible("#diff", chromedp.ByQuery))
	if n := b.Count(t, "#diff div.cut"); n < 1 {
		t.Errorf("diff shows %d cut lines", n)
	}
	if cut := b.Text(t, "#diff div.cut"); !strings.Contains(cut, "alert(4)") {
		t.Errorf("cut line reads %q", cut)
	}
	// The kept document whose text closes a <pre> and opens a script.
	b.Run(t, chromedp.Navigate(base+"/doc/"+itoa(find(t, f.store, reporttest.HostileKeptID))), chromedp.WaitVisible("#text", chromedp.ByQuery))
	if got := b.Text(t, "#text"); !strings.Contains(got, "</pre><script>alert(3)</script>") {
		t.Errorf("kept hostile text shown as %q", got)
	}
	// Search from the form.
	b.Run(t, chromedp.Navigate(base+"/?q=alert"), chromedp.WaitVisible("#summary", chromedp.ByQuery))
	if s := b.Text(t, "#summary"); !strings.Contains(s, "match(es)") {
		t.Errorf("search summary %q", s)
	}

	b.CheckClean(t)
}

// TestBrowserViewerUnfinished: every page of an unfinished run shows its
// banner above the list.
func TestBrowserViewerUnfinished(t *testing.T) {
	b := browsertest.New(t)
	f := newFixture(t, reporttest.Options{Docs: 80, Tasks: 2, Seed: 10})
	if err := os.Remove(outdir.Dir{Root: f.dir}.Done()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(f.store, nil))
	defer srv.Close()
	b.Run(t, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#unfinished", chromedp.ByQuery))
	if got := b.Text(t, "#unfinished"); !strings.Contains(got, "not finished") {
		t.Errorf("banner reads %q", got)
	}
	b.Run(t, chromedp.Navigate(srv.URL+"/doc/0"), chromedp.WaitVisible("#unfinished", chromedp.ByQuery))
	b.CheckClean(t)
}
