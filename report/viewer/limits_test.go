package viewer

import (
	"context"
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/saring/saring"
)

// A page offset past any output (the largest int64) does not overflow the
// page arithmetic.
func TestParseQueryClampsOffsets(t *testing.T) {
	q := parseQuery(url.Values{"p": {strconv.FormatInt(math.MaxInt64, 10)}, "c": {"-5"}})
	if q.P != maxOffset || q.C != 0 || q.P+PageSize < q.P {
		t.Fatalf("%+v", q)
	}
}

// Explain refuses documents over the limit, and returns at its deadline
// while a step ignores its context, holding at most ExplainSlots slots.
func TestExplainBounded(t *testing.T) {
	release := make(chan struct{})
	h := &Handler{Explain: func(ctx context.Context, doc *saring.Document) ([]StepExplain, error) {
		<-release // a step that never looks at ctx
		return nil, nil
	}}
	big := &saring.Document{Text: strings.Repeat("a", MaxExplainBytes+1)}
	if _, err := h.explain(context.Background(), big); err == nil || !strings.Contains(err.Error(), "up to") {
		t.Fatalf("big document: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	for i := 0; i < ExplainSlots+2; i++ {
		if _, err := h.explain(ctx, &saring.Document{Text: "x"}); err == nil {
			t.Fatalf("request %d returned no error", i)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("stuck explains held requests for %v", d)
	}
	if n := len(explainSlots); n > ExplainSlots {
		t.Errorf("%d slots taken", n)
	}
	close(release)
	deadline := time.Now().Add(2 * time.Second)
	for len(explainSlots) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(explainSlots) != 0 {
		t.Errorf("slots not given back")
	}
}
