package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// blockTags start and end a line of text.
var blockTags = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "main": true, "header": true,
	"footer": true, "aside": true, "nav": true, "blockquote": true, "pre": true, "figure": true,
	"figcaption": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "dl": true, "li": true, "dt": true, "dd": true, "table": true,
	"tr": true, "thead": true, "tbody": true, "tfoot": true, "caption": true, "hr": true,
	"address": true, "summary": true, "details": true, "form": true, "fieldset": true, "body": true,
	"center": true, "code": false,
}

// skipTags hold no readable text.
var skipTags = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true,
	"head": true, "iframe": true, "object": true, "canvas": true, "math": false,
}

// renderText turns an extracted HTML tree into plain text: one line per
// paragraph, heading, list item or table row, so that line-based repair and
// quality filters downstream see the page's real structure. List items start
// with "- ", table cells are joined with " | ", links become [text](url)
// when links is set.
func renderText(n *html.Node, links bool) string {
	return joinLines(renderLines(n, links))
}

// line is one rendered line and how much of it is link text.
type line struct {
	text             string
	runes, linkRunes int
}

// linkLevel is how much of the line's letters and digits are link text.
func (l line) linkLevel() float64 {
	if l.runes == 0 {
		return 0
	}
	return float64(l.linkRunes) / float64(l.runes)
}

// renderLines is renderText before joining, so that line-level cleaning can
// see which lines are made of links.
func renderLines(n *html.Node, links bool) []line {
	r := textRenderer{links: links}
	r.node(n)
	return r.finish()
}

func joinLines(lines []line) string {
	var sb strings.Builder
	for i, l := range lines {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(l.text)
	}
	return sb.String()
}

// Link text is bracketed in the rendered buffer by two private-use runes,
// counted and removed by finish. Private-use runes in page text are icon-font
// glyphs, not words, so finish removes those as well.
const (
	linkOpen  = '\uE000'
	linkClose = '\uE001'
)

type textRenderer struct {
	sb    strings.Builder
	links bool
	// space: a space is owed before the next word; lineStart: nothing
	// written on the current line yet.
	space     bool
	lineStart bool
	pre       int
	cell      bool // a cell was written in the current row
}

func (r *textRenderer) newline() {
	if !r.lineStart {
		r.sb.WriteByte('\n')
		r.lineStart = true
	}
	r.space = false
	r.cell = false
}

func (r *textRenderer) write(s string) {
	if s == "" {
		return
	}
	if r.space && !r.lineStart {
		r.sb.WriteByte(' ')
	}
	r.sb.WriteString(s)
	r.space = false
	r.lineStart = false
}

func (r *textRenderer) text(s string) {
	if r.pre > 0 {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			if i > 0 {
				r.sb.WriteByte('\n')
				r.lineStart = true
			}
			if l = strings.TrimRight(l, " \t\r"); l != "" {
				r.sb.WriteString(l)
				r.lineStart = false
			}
		}
		return
	}
	if len(s) > 0 && isSpace(s[0]) {
		r.space = true
	}
	for _, w := range strings.Fields(s) {
		r.write(w)
		r.space = true
	}
	if len(s) > 0 && !isSpace(s[len(s)-1]) {
		r.space = false
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func (r *textRenderer) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		r.text(n.Data)
		return
	case html.DocumentNode:
		r.children(n)
		return
	case html.ElementNode:
	default:
		return
	}
	tag := n.Data
	if skipTags[tag] {
		return
	}
	switch tag {
	case "br":
		r.newline()
		return
	case "hr":
		r.newline()
		return
	case "img":
		return
	case "td", "th":
		if r.cell {
			r.write("|")
			r.space = true
		}
		r.children(n)
		r.cell = true
		r.space = true
		return
	case "li", "dt":
		r.newline()
		r.write("-")
		r.space = true
		r.children(n)
		r.newline()
		return
	case "a":
		href := attr(n, "href")
		r.sb.WriteRune(linkOpen)
		defer r.sb.WriteRune(linkClose)
		if r.links && href != "" && !strings.HasPrefix(href, "javascript:") && !strings.HasPrefix(href, "#") {
			r.write("[")
			r.space = false
			r.lineStart = false
			r.children(n)
			r.space = false
			r.write("](" + href + ")")
			return
		}
		r.children(n)
		return
	case "pre":
		r.newline()
		r.pre++
		r.children(n)
		r.pre--
		r.newline()
		return
	}
	if blockTags[tag] {
		r.newline()
		r.children(n)
		r.newline()
		return
	}
	r.children(n)
}

func (r *textRenderer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c)
	}
}

// finish drops empty lines and trailing spaces; leading spaces only
// come from <pre> (code indentation) and are kept.
func (r *textRenderer) finish() []line {
	var out []line
	inLink := 0
	for _, l := range strings.Split(r.sb.String(), "\n") {
		var ln line
		if strings.ContainsFunc(l, isPrivateUse) {
			var sb strings.Builder
			for _, c := range l {
				switch {
				case c == linkOpen:
					inLink++
				case c == linkClose:
					if inLink > 0 {
						inLink--
					}
				case isPrivateUse(c):
				default:
					sb.WriteRune(c)
					if inLink > 0 && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
						ln.linkRunes++
					}
				}
			}
			l = sb.String()
		}
		l = strings.TrimRight(l, " \t\r")
		if t := strings.TrimSpace(l); t == "" || isSeparator(t) {
			continue
		}
		ln.text = l
		for _, c := range l {
			if unicode.IsLetter(c) || unicode.IsDigit(c) {
				ln.runes++
			}
		}
		out = append(out, ln)
	}
	return out
}

func isPrivateUse(c rune) bool { return c >= '\uE000' && c <= '\uF8FF' }

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// isSeparator reports whether a line is only a leftover separator ("|",
// "-", "•") from a byline or menu whose words the extractor removed.
func isSeparator(t string) bool {
	if utf8.RuneCountInString(t) > 3 {
		return false
	}
	for _, r := range t {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
