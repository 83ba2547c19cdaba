package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestStatsReportResources: stats.json says what the run's processes used:
// one entry per task of every stage, its peak memory and workers.
func TestStatsReportResources(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.jsonl"), []byte("{\"text\":\"one\"}\n{\"text\":\"two\"}\n{\"text\":\"one\"}\n"), 0o644)
	reg := testRegistry()
	cfg := Defaults()
	cfg.Input.Paths = []string{dir}
	cfg.Output.Dir = t.TempDir()
	cfg.Workers = 2
	var err error
	if cfg.Steps, err = StepsFromNames([]string{"upper", "exactdup"}, reg); err != nil {
		t.Fatal(err)
	}
	st, err := (&Runner{Config: &cfg, Registry: reg}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := st.Resources
	if r == nil {
		t.Fatal("no resources in stats")
	}
	// Stages: docs, decide, docs; one task each.
	if r.Tasks != 3 || r.Workers != 2 {
		t.Errorf("resources %+v: want 3 tasks of 2 workers", r)
	}
	if r.PeakRSSBytes < 1<<20 || r.CPUSeconds < 0 {
		t.Errorf("implausible resources %+v", r)
	}
}
