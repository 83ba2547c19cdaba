package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Local is a directory of the local file system. With Dir empty, keys are
// paths as given (relative to the working directory, or absolute).
type Local struct {
	Dir string
}

// tmpMark is part of the names of files being created; List passes them over.
const tmpMark = ".saring-tmp-"

func (l *Local) String() string {
	if l.Dir == "" {
		return "local files"
	}
	return l.Dir
}

func (l *Local) path(key string) string {
	if l.Dir == "" {
		return filepath.FromSlash(key)
	}
	return filepath.Join(l.Dir, filepath.FromSlash(key))
}

func (l *Local) List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error {
	base := ""
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		base = prefix[:i+1]
	}
	root := l.path(base)
	if base == "" {
		root = l.path(".")
	}
	var out []ObjectInfo
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipAll
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || strings.Contains(d.Name(), tmpMark) {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		key := base + filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		out = append(out, ObjectInfo{Key: key, Size: info.Size(), ModTime: info.ModTime()})
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	for _, o := range out {
		if err := fn(o); err != nil {
			return err
		}
	}
	return nil
}

func (l *Local) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	st, err := os.Stat(l.path(key))
	if err != nil {
		return ObjectInfo{}, err
	}
	if st.IsDir() {
		return ObjectInfo{}, fmt.Errorf("%s: is a directory: %w", l.path(key), ErrNotExist)
	}
	return ObjectInfo{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// Open returns the *os.File itself, so callers can use it as an io.ReaderAt.
func (l *Local) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return os.Open(l.path(key))
}

func (l *Local) OpenRange(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	f, err := os.Open(l.path(key))
	if err != nil {
		return nil, err
	}
	if n < 0 {
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		n = st.Size() - off
		if n < 0 {
			n = 0
		}
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, off, n), f}, nil
}

func (l *Local) Create(ctx context.Context, key string) (Writer, error) {
	p := l.path(key)
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(p)+tmpMark+"*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil { // CreateTemp's 0600 is for secrets
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &localWriter{ctx: ctx, f: f, final: p}, nil
}

func (l *Local) Remove(ctx context.Context, key string) error {
	err := os.Remove(l.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

type localWriter struct {
	ctx   context.Context
	f     *os.File
	final string
	done  bool
	err   error
}

func (w *localWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, fmt.Errorf("%s: write after close", w.final)
	}
	if err := w.ctx.Err(); err != nil {
		return 0, err
	}
	return w.f.Write(p)
}

func (w *localWriter) Close() error {
	if w.done {
		return w.err
	}
	w.done = true
	fail := func(err error) error {
		w.f.Close()
		os.Remove(w.f.Name())
		w.err = err
		return err
	}
	if err := w.ctx.Err(); err != nil {
		return fail(err)
	}
	if err := w.f.Sync(); err != nil {
		return fail(err)
	}
	if err := w.f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(w.f.Name(), w.final); err != nil {
		os.Remove(w.f.Name())
		w.err = err
		return err
	}
	if d, err := os.Open(filepath.Dir(w.final)); err == nil {
		err = d.Sync()
		d.Close()
		if err != nil {
			w.err = err
			return err
		}
	}
	return nil
}

func (w *localWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.err = errors.New(w.final + ": aborted")
	w.f.Close()
	return os.Remove(w.f.Name())
}
