package langid

import (
	"context"
	"fmt"

	"github.com/saring/saring"
	"github.com/saring/saring/fasttext"
)

func registerClassifier(r *saring.Registry) {
	r.Register(saring.NewSpec("fasttext_classifier",
		"score documents with any fastText model (quality, topic, toxicity); record label and score; optionally drop below a threshold (DCLM style)",
		DefaultClassifierOptions,
		func(o ClassifierOptions, _ saring.Env) (saring.Step, error) { return NewClassifier(o) }))
}

// ClassifierOptions configures fasttext_classifier.
type ClassifierOptions struct {
	Model    string  `yaml:"model" path:"file" doc:"fastText supervised model file (.bin or .ftz); required"`
	Key      string  `yaml:"key" doc:"metadata key: <key> gets the best label, <key>_score its probability, <key>_<label> the probability of label"`
	Label    string  `yaml:"label" doc:"the label whose probability is recorded and compared with min_score (without __label__), e.g. hq"`
	MinScore float64 `yaml:"min_score" doc:"drop documents whose probability of label is below this; 0: never drop"`
	Reason   string  `yaml:"reason" doc:"drop reason counted in stats"`
}

// DefaultClassifierOptions returns options that record without dropping.
func DefaultClassifierOptions() ClassifierOptions {
	return ClassifierOptions{Key: "fasttext", Reason: "fasttext_score"}
}

// Validate checks option values.
func (o *ClassifierOptions) Validate() error {
	if o.Model == "" {
		return &saring.FieldError{Field: "model", Msg: "required: the fastText model file to score with"}
	}
	if o.Key == "" {
		return &saring.FieldError{Field: "key", Msg: "must not be empty"}
	}
	if o.MinScore < 0 || o.MinScore > 1 {
		return &saring.FieldError{Field: "min_score", Msg: "must be between 0 and 1"}
	}
	if o.MinScore > 0 && o.Label == "" {
		return &saring.FieldError{Field: "label", Msg: "min_score needs the label whose probability it bounds"}
	}
	if o.Reason == "" {
		return &saring.FieldError{Field: "reason", Msg: "must not be empty"}
	}
	return nil
}

// Classifier scores documents with a fastText model.
type Classifier struct {
	o     ClassifierOptions
	model *fasttext.Model
	preds *predictors
}

// NewClassifier builds the step and loads its model (shared by every step
// that names the same file).
func NewClassifier(o ClassifierOptions) (*Classifier, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	m, err := LoadModel(o.Model)
	if err != nil {
		return nil, &saring.FieldError{Field: "model", Msg: err.Error()}
	}
	return NewClassifierWithModel(o, m)
}

// NewClassifierWithModel builds the step around a loaded model.
func NewClassifierWithModel(o ClassifierOptions, m *fasttext.Model) (*Classifier, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Label != "" {
		found := false
		for _, l := range m.Labels() {
			if trimLabel(l) == o.Label {
				found = true
			}
		}
		if !found {
			return nil, &saring.FieldError{Field: "label", Msg: fmt.Sprintf("the model has no label %q", o.Label)}
		}
	}
	s := &Classifier{o: o, model: m}
	s.preds = &predictors{m: m}
	return s, nil
}

func (*Classifier) Name() string { return "fasttext_classifier" }

// score returns the best label, its probability and the probability of
// the configured label.
func (s *Classifier) score(doc *saring.Document) (best string, bestScore, labelScore float64) {
	p := s.preds.get()
	defer s.preds.put(p)
	preds := p.PredictText(doc.Text, 1, 0)
	if len(preds) == 0 {
		return "", 0, 0
	}
	best, bestScore = trimLabel(preds[0].Label), float64(preds[0].Prob)
	if s.o.Label != "" {
		prob, _ := p.LabelProb("__label__" + s.o.Label)
		labelScore = float64(prob)
	}
	return best, bestScore, labelScore
}

// Process records the scores and drops below min_score.
func (s *Classifier) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	best, bestScore, labelScore := s.score(doc)
	if best != "" {
		doc.SetMeta(s.o.Key, best)
		doc.SetMeta(s.o.Key+"_score", bestScore)
	}
	if s.o.Label != "" {
		doc.SetMeta(s.o.Key+"_"+s.o.Label, labelScore)
		doc.Record("fasttext_classifier", s.o.Key+"_"+s.o.Label, labelScore)
		if s.o.MinScore > 0 && labelScore < s.o.MinScore {
			return saring.Dropped(s.o.Reason, "%s probability %.4f is below %.4f", s.o.Label, labelScore, s.o.MinScore), nil
		}
	} else {
		doc.Record("fasttext_classifier", s.o.Key+"_score", bestScore)
	}
	return saring.Rewritten(), nil
}

// Explain reports the label's probability against min_score.
func (s *Classifier) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	best, bestScore, labelScore := s.score(doc)
	if s.o.Label == "" {
		return []saring.Check{{Rule: s.o.Key + "_score", Value: bestScore, Op: ">=", Threshold: 0, Pass: true, Note: best}}, nil
	}
	return []saring.Check{{
		Rule: s.o.Key + "_" + s.o.Label, Value: labelScore, Op: ">=", Threshold: s.o.MinScore,
		Pass: s.o.MinScore == 0 || labelScore >= s.o.MinScore, Note: "best label: " + best,
	}}, nil
}
