package filters

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/saring/saring"

	"github.com/saring/saring/internal/golden"
)

// TestGopherExplainGolden pins the Explain output of both steps for an
// Indonesian page with FineWeb 2 parameters and an English page with
// datatrove's defaults. Run with -update to rewrite the files.
func TestGopherExplainGolden(t *testing.T) {
	en := "The council approved the plan on Tuesday, and officials said that it would be paid for with state grants. " +
		"Residents weren't convinced; some of them have asked for a vote. See www.example.org/plan for details.\n" +
		"- Budget: $12.5 million\n- Start: March\n"
	id := "Presiden meresmikan jalan tol baru pada Senin (24/7) yang diharapkan memangkas waktu tempuh.\n" +
		"Menurut dia, anak-anak muda di daerah juga akan mendapat lapangan kerja dari proyek ini.\n" +
		"Baca juga: Pemerintah siapkan anggaran perbaikan jalan\n" +
		"Presiden meresmikan jalan tol baru pada Senin (24/7) yang diharapkan memangkas waktu tempuh.\n"
	for _, c := range []struct {
		name, text, lang, params string
	}{
		{"en_default", en, "en", "none"},
		{"id_fineweb2", id, "id", "auto"},
	} {
		qo, ro := DefaultGopherQualityOptions(), DefaultGopherRepetitionOptions()
		qo.Language, ro.Language = "auto", "auto"
		qo.LanguageParams, ro.LanguageParams = c.params, c.params
		q, _ := NewGopherQuality(qo)
		r, _ := NewGopherRepetition(ro)
		doc := &saring.Document{Text: c.text}
		doc.SetMeta("language", c.lang)
		out := map[string][]saring.Check{}
		for _, s := range []saring.Step{q, r} {
			checks, err := s.(saring.Explainer).Explain(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			out[s.Name()] = checks
		}
		got, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join("testdata", "gopher", fmt.Sprintf("explain_%s.golden.json", c.name))
		golden.Check(t, path, got)
	}
}
