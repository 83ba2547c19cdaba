package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/saring/saring/outdir"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
)

// writeInputs builds a small corpus over three files and formats, with
// duplicates, short documents and unreadable records.
func writeInputs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var a bytes.Buffer
	for i := 0; i < 500; i++ {
		switch {
		case i%50 == 7:
			a.WriteString("{broken json\n")
		case i%10 == 3:
			fmt.Fprintf(&a, "{\"id\":\"a%d\",\"text\":\"short\",\"url\":\"http://a/%d\"}\n", i, i)
		case i%7 == 0:
			fmt.Fprintf(&a, "{\"id\":\"a%d\",\"text\":\"the same text in many documents\"}\n", i)
		default:
			fmt.Fprintf(&a, "{\"id\":\"a%d\",\"text\":\"document %d with enough text\",\"metadata\":{\"n\":%d}}\n", i, i, i)
		}
	}
	os.WriteFile(filepath.Join(dir, "a.jsonl"), a.Bytes(), 0o644)
	var b bytes.Buffer
	gw := gzip.NewWriter(&b)
	for i := 0; i < 300; i++ {
		if i%9 == 0 {
			fmt.Fprintf(gw, "{\"text\":\"the same text in many documents\"}\n")
			continue
		}
		fmt.Fprintf(gw, "{\"text\":\"gzip document number %d\"}\n", i)
	}
	gw.Close()
	os.WriteFile(filepath.Join(dir, "b.jsonl.gz"), b.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "c.txt"), []byte("a plain text document\nwith two lines\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.bin"), []byte("ignored: unknown format in a directory"), 0o644)
	return dir
}

func runWith(t *testing.T, in string, steps string, workers int, format string) (string, *Stats) {
	t.Helper()
	reg := testRegistry()
	cfg := Defaults()
	cfg.Input.Paths = []string{in}
	cfg.Output.Dir = t.TempDir()
	cfg.Output.Format = format
	cfg.Output.ShardDocs = 97
	cfg.Workers = workers
	var err error
	cfg.Steps, err = StepsFromNames(strings.Split(steps, ","), reg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := (&Runner{Config: &cfg, Registry: reg, Version: "test"}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Output.Dir, st
}

// outputFiles returns every output file's bytes, by relative name.
func outputFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Base(p) == "stats.json" {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, ".saring") {
			return nil // plan, markers: they hold times
		}
		b, _ := os.ReadFile(p)
		out[rel] = b
		return nil
	})
	return out
}

func TestRunAccounting(t *testing.T) {
	in := writeInputs(t)
	dir, st := runWith(t, in, "upper,minlen,exactdup,upper", 2, "jsonl")
	tot := st.Totals
	// 500 + 300 JSONL lines + 1 text file = 801 records
	if tot.Read != 801 {
		t.Fatalf("read %d, want 801", tot.Read)
	}
	if tot.Rejected != 10 {
		t.Errorf("rejected %d, want 10", tot.Rejected)
	}
	if tot.Read != tot.Kept+tot.Removed+tot.Rejected {
		t.Errorf("accounting: %+v", tot)
	}
	minlen := st.Steps[1]
	if minlen.Name != "minlen" || minlen.ByReason["too_short"] != 50 || minlen.Measures["chars"] == nil || minlen.Measures["chars"].Count != minlen.DocsIn {
		t.Errorf("minlen stats: %+v", minlen)
	}
	dup := st.Steps[2]
	// 500/7 -> ids 0,7,...,497 minus those that are short or broken; plus 34 in b; all but one removed
	if dup.Removed == 0 || dup.ByReason["duplicate"] != dup.Removed {
		t.Errorf("dedup stats: %+v", dup)
	}
	files := outputFiles(t, dir)
	var kept, removed, rejected int
	for name, b := range files {
		n := bytes.Count(b, []byte("\n"))
		switch {
		case strings.HasPrefix(name, "kept/"):
			kept += n
		case strings.HasPrefix(name, "removed/"):
			removed += n
			for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
				var m struct {
					Metadata struct {
						Removed struct{ Step, Reason string }
					}
				}
				if err := json.Unmarshal(line, &m); err != nil || m.Metadata.Removed.Step == "" || m.Metadata.Removed.Reason == "" {
					t.Fatalf("removed line without step and reason: %s", line)
				}
			}
		case strings.HasPrefix(name, "rejected/"):
			rejected += n
			if !bytes.Contains(b, []byte(`"line":8,`)) || !bytes.Contains(b, []byte("a.jsonl")) {
				t.Errorf("rejected entries do not name file and line: %s", b[:200])
			}
		}
	}
	if int64(kept) != tot.Kept || int64(removed) != tot.Removed || int64(rejected) != tot.Rejected {
		t.Errorf("files hold %d/%d/%d, stats say %+v", kept, removed, rejected, tot)
	}
	if !bytes.Contains(concat(t, dir, "kept"), []byte(`"url":"http://a/`)) && tot.Kept > 0 {
		// short documents carry the url and are removed; check a kept one keeps metadata instead
	}
	if !bytes.Contains(concat(t, dir, "kept"), []byte(`"metadata":{"n":1}`)) {
		t.Errorf("input metadata not kept: %.300s", concat(t, dir, "kept"))
	}
	if _, err := os.Stat(filepath.Join(dir, ".work")); !os.IsNotExist(err) {
		t.Errorf("work dir left behind: %v", err)
	}
	var saved Stats
	b, _ := os.ReadFile(filepath.Join(dir, "stats.json"))
	if err := json.Unmarshal(b, &saved); err != nil || saved.Totals != tot {
		t.Errorf("stats.json: %v %+v", err, saved.Totals)
	}
}

func TestRunDeterministicAcrossWorkers(t *testing.T) {
	in := writeInputs(t)
	for _, format := range []string{"jsonl", "jsonl.zst", "parquet"} {
		var ref map[string][]byte
		for _, w := range []int{1, 3, 8} {
			dir, _ := runWith(t, in, "minlen,exactdup,upper,exactdup2", w, format)
			got := outputFiles(t, dir)
			if ref == nil {
				ref = got
				continue
			}
			if len(got) != len(ref) {
				t.Fatalf("%s workers=%d: %d files, want %d", format, w, len(got), len(ref))
			}
			for name, b := range ref {
				if !bytes.Equal(got[name], b) {
					t.Errorf("%s workers=%d: %s differs", format, w, name)
				}
			}
		}
	}
}

func TestRunRemovesPreviousOutput(t *testing.T) {
	in := writeInputs(t)
	reg := testRegistry()
	cfg := Defaults()
	cfg.Input.Paths = []string{in}
	cfg.Output.Dir = t.TempDir()
	cfg.Output.ShardDocs = 10
	cfg.Steps, _ = StepsFromNames([]string{"upper"}, reg)
	if _, err := (&Runner{Config: &cfg, Registry: reg}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg.Output.ShardDocs = 0
	if _, err := (&Runner{Config: &cfg, Registry: reg}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	kept, _ := filepath.Glob(filepath.Join(cfg.Output.Dir, "kept", "*"))
	// One file per input unit with kept documents; with shard_docs 10 the
	// first run had many.
	if len(kept) != 3 {
		t.Errorf("a re-run left %d kept files: %v", len(kept), kept)
	}
}

func TestRunStepErrorNamesDocument(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.jsonl"), []byte("{\"text\":\"fine\"}\n{\"id\":\"bad\",\"text\":\"BOOM\"}\n"), 0o644)
	reg := testRegistry()
	cfg := Defaults()
	cfg.Input.Paths = []string{dir}
	cfg.Output.Dir = t.TempDir()
	cfg.Steps, _ = StepsFromNames([]string{"fail"}, reg)
	_, err := (&Runner{Config: &cfg, Registry: reg}).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "step fail on document bad") || !strings.Contains(err.Error(), "x.jsonl:2") {
		t.Fatalf("err = %v", err)
	}
	tmp, _ := filepath.Glob(filepath.Join(cfg.Output.Dir, "*", ".*.tmp"))
	if len(tmp) > 0 {
		t.Errorf("temp files left: %v", tmp)
	}
}

func TestRunCancel(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, "{\"text\":\"doc %d\"}\n", i)
	}
	os.WriteFile(filepath.Join(dir, "x.jsonl"), b.Bytes(), 0o644)
	reg := testRegistry()
	cfg := Defaults()
	cfg.Input.Paths = []string{dir}
	cfg.Output.Dir = t.TempDir()
	cfg.Output.ShardDocs = 100
	cfg.Workers = 2
	cfg.Steps, _ = StepsFromNames([]string{"slow"}, reg)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := (&Runner{Config: &cfg, Registry: reg}).Run(ctx)
	if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancel took %v", d)
	}
	tmp, _ := filepath.Glob(filepath.Join(cfg.Output.Dir, "*", ".*.tmp"))
	if len(tmp) > 0 {
		t.Errorf("temp files left under the output: %v", tmp)
	}
	// Files under final names are whole shards.
	kept, _ := filepath.Glob(filepath.Join(cfg.Output.Dir, "kept", "part-*"))
	for _, k := range kept {
		_ = k // zstd files: a whole shard decompresses; checked by reading it
		docs, err := countDocs(k)
		if err != nil || docs != 100 {
			t.Errorf("%s: %d docs, %v", k, docs, err)
		}
	}
	if _, err := os.Stat(filepath.Join(cfg.Output.Dir, "stats.json")); err == nil {
		t.Errorf("stats.json written for a cancelled run")
	}
}

func TestRunMissingInput(t *testing.T) {
	reg := testRegistry()
	cfg := Defaults()
	cfg.Input.Paths = []string{filepath.Join(t.TempDir(), "nope.jsonl")}
	cfg.Output.Dir = t.TempDir()
	_, err := (&Runner{Config: &cfg, Registry: reg}).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "nope.jsonl") || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("err = %v", err)
	}
}

func TestRunUnreadableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every directory; permission errors cannot be produced")
	}
	dir := t.TempDir()
	sub := filepath.Join(dir, "locked")
	os.Mkdir(sub, 0o000)
	defer os.Chmod(sub, 0o755)
	_, err := ExpandInputs([]string{dir}, "auto")
	if err == nil || !strings.Contains(err.Error(), "permission") {
		t.Fatalf("err = %v", err)
	}
}

// A .gz cut short: its one gzip member never passes its checksum, so the
// documents decoded before the cut are not kept: each is a rejected entry
// with its line and offset, the cut itself one more; the next input is
// still read.
func TestRunTruncatedInput(t *testing.T) {
	dir := t.TempDir()
	var raw bytes.Buffer
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&raw, "{\"text\":\"document %d\"}\n", i)
	}
	var z bytes.Buffer
	gw := gzip.NewWriter(&z)
	gw.Write(raw.Bytes())
	gw.Close()
	cut := z.Bytes()[:z.Len()/2]
	os.WriteFile(filepath.Join(dir, "cut.jsonl.gz"), cut, 0o644)
	os.WriteFile(filepath.Join(dir, "whole.jsonl"), []byte("{\"text\":\"still read\"}\n"), 0o644)
	out, st := runWith(t, dir, "upper", 2, "jsonl")
	if st.Totals.Kept != 1 || st.Totals.Rejected < 100 || st.Totals.Read != st.Totals.Kept+st.Totals.Rejected {
		t.Fatalf("totals %+v", st.Totals)
	}
	rej := concat(t, out, "rejected")
	lines := bytes.Split(bytes.TrimSpace(rej), []byte("\n"))
	for i, l := range lines {
		var r struct {
			File, Error  string
			Line, Offset int64
		}
		if err := json.Unmarshal(l, &r); err != nil || !strings.HasSuffix(r.File, "cut.jsonl.gz") || r.Line != int64(i+1) || (i > 0 && r.Offset == 0) {
			t.Fatalf("rejected entry %d: %s (%v)", i, l, err)
		}
		if i == len(lines)-1 && !strings.Contains(r.Error, "unexpected EOF") {
			t.Errorf("the last entry does not say where reading stopped: %s", l)
		}
	}
	files := outputFiles(t, out)
	var all []byte
	for name, b := range files {
		if strings.HasPrefix(name, "kept/") {
			all = append(all, b...)
		}
	}
	if !bytes.Contains(all, []byte("STILL READ")) || bytes.Contains(all, []byte("DOCUMENT 0\"")) {
		t.Errorf("kept: %s", all)
	}
}

func TestRunErrorRemovesWorkDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.jsonl"), []byte("{\"text\":\"fine\"}\n{\"text\":\"BOOM\"}\n"), 0o644)
	reg := testRegistry()
	cfg := Defaults()
	cfg.Input.Paths = []string{dir}
	cfg.Output.Dir = t.TempDir()
	cfg.Steps, _ = StepsFromNames([]string{"exactdup", "fail"}, reg)
	if _, err := (&Runner{Config: &cfg, Registry: reg}).Run(context.Background()); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(filepath.Join(cfg.Output.Dir, ".work")); !os.IsNotExist(err) {
		t.Errorf("work dir left after a failed run: %v", err)
	}
}

// concat is the bytes of every output file of one kind, in name order.
func concat(t *testing.T, dir, kind string) []byte {
	t.Helper()
	b, err := outdir.Dir{Root: dir}.Concat(kind)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
