package outdir

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// FileSum is one file a unit or task wrote: its path relative to the output
// directory, its size and the xxh3 of its bytes.
type FileSum struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
	XXH3 string `json:"xxh3"`
	Docs int64  `json:"docs,omitempty"`
}

// Counts are a unit's document counts in one stage.
type Counts struct {
	Read     int64 `json:"read"` // documents and bad records read (stage 0) or taken from the spool
	Kept     int64 `json:"kept"` // written to kept/ (last stage) or passed on to the next stage
	Removed  int64 `json:"removed"`
	Rejected int64 `json:"rejected"`
}

// Marker says that a unit or a task of a stage is finished: it is written
// only after every file it lists is durable, so a marker that verifies is
// work that need not be done again.
type Marker struct {
	Stage    int       `json:"stage"`
	Unit     int       `json:"unit"` // -1 for a task marker
	Task     int       `json:"task"`
	Input    string    `json:"input,omitempty"`
	Files    []FileSum `json:"files"`
	Counts   Counts    `json:"counts"`
	Bytes    int64     `json:"bytes"` // text bytes read
	Seconds  float64   `json:"seconds"`
	Host     string    `json:"host,omitempty"`
	Finished time.Time `json:"finished"`
	// Stats is the unit's share of the run's statistics, merged in unit
	// order into stats.json when the run completes.
	Stats json.RawMessage `json:"stats,omitempty"`
	// Warnings of a decide task, for stats.json.
	Warnings []string `json:"warnings,omitempty"`
	// Storage is what a task asked of remote stores.
	Storage *StorageStats `json:"storage,omitempty"`
	// CPUSeconds is the CPU (user + system) its process spent while the
	// task ran; PeakRSS the process's peak resident memory when it ended.
	CPUSeconds float64 `json:"cpu_seconds,omitempty"`
	PeakRSS    int64   `json:"peak_rss_bytes,omitempty"`
}

// ErrMismatch is wrapped by a marker whose files no longer match it.
var ErrMismatch = errors.New("output files do not match their marker")

// WriteMarker writes m at path, atomically.
func WriteMarker(path string, m *Marker) error {
	if m.Finished.IsZero() {
		m.Finished = time.Now().UTC()
	}
	if m.Host == "" {
		m.Host, _ = os.Hostname()
	}
	return WriteJSON(path, m)
}

// ReadMarker reads the marker at path; (nil, nil) when there is none.
func ReadMarker(path string) (*Marker, error) {
	var m Marker
	if err := ReadJSON(path, &m); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	return &m, nil
}

// Verify checks that every file of m exists with its size and, when full
// is set, its checksum.
func (d Dir) Verify(m *Marker, full bool) error {
	for _, f := range m.Files {
		if d.Remote != nil {
			// Objects are checked by size: a checksum would mean reading
			// them back.
			n, err := d.Remote.Size(context.Background(), f.Path)
			if err != nil {
				return fmt.Errorf("%w: %s/%s: %v", ErrMismatch, d.Remote.URL, f.Path, err)
			}
			if n != f.Size {
				return fmt.Errorf("%w: %s/%s is %d bytes, the marker says %d", ErrMismatch, d.Remote.URL, f.Path, n, f.Size)
			}
			continue
		}
		p := d.Abs(f.Path)
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrMismatch, p, err)
		}
		if st.Size() != f.Size {
			return fmt.Errorf("%w: %s is %d bytes, the marker says %d", ErrMismatch, p, st.Size(), f.Size)
		}
		if full {
			_, sum, err := HashFile(p)
			if err != nil {
				return fmt.Errorf("%w: %s: %v", ErrMismatch, p, err)
			}
			if sum != f.XXH3 {
				return fmt.Errorf("%w: %s has checksum %s, the marker says %s", ErrMismatch, p, sum, f.XXH3)
			}
		}
	}
	return nil
}

// Sum records a finished file for a marker.
func (d Dir) Sum(path string, docs int64) (FileSum, error) {
	n, sum, err := HashFile(path)
	if err != nil {
		return FileSum{}, err
	}
	return FileSum{Path: d.Rel(path), Size: n, XXH3: sum, Docs: docs}, nil
}
