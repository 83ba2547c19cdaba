package langid

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/testenv"
)

func TestLanguageRecordsAndDrops(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		edit    func(*LanguageOptions)
		text    string
		lang    string
		outcome saring.Outcome
		reason  string
	}{
		{"english", nil, "The committee will publish its final report on the new railway line next spring.", "en", saring.Rewrite, ""},
		{"indonesian", nil, "Pemerintah akan membangun jalan tol baru yang menghubungkan dua kota besar di Jawa Timur.", "id", saring.Rewrite, ""},
		{"newlines become spaces", nil, "Das ist ein kurzer Satz.\nUnd hier kommt noch ein zweiter Satz auf Deutsch.", "de", saring.Rewrite, ""},
		{"low score", nil, "ok 123 xyz", "", saring.Drop, "language_score"},
		{"not allowed", func(o *LanguageOptions) { o.Languages = []string{"en"} }, "Pemerintah akan membangun jalan tol baru yang menghubungkan dua kota besar.", "id", saring.Drop, "language_not_allowed"},
		{"allowed", func(o *LanguageOptions) { o.Languages = []string{"id", "en"} }, "Pemerintah akan membangun jalan tol baru yang menghubungkan dua kota besar.", "id", saring.Rewrite, ""},
		{"label only", func(o *LanguageOptions) { o.LabelOnly = true }, "ok 123 xyz", "", saring.Rewrite, ""},
		{"empty", nil, "", "", saring.Drop, "language_score"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newLanguage(t, c.edit)
			d := doc(c.text)
			res, err := s.Process(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != c.outcome || res.Reason != c.reason {
				t.Fatalf("got %v %q (%s), want %v %q", res.Outcome, res.Reason, res.Message, c.outcome, c.reason)
			}
			if c.lang != "" && d.Language() != c.lang {
				t.Errorf("language %q, want %q", d.Language(), c.lang)
			}
			if c.text != "" {
				if _, ok := d.Meta("language_score"); !ok {
					t.Error("no language_score")
				}
				if len(d.Measures) != 1 || d.Measures[0].Name != "language_score" {
					t.Errorf("measures %v", d.Measures)
				}
			}
		})
	}
}

// TestLanguageMatchesPredict checks the recorded score against fastText's
// probability for the text with newlines replaced, as datatrove computes it.
func TestLanguageMatchesPredict(t *testing.T) {
	s := newLanguage(t, func(o *LanguageOptions) { o.Disambiguate = false })
	text := "Il treno per Roma partirà con un'ora di ritardo.\nCi scusiamo per il disagio."
	d := doc(text)
	if _, err := s.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	want := lid(t).Predict(strings.ReplaceAll(text, "\n", " "), 1, 0)[0]
	if got, _ := d.Meta("language_score"); got != float64(want.Prob) || d.Language() != "it" {
		t.Errorf("language %s %v, want it %v", d.Language(), got, want.Prob)
	}
}

func TestLanguageTopScores(t *testing.T) {
	s := newLanguage(t, func(o *LanguageOptions) { o.KeepTopScores = 0.01 })
	d := doc("Saya tidak tahu apakah dia akan datang besok.")
	if _, err := s.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Meta("top_language_id_score"); !ok {
		t.Errorf("no top_language_id_score in %v", d.Metadata)
	}
}

func TestLanguageParagraphs(t *testing.T) {
	s := newLanguage(t, func(o *LanguageOptions) { o.Paragraphs = true })
	text := strings.Join([]string{
		"Pemerintah daerah akan memperbaiki jalan yang rusak sebelum musim hujan tiba.",
		"Warga diminta melapor kepada petugas jika menemukan kerusakan baru di lingkungannya.",
		"Harga beras di pasar tradisional masih stabil dalam sepekan terakhir.",
		"Subscribe to our newsletter for the latest news and updates.",
		"ok",
	}, "\n")
	d := doc(text)
	if _, err := s.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	v, _ := d.Meta("languages")
	langs, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("languages = %#v", v)
	}
	id, _ := langs["id"].(float64)
	en, _ := langs["en"].(float64)
	if id < 0.6 || en < 0.1 || math.Abs(id+en-1) > 1e-3 {
		t.Errorf("languages = %v, want mostly id, some en", langs)
	}
}

func TestLanguageExplain(t *testing.T) {
	s := newLanguage(t, func(o *LanguageOptions) { o.Languages = []string{"en"} })
	checks, err := s.Explain(context.Background(), doc("Pemerintah akan membangun jalan tol baru yang menghubungkan dua kota besar."))
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 2 || checks[0].Rule != "language_score" || !checks[0].Pass || checks[1].Rule != "language_allowed" || checks[1].Pass {
		t.Errorf("checks = %+v", checks)
	}
}

func TestLanguageOptionsValidate(t *testing.T) {
	cases := []struct {
		edit  func(*LanguageOptions)
		field string
	}{
		{func(o *LanguageOptions) { o.MinScore = 1.5 }, "min_score"},
		{func(o *LanguageOptions) { o.KeepTopScores = 2 }, "keep_top_scores"},
		{func(o *LanguageOptions) { o.Languages = []string{"__label__en"} }, "languages"},
		{func(o *LanguageOptions) { o.ClosePairs = [][]string{{"hr", "sr"}} }, "close_pairs"},
		{func(o *LanguageOptions) { o.ClosePairs = [][]string{{"id"}} }, "close_pairs"},
		{func(o *LanguageOptions) { o.MinEvidence = 0 }, "min_evidence"},
		{func(o *LanguageOptions) { o.MinParagraphChars = -1 }, "min_paragraph_chars"},
	}
	for _, c := range cases {
		o := DefaultLanguageOptions()
		c.edit(&o)
		var fe *saring.FieldError
		if err := o.Validate(); !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("Validate() = %v, want an error on %s", err, c.field)
		}
	}
	o := DefaultLanguageOptions()
	if err := o.Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestFindModel(t *testing.T) {
	if testenv.ModelEnv != ModelEnv {
		t.Fatalf("tests look for the model in $%s, the step in $%s", testenv.ModelEnv, ModelEnv)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv(ModelEnv, "")
	_, err := FindModel("")
	if err == nil || !strings.Contains(err.Error(), "scripts/get-model.sh") {
		t.Fatalf("missing model: %v, want advice to run scripts/get-model.sh", err)
	}
	if _, err := FindModel(dir + "/nope.ftz"); err == nil || !strings.Contains(err.Error(), "scripts/get-model.sh") {
		t.Errorf("missing explicit model: %v", err)
	}
	os.Mkdir("models", 0o755)
	os.WriteFile("models/"+DefaultModelFile, []byte("x"), 0o644)
	if p, err := FindModel(""); err != nil || p != "models/"+DefaultModelFile {
		t.Errorf("FindModel() = %q, %v", p, err)
	}
	t.Setenv(ModelEnv, dir+"/other.ftz")
	if _, err := FindModel(""); err == nil || !strings.Contains(err.Error(), ModelEnv) {
		t.Errorf("bad $%s: %v", ModelEnv, err)
	}
}

// TestLanguageSharedModel checks that steps naming one file share one model.
func TestLanguageSharedModel(t *testing.T) {
	lid(t)
	p := testenv.LIDModel(t)
	a, err := NewLanguage(LanguageOptions{Model: p, MinScore: 0.5, KeepTopScores: -1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewLanguage(LanguageOptions{Model: p, MinScore: 0.9, KeepTopScores: -1})
	if err != nil {
		t.Fatal(err)
	}
	if a.model != b.model {
		t.Error("two steps loaded the same model twice")
	}
}

func TestLanguageUnknownCode(t *testing.T) {
	o := DefaultLanguageOptions()
	o.Languages = []string{"ind"}
	var fe *saring.FieldError
	if _, err := NewLanguageWithModel(o, lid(t)); !errors.As(err, &fe) || fe.Field != "languages" {
		t.Errorf("unknown code: %v", err)
	}
}

// TestLanguageAllowListScores checks the allow-list decision against
// every label's probability, computed the datatrove way (k=-1).
func TestLanguageAllowListScores(t *testing.T) {
	m := lid(t)
	s := newLanguage(t, func(o *LanguageOptions) { o.Languages = []string{"id", "jv"}; o.Disambiguate = false })
	for _, text := range []string{
		"Pemerintah akan membangun jalan tol baru.",
		"Aku arep lunga menyang pasar karo ibu.",
		"Kerajaan negeri akan membaiki jalan yang rosak.",
		"The weather is nice today.",
	} {
		want := false
		for _, p := range m.PredictText(text, -1, 0) {
			l := trimLabel(p.Label)
			if (l == "id" || l == "jv") && float64(p.Prob) > 0.65 {
				want = true
			}
		}
		res, _ := s.Process(context.Background(), doc(text))
		if got := res.Outcome != saring.Drop; got != want {
			t.Errorf("%q: kept %v, want %v (%s)", text, got, want, res.Message)
		}
	}
}

// TestLanguageConcurrent runs one step from several goroutines (run with
// -race) and checks they agree with a sequential run.
func TestLanguageConcurrent(t *testing.T) {
	s := newLanguage(t, func(o *LanguageOptions) { o.Languages = []string{"id", "ms"}; o.LabelOnly = true })
	docs := append(readDocs(t, "testdata/id_docs.txt"), readDocs(t, "testdata/ms_docs.txt")...)
	want := make([]string, len(docs))
	for i, text := range docs {
		d := doc(text)
		s.Process(context.Background(), d)
		want[i] = d.Language()
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- true }()
			for i, text := range docs {
				d := doc(text)
				s.Process(context.Background(), d)
				if d.Language() != want[i] {
					t.Errorf("doc %d: %s, want %s", i, d.Language(), want[i])
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}
