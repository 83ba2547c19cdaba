package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minio/minio-go/v7"
)

// S3 is one bucket of an S3-compatible object store.
type S3 struct {
	core   *minio.Core
	bucket string
	opts   Options
	secure bool
}

// countingTransport counts the requests sent.
type countingTransport struct{ rt http.RoundTripper }

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	counters.requests.Add(1)
	return c.rt.RoundTrip(r)
}

func newTransport(o Options) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          2 * o.MaxConcurrency,
		MaxIdleConnsPerHost:   o.MaxConcurrency,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: o.RequestTimeout,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true, // a range of a compressed body is not a range of the object
	}
}

// NewS3 returns the store of one bucket.
func NewS3(cfg S3Config, bucket string) (*S3, error) {
	return newS3(cfg, bucket, nil)
}

func newS3(cfg S3Config, bucket string, rt http.RoundTripper) (*S3, error) {
	o := cfg.Options.withDefaults()
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("object storage endpoint %q: want http://HOST[:PORT] or https://HOST[:PORT]", cfg.Endpoint)
	}
	if rt == nil {
		rt = newTransport(o)
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	core, err := minio.NewCore(u.Host, &minio.Options{
		Creds:        cfg.Creds,
		Secure:       u.Scheme == "https",
		Transport:    countingTransport{rt},
		Region:       region,
		BucketLookup: lookup,
		MaxRetries:   1, // retries are ours: counted, resumed, backed off
	})
	if err != nil {
		return nil, fmt.Errorf("object storage endpoint %s: %v", u.Host, err)
	}
	return &S3{core: core, bucket: bucket, opts: o, secure: u.Scheme == "https"}, nil
}

var s3Cache struct {
	sync.Mutex
	m map[string]*S3
}

// S3Bucket returns the store of a bucket configured from the environment
// (S3ConfigFromEnv), made once per bucket.
func S3Bucket(bucket string) (*S3, error) {
	s3Cache.Lock()
	defer s3Cache.Unlock()
	if s, ok := s3Cache.m[bucket]; ok {
		return s, nil
	}
	s, err := NewS3(S3ConfigFromEnv(), bucket)
	if err != nil {
		return nil, err
	}
	if s3Cache.m == nil {
		s3Cache.m = map[string]*S3{}
	}
	s3Cache.m[bucket] = s
	return s, nil
}

// ResetS3 forgets the stores S3Bucket made, so that the next use reads the
// environment again.
func ResetS3() {
	s3Cache.Lock()
	s3Cache.m = nil
	s3Cache.Unlock()
}

// Client is the underlying client, for operations the Store does not
// offer (creating buckets in tests).
func (s *S3) Client() *minio.Client { return s.core.Client }

func (s *S3) String() string { return "s3://" + s.bucket }

func (s *S3) url(key string) string { return "s3://" + s.bucket + "/" + key }

// s3Err names the object in an error and maps a missing key to ErrNotExist.
func (s *S3) err(key string, err error) error {
	if err == nil {
		return nil
	}
	var me minio.ErrorResponse
	if errors.As(err, &me) && (me.Code == "NoSuchKey" || me.StatusCode == http.StatusNotFound) {
		if me.Code == "NoSuchBucket" {
			return fmt.Errorf("%s: no such bucket: %w", s.url(key), ErrNotExist)
		}
		return fmt.Errorf("%s: %w", s.url(key), ErrNotExist)
	}
	if strings.HasPrefix(err.Error(), "s3://") {
		return err
	}
	return fmt.Errorf("%s: %w", s.url(key), err)
}

func (s *S3) List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error {
	after := ""
	fails := 0
	for {
		lctx, cancel := context.WithCancel(ctx)
		var err error
		for o := range s.core.Client.ListObjects(lctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true, StartAfter: after, MaxKeys: 1000}) {
			if o.Err != nil {
				err = o.Err
				break
			}
			if o.Key <= after && after != "" {
				continue
			}
			if ferr := fn(ObjectInfo{Key: o.Key, Size: o.Size, ModTime: o.LastModified, ETag: o.ETag}); ferr != nil {
				cancel()
				return ferr
			}
			after = o.Key
			fails = 0
		}
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fails++
		if !retryable(err) {
			return s.err(prefix, err)
		}
		if fails >= s.opts.MaxAttempts {
			return fmt.Errorf("%s: listing: giving up after %d attempts: %w", s.url(prefix), fails, err)
		}
		counters.retries.Add(1)
		if err := sleep(ctx, backoff(s.opts, fails)); err != nil {
			return err
		}
	}
}

func (s *S3) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	var info minio.ObjectInfo
	err := do(ctx, s.opts, s.url(key), func(ctx context.Context) (err error) {
		info, err = s.core.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
		return err
	})
	if err != nil {
		return ObjectInfo{}, s.err(key, err)
	}
	return ObjectInfo{Key: key, Size: info.Size, ModTime: info.LastModified, ETag: info.ETag}, nil
}

// payloadSHA256 is the hash that signs a body sent over plain HTTP (the
// server checks it, so a body damaged on the way is refused, and one hash of
// the whole part is cheaper than a signature per 64 KiB chunk). Over HTTPS,
// TLS protects the body and it is sent unsigned, as the AWS tools do.
func (s *S3) payloadSHA256(data []byte) string {
	if s.secure {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// s3Object reads one object.
type s3Object struct {
	s   *S3
	key string
}

func (o s3Object) name() string     { return o.s.url(o.key) }
func (o s3Object) options() Options { return o.s.opts }

func (o s3Object) fetch(ctx context.Context, off, n int64, want version) (io.ReadCloser, version, error) {
	var opts minio.GetObjectOptions
	switch {
	case n > 0:
		opts.SetRange(off, off+n-1)
	case off > 0:
		opts.SetRange(off, 0)
	}
	if want.etag != "" {
		opts.SetMatchETag(want.etag)
	}
	body, info, hdr, err := o.s.core.GetObject(ctx, o.s.bucket, o.key, opts)
	if err != nil {
		var me minio.ErrorResponse
		if errors.As(err, &me) && (me.StatusCode == http.StatusPreconditionFailed || me.Code == "PreconditionFailed") {
			return nil, version{}, &ChangedError{Name: o.name(), Was: want.etag, Size: want.size, Size2: want.size}
		}
		return nil, version{}, o.s.err(o.key, err)
	}
	ver := version{size: info.Size, etag: info.ETag}
	if cr := hdr.Get("Content-Range"); cr != "" {
		ver.size = totalFromContentRange(cr)
	}
	return body, ver, nil
}

// totalFromContentRange reads TOTAL from "bytes A-B/TOTAL" (-1 if unknown).
func totalFromContentRange(cr string) int64 {
	_, total, ok := strings.Cut(cr, "/")
	if !ok {
		return -1
	}
	n, err := strconv.ParseInt(strings.TrimSpace(total), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	info, err := s.Stat(ctx, key)
	if err != nil {
		return nil, err
	}
	return openObject(ctx, s3Object{s, key}, version{size: info.Size, etag: info.ETag}), nil
}

func (s *S3) OpenRange(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	if n == 0 {
		return io.NopCloser(bytes.NewReader(nil)), nil
	}
	return newResumingReader(ctx, s3Object{s, key}, off, n, version{size: -1}), nil
}

func (s *S3) Remove(ctx context.Context, key string) error {
	return s.err(key, do(ctx, s.opts, s.url(key), func(ctx context.Context) error {
		return s.core.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	}))
}

func (s *S3) Create(ctx context.Context, key string) (Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	wctx, cancel := context.WithCancel(ctx)
	w := &s3Writer{s: s, key: key, ctx: wctx, cancel: cancel, sem: make(chan struct{}, s.opts.Uploads)}
	w.stop = context.AfterFunc(ctx, func() { w.abortUpload() })
	return w, nil
}

// s3Writer uploads an object: one PUT if it fits in a part, else a
// multipart upload whose parts are sent (and retried one by one) while
// the caller writes, completed on Close.
type s3Writer struct {
	s      *S3
	key    string
	ctx    context.Context
	cancel context.CancelFunc
	stop   func() bool
	buf    []byte
	upload string
	sem    chan struct{}
	wg     sync.WaitGroup

	mu      sync.Mutex
	parts   []minio.CompletePart
	err     error
	closed  atomic.Bool
	done    bool // completed successfully
	aborted bool
}

var partPool sync.Map // part size → *sync.Pool

func getPart(size int64) []byte {
	p, _ := partPool.LoadOrStore(size, &sync.Pool{New: func() any { return make([]byte, 0, size) }})
	return p.(*sync.Pool).Get().([]byte)[:0]
}

func putPart(b []byte) {
	if p, ok := partPool.Load(int64(cap(b))); ok {
		p.(*sync.Pool).Put(b[:0]) //nolint:staticcheck // slices of one capacity
	}
}

func (w *s3Writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if w.ctx.Err() != nil {
		return fmt.Errorf("%s: %w", w.s.url(w.key), w.ctx.Err())
	}
	return nil
}

func (w *s3Writer) setErr(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
}

func (w *s3Writer) Write(p []byte) (int, error) {
	if w.closed.Load() {
		return 0, fmt.Errorf("%s: write after close", w.s.url(w.key))
	}
	if err := w.failed(); err != nil {
		return 0, err
	}
	n := 0
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = getPart(w.s.opts.PartSize)
		}
		k := copy(w.buf[len(w.buf):cap(w.buf)], p)
		w.buf = w.buf[:len(w.buf)+k]
		p = p[k:]
		n += k
		if len(w.buf) == cap(w.buf) {
			if err := w.flush(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// flush sends the buffer as the next part.
func (w *s3Writer) flush() error {
	if w.upload == "" {
		var id string
		err := do(w.ctx, w.s.opts, w.s.url(w.key), func(ctx context.Context) (err error) {
			id, err = w.s.core.NewMultipartUpload(ctx, w.s.bucket, w.key, minio.PutObjectOptions{})
			return err
		})
		if err != nil {
			err = w.s.err(w.key, err)
			w.setErr(err)
			return err
		}
		w.mu.Lock()
		w.upload = id
		aborted := w.aborted
		w.mu.Unlock()
		if aborted {
			w.abortUpload()
			return w.failed()
		}
	}
	select {
	case w.sem <- struct{}{}:
	case <-w.ctx.Done():
		return w.failed()
	}
	w.mu.Lock()
	w.parts = append(w.parts, minio.CompletePart{})
	num := len(w.parts)
	w.mu.Unlock()
	data := w.buf
	w.buf = nil
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer func() { <-w.sem }()
		defer putPart(data)
		var part minio.ObjectPart
		popts := minio.PutObjectPartOptions{Sha256Hex: w.s.payloadSHA256(data)}
		popts.DisableContentSha256 = popts.Sha256Hex != ""
		err := do(w.ctx, w.s.opts, fmt.Sprintf("%s part %d", w.s.url(w.key), num), func(ctx context.Context) (err error) {
			part, err = w.s.core.PutObjectPart(ctx, w.s.bucket, w.key, w.upload, num, bytes.NewReader(data), int64(len(data)), popts)
			return err
		})
		if err != nil {
			w.setErr(w.s.err(w.key, err))
			w.cancel()
			return
		}
		counters.written.Add(int64(len(data)))
		w.mu.Lock()
		w.parts[num-1] = minio.CompletePart{PartNumber: num, ETag: part.ETag}
		w.mu.Unlock()
	}()
	return w.failed()
}

func (w *s3Writer) Close() error {
	if w.closed.Load() {
		if w.done {
			return nil
		}
		if err := w.failed(); err != nil {
			return err
		}
		return fmt.Errorf("%s: closed twice", w.s.url(w.key))
	}
	w.closed.Store(true)
	err := w.failed()
	if err == nil && w.upload == "" {
		data := w.buf
		if data == nil {
			data = []byte{}
		}
		sum := w.s.payloadSHA256(data)
		err = do(w.ctx, w.s.opts, w.s.url(w.key), func(ctx context.Context) error {
			_, err := w.s.core.PutObject(ctx, w.s.bucket, w.key, bytes.NewReader(data), int64(len(data)), "", sum, minio.PutObjectOptions{DisableContentSha256: sum != ""})
			return err
		})
		if err == nil {
			counters.written.Add(int64(len(data)))
		}
		if w.buf != nil {
			putPart(w.buf)
			w.buf = nil
		}
		if err != nil {
			err = w.s.err(w.key, err)
			w.setErr(err)
		}
	} else if err == nil {
		if len(w.buf) > 0 {
			err = w.flush()
		}
		w.wg.Wait()
		if err = w.failed(); err == nil {
			err = do(w.ctx, w.s.opts, w.s.url(w.key), func(ctx context.Context) error {
				_, err := w.s.core.CompleteMultipartUpload(ctx, w.s.bucket, w.key, w.upload, w.parts, minio.PutObjectOptions{})
				return err
			})
			if err != nil {
				err = w.s.err(w.key, err)
				w.setErr(err)
			}
		}
	}
	if err != nil {
		w.abort()
		return err
	}
	w.stop()
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
	w.cancel()
	return nil
}

func (w *s3Writer) Abort() error {
	w.mu.Lock()
	if w.done {
		w.mu.Unlock()
		return nil
	}
	if w.err == nil {
		w.err = fmt.Errorf("%s: upload aborted", w.s.url(w.key))
	}
	w.mu.Unlock()
	w.closed.Store(true)
	return w.abort()
}

// abort stops the part uploads and deletes the parts sent.
func (w *s3Writer) abort() error {
	w.cancel()
	w.wg.Wait()
	if w.buf != nil {
		putPart(w.buf)
		w.buf = nil
	}
	return w.abortUpload()
}

// abortUpload cancels the writer's requests and aborts the multipart upload,
// if one was started. It runs when the writer's context is cancelled too, so
// it uses a context of its own and touches nothing the writing goroutine
// owns.
func (w *s3Writer) abortUpload() error {
	w.cancel()
	w.mu.Lock()
	if w.done {
		w.mu.Unlock()
		return nil
	}
	if w.err == nil {
		w.err = fmt.Errorf("%s: upload cancelled", w.s.url(w.key))
	}
	upload := w.upload
	w.aborted = true
	w.mu.Unlock()
	if upload == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.s.opts.RequestTimeout)
	defer cancel()
	err := do(ctx, w.s.opts, w.s.url(w.key), func(ctx context.Context) error {
		return w.s.core.AbortMultipartUpload(ctx, w.s.bucket, w.key, upload)
	})
	var me minio.ErrorResponse
	if errors.As(err, &me) && me.Code == "NoSuchUpload" {
		err = nil // aborted already
	}
	return w.s.err(w.key, err)
}
