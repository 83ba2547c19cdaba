package filters

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/testenv"
)

// TestExplainAgreesWithProcess: for every filter that explains, under
// several configurations and over a corpus (the repository's example news,
// the gopher golden texts, the test pages of this package, random texts
// with repeats) plus cases made to fail each rule, the first failing check
// of Explain is the reason Process drops the document for, and a document
// Process keeps has no failing check. Every rule that can drop a document
// is seen dropping one, so no rule goes untested.
func TestExplainAgreesWithProcess(t *testing.T) {
	corpus := agreeCorpus(t)
	reached := map[string]map[string]bool{} // step name -> reasons seen
	for _, c := range agreeSteps(t) {
		if reached[c.step.Name()] == nil {
			reached[c.step.Name()] = map[string]bool{}
		}
		docs := append(append([]agreeDoc(nil), corpus...), c.cases...)
		for i, d := range docs {
			what := fmt.Sprintf("%s/%s doc %d (%.40q)", c.step.Name(), c.name, i, d.text)
			res, err := c.step.Process(context.Background(), d.doc())
			if err != nil {
				t.Fatalf("%s: Process: %v", what, err)
			}
			checks, err := c.step.(saring.Explainer).Explain(context.Background(), d.doc())
			if err != nil {
				t.Fatalf("%s: Explain: %v", what, err)
			}
			first := ""
			for _, ch := range checks {
				if !ch.Pass {
					first = ch.Rule
					break
				}
			}
			want := ""
			if res.Outcome == saring.Drop {
				want = res.Reason
				reached[c.step.Name()][res.Reason] = true
			}
			if first != want {
				t.Errorf("%s: Process %v %q (%s), Explain's first failing check %q\n%+v", what, res.Outcome, res.Reason, res.Message, first, checks)
			}
			if d.kept && res.Outcome == saring.Drop {
				t.Errorf("%s: made to pass, Process drops it for %q (%s)", what, res.Reason, res.Message)
			}
			if d.reason != "" && res.Reason != d.reason {
				t.Errorf("%s: made to fail %s, Process says %v %q (%s)", what, d.reason, res.Outcome, res.Reason, res.Message)
			}
		}
	}
	for step, reasons := range agreeReasons(t) {
		for _, r := range reasons {
			if !reached[step][r] {
				t.Errorf("%s: no document dropped for %s", step, r)
			}
		}
	}
}

// agreeReasons are the reasons each filter's table can drop for (the c4
// line rules remove lines and never drop).
func agreeReasons(t *testing.T) map[string][]string {
	names := func(rs []string) []string { sort.Strings(rs); return rs }
	of := func(reasons ...func() []string) []string {
		var out []string
		seen := map[string]bool{}
		for _, f := range reasons {
			for _, r := range f() {
				if !seen[r] && !strings.HasPrefix(r, "line_") {
					seen[r] = true
					out = append(out, r)
				}
			}
		}
		return names(out)
	}
	gq, _ := NewGopherQuality(DefaultGopherQualityOptions())
	gr, _ := NewGopherRepetition(DefaultGopherRepetitionOptions())
	c4, _ := NewC4Quality(DefaultC4QualityOptions())
	c4p, _ := NewC4Paragraph(DefaultC4ParagraphOptions())
	fw, _ := NewFineWebQuality(DefaultFineWebQualityOptions())
	lo := DefaultLengthOptions()
	lo.MinChars, lo.MaxChars, lo.MinWords, lo.MaxWords = 1, 10, 1, 10
	ln, _ := NewLength(lo)
	return map[string][]string{
		"gopher_quality":    of(gq.rules.reasons),
		"gopher_repetition": of(gr.rules.reasons),
		"c4_quality":        of(c4.rules.reasons),
		"c4_paragraph":      of(c4p.rules.reasons),
		"c4_badwords":       {c4BadwordsReason},
		"fineweb_quality":   of(fw.rules.reasons),
		"length":            of(ln.rules.reasons),
		"url_filter":        of(urlTestFilter(t, "drop").rules.reasons, func() []string { return []string{"missing_url"} }),
	}
}

// reasons lists the table's drop reasons, in order.
func (t rules[M]) reasons() []string {
	out := make([]string, len(t))
	for i, r := range t {
		out[i] = r.reason
	}
	return out
}

type agreeDoc struct {
	text   string
	meta   map[string]any
	reason string // what the case was made to fail, "" for corpus texts
	kept   bool   // the case was made to pass
}

// doc returns a fresh document: Process may rewrite the text.
func (d agreeDoc) doc() *saring.Document {
	m := make(map[string]any, len(d.meta))
	for k, v := range d.meta {
		m[k] = v
	}
	return &saring.Document{ID: "t", Text: d.text, Metadata: m}
}

type agreeStep struct {
	name  string
	step  saring.Step
	cases []agreeDoc // made to fail this configuration's rules
}

func agreeCorpus(t *testing.T) []agreeDoc {
	var texts []string
	f, err := os.Open(filepath.Join(testenv.RepoRoot(t), "examples", "news.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var urls []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r struct{ Text, URL string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		texts = append(texts, r.Text)
		urls = append(urls, r.URL)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(texts) == 0 {
		t.Fatal("examples/news.jsonl is empty")
	}
	// The gopher golden texts; the Antara page they name lives outside the
	// repository and joins in when it is there.
	for _, c := range gopherGoldenCases(t) {
		if !strings.HasPrefix(c.Text, "@") {
			texts = append(texts, c.Text)
		}
	}
	if sh, ok := testenv.LookupSharedDir(); ok {
		if b, err := os.ReadFile(filepath.Join(sh, "examples", "antara-news-scraped.txt")); err == nil {
			texts = append(texts, string(b))
		}
	}
	texts = append(texts, gopherTrickyTexts()...)
	// Random texts with repeated runs of words, lines and paragraphs,
	// near every repetition bound.
	rng := rand.New(rand.NewSource(7))
	vocab := strings.Fields("the a of and harga beras naik di pasar yang é 日本 said that with … - # 1999 lorem ipsum {x}")
	seps := []string{" ", "\n", "\n\n", ". "}
	for k := 0; k < 40; k++ {
		var b strings.Builder
		var w []string
		for len(w) < 20+rng.Intn(400) {
			if len(w) > 10 && rng.Intn(6) == 0 {
				i := rng.Intn(len(w) - 5)
				w = append(w, w[i:i+1+rng.Intn(min(12, len(w)-i-1))]...)
				continue
			}
			w = append(w, vocab[rng.Intn(len(vocab))])
		}
		for i, x := range w {
			if i > 0 {
				b.WriteString(seps[rng.Intn(len(seps))*min(1, i%(2+k%5))])
			}
			b.WriteString(x)
		}
		texts = append(texts, b.String())
	}
	for _, d := range gopherBenchDocs(4) {
		texts = append(texts, d.Text)
	}
	texts = append(texts, c4Good, c4BenchEN, c4BenchID, strings.Join(fwNoPunct, "\n"), strings.Join(fwThree, "\n"),
		"", " ", "\n\n", "#", "...", "- \n- ", "Lorem ipsum {dolor} sit amet.\n"+c4Good,
		"The set is {1, 2, 3} in this case.\nLorem ipsum dolor sit amet.")
	var docs []agreeDoc
	langs := []any{nil, "en", "id", "de"}
	for i, text := range texts {
		meta := map[string]any{"url": urls[i%len(urls)]}
		if l := langs[i%len(langs)]; l != nil {
			meta["language"] = l
		}
		docs = append(docs, agreeDoc{text: text, meta: meta})
	}
	return docs
}

// agreeRepeat is n lines of the same ten words, each ending in a word of
// its own: no line or paragraph repeats, every n-gram up to ten does.
func agreeRepeat(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "alpha beta gamma delta epsilon zeta eta theta iota kappa w%d\n", i)
	}
	return b.String()
}

// agreeList is n distinct lines of two long words and a full stop: a
// newline for every three words.
func agreeList(n int) string {
	ws := strings.Fields("extraordinarily incomprehensible characteristically internationally accomplishments " +
		"unquestionably environmentally representatives responsibilities circumstantially")
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s %s.\n", ws[i%len(ws)], ws[(i+3)%len(ws)])
	}
	return b.String()
}

// agreeEnglish is n words of plain English prose with stop words.
func agreeEnglish(n int) string {
	ws := strings.Fields("the council said that the plan to build a bridge over the river would have to wait and be paid with money of the state")
	out := make([]string, n)
	for i := range out {
		out[i] = ws[i%len(ws)]
	}
	return strings.Join(out, " ") + "."
}

func agreeSteps(t *testing.T) []agreeStep {
	must := func(s saring.Step, err error) saring.Step {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	en := map[string]any{"language": "en"}
	id := map[string]any{"language": "id"}
	fail := func(reason, text string, meta map[string]any) agreeDoc {
		return agreeDoc{text: text, meta: meta, reason: reason}
	}
	var steps []agreeStep

	// gopher_quality
	prose := agreeEnglish(60)
	lines := func(n int, line string) string { return strings.TrimSuffix(strings.Repeat(line+"\n", n), "\n") }
	gq := []agreeDoc{
		fail("gopher_short_doc", "Hello world.", en),
		fail("gopher_below_avg_threshold", strings.Repeat("I am a cat and so is he. ", 12), en),
		fail("gopher_above_avg_threshold", strings.Repeat("the and extraordinarily incomprehensible characteristically ", 20), en),
		fail("gopher_too_many_hashes", prose+strings.Repeat(" #tag", 10), en),
		fail("gopher_too_many_ellipsis", prose+strings.Repeat(" and then...", 10), en),
		fail("gopher_too_many_bullets", lines(20, "- the plan of the council and the state"), en),
		fail("gopher_too_many_end_ellipsis", lines(12, "the plan of the council and the state of the town and..."), en),
		fail("gopher_below_alpha_threshold", prose+strings.Repeat(" 1999", 30), en),
		fail("gopher_enough_stop_words", strings.Repeat("council plan bridge river money state wait build ", 8), en),
	}
	for _, lp := range []string{lpModeNone, lpModeAuto} {
		o := DefaultGopherQualityOptions()
		o.Language, o.LanguageParams = "auto", lp
		steps = append(steps, agreeStep{"auto/" + lp, must(NewGopherQuality(o)), gq})
	}
	o := DefaultGopherQualityOptions()
	o.MaxDocWords, o.MinDocWords, o.MinAvgWordLength = 20, 0, 0
	steps = append(steps, agreeStep{"long_doc,short_off", must(NewGopherQuality(o)), []agreeDoc{fail("gopher_long_doc", prose, en)}})

	// gopher_repetition
	gr := []agreeDoc{
		fail("dup_para_frac", strings.Repeat("The same paragraph again.\n\n", 5)+"One more.", en),
		fail("dup_line_frac", "A line of its own here.\n"+strings.Repeat("A line said again.\n", 4)+"The last line.", en),
		fail("top_2_gram", strings.Repeat("big city ", 30)+"end", en),
	}
	for _, lp := range []string{lpModeNone, lpModeAuto} {
		o := DefaultGopherRepetitionOptions()
		o.Language, o.LanguageParams = "auto", lp
		steps = append(steps, agreeStep{"auto/" + lp, must(NewGopherRepetition(o)), gr})
	}
	{ // each rule alone, the others off
		off := func() GopherRepetitionOptions {
			o := DefaultGopherRepetitionOptions()
			o.DupLineFrac, o.DupParaFrac, o.DupLineCharFrac, o.DupParaCharFrac = 0, 0, 0, 0
			o.TopNGrams, o.DupNGrams = nil, nil
			return o
		}
		o := off()
		o.DupParaCharFrac = 0.2
		steps = append(steps, agreeStep{"para_chars", must(NewGopherRepetition(o)),
			[]agreeDoc{fail("dup_para_char_frac", strings.Repeat("The same long paragraph, said again and again.\n\n", 3), en)}})
		o = off()
		o.DupLineCharFrac = 0.2
		steps = append(steps, agreeStep{"line_chars", must(NewGopherRepetition(o)),
			[]agreeDoc{fail("dup_line_char_frac", strings.Repeat("The same long line, said again and again.\n", 3), en)}})
		for n := 2; n <= 4; n++ {
			o := off()
			o.TopNGrams = [][]float64{{float64(n), 0.1}}
			steps = append(steps, agreeStep{fmt.Sprintf("top_%d", n), must(NewGopherRepetition(o)),
				[]agreeDoc{fail(gopherRuleName(true, n), agreeRepeat(8), en)}})
		}
		for n := 5; n <= 10; n++ {
			o := off()
			o.DupNGrams = [][]float64{{float64(n), 0.2}}
			steps = append(steps, agreeStep{fmt.Sprintf("dup_%d", n), must(NewGopherRepetition(o)),
				[]agreeDoc{fail(gopherRuleName(false, n), agreeRepeat(8), en)}})
		}
	}

	// c4_quality, c4_paragraph, c4_badwords
	c4 := []agreeDoc{
		fail("too_few_sentences", c4Good[:strings.LastIndexByte(c4Good, '\n')], en),
		fail("lorem_ipsum", c4Good+"\nLorem ipsum dolor sit amet, consectetur.", en),
		fail("curly_bracket", c4Good+"\nThe set is {1, 2, 3} in this case.", en),
		fail("curly_bracket", "The set is {1, 2, 3} in this case.\nLorem ipsum dolor sit amet.\n"+c4Good, en),
		fail("lorem_ipsum", "Lorem ipsum {dolor} sit amet.\n"+c4Good, en),
	}
	for _, mod := range []struct {
		name string
		f    func(*C4QualityOptions)
	}{
		{"default", func(*C4QualityOptions) {}},
		{"auto", func(o *C4QualityOptions) { o.Language = "auto" }},
		{"sentences", func(o *C4QualityOptions) { o.SplitParagraph = false }},
	} {
		o := DefaultC4QualityOptions()
		mod.f(&o)
		cases := c4
		if !o.SplitParagraph {
			cases = nil // sentences, not lines: the cases are made for lines
		}
		steps = append(steps, agreeStep{mod.name, must(NewC4Quality(o)), cases})
	}
	o4 := DefaultC4QualityOptions()
	o4.FilterLoremIpsum, o4.MinNumSentences = false, -1
	steps = append(steps, agreeStep{"lorem_off,sentences_off", must(NewC4Quality(o4)), []agreeDoc{
		fail("curly_bracket", "Lorem ipsum {dolor} sit amet.\n"+c4Good, en)}})
	long := strings.Repeat("a", 200)
	steps = append(steps, agreeStep{"default", must(NewC4Paragraph(DefaultC4ParagraphOptions())), []agreeDoc{
		fail("too_few_paragraphs", long+"\n"+long, en), fail("too_few_paragraphs", long+"\n"+long+"\n"+long[:199], en)}})
	bo := DefaultC4BadWordsOptions()
	bo.FailOnMissingLanguage = false
	steps = append(steps, agreeStep{"default", must(NewC4BadWords(bo)), []agreeDoc{
		fail(c4BadwordsReason, "Video BOKEP terbaru", id)}})

	// fineweb_quality
	fw := []agreeDoc{
		fail("empty", " \n\t\n", en),
		fail("line_punct_ratio", strings.Join(fwNoPunct, "\n"), en),
		fail("short_line_ratio", "Home.\nNews.\nSport.\nThe meeting ended shortly after noon today.", en),
		fail("char_dup_ratio", strings.Repeat("The meeting ended shortly after noon today.\n", 3), en),
		fail("list_ratio", agreeList(10), en),
	}
	for _, lp := range []string{lpModeNone, lpModeAuto} {
		o := DefaultFineWebQualityOptions()
		o.Language, o.LanguageParams = "auto", lp
		steps = append(steps, agreeStep{"auto/" + lp, must(NewFineWebQuality(o)), fw})
	}
	ofw := DefaultFineWebQualityOptions()
	ofw.LinePunctExcludeZero = true
	steps = append(steps, agreeStep{"exclude_zero", must(NewFineWebQuality(ofw)), []agreeDoc{
		{text: strings.Join(fwNoPunct, "\n"), meta: en, kept: true}, // no line ends in punctuation: exempt
		fail("list_ratio", agreeList(10), en)}})

	// length
	for _, w := range []string{"whitespace", "tokenizer"} {
		o := DefaultLengthOptions()
		o.MinChars, o.MaxChars, o.MinWords, o.MaxWords, o.Words = 10, 2000, 3, 200, w
		steps = append(steps, agreeStep{w, must(NewLength(o)), []agreeDoc{
			fail("too_few_chars", "Hi.", en),
			fail("too_many_chars", strings.Repeat("word ", 500), en),
			fail("too_few_words", "Hi, friend!", en),
			fail("too_many_words", strings.Repeat("a b ", 150), en),
		}})
	}
	ol := DefaultLengthOptions()
	ol.MaxWords = 5
	steps = append(steps, agreeStep{"max_words", must(NewLength(ol)), []agreeDoc{fail("too_many_words", "one two three four five six", en)}})

	// url_filter
	urlCase := func(reason, url string) agreeDoc { return fail(reason, "text", map[string]any{"url": url}) }
	uc := []agreeDoc{
		urlCase("domain", "https://www.example-bad.com/news"),
		urlCase("subdomain", "https://sub.blocked.co.uk/page"),
		urlCase("url", "https://example.org/bad-page"),
		urlCase("hard_blacklisted", "https://news.example.org/casino-night"),
		urlCase("soft_blacklisted", "https://shop.example.org/free-bonus"),
		urlCase("blacklisted_subword", "https://situsjudionline.net/"),
		fail("missing_url", "text", nil),
	}
	steps = append(steps, agreeStep{"missing_drop", urlTestFilter(t, "drop"), uc})
	steps = append(steps, agreeStep{"missing_keep", urlTestFilter(t, "keep"), []agreeDoc{{text: "text", kept: true}}})
	return steps
}
