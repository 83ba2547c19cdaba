package viewer

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/report"
)

//go:embed assets
var assets embed.FS

var pages = template.Must(template.New("").ParseFS(assets, "assets/*.html"))

// PageSize is how many documents a list page shows.
const PageSize = 50

// SearchBudget bounds how long one search page may scan.
var SearchBudget = 3 * time.Second

// StepExplain is one step's rules on a document.
type StepExplain struct {
	Step    string
	Outcome string // keep, rewrite, drop, skipped
	Reason  string
	Message string
	Checks  []saring.Check
	Note    string
	Err     string
}

// ExplainFunc runs the run's pipeline rules on one document.
type ExplainFunc func(ctx context.Context, doc *saring.Document) ([]StepExplain, error)

// CSP forbids every script, frame, plugin and remote load: documents are
// hostile HTML and the pages only ever need their own stylesheet.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Handler serves the viewer of one store.
type Handler struct {
	Store   *Store
	Explain ExplainFunc // nil: no explain link
	// Unfinished says why the outputs may not be a whole run (from
	// outdir.RunState when the handler was made); every page shows it.
	Unfinished []string
	mux        *http.ServeMux
	tokens     []report.Fact // the run's token totals, for every page's header
}

// NewHandler builds the viewer's routes.
func NewHandler(s *Store, explain ExplainFunc) *Handler {
	h := &Handler{Store: s, Explain: explain, mux: http.NewServeMux()}
	// Token totals, when the run counted tokens (an unfinished run has
	// no stats.json yet).
	if st, _, err := report.LoadStats(s.OutDir); err == nil && st != nil {
		h.tokens = report.TokenSummary(st)
	}
	d := outdir.Dir{Root: s.OutDir}
	if state, err := d.RunState(); err == nil && state.Unfinished() {
		h.Unfinished = state.Problems(d)
	}
	h.mux.HandleFunc("GET /{$}", h.list)
	h.mux.HandleFunc("GET /doc/{ord}", h.doc)
	h.mux.HandleFunc("GET /raw/{ord}", h.raw)
	h.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent) // browsers ask; a 404 would log an error
	})
	h.mux.HandleFunc("GET /static/app.css", func(w http.ResponseWriter, r *http.Request) {
		b, _ := assets.ReadFile("assets/app.css")
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Write(b)
	})
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", CSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	if !allowedHost(r.Host) {
		// A page on another site could otherwise reach this server through
		// a DNS name it re-points at 127.0.0.1.
		http.Error(w, "unexpected Host header; open the viewer through 127.0.0.1 or localhost", http.StatusMisdirectedRequest)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// AllowedHosts may be extended when serving on a non-loopback address.
var allowAnyHost bool

var AllowedHosts = map[string]bool{"127.0.0.1": true, "localhost": true, "::1": true}

func allowedHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	return allowAnyHost || AllowedHosts[strings.ToLower(host)]
}

type link struct {
	Name, URL string
	Count     string
}

type option struct {
	Value, Label string
	Selected     bool
}

type base struct {
	Title      string
	OutDir     string
	SetLinks   []link
	Unfinished []string
	Tokens     []report.Fact
}

func (h *Handler) base(title string) base {
	m := h.Store.Man
	b := base{Title: title, OutDir: h.Store.OutDir, Unfinished: h.Unfinished, Tokens: h.tokens}
	for _, s := range report.Sets {
		b.SetLinks = append(b.SetLinks, link{s.String(), "/?set=" + s.String(), report.Int(float64(m.SetDocs[s]))})
	}
	return b
}

// query is a list request, parsed and re-encoded so that every link the
// pages build carries only known keys.
type query struct {
	Set, Step, Reason, Lang, Min, Max, Q string
	Repaired                             bool
	P, C                                 int64
}

// maxOffset bounds list offsets from the URL: far past any output.
const maxOffset = 1 << 48

func parseQuery(v url.Values) query {
	q := query{Set: v.Get("set"), Step: v.Get("step"), Reason: v.Get("reason"), Lang: v.Get("lang"),
		Min: v.Get("min"), Max: v.Get("max"), Q: v.Get("q"), Repaired: v.Get("repaired") != ""}
	q.P, _ = strconv.ParseInt(v.Get("p"), 10, 64)
	q.C, _ = strconv.ParseInt(v.Get("c"), 10, 64)
	// Clamped so that page arithmetic (q.P + PageSize) cannot overflow.
	q.P, q.C = min(max(q.P, 0), maxOffset), min(max(q.C, 0), maxOffset)
	return q
}

func (q query) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"set": q.Set, "step": q.Step, "reason": q.Reason, "lang": q.Lang, "min": q.Min, "max": q.Max, "q": q.Q} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Repaired {
		v.Set("repaired", "1")
	}
	return v
}

func (q query) url(p, c int64) string {
	v := q.values()
	if p > 0 {
		v.Set("p", strconv.FormatInt(p, 10))
	}
	if c > 0 {
		v.Set("c", strconv.FormatInt(c, 10))
	}
	if len(v) == 0 {
		return "/"
	}
	return "/?" + v.Encode()
}

func lookup(names []string, s string) int {
	if s == "" {
		return -1
	}
	for i, n := range names {
		if n == s && i > 0 {
			return i
		}
	}
	return math.MaxInt32 // unknown value: matches nothing
}

func (h *Handler) filter(q query) Filter {
	m := h.Store.Man
	f := Any()
	if s, ok := report.ParseSet(q.Set); ok {
		f.Set = int(s)
	}
	f.Step, f.Reason, f.Lang = lookup(m.Steps, q.Step), lookup(m.Reasons, q.Reason), lookup(m.Langs, q.Lang)
	if q.Lang == "(none)" {
		f.Lang = 0
	}
	if v, err := strconv.ParseFloat(q.Min, 64); err == nil {
		f.MinScore = v
	}
	if v, err := strconv.ParseFloat(q.Max, 64); err == nil {
		f.MaxScore = v
	}
	f.Repaired = q.Repaired
	return f
}

func opts(names []string, counts []int64, sel string, none string) []option {
	type nc struct {
		name string
		n    int64
	}
	var all []nc
	for i, n := range names {
		if i == 0 || (i < len(counts) && counts[i] == 0) {
			continue
		}
		all = append(all, nc{n, counts[i]})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].name < all[j].name })
	var out []option
	for _, e := range all {
		out = append(out, option{e.name, fmt.Sprintf("%s (%s)", e.name, report.Int(float64(e.n))), e.name == sel})
	}
	if none != "" && len(counts) > 0 && counts[0] > 0 {
		out = append(out, option{none, fmt.Sprintf("%s (%s)", none, report.Int(float64(counts[0]))), sel == none})
	}
	return out
}

type row struct {
	Ord                         int64
	URL, ID, Set, Step, Reason  string
	Lang, Score, Chars, Snippet string
	Match, After                string
	Err                         string
	Repaired                    bool
}

type listPage struct {
	base
	query
	SetOpts, StepOpts, ReasonOpts, LangOpts []option
	Summary, PrevURL, NextURL, Error        string
	Hits                                    []row
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := parseQuery(r.URL.Query())
	m := h.Store.Man
	p := listPage{base: h.base("documents"), query: q}
	for _, s := range report.Sets {
		p.SetOpts = append(p.SetOpts, option{s.String(), fmt.Sprintf("%s (%s)", s, report.Int(float64(m.SetDocs[s]))), q.Set == s.String()})
	}
	p.StepOpts = opts(m.Steps, m.StepN, q.Step, "")
	p.ReasonOpts = opts(m.Reasons, m.ReasonN, q.Reason, "")
	p.LangOpts = opts(m.Langs, m.LangN, q.Lang, "(none)")
	sel, err := h.Store.Select(h.filter(q))
	if err != nil {
		p.Error = err.Error()
		h.render(w, "list.html", p)
		return
	}
	var hits []Hit
	if q.Q != "" {
		res, err := h.Store.Search(r.Context(), sel, q.Q, q.C, PageSize, SearchBudget)
		if err != nil {
			p.Error = err.Error()
		} else {
			hits = res.Hits
			more := res.Next < sel.Len()
			p.Summary = fmt.Sprintf("%d match(es) for “%s” in documents %s–%s of %s selected", len(res.Hits), q.Q,
				report.Int(float64(min(res.From+1, sel.Len()))), report.Int(float64(res.Next)), report.Int(float64(sel.Len())))
			if res.TimedOut {
				p.Summary += " (time budget reached; go on with next)"
			}
			if more {
				p.NextURL = q.url(0, res.Next)
			} else {
				p.Summary += " — end of the selection"
			}
			if q.C > 0 {
				p.PrevURL = q.url(0, 0)
			}
		}
	} else {
		hits, err = h.Store.Page(sel, q.P, PageSize)
		if err != nil {
			p.Error = err.Error()
		}
		n := sel.Len()
		if n == 0 {
			p.Summary = "no document selected"
		} else {
			p.Summary = fmt.Sprintf("documents %s–%s of %s", report.Int(float64(min(q.P+1, n))), report.Int(float64(min(q.P+PageSize, n))), report.Int(float64(n)))
		}
		if q.P > 0 {
			p.PrevURL = q.url(max(q.P-PageSize, 0), 0)
		}
		if q.P+PageSize < n {
			p.NextURL = q.url(q.P+PageSize, 0)
		}
	}
	back := q.url(q.P, q.C)
	for _, hit := range hits {
		p.Hits = append(p.Hits, h.row(hit, back))
	}
	h.render(w, "list.html", p)
}

func (h *Handler) row(hit Hit, back string) row {
	m := h.Store.Man
	rc := hit.Rec
	rw := row{Ord: hit.Ord, ID: hit.ID, Set: rc.Set.String(), Snippet: hit.Snippet, Match: hit.Match, After: hit.After, Err: hit.Err,
		Step: name(m.Steps, rc.Step), Reason: name(m.Reasons, rc.Reason), Lang: name(m.Langs, rc.Lang),
		Repaired: rc.Flags&flagRepaired != 0}
	if rw.ID == "" {
		rw.ID = "(no id)"
	}
	if HasScore(rc) {
		rw.Score = strconv.FormatFloat(float64(rc.Score), 'f', 2, 32)
	}
	if hit.Chars > 0 {
		rw.Chars = report.Int(float64(hit.Chars))
	}
	rw.URL = fmt.Sprintf("/doc/%d?back=%s", hit.Ord, url.QueryEscape(back))
	return rw
}

func name(names []string, i uint16) string {
	if int(i) < len(names) {
		return names[i]
	}
	return ""
}

func (h *Handler) render(w http.ResponseWriter, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "render: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func (h *Handler) ordinal(w http.ResponseWriter, r *http.Request) (int64, Rec, bool) {
	ord, err := strconv.ParseInt(r.PathValue("ord"), 10, 64)
	if err != nil || ord < 0 || ord >= h.Store.Man.Docs {
		http.NotFound(w, r)
		return 0, Rec{}, false
	}
	rc, err := h.Store.Rec(ord)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return 0, Rec{}, false
	}
	return ord, rc, true
}

func (h *Handler) raw(w http.ResponseWriter, r *http.Request) {
	_, rc, ok := h.ordinal(w, r)
	if !ok {
		return
	}
	b, err := h.Store.Raw(rc)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	// text/plain + nosniff: the browser shows hostile HTML as characters.
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(b)
	w.Write([]byte("\n"))
}

type fact struct{ Name, Value string }

type removedInfo struct{ Step, Reason, Message string }

type docPage struct {
	base
	Ord                         int64
	Set, ID, Err                string
	BackURL, PrevURL, NextURL   string
	RawURL, ExplainURL          string
	Removed                     *removedInfo
	Rejected                    []fact
	Facts                       []fact
	Explain                     []StepExplain
	Diff                        []DiffLine
	CutLines                    int
	HasText                     bool
	Text, Raw, Metadata, Fields string
}

func (h *Handler) doc(w http.ResponseWriter, r *http.Request) {
	ord, rc, ok := h.ordinal(w, r)
	if !ok {
		return
	}
	back := "/"
	if b := r.URL.Query().Get("back"); b != "" {
		if u, err := url.Parse(b); err == nil && u.Path == "/" {
			back = parseQuery(u.Query()).url(parseQuery(u.Query()).P, parseQuery(u.Query()).C)
		}
	}
	p := docPage{base: h.base("document"), Ord: ord, Set: rc.Set.String(), BackURL: back,
		RawURL: fmt.Sprintf("/raw/%d", ord)}
	bq := "?back=" + url.QueryEscape(back)
	prev, next := h.neighbours(back, ord)
	if prev >= 0 {
		p.PrevURL = fmt.Sprintf("/doc/%d%s", prev, bq)
	}
	if next >= 0 {
		p.NextURL = fmt.Sprintf("/doc/%d%s", next, bq)
	}
	raw, err := h.Store.Raw(rc)
	if err != nil {
		p.Err = err.Error()
		h.render(w, "doc.html", p)
		return
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		p.Err = "the record is not a JSON object: " + err.Error()
		p.Raw = string(raw)
		h.render(w, "doc.html", p)
		return
	}
	if rc.Set == report.Rejected {
		var rj report.RejectedLine
		_ = json.Unmarshal(raw, &rj)
		p.ID = fmt.Sprintf("%s:%d", rj.File, rj.Line)
		p.Rejected = []fact{{"file", rj.File}, {"line", strconv.FormatInt(rj.Line, 10)}, {"offset", strconv.FormatInt(rj.Offset, 10)}, {"error", rj.Error}}
		p.Raw = rj.Raw
		h.render(w, "doc.html", p)
		return
	}
	var d struct {
		ID       string         `json:"id"`
		Text     string         `json:"text"`
		Metadata map[string]any `json:"metadata"`
	}
	_ = json.Unmarshal(raw, &d)
	p.ID, p.Text, p.HasText = d.ID, d.Text, true
	if p.ID == "" {
		p.ID = "(no id)"
	}
	md := d.Metadata
	if rm, ok := md["removed"].(map[string]any); ok {
		p.Removed = &removedInfo{str(rm["step"]), str(rm["reason"]), str(rm["message"])}
	}
	p.Facts = docFacts(d.Text, md)
	if reps := ParseRepairs(md["repairs"]); len(reps) > 0 {
		p.Diff = RepairDiff(d.Text, reps)
		p.CutLines = len(reps)
	}
	if len(md) > 0 {
		p.Metadata = prettyJSON(md)
	}
	other := map[string]json.RawMessage{}
	for k, v := range top {
		if k != "id" && k != "text" && k != "metadata" {
			other[k] = v
		}
	}
	if len(other) > 0 {
		p.Fields = prettyJSON(other)
	}
	if h.Explain != nil {
		p.ExplainURL = fmt.Sprintf("/doc/%d?explain=1%s", ord, strings.Replace(bq, "?", "&", 1))
		if r.URL.Query().Get("explain") != "" {
			doc := &saring.Document{ID: d.ID, Text: d.Text, Metadata: md}
			ex, err := h.explain(r.Context(), doc)
			if err != nil {
				p.Err = "explain: " + err.Error()
			}
			p.Explain = ex
		}
	}
	h.render(w, "doc.html", p)
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func docFacts(text string, md map[string]any) []fact {
	f := []fact{
		{"length", fmt.Sprintf("%s characters · %s words · %s lines", report.Int(float64(utf8.RuneCountInString(text))),
			report.Int(float64(len(strings.Fields(text)))), report.Int(float64(strings.Count(text, "\n")+1)))},
	}
	if v, ok := md["language"]; ok {
		s := str(v)
		if sc, ok := md["language_score"].(float64); ok {
			s += fmt.Sprintf(" (score %.3f)", sc)
		}
		f = append(f, fact{"language", s})
	}
	var tok []string
	for k := range md {
		if strings.HasPrefix(k, "token_count") {
			tok = append(tok, k)
		}
	}
	sort.Strings(tok)
	for _, k := range tok {
		f = append(f, fact{"tokens (" + k + ")", str(md[k])})
	}
	for _, k := range []string{"minhash_cluster_size", "duplicate_of", "pii"} {
		if v, ok := md[k]; ok {
			f = append(f, fact{strings.ReplaceAll(k, "_", " "), str(v)})
		}
	}
	if src, ok := md["source"].(map[string]any); ok {
		s := str(src["file"])
		if l, ok := src["line"].(float64); ok {
			s += ":" + strconv.FormatInt(int64(l), 10)
		}
		f = append(f, fact{"source", s})
	}
	return f
}

// prettyJSON indents v without escaping <, > and & (the page template
// escapes them; \u003c would only make the text harder to read).
func prettyJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err.Error()
	}
	return strings.TrimRight(b.String(), "\n")
}

// neighbours returns the documents before and after ord in the list the
// page was opened from (its filter, not its search), -1 when none.
func (h *Handler) neighbours(back string, ord int64) (prev, next int64) {
	prev, next = ord-1, ord+1
	if next >= h.Store.Man.Docs {
		next = -1
	}
	u, err := url.Parse(back)
	if err != nil {
		return prev, next
	}
	sel, err := h.Store.Select(h.filter(parseQuery(u.Query())))
	if err != nil {
		return prev, next
	}
	n := sel.Len()
	i := sort.Search(int(n), func(i int) bool { return sel.At(int64(i)) >= ord })
	if int64(i) >= n || sel.At(int64(i)) != ord {
		return prev, next // not in the list: plain order
	}
	prev, next = -1, -1
	if i > 0 {
		prev = sel.At(int64(i - 1))
	}
	if int64(i)+1 < n {
		next = sel.At(int64(i + 1))
	}
	return prev, next
}

// Explain runs every rule of every step on one document: the costliest
// request the viewer serves. It is bounded three ways: documents over
// MaxExplainBytes are refused, at most ExplainSlots run at once (others
// wait or give up with their request), and a request returns at its
// deadline even when a step does not watch its context; the work it
// started keeps its slot until it ends, so stuck work cannot pile up.
const (
	MaxExplainBytes = 8 << 20
	ExplainSlots    = 2
	ExplainTimeout  = 30 * time.Second
)

var explainSlots = make(chan struct{}, ExplainSlots)

func (h *Handler) explain(ctx context.Context, doc *saring.Document) ([]StepExplain, error) {
	if len(doc.Text) > MaxExplainBytes {
		return nil, fmt.Errorf("the document is %d bytes; explain runs on documents up to %d bytes (use saring explain on the command line)", len(doc.Text), MaxExplainBytes)
	}
	ctx, cancel := context.WithTimeout(ctx, ExplainTimeout)
	defer cancel()
	select {
	case explainSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("busy: other explain requests are running; try again")
	}
	type result struct {
		ex  []StepExplain
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-explainSlots }()
		ex, err := h.Explain(ctx, doc)
		done <- result{ex, err}
	}()
	select {
	case r := <-done:
		return r.ex, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("stopped after %v", ExplainTimeout)
	}
}
