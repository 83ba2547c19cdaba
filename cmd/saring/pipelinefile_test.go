package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/saring/saring/internal/steps"
	"github.com/saring/saring/pipeline"
)

// The pipeline file a plan writes for its tasks loads back to the same
// options, nil lists included (a step reads nil as "its defaults").
func TestPipelineFileRoundTrip(t *testing.T) {
	reg := steps.All()
	c := pipeline.Defaults()
	c.Steps, _ = pipeline.DefaultSteps(reg)
	c.Input.Paths = []string{"x"}
	c.Output.Dir = "o"
	b, _ := pipeline.MarshalPipelineFile(&c)
	p := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(p, b, 0o644)
	c2, err := pipeline.LoadFile(p, reg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.Steps {
		a, b := fmt.Sprintf("%#v", c.Steps[i].Options), fmt.Sprintf("%#v", c2.Steps[i].Options)
		if a != b {
			t.Errorf("%s:\n%s\n%s", c.Steps[i].Name, a, b)
		}
	}
}
