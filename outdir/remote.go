package outdir

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/saring/saring/storage"
)

// Remote is an output directory kept in object storage (s3://bucket/prefix).
// Every task works in a local staging directory and moves files at its
// boundaries: before it runs, it pulls what it reads (the plan, markers, its
// units' spools, decisions); after each unit and task it pushes what it wrote,
// the marker last, each object created atomically. So the objects under the
// URL are, file for file, what a local run writes under its directory.
type Remote struct {
	URL    string
	Local  string // the staging directory
	store  storage.Store
	prefix string
}

// NewRemote opens the output directory url, staged under staging (default:
// $SARING_STAGING_DIR, else a directory under the system's temp directory
// named after the URL).
func NewRemote(url, staging string) (*Remote, error) {
	store, key, err := storage.Resolve(strings.TrimSuffix(url, "/"))
	if err != nil {
		return nil, err
	}
	if staging == "" {
		staging = os.Getenv("SARING_STAGING_DIR")
	}
	if staging == "" {
		h := sha256.Sum256([]byte(url))
		staging = filepath.Join(os.TempDir(), "saring-staging", hex.EncodeToString(h[:8]))
	}
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, err
	}
	p := strings.Trim(key, "/")
	if p != "" {
		p += "/"
	}
	return &Remote{URL: url, Local: staging, store: store, prefix: p}, nil
}

func (r *Remote) key(rel string) string { return r.prefix + strings.TrimPrefix(rel, "/") }

// Pull copies remote files into the staging directory. A name ending in "/"
// is a prefix: everything under it. Missing files are not an error (the
// caller finds them missing locally). A file already staged with the same
// size is kept, except markers and plans (small; they change).
func (r *Remote) Pull(ctx context.Context, rels ...string) error {
	for _, rel := range rels {
		if strings.HasSuffix(rel, "/") {
			err := r.store.List(ctx, r.key(rel), func(o storage.ObjectInfo) error {
				return r.pullOne(ctx, strings.TrimPrefix(o.Key, r.prefix), o.Size)
			})
			if err != nil {
				return fmt.Errorf("listing %s%s: %w", r.URL, "/"+rel, err)
			}
			continue
		}
		if err := r.pullOne(ctx, rel, -1); err != nil {
			return err
		}
	}
	return nil
}

func (r *Remote) pullOne(ctx context.Context, rel string, size int64) error {
	local := filepath.Join(r.Local, filepath.FromSlash(rel))
	if size >= 0 && !strings.HasSuffix(rel, ".json") {
		if st, err := os.Stat(local); err == nil && st.Size() == size {
			return nil
		}
	}
	rc, err := r.store.Open(ctx, r.key(rel))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			os.Remove(local) // gone remotely: not to be trusted locally
			return nil
		}
		return err
	}
	defer rc.Close()
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		return err
	}
	// A name of its own: tasks on one machine share the staging directory
	// and may pull the same file at once. No fsync: the object is the
	// durable copy.
	f, err := os.CreateTemp(filepath.Dir(local), ".pull-*.tmp")
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, rc); err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("reading %s/%s: %w", r.URL, rel, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), local)
}

// Push copies staged files to the remote directory, each object atomically,
// in the order given (put the marker last).
func (r *Remote) Push(ctx context.Context, rels ...string) error {
	for _, rel := range rels {
		local := filepath.Join(r.Local, filepath.FromSlash(rel))
		f, err := os.Open(local)
		if err != nil {
			return err
		}
		w, err := r.store.Create(ctx, r.key(rel))
		if err != nil {
			f.Close()
			return err
		}
		_, err = io.Copy(w, f)
		f.Close()
		if err != nil {
			w.Abort()
			return fmt.Errorf("writing %s/%s: %w", r.URL, rel, err)
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("writing %s/%s: %w", r.URL, rel, err)
		}
	}
	return nil
}

// PushTree pushes every staged file under the directory rel.
func (r *Remote) PushTree(ctx context.Context, rel string) error {
	root := filepath.Join(r.Local, filepath.FromSlash(rel))
	var rels []string
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if e.IsDir() || strings.HasSuffix(e.Name(), ".tmp") {
			return nil
		}
		rp, _ := filepath.Rel(r.Local, p)
		rels = append(rels, filepath.ToSlash(rp))
		return nil
	})
	if err != nil {
		return err
	}
	return r.Push(ctx, rels...)
}

// RemoveAll deletes every object under the prefix rel (ending in "/") or
// the object rel.
func (r *Remote) RemoveAll(ctx context.Context, rel string) error {
	if !strings.HasSuffix(rel, "/") {
		return r.store.Remove(ctx, r.key(rel))
	}
	var keys []string
	err := r.store.List(ctx, r.key(rel), func(o storage.ObjectInfo) error {
		keys = append(keys, o.Key)
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := r.store.Remove(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// Size is the size of a remote file (an error wrapping fs.ErrNotExist when
// it is missing).
func (r *Remote) Size(ctx context.Context, rel string) (int64, error) {
	o, err := r.store.Stat(ctx, r.key(rel))
	if err != nil {
		return 0, err
	}
	return o.Size, nil
}
