package langid

import (
	"context"
	"errors"
	"testing"

	"github.com/saring/saring"
)

// The classifier is tested with the small eight-language model of the
// fasttext package's tests: any supervised model will do.
const smallModel = "../fasttext/testdata/softmax.ftz"

func TestClassifier(t *testing.T) {
	o := DefaultClassifierOptions()
	o.Model, o.Label, o.MinScore, o.Key = smallModel, "ru", 0.5, "quality"
	s, err := NewClassifier(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ru := doc("Вчера вечером мы долго гуляли по набережной\nи разговаривали о будущем.")
	res, err := s.Process(ctx, ru)
	if err != nil || res.Outcome != saring.Rewrite {
		t.Fatalf("Russian: %v %v", res, err)
	}
	if p, _ := ru.Meta("quality_ru"); p.(float64) < 0.5 {
		t.Errorf("quality_ru = %v", p)
	}
	if l, _ := ru.Meta("quality"); l != "ru" {
		t.Errorf("quality = %v", l)
	}
	de := doc("Der Zug nach Berlin fährt heute wegen Bauarbeiten später ab.")
	res, err = s.Process(ctx, de)
	if err != nil || res.Outcome != saring.Drop || res.Reason != "fasttext_score" {
		t.Fatalf("German: %+v %v", res, err)
	}
	checks, _ := s.Explain(ctx, de)
	if len(checks) != 1 || checks[0].Pass || checks[0].Rule != "quality_ru" {
		t.Errorf("checks %+v", checks)
	}
}

func TestClassifierRecordOnly(t *testing.T) {
	o := DefaultClassifierOptions()
	o.Model = smallModel
	s, err := NewClassifier(o)
	if err != nil {
		t.Fatal(err)
	}
	d := doc("Le marché du samedi matin attire des visiteurs de toute la région.")
	if res, _ := s.Process(context.Background(), d); res.Outcome != saring.Rewrite {
		t.Fatalf("%+v", res)
	}
	if l, _ := d.Meta("fasttext"); l != "fr" {
		t.Errorf("fasttext = %v", l)
	}
	if _, ok := d.Meta("fasttext_score"); !ok {
		t.Error("no fasttext_score")
	}
}

func TestClassifierOptions(t *testing.T) {
	cases := []struct {
		o     ClassifierOptions
		field string
	}{
		{ClassifierOptions{Key: "k", Reason: "r"}, "model"},
		{ClassifierOptions{Model: smallModel, Reason: "r"}, "key"},
		{ClassifierOptions{Model: smallModel, Key: "k", Reason: "r", MinScore: 0.5}, "label"},
		{ClassifierOptions{Model: smallModel, Key: "k", Reason: "r", Label: "xx"}, "label"},
		{ClassifierOptions{Model: "testdata/none.bin", Key: "k", Reason: "r"}, "model"},
	}
	for _, c := range cases {
		_, err := NewClassifier(c.o)
		var fe *saring.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: %v, want an error on %s", c.o, err, c.field)
		}
	}
}

func TestRegister(t *testing.T) {
	r := saring.NewRegistry()
	Register(r)
	for _, name := range []string{"language", "fasttext_classifier"} {
		spec, ok := r.Lookup(name)
		if !ok {
			t.Fatalf("%s not registered", name)
		}
		if spec.Options == nil || spec.Options() == nil {
			t.Errorf("%s has no options", name)
		}
	}
}
