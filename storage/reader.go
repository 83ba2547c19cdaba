package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// version identifies the content of an object: a read that resumes checks
// the object still has it.
type version struct {
	size int64 // total size, -1 if unknown
	etag string
}

// fetcher opens one byte range of one remote object: [off, off+n), n < 0
// meaning to the end. If want.etag is set, the server is asked to answer
// only for that version. It returns the version the server reports.
type fetcher interface {
	fetch(ctx context.Context, off, n int64, want version) (io.ReadCloser, version, error)
	name() string
	options() Options
}

// resumingReader reads [off, end) of an object, resuming a cut or stalled
// body with a Range request from the byte reached.
type resumingReader struct {
	ctx    context.Context
	f      fetcher
	pos    int64 // next byte to read
	end    int64 // -1: to the end of the object
	ver    version
	body   io.ReadCloser
	held   bool // the body holds a request slot
	chunk  bool // a readahead chunk: keeps its slot while the body is read
	cancel context.CancelFunc
	timer  *time.Timer
	stall  atomic.Bool
	fails  int // consecutive failed attempts without progress
	err    error
}

func newResumingReader(ctx context.Context, f fetcher, off, n int64, ver version) *resumingReader {
	end := int64(-1)
	if n >= 0 {
		end = off + n
	}
	if end < 0 && ver.size >= 0 {
		end = ver.size
	}
	return &resumingReader{ctx: ctx, f: f, pos: off, end: end, ver: ver}
}

func (r *resumingReader) open() error {
	o := r.f.options()
	if err := acquire(r.ctx, o); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(r.ctx)
	// Waiting for headers is capped by RequestTimeout; once the body
	// flows, the stall timer takes over.
	hdr := time.AfterFunc(o.RequestTimeout, func() { r.stall.Store(true); cancel() })
	n := int64(-1)
	if r.end >= 0 {
		n = r.end - r.pos
	}
	body, ver, err := r.f.fetch(ctx, r.pos, n, r.ver)
	hdr.Stop()
	if err != nil {
		cancel()
		release()
		if r.stall.Swap(false) && r.ctx.Err() == nil {
			return fmt.Errorf("%w: %w", errStalled, err)
		}
		return err
	}
	if (r.ver.etag != "" && ver.etag != "" && ver.etag != r.ver.etag) ||
		(r.ver.size >= 0 && ver.size >= 0 && ver.size != r.ver.size) {
		body.Close()
		cancel()
		release()
		return &ChangedError{Name: r.f.name(), Was: r.ver.etag, Now: ver.etag, Size: r.ver.size, Size2: ver.size}
	}
	if r.ver.etag == "" {
		r.ver.etag = ver.etag
	}
	if r.ver.size < 0 {
		r.ver.size = ver.size
		if r.end < 0 && ver.size >= 0 {
			r.end = ver.size
		}
	}
	r.body, r.cancel = body, cancel
	r.held = r.chunk
	if !r.held {
		// A stream is read at the pace of its consumer, which may itself
		// wait for requests (writing its output): it keeps no slot, so
		// that slots only ever wait for requests that finish by themselves.
		release()
	}
	// The stall timer runs only while a Read waits for the body, so a
	// consumer that takes its time does not count as a stalled server.
	r.timer = time.AfterFunc(time.Hour, func() { r.stall.Store(true); cancel() })
	r.timer.Stop()
	return nil
}

func (r *resumingReader) closeBody() {
	if r.body == nil {
		return
	}
	r.timer.Stop()
	r.cancel()
	r.body.Close()
	if r.held {
		release()
		r.held = false
	}
	r.body = nil
}

func (r *resumingReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.end >= 0 && r.pos >= r.end {
		r.closeBody()
		return 0, io.EOF
	}
	if r.end >= 0 && int64(len(p)) > r.end-r.pos {
		p = p[:r.end-r.pos]
	}
	o := r.f.options()
	for {
		var err error
		if r.body == nil {
			err = r.open()
		}
		if err == nil {
			var n int
			r.timer.Reset(o.StallTimeout)
			n, err = r.body.Read(p)
			r.timer.Stop()
			if n > 0 {
				r.pos += int64(n)
				r.fails = 0
				counters.read.Add(int64(n))
				if err == io.EOF && r.end < 0 {
					r.end = r.pos
				}
				if err != nil {
					// Cut short (or at the end): the next Read resumes
					// with a new request, or returns io.EOF.
					r.closeBody()
				}
				return n, nil
			}
			if err == io.EOF {
				if r.end < 0 || r.pos >= r.end {
					r.closeBody()
					return 0, io.EOF
				}
				err = io.ErrUnexpectedEOF // the body ended before its length
			}
			if r.stall.Swap(false) && r.ctx.Err() == nil {
				err = fmt.Errorf("%w: %w", errStalled, err)
			}
			r.closeBody()
		}
		if r.ctx.Err() != nil {
			r.err = r.ctx.Err()
			return 0, r.err
		}
		r.fails++
		if !retryable(err) {
			r.err = err
			return 0, err
		}
		if r.fails >= o.MaxAttempts {
			r.err = fmt.Errorf("%s: giving up at byte %d after %d attempts: %w", r.f.name(), r.pos, r.fails, err)
			return 0, r.err
		}
		counters.retries.Add(1)
		if err := sleep(r.ctx, backoff(o, r.fails)); err != nil {
			r.err = err
			return 0, err
		}
	}
}

func (r *resumingReader) Close() error {
	r.closeBody()
	if r.err == nil {
		r.err = errors.New(r.f.name() + ": read after close")
	}
	return nil
}

// readahead reads an object of known size in chunks, with up to
// Readahead range requests running ahead of the reader.
type readahead struct {
	ctx    context.Context
	cancel context.CancelFunc
	queue  chan chan chunk
	cur    []byte
	curBuf *[]byte
	err    error
	wg     sync.WaitGroup
	pool   *sync.Pool
}

type chunk struct {
	buf *[]byte
	n   int
	err error
}

func newReadahead(ctx context.Context, f fetcher, ver version) *readahead {
	o := f.options()
	ctx, cancel := context.WithCancel(ctx)
	ra := &readahead{ctx: ctx, cancel: cancel, queue: make(chan chan chunk, o.Readahead-1)}
	pool := &sync.Pool{New: func() any { b := make([]byte, o.ChunkSize); return &b }}
	ra.wg.Add(1)
	go func() {
		defer ra.wg.Done()
		defer close(ra.queue)
		sem := make(chan struct{}, o.Readahead)
		for off := int64(0); off < ver.size; off += o.ChunkSize {
			n := min(o.ChunkSize, ver.size-off)
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			fut := make(chan chunk, 1)
			ra.wg.Add(1)
			go func(off, n int64) {
				defer ra.wg.Done()
				buf := pool.Get().(*[]byte)
				rr := newResumingReader(ctx, f, off, n, ver)
				rr.chunk = true
				k, err := io.ReadFull(rr, (*buf)[:n])
				rr.Close()
				<-sem
				fut <- chunk{buf, k, err}
			}(off, n)
			select {
			case ra.queue <- fut:
			case <-ctx.Done():
				return
			}
		}
	}()
	ra.pool = pool
	return ra
}

func (ra *readahead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.err != nil {
			return 0, ra.err
		}
		if ra.curBuf != nil {
			ra.pool.Put(ra.curBuf)
			ra.curBuf = nil
		}
		fut, ok := <-ra.queue
		if !ok {
			if err := ra.ctx.Err(); err != nil {
				ra.err = err
			} else {
				ra.err = io.EOF
			}
			continue
		}
		c := <-fut
		if c.err != nil {
			ra.err = c.err
			ra.pool.Put(c.buf)
			continue
		}
		ra.cur, ra.curBuf = (*c.buf)[:c.n], c.buf
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

func (ra *readahead) Close() error {
	ra.cancel()
	go func() {
		for fut := range ra.queue {
			<-fut
		}
	}()
	ra.wg.Wait()
	if ra.err == nil || ra.err == io.EOF {
		ra.err = errors.New("read after close")
	}
	return nil
}

// openObject opens a whole object for a streaming read: small objects with
// one resuming request, large ones with readahead.
func openObject(ctx context.Context, f fetcher, ver version) io.ReadCloser {
	o := f.options()
	if ver.size >= 2*o.ChunkSize && o.Readahead > 1 {
		return newReadahead(ctx, f, ver)
	}
	return newResumingReader(ctx, f, 0, -1, ver)
}
