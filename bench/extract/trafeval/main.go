// Command trafeval scores saring's extract step, go-trafilatura and
// go-readability on trafilatura's own evaluation set: the pages in
// test-files/comparison (and test-files/mock) of the go-trafilatura module
// and the expectations in its scripts/comparison/data.go, a Go map from URL
// to the file and to snippets that a good extraction must ("with") and must
// not ("without") contain.
//
// Neither the pages nor the expectations are copied: the module directory is
// found with `go list -m`, and data.go is parsed with go/ast at run time.
// Scoring follows trafilatura's scripts/comparison/content.go: per snippet a
// true positive (a "with" found), false negative (a "with" missing), false
// positive (a "without" found) or true negative; precision, recall and F1
// over the summed counts. Results are also split by a deterministic tune /
// held-out split (first hex digit of the SHA-256 of the file name: 0-9 tune,
// a-f held-out) and by the language the page declares in <html lang>.
//
// Run it with GOMAXPROCS=1 for per-core times (bench/extract/trafeval.sh):
//
//	GOMAXPROCS=1 go run ./bench/extract/trafeval
//	go run ./bench/extract/trafeval -misses tune   # saring's misses and leaks on the tune split
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	readability "github.com/go-shiori/go-readability"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/saring/saring/extract"
	"github.com/saring/saring/formats"
)

const module = "github.com/markusmobius/go-trafilatura"

// entry is one page of the evaluation set.
type entry struct {
	URL, File     string
	With, Without []string
	html          string // decoded page
	lang          string // primary subtag of <html lang>, "" if none
	split         string // "tune" or "held-out"
}

// counts are trafilatura's snippet outcomes.
type counts struct{ TP, FN, FP, TN int }

func (c *counts) add(o counts) { c.TP += o.TP; c.FN += o.FN; c.FP += o.FP; c.TN += o.TN }

func (c counts) prf() (p, r, f float64) {
	if c.TP+c.FP > 0 {
		p = float64(c.TP) / float64(c.TP+c.FP)
	}
	if c.TP+c.FN > 0 {
		r = float64(c.TP) / float64(c.TP+c.FN)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func (c counts) accuracy() float64 {
	n := c.TP + c.FN + c.FP + c.TN
	if n == 0 {
		return 0
	}
	return float64(c.TP+c.TN) / float64(n)
}

// evaluate scores one extraction as trafilatura's evaluateEntry does.
func evaluate(e *entry, text string) counts {
	var c counts
	if text == "" {
		c.FN, c.TN = len(e.With), len(e.Without)
		return c
	}
	for _, s := range e.With {
		if strings.Contains(text, s) {
			c.TP++
		} else {
			c.FN++
		}
	}
	for _, s := range e.Without {
		if strings.Contains(text, s) {
			c.FP++
		} else {
			c.TN++
		}
	}
	return c
}

// extractor is one program under test: text from a decoded page.
type extractor struct {
	name string
	run  func(e *entry) string
}

func main() {
	dir := flag.String("dir", "", "go-trafilatura module directory (default: go list -m "+module+")")
	only := flag.String("only", "", "run only the extractor with this name (saring, trafilatura, readability)")
	misses := flag.String("misses", "", "list saring's missed and leaked snippets on this split (tune, held-out, all)")
	perPage := flag.String("pages", "", "write per-page counts (file, split, extractor, TP, FN, FP, TN) to this TSV file")
	dump := flag.String("dump", "", "write each extractor's text of every page to DIR/EXTRACTOR/FILE.txt")
	fallbackBelow := flag.Int("fallback-below", extract.DefaultOptions().FallbackBelow, "saring's fallback_below_chars")
	clean := flag.Bool("clean-lines", extract.DefaultOptions().CleanLines, "saring's clean_lines")
	flag.Parse()
	if *dir == "" {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
		if err != nil {
			fatal("locating %s (run from the saring module): %v", module, err)
		}
		*dir = strings.TrimSpace(string(out))
	}
	entries, err := load(*dir)
	if err != nil {
		fatal("%v", err)
	}

	opts := extract.DefaultOptions()
	opts.FallbackBelow, opts.CleanLines = *fallbackBelow, *clean
	ex, err := extract.New(opts, 1)
	if err != nil {
		fatal("%v", err)
	}
	maxBytes := opts.MaxHTMLBytes
	extractors := []extractor{
		{"saring", func(e *entry) string {
			// As the extract step does, minus its wall-clock timeout (which would
			// make the scores depend on the machine's load).
			if len(e.html) > maxBytes {
				return ""
			}
			res, err := ex.Extract(e.html, e.URL)
			if err != nil {
				return ""
			}
			return res.Text
		}},
		{"trafilatura", func(e *entry) string {
			// go-trafilatura as its own comparison script runs it without fallback:
			// default config, balanced focus, comments excluded, tables kept.
			doc, err := html.Parse(strings.NewReader(e.html))
			if err != nil {
				return ""
			}
			u, _ := url.Parse(e.URL)
			res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{OriginalURL: u, ExcludeComments: true})
			if err != nil || res == nil {
				return ""
			}
			return res.ContentText
		}},
		{"readability", func(e *entry) string {
			doc, err := html.Parse(strings.NewReader(e.html))
			if err != nil {
				return ""
			}
			u, _ := url.Parse(e.URL)
			art, err := readability.FromDocument(doc, u)
			if err != nil {
				return ""
			}
			return art.TextContent
		}},
	}

	groups := groupNames(entries)
	fmt.Printf("saring options: fallback_below_chars %d, clean_lines %v\n", opts.FallbackBelow, opts.CleanLines)
	fmt.Printf("pages: %d (%d tune, %d held-out), snippets: %d with, %d without; GOMAXPROCS=%d\n",
		len(entries), countSplit(entries, "tune"), countSplit(entries, "held-out"),
		sumLen(entries, true), sumLen(entries, false), runtime.GOMAXPROCS(0))
	results := map[string]map[string]counts{}
	var tsv strings.Builder
	var order []string
	for _, x := range extractors {
		if *only != "" && x.name != *only {
			continue
		}
		order = append(order, x.name)
		byGroup := map[string]counts{}
		runtime.GC()
		cpu0, wall0 := cpuSeconds(), time.Now()
		texts := make([]string, len(entries))
		for i := range entries {
			texts[i] = x.run(&entries[i])
		}
		cpu, wall := cpuSeconds()-cpu0, time.Since(wall0).Seconds()
		for i := range entries {
			e := &entries[i]
			c := evaluate(e, texts[i])
			fmt.Fprintf(&tsv, "%s\t%s\t%s\t%d\t%d\t%d\t%d\n", e.File, e.split, x.name, c.TP, c.FN, c.FP, c.TN)
			if *dump != "" {
				d := filepath.Join(*dump, x.name)
				if err := os.MkdirAll(d, 0o755); err != nil {
					fatal("%v", err)
				}
				if err := os.WriteFile(filepath.Join(d, e.File+".txt"), []byte(texts[i]), 0o644); err != nil {
					fatal("%v", err)
				}
			}
			for _, g := range []string{"all", e.split, "lang:" + langOrNone(e.lang)} {
				v := byGroup[g]
				v.add(c)
				byGroup[g] = v
			}
		}
		results[x.name] = byGroup
		fmt.Printf("%-12s %6.1f CPU s (user+sys), %6.1f s wall, %6.1f pages per CPU second\n", x.name, cpu, wall, float64(len(entries))/cpu)
		if x.name == "saring" && *misses != "" {
			listMisses(entries, texts, *misses)
		}
	}

	if *perPage != "" {
		if err := os.WriteFile(*perPage, []byte(tsv.String()), 0o644); err != nil {
			fatal("%v", err)
		}
	}
	fmt.Printf("\n| group | pages | extractor | precision | recall | F1 | accuracy | TP | FN | FP | TN |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, g := range groups {
		for _, name := range order {
			c := results[name][g.name]
			p, r, f := c.prf()
			fmt.Printf("| %s | %d | %s | %.3f | %.3f | %.3f | %.3f | %d | %d | %d | %d |\n", g.name, g.pages, name, p, r, f, c.accuracy(), c.TP, c.FN, c.FP, c.TN)
		}
	}
}

// listMisses prints, per page of the split, the "with" snippets the text
// lacks and the "without" snippets it contains.
func listMisses(entries []entry, texts []string, split string) {
	for i := range entries {
		e := &entries[i]
		if split != "all" && e.split != split {
			continue
		}
		for _, s := range e.With {
			if texts[i] == "" || !strings.Contains(texts[i], s) {
				fmt.Printf("MISS %s %q\n", e.File, s)
			}
		}
		for _, s := range e.Without {
			if texts[i] != "" && strings.Contains(texts[i], s) {
				fmt.Printf("LEAK %s %q\n", e.File, s)
			}
		}
	}
}

type group struct {
	name  string
	pages int
}

// groupNames lists all, the two splits, then languages with at least 10
// pages by size, then the rest of the pages together as lang:other.
func groupNames(entries []entry) []group {
	n := map[string]int{}
	for i := range entries {
		n[langOrNone(entries[i].lang)]++
	}
	for i := range entries {
		if l := langOrNone(entries[i].lang); n[l] < 10 && l != "none" {
			entries[i].lang = "other"
		}
	}
	n = map[string]int{}
	for i := range entries {
		n[langOrNone(entries[i].lang)]++
	}
	langs := make([]string, 0, len(n))
	for l := range n {
		langs = append(langs, l)
	}
	sort.Slice(langs, func(i, j int) bool {
		if n[langs[i]] != n[langs[j]] {
			return n[langs[i]] > n[langs[j]]
		}
		return langs[i] < langs[j]
	})
	gs := []group{{"all", len(entries)}, {"tune", countSplit(entries, "tune")}, {"held-out", countSplit(entries, "held-out")}}
	for _, l := range langs {
		gs = append(gs, group{"lang:" + l, n[l]})
	}
	return gs
}

func langOrNone(l string) string {
	if l == "" {
		return "none"
	}
	return l
}

func countSplit(entries []entry, s string) int {
	n := 0
	for i := range entries {
		if entries[i].split == s {
			n++
		}
	}
	return n
}

func sumLen(entries []entry, with bool) int {
	n := 0
	for i := range entries {
		if with {
			n += len(entries[i].With)
		} else {
			n += len(entries[i].Without)
		}
	}
	return n
}

// load parses the expectations and reads every page they name, sorted by URL
// so that every run sees the same order.
func load(dir string) ([]entry, error) {
	dataFile := filepath.Join(dir, "scripts", "comparison", "data.go")
	entries, err := parseData(dataFile)
	if err != nil {
		return nil, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].URL < entries[j].URL })
	out := entries[:0]
	missing := 0
	for _, e := range entries {
		var raw []byte
		// Where trafilatura's script looks: comparison first, then mock.
		for _, sub := range []string{"comparison", "mock"} {
			if raw, err = os.ReadFile(filepath.Join(dir, "test-files", sub, e.File)); err == nil {
				break
			}
		}
		if err != nil {
			missing++
			continue
		}
		// As saring's WARC reader decodes a page served without a Content-Type charset.
		e.html = formats.DecodeHTML(raw, "").Text
		e.lang = htmlLang(e.html)
		sum := sha256.Sum256([]byte(e.File))
		if h := hex.EncodeToString(sum[:1])[0]; h <= '9' {
			e.split = "tune"
		} else {
			e.split = "held-out"
		}
		out = append(out, e)
	}
	if missing > 0 {
		fmt.Fprintf(os.Stderr, "trafeval: %d entries name a file that is not in the module; left out\n", missing)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no pages found", dataFile)
	}
	return out, nil
}

// parseData reads `var comparisonData = map[string]ComparisonEntry{...}`.
func parseData(path string) ([]entry, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var lit *ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || lit != nil {
			return lit == nil
		}
		for i, name := range vs.Names {
			if name.Name == "comparisonData" && i < len(vs.Values) {
				lit, _ = vs.Values[i].(*ast.CompositeLit)
			}
		}
		return false
	})
	if lit == nil {
		return nil, fmt.Errorf("%s: no comparisonData map literal", path)
	}
	var entries []entry
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return nil, fmt.Errorf("%s: unexpected element", fset.Position(elt.Pos()))
		}
		u, err := stringValue(kv.Key)
		if err != nil {
			return nil, fmt.Errorf("%s: key: %v", fset.Position(kv.Pos()), err)
		}
		val, ok := kv.Value.(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Errorf("%s: value is not a struct literal", fset.Position(kv.Value.Pos()))
		}
		e := entry{URL: u}
		for _, fe := range val.Elts {
			field, ok := fe.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			id, _ := field.Key.(*ast.Ident)
			if id == nil {
				continue
			}
			switch id.Name {
			case "File":
				e.File, err = stringValue(field.Value)
			case "With":
				e.With, err = stringList(field.Value)
			case "Without":
				e.Without, err = stringList(field.Value)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %v", fset.Position(field.Pos()), id.Name, err)
			}
		}
		if e.File == "" {
			return nil, fmt.Errorf("%s: entry %s has no File", fset.Position(kv.Pos()), u)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func stringValue(x ast.Expr) (string, error) {
	switch v := x.(type) {
	case *ast.BasicLit:
		if v.Kind != token.STRING {
			return "", fmt.Errorf("not a string literal")
		}
		return strconv.Unquote(v.Value)
	case *ast.BinaryExpr: // "a" + "b"
		if v.Op != token.ADD {
			return "", fmt.Errorf("unexpected operator %s", v.Op)
		}
		a, err := stringValue(v.X)
		if err != nil {
			return "", err
		}
		b, err := stringValue(v.Y)
		return a + b, err
	case *ast.ParenExpr:
		return stringValue(v.X)
	}
	return "", fmt.Errorf("not a string literal")
}

func stringList(x ast.Expr) ([]string, error) {
	lit, ok := x.(*ast.CompositeLit)
	if !ok {
		return nil, fmt.Errorf("not a []string literal")
	}
	out := make([]string, 0, len(lit.Elts))
	for _, el := range lit.Elts {
		s, err := stringValue(el)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// htmlLang returns the lower-cased primary subtag of the first <html lang=...>
// (or xml:lang) in the page.
func htmlLang(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !bytes.Equal(name, []byte("html")) {
				if bytes.Equal(name, []byte("body")) {
					return ""
				}
				continue
			}
			var lang string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if ks := string(k); ks == "lang" || (ks == "xml:lang" && lang == "") {
					lang = string(v)
				}
			}
			lang = strings.ToLower(strings.TrimSpace(lang))
			if i := strings.IndexAny(lang, "-_"); i >= 0 {
				lang = lang[:i]
			}
			return lang
		}
	}
}

// cpuSeconds is this process's user + system time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "trafeval: "+format+"\n", args...)
	os.Exit(1)
}
