package pipeline_test

import (
	"strings"
	"testing"

	"github.com/saring/saring/internal/steps"
	"github.com/saring/saring/pipeline"
)

// TestMetadataFlow: a step that reads metadata (a filter with language:
// auto) needs the language step, or the input, to provide it; otherwise the
// pipeline is refused at the step's line, with what to do.
func TestMetadataFlow(t *testing.T) {
	reg := steps.All()
	cases := []struct {
		name, yaml, want string // want "" loads
	}{
		{"auto without language step", "steps:\n  - gopher_quality:\n      language: auto\n",
			"p.yaml:2:5: step gopher_quality reads metadata.language, which no step before it writes"},
		{"language params auto", "steps:\n  - normalize\n  - fineweb_quality:\n      language_params: auto\n",
			"p.yaml:3:5: step fineweb_quality reads metadata.language"},
		{"language step after the filter", "steps:\n  - c4_quality:\n      language: auto\n  - language\n",
			"step c4_quality reads metadata.language"},
		{"per-language minhash", "steps:\n  - minhash:\n      per_language: true\n",
			"step minhash reads metadata.language"},
		{"language step first", "steps:\n  - language\n  - gopher_quality:\n      language: auto\n  - gopher_repetition:\n      language_params: auto\n", ""},
		{"input carries language", "input:\n  metadata: [language]\nsteps:\n  - gopher_quality:\n      language: auto\n", ""},
		{"a named language", "steps:\n  - gopher_quality:\n      language: id\n", ""},
		{"whitespace words need no language", "steps:\n  - length:\n      min_words: 5\n", ""},
		{"spacy words by document language", "steps:\n  - length:\n      min_words: 5\n      words: tokenizer\n", "step length reads metadata.language"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := pipeline.Parse("p.yaml", []byte(c.yaml), reg)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && err == nil:
				t.Fatalf("loaded; want an error %q", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Fatalf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}

// The default pipeline and the bundled benchmark pipelines pass the check.
func TestShippedPipelinesProvideTheirMetadata(t *testing.T) {
	reg := steps.All()
	for _, p := range []string{"default.yaml", "../bench/filters.yaml"} {
		if _, err := pipeline.LoadFile(p, reg); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
