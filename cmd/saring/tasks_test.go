package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saring/saring/internal/testenv"
)

// mixedCorpus writes a corpus of several files of different sizes and
// formats: the bundled news and WARC examples, generated JSONL with exact
// copies and near copies across files (so both dedup stages decide across
// task boundaries), a gzip file, a line that is not JSON and a plain text.
func mixedCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyExamples(t, dir, "00-news.jsonl", "01-pages.warc.gz")
	// Real prose: the shared labelled sentences in English and Indonesian.
	var sents [2][]string
	for i, lang := range []string{"en", "id"} {
		b, err := os.ReadFile(testenv.SharedFile(t, "data", "lingua-sentences", lang+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		sents[i] = strings.Split(strings.TrimSpace(string(b)), "\n")
	}
	para := func(seed, n int) string {
		ss := sents[seed%2]
		var b strings.Builder
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(ss[(seed*37+i*101+i*i*7)%len(ss)])
		}
		return b.String()
	}
	doc := func(id string, seed int) string {
		text := para(seed, 6) + "\n\n" + para(seed+2, 5) + "\n\n" + para(seed+4, 6)
		b, _ := json.Marshal(map[string]any{"id": id, "text": text, "url": "https://example.com/" + id})
		return string(b)
	}
	for f := 0; f < 9; f++ {
		var b bytes.Buffer
		n := 4 + f*3
		for i := 0; i < n; i++ {
			seed := f*100 + i
			switch {
			case i%5 == 1 && f > 0:
				seed = (f-1)*100 + i // an exact copy of a document in the previous file
				fmt.Fprintln(&b, doc(fmt.Sprintf("f%d-%d-copy", f, i), seed))
				continue
			case i%7 == 2 && f > 1:
				// A near copy: a document of an earlier file with its last paragraph changed.
				var d map[string]any
				json.Unmarshal([]byte(doc("x", (f-2)*100+i)), &d)
				d["id"] = fmt.Sprintf("f%d-%d-near", f, i)
				d["text"] = d["text"].(string) + " Reporting by the desk."
				j, _ := json.Marshal(d)
				fmt.Fprintln(&b, string(j))
				continue
			case i == 3 && f == 4:
				b.WriteString("{not json at all\n")
				continue
			}
			fmt.Fprintln(&b, doc(fmt.Sprintf("f%d-%d", f, i), seed))
		}
		name := filepath.Join(dir, fmt.Sprintf("%02d-gen.jsonl", f+2))
		if f == 6 {
			var z bytes.Buffer
			gw := gzip.NewWriter(&z)
			gw.Write(b.Bytes())
			gw.Close()
			os.WriteFile(name+".gz", z.Bytes(), 0o644)
			continue
		}
		os.WriteFile(name, b.Bytes(), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "20-note.txt"), []byte(para(5, 12)), 0o644)
	return dir
}

// outputsOf returns every file of kept/, removed/ and rejected/ and
// clusters.jsonl by relative name.
func outputsOf(t *testing.T, out string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, kind := range []string{"kept", "removed", "rejected"} {
		m, _ := filepath.Glob(filepath.Join(out, kind, "*"))
		for _, p := range m {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files[kind+"/"+filepath.Base(p)] = b
		}
	}
	if b, err := os.ReadFile(filepath.Join(out, "clusters.jsonl")); err == nil {
		files["clusters.jsonl"] = b
	}
	return files
}

// statsWithoutTimes reads stats.json with every time field removed.
func statsWithoutTimes(t *testing.T, out string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"started", "wall_seconds", "task_seconds", "workers", "storage", "resources"} {
		delete(m, k)
	}
	if cfg, ok := m["config"].(map[string]any); ok {
		delete(cfg, "workers")
		if o, ok := cfg["output"].(map[string]any); ok {
			delete(o, "dir")
		}
	}
	for _, s := range m["steps"].([]any) {
		delete(s.(map[string]any), "seconds")
	}
	return m
}

func sameOutputs(t *testing.T, what, ref, got string) {
	t.Helper()
	a, b := outputsOf(t, ref), outputsOf(t, got)
	if len(a) == 0 {
		t.Fatalf("%s: the reference run wrote nothing", what)
	}
	var names []string
	for n := range a {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s: %s differs (%d vs %d bytes)", what, n, len(a[n]), len(b[n]))
		}
	}
	for n := range b {
		if _, ok := a[n]; !ok {
			t.Errorf("%s: extra file %s", what, n)
		}
	}
	if sa, sb := statsWithoutTimes(t, ref), statsWithoutTimes(t, got); !reflect.DeepEqual(sa, sb) {
		ja, _ := json.Marshal(sa)
		jb, _ := json.Marshal(sb)
		t.Errorf("%s: stats differ:\n%s\n%s", what, ja, jb)
	}
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	_, stderr, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("saring %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	return stderr
}

// markerTimes returns the modification time of every marker.
func markerTimes(t *testing.T, out string) map[string]time.Time {
	t.Helper()
	m := map[string]time.Time{}
	files, _ := filepath.Glob(filepath.Join(out, ".saring", "stage-*", "*", "*.json"))
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		m[f] = st.ModTime()
	}
	return m
}

// The default pipeline, exact_dedup and minhash included, gives the same
// files and the same stats in 1, 2, 3 and 8 tasks as in one process, and a
// finished run run again redoes nothing.
func TestTasksSameOutputAsOneProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end with the real binary; run without -short")
	}
	testenv.LIDModel(t)
	in := mixedCorpus(t)
	base := t.TempDir()
	common := []string{"-q", "-i", in, "--format", "jsonl", "--shard-docs", "7"}
	ref := filepath.Join(base, "ref")
	mustRun(t, append([]string{"run", "-o", ref}, common...)...)
	st := statsWithoutTimes(t, ref)
	tot := st["totals"].(map[string]any)
	if tot["rejected"].(float64) < 1 || tot["kept"].(float64) < 10 {
		t.Fatalf("the corpus does not exercise the run: %v", tot)
	}
	byReason := map[string]bool{}
	for _, s := range st["steps"].([]any) {
		for r := range s.(map[string]any)["removed_by_reason"].(map[string]any) {
			byReason[r] = true
		}
	}
	if !byReason["exact_duplicate"] || !byReason["minhash_duplicate"] {
		t.Fatalf("the corpus should hold exact and near duplicates across files: %v", byReason)
	}
	for _, n := range []int{1, 2, 3, 8} {
		out := filepath.Join(base, "tasks"+strconv.Itoa(n))
		mustRun(t, append([]string{"run", "-o", out, "--tasks", strconv.Itoa(n), "--parallel", "2"}, common...)...)
		sameOutputs(t, fmt.Sprintf("%d tasks", n), ref, out)
		if n == 3 {
			before := markerTimes(t, out)
			mustRun(t, append([]string{"run", "-o", out, "--tasks", "3", "--parallel", "2"}, common...)...)
			if after := markerTimes(t, out); !reflect.DeepEqual(before, after) {
				t.Errorf("running a finished run again rewrote markers")
			}
			if code := statusCode(t, out); code != 0 {
				t.Errorf("status of a finished run: exit %d", code)
			}
		}
	}

	// One task at a time, as a cluster runs them: --task in stage order.
	out := filepath.Join(base, "bytask")
	cfgArgs := append([]string{"-o", out}, common...)
	mustRun(t, append([]string{"run", "--tasks", "2", "--task", "0"}, cfgArgs...)...)
	// Task 0 of stage 0 is done; stage 1 cannot start before task 1 of stage 0.
	_, stderr, code := runCLI(t, append([]string{"run", "--tasks", "2", "--task", "0", "--stage", "1"}, cfgArgs...)...)
	if code == 0 || !strings.Contains(stderr, "unfinished") {
		t.Errorf("a task of a later stage ran before the earlier stage finished: exit %d %s", code, stderr)
	}
	for i := 0; i < 12 && !fileExistsT(filepath.Join(out, "stats.json")); i++ {
		for task := 0; task < 2; task++ {
			mustRun(t, append([]string{"run", "--tasks", "2", "--task", strconv.Itoa(task)}, cfgArgs...)...)
		}
	}
	sameOutputs(t, "tasks run one by one", ref, out)

	// Another task count on an unfinished run is refused, naming both.
	part := filepath.Join(base, "part")
	mustRun(t, append([]string{"run", "-o", part, "--tasks", "2", "--task", "0"}, common...)...)
	_, stderr, code = runCLI(t, append([]string{"run", "-o", part, "--tasks", "3", "--task", "0"}, common...)...)
	if code == 0 || !strings.Contains(stderr, "2 tasks") {
		t.Errorf("a task with another task count was not refused: exit %d %s", code, stderr)
	}
}

func fileExistsT(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func statusCode(t *testing.T, out string) int {
	t.Helper()
	_, _, code := runCLI(t, "status", out)
	return code
}

// A run killed (SIGKILL, the whole process group) at several points and run
// again gives the same output as a run never interrupted, with no partial
// file under a final name at any time; units finished before the kill are
// not redone.
func TestTasksKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end with the real binary; run without -short")
	}
	testenv.LIDModel(t)
	in := mixedCorpus(t)
	base := t.TempDir()
	common := []string{"-q", "-i", in, "--format", "jsonl", "--shard-docs", "7", "--workers", "1"}
	ref := filepath.Join(base, "ref")
	mustRun(t, append([]string{"run", "-o", ref}, common...)...)

	for i, spec := range []struct {
		tasks []string
		after time.Duration
	}{
		{nil, 150 * time.Millisecond},
		{nil, 400 * time.Millisecond},
		{nil, 900 * time.Millisecond},
		{[]string{"--tasks", "3", "--parallel", "2"}, 300 * time.Millisecond},
		{[]string{"--tasks", "3", "--parallel", "2"}, 800 * time.Millisecond},
		{[]string{"--tasks", "3", "--parallel", "2"}, 1600 * time.Millisecond},
	} {
		out := filepath.Join(base, fmt.Sprintf("kill%d", i))
		args := append(append([]string{"run", "-o", out}, common...), spec.tasks...)
		cmd := exec.Command(saringBin, args...)
		cmd.Dir = testenv.RepoRoot(t)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(spec.after)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		time.Sleep(50 * time.Millisecond) // children of the group are gone too
		checkNoPartialFinals(t, out)
		before := markerTimes(t, out)
		mustRun(t, args...)
		after := markerTimes(t, out)
		for f, tm := range before {
			if strings.Contains(f, "/units/") && !after[f].Equal(tm) {
				t.Errorf("kill %d: %s was redone after the kill", i, f)
			}
		}
		sameOutputs(t, fmt.Sprintf("kill %d (%v, %v)", i, spec.after, spec.tasks), ref, out)
	}
}

// checkNoPartialFinals checks that every file under a final output name is
// whole: each line of every JSONL shard is complete JSON.
func checkNoPartialFinals(t *testing.T, out string) {
	t.Helper()
	for _, kind := range []string{"kept", "removed", "rejected"} {
		m, _ := filepath.Glob(filepath.Join(out, kind, "part-*"))
		for _, p := range m {
			b, _ := os.ReadFile(p)
			if len(b) > 0 && b[len(b)-1] != '\n' {
				t.Errorf("%s is cut short", p)
				continue
			}
			for _, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
				if !json.Valid(line) {
					t.Errorf("%s holds a broken line", p)
					break
				}
			}
		}
	}
}

// Two runs into one directory: the second is refused while the first runs;
// after the first is killed, running again finishes the run.
func TestTasksSecondRunRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end with the real binary; run without -short")
	}
	testenv.LIDModel(t)
	in := mixedCorpus(t)
	base := t.TempDir()
	ref, out := filepath.Join(base, "ref"), filepath.Join(base, "out")
	args := []string{"-q", "-i", in, "--format", "jsonl", "--workers", "1"}
	mustRun(t, append([]string{"run", "-o", ref}, args...)...)
	first := exec.Command(saringBin, append([]string{"run", "-o", out}, args...)...)
	first.Dir = testenv.RepoRoot(t)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !fileExistsT(filepath.Join(out, ".saring", "run.lock")) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	_, stderr, code := runCLI(t, append([]string{"run", "-o", out}, args...)...)
	switch {
	case code == 0 && fileExistsT(filepath.Join(out, "stats.json")):
		t.Log("the first run finished before the second started; nothing to refuse")
	case code == 0 || !strings.Contains(stderr, "pid "+strconv.Itoa(first.Process.Pid)):
		t.Errorf("a second run was not refused: exit %d: %s", code, stderr)
	}
	first.Process.Kill()
	first.Wait()
	mustRun(t, append([]string{"run", "-o", out}, args...)...)
	sameOutputs(t, "after the first run was killed", ref, out)
}

// A run that could read no record of an input file finishes, names the
// file and exits 3; one with a bad record among good ones exits 0.
func TestRunExit3WhenAnInputIsUnreadable(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "good.jsonl"), []byte("{\"text\":\"one\"}\n{broken\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.jsonl"), []byte("{broken\n{also broken\n"), 0o644)
	_, stderr, code := runCLI(t, "run", "-q", "-i", dir, "-o", filepath.Join(t.TempDir(), "o"), "--steps", "normalize")
	if code != 3 || !strings.Contains(stderr, "bad.jsonl") || strings.Contains(stderr, "good.jsonl") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	os.Remove(filepath.Join(dir, "bad.jsonl"))
	if _, stderr, code := runCLI(t, "run", "-q", "-i", dir, "-o", filepath.Join(t.TempDir(), "o"), "--steps", "normalize"); code != 0 {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// copyExamples copies the bundled news JSONL and WARC examples into dir
// under the names given, so a test corpus starts with real pages.
func copyExamples(t *testing.T, dir, news, warc string) {
	t.Helper()
	root := testenv.RepoRoot(t)
	for src, dst := range map[string]string{"examples/news.jsonl": news, "examples/pages.warc.gz": warc} {
		b, err := os.ReadFile(filepath.Join(root, src))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
