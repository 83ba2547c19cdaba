package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
				"Documents by language", "Language identification score", "gopher_quality: word_count",
				"Near-duplicate cluster size", "kept documents repaired", "repetition_repair",
				"Rejected records", "0.1.0-test", "2026-01-02 03:04:05 UTC", "docs/s",
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
			if again := generate(t, dir); again != html {
				t.Error("two reports of the same output differ")
			}
		})
	}
}

func TestGenerateTolerant(t *testing.T) {
	for _, c := range []struct{ name, stats, want string }{
		{"missing", "", "stats.json not found"},
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
		if got := float64(sc.Docs[report.Kept]); got != st.Totals.Kept {
			t.Errorf("kept: scanned %v, stats %v", got, st.Totals.Kept)
		}
		if got := float64(sc.Docs[report.Removed]); got != st.Totals.Removed {
			t.Errorf("removed: scanned %v, stats %v", got, st.Totals.Removed)
		}
		var clustered int64
		for _, n := range sc.ClusterSizes {
			clustered += n
		}
		if float64(clustered) != st.Totals.Kept {
			t.Errorf("cluster sizes counted for %d kept docs, want %v", clustered, st.Totals.Kept)
		}
		if sc.Repaired == 0 || sc.RepairChars["repetition_repair"] == 0 {
			t.Errorf("no repairs found: %+v", sc.RepairDocs)
		}
		if full {
			var removed int64
			for _, m := range sc.RemovedBy {
				for _, n := range m {
					removed += n
				}
			}
			if float64(removed) != st.Totals.Removed {
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
