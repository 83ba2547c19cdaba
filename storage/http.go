package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// HTTP reads files served over http:// and https:// (Common Crawl's
// data.commoncrawl.org, any web server that honours Range requests). Keys
// are the URLs. It cannot list, create or remove.
type HTTP struct {
	client *http.Client
	opts   Options
}

// NewHTTP returns a web store that sends its requests with client (nil: a
// client of its own, with the timeouts of opts).
func NewHTTP(client *http.Client, opts Options) *HTTP {
	o := opts.withDefaults()
	if client == nil {
		client = &http.Client{Transport: newTransport(o)}
	}
	c := *client
	rt := c.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	c.Transport = countingTransport{rt}
	return &HTTP{client: &c, opts: o}
}

var (
	httpOnce  sync.Once
	httpStore *HTTP
)

func defaultHTTP() *HTTP {
	httpOnce.Do(func() { httpStore = NewHTTP(nil, DefaultOptions) })
	return httpStore
}

var errReadOnly = errors.New("web URLs are read-only")

func (h *HTTP) String() string { return "web" }

func (h *HTTP) List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error {
	return fmt.Errorf("%s: web URLs cannot be listed; name the files, or list them in a paths file (@paths.txt)", prefix)
}

func (h *HTTP) Create(ctx context.Context, key string) (Writer, error) {
	return nil, fmt.Errorf("%s: %w", key, errReadOnly)
}

func (h *HTTP) Remove(ctx context.Context, key string) error {
	return fmt.Errorf("%s: %w", key, errReadOnly)
}

func statusErr(url string, resp *http.Response) error {
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
		return fmt.Errorf("%s: HTTP %d: %w", url, resp.StatusCode, ErrNotExist)
	}
	return &statusError{URL: url, Status: resp.StatusCode, Text: http.StatusText(resp.StatusCode)}
}

func (h *HTTP) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	var info ObjectInfo
	err := do(ctx, h.opts, key, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, key, nil)
		if err != nil {
			return err
		}
		resp, err := h.client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusForbidden {
			// Some servers (and URLs presigned for GET) refuse HEAD: ask
			// for the first byte instead.
			req.Method = http.MethodGet
			req.Header.Set("Range", "bytes=0-0")
			if resp, err = h.client.Do(req); err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusPartialContent {
				resp.StatusCode = http.StatusOK
				resp.ContentLength = totalFromContentRange(resp.Header.Get("Content-Range"))
			}
		}
		if resp.StatusCode != http.StatusOK {
			return statusErr(key, resp)
		}
		info = ObjectInfo{Key: key, Size: resp.ContentLength, ETag: resp.Header.Get("ETag")}
		if t, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
			info.ModTime = t
		}
		return nil
	})
	if err != nil {
		return ObjectInfo{}, err
	}
	return info, nil
}

// httpObject reads one URL.
type httpObject struct {
	h   *HTTP
	url string
}

func (o httpObject) name() string     { return o.url }
func (o httpObject) options() Options { return o.h.opts }

func (o httpObject) fetch(ctx context.Context, off, n int64, want version) (io.ReadCloser, version, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.url, nil)
	if err != nil {
		return nil, version{}, err
	}
	switch {
	case n > 0:
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+n-1))
	case off > 0:
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", off))
	}
	if want.etag != "" && want.etag[0] == '"' { // a strong ETag
		req.Header.Set("If-Match", want.etag)
	}
	resp, err := o.h.client.Do(req)
	if err != nil {
		return nil, version{}, err
	}
	ver := version{size: -1, etag: resp.Header.Get("ETag")}
	switch resp.StatusCode {
	case http.StatusPartialContent:
		ver.size = totalFromContentRange(resp.Header.Get("Content-Range"))
	case http.StatusOK:
		ver.size = resp.ContentLength
		if off > 0 {
			// The server ignored the range: skip to the byte wanted.
			if _, err := io.CopyN(io.Discard, resp.Body, off); err != nil {
				resp.Body.Close()
				return nil, version{}, err
			}
		}
	case http.StatusPreconditionFailed:
		resp.Body.Close()
		return nil, version{}, &ChangedError{Name: o.url, Was: want.etag, Now: ver.etag, Size: want.size, Size2: want.size}
	default:
		resp.Body.Close()
		return nil, version{}, statusErr(o.url, resp)
	}
	return resp.Body, ver, nil
}

func (h *HTTP) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	info, err := h.Stat(ctx, key)
	if err != nil {
		return nil, err
	}
	return openObject(ctx, httpObject{h, key}, version{size: info.Size, etag: info.ETag}), nil
}

func (h *HTTP) OpenRange(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	if off < 0 {
		return nil, fmt.Errorf("%s: negative offset %s", key, strconv.FormatInt(off, 10))
	}
	return newResumingReader(ctx, httpObject{h, key}, off, n, version{size: -1}), nil
}

// SetDefaultHTTP replaces the store that Resolve uses for http(s) URLs (a
// client with other trusted certificates or a proxy, in tests).
func SetDefaultHTTP(h *HTTP) {
	httpOnce.Do(func() {})
	httpStore = h
}
