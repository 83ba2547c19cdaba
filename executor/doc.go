// Package executor runs a planned pipeline on a cluster: it turns the stages
// of a run's plan into Slurm array jobs (one sbatch script per stage,
// chained with --dependency=afterok) or into Kubernetes Indexed Jobs (one
// per stage, ordered by an init container that waits for the previous
// stage's task markers).
//
// Every task runs the same command a user would run by hand,
//
//	cd DIR && saring run OUT/.saring/pipeline.yaml --tasks N --stage S --task I
//
// with the index I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX. A task
// is idempotent: it exits 0 when it finishes or was already finished, so an
// executor may run a task again without harm, and a second submission runs
// only the tasks whose markers are missing.
//
// The package knows stages only as Stage values, filled by the caller from
// pipeline.Plan and pipeline.Status.
package executor

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Stage is one stage of a plan as an executor needs it.
type Stage struct {
	Index int
	Name  string // e.g. "normalize..pii", "minhash: decide"
	Kind  string // "docs" or "decide"
	Tasks int    // tasks in the stage
	// Todo are the tasks still to run, ascending. A stage whose Todo is
	// empty is complete and is not submitted.
	Todo []int
}

// AllTasks returns 0..n-1.
func AllTasks(n int) []int {
	t := make([]int, n)
	for i := range t {
		t[i] = i
	}
	return t
}

// Ranges formats task indices as a Slurm array list: 0-3, or 1,4-6,9.
func Ranges(tasks []int) string {
	ts := append([]int(nil), tasks...)
	sort.Ints(ts)
	var b strings.Builder
	for i := 0; i < len(ts); {
		j := i
		for j+1 < len(ts) && ts[j+1] == ts[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(ts[i]))
		if j > i {
			fmt.Fprintf(&b, "-%d", ts[j])
		}
		i = j + 1
	}
	return b.String()
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9]+`)

// Slug is a stage name cut to letters, digits and dashes, for job names.
func Slug(s string) string {
	s = strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	return s
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// stageLabel is a short name for a stage in job names: "docs" for a docs
// stage (whose full name lists every step), the step's name for a decide
// stage ("minhash-decide").
func stageLabel(s Stage) string {
	if s.Kind == "decide" {
		return Slug(s.Name)
	}
	return "docs"
}
