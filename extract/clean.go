package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// relatedHeadings are the lower-cased headings, in the languages of
// common crawls, under which news and blog templates list links to other
// articles ("read also" boxes), inside the article container where the main
// extractor keeps them.
var relatedHeadings = map[string]bool{}

func init() {
	for _, h := range []string{
		// en
		"read more", "read also", "also read", "read next", "related", "related articles",
		"related posts", "related stories", "related content", "related news", "more stories",
		"more articles", "you may also like", "you might also like", "recommended",
		"recommended for you", "recommended articles", "see also", "more on this",
		"more on this story", "most read", "most popular", "popular posts", "recent posts",
		"trending", "trending now", "up next", "don't miss", "must read",
		// de
		"schon gelesen", "auch interessant", "ebenfalls interessant", "das könnte sie auch interessieren",
		"das könnte dich auch interessieren", "das thema könnte dich auch interessieren",
		"das thema könnte sie auch interessieren", "diese artikel könnten sie auch interessieren",
		"lesen sie auch", "lesen sie hier", "lesen sie mehr", "lies auch", "lies hier", "mehr zum thema",
		"weitere artikel", "weitere beiträge", "weitere themen", "weitere news", "weitere nachrichten",
		"ähnliche artikel", "ähnliche beiträge", "empfohlene beiträge", "empfohlene artikel",
		"verwandte artikel", "verwandte beiträge", "verwandte themen", "meistgelesen",
		"meistgelesene artikel", "am meisten gelesen", "auch lesenswert", "passend zum thema",
		"neueste beiträge", "beliebte beiträge", "neueste artikel", "aktuelle beiträge", "mehr dazu",
		"weitere informationen", "mehr informationen", "weiterführende links", "weiterführender link",
		"links zum thema",
		// fr
		"à lire aussi", "a lire aussi", "lire aussi", "à lire également", "sur le même sujet",
		"à voir aussi", "voir aussi", "articles similaires", "articles liés", "vous aimerez aussi",
		"les plus lus", "dans la même rubrique", "à découvrir",
		// es
		"le puede interesar", "te puede interesar", "también te puede interesar",
		"también le puede interesar", "lee también", "lea también", "leer también", "noticias relacionadas",
		"artículos relacionados", "relacionado", "relacionados", "lo más leído", "mira también",
		"te recomendamos", "más noticias", "ver también",
		// pt
		"leia também", "leia mais", "veja também", "você pode gostar", "notícias relacionadas",
		"mais lidas", "saiba mais",
		// it
		"leggi anche", "potrebbe interessarti", "articoli correlati", "ti potrebbe interessare",
		// nl
		"lees ook", "lees meer", "gerelateerde artikelen", "meer nieuws",
		// id, ms
		"baca juga", "artikel terkait", "berita terkait", "lihat juga", "baca selengkapnya",
		// pl
		"czytaj także", "czytaj też", "zobacz także", "zobacz też", "przeczytaj także",
		"przeczytaj też", "polecane", "podobne artykuły", "najczęściej czytane",
	} {
		relatedHeadings[h] = true
	}
}

// creditMarkers start a photo credit: a caption line's source, not article text.
var creditMarkers = []string{
	"©", "foto:", "fotos:", "foto :", "photo:", "photos:", "photo :", "bild:", "bilder:",
	"bildquelle:", "credit:", "credits:", "crédit:", "crédito:", "créditos:", "image:",
	"imagen:", "zdjęcie:", "fot.", "photograph:", "getty images",
}

// cleanLines drops, from the main extractor's text, what article templates
// put inside the article container and the extractor keeps:
//
//   - "read also" boxes: a heading from relatedHeadings (alone on its line,
//     or followed by ":" and a linked title) and the lines of links after it;
//   - photo credits: a short line ending in a credit ("Foto: …", "© AFP / …").
//
// Each rule must keep the article's own lines: a heading counts only when
// its whole line is the heading (or the rest is a link), and a credit only
// when little text follows the marker.
//
// The main extractor may have removed the links' markup, so whether a line
// is a link is also told by anchors: the texts of the <a> elements of the
// whole page (page), collected only when a heading is found.
func cleanLines(lines []line, page *pageLinks) []line {
	isLink := page.isLink
	out := lines[:0]
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if head, alone, rest := relatedHeading(l); head {
			if !alone && (l.linkLevel() >= 0.5 || isLink(line{text: rest})) {
				continue // "Lesen Sie auch: <linked title>" on one line
			}
			// Skip the heading and the links listed under it.
			j := i + 1
			for alone && j < len(lines) && isLink(lines[j]) {
				j++
			}
			if alone && (j > i+1 || i == len(lines)-1) {
				i = j - 1
				continue
			}
			// A heading with no links under it may be the article's own
			// subheading ("Related" sections of a report): keep it.
		}
		if isCredit(l.text) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// relatedHeading reports whether l is a "read also" heading, whether it
// stands alone on its line, and else the text after it (a title that must be
// a link).
func relatedHeading(l line) (head, alone bool, rest string) {
	if l.runes == 0 || l.runes > 300 {
		return false, false, ""
	}
	t := strings.TrimSpace(l.text)
	t = strings.TrimLeft(t, "»>-–—•|*+ ")
	lower := strings.ToLower(t)
	if l.runes <= 60 && relatedHeadings[strings.TrimRightFunc(lower, isHeadingPunct)] {
		return true, true, ""
	}
	// "Lesen Sie auch: Title" / "À lire aussi » Title".
	for _, sep := range []string{":", "»", " - ", " – "} {
		if i := strings.Index(lower, sep); i > 0 && relatedHeadings[strings.TrimSpace(lower[:i])] {
			if rest := strings.TrimSpace(t[i+len(sep):]); rest != "" {
				return true, false, rest
			}
		}
	}
	// "Weitere Beiträge aus der Kolumne:": a heading phrase with a short qualifier.
	if l.runes <= 60 && strings.HasSuffix(lower, ":") {
		for h := range relatedHeadings {
			if utf8.RuneCountInString(h) >= 10 && strings.HasPrefix(lower, h+" ") {
				return true, true, ""
			}
		}
	}
	return false, false, ""
}

// pageLinks tells whether a line is a link of the page; the page's anchors
// are collected on first use, once per page.
type pageLinks struct {
	page    *html.Node
	anchors *anchorTexts
}

func (p *pageLinks) isLink(l line) bool {
	if l.linkLevel() >= 0.5 {
		return true
	}
	if p.anchors == nil {
		p.anchors = collectAnchors(p.page)
	}
	return p.anchors.covers(l.text)
}

// anchorTexts are the normalized texts of a page's links.
type anchorTexts struct {
	exact map[string]bool
	long  []string // texts of 20 bytes or more, for lines that add a date or a teaser
}

func collectAnchors(page *html.Node) *anchorTexts {
	a := &anchorTexts{exact: map[string]bool{}}
	if page == nil {
		return a
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.Data == "a" {
				if t := normLine(renderText(c, false)); t != "" && !a.exact[t] {
					a.exact[t] = true
					if len(t) >= 20 {
						a.long = append(a.long, t)
					}
				}
				continue
			}
			if !skipTags[c.Data] {
				walk(c)
			}
		}
	}
	walk(page)
	return a
}

// covers reports whether text is a link of the page, or half of it is.
func (a *anchorTexts) covers(text string) bool {
	t := normLine(text)
	if t == "" {
		return false
	}
	if a.exact[t] {
		return true
	}
	for _, s := range a.long {
		if 2*len(s) >= len(t) && strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// normLine lower-cases text, drops a list marker and collapses spaces.
func normLine(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "- ")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func isHeadingPunct(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(":?!.…»>|–—-", r)
}

// isCredit reports whether a short line ends in a photo credit: a marker
// with at most a few words after it.
func isCredit(text string) bool {
	if len(text) > 240 {
		return false
	}
	lower := strings.ToLower(text)
	for _, m := range creditMarkers {
		i := strings.Index(lower, m)
		if i < 0 {
			continue
		}
		if i > 0 && m != "©" && m != "getty images" {
			// Inside a line the marker must start a word or a parenthesis.
			if c, _ := utf8.DecodeLastRuneInString(lower[:i]); unicode.IsLetter(c) {
				continue
			}
		}
		rest := strings.TrimSpace(text[i+len(m):])
		if utf8.RuneCountInString(rest) <= 60 && !strings.ContainsAny(strings.TrimRight(rest, ".)] "), ".!?") {
			return true
		}
	}
	return false
}
