package repair

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring"

	"github.com/saring/saring/internal/golden"
)

// Refresh the golden files with: go test ./repair -run TestGolden -update

// TestGolden runs normalize → repetition_repair → boilerplate → pii with
// default options on every testdata/*.txt page. The file name's prefix
// (id-, ms-, en-) is the page's metadata.language. The golden file holds
// the repaired text, then the metadata the steps wrote.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	steps := append(defaultChain(), NewPII(DefaultPIIOptions()))
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc := &saring.Document{ID: name, Text: string(raw)}
			doc.SetMeta("language", strings.SplitN(name, "-", 2)[0])
			res := run(t, doc, steps...)
			meta, err := json.MarshalIndent(doc.Metadata, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got := doc.Text + "\n\n#### outcome: " + res.Outcome.String() + "\n#### metadata\n" + string(meta) + "\n"
			golden.Check(t, strings.TrimSuffix(f, ".txt")+".golden", []byte(got))
		})
	}
}
