package report

import (
	"reflect"
	"strings"
	"testing"
)

func TestBuildPageValues(t *testing.T) {
	st, warn, err := ParseStats([]byte(`{
	 "version":"1.2.3","started":"2026-03-04T05:06:07+07:00","wall_seconds":10,"workers":2,
	 "totals":{"read":1000,"kept":700,"removed":290,"rejected":10,"bytes_read":2048000,"bytes_kept":1024000},
	 "steps":[
	  {"name":"gopher_quality","docs_in":990,"bytes_in":2000000,"kept":900,"rewritten":0,"removed":90,"bytes_out":1800000,
	   "removed_by_reason":{"gopher_short_doc":60,"gopher_stop_words":30},"seconds":2},
	  {"name":"minhash","docs_in":900,"bytes_in":1800000,"kept":700,"removed":200,"bytes_out":1024000,
	   "removed_by_reason":{"minhash_duplicate":200},"seconds":0}],
	 "languages":{"id":500,"en":200}}`))
	if err != nil || len(warn) != 0 {
		t.Fatal(err, warn)
	}
	p := buildPage("out", st, newScan(), nil)
	wantCards := []Card{
		{"read", "1,000", "2.0 MiB", "in"},
		{"kept", "700", "70% of read · 1000.0 KiB", "pass"},
		{"removed", "290", "29% of read", "rm"},
		{"rejected", "10", "unreadable records", "rej"},
	}
	if !reflect.DeepEqual(p.Cards, wantCards) {
		t.Errorf("cards:\n got %v\nwant %v", p.Cards, wantCards)
	}
	wantSteps := []Row{
		{"gopher_quality", "990", "900", "0", "90", "9.1%", "1.9 MiB", "1.7 MiB", "2.0 s", "495 docs/s"},
		{"minhash", "900", "700", "0", "200", "22%", "1.7 MiB", "1000.0 KiB", "–", "–"},
	}
	if !reflect.DeepEqual(p.StepRows, wantSteps) {
		t.Errorf("step rows:\n got %v\nwant %v", p.StepRows, wantSteps)
	}
	wantRemovals := []Row{
		{"minhash", "minhash_duplicate", "200", "20%"},
		{"gopher_quality", "gopher_short_doc", "60", "6.0%"},
		{"gopher_quality", "gopher_stop_words", "30", "3.0%"},
	}
	if !reflect.DeepEqual(p.RemovalRows, wantRemovals) {
		t.Errorf("removal rows:\n got %v\nwant %v", p.RemovalRows, wantRemovals)
	}
	facts := map[string]string{}
	for _, f := range p.Facts {
		facts[f.Name] = f.Value
	}
	for k, v := range map[string]string{"saring version": "1.2.3", "started": "2026-03-03 22:06:07 UTC",
		"wall time": "10.0 s", "workers": "2", "throughput": "100 docs/s · 200.0 KiB/s", "per worker": "50 docs/s · 100.0 KiB/s"} {
		if facts[k] != v {
			t.Errorf("fact %q = %q, want %q", k, facts[k], v)
		}
	}
	if !strings.Contains(string(p.Languages), "id") || !strings.Contains(string(p.Languages), "500 (71%)") {
		t.Error("language chart lacks the top-level languages map")
	}
}
