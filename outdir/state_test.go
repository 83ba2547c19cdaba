package outdir

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestRunState(t *testing.T) {
	d := Dir{Root: t.TempDir()}
	st, err := d.RunState()
	if err != nil || st.Planned || st.Done || st.HasStats || !st.Unfinished() {
		t.Fatalf("empty directory: %+v, %v", st, err)
	}
	if p := st.Problems(d); len(p) != 1 || !strings.Contains(p[0], "stats.json not found") {
		t.Errorf("problems of an empty directory: %q", p)
	}
	if err := WriteJSON(d.Plan(), map[string]any{"stages": []any{}}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(d.Stats(), Stats{}); err != nil {
		t.Fatal(err)
	}
	st, _ = d.RunState()
	if !st.Planned || st.Done || !st.Unfinished() {
		t.Fatalf("planned, not done: %+v", st)
	}
	if p := st.Problems(d); len(p) != 1 || !strings.Contains(p[0], "not finished") || !strings.Contains(p[0], ".saring/done.json") {
		t.Errorf("problems of a planned run: %q", p)
	}
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := WriteJSON(d.Done(), map[string]any{"finished": when}); err != nil {
		t.Fatal(err)
	}
	st, _ = d.RunState()
	if !st.Done || !st.Finished.Equal(when) || st.Unfinished() || len(st.Problems(d)) != 0 {
		t.Fatalf("done: %+v %q", st, st.Problems(d))
	}
	if err := os.WriteFile(d.Done(), []byte("{garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if st, _ = d.RunState(); !st.Done || st.Finished.IsZero() {
		t.Errorf("damaged done.json: %+v", st)
	}
}
