package filters

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/words"

	"github.com/saring/saring/internal/golden"
)

// c4TestGolden compares got with testdata/name, or rewrites it with -update.
func c4TestGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

func c4TestRun(t *testing.T, st saring.Step, text string, meta map[string]any) (saring.Result, *saring.Document) {
	t.Helper()
	doc := &saring.Document{ID: "t", Text: text, Metadata: meta}
	res, err := st.Process(context.Background(), doc)
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	return res, doc
}

// five one-sentence lines that pass every C4 line rule
const c4Good = "The river rose quickly after the storm.\n" +
	"Farmers moved their cattle to higher ground.\n" +
	"Schools in the valley closed for two days.\n" +
	"Volunteers filled sandbags near the bridge.\n" +
	"By Friday the water had started to fall."

func TestC4Quality(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		mod     func(*C4QualityOptions)
		outcome saring.Outcome
		reason  string
		want    string // text after a rewrite
	}{
		{name: "clean", text: c4Good, outcome: saring.Keep},
		{name: "trailing newline and spaces are stripped", text: "  " + c4Good + "\n\n", outcome: saring.Rewrite, want: c4Good},
		{name: "four sentences", text: c4Good[:strings.LastIndexByte(c4Good, '\n')], outcome: saring.Drop, reason: "too_few_sentences"},
		{name: "line rules", text: c4Good + "\nHome | News | Sport\nRead more.\n" +
			"Please enable JavaScript to watch this video.\nBy using this site you accept our Terms of Use.\n" +
			"And then the lights went out...\nWe use cookies to improve your experience.",
			outcome: saring.Rewrite, want: c4Good},
		{name: "lorem ipsum in a kept line drops", text: c4Good + "\nLorem ipsum dolor sit amet, consectetur.", outcome: saring.Drop, reason: "lorem_ipsum"},
		{name: "lorem ipsum in a removed line does not", text: c4Good + "\nLorem ipsum dolor sit amet", outcome: saring.Rewrite, want: c4Good},
		{name: "lorem ipsum disabled", text: c4Good + "\nLorem ipsum dolor sit amet, consectetur.", mod: func(o *C4QualityOptions) { o.FilterLoremIpsum = false },
			outcome: saring.Keep},
		{name: "curly bracket in a kept line drops", text: c4Good + "\nThe set is {1, 2, 3} in this case.", outcome: saring.Drop, reason: "curly_bracket"},
		{name: "curly bracket in a removed line does not", text: c4Good + "\nvar x = {a: 1}", outcome: saring.Rewrite, want: c4Good},
		{name: "lorem ipsum checked before curly bracket", text: "Lorem ipsum {dolor} sit amet.\n" + c4Good, outcome: saring.Drop, reason: "lorem_ipsum"},
		{name: "first doc-level rule wins", text: "The set is {1, 2, 3} in this case.\nLorem ipsum dolor sit amet.", outcome: saring.Drop, reason: "curly_bracket"},
		{name: "citations removed", text: "The river rose quickly after the storm.[1]\n" + c4Good[strings.IndexByte(c4Good, '\n')+1:],
			outcome: saring.Rewrite, want: c4Good},
		{name: "citation after space leaves no end punctuation", text: c4Good + "\nThe bridge was closed. [citation needed]", outcome: saring.Rewrite, want: c4Good},
		{name: "edit and unicode digits", text: "Floods hit[edit] the town again.[١٢]\n" + c4Good, outcome: saring.Rewrite, want: "Floods hit the town again.\n" + c4Good},
		{name: "citations kept when disabled", text: "Floods hit[edit] the town again.[2]\n" + c4Good, mod: func(o *C4QualityOptions) { o.RemoveCitations = false },
			outcome: saring.Rewrite, want: c4Good},
		{name: "quotes end a line", text: c4Good + "\nShe said \"go home.\"\nHe said 'no'", outcome: saring.Keep},
		{name: "words counted before citation removal", text: c4Good + "\nShort line [1] [2].", outcome: saring.Rewrite, want: c4Good + "\nShort line  ."},
		{name: "too long word", text: c4Good + "\nA " + strings.Repeat("é", 1001) + " word.", outcome: saring.Rewrite, want: c4Good},
		{name: "word of exactly max length", text: c4Good + "\nA " + strings.Repeat("é", 1000) + " word.", outcome: saring.Keep},
		{name: "python line breaks", text: strings.ReplaceAll(c4Good, "\n", "\r\n") + "\u2028Menu\x1cHome\x85About us", outcome: saring.Rewrite, want: c4Good},
		{name: "no terminal punct disabled", text: c4Good + "\nHome and garden news", mod: func(o *C4QualityOptions) { o.FilterNoTerminalPunct = false },
			outcome: saring.Keep},
		{name: "sentence minimum disabled", text: "One good line is here.", mod: func(o *C4QualityOptions) { o.MinNumSentences = -1 }, outcome: saring.Keep},
		{name: "everything removed", text: "Menu\nHome", mod: func(o *C4QualityOptions) { o.MinNumSentences = -1 }, outcome: saring.Rewrite, want: ""},
		{name: "javascript disabled, policy still on", text: c4Good + "\nJavaScript is a language for the web.\nSee the privacy policy here.",
			mod: func(o *C4QualityOptions) { o.FilterJavascript = false }, outcome: saring.Rewrite, want: c4Good + "\nJavaScript is a language for the web."},
		{name: "Indonesian", text: "Presiden meresmikan jembatan baru di Kalimantan Timur pada Senin.\n" +
			"Jembatan itu menghubungkan dua kabupaten yang selama ini terpisah sungai.\n" +
			"Baca juga: Jembatan lama ditutup\n" +
			"Warga menyambut peresmian dengan gembira.\n" +
			"Pemerintah daerah akan menambah trayek angkutan umum.\n" +
			"Proyek itu menelan biaya Rp1,2 triliun.\n" +
			"Kebijakan privasi | Syarat penggunaan",
			outcome: saring.Rewrite, want: "Presiden meresmikan jembatan baru di Kalimantan Timur pada Senin.\n" +
				"Jembatan itu menghubungkan dua kabupaten yang selama ini terpisah sungai.\n" +
				"Warga menyambut peresmian dengan gembira.\n" +
				"Pemerintah daerah akan menambah trayek angkutan umum.\n" +
				"Proyek itu menelan biaya Rp1,2 triliun."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultC4QualityOptions()
			if tt.mod != nil {
				tt.mod(&o)
			}
			st, err := NewC4Quality(o)
			if err != nil {
				t.Fatal(err)
			}
			res, doc := c4TestRun(t, st, tt.text, nil)
			if res.Outcome != tt.outcome || res.Reason != tt.reason {
				t.Fatalf("got %v %q (%s), want %v %q", res.Outcome, res.Reason, res.Message, tt.outcome, tt.reason)
			}
			if tt.outcome == saring.Rewrite && doc.Text != tt.want {
				t.Errorf("text:\n%q\nwant:\n%q", doc.Text, tt.want)
			}
			if tt.outcome == saring.Keep && doc.Text != tt.text {
				t.Errorf("kept document changed")
			}
		})
	}
}

func TestC4QualityValidate(t *testing.T) {
	for _, tt := range []struct {
		mod   func(*C4QualityOptions)
		field string
	}{
		{func(o *C4QualityOptions) { o.MinNumSentences = -2 }, "min_num_sentences"},
		{func(o *C4QualityOptions) { o.MinWordsPerLine = -5 }, "min_words_per_line"},
		{func(o *C4QualityOptions) { o.MaxWordLength = -3 }, "max_word_length"},
		{func(o *C4QualityOptions) { o.Language = "" }, "language"},
	} {
		o := DefaultC4QualityOptions()
		tt.mod(&o)
		_, err := NewC4Quality(o)
		fe, ok := err.(*saring.FieldError)
		if !ok || fe.Field != tt.field {
			t.Errorf("got %v, want a FieldError on %s", err, tt.field)
		}
	}
}

func TestC4QualityExplainGolden(t *testing.T) {
	st, _ := NewC4Quality(DefaultC4QualityOptions())
	doc := &saring.Document{Text: c4Good + "\nMenu\nPlease enable JavaScript to view.\nLorem ipsum dolor sit amet, consectetur.\nRead the privacy policy now."}
	checks, err := st.Explain(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(checks, "", "  ")
	c4TestGolden(t, "c4_quality_explain.golden.json", append(b, '\n'))
}

// The scraped news page: C4 rules keep the article lines and drop
// navigation ("Baca juga: ...") lines.
func TestC4QualityAntaraGolden(t *testing.T) {
	b, err := os.ReadFile(testenv.SharedFile(t, "examples", "antara-news-scraped.txt"))
	if err != nil {
		t.Fatal(err)
	}
	o := DefaultC4QualityOptions()
	o.Language = "id"
	st, _ := NewC4Quality(o)
	res, doc := c4TestRun(t, st, string(b), nil)
	// The page itself stays out of the repository: pin counts and a digest.
	in, out := strings.Count(string(b), "\n"), strings.Count(doc.Text, "\n")+1
	got := fmt.Sprintf("outcome %s %s\nlines in %d, kept %d\nsha256 %x\n", res.Outcome, res.Reason, in, out, sha256.Sum256([]byte(doc.Text)))
	c4TestGolden(t, "c4_quality_antara.golden.txt", []byte(got))
}

func TestC4Paragraph(t *testing.T) {
	long := strings.Repeat("a", 200)
	tests := []struct {
		name string
		text string
		keep bool
	}{
		{"three long lines", long + "\n" + long + "\nshort\n" + long, true},
		{"two long lines", long + "\n" + long + "\nshort", false},
		{"only two lines", long + "\n" + long, false},
		{"third line one short", long + "\n" + long + "\n" + long[:199], false},
		{"code points, not bytes", strings.Repeat("é", 200) + "\n" + long + "\n" + long, true},
		{"199 code points", strings.Repeat("é", 199) + "\n" + long + "\n" + long, false},
		{"only \\n splits", long + "\r" + long + "\r" + long, false},
		{"empty", "", false},
	}
	st, _ := NewC4Paragraph(DefaultC4ParagraphOptions())
	for _, tt := range tests {
		res, _ := c4TestRun(t, st, tt.text, nil)
		if (res.Outcome == saring.Keep) != tt.keep {
			t.Errorf("%s: got %v %s", tt.name, res.Outcome, res.Reason)
		}
		if !tt.keep && res.Reason != "too_few_paragraphs" {
			t.Errorf("%s: reason %q", tt.name, res.Reason)
		}
	}
}

func TestC4SplitLines(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a\n", []string{"a"}},
		{"a\n\nb", []string{"a", "", "b"}},
		{"a\r\nb\rc\vd\fe\x1cf\x1dg\x1eh\u0085i\u2028j\u2029k", []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}},
		{"a\r\n\r\n", []string{"a", ""}},
		{"\x1f", []string{"\x1f"}},
	} {
		var got []string
		c4SplitLines(tt.in, func(l string) bool { got = append(got, l); return true })
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestC4PythonWhitespace(t *testing.T) {
	if got := c4Strip("\x1c\u00a0 a b\u3000\x1f"); got != "a b" {
		t.Errorf("strip: %q", got)
	}
	n, longest := c4WordStats("ab\x1fcd\u00a0éé\u200bé", true)
	if n != 3 || longest != 4 { // U+200B is not whitespace in Python
		t.Errorf("words %d longest %d", n, longest)
	}
}

var c4CitationRe = regexp.MustCompile(`\[\p{Nd}*\]|\[edit\]|\[citation needed\]`)

func FuzzC4RemoveCitations(f *testing.F) {
	for _, s := range []string{"a[1]b", "[edit]", "[[1]]", "[citation needed", "x[٣]", "[", "[]", "a[b]c[12]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if want, got := c4CitationRe.ReplaceAllString(s, ""), c4RemoveCitations(s); got != want {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	})
}

func FuzzC4SplitLines(f *testing.F) {
	for _, s := range []string{"a\nb", "a\r\n", "\u2028\u2029", "\r\r\n\n", "x\x85y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := 0
		total := 0
		c4SplitLines(s, func(l string) bool {
			n++
			total += len(l)
			if strings.ContainsAny(l, "\n\r\v\f\x1c\x1d\x1e\u0085\u2028\u2029") {
				t.Fatalf("line %q holds a line break", l)
			}
			return true
		})
		if total > len(s) || (s != "" && n == 0) {
			t.Fatalf("%q: %d lines, %d bytes", s, n, total)
		}
	})
}

// go test ./filters -run '^$' -bench 'C4|FineWeb|Length|URL' -benchtime 2s
func BenchmarkC4Quality(b *testing.B) {
	st, _ := NewC4Quality(DefaultC4QualityOptions())
	c4Bench(b, st)
}

func BenchmarkC4Paragraph(b *testing.B) {
	st, _ := NewC4Paragraph(DefaultC4ParagraphOptions())
	c4Bench(b, st)
}

func BenchmarkC4BadWords(b *testing.B) {
	st, _ := NewC4BadWords(DefaultC4BadWordsOptions())
	c4Bench(b, st)
}

// c4Bench runs st over news-like pages (the scraped news page from the
// shared data when present, else the built-in sample), copying the
// document each time because steps rewrite it.
func c4Bench(b *testing.B, st saring.Step) {
	pages := c4BenchPages(b)
	size := 0
	for _, p := range pages {
		size += len(p.Text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	ctx := context.Background()
	cpu0 := testenv.CPUTime()
	for b.Loop() {
		for _, p := range pages {
			d := *p
			d.Measures = nil
			if _, err := st.Process(ctx, &d); err != nil {
				b.Fatal(err)
			}
		}
	}
	testenv.ReportMBPerCPUSecond(b, cpu0, int64(size))
}

func c4BenchPages(b testing.TB) []*saring.Document {
	texts := []string{c4BenchEN, c4BenchID}
	if sh, ok := testenv.LookupSharedDir(); ok {
		if t, err := os.ReadFile(filepath.Join(sh, "examples", "antara-news-scraped.txt")); err == nil {
			texts = append(texts, string(t))
		}
	}
	var docs []*saring.Document
	for i, t := range texts {
		lang := "en"
		if i > 0 {
			lang = "id"
		}
		docs = append(docs, &saring.Document{Text: t, Seq: uint64(i),
			Metadata: map[string]any{"language": lang, "url": "https://www.example.com/news/2024/05/" + lang + "/story-" + string(rune('a'+i))}})
	}
	return docs
}

var c4BenchEN = strings.Repeat(`City council approves new budget after months of debate
By Staff Reporter | May 3, 2024
The city council voted 7-2 on Tuesday to approve a $1.2 billion budget for the coming fiscal year, ending months of sometimes heated debate over spending on police, parks and public transit.
Council members who opposed the plan said it did not do enough to address the rising cost of housing. "We are asking residents to pay more and get less," said one of them.
Supporters pointed to new money for road repairs and for a pilot program that will keep two libraries open on Sundays.
Read more: Transit fares to rise in July
The mayor, who proposed the budget in March, is expected to sign it this week.
Share this article
Advertisement
Residents can read the full budget on the city's website. Public hearings on next year's plan will begin in the autumn.
We use cookies to improve your experience. By continuing you accept our privacy policy.
`, 3)

var c4BenchID = strings.Repeat(`Pemerintah umumkan kenaikan anggaran pendidikan tahun depan
Jakarta (ANTARA) - Pemerintah mengumumkan kenaikan anggaran pendidikan sebesar 8 persen untuk tahun depan, dengan fokus pada perbaikan sekolah di daerah terpencil.
Menteri Keuangan mengatakan tambahan dana itu akan digunakan untuk membangun ruang kelas baru dan melatih guru. "Kami ingin setiap anak mendapat kesempatan yang sama," ujarnya di Jakarta, Senin.
Baca juga: DPR setujui RAPBN 2025
Sejumlah pengamat menilai kenaikan tersebut belum cukup untuk menutup kesenjangan mutu pendidikan antarwilayah.
Pewarta: Redaksi
Editor: Redaksi
COPYRIGHT © ANTARA 2024
Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis untuk AI di situs web ini tanpa izin tertulis dari Kantor Berita ANTARA.
`, 3)

// FuzzC4OneSentence checks the shortcut against the sentencizer: a line
// c4OneSentence calls one sentence must split into one piece.
func FuzzC4OneSentence(f *testing.F) {
	for _, s := range []string{"One sentence here.", "Two here. And more.", "U.S. troops left.", "Hi!!", "Wait... what?",
		"Hello. $", "Harga naik (lagi).", "Dia berkata: \"pulang.\"", "a.b", "。", "Mr. Smith", "x .y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = c4Strip(s)
		if !utf8ValidString(s) || !c4OneSentence(s) {
			return
		}
		for _, lang := range []string{"en", "id"} {
			if n := len(words.Sentences(s, lang)); n != 1 {
				t.Errorf("%q (%s): shortcut says one sentence, sentencizer %d", s, lang, n)
			}
		}
	})
}

// FuzzC4Phrases checks the case-folding scan against Python's lower() and
// substring tests.
func FuzzC4Phrases(f *testing.F) {
	for _, s := range []string{"Lorem Ipsum dolor", "JAVASCRIPT", "use of coo\u212aies", "JAVASCRİPT", "Privacy Policy", "USE COOKIES", "İ", "ıi"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8ValidString(s) {
			return
		}
		var buf []byte
		lorem, js, policy := c4Phrases(s, &buf)
		low := c4Lower(s)
		pol := false
		for _, p := range c4PolicySubstrings {
			pol = pol || strings.Contains(low, p)
		}
		if lorem != strings.Contains(low, "lorem ipsum") || js != strings.Contains(low, "javascript") || policy != pol {
			t.Errorf("%q: got %v %v %v", s, lorem, js, policy)
		}
	})
}

// c4FoldASCII lowers exactly the bytes 'A'..'Z', at every offset and
// length (the 8-byte steps and the tail).
func FuzzC4FoldASCII(f *testing.F) {
	f.Add("Hello, WORLD! \xc3\x84\xff@[`{AZaz")
	f.Fuzz(func(t *testing.T, s string) {
		want := []byte(s)
		for i, c := range want {
			if 'A' <= c && c <= 'Z' {
				want[i] = c + 32
			}
		}
		if got := c4FoldASCII([]byte("x"), s); string(got) != "x"+string(want) {
			t.Fatalf("%q: got %q, want %q", s, got[1:], want)
		}
	})
}

func TestC4IsPo(t *testing.T) {
	for r := rune(0); r < 0x10000+0x3000; r++ {
		if c4IsPo(r) != unicode.Is(unicode.Po, r) {
			t.Fatalf("c4IsPo(%U) = %v", r, c4IsPo(r))
		}
	}
}

// c4Phrases searches "cookie" before the four policy phrases that hold it.
func TestC4PolicyPhrasesOrder(t *testing.T) {
	if c4PolicySubstrings[0] != "terms of use" || c4PolicySubstrings[1] != "privacy policy" {
		t.Fatalf("c4Phrases assumes the two phrases without \"cookie\" first: %q", c4PolicySubstrings)
	}
	for _, p := range c4PolicySubstrings[2:] {
		if !strings.Contains(p, "cookie") {
			t.Fatalf("%q does not hold \"cookie\"", p)
		}
	}
}
