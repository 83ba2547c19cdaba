package words

import (
	"os"
	"testing"
)

// TestDifferential compares with a large corpus produced by a reference
// implementation (set SARING_WORDS_DIFF to its path).
func TestDifferential(t *testing.T) {
	path := os.Getenv("SARING_WORDS_DIFF")
	if path == "" {
		t.Skip("SARING_WORDS_DIFF not set")
	}
	n, bad := replaySplitCases(t, path, 30)
	t.Logf("%d/%d differ", bad, n)
}
