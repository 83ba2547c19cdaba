package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/saring/saring/storage/miniotest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	miniotest.StopShared()
	os.Exit(code)
}

var bucketSeq atomic.Int64

// newBucket makes a fresh bucket on the shared MinIO and returns its store.
func newBucket(t *testing.T, opts Options) *S3 {
	t.Helper()
	srv := miniotest.Shared(t)
	name := fmt.Sprintf("t%d-%d", time.Now().UnixNano()%1e9, bucketSeq.Add(1))
	if err := srv.MakeBucket(name); err != nil {
		t.Fatal(err)
	}
	cfg := minioConfig(srv)
	cfg.Options = opts
	s, err := NewS3(cfg, name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStorageS3Suite(t *testing.T) {
	opts := Options{PartSize: 5 << 20, ChunkSize: 1 << 20}
	runSuite(t, func(t *testing.T) Store { return newBucket(t, opts) }, opts)
}

// More than one listing page (1,000 keys), recursive and sorted.
func TestS3ListPastOnePage(t *testing.T) {
	s := newBucket(t, Options{})
	ctx := context.Background()
	const n = 1100
	want := make([]string, 0, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 16)
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("crawl/%02d/part-%05d.jsonl", i%7, i)
		want = append(want, key)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			w, err := s.Create(ctx, key)
			if err == nil {
				w.Write([]byte(key))
				err = w.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	put(t, s, "crawl.jsonl", []byte("beside, not under crawl/"))
	var got []string
	before := Stats().Requests
	err := s.List(ctx, "crawl/", func(o ObjectInfo) error {
		if o.Size != int64(len(o.Key)) {
			return fmt.Errorf("%s: size %d", o.Key, o.Size)
		}
		got = append(got, o.Key)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("listed %d keys, want %d", len(got), n)
	}
	for i := 1; i < len(got); i++ {
		if got[i-1] >= got[i] {
			t.Fatalf("not sorted: %q before %q", got[i-1], got[i])
		}
	}
	if pages := Stats().Requests - before; pages < 2 {
		t.Fatalf("%d requests for %d keys: not paginated", pages, n)
	}
}

// A multipart write of 200 MB, read back with readahead, through the
// package-level names (s3://...) configured from the environment.
func TestS3Multipart200MB(t *testing.T) {
	srv := miniotest.Shared(t)
	s := newBucket(t, Options{})
	minioEnv(t, srv)
	ctx := context.Background()
	name := "s3://" + s.bucket + "/big/200mb.bin"
	const size = 200 << 20
	block := randBytes(1<<20, 9)
	sum := sha256.New()
	w, err := Create(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for i := 0; i < size>>20; i++ {
		block[0] = byte(i) // every MiB differs
		sum.Write(block)
		if _, err := w.Write(block); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote 200 MB in %v", time.Since(start))
	info, err := Stat(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != size || !strings.Contains(info.ETag, "-") { // a multipart ETag is MD5-N
		t.Fatalf("stat: %+v", info)
	}
	start = time.Now()
	r, err := Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	got := sha256.New()
	n, err := io.Copy(got, r)
	r.Close()
	if err != nil || n != size {
		t.Fatalf("read %d bytes: %v", n, err)
	}
	t.Logf("read 200 MB in %v", time.Since(start))
	if !bytes.Equal(got.Sum(nil), sum.Sum(nil)) {
		t.Fatal("the bytes read back differ")
	}
	if err := Remove(ctx, name); err != nil {
		t.Fatal(err)
	}
}

// The standard variables configure the client; the secret never shows in
// an error.
func TestS3EnvConfig(t *testing.T) {
	srv := miniotest.Shared(t)
	s := newBucket(t, Options{})
	minioEnv(t, srv)
	cfg := S3ConfigFromEnv()
	if !cfg.PathStyle || cfg.Endpoint != srv.Endpoint || cfg.Region != "us-east-1" {
		t.Fatalf("config %+v", cfg)
	}
	ctx := context.Background()
	_, err := Stat(ctx, "s3://"+s.bucket+"/missing")
	if err == nil || !strings.Contains(err.Error(), "s3://"+s.bucket+"/missing") {
		t.Fatalf("stat of a missing key: %v", err)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret-value")
	ResetS3()
	_, err = Stat(ctx, "s3://"+s.bucket+"/missing")
	if err == nil || strings.Contains(err.Error(), "wrong-secret-value") || strings.Contains(err.Error(), srv.Password) {
		t.Fatalf("error with a bad secret: %v", err)
	}
	t.Log(err)
}

// Credentials from ~/.aws/credentials and the endpoint from ~/.aws/config,
// for a named profile.
func TestS3ConfigFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(dir+"/credentials", []byte("[default]\naws_access_key_id = nope\naws_secret_access_key = nope\n[work]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n"), 0o600)
	os.WriteFile(dir+"/config", []byte("[default]\nregion = eu-west-1\n[profile work]\nregion = ap-southeast-3\nendpoint_url = http://localhost:9000\ns3 =\n  addressing_style = path\n"), 0o600)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "SARING_S3_PATH_STYLE"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_PROFILE", "work")
	cfg := S3ConfigFromEnv()
	if cfg.Region != "ap-southeast-3" || cfg.Endpoint != "http://localhost:9000" || !cfg.PathStyle {
		t.Fatalf("config %+v", cfg)
	}
	v, err := cfg.Creds.GetWithContext(nil)
	if err != nil || v.AccessKeyID != "AKID" || v.SecretAccessKey != "SECRET" {
		t.Fatalf("credentials %v %v", v.AccessKeyID, err)
	}
	t.Setenv("AWS_REGION", "us-west-2")
	t.Setenv("AWS_ENDPOINT_URL_S3", "https://s3.example.com")
	cfg = S3ConfigFromEnv()
	if cfg.Region != "us-west-2" || cfg.Endpoint != "https://s3.example.com" || cfg.PathStyle {
		t.Fatalf("env over files: %+v", cfg)
	}
}

func minioConfig(srv *miniotest.Server) S3Config {
	return S3Config{
		Endpoint:  srv.Endpoint,
		Region:    "us-east-1",
		PathStyle: true,
		Creds:     credentials.NewStaticV4(srv.User, srv.Password, ""),
	}
}

func minioEnv(t *testing.T, srv *miniotest.Server) {
	srv.Env(t)
	ResetS3()
	t.Cleanup(ResetS3)
}
