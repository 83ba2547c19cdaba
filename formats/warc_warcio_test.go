package formats

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestWARCFromWarcio reads files written by warcio.js (webrecorder), an
// independent WARC writer: WARC/1.0 uncompressed and WARC/1.1 gzip, with
// chunked transfer coding, gzip/br/deflate content coding, windows-1252 and
// Shift_JIS pages, a 404, an image and non-response records.
// It needs node and npm (it runs `npm ci` in testdata/warcio once).
func TestWARCFromWarcio(t *testing.T) {
	if testing.Short() {
		t.Skip("needs node and npm; skipped with -short")
	}
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		t.Skip("node and npm are not installed: install Node.js 20+ to test against warcio.js")
	}
	dir, err := filepath.Abs("testdata/warcio")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "warcio")); err != nil {
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s failed: %v\n%s", dir, err, out)
		}
	}
	out := t.TempDir()
	cmd := exec.Command(node, "write.mjs", out)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node write.mjs failed: %v\n%s", err, b)
	}
	var want struct {
		Docs []struct {
			URL  string `json:"url"`
			Text string `json:"text"`
		} `json:"docs"`
		Skipped map[string]int64 `json:"skipped"`
	}
	b, err := os.ReadFile(filepath.Join(out, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"records.warc", "records.warc.gz"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			docs, errs, skipped := readWARCAll(t, name, data)
			if len(errs) > 0 {
				t.Fatalf("record errors: %v", errs)
			}
			if len(docs) != len(want.Docs) {
				t.Fatalf("got %d documents, want %d", len(docs), len(want.Docs))
			}
			for i, d := range docs {
				url, _ := d.Lookup("url")
				if url != want.Docs[i].URL {
					t.Errorf("doc %d: url %q, want %q", i, url, want.Docs[i].URL)
				}
				if d.Text != want.Docs[i].Text {
					t.Errorf("%s: text %q, want %q (charset %v)", url, d.Text, want.Docs[i].Text, d.Metadata["charset"])
				}
				if d.Metadata["charset_errors"] != 0 {
					t.Errorf("%s: charset_errors %v", url, d.Metadata["charset_errors"])
				}
			}
			if len(skipped) != len(want.Skipped) {
				t.Errorf("skipped %v, want %v", skipped, want.Skipped)
			}
			for k, v := range want.Skipped {
				if skipped[k] != v {
					t.Errorf("skipped[%s] = %d, want %d", k, skipped[k], v)
				}
			}
		})
	}
}
