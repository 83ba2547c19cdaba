package report_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/saring/saring/outdir"
	"github.com/saring/saring/report"
	"github.com/saring/saring/report/internal/browsertest"
	"github.com/saring/saring/report/reporttest"
)

// TestBrowserReport opens the report from disk, with no server and no
// network, and checks that its charts render and nothing complains.
func TestBrowserReport(t *testing.T) {
	b := browsertest.New(t)
	dir := t.TempDir()
	if err := reporttest.Write(dir, reporttest.Options{Docs: 400, Compression: "zst", Seed: 11}); err != nil {
		t.Fatal(err)
	}
	sum, err := report.Generate(context.Background(), report.Options{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b.Run(t, chromedp.Navigate("file://"+sum.Output), chromedp.WaitVisible("#funnel svg", chromedp.ByQuery))
	if n := b.Count(t, "svg.chart"); n < 10 {
		t.Errorf("%d charts rendered, want at least 10", n)
	}
	var w float64
	b.Run(t, chromedp.Evaluate(`document.querySelector("#funnel svg").getBoundingClientRect().width`, &w))
	if w < 300 {
		t.Errorf("funnel chart is %.0f px wide", w)
	}
	if n := b.Count(t, "#funnel svg rect.rm"); n == 0 {
		t.Error("funnel shows no removed segment")
	}
	b.CheckClean(t)
}

// TestBrowserReportUnfinished: the banner of a run without done.json shows
// at the top of the page.
func TestBrowserReportUnfinished(t *testing.T) {
	b := browsertest.New(t)
	dir := t.TempDir()
	if err := reporttest.Write(dir, reporttest.Options{Docs: 100, Tasks: 2, Seed: 12}); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(outdir.Dir{Root: dir}.Done()); err != nil {
		t.Fatal(err)
	}
	sum, err := report.Generate(context.Background(), report.Options{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b.Run(t, chromedp.Navigate("file://"+sum.Output), chromedp.WaitVisible("#unfinished", chromedp.ByQuery))
	if got := b.Text(t, "#unfinished"); !strings.Contains(got, "not finished") {
		t.Errorf("banner reads %q", got)
	}
	var top float64
	b.Run(t, chromedp.Evaluate(`document.querySelector("#unfinished").getBoundingClientRect().top`, &top))
	if top > 200 {
		t.Errorf("banner is %.0f px down the page", top)
	}
	b.CheckClean(t)
}
