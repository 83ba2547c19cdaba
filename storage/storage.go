// Package storage reads and writes files where they live: on the local disk,
// in S3-compatible object storage (s3://bucket/prefix: AWS S3, MinIO, Ceph,
// R2, GCS's S3 interface) and, read-only, over http:// and https://.
//
// Every backend offers the same operations (Store): a recursive, sorted,
// paginated listing, stat, a streaming read, a byte-range read, an atomic
// create and remove. A created file or object becomes visible under its name
// only when its Writer is closed successfully: a local file is written under
// a temporary name, synced and renamed; an object is uploaded in parts that
// are completed on Close and aborted on error or cancellation.
//
// Remote requests are retried with capped, jittered exponential backoff on
// throttling (503 SlowDown, 429), server errors, connection resets and
// timeouts. A read cut in the middle of a body resumes with a Range request
// from the byte reached, after checking that the object's ETag and length
// did not change. Retries are counted (Stats), never logged with
// credentials.
package storage

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"strings"
	"time"
)

// ObjectInfo describes one file or object.
type ObjectInfo struct {
	Key     string // relative to the store (List, Stat) or the full name (package-level functions)
	Size    int64
	ModTime time.Time
	ETag    string // "" where the backend has none (local files)
}

// ErrNotExist is wrapped by the errors of operations on a missing key.
var ErrNotExist = fs.ErrNotExist

// Store is one place files live in. Keys are slash-separated and relative to
// the store's root.
type Store interface {
	// List calls fn for every key that starts with prefix, recursively, in
	// byte order of the keys. It holds no bodies; remote listings are
	// fetched a page at a time. A non-nil error from fn stops the listing
	// and is returned.
	List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error
	// Stat describes one key; the error wraps ErrNotExist if it is missing.
	Stat(ctx context.Context, key string) (ObjectInfo, error)
	// Open reads a key from the start.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// OpenRange reads n bytes from offset off (n < 0: to the end).
	OpenRange(ctx context.Context, key string, off, n int64) (io.ReadCloser, error)
	// Create writes a key atomically: the key shows the new content only
	// after Close returns nil. Abort (or a cancelled ctx) discards it.
	Create(ctx context.Context, key string) (Writer, error)
	// Remove deletes a key; removing a missing key is not an error.
	Remove(ctx context.Context, key string) error
	// String names the store's root, without credentials.
	String() string
}

// Writer is a file or object being created.
type Writer interface {
	io.Writer
	// Close makes the content visible under its name. When it returns an
	// error, nothing was published and the partial content is discarded.
	Close() error
	// Abort discards what was written. It is a no-op after a successful
	// Close, and safe to call more than once.
	Abort() error
}

// IsRemote tells whether a name is an object-storage or web URL rather than
// a local path.
func IsRemote(name string) bool {
	return strings.HasPrefix(name, "s3://") || strings.HasPrefix(name, "https://") || strings.HasPrefix(name, "http://")
}

// IsURL reports whether name is an http(s) URL.
func IsURL(name string) bool {
	return strings.HasPrefix(name, "https://") || strings.HasPrefix(name, "http://")
}

// Resolve returns the store that holds name and the key of name in it:
// s3://bucket/key → the bucket's store and "key"; http(s)://... → the
// read-only web store and the URL itself; anything else → the local file
// system, with the path as the key.
func Resolve(name string) (Store, string, error) {
	switch {
	case strings.HasPrefix(name, "s3://"):
		bucket, key, _ := strings.Cut(strings.TrimPrefix(name, "s3://"), "/")
		if bucket == "" {
			return nil, "", errors.New(name + ": no bucket in the URL (use s3://BUCKET/KEY)")
		}
		s, err := S3Bucket(bucket)
		if err != nil {
			return nil, "", err
		}
		return s, key, nil
	case IsURL(name):
		return defaultHTTP(), name, nil
	}
	return localFS, name, nil
}

var localFS = &Local{}

// join builds the full name of a key listed from base.
func join(base, key string) string {
	switch {
	case strings.HasPrefix(base, "s3://"):
		bucket, _, _ := strings.Cut(strings.TrimPrefix(base, "s3://"), "/")
		return "s3://" + bucket + "/" + key
	}
	return key
}

// Open opens a path or URL for a streaming read. Large remote objects are
// read with a few parallel range requests ahead of the reader.
func Open(ctx context.Context, name string) (io.ReadCloser, error) {
	s, key, err := Resolve(name)
	if err != nil {
		return nil, err
	}
	return s.Open(ctx, key)
}

// OpenRange opens n bytes of a path or URL from offset off.
func OpenRange(ctx context.Context, name string, off, n int64) (io.ReadCloser, error) {
	s, key, err := Resolve(name)
	if err != nil {
		return nil, err
	}
	return s.OpenRange(ctx, key, off, n)
}

// Stat describes a path or URL; Key is the name given.
func Stat(ctx context.Context, name string) (ObjectInfo, error) {
	s, key, err := Resolve(name)
	if err != nil {
		return ObjectInfo{}, err
	}
	info, err := s.Stat(ctx, key)
	info.Key = name
	return info, err
}

// Create creates a path or object atomically (see Store.Create).
func Create(ctx context.Context, name string) (Writer, error) {
	s, key, err := Resolve(name)
	if err != nil {
		return nil, err
	}
	return s.Create(ctx, key)
}

// Remove deletes a path or object.
func Remove(ctx context.Context, name string) error {
	s, key, err := Resolve(name)
	if err != nil {
		return err
	}
	return s.Remove(ctx, key)
}

// List lists every name under a path or s3:// prefix, recursively, sorted;
// ObjectInfo.Key is the full name (s3://bucket/key, or the local path).
func List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error {
	s, key, err := Resolve(prefix)
	if err != nil {
		return err
	}
	if IsURL(prefix) {
		return errors.New(prefix + ": web URLs cannot be listed; name the files, or list them in a paths file (@paths.txt)")
	}
	return s.List(ctx, key, func(o ObjectInfo) error {
		o.Key = join(prefix, o.Key)
		return fn(o)
	})
}
