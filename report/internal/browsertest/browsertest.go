// Package browsertest drives a headless Chromium for the report's and the
// viewer's browser tests, recording what a person would notice: console
// errors, uncaught exceptions and dialogs (an alert means a document's
// script ran).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium tab with its recorded events.
type Browser struct {
	Ctx context.Context

	mu      sync.Mutex
	errors  []string
	dialogs []string
}

// Find returns the Chromium binary: $SARING_CHROMIUM, else the usual names.
func Find() string {
	if p := os.Getenv("SARING_CHROMIUM"); p != "" {
		return p
	}
	for _, n := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// New starts Chromium or skips the test when there is none.
func New(t testing.TB) *Browser {
	t.Helper()
	bin := Find()
	if bin == "" {
		t.Skip("chromium not found (apt-get install -y chromium, or set SARING_CHROMIUM): browser test skipped")
	}
	// Not t.TempDir: Chromium may still be writing its profile when the
	// test ends, and TempDir's cleanup fails the test on that.
	profile, err := os.MkdirTemp("", "saring-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	b := &Browser{Ctx: ctx}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			b.add(&b.errors, "exception: "+e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeAssert {
				b.add(&b.errors, "console."+string(e.Type))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError {
				b.add(&b.errors, "log: "+e.Entry.Text)
			}
		case *page.EventJavascriptDialogOpening:
			b.add(&b.dialogs, string(e.Type)+": "+e.Message)
			go func() { // a dialog blocks the page until answered
				_ = chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
					return page.HandleJavaScriptDialog(false).Do(ctx)
				}))
			}()
		}
	})
	if err := chromedp.Run(ctx, log.Enable(), runtime.Enable()); err != nil {
		t.Fatalf("start chromium (%s): %v", bin, err)
	}
	return b
}

func (b *Browser) add(to *[]string, s string) {
	b.mu.Lock()
	*to = append(*to, s)
	b.mu.Unlock()
}

// Errors returns the console errors and exceptions seen so far.
func (b *Browser) Errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// Dialogs returns the dialogs (alert, confirm, prompt) opened so far.
func (b *Browser) Dialogs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.dialogs...)
}

// CheckClean fails t if any dialog opened (a document's script ran) or
// the console logged an error.
func (b *Browser) CheckClean(t testing.TB) {
	t.Helper()
	if d := b.Dialogs(); len(d) > 0 {
		t.Errorf("a script ran: dialogs %q", d)
	}
	if e := b.Errors(); len(e) > 0 {
		t.Errorf("console errors: %q", e)
	}
}

// Run runs actions in the tab.
func (b *Browser) Run(t testing.TB, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(b.Ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Count returns how many nodes match a CSS selector.
func (b *Browser) Count(t testing.TB, sel string) int {
	t.Helper()
	var nodes []*cdp.Node
	b.Run(t, chromedp.Nodes(sel, &nodes, chromedp.ByQueryAll, chromedp.AtLeast(0)))
	return len(nodes)
}

// Text returns the text content of the first node matching sel.
func (b *Browser) Text(t testing.TB, sel string) string {
	t.Helper()
	var s string
	b.Run(t, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}
