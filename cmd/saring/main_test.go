package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/storage/miniotest"
)

// These tests run the real binary, as a user would.

var saringBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "saring-cli-")
	if err != nil {
		panic(err)
	}
	saringBin = filepath.Join(dir, "saring")
	if out, err := exec.Command("go", "build", "-o", saringBin, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	miniotest.StopShared()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runCLI runs the binary in the repository's root.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runIn(t, testenv.RepoRoot(t), args...)
}

type outDoc struct {
	ID       string         `json:"id"`
	Text     string         `json:"text"`
	Metadata map[string]any `json:"metadata"`
}

func readJSONL(t *testing.T, pattern string) []outDoc {
	t.Helper()
	files, _ := filepath.Glob(pattern)
	var docs []outDoc
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var d outDoc
			if err := json.Unmarshal(line, &d); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			docs = append(docs, d)
		}
	}
	return docs
}

// The contract other tools rely on: plain .jsonl under kept/ and removed/,
// each line with id and text.
func TestRunContract(t *testing.T) {
	out := t.TempDir()
	_, stderr, code := runCLI(t, "run", "-q", "-i", "examples/news.jsonl", "-o", out, "--format", "jsonl", "--steps", "normalize,boilerplate,exact_dedup", "--workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	kept := readJSONL(t, filepath.Join(out, "kept", "*.jsonl"))
	removed := readJSONL(t, filepath.Join(out, "removed", "*.jsonl"))
	if len(kept)+len(removed) != 8 || len(removed) == 0 {
		t.Fatalf("kept %d removed %d", len(kept), len(removed))
	}
	for _, d := range kept {
		if d.ID == "" || d.Text == "" {
			t.Errorf("document without id or text: %+v", d)
		}
	}
	var st struct {
		Totals struct{ Read, Kept, Removed, Rejected int }
	}
	b, _ := os.ReadFile(filepath.Join(out, "stats.json"))
	if err := json.Unmarshal(b, &st); err != nil || st.Totals.Read != 8 || st.Totals.Kept != len(kept) {
		t.Errorf("stats.json: %v %+v", err, st)
	}
}

// The problem saring exists for: a page whose body was scraped twice, with
// boilerplate around it, is repaired and kept, tagged Indonesian.
func TestDefaultPipelineRepairsScrapedPage(t *testing.T) {
	testenv.LIDModel(t)
	page := testenv.SharedFile(t, "examples", "antara-news-scraped.jsonl")
	out := t.TempDir()
	_, stderr, code := runCLI(t, "run", "-q", "-i", page, "-o", out, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	kept := readJSONL(t, filepath.Join(out, "kept", "*.jsonl"))
	if len(kept) != 1 {
		t.Fatalf("the page was not kept: %v", readJSONL(t, filepath.Join(out, "removed", "*.jsonl")))
	}
	d := kept[0]
	if d.Metadata["language"] != "id" {
		t.Errorf("language = %v", d.Metadata["language"])
	}
	src, _ := os.ReadFile(strings.TrimSuffix(page, ".jsonl") + ".txt")
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "Baca juga"), strings.HasPrefix(line, "Sumber:"), strings.HasPrefix(line, "COPYRIGHT"):
			if strings.Contains(d.Text, line) {
				t.Errorf("boilerplate kept: %q", line)
			}
		default:
			if n := strings.Count(d.Text, line); n != 1 {
				t.Errorf("paragraph appears %d times: %.60q", n, line)
			}
		}
	}
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(good, []byte("steps:\n  - normalize\n  - gopher_quality:\n      min_doc_words: 40\n"), 0o644)
	os.WriteFile(bad, []byte("steps:\n  - normalize\n  - gopher_quality:\n      min_doc_wrds: 40\n"), 0o644)
	if _, e, code := runCLI(t, "check", good); code != 0 {
		t.Errorf("good file: exit %d %s", code, e)
	}
	_, e, code := runCLI(t, "check", bad)
	if code != 1 || !strings.Contains(e, "bad.yaml:4:7: steps[1].gopher_quality.min_doc_wrds: unknown key") {
		t.Errorf("bad file: exit %d %q", code, e)
	}
}

// TestCheckBuildsStepsAndFollowsMetadata: check refuses what run would
// refuse or get wrong: a filter judging by a language no step writes, and a
// step that cannot be built (a model file that is not there).
func TestCheckBuildsStepsAndFollowsMetadata(t *testing.T) {
	dir := t.TempDir()
	auto := filepath.Join(dir, "auto.yaml")
	os.WriteFile(auto, []byte("steps:\n  - normalize\n  - gopher_quality:\n      language: auto\n"), 0o644)
	_, e, code := runCLI(t, "check", auto)
	if code != 1 || !strings.Contains(e, "auto.yaml:3:5: step gopher_quality reads metadata.language, which no step before it writes") || !strings.Contains(e, "add the language step before it") {
		t.Errorf("language: auto without a language step: exit %d %q", code, e)
	}
	model := filepath.Join(dir, "model.yaml")
	os.WriteFile(model, []byte("steps:\n  - fasttext_classifier:\n      model: "+filepath.Join(dir, "no-such-model.bin")+"\n      label: hq\n"), 0o644)
	_, e, code = runCLI(t, "check", model)
	if code != 1 || !strings.Contains(e, "no-such-model.bin") {
		t.Errorf("missing model: exit %d %q", code, e)
	}
}

func TestStepsListsEveryStep(t *testing.T) {
	out, _, code := runCLI(t, "steps", "--json")
	if code != 0 {
		t.Fatal(code)
	}
	var steps []struct {
		Name, Doc string
		Options   []struct{ Key, Doc string }
	}
	if err := json.Unmarshal([]byte(out), &steps); err != nil {
		t.Fatal(err)
	}
	if len(steps) < 10 {
		t.Fatalf("only %d steps", len(steps))
	}
	for _, s := range steps {
		if s.Doc == "" {
			t.Errorf("step %s has no doc", s.Name)
		}
		for _, o := range s.Options {
			if o.Doc == "" {
				t.Errorf("option %s.%s has no doc", s.Name, o.Key)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run"}, "give inputs and an output directory"},
		{[]string{"run", "-i", "examples/news.jsonl", "-o", t.TempDir(), "--steps", "normalise"}, `did you mean "normalize"`},
		{[]string{"run", "-i", "nope.jsonl", "-o", t.TempDir(), "--steps", "normalize"}, "nope.jsonl: no such file"},
		{[]string{"run", "-i", "examples/news.jsonl", "-o", t.TempDir(), "--format", "csv"}, `output.format: "csv" is not one of`},
	} {
		_, e, code := runCLI(t, tc.args...)
		if code != 1 || !strings.Contains(e, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, e, tc.want)
		}
	}
}

// Ctrl-C: exit 130 and no partial file under a final name.
func TestInterruptExits130(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "big.jsonl")
	var b bytes.Buffer
	for i := 0; i < 400000; i++ {
		b.WriteString(`{"text":"Satu dua tiga empat lima enam tujuh delapan sembilan sepuluh. Kalimat yang cukup panjang untuk diuji."}` + "\n")
	}
	os.WriteFile(in, b.Bytes(), 0o644)
	out := filepath.Join(dir, "out")
	cmd := exec.Command(saringBin, "run", "-q", "-i", in, "-o", out, "--steps", "normalize,gopher_quality", "--workers", "1", "--shard-docs", "0")
	cmd.Dir = testenv.RepoRoot(t)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the run is under way (its output directory exists).
	for i := 0; i < 200; i++ {
		if _, err := os.Stat(filepath.Join(out, "kept")); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v", err)
	}
	final, _ := filepath.Glob(filepath.Join(out, "kept", "part-*"))
	tmp, _ := filepath.Glob(filepath.Join(out, "kept", ".*"))
	if len(final) != 0 || len(tmp) != 0 {
		t.Errorf("left files: %v %v", final, tmp)
	}
}

func TestRunFromStdin(t *testing.T) {
	out := t.TempDir()
	cmd := exec.Command(saringBin, "run", "-q", "-i", "-", "-o", out, "--steps", "normalize", "--format", "jsonl")
	cmd.Dir = testenv.RepoRoot(t)
	cmd.Stdin = strings.NewReader("{\"text\":\"satu\"}\n{\"text\":\"dua\"}\n")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	kept := readJSONL(t, filepath.Join(out, "kept", "*.jsonl"))
	if len(kept) != 2 || kept[1].Text != "dua" || kept[1].ID != "-:2" {
		t.Fatalf("%+v", kept)
	}
}
