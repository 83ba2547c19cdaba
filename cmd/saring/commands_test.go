package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/saring/saring/internal/steps"
	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/pipeline"
)

// Each command's runX, called without cobra as a test (or another
// program) would.

var quietGlobal = &globalOptions{quiet: true, logFormat: "text", logLevel: "error"}

// Every flag that sets a pipeline value defaults to pipeline.Defaults(),
// in every command that has it.
func TestFlagDefaultsArePipelineDefaults(t *testing.T) {
	d := pipeline.Defaults()
	want := map[string]string{
		"format":       d.Output.Format,
		"input-format": d.Input.Format,
		"text-key":     d.Input.TextKey,
		"id-key":       d.Input.IDKey,
		"text-mode":    d.Input.TextMode,
		"workers":      strconv.Itoa(d.Workers),
		"shard-docs":   strconv.FormatInt(d.Output.ShardDocs, 10),
		"compression":  d.Output.Level,
		"no-removed":   strconv.FormatBool(!d.Output.Removed),
	}
	root := newRoot(steps.All())
	for _, path := range [][]string{{"run"}, {"slurm", "submit"}, {"k8s"}, {"explain"}} {
		cmd, _, err := root.Find(path)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for name, w := range want {
			f := cmd.Flags().Lookup(name)
			if f == nil {
				continue
			}
			seen++
			if f.DefValue != w {
				t.Errorf("%s --%s defaults to %q, pipeline.Defaults() to %q", cmd.CommandPath(), name, f.DefValue, w)
			}
		}
		if f := cmd.Flags().Lookup("memory"); f != nil {
			seen++
			if n, err := pipeline.ParseByteSize(f.DefValue); err != nil || pipeline.ByteSize(n) != d.Memory {
				t.Errorf("%s --memory defaults to %q, pipeline.Defaults() to %d", cmd.CommandPath(), f.DefValue, d.Memory)
			}
		}
		if seen < 3 {
			t.Errorf("%s: only %d pipeline flags found", cmd.CommandPath(), seen)
		}
	}
}

// A run from flags alone is the run of a pipeline file that gives only the
// same inputs, output and steps.
func TestFlagsAreAnEmptyPipelineFile(t *testing.T) {
	reg := steps.All()
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("p.yaml", []byte("input:\n  paths: [in.jsonl]\noutput:\n  dir: out\nsteps: [normalize, gopher_quality]\n"), 0o644)
	fromFile := newPipelineOptions()
	fromFile.file = "p.yaml"
	fromFlags := newPipelineOptions()
	fromFlags.inputs, fromFlags.output, fromFlags.steps = []string{"in.jsonl"}, "out", "normalize,gopher_quality"
	var js [2][]byte
	for i, o := range []*pipelineOptions{&fromFile, &fromFlags} {
		cfg, err := o.config(reg)
		if err != nil {
			t.Fatal(err)
		}
		js[i], _ = json.Marshal(cfg)
	}
	if !bytes.Equal(js[0], js[1]) {
		t.Errorf("from the file:\n%s\nfrom flags:\n%s", js[0], js[1])
	}
	// Over a file, only the flags given override it.
	fromFile.format, fromFile.workers = "parquet", 3
	fromFile.set = func(f string) bool { return f == "workers" }
	cfg, err := fromFile.config(reg)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Workers != 3 || cfg.Output.Format != pipeline.Defaults().Output.Format {
		t.Errorf("workers %d format %s: want 3 (given) and the file's format", cfg.Workers, cfg.Output.Format)
	}
	fromFlags.format = "csv"
	if _, err := fromFlags.config(reg); err == nil || !strings.Contains(err.Error(), `output.format: "csv" is not one of`) {
		t.Errorf("a bad --format: %v", err)
	}
}

// runExample runs normalize and gopher_quality over examples/news.jsonl
// into a new directory, with runRun.
func runExample(t *testing.T) string {
	t.Helper()
	o := &runOptions{pipelineOptions: newPipelineOptions(), task: -1, stage: -1}
	o.inputs = []string{filepath.Join(testenv.RepoRoot(t), "examples", "news.jsonl")}
	o.output = t.TempDir()
	o.steps = "normalize,gopher_quality"
	o.format = "jsonl"
	if err := runRun(context.Background(), quietGlobal, steps.All(), o); err != nil {
		t.Fatal(err)
	}
	return o.output
}

func TestRunRun(t *testing.T) {
	out := runExample(t)
	st, err := outdir.Dir{Root: out}.LoadStats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Totals.Read != 8 || st.Totals.Kept+st.Totals.Removed != 8 || st.Totals.Removed == 0 || len(st.Steps) != 2 {
		t.Errorf("totals %+v, %d steps", st.Totals, len(st.Steps))
	}
	// Task options are checked before anything runs.
	o := &runOptions{pipelineOptions: newPipelineOptions(), task: 2, stage: -1}
	o.inputs, o.output, o.tasks = []string{"x"}, t.TempDir(), 2
	if err := runRun(context.Background(), quietGlobal, steps.All(), o); err == nil || !strings.Contains(err.Error(), "--task 2 of --tasks 2") {
		t.Errorf("task out of range: %v", err)
	}
}

func TestRunCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(good, []byte("steps: [normalize, gopher_quality]\n"), 0o644)
	os.WriteFile(bad, []byte("steps:\n  - gopher_quality:\n      min_doc_wrods: 3\n"), 0o644)
	var out, errOut bytes.Buffer
	err := runCheck(context.Background(), steps.All(), []string{good, bad}, &out, &errOut)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 1 {
		t.Errorf("exit %v, want status 1", err)
	}
	if out.String() != good+": ok\n" {
		t.Errorf("stdout %q", out.String())
	}
	if !strings.Contains(errOut.String(), bad+":3:7: steps[0].gopher_quality.min_doc_wrods: unknown key") {
		t.Errorf("stderr %q", errOut.String())
	}
	out.Reset()
	if err := runCheck(context.Background(), steps.All(), []string{good}, &out, io.Discard); err != nil {
		t.Errorf("a good file: %v", err)
	}
}

func TestRunExplain(t *testing.T) {
	o := &explainOptions{steps: "gopher_quality", limit: 1, text: "Buy now!!! Click here", asJSON: true}
	var out bytes.Buffer
	if err := runExplain(context.Background(), steps.All(), o, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var ex pipeline.Explanation
	if err := json.Unmarshal(out.Bytes(), &ex); err != nil {
		t.Fatal(err)
	}
	if ex.RemovedBy != "gopher_quality" || len(ex.Steps) != 1 || ex.Steps[0].Reason != "gopher_short_doc" {
		t.Errorf("%+v", ex)
	}
	// The text from standard input, as printed text.
	o = &explainOptions{steps: "gopher_quality", limit: 1, text: "-"}
	out.Reset()
	if err := runExplain(context.Background(), steps.All(), o, strings.NewReader("Buy now!!! Click here"), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "verdict: REMOVED by gopher_quality") {
		t.Errorf("%s", out.String())
	}
	// A document of a file by id, the keys taken from the defaults.
	d := pipeline.Defaults()
	o = &explainOptions{steps: "gopher_quality", input: filepath.Join(testenv.RepoRoot(t), "examples", "news.jsonl"), id: "junk-1",
		inputFormat: d.Input.Format, textKey: d.Input.TextKey, idKey: d.Input.IDKey}
	out.Reset()
	if err := runExplain(context.Background(), steps.All(), o, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "document junk-1 ") || !strings.Contains(out.String(), "REMOVED by gopher_quality") {
		t.Errorf("%s", out.String())
	}
}

func TestRunSteps(t *testing.T) {
	reg := steps.All()
	var out bytes.Buffer
	if err := runSteps(reg, &stepsOptions{asJSON: true, names: []string{"gopher_quality"}}, &out); err != nil {
		t.Fatal(err)
	}
	var docs []stepDoc
	if err := json.Unmarshal(out.Bytes(), &docs); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range docs[0].Options {
		found = found || (o.Key == "min_doc_words" && o.Default == float64(50))
	}
	if len(docs) != 1 || docs[0].Name != "gopher_quality" || !found {
		t.Errorf("%+v", docs)
	}
	out.Reset()
	if err := runSteps(reg, &stepsOptions{}, &out); err != nil {
		t.Fatal(err)
	}
	for _, n := range reg.Names() {
		if !strings.Contains(out.String(), "\n"+n+"\n") && !strings.HasPrefix(out.String(), n+"\n") {
			t.Errorf("step %s not listed", n)
		}
	}
	out.Reset()
	runSteps(reg, &stepsOptions{showDefault: true}, &out)
	if out.String() != pipeline.DefaultYAML() {
		t.Error("--default does not print the default pipeline")
	}
	if err := runSteps(reg, &stepsOptions{names: []string{"gopher_qualty"}}, &out); err == nil {
		t.Error("an unknown step: no error")
	}
}

func TestRunVersion(t *testing.T) {
	var out bytes.Buffer
	runVersion(&out)
	if !strings.HasPrefix(out.String(), "saring "+saringVersion()+" ") || !strings.Contains(out.String(), runtime.Version()) {
		t.Errorf("%q", out.String())
	}
}

func TestRunReport(t *testing.T) {
	out := runExample(t)
	html := filepath.Join(t.TempDir(), "r.html")
	var stdout bytes.Buffer
	if err := runReport(context.Background(), reportOptions{outDir: out, output: html}, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(html)
	if err != nil || !bytes.Contains(b, []byte("gopher_quality")) {
		t.Errorf("report: %v, %d bytes", err, len(b))
	}
	if !strings.HasPrefix(stdout.String(), "wrote "+html+" (8 documents") {
		t.Errorf("%q", stdout.String())
	}
}

// serve answers until its context ends, explains a document with the
// run's pipeline (from the pipeline file the run wrote), and ends with 130,
// its scratch directory removed.
func TestRunServe(t *testing.T) {
	out := runExample(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	scratch := func() []string { m, _ := filepath.Glob(filepath.Join(tmp, "saring-serve-explain-*")); return m }
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, steps.All(), &serveOptions{outDir: out, addr: addr, indexDir: t.TempDir()}, io.Discard)
	}()
	get := func(path string) string {
		for i := 0; i < 200; i++ {
			resp, err := http.Get("http://" + addr + path)
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Fatalf("%s: %s\n%s", path, resp.Status, b)
				}
				return string(b)
			}
			select {
			case err := <-done:
				t.Fatalf("serve ended: %v", err)
			case <-time.After(50 * time.Millisecond):
			}
		}
		t.Fatalf("%s: no answer", path)
		return ""
	}
	get("/")
	if page := get("/doc/0?explain=1"); !strings.Contains(page, "gopher_quality") {
		t.Errorf("explain page names no gopher_quality rule")
	}
	if len(scratch()) != 1 {
		t.Errorf("scratch directories while serving: %v, want one", scratch())
	}
	cancel()
	var ee *exitError
	if err := <-done; !errors.As(err, &ee) || ee.code != 130 {
		t.Errorf("serve ended with %v, want exit status 130", err)
	}
	if left := scratch(); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestRunSlurmSubmitDryRun(t *testing.T) {
	o := &slurmSubmitOptions{run: newPipelineOptions(), dryRun: true}
	o.sl.JobName, o.sl.Saring = "saring", "/opt/saring"
	o.run.inputs = []string{filepath.Join(testenv.RepoRoot(t), "examples", "news.jsonl")}
	o.run.output, o.run.steps, o.run.tasks = t.TempDir(), "normalize,exact_dedup", 2
	var out bytes.Buffer
	if err := runSlurmSubmit(context.Background(), quietGlobal, steps.All(), o, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Count(s, "#SBATCH --array=0-1") != 3 || !strings.Contains(s, "/opt/saring run "+filepath.Join(o.run.output, ".saring", "pipeline.yaml")) {
		t.Errorf("%s", s)
	}
}

func TestRunK8s(t *testing.T) {
	o := &k8sCommandOptions{run: newPipelineOptions()}
	o.k.Image, o.k.PVC, o.k.Name, o.k.Saring, o.k.Retries = "saring:test", "data", "saring", "saring", 3
	o.run.inputs = []string{filepath.Join(testenv.RepoRoot(t), "examples", "news.jsonl")}
	o.run.output, o.run.steps, o.run.tasks = t.TempDir(), "normalize", 3
	var out bytes.Buffer
	if err := runK8s(context.Background(), quietGlobal, steps.All(), o, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "kind: Job") || !strings.Contains(s, "completions: 3") || !strings.Contains(s, "claimName: data") {
		t.Errorf("%s", s)
	}
}
