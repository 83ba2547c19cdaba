package langid

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/saring/saring"
	"github.com/saring/saring/fasttext"
)

func registerLanguage(r *saring.Registry) {
	r.Register(saring.NewSpec("language",
		"identify the language (fastText lid.176); record metadata.language and language_score; drop low scores or other languages",
		DefaultLanguageOptions,
		func(o LanguageOptions, _ saring.Env) (saring.Step, error) { return NewLanguage(o) }))
}

// LanguageOptions configures the language step. The defaults are
// datatrove's LanguageFilter's.
type LanguageOptions struct {
	Model             string     `yaml:"model" path:"file" doc:"fastText language-ID model file (default: $SARING_LID_MODEL, else models/lid.176.ftz; get it with scripts/get-model.sh)"`
	MinScore          float64    `yaml:"min_score" doc:"keep a document only if its language scores above this (datatrove's language_threshold: 0.65)"`
	Languages         []string   `yaml:"languages" doc:"keep only documents in one of these languages (model codes: id, en, ms ...); empty keeps every language"`
	LabelOnly         bool       `yaml:"label_only" doc:"only record the language, never drop"`
	KeepTopScores     float64    `yaml:"keep_top_scores" doc:"also record metadata.top_language_<code>_score for every language scoring above this; -1: off"`
	Paragraphs        bool       `yaml:"paragraphs" doc:"also identify each paragraph (line) and record the share of text per language in metadata.languages"`
	MinParagraphChars int        `yaml:"min_paragraph_chars" doc:"with paragraphs: shorter lines (in characters) are too short to identify and are not counted"`
	Disambiguate      bool       `yaml:"disambiguate" doc:"settle close calls between similar languages (close_pairs) by their distinctive words; the chosen one then scores the pair's summed probability"`
	ClosePairs        [][]string `yaml:"close_pairs" doc:"language pairs the model confuses, settled by distinctive words (word lists exist for id/ms)"`
	MaxGap            float64    `yaml:"max_gap" doc:"disambiguate only when the two best scores differ by at most this"`
	MinEvidence       int        `yaml:"min_evidence" doc:"distinctive words one language needs beyond the other to decide"`
}

// DefaultLanguageOptions returns datatrove's defaults plus Indonesian/Malay
// disambiguation.
func DefaultLanguageOptions() LanguageOptions {
	return LanguageOptions{
		MinScore:          0.65,
		KeepTopScores:     -1,
		MinParagraphChars: 20,
		Disambiguate:      true,
		ClosePairs:        [][]string{{"id", "ms"}},
		MaxGap:            0.8,
		MinEvidence:       1,
	}
}

// Validate checks option values.
func (o *LanguageOptions) Validate() error {
	if o.MinScore < 0 || o.MinScore > 1 {
		return &saring.FieldError{Field: "min_score", Msg: "must be between 0 and 1"}
	}
	if o.KeepTopScores != -1 && (o.KeepTopScores < 0 || o.KeepTopScores > 1) {
		return &saring.FieldError{Field: "keep_top_scores", Msg: "must be between 0 and 1, or -1 (off)"}
	}
	if o.MinParagraphChars < 0 {
		return &saring.FieldError{Field: "min_paragraph_chars", Msg: "must be >= 0"}
	}
	for _, l := range o.Languages {
		if l == "" || strings.HasPrefix(l, "__label__") {
			return &saring.FieldError{Field: "languages", Msg: fmt.Sprintf("%q: give bare codes such as id or en", l)}
		}
	}
	if o.Disambiguate {
		if err := checkPairs(o.ClosePairs); err != nil {
			return &saring.FieldError{Field: "close_pairs", Msg: err.Error()}
		}
		if o.MaxGap < 0 || o.MaxGap > 1 {
			return &saring.FieldError{Field: "max_gap", Msg: "must be between 0 and 1"}
		}
		if o.MinEvidence < 1 {
			return &saring.FieldError{Field: "min_evidence", Msg: "must be >= 1"}
		}
	}
	return nil
}

// Language identifies each document's language.
type Language struct {
	o     LanguageOptions
	model *fasttext.Model
	pairs []*wordEvidence
	preds *predictors
}

// NewLanguage builds the step and loads its model (shared by every step
// that names the same file).
func NewLanguage(o LanguageOptions) (*Language, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	path, err := FindModel(o.Model)
	if err != nil {
		return nil, &saring.FieldError{Field: "model", Msg: err.Error()}
	}
	m, err := LoadModel(path)
	if err != nil {
		return nil, &saring.FieldError{Field: "model", Msg: err.Error()}
	}
	return NewLanguageWithModel(o, m)
}

// NewLanguageWithModel builds the step around a loaded model.
func NewLanguageWithModel(o LanguageOptions, m *fasttext.Model) (*Language, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, l := range m.Labels() {
		known[trimLabel(l)] = true
	}
	for _, l := range o.Languages {
		if !known[l] {
			return nil, &saring.FieldError{Field: "languages", Msg: fmt.Sprintf("the model has no language %q (lid.176 uses ISO 639 codes such as id, ms, en, jv, su)", l)}
		}
	}
	s := &Language{o: o, model: m}
	s.preds = &predictors{m: m}
	if o.Disambiguate {
		for _, p := range o.ClosePairs {
			e, _ := evidenceFor(p[0], p[1])
			s.pairs = append(s.pairs, e)
		}
	}
	return s, nil
}

func (*Language) Name() string { return "language" }

// result is the step's finding on one document.
type result struct {
	lang    string
	score   float64
	scores  map[string]float64 // every label predicted, when needed
	dis     *Disambiguation
	allowed bool
	keep    bool
	reason  string
}

// trimLabel strips fastText's "__label__" prefix.
func trimLabel(l string) string { return strings.TrimPrefix(l, "__label__") }

func (s *Language) assess(doc *saring.Document) result {
	p := s.preds.get()
	defer s.preds.put(p)
	// The two best labels are enough, but for recording every language's
	// score; listed languages are scored one by one after.
	k := 2
	if s.o.KeepTopScores >= 0 {
		k = -1
	}
	// Newlines count as spaces, as datatrove's text.replace("\n", " ").
	preds := p.PredictText(doc.Text, k, 0)
	var r result
	if len(preds) == 0 {
		r.reason = "language_score"
		r.keep = s.o.LabelOnly
		return r
	}
	if k < 0 {
		r.scores = make(map[string]float64, len(preds))
		for _, pr := range preds {
			r.scores[trimLabel(pr.Label)] = float64(pr.Prob)
		}
	}
	r.lang, r.score, r.dis = s.settle(doc.Text, preds)
	switch {
	case len(s.o.Languages) == 0:
		r.allowed = true
		r.keep = r.score > s.o.MinScore
		r.reason = "language_score"
	default:
		r.allowed = slices.Contains(s.o.Languages, r.lang)
		// As datatrove: keep when any listed language scores above the
		// threshold (after disambiguation, the chosen one has the pair's).
		for _, l := range s.o.Languages {
			sc := r.score
			if l != r.lang {
				prob, _ := p.LabelProb("__label__" + l)
				sc = float64(prob)
			}
			if sc > s.o.MinScore {
				r.keep = true
			}
		}
		r.reason = "language_score"
		if !r.allowed {
			r.reason = "language_not_allowed"
		}
	}
	if s.o.LabelOnly {
		r.keep = true
	}
	return r
}

// settle returns the best label of preds and its score, after settling a
// close call between a pair of similar languages by the words of text.
func (s *Language) settle(text string, preds []fasttext.Prediction) (string, float64, *Disambiguation) {
	lang, score := trimLabel(preds[0].Label), float64(preds[0].Prob)
	if len(preds) < 2 || len(s.pairs) == 0 {
		return lang, score, nil
	}
	second, secondScore := trimLabel(preds[1].Label), float64(preds[1].Prob)
	for _, e := range s.pairs {
		if (e.a == lang && e.b == second || e.b == lang && e.a == second) && score-secondScore <= s.o.MaxGap {
			d := e.decide(text, lang, score, second, secondScore, s.o.MinEvidence)
			if d.DecidedByWords {
				// The model's doubt was between the two; the words
				// settled it, so the pair's probability is the score.
				return d.Chosen, score + secondScore, &d
			}
			return lang, score, &d
		}
	}
	return lang, score, nil
}

// Process records the language and drops the document when it fails.
func (s *Language) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	r := s.assess(doc)
	doc.Record("language", "language_score", r.score)
	if r.lang != "" {
		doc.SetMeta("language", r.lang)
		doc.SetMeta("language_score", r.score)
	}
	if r.dis != nil && r.dis.DecidedByWords {
		// Recorded when the words decided, whether they overturned the
		// model ("from" != "to") or confirmed it.
		doc.SetMeta("language_disambiguation", r.dis.metadata())
	}
	if s.o.KeepTopScores >= 0 {
		for l, sc := range r.scores {
			if sc > s.o.KeepTopScores {
				doc.SetMeta("top_language_"+l+"_score", sc)
			}
		}
	}
	if s.o.Paragraphs {
		doc.SetMeta("languages", s.paragraphLanguages(doc.Text))
	}
	if !r.keep {
		if r.lang == "" {
			return saring.Dropped("language_score", "no language predicted (empty text)"), nil
		}
		if r.reason == "language_not_allowed" {
			return saring.Dropped(r.reason, "language %s (%.3f) is not in %v", r.lang, r.score, s.o.Languages), nil
		}
		return saring.Dropped(r.reason, "language %s scores %.3f, not above %.3f", r.lang, r.score, s.o.MinScore), nil
	}
	return saring.Rewritten(), nil
}

// Explain reports the language score and, with an allow-list, whether the
// language is allowed.
func (s *Language) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	r := s.assess(doc)
	note := r.lang
	if r.dis != nil && r.dis.Changed() {
		note = fmt.Sprintf("%s (model: %s %.3f; words: %v vs %v)", r.lang, r.dis.First, r.dis.FirstScore, r.dis.SecondWords, r.dis.FirstWords)
	}
	checks := []saring.Check{{
		Rule: "language_score", Value: r.score, Op: ">", Threshold: s.o.MinScore,
		Pass: r.score > s.o.MinScore || s.o.LabelOnly, Note: note,
	}}
	if len(s.o.Languages) > 0 {
		v := 0.0
		if r.allowed {
			v = 1
		}
		checks = append(checks, saring.Check{
			Rule: "language_allowed", Value: v, Op: "in", Threshold: 1,
			Pass: r.allowed || s.o.LabelOnly, Note: r.lang + " in " + strings.Join(s.o.Languages, ","),
		})
	}
	return checks, nil
}

// paragraphLanguages identifies each line long enough to tell (settling
// id/ms close calls line by line too) and returns
// each language's share of those lines' characters, rounded to 4 places.
func (s *Language) paragraphLanguages(text string) map[string]any {
	p := s.preds.get()
	defer s.preds.put(p)
	chars := map[string]int{}
	total := 0
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		n := utf8.RuneCountInString(line)
		if n == 0 || n < s.o.MinParagraphChars {
			continue
		}
		preds := p.Predict(line, 2, 0)
		if len(preds) == 0 {
			continue
		}
		lang, _, _ := s.settle(line, preds)
		chars[lang] += n
		total += n
	}
	out := make(map[string]any, len(chars))
	for l, n := range chars {
		out[l] = math.Round(float64(n)/float64(total)*1e4) / 1e4
	}
	return out
}
