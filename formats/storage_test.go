package formats

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/saring/saring/storage"
	"github.com/saring/saring/storage/miniotest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	miniotest.StopShared()
	os.Exit(code)
}

// remoteCorpus writes a JSONL.zst of n documents to a temporary file.
func remoteCorpus(t *testing.T, n int) string {
	var buf bytes.Buffer
	zw, _ := zstd.NewWriter(&buf)
	for i := 0; i < n; i++ {
		fmt.Fprintf(zw, `{"id":"doc-%d","text":"Dokumen nomor %d: %s","url":"https://example.test/%d","extra":{"n":%d}}`+"\n",
			i, i, strings.Repeat(fmt.Sprintf("kata%d ", i*7919%1000), 20+i%50), i, i)
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "corpus.jsonl.zst")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type docView struct {
	ID, Text string
	Metadata any
	Fields   any
	Seq      uint64
}

func readAllDocs(t *testing.T, name string) []docView {
	t.Helper()
	r, err := Open(name, ReadOptions{FileIndex: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []docView
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, docView{d.ID, d.Text, d.Metadata, d.Fields, d.Seq})
	}
	return out
}

func upload(t *testing.T, local, name string) {
	t.Helper()
	data, err := os.ReadFile(local)
	if err != nil {
		t.Fatal(err)
	}
	w, err := storage.Create(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// saring's readers see the same documents in a JSONL.zst (and a WARC) on
// MinIO as in the local file.
func TestOpenS3SameDocuments(t *testing.T) {
	srv := miniotest.Shared(t)
	srv.Env(t)
	opts := storage.DefaultOptions
	storage.DefaultOptions.ChunkSize = 4 << 10 // readahead over many ranges
	t.Cleanup(func() { storage.DefaultOptions = opts; storage.ResetS3() })
	storage.ResetS3()
	if err := srv.MakeBucket("formats"); err != nil {
		t.Fatal(err)
	}
	local := remoteCorpus(t, 3000)
	st, _ := os.Stat(local)
	upload(t, local, "s3://formats/in/corpus.jsonl.zst")
	upload(t, "../examples/pages.warc.gz", "s3://formats/in/pages.warc.gz")
	for _, c := range [][2]string{
		{local, "s3://formats/in/corpus.jsonl.zst"},
		{"../examples/pages.warc.gz", "s3://formats/in/pages.warc.gz"},
	} {
		want := readAllDocs(t, c[0])
		got := readAllDocs(t, c[1])
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %d documents, local %d; equal: %v", c[1], len(got), len(want), reflect.DeepEqual(got, want))
		}
		t.Logf("%s: %d documents", c[1], len(got))
	}
	if st.Size() < 4*4<<10 {
		t.Fatalf("corpus of %d bytes does not cross readahead chunks", st.Size())
	}
	if _, err := Open("s3://formats/in/missing.jsonl", ReadOptions{}, nil); err == nil || !strings.Contains(err.Error(), "s3://formats/in/missing.jsonl") {
		t.Fatalf("missing object: %v", err)
	}
}

// And over HTTPS (a local TLS server the test's client trusts).
func TestOpenHTTPSSameDocuments(t *testing.T) {
	local := remoteCorpus(t, 500)
	data, _ := os.ReadFile(local)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"c1"`)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs}}}
	storage.SetDefaultHTTP(storage.NewHTTP(client, storage.Options{}))
	t.Cleanup(func() { storage.SetDefaultHTTP(storage.NewHTTP(nil, storage.Options{})) })
	want := readAllDocs(t, local)
	got := readAllDocs(t, srv.URL+"/crawl/corpus.jsonl.zst?sig=x")
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("HTTPS: %d documents, local %d", len(got), len(want))
	}
}
