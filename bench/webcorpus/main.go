// Command webcorpus builds a benchmark corpus of real prose from Debian's
// documentation packages: the Debian Administrator's Handbook in 26
// languages and the Debian Reference in 11 (Indonesian in both), as
// scripts/get-webcorpus.sh downloads them. Unlike bench/gencorpus, whose
// sentences repeat (it compresses ~18× with zstd and flatters every cache),
// this text is written by people, varied, multilingual and partly
// translated, as web text is; it compresses about 4× with zstd.
//
// It writes the pages' text as JSONL documents, cut at section headings into
// documents of web-page size (one to twenty KB; a page's navigation lines stay
// at the start of its first document and the end of its last, as scraped
// pages keep them), and a manifest of the pages and
// the addresses they are served from, which examples/pages/mkwarc turns into
// a WARC file for the extraction benchmarks.
//
//	go run ./bench/webcorpus -src DIR -o web.jsonl.zst -manifest pages.tsv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/saring/saring"
	"github.com/saring/saring/formats"
)

func main() {
	src := flag.String("src", "", "directory the Debian packages were unpacked into (dpkg-deb -x)")
	out := flag.String("o", "web.jsonl.zst", "JSONL output (.zst compressed when the name says so)")
	manifest := flag.String("manifest", "", "also write URL<TAB>path of every page, for mkwarc -manifest")
	minDoc := flag.Int("min-doc", 1500, "start a new document at a section heading once this many bytes are collected")
	maxDoc := flag.Int("max-doc", 20000, "start a new document at a paragraph once this many bytes are collected")
	flag.Parse()
	if *src == "" {
		fmt.Fprintln(os.Stderr, "webcorpus: -src is required (run scripts/get-webcorpus.sh)")
		os.Exit(2)
	}
	if err := run(*src, *out, *manifest, *minDoc, *maxDoc); err != nil {
		fmt.Fprintln(os.Stderr, "webcorpus:", err)
		os.Exit(1)
	}
}

// page is one HTML file with the language its package says it is in and the
// address it is published at.
type page struct {
	path, lang, url string
}

func pages(src string) ([]page, error) {
	var ps []page
	hb, _ := filepath.Glob(filepath.Join(src, "usr/share/doc/debian-handbook/html/*/*.html"))
	for _, p := range hb {
		loc := filepath.Base(filepath.Dir(p)) // id-ID
		ps = append(ps, page{p, strings.ToLower(strings.SplitN(loc, "-", 2)[0]),
			"https://debian-handbook.info/browse/" + loc + "/stable/" + filepath.Base(p)})
	}
	rf, _ := filepath.Glob(filepath.Join(src, "usr/share/debian-reference/*.html"))
	for _, p := range rf {
		parts := strings.Split(filepath.Base(p), ".") // ch07.id.html
		if len(parts) != 3 {
			continue
		}
		ps = append(ps, page{p, strings.SplitN(parts[1], "-", 2)[0],
			"https://www.debian.org/doc/manuals/debian-reference/" + filepath.Base(p)})
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("no pages under %s (expected usr/share/doc/debian-handbook/html and usr/share/debian-reference)", src)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].url < ps[j].url })
	return ps, nil
}

func run(src, out, manifest string, minDoc, maxDoc int) error {
	ps, err := pages(src)
	if err != nil {
		return err
	}
	f, err := os.Create(out + ".tmp")
	if err != nil {
		return err
	}
	defer os.Remove(out + ".tmp")
	var w io.Writer = f
	var zw *zstd.Encoder
	if strings.HasSuffix(out, ".zst") {
		zw, _ = zstd.NewWriter(f)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var mf *os.File
	if manifest != "" {
		if mf, err = os.Create(manifest); err != nil {
			return err
		}
		defer mf.Close()
	}
	var docs, bytes int
	var line []byte
	// Translations leave paragraphs they have not translated yet in English,
	// so the same paragraph would recur in up to 26 pages; the web repeats
	// text too, but not that much. Long paragraphs are kept once.
	seen := map[string]bool{}
	for _, p := range ps {
		if mf != nil {
			fmt.Fprintf(mf, "%s\t%s\n", p.url, p.path)
		}
		raw, err := os.ReadFile(p.path)
		if err != nil {
			return err
		}
		paras, err := paragraphs(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", p.path, err)
		}
		kept := paras[:0]
		for _, p := range paras {
			if len(p.text) >= 100 {
				if seen[p.text] {
					continue
				}
				seen[p.text] = true
			}
			kept = append(kept, p)
		}
		for i, text := range chunk(kept, minDoc, maxDoc) {
			doc := &saring.Document{ID: fmt.Sprintf("%s#%d", p.url, i), Text: text}
			doc.SetMeta("url", p.url)
			doc.SetMeta("source_lang", p.lang)
			if line, err = formats.AppendJSONL(line[:0], doc); err != nil {
				return err
			}
			bw.Write(line)
			docs++
			bytes += len(text)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("%d pages, %d documents, %.1f MB of text\n", len(ps), docs, float64(bytes)/1e6)
	return os.Rename(out+".tmp", out)
}

// para is one block of text; heading marks a section title, where a new
// document may start.
type para struct {
	text    string
	heading bool
}

var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Li: true, atom.Dt: true, atom.Dd: true, atom.Pre: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Td: true, atom.Th: true, atom.Caption: true, atom.Blockquote: true, atom.Div: true, atom.Tr: true,
}

var headings = map[atom.Atom]bool{atom.H1: true, atom.H2: true, atom.H3: true}

// paragraphs returns the text of a page's block elements in document order,
// innermost blocks only, whitespace collapsed except inside <pre>.
func paragraphs(raw []byte) ([]para, error) {
	root, err := html.Parse(strings.NewReader(string(raw)))
	if err != nil {
		return nil, err
	}
	var out []para
	var buf strings.Builder
	heading, pre := false, 0
	flush := func() {
		t := buf.String()
		buf.Reset()
		if pre == 0 {
			t = strings.Join(strings.Fields(t), " ")
		} else {
			t = strings.Trim(t, "\n")
		}
		if strings.TrimSpace(t) != "" {
			out = append(out, para{t, heading})
		}
		heading = false
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			buf.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Head, atom.Noscript:
				return
			case atom.Br:
				buf.WriteByte('\n')
				return
			}
		}
		block := n.Type == html.ElementNode && blocks[n.DataAtom]
		if block {
			flush()
			heading = headings[n.DataAtom]
			if n.DataAtom == atom.Pre {
				pre++
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
			if n.DataAtom == atom.Pre {
				pre--
			}
		}
	}
	walk(root)
	flush()
	return out, nil
}

// chunk cuts a page's paragraphs into documents: at a heading once minDoc
// bytes are collected, at any paragraph once maxDoc are. The page's first
// and last lines (its navigation) stay with its first and last documents, as
// a scraper that keeps the page frame leaves them.
func chunk(paras []para, minDoc, maxDoc int) []string {
	if len(paras) == 0 {
		return nil
	}
	var docs []string
	var cur []string
	size := 0
	emit := func() {
		if size == 0 {
			return
		}
		docs = append(docs, strings.Join(cur, "\n"))
		cur, size = cur[:0], 0
	}
	for _, p := range paras {
		if size >= maxDoc || p.heading && size >= minDoc {
			emit()
		}
		cur = append(cur, p.text)
		size += len(p.text) + 1
	}
	emit()
	return docs
}
