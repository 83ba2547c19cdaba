package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// RunState says how far the run that wrote an output directory got, as
// readers (report, serve) need to tell their users.
type RunState struct {
	Planned  bool      // .saring/plan.json exists
	Done     bool      // .saring/done.json exists
	Finished time.Time // done.json's time, when Done
	HasStats bool      // stats.json exists
}

// RunState reads the run state of d. A directory with neither a plan nor
// done.json (written by an older saring) is neither planned nor done, and
// is unfinished only when it has no stats.json.
func (d Dir) RunState() (RunState, error) {
	var s RunState
	var err error
	if s.Planned, err = exists(d.Plan()); err != nil {
		return s, err
	}
	if s.HasStats, err = exists(d.Stats()); err != nil {
		return s, err
	}
	var done struct {
		Finished time.Time `json:"finished"`
	}
	switch err := ReadJSON(d.Done(), &done); {
	case err == nil:
		s.Done, s.Finished = true, done.Finished
	case errors.Is(err, fs.ErrNotExist):
	default:
		s.Done = true // present but unreadable: written, then damaged
		if st, serr := os.Stat(d.Done()); serr == nil {
			s.Finished = st.ModTime().UTC()
		}
	}
	return s, nil
}

// Unfinished reports whether the outputs may not be a whole run: planned
// without done.json, or no stats.json.
func (s RunState) Unfinished() bool { return (s.Planned && !s.Done) || !s.HasStats }

// Problems says, one sentence each, why the outputs may not be the whole
// run; none for a finished run.
func (s RunState) Problems(d Dir) []string {
	var out []string
	if s.Planned && !s.Done {
		out = append(out, fmt.Sprintf("the run is not finished: %s exists but %s does not, so the outputs hold only the units done so far (see `saring status %s`)",
			d.Rel(d.Plan()), d.Rel(d.Done()), d.Root))
	}
	if !s.HasStats {
		out = append(out, "stats.json not found: counts come from scanning the output files only")
	}
	return out
}

func exists(p string) (bool, error) {
	_, err := os.Stat(p)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return false, err
}
