package fasttext

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// linguaSentences returns every sentence of the lingua test set, in
// language order.
func linguaSentences(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.SharedFile(t, "data", "lingua-sentences"), "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skip("no lingua sentences")
	}
	var all []string
	for _, f := range files {
		all = append(all, testenv.ReadLines(t, f)...)
	}
	return all
}

// linguaDocs joins the lingua sentences of each language, per lines at a
// time, into multi-paragraph documents (newline-separated, as web text),
// in language order.
func linguaDocs(t testing.TB, per int) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.SharedFile(t, "data", "lingua-sentences"), "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skip("no lingua sentences")
	}
	var docs []string
	for _, f := range files {
		lines := testenv.ReadLines(t, f)
		for i := 0; i < len(lines); i += per {
			docs = append(docs, strings.Join(lines[i:min(i+per, len(lines))], "\n"))
		}
	}
	return docs
}

// webDocs returns the texts of the web corpus (scripts/get-webcorpus.sh:
// $SARING_WEBCORPUS, else /tmp/saring-bench/webcorpus/web.jsonl.zst), the
// Debian handbook and reference in 26 languages, in file order; nil when
// it is absent.
func webDocs(t testing.TB) []string {
	t.Helper()
	path := os.Getenv("SARING_WEBCORPUS")
	if path == "" {
		path = filepath.Join(os.TempDir(), "saring-bench", "webcorpus", "web.jsonl.zst")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	zr, err := zstd.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<26)
	var docs []string
	for sc.Scan() {
		var r struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, r.Text)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return docs
}
