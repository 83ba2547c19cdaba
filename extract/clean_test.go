package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestCleanLines: each case is a page's article HTML; cleanLines must drop
// exactly the lines in drop and keep the others, in order.
func TestCleanLines(t *testing.T) {
	// Links of the whole page: the related box's titles, as a template links them.
	page := `<body><a href=/a>Luftwaffe trainiert auf dem H145</a><a href=/b>Zweiter Artikel über die Bahn und ihre Zukunft</a>
		<a href=/c>Spielabbruch in der Kreisliga</a><a href=/d>Home</a></body>`
	cases := []struct {
		name, html string
		want       []string
	}{
		{"heading and linked titles dropped (markup stripped)",
			`<p>Der Artikel beginnt hier.</p><h3>Schon gelesen?</h3><p>Luftwaffe trainiert auf dem H145</p><p>Zweiter Artikel über die Bahn und ihre Zukunft</p>`,
			[]string{"Der Artikel beginnt hier."}},
		{"heading and links dropped (markup kept), text after it kept",
			`<p>Text.</p><p>Auch interessant:</p><ul><li><a href=/x>Ein anderer Text</a></li></ul><p>Das Ende des Artikels.</p>`,
			[]string{"Text.", "Das Ende des Artikels."}},
		{"heading followed by prose is the article's own: kept",
			`<p>Text.</p><h2>Related</h2><p>The related work in this field is sparse and we describe it here.</p>`,
			[]string{"Text.", "Related", "The related work in this field is sparse and we describe it here."}},
		{"heading as the last line dropped",
			`<p>Text.</p><p>Weitere Themen</p>`,
			[]string{"Text."}},
		{"one-line teaser with a linked title dropped",
			`<p>Text.</p><p>Lesen Sie hier: Spielabbruch in der Kreisliga</p>`,
			[]string{"Text."}},
		{"one-line teaser whose title is no link kept",
			`<p>Lesen Sie hier: was der Minister sagte</p>`,
			[]string{"Lesen Sie hier: was der Minister sagte"}},
		{"phrase with a qualifier and colon",
			`<p>Text.</p><p>Weitere Beiträge aus der Kolumne:</p><p><a href=/y>Kolumne eins</a></p>`,
			[]string{"Text."}},
		{"photo credits dropped",
			`<p>Text.</p><p>Foto: Ingo Pertramer</p><p>Marco Odermatt, Ski-Star. © AFP / MARCO BERTORELLO</p><p>(Credit: Clayton Aldern / Grist)</p><p>© Oli Scarff/Getty Images</p>`,
			[]string{"Text."}},
		{"a sentence that mentions a photo is kept",
			`<p>Das Foto: Es zeigt den Minister beim Besuch der Werft. Später sprach er mit den Arbeitern.</p><p>Sie zeigte ihr Foto: ein Bild vom Meer, das sie vor Jahren in Italien aufgenommen hatte, als sie noch jung war.</p>`,
			[]string{"Das Foto: Es zeigt den Minister beim Besuch der Werft. Später sprach er mit den Arbeitern.", "Sie zeigte ihr Foto: ein Bild vom Meer, das sie vor Jahren in Italien aufgenommen hatte, als sie noch jung war."}},
	}
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		n, err := html.Parse(strings.NewReader(c.html))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range cleanLines(renderLines(n, false), &pageLinks{page: root}) {
			got = append(got, l.text)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// TestLinkLevel: the renderer counts link letters per line and leaves no
// marker in the text.
func TestLinkLevel(t *testing.T) {
	n, _ := html.Parse(strings.NewReader(`<p>ab <a href=/x>cd</a></p><p><a href=/y>ef</a></p><p>gh` + "\uE000" + `</p>`))
	lines := renderLines(n, false)
	want := []struct {
		text string
		lvl  float64
	}{{"ab cd", 0.5}, {"ef", 1}, {"gh", 0}}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines %+v", len(lines), lines)
	}
	for i, w := range want {
		if lines[i].text != w.text || lines[i].linkLevel() != w.lvl {
			t.Errorf("line %d: %q level %.2f, want %q %.2f", i, lines[i].text, lines[i].linkLevel(), w.text, w.lvl)
		}
	}
}
