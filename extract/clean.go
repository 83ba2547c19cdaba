package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
func cleanLines(lines []line) []line {
	out := lines[:0]
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if head, alone := relatedHeading(l); head {
			if !alone {
				continue // "Lesen Sie auch: <linked title>" on one line
			}
			// Skip the heading and the links listed under it.
			j := i + 1
			for j < len(lines) && lines[j].linkLevel() >= 0.5 {
				j++
			}
			if j > i+1 || i == len(lines)-1 {
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

// relatedHeading reports whether l is a "read also" heading, and whether it
// stands alone on its line (else it introduces a link on the same line).
func relatedHeading(l line) (head, alone bool) {
	if l.runes == 0 || l.runes > 300 {
		return false, false
	}
	t := strings.ToLower(strings.TrimSpace(l.text))
	t = strings.TrimLeft(t, "»>-–—•|*+ ")
	if l.runes <= 60 && relatedHeadings[strings.TrimRightFunc(t, isHeadingPunct)] {
		return true, true
	}
	// "Lesen Sie auch: Title" / "À lire aussi » Title", the title linked.
	if l.linkLevel() >= 0.5 {
		for _, sep := range []string{":", "»", " - ", " – "} {
			if k, rest, ok := strings.Cut(t, sep); ok && strings.TrimSpace(rest) != "" && relatedHeadings[strings.TrimSpace(k)] {
				return true, false
			}
		}
	}
	// "Weitere Beiträge aus der Kolumne:": a heading phrase with a short qualifier.
	if l.runes <= 60 && strings.HasSuffix(t, ":") {
		for h := range relatedHeadings {
			if utf8.RuneCountInString(h) >= 10 && strings.HasPrefix(t, h+" ") {
				return true, true
			}
		}
	}
	return false, false
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
