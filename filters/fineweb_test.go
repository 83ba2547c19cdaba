package filters

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/saring/saring"
)

// Lines longer than 30 characters without end punctuation.
var fwNoPunct = []string{
	"The committee met again on Monday morning",
	"Members discussed the proposed changes at length",
	"Several residents spoke during the public session",
	"The chair asked for written comments by Friday",
	"A final vote is expected later in the month",
	"Local businesses have asked for more time to respond",
	"The proposal would raise parking fees in the centre",
	"Opponents say the plan will hurt small shops nearby",
}

// Three lines of three long words and a full stop: 4 tokens each.
var fwThree = []string{
	"Extraordinarily incomprehensible characteristics.", // 49 characters
	"Internationally recognized accomplishments.",       // 43
	"Unquestionably remarkable achievements.",           // 39
}

// fwJoin joins head (copied, never appended to) and more with sep.
func fwJoin(sep string, head []string, more ...string) string {
	return strings.Join(append(append([]string(nil), head...), more...), sep)
}

func TestFineWebQuality(t *testing.T) {
	punct := "The meeting ended shortly after noon today."
	tests := []struct {
		name   string
		text   string
		lang   string
		mod    func(*FineWebQualityOptions)
		reason string // "" keep
	}{
		{name: "empty", text: "\n  \n\t", reason: "empty"},
		// 1 of 9 lines ends in punctuation: 0.111 < 0.12
		{name: "line punct 1/9", text: fwJoin("\n", fwNoPunct, punct), reason: "line_punct_ratio"},
		// 2 of 10: 0.2
		{name: "line punct 2/10", text: fwJoin("\n", fwNoPunct, punct, "The next meeting will be held in June.")},
		// FineWeb 2's Indonesian threshold is 0.111 <= 1/9
		{name: "line punct 1/9 with id params", text: fwJoin("\n", fwNoPunct, punct), lang: "id",
			mod: func(o *FineWebQualityOptions) { o.LanguageParams = "auto" }},
		{name: "no params for en: defaults", text: fwJoin("\n", fwNoPunct, punct), lang: "en",
			mod: func(o *FineWebQualityOptions) { o.LanguageParams = "auto" }, reason: "line_punct_ratio"},
		{name: "GlotLID label", text: fwJoin("\n", fwNoPunct, punct), lang: "ind_Latn",
			mod: func(o *FineWebQualityOptions) { o.LanguageParams = "auto" }},
		{name: "zero punctuation", text: strings.Join(fwNoPunct, "\n"), reason: "line_punct_ratio"},
		{name: "zero punctuation excluded", text: strings.Join(fwNoPunct, "\n"),
			mod: func(o *FineWebQualityOptions) { o.LinePunctExcludeZero = true }},
		// the line is not stripped before endswith: a trailing space hides the full stop
		{name: "trailing space", text: fwJoin("\n", fwNoPunct, punct+" "), reason: "line_punct_ratio"},
		{name: "CRLF hides the full stop", text: fwJoin("\r\n", fwNoPunct[:4], punct, punct[:30]+" again.") + "\r\n", reason: "line_punct_ratio"},
		{name: "other scripts' terminal marks", text: fwJoin("\n", fwNoPunct[:7], "Hari ini hujan turun sangat lebat sekali。", "प्रधानमंत्री ने आज नई योजना की घोषणा की।")},
		{name: "custom stop chars", text: fwJoin("\n", fwNoPunct[:6], punct, punct[:35]+"!"),
			mod: func(o *FineWebQualityOptions) { o.StopChars = []string{"!"} }},
		{name: "custom stop chars, full stop not counted", text: fwJoin("\n", fwNoPunct, punct),
			mod: func(o *FineWebQualityOptions) { o.StopChars = []string{"!"} }, reason: "line_punct_ratio"},
		// 3 of 4 lines are at most 30 characters: 0.75 > 0.67
		{name: "short lines 3/4", text: punct + "\nHome.\nNews.\nContact us.", reason: "short_line_ratio"},
		// 3 of 5: 0.6
		{name: "short lines 3/5", text: punct + "\nHome.\nNews.\nContact us.\n" + fwThree[0]},
		// exactly 30 characters is short
		// 3 of 4 lines have exactly 30 characters: 0.75 > 0.67
		{name: "30 characters is short", text: fwJoin("\n", nil, punct, strings.Repeat("a", 29)+".", strings.Repeat("b", 29)+".", strings.Repeat("c", 29)+"."), reason: "short_line_ratio"},
		{name: "31 characters is not", text: fwJoin("\n", nil, punct, strings.Repeat("a", 30)+".", strings.Repeat("b", 30)+".", strings.Repeat("c", 30)+"."),
			mod: func(o *FineWebQualityOptions) { o.NewLineRatio = 1 }},
		{name: "short lines disabled as in FineWeb 2", text: punct + "\nHome.\nNews.\nContact us.",
			mod: func(o *FineWebQualityOptions) { o.ShortLineThr = 999; o.NewLineRatio = 1 }},
		// 49 repeated characters of 49+43+39+49 = 180: 0.27 > 0.01
		{name: "duplicate line", text: fwJoin("\n", fwThree, fwThree[0]), reason: "char_dup_ratio"},
		{name: "duplicate line allowed", text: fwJoin("\n", fwThree, fwThree[0]),
			mod: func(o *FineWebQualityOptions) { o.CharDuplicatesRatio = 0.3 }},
		// 4 newlines / 12 words = 0.333 > 0.3
		{name: "list ratio", text: strings.Join(fwThree, "\n\n"), reason: "list_ratio"},
		// 2 / 12 = 0.167 <= 0.3
		{name: "list ratio ok", text: strings.Join(fwThree, "\n")},
		// but > 0.157, FineWeb 2's Indonesian threshold
		{name: "list ratio with id params", text: strings.Join(fwThree, "\n"), lang: "id",
			mod: func(o *FineWebQualityOptions) { o.LanguageParams = "auto" }, reason: "list_ratio"},
		{name: "Indonesian news", text: c4BenchID[:len(c4BenchID)/3], lang: "id"},
		{name: "Indonesian news repeated", text: c4BenchID, lang: "id", reason: "char_dup_ratio"},
		{name: "English news", text: c4BenchEN[:len(c4BenchEN)/3]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultFineWebQualityOptions()
			if tt.mod != nil {
				tt.mod(&o)
			}
			st, err := NewFineWebQuality(o)
			if err != nil {
				t.Fatal(err)
			}
			meta := map[string]any{}
			if tt.lang != "" {
				meta["language"] = tt.lang
			}
			res, _ := c4TestRun(t, st, tt.text, meta)
			want := saring.Keep
			if tt.reason != "" {
				want = saring.Drop
			}
			if res.Outcome != want || res.Reason != tt.reason {
				t.Errorf("got %v %q (%s), want %v %q", res.Outcome, res.Reason, res.Message, want, tt.reason)
			}
			// Explain must agree with Process.
			checks, err := st.Explain(context.Background(), &saring.Document{Text: tt.text, Metadata: meta})
			if err != nil {
				t.Fatal(err)
			}
			first := ""
			for _, c := range checks {
				if !c.Pass && first == "" {
					first = c.Rule
				}
			}
			if first != tt.reason {
				t.Errorf("Explain's first failing rule %q, Process %q", first, tt.reason)
			}
		})
	}
}

func TestFineWebQualityMeasures(t *testing.T) {
	st, _ := NewFineWebQuality(DefaultFineWebQualityOptions())
	_, doc := c4TestRun(t, st, strings.Join(fwThree, "\n"), nil)
	want := map[string]float64{"line_punct_ratio": 1, "short_line_ratio": 0, "char_dup_ratio": 0, "list_ratio": 2.0 / 12}
	if len(doc.Measures) != len(want) {
		t.Fatalf("measures %+v", doc.Measures)
	}
	for _, m := range doc.Measures {
		if m.Step != "fineweb_quality" || math.Abs(m.Value-want[m.Name]) > 1e-12 {
			t.Errorf("measure %+v, want %v", m, want[m.Name])
		}
	}
}

func TestFineWebQualityExplainGolden(t *testing.T) {
	o := DefaultFineWebQualityOptions()
	o.LanguageParams = "auto"
	st, _ := NewFineWebQuality(o)
	// simple words, so that any faithful word splitter counts 14
	doc := &saring.Document{Text: fwJoin("\n", fwThree, fwThree[0], "Home") + "\n", Metadata: map[string]any{"language": "id"}}
	checks, err := st.Explain(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(checks, "", "  ")
	c4TestGolden(t, "fineweb_quality_explain.golden.json", append(b, '\n'))
}

func TestFineWebQualityValidate(t *testing.T) {
	for _, tt := range []struct {
		mod   func(*FineWebQualityOptions)
		field string
	}{
		{func(o *FineWebQualityOptions) { o.ShortLineLength = -1 }, "short_line_length"},
		{func(o *FineWebQualityOptions) { o.StopChars = []string{"."}; o.StopChars = append(o.StopChars, "") }, "stop_chars"},
		{func(o *FineWebQualityOptions) { o.LanguageParams = "yes" }, "language_params"},
		{func(o *FineWebQualityOptions) { o.Language = " " }, "language"},
	} {
		o := DefaultFineWebQualityOptions()
		tt.mod(&o)
		_, err := NewFineWebQuality(o)
		if fe, ok := err.(*saring.FieldError); !ok || fe.Field != tt.field {
			t.Errorf("got %v, want a FieldError on %s", err, tt.field)
		}
	}
}

func TestFineWebTerminalPunct(t *testing.T) {
	if len(finewebTerminalPunct) != 159 {
		t.Fatalf("%d marks, want datatrove's 159", len(finewebTerminalPunct))
	}
	for i := 1; i < len(finewebTerminalPunct); i++ {
		if finewebTerminalPunct[i] <= finewebTerminalPunct[i-1] {
			t.Fatalf("not sorted at %d", i)
		}
	}
}

func BenchmarkFineWebQuality(b *testing.B) {
	st, _ := NewFineWebQuality(DefaultFineWebQualityOptions())
	c4Bench(b, st)
}

func ExampleNewFineWebQuality() {
	o := DefaultFineWebQualityOptions()
	o.LanguageParams = "auto" // FineWeb 2's thresholds for the document's language
	st, _ := NewFineWebQuality(o)
	doc := &saring.Document{
		Text:     "Beranda\nBerita\nOlahraga\nHarga cabai naik lagi di pasar induk.",
		Metadata: map[string]any{"language": "id"},
	}
	res, _ := st.Process(context.Background(), doc)
	fmt.Println(res.Outcome, res.Reason)
	// Output: drop short_line_ratio
}
