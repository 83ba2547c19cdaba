package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring/outdir"
	"github.com/saring/saring/report"
	"github.com/saring/saring/report/reporttest"
)

func generate(t *testing.T, dir string) string {
	t.Helper()
	sum, err := report.Generate(context.Background(), report.Options{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(sum.Output)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGenerate(t *testing.T) {
	for _, comp := range []string{"", "gz", "zst"} {
		t.Run("compression="+comp, func(t *testing.T) {
			dir := t.TempDir()
			if err := reporttest.Write(dir, reporttest.Options{Docs: 500, PerFile: 200, Compression: comp, Seed: 7}); err != nil {
				t.Fatal(err)
			}
			html := generate(t, dir)
			for _, want := range []string{
				`<svg class="chart"`, "Documents through each step", "Bytes of text through each step",
				"Removed documents by step and reason", "gopher_short_doc", "Document length before and after",
				"Documents by language", "Language identification score", "gopher_quality: words",
				"Near-duplicate cluster size", "kept documents repaired", "repetition_repair", "boilerplate",
				"Rejected records", outdir.RejectInvalidJSON, "0.1.0-test", "docs/s", "exact_duplicate", "minhash_duplicate",
				"Content-Security-Policy", "Resolved pipeline configuration",
			} {
				if !strings.Contains(html, want) {
					t.Errorf("report lacks %q", want)
				}
			}
			// Rejected records carry raw input: it must arrive escaped.
			if strings.Contains(html, "<script>alert") || strings.Contains(html, "<html><script>") {
				t.Error("report contains an unescaped script from the data")
			}
			if !strings.Contains(html, "&lt;script&gt;alert(5)") {
				t.Error("rejected sample not shown escaped")
			}
			if strings.Contains(html, "http://") || strings.Contains(html, "https://") {
				t.Error("report references a network resource")
			}
			if strings.Contains(html, `id="unfinished"`) {
				t.Error("a finished run is reported as unfinished")
			}
			if again := generate(t, dir); again != html {
				t.Error("two reports of the same output differ")
			}
		})
	}
}

func TestGenerateTolerant(t *testing.T) {
	for _, c := range []struct{ name, stats, want string }{
		{"missing", "", "stats.json not found"},
		{"float counts", `{"totals":{"read":1e3,"kept":12.0}}`, "value skipped"},
		{"empty object", "{}", "Funnel"},
		{"not json", "{{{", "not valid JSON"},
		{"wrong types", `{"workers":"two","totals":{"read":"many","kept":3},"steps":[{"name":5,"docs_in":10}]}`, "value skipped"},
		{"bad hist", `{"totals":{"read":10,"kept":5},"histograms":{"chars_in":{"edges":[1],"counts":[1,2,3]},"chars_out":{"edges":[0,10,20],"counts":[5]}}}`, "Funnel"},
		{"steps only", `{"steps":[{"name":"a","docs_in":10,"removed":4,"removed_by_reason":{"x":4}}]}`, "a / x"},
		{"nulls", `{"steps":null,"histograms":null,"config":null,"input":{"skipped":null}}`, "Funnel"},
		{"other histogram", `{"histograms":{"url_depth":{"count":3,"edges":[0,1,2],"counts":[1,2]},"language":{"id":3}}}`, "url depth"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := reporttest.Write(dir, reporttest.Options{Docs: 50, Seed: 1}); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "stats.json")
			if c.stats == "" {
				os.Remove(p)
			} else if err := os.WriteFile(p, []byte(c.stats), 0o644); err != nil {
				t.Fatal(err)
			}
			html := generate(t, dir)
			if !strings.Contains(html, c.want) {
				t.Errorf("report lacks %q", c.want)
			}
		})
	}
}

func TestGenerateEmptyDir(t *testing.T) {
	dir := t.TempDir()
	html := generate(t, dir)
	if !strings.Contains(html, "saring run report") {
		t.Error("no report for an empty output directory")
	}
	if _, err := report.Generate(context.Background(), report.Options{OutDir: filepath.Join(dir, "nope")}); err == nil {
		t.Error("want an error for a missing directory")
	}
}

func TestScanCounts(t *testing.T) {
	dir := t.TempDir()
	if err := reporttest.Write(dir, reporttest.Options{Docs: 1000, PerFile: 300, Compression: "zst", Seed: 3}); err != nil {
		t.Fatal(err)
	}
	st, _, err := report.LoadStats(dir)
	if err != nil || st == nil {
		t.Fatal(err)
	}
	files, err := report.ListOutputs(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, full := range []bool{false, true} {
		sc, err := report.ScanOutputs(context.Background(), files, full)
		if err != nil {
			t.Fatal(err)
		}
		if got := sc.Docs[report.Kept]; got != st.Totals.Kept {
			t.Errorf("kept: scanned %v, stats %v", got, st.Totals.Kept)
		}
		if got := sc.Docs[report.Removed]; got != st.Totals.Removed {
			t.Errorf("removed: scanned %v, stats %v", got, st.Totals.Removed)
		}
		if got := sc.Docs[report.Rejected]; got != st.Totals.Rejected {
			t.Errorf("rejected: scanned %v, stats %v", got, st.Totals.Rejected)
		}
		var clustered, rejected int64
		for _, n := range sc.ClusterSizes {
			clustered += n
		}
		if clustered == 0 || clustered > st.Totals.Kept {
			t.Errorf("cluster sizes counted for %d kept docs of %v", clustered, st.Totals.Kept)
		}
		for k, n := range sc.RejectErrors {
			rejected += n
			if outdir.RejectKind(k) == "" || k == outdir.RejectOther {
				t.Errorf("rejected kind %q", k)
			}
		}
		if rejected != st.Totals.Rejected {
			t.Errorf("rejected kinds sum to %d, want %d", rejected, st.Totals.Rejected)
		}
		if sc.Repaired == 0 || sc.RepairChars["repetition_repair"] == 0 || sc.RepairChars["boilerplate"] == 0 {
			t.Errorf("no repairs found: %+v", sc.RepairDocs)
		}
		if full {
			var removed int64
			for _, m := range sc.RemovedBy {
				for _, n := range m {
					removed += n
				}
			}
			if removed != st.Totals.Removed {
				t.Errorf("removed by reason sums to %d, want %v", removed, st.Totals.Removed)
			}
		}
	}
}

func TestClusterMeasureFallback(t *testing.T) {
	dir := t.TempDir()
	stats := `{"totals":{"read":10,"kept":8,"removed":2},"steps":[{"name":"minhash","docs_in":10,"removed":2,
	"measures":{"cluster_size":{"count":10,"sum":14,"min":1,"max":3,"edges":[1,1.19,1.41,1.68,2,2.38,2.83,3.36],"counts":[7,0,0,0,2,0,1]}}}]}`
	if err := os.WriteFile(filepath.Join(dir, "stats.json"), []byte(stats), 0o644); err != nil {
		t.Fatal(err)
	}
	html := generate(t, dir)
	for _, want := range []string{"minhash: cluster size of every document it saw", "largest cluster"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// A run that is not finished is reported, with a banner and in Summary.
func TestGenerateUnfinished(t *testing.T) {
	dir := t.TempDir()
	if err := reporttest.Write(dir, reporttest.Options{Docs: 120, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	d := outdir.Dir{Root: dir}
	if err := os.Remove(d.Done()); err != nil {
		t.Fatal(err)
	}
	sum, err := report.Generate(context.Background(), report.Options{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Unfinished) != 1 || !strings.Contains(sum.Unfinished[0], "not finished") {
		t.Errorf("unfinished = %q", sum.Unfinished)
	}
	html := generate(t, dir)
	if !strings.Contains(html, `id="unfinished"`) || !strings.Contains(html, "the run is not finished") {
		t.Error("no banner for a run without done.json")
	}
	// Without stats.json too: counts come from the files, and both are said.
	if err := os.Remove(d.Stats()); err != nil {
		t.Fatal(err)
	}
	sum, err = report.Generate(context.Background(), report.Options{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Unfinished) != 2 || sum.Docs == 0 {
		t.Errorf("unfinished = %q, %d documents", sum.Unfinished, sum.Docs)
	}
	html = generate(t, dir)
	if !strings.Contains(html, "stats.json not found") || !strings.Contains(html, "gopher_short_doc") {
		t.Error("report without stats.json lacks its note or the scanned reasons")
	}
	// A finished run has no banner; an output without a plan (an older
	// saring) has none either while its stats.json is there.
	plain := t.TempDir()
	if err := os.WriteFile(filepath.Join(plain, "stats.json"), []byte(`{"totals":{"read":0}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if html := generate(t, plain); strings.Contains(html, `id="unfinished"`) {
		t.Error("banner on an output without a plan but with stats.json")
	}
}

// A run of three tasks per stage over seven inputs writes many part files
// across stages; the report reads them all and says what a single-task run
// of the same corpus says.
func TestGenerateMultiTask(t *testing.T) {
	one, three := t.TempDir(), t.TempDir()
	o := reporttest.Options{Docs: 600, PerFile: 40, Inputs: 7, Compression: "zst", Seed: 4}
	if err := reporttest.Write(one, o); err != nil {
		t.Fatal(err)
	}
	o.Tasks = 3
	if err := reporttest.Write(three, o); err != nil {
		t.Fatal(err)
	}
	files, err := report.ListOutputs(three)
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]bool{}
	for _, f := range files {
		stages[strings.Split(filepath.Base(f.Rel), "-")[1]] = true
	}
	if len(files) < 20 || len(stages) < 3 {
		t.Fatalf("%d output files over stages %v: want many, across stages", len(files), stages)
	}
	h1, h3 := generate(t, one), generate(t, three)
	if strings.Contains(h3, `id="unfinished"`) {
		t.Error("finished multi-task run reported as unfinished")
	}
	for _, id := range []string{"funnel", "removals", "rejected", "repairs", "dedup"} {
		if a, b := section(h1, id), section(h3, id); a == "" || a != b {
			t.Errorf("section %s differs between 1 and 3 tasks (or is missing)", id)
		}
	}
	st, _, err := report.LoadStats(three)
	if err != nil || st == nil {
		t.Fatal(err)
	}
	sc, err := report.ScanOutputs(context.Background(), files, true)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Docs[report.Kept] != st.Totals.Kept || sc.Docs[report.Removed] != st.Totals.Removed || sc.Docs[report.Rejected] != st.Totals.Rejected {
		t.Errorf("scanned %v, stats %+v", sc.Docs, st.Totals)
	}
}

// section returns the report's <section id="id">…</section>, times aside.
func section(html, id string) string {
	i := strings.Index(html, `<section id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(html[i:], "</section>")
	s := html[i : i+j]
	// Step times, and the input directory rejected records name, differ
	// from run to run.
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.Contains(l, "docs/s") && !strings.Contains(l, "saring-reporttest-input-") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
