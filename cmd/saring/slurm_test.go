package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/saring/saring/internal/slurmtest"
	"github.com/saring/saring/internal/testenv"
)

// These tests run saring on a real single-node Slurm (internal/slurmtest):
// the default pipeline, exact_dedup and minhash included, as 4 tasks
// submitted with `saring slurm submit`, against a single-process run.

var slurmWords = strings.Fields(`the of and to in is was for that on with as by at from his her are were
be this which have had not but they their one all also has been its more who after first new two
people time year city government river market school village water report police after during
between said would could over into about than other some many most these those when where while
farmers prices harbour festival community students council rain season families workers island
museum library railway bridge hospital coast forest mountain valley province district region`)

// slurmCorpus writes a small corpus of several kinds: the examples (JSONL,
// WARC), generated JSONL with exact and near duplicates across files, a
// gzip file, malformed records, and one larger file so that one task runs
// long enough to be cancelled.
func slurmCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyExamples(t, dir, "a-news.jsonl", "b-pages.warc.gz")
	rng := rand.New(rand.NewPCG(1, 2))
	para := func(n int) string {
		var b strings.Builder
		for s := 0; s < n; s++ {
			k := 8 + rng.IntN(12)
			for i := 0; i < k; i++ {
				w := slurmWords[rng.IntN(len(slurmWords))]
				if i == 0 {
					w = strings.ToUpper(w[:1]) + w[1:]
				}
				b.WriteString(w)
				if i < k-1 {
					b.WriteByte(' ')
				}
			}
			b.WriteString(". ")
			if s%4 == 3 {
				b.WriteString("\n")
			}
		}
		return strings.TrimSpace(b.String())
	}
	type rec struct {
		ID   string `json:"id"`
		Text string `json:"text"`
		URL  string `json:"url,omitempty"`
	}
	var shared []string
	for i := 0; i < 6; i++ {
		shared = append(shared, para(30))
	}
	write := func(name string, n int, extra func(b *bytes.Buffer)) {
		var b bytes.Buffer
		for i := 0; i < n; i++ {
			text := para(20 + rng.IntN(30))
			switch i % 7 {
			case 1:
				text = shared[i%len(shared)] // exact duplicate across files
			case 3:
				w := strings.Fields(shared[(i+1)%len(shared)])
				w[5], w[len(w)/2] = "harbour", "festival" // near duplicate
				text = strings.Join(w, " ")
			}
			line, _ := json.Marshal(rec{ID: fmt.Sprintf("%s-%d", name, i), Text: text, URL: fmt.Sprintf("https://example.org/%s/%d", name, i)})
			b.Write(line)
			b.WriteByte('\n')
		}
		if extra != nil {
			extra(&b)
		}
		os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644)
	}
	write("c-gen.jsonl", 40, func(b *bytes.Buffer) { b.WriteString("{\"id\": \"broken\", \"text\": \n{\"id\": \"notext\"}\n") })
	write("d-gen.jsonl", 40, nil)
	gz := exec.Command("gzip", "-k", filepath.Join(dir, "d-gen.jsonl"))
	if out, err := gz.CombinedOutput(); err != nil {
		t.Fatalf("gzip: %v %s", err, out)
	}
	os.Rename(filepath.Join(dir, "d-gen.jsonl.gz"), filepath.Join(dir, "e-gen.jsonl.gz"))
	write("f-gen.jsonl", 60, nil)
	write("z-big.jsonl", 1500, nil)
	return dir
}

type slurmCLIResult struct {
	stdout, stderr string
	code           int
}

func slurmRunIn(t *testing.T, env []string, args ...string) slurmCLIResult {
	t.Helper()
	cmd := exec.Command(saringBin, args...)
	cmd.Dir = testenv.RepoRoot(t)
	cmd.Env = env
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	r := slurmCLIResult{o.String(), e.String(), 0}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

func slurmEnv(t *testing.T, c *slurmtest.Cluster) []string {
	model := testenv.LIDModel(t)
	return append(c.Env(), testenv.ModelEnv+"="+model)
}

// slurmWaitStatus polls saring status until the run is complete.
func slurmWaitStatus(t *testing.T, c *slurmtest.Cluster, env []string, out string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		r := slurmRunIn(t, env, "status", out)
		if r.code == 0 {
			return
		}
		if r.code == 2 {
			q, _ := c.Command("squeue").CombinedOutput()
			t.Fatalf("a task failed:\n%s%s\n%s", r.stdout, r.stderr, q)
		}
		if r.code != 1 {
			t.Fatalf("status exit %d: %s%s", r.code, r.stdout, r.stderr)
		}
		if time.Now().After(deadline) {
			t.Fatalf("not complete after 3 minutes:\n%s\n%s", r.stdout, c.Log())
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// slurmSameOutput compares kept/, removed/ and rejected/ file by file and byte
// for byte, and stats.json apart from times.
func slurmSameOutput(t *testing.T, want, got string) {
	t.Helper()
	for _, kind := range []string{"kept", "removed", "rejected"} {
		wf, gf := slurmListFiles(t, filepath.Join(want, kind)), slurmListFiles(t, filepath.Join(got, kind))
		if !reflect.DeepEqual(wf, gf) {
			t.Errorf("%s: files %v, want %v", kind, gf, wf)
			continue
		}
		for _, f := range wf {
			a, _ := os.ReadFile(filepath.Join(want, kind, f))
			b, _ := os.ReadFile(filepath.Join(got, kind, f))
			if !bytes.Equal(a, b) {
				t.Errorf("%s/%s differs (%d vs %d bytes)", kind, f, len(b), len(a))
			}
		}
	}
	ws, gs := slurmStatsWithoutTimes(t, want), slurmStatsWithoutTimes(t, got)
	if !reflect.DeepEqual(ws, gs) {
		wj, _ := json.MarshalIndent(ws, "", " ")
		gj, _ := json.MarshalIndent(gs, "", " ")
		t.Errorf("stats.json differs apart from times:\n%s", slurmLineDiff(string(wj), string(gj)))
	}
}

func slurmListFiles(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// slurmStatsWithoutTimes is stats.json without the fields that measure time.
func slurmStatsWithoutTimes(t *testing.T, out string) map[string]any {
	b, err := os.ReadFile(filepath.Join(out, "stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"started", "wall_seconds", "task_seconds", "resources"} {
		delete(m, k)
	}
	// The output directory differs, naturally.
	if cfg, ok := m["config"].(map[string]any); ok {
		if o, ok := cfg["output"].(map[string]any); ok {
			delete(o, "dir")
		}
	}
	if steps, ok := m["steps"].([]any); ok {
		for _, s := range steps {
			if sm, ok := s.(map[string]any); ok {
				delete(sm, "seconds")
			}
		}
	}
	return m
}

func slurmLineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var d strings.Builder
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			fmt.Fprintf(&d, "line %d: want %s\n         got  %s\n", i+1, x, y)
		}
	}
	return d.String()
}

func slurmSingleRun(t *testing.T, env []string, corpus string) string {
	ref := t.TempDir()
	if r := slurmRunIn(t, env, "run", "-q", "-i", corpus, "-o", ref, "--format", "jsonl", "--workers", "1"); r.code != 0 {
		t.Fatalf("single run: exit %d: %s", r.code, r.stderr)
	}
	return ref
}

func TestSlurmSubmitMatchesSingleRun(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end with the real binary; run without -short")
	}
	c := slurmtest.Start(t)
	env := slurmEnv(t, c)
	corpus := slurmCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	r := slurmRunIn(t, env, "slurm", "submit", "-q", "-i", corpus, "-o", out, "--format", "jsonl", "--tasks", "4",
		"--partition", c.Partition, "--cpus-per-task", "1", "--max-parallel", "2", "--time", "10:00", "--sbatch-arg=--comment=saring-test")
	if r.code != 0 {
		t.Fatalf("submit: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	if n := strings.Count(r.stdout, ": job "); n != 5 {
		t.Fatalf("%d jobs submitted, want 5 (stages):\n%s", n, r.stdout)
	}
	ref := slurmSingleRun(t, env, corpus)
	slurmWaitStatus(t, c, env, out)
	slurmSameOutput(t, ref, out)

	var st struct {
		Totals struct{ Read, Kept, Removed, Rejected int64 }
	}
	b, _ := os.ReadFile(filepath.Join(out, "stats.json"))
	json.Unmarshal(b, &st)
	if st.Totals.Rejected == 0 || st.Totals.Removed == 0 || st.Totals.Kept == 0 {
		t.Errorf("the corpus should have kept, removed and rejected documents: %+v", st.Totals)
	}
	for _, reason := range []string{"exact_dedup", "minhash"} {
		if !bytes.Contains(b, []byte(`"name": "`+reason+`"`)) && !bytes.Contains(b, []byte(`"name":"`+reason+`"`)) {
			t.Errorf("stats.json has no step %s", reason)
		}
	}
	for _, f := range []string{"stage-00-task-00000.log", "stage-04-task-00003.log"} {
		if _, err := os.Stat(filepath.Join(out, ".saring", "logs", f)); err != nil {
			t.Errorf("per-task log: %v", err)
		}
	}
	// Submitting a finished run again submits nothing.
	r = slurmRunIn(t, env, "slurm", "submit", "-q", "-i", corpus, "-o", out, "--format", "jsonl", "--tasks", "4", "--partition", c.Partition)
	if r.code != 0 || !strings.Contains(r.stdout, "nothing to submit") {
		t.Errorf("second submit of a finished run: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
}

func TestSlurmResubmitAfterCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end with the real binary; run without -short")
	}
	c := slurmtest.Start(t)
	env := slurmEnv(t, c)
	corpus := slurmCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"slurm", "submit", "-q", "-i", corpus, "-o", out, "--format", "jsonl", "--tasks", "4",
		"--partition", c.Partition, "--cpus-per-task", "1", "--max-parallel", "1"}
	if r := slurmRunIn(t, env, args...); r.code != 0 {
		t.Fatalf("submit: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	// The task holding the large last input runs long enough to be
	// cancelled; with --max-parallel 1 the tasks before it are done by then.
	var plan struct{ Ranges [][2]int }
	b, err := os.ReadFile(filepath.Join(out, ".saring", "plan.json"))
	if err != nil || json.Unmarshal(b, &plan) != nil {
		t.Fatalf("plan.json: %v", err)
	}
	victim := -1
	for i, rg := range plan.Ranges {
		if rg[0] < rg[1] {
			victim = i // the last task with units
		}
	}
	var jobs struct {
		Submissions []struct {
			Jobs []struct {
				JobID string `json:"job_id"`
			}
		}
	}
	b, _ = os.ReadFile(filepath.Join(out, ".saring", "slurm", "jobs.json"))
	json.Unmarshal(b, &jobs)
	job := jobs.Submissions[0].Jobs[0].JobID
	lock := filepath.Join(out, ".saring", "stage-00", "tasks", fmt.Sprintf("%05d.lock", victim))
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := os.Stat(lock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %d of stage 0 never ran\n%s", victim, c.Log())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if out, err := c.Command("scancel", fmt.Sprintf("%s_%d", job, victim)).CombinedOutput(); err != nil {
		t.Fatalf("scancel: %v %s", err, out)
	}
	// Markers of the tasks done before the cancel, with their times.
	done := slurmMarkerTimes(t, out)
	if _, err := os.Stat(filepath.Join(out, ".saring", "stage-00", "tasks", fmt.Sprintf("%05d.json", victim))); err == nil {
		t.Fatalf("task %d finished before it was cancelled; the corpus is too small to test a cancel", victim)
	}
	if len(done) == 0 {
		t.Fatal("no task was done before the cancel")
	}
	// Wait until nothing of the first submission is left in the queue.
	for {
		q, err := c.Command("squeue", "-h", "-o", "%i %T %r").Output()
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(string(q)) == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still queued:\n%s", q)
		}
		time.Sleep(300 * time.Millisecond)
	}
	r := slurmRunIn(t, env, "status", out)
	if r.code != 2 || !strings.Contains(r.stdout, fmt.Sprintf("task %d failed", victim)) {
		t.Fatalf("status after a cancel: exit %d, want 2 and task %d failed:\n%s%s", r.code, victim, r.stdout, r.stderr)
	}
	t.Logf("cancelled task %d of stage 0 with %d markers and files of finished work; status:\n%s", victim, len(done), r.stdout)
	dry := slurmRunIn(t, env, append(args, "--dry-run")...)
	if !strings.Contains(dry.stdout, fmt.Sprintf("#SBATCH --array=%d%%1\n", victim)) {
		t.Errorf("the second submission's first stage should run task %d only:\n%s", victim, dry.stdout)
	}
	if r := slurmRunIn(t, env, args...); r.code != 0 {
		t.Fatalf("submit again: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	ref := slurmSingleRun(t, env, corpus)
	slurmWaitStatus(t, c, env, out)
	slurmSameOutput(t, ref, out)
	after := slurmMarkerTimes(t, out)
	for p, m := range done {
		if after[p] != m {
			t.Errorf("%s was rewritten (%v, then %v): a completed task was redone", p, m, after[p])
		}
	}
}

// slurmMarkerTimes maps every task and unit marker of stage 0, and every file
// under removed/ and kept/, to its modification time.
func slurmMarkerTimes(t *testing.T, out string) map[string]time.Time {
	m := map[string]time.Time{}
	var pats = []string{
		filepath.Join(out, ".saring", "stage-00", "tasks", "*.json"),
		filepath.Join(out, ".saring", "stage-00", "units", "*.json"),
		filepath.Join(out, "removed", "part-00-*"),
	}
	for _, p := range pats {
		files, _ := filepath.Glob(p)
		for _, f := range files {
			if st, err := os.Stat(f); err == nil {
				m[f] = st.ModTime()
			}
		}
	}
	return m
}
