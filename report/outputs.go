package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/saring/saring/formats"
	"github.com/saring/saring/outdir"
)

// Set is the output a document went to.
type Set uint8

const (
	Kept Set = iota
	Removed
	Rejected
)

// Sets lists the sets in the order outputs are read (outdir.Kinds).
var Sets = []Set{Kept, Removed, Rejected}

func (s Set) String() string {
	if int(s) < len(outdir.Kinds) {
		return outdir.Kinds[s]
	}
	return fmt.Sprintf("set(%d)", uint8(s))
}

// ParseSet is the inverse of Set.String.
func ParseSet(s string) (Set, bool) {
	for _, x := range Sets {
		if x.String() == s {
			return x, true
		}
	}
	return 0, false
}

// Compression of an output file, from its name.
type Compression uint8

const (
	Plain Compression = iota
	Gzip
	Zstd
	Parquet
)

// OutputFile is one part file of a run's output.
type OutputFile struct {
	Path        string // absolute or relative to the working directory
	Rel         string // relative to OUTDIR, e.g. kept/part-01-000003-00000.jsonl.zst
	Set         Set
	Compression Compression
	Size        int64
	ModTime     int64 // UnixNano, to notice a re-run
}

// ListOutputs lists OUTDIR's kept, removed and rejected files in set, then
// name (input), order, as outdir lists them: temporary files of writers
// that did not finish are not listed. Missing directories are fine (a run
// that removed nothing).
func ListOutputs(dir string) ([]OutputFile, error) {
	d := outdir.Dir{Root: dir}
	var out []OutputFile
	for _, set := range Sets {
		paths, err := d.Files(set.String())
		if err != nil {
			return nil, fmt.Errorf("list outputs: %w", err)
		}
		for _, p := range paths {
			fi, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("list outputs: %w", err)
			}
			if !fi.Mode().IsRegular() {
				continue
			}
			out = append(out, OutputFile{
				Path: p, Rel: d.Rel(p), Set: set,
				Compression: compressionOf(filepath.Base(p)), Size: fi.Size(), ModTime: fi.ModTime().UnixNano(),
			})
		}
	}
	return out, nil
}

func compressionOf(name string) Compression {
	switch {
	case strings.HasSuffix(name, ".gz"):
		return Gzip
	case strings.HasSuffix(name, ".zst"):
		return Zstd
	case strings.HasSuffix(name, ".parquet"):
		return Parquet
	}
	return Plain
}

// OpenDecompressed opens an output file as a JSONL stream: JSONL files
// through formats.OpenDecompressed, Parquet files through OpenParquetJSONL.
func OpenDecompressed(f OutputFile) (io.ReadCloser, error) {
	if f.Compression == Parquet {
		return OpenParquetJSONL(f.Path)
	}
	return formats.OpenDecompressed(f.Path)
}
