package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDetectsDialogAndErrors proves the detectors work: a page whose script
// runs must be noticed, or the viewer's "no dialog" check means nothing.
func TestDetectsDialogAndErrors(t *testing.T) {
	b := New(t)
	b.Run(t, chromedp.Navigate(`data:text/html,<p>x</p><script>console.error("boom");alert(1)</script>`),
		chromedp.Sleep(300*time.Millisecond))
	if len(b.Dialogs()) == 0 {
		t.Error("alert not detected")
	}
	if len(b.Errors()) == 0 {
		t.Error("console.error not detected")
	}
}
