package dedup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
	"github.com/zeebo/xxh3"
)

// LineOptions configures line_dedup.
type LineOptions struct {
	Unit         string `yaml:"unit" doc:"what is compared: line (split on newlines) or paragraph (split on blank lines)"`
	MinDocs      int    `yaml:"min_docs" doc:"a line found in at least this many documents (of the corpus or of the site) is removed from all of them"`
	Scope        string `yaml:"scope" doc:"where lines are counted: corpus, or site (documents of the same URL host)"`
	URLField     string `yaml:"url_field" doc:"field holding the URL, for scope: site"`
	MinLineChars int    `yaml:"min_line_chars" doc:"lines shorter than this (normalized, in characters) are never removed"`
	MinChars     int    `yaml:"min_chars" doc:"drop a document that has lines removed and is left with fewer characters than this"`
	MaxRecorded  int    `yaml:"max_recorded" doc:"removed lines recorded in metadata.repairs per document"`
}

// DefaultLineOptions returns the documented defaults. CCNet removes a
// paragraph seen anywhere else in its shard (min_docs 2); 3 leaves text
// two outlets happen to share (a quote, a syndicated lead) alone while still
// catching navigation, cookie notices and footers.
func DefaultLineOptions() LineOptions {
	return LineOptions{Unit: "line", MinDocs: 3, Scope: "corpus", URLField: "url", MinLineChars: 0, MinChars: 100, MaxRecorded: 20}
}

// Validate checks option values.
func (o *LineOptions) Validate() error {
	switch {
	case o.Unit != "line" && o.Unit != "paragraph":
		return &saring.FieldError{Field: "unit", Msg: "must be line or paragraph"}
	case o.MinDocs < 2:
		return &saring.FieldError{Field: "min_docs", Msg: "must be >= 2"}
	case o.Scope != "corpus" && o.Scope != "site":
		return &saring.FieldError{Field: "scope", Msg: "must be corpus or site"}
	case o.Scope == "site" && o.URLField == "":
		return &saring.FieldError{Field: "url_field", Msg: "must be set for scope: site"}
	case o.MinLineChars < 0:
		return &saring.FieldError{Field: "min_line_chars", Msg: "must be >= 0"}
	case o.MinChars < 0:
		return &saring.FieldError{Field: "min_chars", Msg: "must be >= 0"}
	case o.MaxRecorded < 0:
		return &saring.FieldError{Field: "max_recorded", Msg: "must be >= 0"}
	}
	return nil
}

// lineNorm is CCNet's normalization for line hashing: case, digits,
// punctuation and spacing do not make lines different.
var lineNorm = TextNorm{Lowercase: true, CollapseWhitespace: true, StripPunctuation: true, ReplaceDigits: true}

// LineDedup is line_dedup: cross-document boilerplate removal. The first
// pass records, for every document, the hashes of its distinct normalized
// lines; Finish counts the documents of each hash (in memory, or through
// sorted runs on disk past the memory budget) and keeps only the hashes that
// reach min_docs; the second pass removes those lines from every document.
// Memory: the records up to the budget, then only the frequent hashes.
type LineDedup struct {
	o        LineOptions
	dir      string
	perShard int
	shards   [16]struct {
		mu   sync.Mutex
		recs []bandRec // key: line hash, seq: document
		runs []string
		err  error
	}
	frequent map[uint64]struct{}
	done     bool
}

// NewLineDedup builds the step. env.WorkDir receives spilled runs when the
// records outgrow env.MemoryBytes (0: 1 GiB).
func NewLineDedup(o LineOptions, env saring.Env) (*LineDedup, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	mem := env.MemoryBytes
	if mem <= 0 {
		mem = 1 << 30
	}
	l := &LineDedup{o: o, dir: env.WorkDir}
	l.perShard = int(max(mem/int64(len(l.shards))/bandRecSize, 256))
	return l, nil
}

func (l *LineDedup) Name() string { return "line_dedup" }

// segment is one line or paragraph of a document and the text around it.
type segment struct {
	text string // without its separator
	sep  string // separator that followed it ("" for the last)
}

func (l *LineDedup) split(text string) []segment {
	var out []segment
	if l.o.Unit == "line" {
		for len(text) > 0 {
			i := strings.IndexByte(text, '\n')
			if i < 0 {
				out = append(out, segment{text: text})
				break
			}
			out = append(out, segment{text: text[:i], sep: "\n"})
			text = text[i+1:]
		}
		return out
	}
	// Paragraphs: runs of lines separated by one or more blank lines.
	for len(text) > 0 {
		i := strings.Index(text, "\n\n")
		if i < 0 {
			out = append(out, segment{text: text})
			break
		}
		j := i
		for j < len(text) && (text[j] == '\n' || text[j] == '\r' || text[j] == ' ' || text[j] == '\t') {
			j++
		}
		out = append(out, segment{text: text[:i], sep: text[i:j]})
		text = text[j:]
	}
	return out
}

// hashes returns the hash of each segment (0: not a candidate: empty or
// shorter than min_line_chars).
func (l *LineDedup) hashes(doc *saring.Document, segs []segment) []uint64 {
	var site uint64
	if l.o.Scope == "site" {
		u, _ := doc.Lookup(l.o.URLField)
		site = xxh3.HashString(urlHost(u)) | 1
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	hs := make([]uint64, len(segs))
	for i, s := range segs {
		b := lineNorm.appendNorm((*bp)[:0], s.text)
		*bp = b
		if len(b) == 0 || utf8.RuneCount(b) < l.o.MinLineChars {
			continue
		}
		h := xxh3.Hash(b)
		if site != 0 {
			h = combine(site, h)
		}
		hs[i] = h | 1 // never 0
	}
	return hs
}

// Add records the document's distinct lines.
func (l *LineDedup) Add(ctx context.Context, doc *saring.Document) error {
	hs := l.hashes(doc, l.split(doc.Text))
	slices.Sort(hs)
	hs = slices.Compact(hs)
	if len(hs) > 0 && hs[0] == 0 {
		hs = hs[1:]
	}
	if len(hs) == 0 {
		return nil
	}
	si := mix64(doc.Seq) % uint64(len(l.shards))
	s := &l.shards[si]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	for _, h := range hs {
		s.recs = append(s.recs, bandRec{h, doc.Seq})
	}
	if len(s.recs) >= l.perShard {
		if l.dir == "" {
			s.err = fmt.Errorf("line_dedup: more lines than the memory budget holds and no work directory to spill them to")
			return s.err
		}
		if err := os.MkdirAll(l.dir, 0o755); err != nil {
			s.err = err
			return err
		}
		sortBandRecs(s.recs)
		p := filepath.Join(l.dir, fmt.Sprintf("lines-%02d-%05d.bin", si, len(s.runs)))
		if err := writeRun(p, s.recs, true); err != nil {
			s.err = fmt.Errorf("line_dedup: spilling line hashes: %w", err)
			return s.err
		}
		s.runs = append(s.runs, p)
		s.recs = s.recs[:0]
	}
	return nil
}

// Finish counts the documents of every line and keeps the frequent ones.
func (l *LineDedup) Finish(ctx context.Context) error {
	var runs []string
	var mem []bandRec
	for i := range l.shards {
		s := &l.shards[i]
		if s.err != nil {
			return s.err
		}
		runs = append(runs, s.runs...)
		mem = append(mem, s.recs...)
		s.recs = nil
	}
	l.frequent = map[uint64]struct{}{}
	var key uint64
	n := 0
	count := func(r bandRec) error {
		if n > 0 && r.key != key {
			n = 0
		}
		key = r.key
		if n++; n == l.o.MinDocs {
			l.frequent[key] = struct{}{}
		}
		return nil
	}
	sortBandRecs(mem)
	if len(runs) == 0 {
		for _, r := range mem {
			count(r)
		}
	} else {
		// Whatever was still buffered becomes one more run.
		p := filepath.Join(l.dir, "lines-last.bin")
		if err := writeRun(p, mem, true); err != nil {
			return fmt.Errorf("line_dedup: %w", err)
		}
		mem = nil
		if err := mergeRuns(append(runs, p), count); err != nil {
			return fmt.Errorf("line_dedup: %w", err)
		}
		for _, r := range append(runs, p) {
			os.Remove(r)
		}
	}
	l.done = true
	return nil
}

func (l *LineDedup) frequentLine(h uint64) bool {
	if h == 0 {
		return false
	}
	_, ok := l.frequent[h]
	return ok
}

// Close removes spilled runs left by a failed run.
func (l *LineDedup) Close() error {
	for i := range l.shards {
		for _, r := range l.shards[i].runs {
			os.Remove(r)
		}
	}
	return nil
}

// apply returns the text without duplicate lines and what was removed.
func (l *LineDedup) apply(doc *saring.Document) (text string, removed []int, segs []segment, err error) {
	if !l.done {
		return "", nil, nil, fmt.Errorf("line_dedup: Process called before Finish")
	}
	segs = l.split(doc.Text)
	hs := l.hashes(doc, segs)
	var b strings.Builder
	b.Grow(len(doc.Text))
	for i, s := range segs {
		if l.frequentLine(hs[i]) {
			removed = append(removed, i)
			continue
		}
		b.WriteString(s.text)
		b.WriteString(s.sep)
	}
	if len(removed) == 0 {
		return doc.Text, nil, segs, nil
	}
	return strings.TrimRight(b.String(), "\n\r\t "), removed, segs, nil
}

// Process removes the document's boilerplate lines.
func (l *LineDedup) Process(ctx context.Context, doc *saring.Document) (saring.Result, error) {
	text, removed, segs, err := l.apply(doc)
	if err != nil {
		return saring.Result{}, err
	}
	doc.Record("line_dedup", "removed_lines", float64(len(removed)))
	if len(removed) == 0 {
		return saring.Kept(), nil
	}
	var repairs []outdir.Repair
	for k, i := range removed {
		if k >= l.o.MaxRecorded {
			break
		}
		t := segs[i].text
		if len(t) > 200 {
			t = truncateUTF8(t, 200) + "…"
		}
		repairs = append(repairs, outdir.Repair{Step: "line_dedup", Line: i, Text: t})
	}
	outdir.AppendRepairs(doc, repairs...)
	doc.Text = text
	if n := utf8.RuneCountInString(text); n < l.o.MinChars {
		return saring.Dropped("line_dedup_too_short", "%d characters left after removing %d duplicate lines (min_chars %d)", n, len(removed), l.o.MinChars), nil
	}
	return saring.Rewritten(), nil
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Explain reports the number of duplicate lines and the length left.
func (l *LineDedup) Explain(ctx context.Context, doc *saring.Document) ([]saring.Check, error) {
	text, removed, _, err := l.apply(doc)
	if err != nil {
		return nil, err
	}
	left := utf8.RuneCountInString(text)
	return []saring.Check{
		{Rule: "duplicate_lines", Value: float64(len(removed)), Op: "==", Threshold: 0, Pass: len(removed) == 0,
			Note: fmt.Sprintf("lines found in ≥ %d documents are removed", l.o.MinDocs)},
		{Rule: "line_dedup_too_short", Value: float64(left), Op: ">=", Threshold: float64(l.o.MinChars),
			Pass: len(removed) == 0 || left >= l.o.MinChars},
	}, nil
}
