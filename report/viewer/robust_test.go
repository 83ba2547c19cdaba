package viewer

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/saring/saring/report"
)

// TestDamagedOutputs: garbage lines, wrong types, a document larger than a
// batch, and a truncated compressed file are all indexed and shown as far
// as they can be read; nothing fails the whole viewer or the report.
func TestDamagedOutputs(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("kata panjang ", 40000) // ~520 KB, several batches' worth
	kept := strings.Join([]string{
		`{"id":"ok","text":"baik","metadata":{"language":"id","language_score":0.9}}`,
		`not json at all <script>alert(1)</script>`,
		`{"id":5,"text":["x"],"metadata":"str"}`,
		``,
		`{"id":"big","text":"` + big + `","metadata":{"repairs":[{"step":"r","line":"bad"},{"step":"r","line":99,"text":"x"}]}}`,
		`{"id":"utf8","text":"Indonesia \u00e9 日本 \ud83d\ude00","metadata":{"removed":"nope","language_score":"high"}}`,
		`[1,2,3]`,
	}, "\n") + "\n"
	mustWrite(t, filepath.Join(dir, "kept", "part-00000.jsonl"), []byte(kept))
	var zbuf bytes.Buffer
	zw, _ := zstd.NewWriter(&zbuf)
	for i := 0; i < 2000; i++ {
		b, _ := json.Marshal(map[string]any{"id": i, "text": strings.Repeat("teks ", 50), "metadata": map[string]any{"removed": map[string]any{"step": "s", "reason": "r"}}})
		zw.Write(append(b, '\n'))
	}
	zw.Close()
	z := zbuf.Bytes()
	mustWrite(t, filepath.Join(dir, "removed", "part-00000.jsonl.zst"), z[:len(z)*2/3]) // truncated
	mustWrite(t, filepath.Join(dir, "rejected", "part-00000.jsonl"), []byte(`{"file":"a","line":1,"error":"bad","raw":"<b>x"}`+"\n"))
	mustWrite(t, filepath.Join(dir, "stats.json"), []byte(`{"totals":{"read":"x"}}`))

	idx := filepath.Join(dir, ".index")
	man, _, err := Open(context.Background(), dir, idx)
	if err != nil {
		t.Fatal(err)
	}
	if man.SetDocs[report.Kept] != 6 {
		t.Errorf("kept: indexed %d records, want 6", man.SetDocs[report.Kept])
	}
	if man.SetDocs[report.Removed] == 0 || man.SetDocs[report.Removed] >= 2000 {
		t.Errorf("truncated file: indexed %d records, want some but not all", man.SetDocs[report.Removed])
	}
	var noted bool
	for _, f := range man.Files {
		noted = noted || f.Error != ""
	}
	if !noted {
		t.Error("truncated file not noted in the manifest")
	}
	s, err := OpenStore(dir, idx, man)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(NewHandler(s, nil))
	defer srv.Close()
	f := &fixture{dir: dir, store: s, srv: srv}
	for ord := int64(0); ord < man.Docs; ord += max(1, man.Docs/50) {
		body, resp := f.get(t, "/doc/"+itoa(int(ord)))
		if resp.StatusCode != 200 {
			t.Errorf("doc %d: status %d", ord, resp.StatusCode)
		}
		if strings.Contains(body, "<script>alert") {
			t.Errorf("doc %d: unescaped script", ord)
		}
	}
	for _, q := range []string{"/", "/?set=kept", "/?q=kata", "/?q=%E6%97%A5%E6%9C%AC", "/?min=x&max=y&p=-4&c=zz", "/?lang=nope", "/?set=rejected"} {
		if _, resp := f.get(t, q); resp.StatusCode != 200 {
			t.Errorf("%s: status %d", q, resp.StatusCode)
		}
	}
	body, _ := f.get(t, "/?q=%E6%97%A5%E6%9C%AC")
	if !strings.Contains(body, "utf8") {
		t.Error("non-ASCII search misses the document")
	}
	sum, err := report.Generate(context.Background(), report.Options{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Warnings) == 0 {
		t.Error("report has no warning for the damaged inputs")
	}
}

func mustWrite(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// FuzzParseRecord: any line yields an index entry without panicking.
func FuzzParseRecord(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"b","metadata":{"language":"id","language_score":0.5,"removed":{"step":"s","reason":"r"},"repairs":[{}],"minhash_cluster_size":3}}`))
	f.Add([]byte(`{"metadata":{"language_score":"x","removed":[]}}`))
	f.Add([]byte(`{"file":"f","error":"line 3: bad"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, set := range report.Sets {
			_ = parseRecord(set, b)
		}
	})
}

// FuzzRepairDiff: any repairs list rebuilds a text with every kept line
// in order and every cut line present once.
func FuzzRepairDiff(f *testing.F) {
	f.Add("a\nb\nc", []byte(`[{"step":"s","line":1,"text":"x"},{"step":"t","line":0,"text":"y"}]`))
	f.Add("", []byte(`[{"line":-1},{"line":1e9}]`))
	f.Fuzz(func(t *testing.T, kept string, reps []byte) {
		var v any
		if json.Unmarshal(reps, &v) != nil {
			return
		}
		rs := ParseRepairs(v)
		if len(rs) > 1000 {
			return
		}
		lines := RepairDiff(kept, rs)
		var keptBack []string
		cut := 0
		for _, l := range lines {
			if l.Removed {
				cut++
			} else {
				keptBack = append(keptBack, l.Text)
			}
		}
		if strings.Join(keptBack, "\n") != kept || cut != len(rs) {
			t.Fatalf("diff lost lines: kept %q back as %q, %d of %d cut lines", kept, keptBack, cut, len(rs))
		}
	})
}
