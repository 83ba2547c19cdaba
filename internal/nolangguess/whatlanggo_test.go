package whatlanggo

import "testing"

func TestUnknown(t *testing.T) {
	if got := DetectLang("Bank Indonesia menahan suku bunga").Iso6391(); got != "" {
		t.Fatalf("got %q", got)
	}
}
