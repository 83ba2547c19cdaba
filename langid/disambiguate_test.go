package langid

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

func TestEvidenceCount(t *testing.T) {
	e, _ := evidenceFor("ms", "id")
	cases := []struct {
		text           string
		idHits, msHits int
	}{
		{"Saya tidak datang karena uang saya habis.", 2, 0},
		{"Saya tidak datang kerana wang saya habis.", 0, 2},
		{"KARENA itu, Karena.", 2, 0},
		{"Dia pulang pada Minggu malam.", 1, 0},  // Sunday, Indonesian
		{"Minggu depan dia pulang.", 0, 0},       // sentence start: could be "week"
		{"Satu minggu lagi dia pulang.", 0, 0},   // week, both
		{"Mana-mana pihak boleh memohon.", 0, 1}, // hyphenated word
		{"kereta pejabat polisi", 0, 0},          // shared words with other meanings are not evidence
		{"", 0, 0},
	}
	for _, c := range cases {
		id, ms, _, _ := e.count(c.text)
		if id != c.idHits || ms != c.msHits {
			t.Errorf("%q: id %d ms %d, want %d %d", c.text, id, ms, c.idHits, c.msHits)
		}
	}
}

// TestWordListsDisjoint guards against a word counting for both languages.
func TestWordListsDisjoint(t *testing.T) {
	for _, w := range indonesianWords {
		if slices.Contains(malayWords, w) {
			t.Errorf("%q is in both lists", w)
		}
		if w != strings.ToLower(w) {
			t.Errorf("%q is not lower case", w)
		}
	}
	for _, w := range malayWords {
		if w != strings.ToLower(w) {
			t.Errorf("%q is not lower case", w)
		}
	}
}

// TestDisambiguateExamplePage: lid.176 calls the first sentence of an
// Indonesian news page Malay by a hair; "pada Minggu" (on Sunday) is
// Indonesian.
func TestDisambiguateExamplePage(t *testing.T) {
	lines := testenv.ReadLines(t, testenv.SharedFile(t, "examples", "antara-news-scraped.txt"))
	first := lines[0]
	off := newLanguage(t, func(o *LanguageOptions) { o.Disambiguate = false; o.LabelOnly = true })
	on := newLanguage(t, nil)
	d1, d2 := doc(first), doc(first)
	off.Process(context.Background(), d1)
	on.Process(context.Background(), d2)
	if d1.Language() != "ms" {
		t.Skipf("the model now says %s for the first sentence; the test needs its ms/id confusion", d1.Language())
	}
	if d2.Language() != "id" {
		t.Fatalf("disambiguated language %s, want id", d2.Language())
	}
	v, _ := d2.Meta("language_disambiguation")
	m, _ := v.(map[string]any)
	if m["from"] != "ms" || m["to"] != "id" {
		t.Errorf("language_disambiguation = %v", v)
	}
	score, _ := d2.Meta("language_score")
	if s, _ := score.(float64); s < 0.8 {
		t.Errorf("language_score %v, want the pair's probability (~0.84)", score)
	}
	// The whole page is Indonesian either way.
	whole := doc(strings.Join(lines, "\n"))
	on.Process(context.Background(), whole)
	if whole.Language() != "id" {
		t.Errorf("whole page: %s", whole.Language())
	}
}

type accuracy struct{ before, after, n int }

// measure labels texts with and without disambiguation and counts how
// many come out as want.
func measure(t *testing.T, texts []string, want string) accuracy {
	off := newLanguage(t, func(o *LanguageOptions) { o.Disambiguate = false; o.LabelOnly = true })
	on := newLanguage(t, func(o *LanguageOptions) { o.LabelOnly = true })
	var a accuracy
	for _, text := range texts {
		d1, d2 := doc(text), doc(text)
		off.Process(context.Background(), d1)
		on.Process(context.Background(), d2)
		a.n++
		if d1.Language() == want {
			a.before++
		}
		if d2.Language() == want {
			a.after++
		}
	}
	return a
}

// TestIdMsAccuracy measures Indonesian and Malay accuracy before and after
// disambiguation: on the lingua sentences (whose Malay set partly reads
// as Indonesian) and on whole documents written for this test. Indonesian
// must never get worse, and Malay documents must not either.
func TestIdMsAccuracy(t *testing.T) {
	lid(t)
	dir := filepath.Dir(testenv.SharedFile(t, "data", "lingua-sentences", "id.txt"))
	sets := []struct {
		name, lang string
		texts      []string
	}{
		{"lingua id sentences", "id", testenv.ReadLines(t, filepath.Join(dir, "id.txt"))},
		{"lingua ms sentences", "ms", testenv.ReadLines(t, filepath.Join(dir, "ms.txt"))},
		{"id documents", "id", readDocs(t, "testdata/id_docs.txt")},
		{"ms documents", "ms", readDocs(t, "testdata/ms_docs.txt")},
	}
	for _, s := range sets {
		a := measure(t, s.texts, s.lang)
		t.Logf("%-20s %s accuracy %.3f -> %.3f (%d -> %d of %d)", s.name, s.lang,
			float64(a.before)/float64(a.n), float64(a.after)/float64(a.n), a.before, a.after, a.n)
		if s.lang == "id" && a.after < a.before {
			t.Errorf("%s: Indonesian accuracy fell from %d to %d", s.name, a.before, a.after)
		}
		if s.name == "ms documents" && a.after < a.before {
			t.Errorf("%s: Malay accuracy fell from %d to %d", s.name, a.before, a.after)
		}
		if s.name == "id documents" && a.after != a.n {
			t.Errorf("%s: %d of %d labelled id", s.name, a.after, a.n)
		}
	}
}

// TestParagraphsMixedIdMs: a page with a Malay paragraph and an
// Indonesian one gets both in metadata.languages.
func TestParagraphsMixedIdMs(t *testing.T) {
	ms := readDocs(t, "testdata/ms_docs.txt")[0]
	id := readDocs(t, "testdata/id_docs.txt")[0]
	s := newLanguage(t, func(o *LanguageOptions) { o.Paragraphs = true; o.LabelOnly = true })
	d := doc(ms + "\n" + id)
	if _, err := s.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	v, _ := d.Meta("languages")
	langs, _ := v.(map[string]any)
	if langs["ms"] == nil || langs["id"] == nil {
		t.Errorf("languages = %v, want both ms and id", v)
	}
}
