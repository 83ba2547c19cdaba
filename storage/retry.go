package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"
)

// Options tune remote requests. The zero value of a field means its
// default (DefaultOptions).
type Options struct {
	// MaxAttempts is how many times one request is tried before its error
	// is returned (default 8).
	MaxAttempts int
	// BaseDelay and MaxDelay bound the jittered exponential backoff
	// between attempts (defaults 100 ms and 10 s).
	BaseDelay, MaxDelay time.Duration
	// RequestTimeout caps one request that has no body to stream back
	// (stat, a listing page, a part upload) and the wait for response
	// headers (default 2 min).
	RequestTimeout time.Duration
	// StallTimeout is how long a body may send nothing before its request
	// is cut and resumed (default 30 s).
	StallTimeout time.Duration
	// MaxConcurrency bounds the requests in flight across all stores
	// (default 32).
	MaxConcurrency int
	// ChunkSize and Readahead: objects of at least 2 chunks are read in
	// chunks of ChunkSize bytes with up to Readahead range requests ahead
	// of the reader (defaults 8 MiB and 4).
	ChunkSize int64
	Readahead int
	// PartSize and Uploads: objects are written in parts of PartSize bytes
	// (at least 5 MiB), up to Uploads parts in flight (defaults 16 MiB and
	// 3); a writer holds at most (Uploads+1)×PartSize bytes.
	PartSize int64
	Uploads  int
}

// DefaultOptions are used by stores made by Resolve and S3Bucket.
var DefaultOptions = Options{
	MaxAttempts:    8,
	BaseDelay:      100 * time.Millisecond,
	MaxDelay:       10 * time.Second,
	RequestTimeout: 2 * time.Minute,
	StallTimeout:   30 * time.Second,
	MaxConcurrency: 32,
	ChunkSize:      8 << 20,
	Readahead:      4,
	PartSize:       16 << 20,
	Uploads:        3,
}

func (o Options) withDefaults() Options {
	d := DefaultOptions
	if o.MaxAttempts > 0 {
		d.MaxAttempts = o.MaxAttempts
	}
	if o.BaseDelay > 0 {
		d.BaseDelay = o.BaseDelay
	}
	if o.MaxDelay > 0 {
		d.MaxDelay = o.MaxDelay
	}
	if o.RequestTimeout > 0 {
		d.RequestTimeout = o.RequestTimeout
	}
	if o.StallTimeout > 0 {
		d.StallTimeout = o.StallTimeout
	}
	if o.MaxConcurrency > 0 {
		d.MaxConcurrency = o.MaxConcurrency
	}
	if o.ChunkSize > 0 {
		d.ChunkSize = o.ChunkSize
	}
	if o.Readahead > 0 {
		d.Readahead = o.Readahead
	}
	if o.PartSize > 0 {
		d.PartSize = max(o.PartSize, 5<<20)
	}
	if o.Uploads > 0 {
		d.Uploads = o.Uploads
	}
	return d
}

// Counters are totals over every remote store of the process.
type Counters struct {
	Requests     int64 // remote requests started (attempts, including retries)
	Retries      int64 // attempts repeated after a transient fault, resumed reads included
	BytesRead    int64 // body bytes received
	BytesWritten int64 // body bytes sent (object parts)
}

var counters struct {
	requests, retries, read, written atomic.Int64
}

// Stats returns the process's remote-request counters.
func Stats() Counters {
	return Counters{
		Requests:     counters.requests.Load(),
		Retries:      counters.retries.Load(),
		BytesRead:    counters.read.Load(),
		BytesWritten: counters.written.Load(),
	}
}

// Retries is the number of remote requests repeated after transient faults.
func Retries() int64 { return counters.retries.Load() }

// slots bounds the remote requests in flight.
type slots struct {
	once sync.Once
	ch   chan struct{}
}

var requestSlots slots

func acquire(ctx context.Context, o Options) error {
	requestSlots.once.Do(func() { requestSlots.ch = make(chan struct{}, o.MaxConcurrency) })
	select {
	case requestSlots.ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func release() { <-requestSlots.ch }

// ChangedError is returned when an object changed while it was being read:
// its ETag or size differ between two requests of one read.
type ChangedError struct {
	Name        string
	Was, Now    string // ETags
	Size, Size2 int64
}

func (e *ChangedError) Error() string {
	s := fmt.Sprintf("%s changed while it was being read", e.Name)
	switch {
	case e.Now == "" && e.Was != "":
		s += fmt.Sprintf(" (it no longer has ETag %s)", e.Was)
	case e.Was != e.Now:
		s += fmt.Sprintf(" (ETag %s, now %s)", e.Was, e.Now)
	}
	if e.Size != e.Size2 {
		s += fmt.Sprintf(" (size %d, now %d)", e.Size, e.Size2)
	}
	return s + "; the bytes read so far are not from one version of it, read it again"
}

// statusError is an HTTP error status from a web server.
type statusError struct {
	URL    string
	Status int
	Text   string
}

func (e *statusError) Error() string { return fmt.Sprintf("%s: HTTP %d %s", e.URL, e.Status, e.Text) }

var errStalled = errors.New("no data received within the stall timeout")

// retryable tells transient faults (throttling, server errors, cut or
// stalled connections, timeouts) from final ones.
func retryable(err error) bool {
	if err == nil {
		return false
	}
	var ce *ChangedError
	if errors.As(err, &ce) {
		return false
	}
	if errors.Is(err, errStalled) {
		return true // cut by the stall timer, not by the caller
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var se *statusError
	if errors.As(err, &se) {
		return retryableStatus(se.Status)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var me minio.ErrorResponse
	if errors.As(err, &me) {
		switch me.Code {
		case "SlowDown", "SlowDownRead", "SlowDownWrite", "ServiceUnavailable", "InternalError",
			"RequestTimeout", "RequestTimeTooSkewed", "OperationAborted", "XMinioServerNotInitialized":
			return true
		}
		if me.StatusCode != 0 {
			return retryableStatus(me.StatusCode)
		}
	}
	s := err.Error()
	for _, m := range []string{"connection reset", "broken pipe", "unexpected EOF", "server closed idle connection",
		"http2: server sent GOAWAY", "use of closed network connection", "timeout awaiting response headers",
		"transport connection broken", "connection refused", "i/o timeout", "EOF"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusRequestTimeout:
		return true
	}
	return false
}

// backoff is the wait before attempt number attempt+1 (attempt ≥ 1): full
// jitter over an exponentially growing, capped window.
func backoff(o Options, attempt int) time.Duration {
	d := o.BaseDelay << min(attempt-1, 20)
	if d <= 0 || d > o.MaxDelay {
		d = o.MaxDelay
	}
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// do runs fn until it succeeds, fails for good, or the attempts run out.
// Each attempt holds a request slot and has its own timeout. name names
// the object in the final error.
func do(ctx context.Context, o Options, name string, fn func(ctx context.Context) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if err = acquire(ctx, o); err != nil {
			return err
		}
		rctx, cancel := context.WithTimeout(ctx, o.RequestTimeout)
		err = fn(rctx)
		cancel()
		release()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !retryable(err) {
			return err
		}
		if attempt >= o.MaxAttempts {
			return fmt.Errorf("%s: giving up after %d attempts: %w", name, attempt, err)
		}
		counters.retries.Add(1)
		if err := sleep(ctx, backoff(o, attempt)); err != nil {
			return err
		}
	}
}
