package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/saring/saring/storage/miniotest"
)

// faultProxy stands between the client and MinIO on loopback and injects
// the faults object storage shows under load: 503 SlowDown on a share of
// requests, connections dropped in the middle of a body, stalled
// responses. Faults are chosen by request number, so a run is repeatable.
type faultProxy struct {
	target *url.URL
	rt     http.RoundTripper

	slowDownEvery int           // every Nth request: 503 SlowDown
	dropEvery     int           // every Nth GET with a body: cut after half of it
	stallEvery    int           // every Nth GET: stall mid-body for stall
	stall         time.Duration // longer than the client's StallTimeout
	latency       time.Duration // before every response (a distant server)
	bytesPerSec   int64         // per response body (a per-connection limit), 0: none
	refuse        func(r *http.Request) bool
	afterGet      func(r *http.Request) // runs after a GET's body is sent, before the next GET is served

	reqs, gets               atomic.Int64
	slowDowns, drops, stalls atomic.Int64
	getMu                    sync.Mutex
}

func newFaultProxy(t *testing.T, endpoint string) (*faultProxy, string) {
	u, _ := url.Parse(endpoint)
	p := &faultProxy{target: u, rt: &http.Transport{DisableCompression: true}}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv.URL
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(p.reqs.Add(1))
	if p.refuse != nil && p.refuse(r) {
		io.Copy(io.Discard, r.Body)
		http.Error(w, "<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>", http.StatusForbidden)
		return
	}
	if p.slowDownEvery > 0 && i%p.slowDownEvery == 0 {
		p.slowDowns.Add(1)
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
		return
	}
	isGet := r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "" && !strings.HasSuffix(r.URL.Path, "/")
	var g int
	if isGet {
		if p.afterGet != nil {
			p.getMu.Lock()
			defer p.getMu.Unlock()
		}
		g = int(p.gets.Add(1))
	}
	if p.latency > 0 {
		time.Sleep(p.latency)
	}
	out := r.Clone(r.Context())
	out.URL.Scheme, out.URL.Host = p.target.Scheme, p.target.Host
	out.RequestURI = ""
	out.Host = r.Host // signed by the client
	resp, err := p.rt.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	if isGet && resp.StatusCode/100 == 2 && resp.ContentLength > 2 {
		half := resp.ContentLength / 2
		switch {
		case p.dropEvery > 0 && g%p.dropEvery == 0:
			p.drops.Add(1)
			io.CopyN(w, resp.Body, half)
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // the connection is cut mid-body
		case p.stallEvery > 0 && g%p.stallEvery == 0:
			p.stalls.Add(1)
			io.CopyN(w, resp.Body, half)
			w.(http.Flusher).Flush()
			select {
			case <-time.After(p.stall):
			case <-r.Context().Done():
				return
			}
		}
	}
	if p.bytesPerSec > 0 {
		paced(w, resp.Body, p.bytesPerSec)
	} else {
		io.Copy(w, resp.Body)
	}
	if isGet && p.afterGet != nil {
		p.afterGet(r)
	}
}

var faultOptions = Options{
	MaxAttempts:    12,
	BaseDelay:      2 * time.Millisecond,
	MaxDelay:       40 * time.Millisecond,
	RequestTimeout: 5 * time.Second,
	StallTimeout:   250 * time.Millisecond,
	ChunkSize:      256 << 10,
	Readahead:      3,
	PartSize:       5 << 20,
	Uploads:        2,
}

// proxied returns a store of a fresh bucket reached through a fault proxy,
// and the same bucket reached directly.
func proxied(t *testing.T, opts Options) (*S3, *S3, *faultProxy) {
	srv := miniotest.Shared(t)
	direct := newBucket(t, opts)
	p, addr := newFaultProxy(t, srv.Endpoint)
	cfg := minioConfig(srv)
	cfg.Endpoint = addr
	cfg.Options = opts
	s, err := NewS3(cfg, direct.bucket)
	if err != nil {
		t.Fatal(err)
	}
	return s, direct, p
}

func TestS3FaultsReadWrite(t *testing.T) {
	opts := faultOptions
	opts.ChunkSize = 512 << 10
	s, direct, p := proxied(t, opts)
	p.slowDownEvery, p.dropEvery, p.stallEvery, p.stall = 4, 3, 7, 2*time.Second
	ctx := context.Background()
	before := Retries()
	data := randBytes(11<<20+12345, 11)
	put(t, s, "faulty/object.bin", data) // three parts, some answered SlowDown
	for i := 0; i < 30; i++ {
		put(t, s, fmt.Sprintf("faulty/small-%02d", i), []byte(fmt.Sprint(i)))
	}
	if got := get(t, direct, "faulty/object.bin"); !bytes.Equal(got, data) {
		t.Fatal("the object written through faults differs")
	}
	start := time.Now()
	if got := get(t, s, "faulty/object.bin"); !bytes.Equal(got, data) {
		t.Fatal("the object read through faults differs")
	}
	t.Logf("read %d bytes through the proxy in %v", len(data), time.Since(start))
	r, err := s.OpenRange(ctx, "faulty/object.bin", 1000, 3<<20)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, data[1000:1000+3<<20]) {
		t.Fatalf("range through faults: %d bytes, %v", len(got), err)
	}
	n := 0
	if err := s.List(ctx, "faulty/", func(ObjectInfo) error { n++; return nil }); err != nil || n != 31 {
		t.Fatalf("listing through faults: %d keys, %v", n, err)
	}
	retries := Retries() - before
	t.Logf("faults: %d SlowDown, %d dropped, %d stalled; %d retries", p.slowDowns.Load(), p.drops.Load(), p.stalls.Load(), retries)
	if p.slowDowns.Load() == 0 || p.drops.Load() == 0 || p.stalls.Load() == 0 {
		t.Fatal("the proxy injected no fault of some kind")
	}
	if retries < p.slowDowns.Load()+p.drops.Load() {
		t.Fatalf("%d retries counted for %d faults", retries, p.slowDowns.Load()+p.drops.Load()+p.stalls.Load())
	}
}

// An object overwritten between two range reads of one Open: the read fails
// with an error that names the object, instead of mixing two versions.
func TestS3ChangedBetweenRanges(t *testing.T) {
	s, direct, p := proxied(t, faultOptions)
	data := randBytes(2<<20, 12)
	put(t, direct, "changing.bin", data)
	var once sync.Once
	p.afterGet = func(r *http.Request) {
		once.Do(func() { put(t, direct, "changing.bin", randBytes(2<<20, 13)) })
	}
	r, err := s.Open(context.Background(), "changing.bin")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(r)
	r.Close()
	var ce *ChangedError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "s3://"+s.bucket+"/changing.bin") {
		t.Fatalf("read of a changing object: %v", err)
	}
	t.Log(err)

	// Also when the change is seen on a resume after a cut.
	put(t, direct, "cut.bin", data)
	p.afterGet = nil
	p.dropEvery = 1
	var twice sync.Once
	p.refuse = func(r *http.Request) bool {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/cut.bin") && p.drops.Load() > 0 {
			twice.Do(func() { put(t, direct, "cut.bin", randBytes(2<<20, 14)) })
		}
		return false
	}
	r, err = s.OpenRange(context.Background(), "cut.bin", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(r)
	r.Close()
	if !errors.As(err, &ce) {
		t.Fatalf("resumed read of a changed object: %v", err)
	}
}

// When the faults do not stop, the error names the object after the
// retries run out.
func TestS3RetriesRunOut(t *testing.T) {
	opts := faultOptions
	opts.MaxAttempts = 3
	s, _, p := proxied(t, opts)
	p.slowDownEvery = 1
	_, err := s.Stat(context.Background(), "some/key")
	if err == nil || !strings.Contains(err.Error(), "s3://"+s.bucket+"/some/key") || !strings.Contains(err.Error(), "3 attempts") {
		t.Fatalf("error after the retries: %v", err)
	}
	t.Log(err)
}

// A multipart upload whose part is refused for good is aborted: no object,
// no unfinished upload.
func TestS3FailedUploadAborted(t *testing.T) {
	s, direct, p := proxied(t, faultOptions)
	p.refuse = func(r *http.Request) bool {
		return r.Method == http.MethodPut && r.URL.Query().Get("partNumber") == "2"
	}
	w, err := s.Create(context.Background(), "refused.bin")
	if err != nil {
		t.Fatal(err)
	}
	data := randBytes(12<<20, 15)
	_, werr := w.Write(data)
	cerr := w.Close()
	if werr == nil && cerr == nil {
		t.Fatal("the upload succeeded with a refused part")
	}
	t.Log(werr, cerr)
	if _, err := direct.Stat(context.Background(), "refused.bin"); !errors.Is(err, ErrNotExist) {
		t.Fatalf("after a failed upload: %v", err)
	}
	assertNoUploads(t, direct)
}

// paced copies at most bytesPerSec.
func paced(w http.ResponseWriter, r io.Reader, bytesPerSec int64) {
	start := time.Now()
	buf := make([]byte, 64<<10)
	var sent int64
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
			sent += int64(n)
			if ahead := time.Duration(float64(sent)/float64(bytesPerSec)*float64(time.Second)) - time.Since(start); ahead > 0 {
				time.Sleep(ahead)
			}
		}
		if err != nil {
			return
		}
	}
}
