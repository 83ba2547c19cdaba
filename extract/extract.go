// Package extract turns HTML pages into their main text.
package extract

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "github.com/go-shiori/go-readability"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/saring/saring"
)

// StepName is the name of the HTML extraction step.
const StepName = "extract"

// Options configure the extract step.
//
// timeout is the one rule whose outcome depends on the machine rather than
// the document: a page near the limit may pass on one run and be dropped on
// another. It is a guard against pathological pages, not a filter; keep it
// well above normal extraction times (milliseconds) so that runs stay
// reproducible.
type Options struct {
	IncludeComments   bool   `yaml:"include_comments" doc:"keep the page's comment section after the main text"`
	IncludeTables     bool   `yaml:"include_tables" doc:"keep tables in the main text (cells joined with ' | ')"`
	IncludeLinks      bool   `yaml:"include_links" doc:"write links as [text](url) instead of their text"`
	IncludeTitle      bool   `yaml:"include_title" doc:"put the page title as the first line of the text"`
	FavorPrecision    bool   `yaml:"favor_precision" doc:"extract less text, leaving out doubtful parts"`
	FavorRecall       bool   `yaml:"favor_recall" doc:"extract more text, keeping doubtful parts"`
	Deduplicate       bool   `yaml:"deduplicate" doc:"drop paragraphs (over 100 characters) that repeat an earlier one in the same page"`
	Fallback          bool   `yaml:"fallback" doc:"when the main extractor finds less than min_extracted_chars, also try readability and keep the longer text"`
	MinExtractedChars int    `yaml:"min_extracted_chars" doc:"below this many characters the extraction is retried with the page's whole text and the fallback"`
	FallbackBelow     int    `yaml:"fallback_below_chars" doc:"when the main extractor finds less than this many characters, also try readability and keep its text if it is over 3 times longer (0: only below min_extracted_chars)"`
	CleanLines        bool   `yaml:"clean_lines" doc:"drop \"read also\" headings with the links listed under them, and photo credit lines, that templates put inside the article"`
	MaxParagraphs     int    `yaml:"max_paragraphs" doc:"pages with more <p> elements skip go-trafilatura (whose time grows with the square of their number) and use readability"`
	MaxHTMLBytes      int    `yaml:"max_html_bytes" doc:"larger pages are dropped (extract_too_large) instead of parsed"`
	Timeout           string `yaml:"timeout" doc:"per-page time limit, e.g. 2s or 500ms; slower pages are dropped (extract_timeout)"`
	Metadata          bool   `yaml:"metadata" doc:"put title, author and date found in the page into metadata"`
}

// DefaultOptions returns the defaults.
func DefaultOptions() Options {
	return Options{
		IncludeTables:     true,
		Fallback:          true,
		Deduplicate:       true,
		MinExtractedChars: 250,
		FallbackBelow:     1000,
		CleanLines:        true,
		MaxParagraphs:     3000,
		MaxHTMLBytes:      5 << 20,
		Timeout:           "2s",
		Metadata:          true,
	}
}

// Validate checks option values.
func (o *Options) Validate() error {
	switch {
	case o.FavorPrecision && o.FavorRecall:
		return &saring.FieldError{Field: "favor_recall", Msg: "cannot be set together with favor_precision; choose one"}
	case o.MinExtractedChars < 0:
		return &saring.FieldError{Field: "min_extracted_chars", Msg: "must be >= 0"}
	case o.FallbackBelow < 0:
		return &saring.FieldError{Field: "fallback_below_chars", Msg: "must be >= 0"}
	case o.MaxParagraphs <= 0:
		return &saring.FieldError{Field: "max_paragraphs", Msg: "must be > 0"}
	case o.MaxHTMLBytes <= 0:
		return &saring.FieldError{Field: "max_html_bytes", Msg: "must be > 0"}
	}
	if d, err := time.ParseDuration(o.Timeout); err != nil || d <= 0 {
		return &saring.FieldError{Field: "timeout", Msg: fmt.Sprintf("%q is not a positive duration; write e.g. 2s or 500ms", o.Timeout)}
	}
	return nil
}

// maxAbandoned bounds how many timed-out extractions may still be running
// in the background (see Extractor.run).
const maxAbandoned = 8

// Extractor is the extract step.
type Extractor struct {
	opts    Options
	timeout time.Duration
	// slots bounds the extractions running at once, finished or abandoned:
	// go-trafilatura cannot be interrupted, so a page that hits the timeout
	// keeps its goroutine until the library returns. When maxAbandoned such
	// goroutines are stuck, new pages wait for a slot instead of piling up.
	slots chan struct{}
}

// New builds the step.
func New(opts Options, workers int) (*Extractor, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if workers < 1 {
		workers = 1
	}
	timeout, _ := time.ParseDuration(opts.Timeout) // checked by Validate
	return &Extractor{opts: opts, timeout: timeout, slots: make(chan struct{}, workers+maxAbandoned)}, nil
}

func (e *Extractor) Name() string { return StepName }

// Result is what extraction found on a page.
type Result struct {
	Text      string
	Title     string
	Author    string
	Date      string // YYYY-MM-DD
	Extractor string // "trafilatura" or "readability"
}

var errTimeout = errors.New("extraction timed out")

// isHTML reports whether the document is an HTML page to extract.
func isHTML(doc *saring.Document) bool {
	v, ok := doc.Meta("content_format")
	return ok && v == "html"
}

func (e *Extractor) Process(ctx context.Context, doc *saring.Document) (saring.Result, error) {
	if !isHTML(doc) {
		return saring.Kept(), nil
	}
	doc.Record(StepName, "html_bytes", float64(len(doc.Text)))
	if len(doc.Text) > e.opts.MaxHTMLBytes {
		return saring.Dropped("extract_too_large", "page is %d bytes, over max_html_bytes %d", len(doc.Text), e.opts.MaxHTMLBytes), nil
	}
	pageURL, _ := doc.Lookup("url")
	res, err := e.run(ctx, doc.Text, pageURL)
	if err != nil {
		if errors.Is(err, errTimeout) {
			return saring.Dropped("extract_timeout", "extraction took longer than %s", e.timeout), nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return saring.Result{}, ctxErr
		}
		return saring.Dropped("extract_error", "%v", err), nil
	}
	doc.Record(StepName, "text_chars", float64(utf8.RuneCountInString(res.Text)))
	if strings.TrimSpace(res.Text) == "" {
		return saring.Dropped("extract_empty", "no main text found in the page"), nil
	}
	doc.Text = res.Text
	doc.SetMeta("content_format", "text")
	doc.SetMeta("extractor", res.Extractor)
	if e.opts.Metadata {
		if res.Title != "" {
			doc.SetMeta("title", res.Title)
		}
		if res.Author != "" {
			doc.SetMeta("author", res.Author)
		}
		if res.Date != "" {
			doc.SetMeta("date", res.Date)
		}
	}
	return saring.Rewritten(), nil
}

// Explain shows the size check and what extraction yields, without changing doc.
func (e *Extractor) Explain(ctx context.Context, doc *saring.Document) ([]saring.Check, error) {
	if !isHTML(doc) {
		return []saring.Check{{Rule: "is_html", Value: 0, Op: ">=", Threshold: 0, Pass: true, Note: "metadata content_format is not \"html\": passed through unchanged"}}, nil
	}
	size := float64(len(doc.Text))
	checks := []saring.Check{{Rule: "html_bytes", Value: size, Op: "<=", Threshold: float64(e.opts.MaxHTMLBytes), Pass: len(doc.Text) <= e.opts.MaxHTMLBytes}}
	if !checks[0].Pass {
		return checks, nil
	}
	pageURL, _ := doc.Lookup("url")
	start := time.Now()
	res, err := e.run(ctx, doc.Text, pageURL)
	elapsed := time.Since(start)
	checks = append(checks, saring.Check{Rule: "extract_seconds", Value: elapsed.Seconds(), Op: "<", Threshold: e.timeout.Seconds(), Pass: !errors.Is(err, errTimeout)})
	if err != nil {
		checks[len(checks)-1].Note = err.Error()
		return checks, nil
	}
	n := float64(utf8.RuneCountInString(res.Text))
	checks = append(checks, saring.Check{Rule: "extracted_chars", Value: n, Op: ">", Threshold: 0, Pass: n > 0, Note: "by " + res.Extractor})
	return checks, nil
}

// run extracts in a goroutine so that a pathological page cannot hold a
// worker past the timeout.
func (e *Extractor) run(ctx context.Context, page, pageURL string) (Result, error) {
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1) // buffered: an abandoned goroutine must not block on send
	go func() {
		defer func() { <-e.slots }()
		res, err := e.Extract(page, pageURL)
		done <- outcome{res, err}
	}()
	timer := time.NewTimer(e.timeout)
	defer timer.Stop()
	select {
	case o := <-done:
		return o.res, o.err
	case <-timer.C:
		return Result{}, errTimeout
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// Extract finds the main text of an HTML page synchronously (no time limit).
func (e *Extractor) Extract(page, pageURL string) (res Result, err error) {
	defer func() {
		// A library bug on one odd page must cost that page, not the run.
		if p := recover(); p != nil {
			res, err = Result{}, fmt.Errorf("extractor failed on this page: %v", p)
		}
	}()
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return Result{}, fmt.Errorf("parsing HTML: %w", err)
	}
	var u *url.URL
	if pageURL != "" {
		u, _ = url.Parse(pageURL)
	}
	o := e.opts
	cfg := trafilatura.DefaultConfig()
	cfg.MinExtractedSize = o.MinExtractedChars
	// Within one page a paragraph seen once already is a repeat (templates
	// that print the body twice), not something to keep twice.
	cfg.MaxDuplicateCount = 0
	topts := trafilatura.Options{
		Config:          cfg,
		OriginalURL:     u,
		ExcludeComments: !o.IncludeComments,
		ExcludeTables:   !o.IncludeTables,
		IncludeLinks:    o.IncludeLinks,
		Deduplicate:     o.Deduplicate,
		HtmlDateMode:    trafilatura.Fast,
	}
	if !o.Metadata {
		topts.HtmlDateMode = trafilatura.Disabled
	}
	switch {
	case o.FavorPrecision:
		topts.Focus = trafilatura.FavorPrecision
	case o.FavorRecall:
		topts.Focus = trafilatura.FavorRecall
	}
	var tr *trafilatura.ExtractResult
	var terr error
	if countElements(root, "p", o.MaxParagraphs+1) <= o.MaxParagraphs {
		tr, terr = trafilatura.ExtractDocument(root, topts)
	} else {
		terr = errors.New("too many paragraphs for go-trafilatura")
	}
	fallback := o.Fallback || terr != nil
	links := &pageLinks{page: root}
	if terr == nil && tr != nil {
		res.Extractor = "trafilatura"
		res.Text = joinLines(e.lines(tr.ContentNode, links))
		if o.IncludeComments && tr.CommentsNode != nil {
			if c := joinLines(e.lines(tr.CommentsNode, links)); c != "" {
				res.Text = strings.TrimSpace(res.Text + "\n" + c)
			}
		}
		res.Title = strings.TrimSpace(tr.Metadata.Title)
		res.Author = strings.TrimSpace(tr.Metadata.Author)
		if !tr.Metadata.Date.IsZero() {
			res.Date = tr.Metadata.Date.Format("2006-01-02")
		}
	}
	// Below min_extracted_chars the longer text wins. Up to fallback_below_chars
	// the main extractor has often kept only a teaser, a cookie notice or a
	// header of a page whose body it missed; readability's text then wins
	// only when it is over 3 times longer, as trafilatura's own fallback
	// decides (there: 2 times; 3 scored better on the tune split of
	// bench/extract/trafeval). Longer texts skip readability, which keeps its
	// cost to the pages that need it.
	n := utf8.RuneCountInString(res.Text)
	if fallback && (n < o.MinExtractedChars || n < o.FallbackBelow) {
		// ExtractDocument works on a copy, so root is still the whole page.
		if art, err := readability.FromDocument(root, u); err == nil && art.Node != nil {
			t := joinLines(e.lines(art.Node, links))
			m := utf8.RuneCountInString(t)
			if (n < o.MinExtractedChars && m > n) || m > 3*n {
				res.Text = t
				res.Extractor = "readability"
				if res.Title == "" {
					res.Title = strings.TrimSpace(art.Title)
				}
				if res.Author == "" {
					res.Author = strings.TrimSpace(art.Byline)
				}
			}
		}
	}
	if res.Text == "" && terr != nil {
		return Result{Extractor: "none"}, nil
	}
	if o.IncludeTitle && res.Title != "" && !strings.HasPrefix(res.Text, res.Title) {
		res.Text = res.Title + "\n" + res.Text
	}
	return res, nil
}

// lines renders an extracted tree, cleaned when clean_lines is set; links
// are the whole page's, which tell link lines.
func (e *Extractor) lines(n *html.Node, links *pageLinks) []line {
	lines := renderLines(n, e.opts.IncludeLinks)
	if e.opts.CleanLines {
		lines = cleanLines(lines, links)
	}
	return lines
}

// countElements counts elements named tag, stopping at limit.
func countElements(n *html.Node, tag string, limit int) int {
	count := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && count < limit; c = c.NextSibling {
			if c.Type == html.ElementNode {
				if c.Data == tag {
					count++
				}
				walk(c)
			}
		}
	}
	walk(n)
	return count
}
