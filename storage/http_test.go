package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// cutWriter aborts the response after limit body bytes.
type cutWriter struct {
	http.ResponseWriter
	limit int
}

func (c *cutWriter) Write(p []byte) (int, error) {
	if len(p) > c.limit {
		c.ResponseWriter.Write(p[:c.limit])
		c.ResponseWriter.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	c.limit -= len(p)
	return c.ResponseWriter.Write(p)
}

// webFiles serves files over TLS with ETags and Range (http.ServeContent),
// answering 503 to every slowEvery-th request and cutting every
// cutEvery-th GET mid-body.
type webFiles struct {
	mu                  sync.Mutex
	files               map[string][]byte
	etags               map[string]string
	slowEvery, cutEvery int
	noHead              bool
	n, gets             atomic.Int64
	onGet               func(path string)
}

func (f *webFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(f.n.Add(1))
	if f.slowEvery > 0 && i%f.slowEvery == 0 {
		http.Error(w, "slow down", http.StatusServiceUnavailable)
		return
	}
	f.mu.Lock()
	data, ok := f.files[r.URL.Path]
	etag := f.etags[r.URL.Path]
	f.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if f.noHead && r.Method == http.MethodHead {
		http.Error(w, "signed for GET", http.StatusForbidden)
		return
	}
	if r.Method == http.MethodGet {
		g := int(f.gets.Add(1))
		if f.onGet != nil {
			defer f.onGet(r.URL.Path)
		}
		if f.cutEvery > 0 && g%f.cutEvery == 0 {
			w = &cutWriter{w, 1000}
		}
	}
	w.Header().Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

func (f *webFiles) set(path string, data []byte, etag string) {
	f.mu.Lock()
	f.files[path], f.etags[path] = data, etag
	f.mu.Unlock()
}

func newWebFiles(t *testing.T) (*webFiles, *httptest.Server, *HTTP) {
	f := &webFiles{files: map[string][]byte{}, etags: map[string]string{}}
	srv := httptest.NewTLSServer(f) // a self-signed certificate
	t.Cleanup(srv.Close)
	opts := faultOptions
	return f, srv, NewHTTP(srv.Client(), opts) // the client trusts it
}

func TestHTTPSInput(t *testing.T) {
	f, srv, h := newWebFiles(t)
	data := randBytes(3<<20+77, 21)
	f.set("/crawl/CC-MAIN-2024-10/segment.warc.gz", data, `"v1"`)
	f.slowEvery, f.cutEvery = 5, 3
	SetDefaultHTTP(h)
	t.Cleanup(func() { SetDefaultHTTP(NewHTTP(nil, DefaultOptions)) })
	ctx := context.Background()
	name := srv.URL + "/crawl/CC-MAIN-2024-10/segment.warc.gz"
	before := Retries()
	info, err := Stat(ctx, name)
	if err != nil || info.Size != int64(len(data)) {
		t.Fatalf("stat: %+v %v", info, err)
	}
	r, err := Open(ctx, name) // readahead: 256 KiB ranges
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d of %d bytes: %v", len(got), len(data), err)
	}
	// One stream (no readahead): cut bodies resume from the byte reached.
	r, _ = h.OpenRange(ctx, name, 10, -1)
	got, err = io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, data[10:]) {
		t.Fatalf("streamed %d bytes: %v", len(got), err)
	}
	if Retries()-before == 0 {
		t.Fatal("no retry counted")
	}
	t.Logf("%d requests, %d retries", f.n.Load(), Retries()-before)

	if _, err := Open(ctx, srv.URL+"/missing.warc.gz"); !errors.Is(err, ErrNotExist) || !strings.Contains(err.Error(), "/missing.warc.gz") {
		t.Fatalf("missing URL: %v", err)
	}
	if _, err := Create(ctx, name); err == nil {
		t.Fatal("created a web URL")
	}
}

func TestHTTPChangedFile(t *testing.T) {
	f, srv, h := newWebFiles(t)
	data := randBytes(2<<20, 22)
	f.set("/f.jsonl.zst", data, `"v1"`)
	var once sync.Once
	f.onGet = func(p string) { once.Do(func() { f.set(p, randBytes(2<<20, 23), `"v2"`) }) }
	r, err := h.Open(context.Background(), srv.URL+"/f.jsonl.zst")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(r)
	r.Close()
	var ce *ChangedError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), srv.URL+"/f.jsonl.zst") {
		t.Fatalf("read of a changing file: %v", err)
	}
	t.Log(err)
}

// A server without ETags that changes the length: the resumed read sees it.
func TestHTTPChangedLength(t *testing.T) {
	f, srv, h := newWebFiles(t)
	f.set("/g.txt", randBytes(1<<20, 24), "")
	f.cutEvery = 1
	var once sync.Once
	f.onGet = func(p string) { once.Do(func() { f.set(p, randBytes(1<<20+5, 25), "") }) }
	r, _ := h.OpenRange(context.Background(), srv.URL+"/g.txt", 0, -1)
	_, err := io.ReadAll(r)
	r.Close()
	var ce *ChangedError
	if !errors.As(err, &ce) {
		t.Fatalf("read of a file whose length changed: %v", err)
	}
}

// A server that refuses HEAD (a URL presigned for GET): the size comes from
// a one-byte range.
func TestHTTPNoHead(t *testing.T) {
	f, srv, h := newWebFiles(t)
	data := randBytes(700_000, 26)
	f.set("/p.warc.gz", data, `"p"`)
	f.noHead = true
	info, err := h.Stat(context.Background(), srv.URL+"/p.warc.gz")
	if err != nil || info.Size != int64(len(data)) {
		t.Fatalf("stat without HEAD: %+v %v", info, err)
	}
	r, err := h.Open(context.Background(), srv.URL+"/p.warc.gz")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes: %v", len(got), err)
	}
}

// A consumer that pauses between reads is not a stalled server: no retry.
func TestHTTPSlowConsumer(t *testing.T) {
	f, srv, h := newWebFiles(t)
	data := randBytes(150_000, 27)
	f.set("/slow.jsonl", data, `"s"`)
	before := Retries()
	r, _ := h.OpenRange(context.Background(), srv.URL+"/slow.jsonl", 0, -1)
	defer r.Close()
	var got []byte
	buf := make([]byte, 50_000)
	for {
		n, err := io.ReadFull(r, buf)
		got = append(got, buf[:n]...)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * faultOptions.StallTimeout / 2)
	}
	if !bytes.Equal(got, data) || Retries() != before {
		t.Fatalf("%d bytes, %d retries", len(got), Retries()-before)
	}
}
