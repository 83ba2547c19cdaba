package pipeline

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/saring/saring/formats"
)

// Input is one file to read.
type Input struct {
	Path string `json:"path"`
	Size int64  `json:"size"` // -1 when unknown (standard input)
}

// ExpandInputs turns paths, directories (recursive) and globs into a list of
// files, in a stable order: arguments in the order given, the files of a
// directory or glob sorted by name. In directories, only files whose name
// tells a known format are taken (unless the format is set explicitly), and
// hidden files are passed over. Directories named in exclude (the run's own
// output directory) are never walked into, so that a re-run does not read
// its earlier output back as input.
func ExpandInputs(paths []string, format string, exclude ...string) ([]Input, error) {
	var skip []string
	for _, e := range exclude {
		if a, err := filepath.Abs(e); err == nil {
			skip = append(skip, a)
		}
	}
	excluded := func(path string) bool {
		a, err := filepath.Abs(path)
		if err != nil {
			return false
		}
		for _, s := range skip {
			if a == s || strings.HasPrefix(a, s+string(filepath.Separator)) {
				return true
			}
		}
		return false
	}
	var out []Input
	for _, p := range paths {
		if p == "-" {
			out = append(out, Input{Path: "-", Size: -1})
			continue
		}
		matches := []string{p}
		if strings.ContainsAny(p, "*?[") {
			m, err := filepath.Glob(p)
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", p, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("input %q matches no file", p)
			}
			matches = m // Glob sorts
		}
		for _, m := range matches {
			st, err := os.Stat(m)
			if err != nil {
				return nil, fmt.Errorf("input %s: %w", m, unwrapPathError(err))
			}
			if !st.IsDir() {
				out = append(out, Input{Path: m, Size: st.Size()})
				continue
			}
			err = filepath.WalkDir(m, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return fmt.Errorf("input %s: %w (check its permissions, or leave it out)", path, unwrapPathError(err))
				}
				name := d.Name()
				if path != m && strings.HasPrefix(name, ".") {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if d.IsDir() {
					if path != m && excluded(path) {
						return filepath.SkipDir
					}
					return nil
				}
				if (format == "" || format == "auto") && formats.FormatOf(name) == "" {
					return nil
				}
				info, err := d.Info()
				if err != nil {
					return fmt.Errorf("input %s: %w", path, err)
				}
				out = append(out, Input{Path: path, Size: info.Size()})
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no input files found in %s (only files named .jsonl, .jsonl.gz, .jsonl.zst, .txt, .parquet, .warc.gz, .wet.gz ... are read from directories)", strings.Join(paths, ", "))
	}
	return out, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
