package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saring/saring/storage"
	"github.com/saring/saring/storage/miniotest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	miniotest.StopShared()
	os.Exit(code)
}

func putObject(t *testing.T, name, body string) {
	t.Helper()
	w, err := storage.Create(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(body))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func inputPaths(ins []Input) string {
	var s []string
	for _, in := range ins {
		s = append(s, in.Path)
	}
	return strings.Join(s, "\n")
}

// An s3:// prefix is listed as a directory is walked: recursively, sorted,
// known formats only, hidden names and the output directory passed over,
// sizes from the listing.
func TestInputsS3Prefix(t *testing.T) {
	srv := miniotest.Shared(t)
	srv.Env(t)
	storage.ResetS3()
	t.Cleanup(storage.ResetS3)
	if err := srv.MakeBucket("inputs"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{
		"crawl/b/2.jsonl.zst", "crawl/a.jsonl", "crawl/a/1.warc.gz", "crawl/notes.csv",
		"crawl/.hidden.jsonl", "crawl/.cache/x.jsonl", "crawl/out/kept/part-00000.jsonl",
		"crawl/z.parquet", "crawl.jsonl", "crawler/y.jsonl",
	} {
		putObject(t, "s3://inputs/"+k, k)
	}
	ins, err := ExpandInputs([]string{"s3://inputs/crawl"}, "auto", "s3://inputs/crawl/out")
	if err != nil {
		t.Fatal(err)
	}
	want := "s3://inputs/crawl/a.jsonl\ns3://inputs/crawl/a/1.warc.gz\ns3://inputs/crawl/b/2.jsonl.zst\ns3://inputs/crawl/z.parquet"
	if got := inputPaths(ins); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	for _, in := range ins {
		if in.Size != int64(len(strings.TrimPrefix(in.Path, "s3://inputs/"))) {
			t.Fatalf("%s: size %d", in.Path, in.Size)
		}
	}
	// One object by name; a glob; a format set explicitly takes every name.
	ins, err = ExpandInputs([]string{"s3://inputs/crawl.jsonl", "s3://inputs/crawl/*.jsonl"}, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if got := inputPaths(ins); got != "s3://inputs/crawl.jsonl\ns3://inputs/crawl/.hidden.jsonl\ns3://inputs/crawl/a.jsonl" {
		t.Fatalf("object and glob: %s", got)
	}
	ins, err = ExpandInputs([]string{"s3://inputs/crawl/"}, "jsonl", "s3://inputs/crawl/out/")
	if err != nil || len(ins) != 5 {
		t.Fatalf("explicit format: %v\n%s", err, inputPaths(ins))
	}
	if _, err := ExpandInputs([]string{"s3://inputs/nothing/"}, "auto"); err == nil {
		t.Fatal("an empty prefix gave inputs")
	}

	// A paths file on S3, gzip-compressed, with relative lines joined to
	// the paths file's prefix.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("# a comment\ncrawl/a.jsonl\n\ns3://inputs/crawl/b/2.jsonl.zst\n"))
	zw.Close()
	putObject(t, "s3://inputs/warc.paths.gz", gz.String())
	ins, err = ExpandInputs([]string{"@s3://inputs/warc.paths.gz"}, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if got := inputPaths(ins); got != "s3://inputs/crawl/a.jsonl\ns3://inputs/crawl/b/2.jsonl.zst" || ins[0].Size != 13 {
		t.Fatalf("paths file: %s %v", got, ins)
	}
}

// A local paths file of web URLs, relative lines under SARING_PATHS_BASE,
// and local paths; a missing entry names its line.
func TestInputsPathsFile(t *testing.T) {
	files := map[string]string{"/crawl-data/CC-X/segments/1/warc/a.warc.gz": "aaaa", "/b.jsonl": "bb"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, "", time.Time{}, strings.NewReader(body))
	}))
	defer srv.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "local.jsonl"), []byte("{}\n"), 0o644)
	paths := filepath.Join(dir, "paths.txt")
	os.WriteFile(paths, []byte("crawl-data/CC-X/segments/1/warc/a.warc.gz\n"+srv.URL+"/b.jsonl\n"+filepath.Join(dir, "local.jsonl")+"\n"), 0o644)
	t.Setenv(PathsBaseEnv, srv.URL+"/")
	ins, err := ExpandInputs([]string{"@" + paths}, "auto")
	if err != nil {
		t.Fatal(err)
	}
	want := srv.URL + "/crawl-data/CC-X/segments/1/warc/a.warc.gz\n" + srv.URL + "/b.jsonl\n" + filepath.Join(dir, "local.jsonl")
	if got := inputPaths(ins); got != want || ins[0].Size != 4 || ins[1].Size != 2 || ins[2].Size != 3 {
		t.Fatalf("got %v", ins)
	}
	os.WriteFile(paths, []byte(srv.URL+"/b.jsonl\n"+srv.URL+"/missing.jsonl\n"), 0o644)
	_, err = ExpandInputs([]string{"@" + paths}, "auto")
	if err == nil || !strings.Contains(err.Error(), "paths.txt:2:") || !strings.Contains(err.Error(), "/missing.jsonl") {
		t.Fatalf("missing entry: %v", err)
	}
	// Relative to the paths file's directory when no base is set.
	t.Setenv(PathsBaseEnv, "")
	os.WriteFile(paths, []byte("local.jsonl\n"), 0o644)
	ins, err = ExpandInputs([]string{"@" + paths}, "auto")
	if err != nil || inputPaths(ins) != filepath.Join(dir, "local.jsonl") {
		t.Fatalf("relative to the paths file: %v %v", ins, err)
	}
}

func TestInputsPathsLineResolution(t *testing.T) {
	t.Setenv(PathsBaseEnv, "")
	for _, c := range [][3]string{
		{"warc.paths.gz", "crawl-data/CC-MAIN-2024-10/segments/s/warc/x.warc.gz", "https://data.commoncrawl.org/crawl-data/CC-MAIN-2024-10/segments/s/warc/x.warc.gz"},
		{"s3://b/lists/p.txt", "x/y.jsonl", "s3://b/lists/x/y.jsonl"},
		{"https://h/lists/p.txt", "y.jsonl", "https://h/lists/y.jsonl"},
		{"lists/p.txt", "s3://b/k.jsonl", "s3://b/k.jsonl"},
		{"lists/p.txt", "/abs/k.jsonl", "/abs/k.jsonl"},
		{"lists/p.txt", "k.jsonl", "lists/k.jsonl"},
	} {
		if got := resolvePathsLine(c[0], c[1]); got != c[2] {
			t.Errorf("%s: %s → %s, want %s", c[0], c[1], got, c[2])
		}
	}
	t.Setenv(PathsBaseEnv, "s3://commoncrawl/")
	if got := resolvePathsLine("warc.paths.gz", "crawl-data/a.warc.gz"); got != "s3://commoncrawl/crawl-data/a.warc.gz" {
		t.Errorf("with a base: %s", got)
	}
}
