package repair

import (
	"os"
	"strings"
	"testing"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/testenv"
)

// The shared example is a scraped news page whose body appears twice (the
// second copy without its first sentence), with a "Baca juga" link, a source
// line and a copyright line in each copy. After repair every paragraph must
// appear exactly once and the furniture must be gone.
func TestAntaraExample(t *testing.T) {
	raw, err := os.ReadFile(testenv.SharedFile(t, "examples", "antara-news-scraped.txt"))
	if err != nil {
		t.Skipf("example not available: %v", err)
	}
	doc := &saring.Document{ID: "antara", Text: string(raw)}
	if r := run(t, doc, defaultChain()...); r.Outcome != saring.Rewrite {
		t.Fatalf("outcome %v (%s), want rewrite", r.Outcome, r.Message)
	}
	for _, para := range strings.Split(string(raw), "\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		boiler := strings.HasPrefix(para, "Baca juga") || strings.HasPrefix(para, "Sumber:") || strings.HasPrefix(para, "COPYRIGHT")
		got := strings.Count(doc.Text, para)
		switch {
		case boiler && got != 0:
			t.Errorf("boilerplate line kept: %q", para)
		case !boiler && got != 1:
			t.Errorf("paragraph appears %d times, want 1: %q", got, para)
		}
	}
	if _, ok := doc.Meta("repairs"); !ok {
		t.Error("metadata.repairs not set")
	}
	t.Logf("repaired text:\n%s", doc.Text)
	t.Logf("metadata: %v", doc.Metadata)
}
