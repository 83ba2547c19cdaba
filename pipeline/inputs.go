package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"

	"github.com/saring/saring/formats"
	"github.com/saring/saring/storage"
)

// Input is one file to read.
type Input struct {
	Path string `json:"path"`
	Size int64  `json:"size"` // -1 when unknown (standard input)
}

// PathsBaseEnv names the base that relative lines of a paths file are
// joined to (see ExpandInputs).
const PathsBaseEnv = "SARING_PATHS_BASE"

// CommonCrawlBase serves the files named in Common Crawl's paths files
// (warc.paths.gz, wet.paths.gz), whose lines start with "crawl-data/".
const CommonCrawlBase = "https://data.commoncrawl.org/"

// ExpandInputs turns paths, directories (recursive) and globs into a list of
// files, in a stable order: arguments in the order given, the files of a
// directory or glob sorted by name. In directories, only files whose name
// tells a known format are taken (unless the format is set explicitly), and
// hidden files are passed over. Directories named in exclude (the run's own
// output directory) are never walked into, so that a re-run does not read
// its earlier output back as input.
//
// Remote inputs follow the same rules:
//   - s3://BUCKET/KEY is one object; if there is no object of that name, it
//     is a prefix, listed recursively (as KEY/) in key order, with the same
//     filters as a directory. s3://BUCKET/PREFIX/*.jsonl.zst matches keys
//     with a glob (path.Match, where * does not cross a /).
//   - http:// and https:// URLs are read as they are.
//   - @FILE reads a paths file: one path or URL a line (blank lines and
//     lines starting with # are skipped), optionally gzip-compressed
//     (Common Crawl's warc.paths.gz); FILE itself may be local, s3:// or
//     https://. A line that is a URL or an absolute path is taken as it is.
//     A relative line is joined to $SARING_PATHS_BASE when that is set (a
//     directory, s3:// prefix or URL); else a line starting with
//     "crawl-data/" to https://data.commoncrawl.org/; else to the directory
//     of the paths file. Every listed file must exist.
//
// Sizes come from the listing (S3) or a HEAD request (web URLs).
func ExpandInputs(paths []string, format string, exclude ...string) ([]Input, error) {
	ctx := context.Background()
	var skip, skipRemote []string
	for _, e := range exclude {
		if storage.IsRemote(e) {
			skipRemote = append(skipRemote, strings.TrimSuffix(e, "/"))
		} else if a, err := filepath.Abs(e); err == nil {
			skip = append(skip, a)
		}
	}
	excluded := func(path string) bool {
		if storage.IsRemote(path) {
			p := strings.TrimSuffix(path, "/")
			for _, s := range skipRemote {
				if p == s || strings.HasPrefix(p, s+"/") {
					return true
				}
			}
			return false
		}
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
		if strings.HasPrefix(p, "@") && len(p) > 1 {
			ins, err := readPathsFile(ctx, p[1:])
			if err != nil {
				return nil, err
			}
			out = append(out, ins...)
			continue
		}
		if storage.IsRemote(p) {
			ins, err := expandRemote(ctx, p, format, excluded)
			if err != nil {
				return nil, err
			}
			out = append(out, ins...)
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

// expandRemote expands one s3:// or http(s):// argument.
func expandRemote(ctx context.Context, p, format string, excluded func(string) bool) ([]Input, error) {
	if storage.IsURL(p) {
		info, err := storage.Stat(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("input %w", err)
		}
		return []Input{{Path: p, Size: info.Size}}, nil
	}
	bucketKey := strings.TrimPrefix(p, "s3://")
	glob := ""
	if i := strings.IndexAny(bucketKey, "*?["); i >= 0 {
		glob = p
		// List from the last / before the first wildcard.
		j := strings.LastIndex(p[:len("s3://")+i], "/")
		p = p[:j+1]
	} else if !strings.HasSuffix(p, "/") && strings.Contains(bucketKey, "/") {
		info, err := storage.Stat(ctx, p)
		if err == nil {
			return []Input{{Path: p, Size: info.Size}}, nil
		}
		if !errors.Is(err, storage.ErrNotExist) {
			return nil, fmt.Errorf("input %w", err)
		}
		p += "/"
	} else if !strings.HasSuffix(p, "/") {
		p += "/" // s3://bucket
	}
	var out []Input
	err := storage.List(ctx, p, func(o storage.ObjectInfo) error {
		rel := strings.TrimPrefix(o.Key, p)
		if rel == "" || strings.HasSuffix(rel, "/") {
			return nil // a folder marker
		}
		if glob != "" {
			if ok, err := path.Match(glob, o.Key); err != nil {
				return fmt.Errorf("input %q: %w", glob, err)
			} else if !ok {
				return nil
			}
		} else {
			for _, part := range strings.Split(rel, "/") {
				if strings.HasPrefix(part, ".") {
					return nil // hidden, as in directories
				}
			}
			if excluded(o.Key) || excluded(path.Dir(o.Key)) {
				return nil
			}
			if (format == "" || format == "auto") && formats.FormatOf(path.Base(rel)) == "" {
				return nil
			}
		}
		out = append(out, Input{Path: o.Key, Size: o.Size})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", p, err)
	}
	if glob != "" && len(out) == 0 {
		return nil, fmt.Errorf("input %q matches no object", glob)
	}
	return out, nil
}

// readPathsFile reads a file of paths or URLs (see ExpandInputs) and
// stats every entry, a few at a time, keeping their order.
func readPathsFile(ctx context.Context, name string) ([]Input, error) {
	r, err := storage.Open(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("paths file %s: %w", name, unwrapPathError(err))
	}
	defer r.Close()
	br := bufio.NewReader(r)
	var body io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("paths file %s: %w", name, err)
		}
		defer gz.Close()
		body = gz
	}
	type entry struct {
		line int
		path string
	}
	var entries []entry
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := string(bytes.TrimSpace(sc.Bytes()))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		entries = append(entries, entry{n, resolvePathsLine(name, line)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("paths file %s: %w", name, err)
	}
	out := make([]Input, len(entries))
	errs := make([]error, len(entries))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i, e := range entries {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			info, err := storage.Stat(ctx, e.path)
			if err != nil {
				if !storage.IsRemote(e.path) {
					err = fmt.Errorf("%s: %w", e.path, unwrapPathError(err))
				}
				errs[i] = fmt.Errorf("%s:%d: %w", name, e.line, err)
				return
			}
			out[i] = Input{Path: e.path, Size: info.Size}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// resolvePathsLine joins a relative line of the paths file name to its base.
func resolvePathsLine(name, line string) string {
	if storage.IsRemote(line) || filepath.IsAbs(line) {
		return line
	}
	base := os.Getenv(PathsBaseEnv)
	if base == "" && strings.HasPrefix(line, "crawl-data/") {
		base = CommonCrawlBase
	}
	if base == "" {
		if storage.IsRemote(name) {
			base = name[:strings.LastIndex(name, "/")+1]
		} else {
			return filepath.Join(filepath.Dir(name), filepath.FromSlash(line))
		}
	}
	if storage.IsRemote(base) {
		return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(line, "/")
	}
	return filepath.Join(base, filepath.FromSlash(line))
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
