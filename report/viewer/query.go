package viewer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/saring/saring/report"
)

// Filter selects documents. Zero values select everything; dictionary
// fields are numbers into the manifest (-1: any).
type Filter struct {
	Set      int // -1: any
	Step     int
	Reason   int
	Lang     int
	MinScore float64 // NaN: no bound
	MaxScore float64
	Repaired bool
}

// Any is the filter that selects every document.
func Any() Filter {
	return Filter{Set: -1, Step: -1, Reason: -1, Lang: -1, MinScore: math.NaN(), MaxScore: math.NaN()}
}

func (f Filter) onlySet() bool {
	return f.Step < 0 && f.Reason < 0 && f.Lang < 0 && math.IsNaN(f.MinScore) && math.IsNaN(f.MaxScore) && !f.Repaired
}

func (f Filter) match(r *Rec) bool {
	if f.Set >= 0 && int(r.Set) != f.Set {
		return false
	}
	if f.Step >= 0 && int(r.Step) != f.Step {
		return false
	}
	if f.Reason >= 0 && int(r.Reason) != f.Reason {
		return false
	}
	if f.Lang >= 0 && int(r.Lang) != f.Lang {
		return false
	}
	if f.Repaired && r.Flags&flagRepaired == 0 {
		return false
	}
	if !math.IsNaN(f.MinScore) && !(float64(r.Score) >= f.MinScore) {
		return false
	}
	if !math.IsNaN(f.MaxScore) && !(float64(r.Score) <= f.MaxScore) {
		return false
	}
	return true
}

func (f Filter) key() string { return fmt.Sprintf("%+v", f) }

// Selection is the ordered list of documents a filter selects: a range when
// only the set is filtered, a list of ordinals otherwise.
type Selection struct {
	lo, n int64
	ords  []uint32 // nil: the range [lo, lo+n)
}

// Len is the number of selected documents.
func (s *Selection) Len() int64 {
	if s.ords != nil {
		return int64(len(s.ords))
	}
	return s.n
}

// At returns the ordinal of the i-th selected document.
func (s *Selection) At(i int64) int64 {
	if s.ords != nil {
		return int64(s.ords[i])
	}
	return s.lo + i
}

// Select resolves a filter, from the cache when the same filter was asked
// recently (paging through results does that).
func (s *Store) Select(f Filter) (*Selection, error) {
	if f.onlySet() {
		if f.Set < 0 {
			return &Selection{lo: 0, n: s.Man.Docs}, nil
		}
		return &Selection{lo: s.Man.SetStart[f.Set], n: s.Man.SetDocs[f.Set]}, nil
	}
	k := f.key()
	s.mu.Lock()
	if s.selCache == nil {
		s.selCache = newLRU[string, *Selection](8)
	}
	sel, ok := s.selCache.get(k)
	s.mu.Unlock()
	if ok {
		return sel, nil
	}
	lo, hi := int64(0), s.Man.Docs
	if f.Set >= 0 {
		lo, hi = s.Man.SetStart[f.Set], s.Man.SetStart[f.Set]+s.Man.SetDocs[f.Set]
	}
	sel = &Selection{ords: []uint32{}}
	const chunk = 1 << 15
	buf := make([]byte, chunk*recSize)
	var r Rec
	for at := lo; at < hi; at += chunk {
		n := min(int64(chunk), hi-at)
		b := buf[:n*recSize]
		if _, err := s.idx.ReadAt(b, at*recSize); err != nil && err != io.EOF {
			return nil, err
		}
		for i := int64(0); i < n; i++ {
			r.get(b[i*recSize:])
			if f.match(&r) {
				sel.ords = append(sel.ords, uint32(at+i))
			}
		}
	}
	s.mu.Lock()
	s.selCache.put(k, sel)
	s.mu.Unlock()
	return sel, nil
}

// Hit is one listed document.
type Hit struct {
	Ord     int64
	Rec     Rec
	ID      string
	Snippet string // before the match, or all of it
	Match   string
	After   string
	Chars   int
	Err     string
}

// docHead is the part of a document a listing shows.
type docHead struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	// rejected records
	File  string `json:"file"`
	Line  int64  `json:"line"`
	Error string `json:"error"`
	Raw   string `json:"raw"`
}

func (s *Store) hit(ord int64, r Rec, query string) Hit {
	h := Hit{Ord: ord, Rec: r}
	raw, err := s.Raw(r)
	if err != nil {
		h.Err = err.Error()
		return h
	}
	var d docHead
	if err := json.Unmarshal(raw, &d); err != nil {
		h.Err = "unreadable record: " + err.Error()
	}
	if r.Set == report.Rejected {
		h.ID = fmt.Sprintf("%s:%d", d.File, d.Line)
		h.Snippet = clipRunes(d.Error+" — "+d.Raw, 240)
		return h
	}
	h.ID = d.ID
	h.Chars = utf8.RuneCountInString(d.Text)
	h.Snippet, h.Match, h.After = snippet(d.Text, query, 240)
	return h
}

// Page lists count selected documents from position off.
func (s *Store) Page(sel *Selection, off, count int64) ([]Hit, error) {
	if off < 0 {
		off = 0
	}
	end := min(off+count, sel.Len())
	var hits []Hit
	if end <= off {
		return nil, nil
	}
	recs, err := s.recsOf(sel, off, end-off)
	if err != nil {
		return nil, err
	}
	for k, r := range recs {
		hits = append(hits, s.hit(sel.At(off+int64(k)), r, ""))
	}
	return hits, nil
}

// SearchResult is one page of a full-text search.
type SearchResult struct {
	Hits     []Hit
	From     int64 // position in the selection where this page's scan started
	Next     int64 // where the next page's scan starts; == Selection.Len() when done
	Scanned  int64
	TimedOut bool
}

// Search scans the selection from position from for documents whose text
// contains query (case-insensitive), stopping after limit hits, at the end,
// or when budget runs out; Next says where to go on.
func (s *Store) Search(ctx context.Context, sel *Selection, query string, from int64, limit int, budget time.Duration) (*SearchResult, error) {
	deadline := time.Now().Add(budget)
	res := &SearchResult{From: from}
	q := strings.ToLower(query)
	// An ASCII query is looked for in the raw line first, which skips
	// decoding the documents that cannot match (almost all of them).
	asciiQ := isPlainASCII(q)
	qb := []byte(q)
	var lower []byte
	var recs []Rec
	var recsFrom int64
	i := from
	for ; i < sel.Len() && len(res.Hits) < limit; i++ {
		if (i-from)%256 == 0 && i > from {
			if time.Now().After(deadline) {
				res.TimedOut = true
				break
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
		ord := sel.At(i)
		if i-recsFrom >= int64(len(recs)) {
			var err error
			if recs, err = s.recsOf(sel, i, 1024); err != nil {
				return nil, err
			}
			recsFrom = i
		}
		r := recs[i-recsFrom]
		raw, err := s.Raw(r)
		if err != nil {
			continue
		}
		res.Scanned++
		if asciiQ {
			lower = asciiLower(lower[:0], raw)
			if !bytes.Contains(lower, qb) {
				continue
			}
		}
		var d docHead
		if json.Unmarshal(raw, &d) != nil {
			continue
		}
		text := d.Text
		if r.Set == report.Rejected {
			text = d.Error + "\n" + d.Raw
		}
		if !strings.Contains(strings.ToLower(text), q) && !strings.Contains(strings.ToLower(d.ID), q) {
			continue
		}
		res.Hits = append(res.Hits, s.hit(ord, r, query))
	}
	res.Next = i
	return res, nil
}

// isPlainASCII reports whether q has no byte JSON might escape, so that the
// raw line contains it exactly when the decoded text (or another field) does.
func isPlainASCII(q string) bool {
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return q != ""
}

func asciiLower(dst, b []byte) []byte {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// snippet returns about n runes of text around the first match of query
// (or from its start) as the part before the match, the match and the part
// after, with line breaks shown as ⏎.
func snippet(text, query string, n int) (pre, match, post string) {
	at, ql := -1, 0
	if query != "" {
		lower := strings.ToLower(text)
		// ToLower can change byte lengths; then the match is not marked.
		if len(lower) == len(text) {
			at, ql = strings.Index(lower, strings.ToLower(query)), len(query)
		}
	}
	flat := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, "\r", ""), "\n", " ⏎ ")
	}
	if at < 0 {
		return clipRunes(flat(prefixBytes(text, n*4)), n), "", ""
	}
	start := max(at-80, 0)
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	pre = flat(text[start:at])
	if start > 0 {
		pre = "…" + pre
	}
	match = flat(text[at : at+ql])
	rest := n - utf8.RuneCountInString(pre) - utf8.RuneCountInString(match)
	post = clipRunes(flat(prefixBytes(text[at+ql:], max(rest, 0)*4)), max(rest, 0))
	return pre, match, post
}

// prefixBytes cuts s to at most n bytes without splitting a character.
func prefixBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// recsOf reads the records of selection positions [i, i+n) with as few
// reads as the selection allows: one for a range or a dense run of
// ordinals, one per record when they are far apart.
func (s *Store) recsOf(sel *Selection, i, n int64) ([]Rec, error) {
	n = min(n, sel.Len()-i)
	if n <= 0 {
		return nil, nil
	}
	first, last := sel.At(i), sel.At(i+n-1)
	if span := last - first + 1; span <= 8*n {
		all, err := s.Recs(first, span)
		if err != nil {
			return nil, err
		}
		if sel.ords == nil {
			return all, nil
		}
		out := make([]Rec, n)
		for k := int64(0); k < n; k++ {
			out[k] = all[sel.At(i+k)-first]
		}
		return out, nil
	}
	out := make([]Rec, n)
	for k := int64(0); k < n; k++ {
		r, err := s.Rec(sel.At(i + k))
		if err != nil {
			return nil, err
		}
		out[k] = r
	}
	return out, nil
}
