package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/storage"
	"github.com/saring/saring/storage/miniotest"
)

// download copies every object under url (s3://bucket/prefix) into dir.
func download(t *testing.T, url, dir string) {
	t.Helper()
	ctx := context.Background()
	store, prefix, err := storage.Resolve(url)
	if err != nil {
		t.Fatal(err)
	}
	prefix = strings.TrimSuffix(prefix, "/") + "/"
	err = store.List(ctx, prefix, func(o storage.ObjectInfo) error {
		rc, err := store.Open(ctx, o.Key)
		if err != nil {
			return err
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			return err
		}
		p := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(o.Key, prefix)))
		os.MkdirAll(filepath.Dir(p), 0o755)
		return os.WriteFile(p, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func upload(t *testing.T, dir, url string) {
	t.Helper()
	ctx := context.Background()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		w, err := storage.Create(ctx, url+"/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// The default pipeline with its output (and work files and markers) on a
// real S3 server writes, object for object, the files a local run writes;
// with its inputs there too, the same documents; split into tasks run one
// by one, each in a staging directory of its own as on separate machines,
// the same again.
func TestS3Output(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end with the real binary; run without -short")
	}
	testenv.LIDModel(t)
	srv := miniotest.Shared(t)
	srv.Env(t)
	storage.ResetS3()
	if err := srv.MakeBucket("runs"); err != nil {
		t.Fatal(err)
	}
	in := mixedCorpus(t)
	base := t.TempDir()
	common := []string{"-q", "--format", "jsonl", "--shard-docs", "7"}
	ref := filepath.Join(base, "ref")
	mustRun(t, append([]string{"run", "-i", in, "-o", ref}, common...)...)

	t.Setenv("SARING_STAGING_DIR", filepath.Join(base, "stage1"))
	mustRun(t, append([]string{"run", "-i", in, "-o", "s3://runs/local-in"}, common...)...)
	got := filepath.Join(base, "got1")
	download(t, "s3://runs/local-in", got)
	sameOutputs(t, "output on S3", ref, got)
	if _, err := os.Stat(filepath.Join(got, ".saring", "done.json")); err != nil {
		t.Errorf("no done marker on S3: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(got, ".saring", "stage-*", "work")); len(m) > 0 {
		t.Errorf("work files left on S3: %v", m)
	}
	var st struct {
		Storage struct{ Requests, Retries int64 }
	}
	if b, err := os.ReadFile(filepath.Join(got, "stats.json")); err != nil || json.Unmarshal(b, &st) != nil || st.Storage.Requests == 0 {
		t.Errorf("stats.json does not count the run's storage requests: %+v", st)
	}
	t.Logf("one run, output on S3: %+v", st.Storage)
	// Running it again redoes nothing.
	mustRun(t, append([]string{"run", "-i", in, "-o", "s3://runs/local-in"}, common...)...)

	// Inputs on S3 too: the same documents (rejected entries name the
	// objects instead of the local files).
	upload(t, in, "s3://runs/corpus")
	t.Setenv("SARING_STAGING_DIR", filepath.Join(base, "stage2"))
	mustRun(t, append([]string{"run", "-i", "s3://runs/corpus/", "-o", "s3://runs/s3-in"}, common...)...)
	got2 := filepath.Join(base, "got2")
	download(t, "s3://runs/s3-in", got2)
	a, b := outputsOf(t, ref), outputsOf(t, got2)
	for name, want := range a {
		if strings.HasPrefix(name, "rejected/") || bytes.Contains(want, []byte("20-note.txt")) {
			continue // these name the file they came from: a path here, an object there
		}
		if !bytes.Equal(want, b[name]) {
			t.Errorf("inputs on S3: %s differs", name)
		}
	}

	// Two tasks, each task of each stage in a fresh staging directory.
	out := "s3://runs/tasks"
	for i := 0; i < 12; i++ {
		for task := 0; task < 2; task++ {
			t.Setenv("SARING_STAGING_DIR", filepath.Join(base, "machine-"+strconv.Itoa(i)+"-"+strconv.Itoa(task)))
			mustRun(t, append([]string{"run", "-i", in, "-o", out, "--tasks", "2", "--task", strconv.Itoa(task)}, common...)...)
		}
		st, _ := storage.Stat(context.Background(), out+"/stats.json")
		if st.Size > 0 {
			break
		}
	}
	got3 := filepath.Join(base, "got3")
	download(t, out, got3)
	sameOutputs(t, "2 tasks on S3, separate staging", ref, got3)

	// Through a proxy that answers every fourth request with 503 SlowDown:
	// the same objects, and the retries counted in stats.json.
	target, _ := url.Parse(srv.Endpoint)
	var n atomic.Int64
	rp := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%4 == 0 {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	t.Setenv("AWS_ENDPOINT_URL", proxy.URL)
	t.Setenv("SARING_STAGING_DIR", filepath.Join(base, "stage-faults"))
	mustRun(t, append([]string{"run", "-i", in, "-o", "s3://runs/faults"}, common...)...)
	t.Setenv("AWS_ENDPOINT_URL", srv.Endpoint)
	storage.ResetS3()
	got4 := filepath.Join(base, "got4")
	download(t, "s3://runs/faults", got4)
	sameOutputs(t, "through 503 SlowDown", ref, got4)
	if b, err := os.ReadFile(filepath.Join(got4, "stats.json")); err != nil || json.Unmarshal(b, &st) != nil || st.Storage.Retries == 0 {
		t.Errorf("no retries counted through a proxy that refused %d requests: %+v", n.Load()/4, st)
	}
}
