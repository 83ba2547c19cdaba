package outdir

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/zeebo/xxh3"
)

// File is a file that appears under its final name only when Commit
// succeeds: it is written under a temporary name in the same directory,
// synced, renamed, and the directory synced. Abort (or a crash) leaves no
// file under the final name. It hashes what is written, for markers.
type File struct {
	f      *os.File
	path   string
	tmp    string
	h      *xxh3.Hasher
	size   int64
	done   bool
	NoSync bool // for scratch files a crash makes worthless anyway
}

// TempName is the temporary name Create writes path under. Readers that list
// a directory skip such names; a new attempt removes them.
func TempName(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
}

// Create starts an atomic file at path, making its directory if needed.
func Create(path string) (*File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	tmp := TempName(path)
	f, err := os.Create(tmp)
	if err != nil {
		return nil, err
	}
	return &File{f: f, path: path, tmp: tmp, h: xxh3.New()}, nil
}

func (a *File) Write(p []byte) (int, error) {
	n, err := a.f.Write(p)
	a.h.Write(p[:n])
	a.size += int64(n)
	return n, err
}

// Name is the final name.
func (a *File) Name() string { return a.path }

// Sum is the size and checksum of what was written so far.
func (a *File) Sum() (size int64, xxh string) { return a.size, fmt.Sprintf("%016x", a.h.Sum64()) }

// Commit makes the file durable under its final name.
func (a *File) Commit() error {
	if a.done {
		return nil
	}
	a.done = true
	if !a.NoSync {
		if err := a.f.Sync(); err != nil {
			a.f.Close()
			os.Remove(a.tmp)
			return fmt.Errorf("%s: %w (is the disk full?)", a.path, err)
		}
	}
	if err := a.f.Close(); err != nil {
		os.Remove(a.tmp)
		return fmt.Errorf("%s: %w", a.path, err)
	}
	if err := os.Rename(a.tmp, a.path); err != nil {
		os.Remove(a.tmp)
		return err
	}
	if !a.NoSync {
		SyncDir(filepath.Dir(a.path))
	}
	return nil
}

// Abort removes the temporary file. It is safe after Commit (it does nothing).
func (a *File) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.f.Close()
	os.Remove(a.tmp)
}

// SyncDir makes renames in dir durable. Not every file system can sync a
// directory; the rename is what matters, so errors are ignored.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// WriteFile writes data to path atomically and durably.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Commit()
}

// WriteJSON writes v as indented JSON to path atomically and durably.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return WriteFile(path, append(b, '\n'))
}

// ReadJSON decodes path into v.
func ReadJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// HashFile returns the size and xxh3 of a file's bytes.
func HashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := xxh3.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, fmt.Sprintf("%016x", h.Sum64()), nil
}
