package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saring/saring/outdir"
	"github.com/saring/saring/report/reporttest"
)

// multiTaskRun runs the fixture's pipeline as a user would on many cores:
// `saring run PIPELINE --tasks 3 --parallel 3`, each task its own process.
func multiTaskRun(t *testing.T) string {
	t.Helper()
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	if err := reporttest.WriteCorpus(in, reporttest.Options{Docs: 500, Inputs: 6, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	pf := filepath.Join(t.TempDir(), "pipeline.yaml")
	src := "input:\n  paths: [" + in + "]\noutput:\n  dir: " + out + "\n  format: jsonl.zst\n  shard_docs: 40\n" + reporttest.Pipeline
	if err := os.WriteFile(pf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, "run", pf, "--tasks", "3", "--parallel", "3"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*", "part-*"))
	if len(files) < 15 {
		t.Fatalf("%d output files from a 3-task run", len(files))
	}
	return out
}

func TestReportCommandMultiTask(t *testing.T) {
	out := multiTaskRun(t)
	stdout, stderr, code := runCLI(t, "report", out)
	if code != 0 || !strings.Contains(stdout, "wrote "+filepath.Join(out, "report.html")) || strings.Contains(stderr, "warning") {
		t.Fatalf("report: exit %d\n%s\n%s", code, stdout, stderr)
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"exact_duplicate", "gopher_short_doc", "Rejected records", "kept documents repaired"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Not finished: the report is written, with a warning and a banner.
	if err := os.Remove(outdir.Dir{Root: out}.Done()); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = runCLI(t, "report", out)
	if code != 0 || !strings.Contains(stderr, "warning: the run is not finished") {
		t.Fatalf("report of an unfinished run: exit %d\n%s", code, stderr)
	}
	html, _ = os.ReadFile(filepath.Join(out, "report.html"))
	if !strings.Contains(string(html), `id="unfinished"`) {
		t.Error("no banner in the report of an unfinished run")
	}
}

func TestServeCommandMultiTask(t *testing.T) {
	out := multiTaskRun(t)
	base, stop := startServe(t, out)
	body := get(t, base+"/")
	if !strings.Contains(body, "documents 1–50 of") || strings.Contains(body, `id="unfinished"`) {
		t.Fatalf("list page: %.300s", body)
	}
	body = get(t, base+"/?set=removed&reason=gopher_short_doc")
	m := regexp.MustCompile(`href="/doc/(\d+)\?`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no removed document listed")
	}
	// Explain works from the pipeline the run wrote in .saring/.
	body = get(t, base+"/doc/"+m[1]+"?explain=1")
	if !strings.Contains(body, `id="explain"`) || !strings.Contains(body, "gopher_quality") || strings.Contains(body, "explain: ") {
		t.Errorf("explain view: %.2000s", body)
	}
	if code, stderr := stop(); code != 130 {
		t.Errorf("serve stopped by SIGINT: exit %d, want 130\n%s", code, stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".index.tmp-*")); len(left) > 0 {
		t.Errorf("temporary index directories left: %v", left)
	}

	// Not finished: a warning, a banner, and the index built again.
	if err := os.Remove(outdir.Dir{Root: out}.Done()); err != nil {
		t.Fatal(err)
	}
	base, stop = startServe(t, out)
	if body := get(t, base+"/"); !strings.Contains(body, `id="unfinished"`) {
		t.Error("no banner on an unfinished run")
	}
	_, stderr := stop()
	if !strings.Contains(stderr, "warning: the run is not finished") || !strings.Contains(stderr, "indexed ") {
		t.Errorf("serve of an unfinished run said: %s", stderr)
	}
}

// startServe runs `saring serve OUT` on a free port; stop interrupts it
// and returns its exit code and standard error.
func startServe(t *testing.T, out string) (base string, stop func() (int, string)) {
	t.Helper()
	cmd := exec.Command(saringBin, "serve", out, "--addr", "127.0.0.1:0")
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	addr := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		re := regexp.MustCompile(`on (http://[0-9.:]+)/`)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	stopped := false
	stop = func() (int, string) {
		if stopped {
			return -1, ""
		}
		stopped = true
		cmd.Process.Signal(syscall.SIGINT)
		err := cmd.Wait()
		pw.Close()
		<-done
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return code, log.String()
	}
	t.Cleanup(func() { stop() })
	select {
	case base = <-addr:
	case <-time.After(60 * time.Second):
		stop()
		t.Fatalf("serve did not start: %s", log.String())
	}
	return base, stop
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: status %d: %s", url, resp.StatusCode, b)
	}
	return string(b)
}
