package extract

import (
	"context"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/saring/saring"
)

func htmlDoc(page string) *saring.Document {
	return &saring.Document{ID: "x", Text: page, Metadata: map[string]any{"content_format": "html", "url": "https://example.com/a"}}
}

func TestProcessOutcomes(t *testing.T) {
	pages := examplePages(t)
	article := pages[0].html
	tests := []struct {
		name   string
		opts   func(*Options)
		doc    *saring.Document
		want   saring.Outcome
		reason string
	}{
		{"text passes through", nil, &saring.Document{Text: "<p>not touched</p>", Metadata: map[string]any{"content_format": "text"}}, saring.Keep, ""},
		{"no metadata passes through", nil, &saring.Document{Text: "<p>not touched</p>"}, saring.Keep, ""},
		{"article", nil, htmlDoc(article), saring.Rewrite, ""},
		{"too large", func(o *Options) { o.MaxHTMLBytes = 100 }, htmlDoc(article), saring.Drop, "extract_too_large"},
		{"empty page", nil, htmlDoc("<html><head><script>var x=1</script></head><body><img src=a.png><div> </div></body></html>"), saring.Drop, "extract_empty"},
		{"timeout", func(o *Options) { o.Timeout = "1ns" }, htmlDoc(article), saring.Drop, "extract_timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultOptions()
			if tt.opts != nil {
				tt.opts(&o)
			}
			e, err := New(o, 2)
			if err != nil {
				t.Fatal(err)
			}
			before := tt.doc.Text
			res, err := e.Process(context.Background(), tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tt.want || res.Reason != tt.reason {
				t.Fatalf("got %v %q (%s), want %v %q", res.Outcome, res.Reason, res.Message, tt.want, tt.reason)
			}
			if tt.want == saring.Keep && tt.doc.Text != before {
				t.Errorf("pass-through document changed")
			}
			if tt.want == saring.Rewrite {
				if tt.doc.Metadata["content_format"] != "text" {
					t.Errorf("content_format %v, want text", tt.doc.Metadata["content_format"])
				}
				if strings.Contains(tt.doc.Text, "<") || !strings.Contains(tt.doc.Text, "\n") {
					t.Errorf("text is not plain lines: %.200q", tt.doc.Text)
				}
			}
		})
	}
}

func TestProcessMetadata(t *testing.T) {
	var pg page
	for _, p := range examplePages(t) {
		if p.name == "id-banjir-demak.html" {
			pg = p
		}
	}
	e, _ := New(DefaultOptions(), 1)
	doc := htmlDoc(pg.html)
	if _, err := e.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"title":  "Pemprov Jateng salurkan bantuan untuk korban banjir Demak",
		"author": "Rina Wulandari",
		"date":   "2024-03-18",
	}
	for k, v := range want {
		if doc.Metadata[k] != v {
			t.Errorf("metadata %s = %v, want %v", k, doc.Metadata[k], v)
		}
	}
	if len(doc.Measures) == 0 {
		t.Errorf("no measures recorded")
	}
}

// TestManyParagraphs checks that a page with thousands of paragraphs goes
// to readability instead of go-trafilatura, whose time grows with the
// square of the paragraph count.
func TestManyParagraphs(t *testing.T) {
	o := DefaultOptions()
	o.MaxParagraphs = 50
	e, _ := New(o, 1)
	page := "<html><body><article>" + strings.Repeat("<p>Kalimat yang cukup panjang untuk dihitung sebagai paragraf di sini.</p>", 60) + "</article></body></html>"
	res, err := e.Extract(page, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Extractor != "readability" || strings.Count(res.Text, "\n") != 59 {
		t.Errorf("extractor %s, %d lines", res.Extractor, strings.Count(res.Text, "\n")+1)
	}
}

func TestExplain(t *testing.T) {
	e, _ := New(DefaultOptions(), 1)
	checks, err := e.Explain(context.Background(), htmlDoc(examplePages(t)[0].html))
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, c := range checks {
		rules[c.Rule] = c.Pass
	}
	for _, r := range []string{"html_bytes", "extract_seconds", "extracted_chars"} {
		if pass, ok := rules[r]; !ok || !pass {
			t.Errorf("rule %s: present %v pass %v (%+v)", r, ok, pass, checks)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tt := range []struct {
		set   func(*Options)
		field string
	}{
		{func(o *Options) { o.FavorPrecision, o.FavorRecall = true, true }, "favor_recall"},
		{func(o *Options) { o.MaxHTMLBytes = 0 }, "max_html_bytes"},
		{func(o *Options) { o.Timeout = "0s" }, "timeout"},
		{func(o *Options) { o.Timeout = "two seconds" }, "timeout"},
		{func(o *Options) { o.MinExtractedChars = -1 }, "min_extracted_chars"},
		{func(o *Options) { o.MaxParagraphs = 0 }, "max_paragraphs"},
	} {
		o := DefaultOptions()
		tt.set(&o)
		err := o.Validate()
		fe, ok := err.(*saring.FieldError)
		if !ok || fe.Field != tt.field {
			t.Errorf("got %v, want a FieldError on %s", err, tt.field)
		}
	}
	d := DefaultOptions()
	if err := d.Validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
}

func TestRegister(t *testing.T) {
	r := saring.NewRegistry()
	Register(r)
	spec, ok := r.Lookup(StepName)
	if !ok {
		t.Fatal("extract not registered")
	}
	step, err := spec.New(spec.Options(), saring.Env{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := step.(saring.Explainer); !ok {
		t.Error("extract does not implement Explainer")
	}
}

func TestRenderText(t *testing.T) {
	in := `<div><h2>Title</h2><p>One <b>bold</b>
	word.</p><p>Line<br>break</p><ul><li>a</li><li>b <i>c</i></li></ul>
	<table><tr><th>k</th><th>v</th></tr><tr><td>x</td><td>1</td></tr></table>
	<p>See <a href="https://e.com/x">this</a>.</p><pre>  code
    indented</pre><p>by | </p><p>|</p></div>`
	root, _ := html.Parse(strings.NewReader(in))
	got := renderText(root, true)
	want := "Title\nOne bold word.\nLine\nbreak\n- a\n- b c\nk | v\nx | 1\nSee [this](https://e.com/x).\n  code\n    indented\nby |"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestOptionsChangeOutput(t *testing.T) {
	pages := map[string]string{}
	for _, p := range examplePages(t) {
		pages[p.name] = p.html
	}
	tests := []struct {
		name, page string
		set        func(*Options)
		has, lacks string
	}{
		{"tables kept", "id-harga-cabai.html", nil, "Cabai rawit merah | Rp48.000 | Rp90.000", ""},
		{"tables dropped", "id-harga-cabai.html", func(o *Options) { o.IncludeTables = false }, "", "Rp48.000"},
		{"lists as items", "id-literasi-digital.html", nil, "\n- fotografi produk menggunakan ponsel;\n", ""},
		{"no title by default", "en-badminton-final.html", nil, "", "Jakarta crowd roars"},
		{"title first", "en-badminton-final.html", func(o *Options) { o.IncludeTitle = true }, "Jakarta crowd roars as home pair win Indonesia Open doubles title\nAn unseeded", ""},
		{"comments left out", "en-coral-survey.html", nil, "", "Great news, but we need"},
		{"comments kept", "en-coral-survey.html", func(o *Options) { o.IncludeComments = true }, "Great news, but we need global emissions cuts", ""},
		{"links as text", "id-banjir-demak.html", func(o *Options) { o.CleanLines = false }, "Baca juga: Tanggul Sungai Wulan jebol, ribuan rumah terendam\n", ""},
		{"links kept", "id-banjir-demak.html", func(o *Options) { o.IncludeLinks, o.CleanLines = true, false }, "Baca juga: [Tanggul Sungai Wulan jebol, ribuan rumah terendam](https://example.com/daerah/tanggul-sungai-wulan-jebol)", ""},
		{"repeated body once", "id-banjir-demak.html", nil, "", "tanggul.\nPenjabat Gubernur"},
		{"read-also lines dropped", "id-banjir-demak.html", nil, "", "Baca juga"},
		{"copyright line dropped", "id-banjir-demak.html", nil, "", "COPYRIGHT"},
		{"repeated body twice", "id-banjir-demak.html", func(o *Options) { o.Deduplicate, o.CleanLines = false, false }, "COPYRIGHT © Kabar Nusantara 2024\nPenjabat Gubernur", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultOptions()
			if tt.set != nil {
				tt.set(&o)
			}
			e, _ := New(o, 1)
			res, err := e.Extract(pages[tt.page], "https://example.com/x")
			if err != nil {
				t.Fatal(err)
			}
			if tt.has != "" && !strings.Contains(res.Text, tt.has) {
				t.Errorf("text lacks %q:\n%s", tt.has, res.Text)
			}
			if tt.lacks != "" && strings.Contains(res.Text, tt.lacks) {
				t.Errorf("text has %q:\n%s", tt.lacks, res.Text)
			}
		})
	}
}

// TestConcurrentProcess runs the step from several goroutines, as workers
// do (run with -race), and checks the output does not depend on it.
func TestConcurrentProcess(t *testing.T) {
	pages := examplePages(t)
	e, _ := New(DefaultOptions(), 4)
	want := make([]string, len(pages))
	for i, p := range pages {
		d := htmlDoc(p.html)
		e.Process(context.Background(), d)
		want[i] = d.Text
	}
	errs := make(chan string, 64)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 3; r++ {
				for i, p := range pages {
					d := htmlDoc(p.html)
					if _, err := e.Process(context.Background(), d); err != nil || d.Text != want[i] {
						errs <- p.name
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for name := range errs {
		t.Errorf("%s: different output under concurrency", name)
	}
}
