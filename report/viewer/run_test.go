package viewer

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/saring/saring/outdir"
	"github.com/saring/saring/report"
	"github.com/saring/saring/report/reporttest"
)

// The viewer on a run of three tasks per stage over seven inputs: many part
// files across stages, every document indexed once, in name order.
func TestViewerMultiTask(t *testing.T) {
	f := newFixture(t, reporttest.Options{Docs: 600, PerFile: 40, Inputs: 7, Tasks: 3, Compression: "gz", Seed: 6})
	m := f.store.Man
	if len(m.Files) < 20 {
		t.Fatalf("%d output files, want many", len(m.Files))
	}
	stages := map[string]bool{}
	names := map[int][]string{}
	for _, fe := range m.Files {
		stages[strings.Split(filepath.Base(fe.Rel), "-")[1]] = true
		names[fe.Set] = append(names[fe.Set], fe.Rel)
		if fe.Error != "" {
			t.Errorf("%s: %s", fe.Rel, fe.Error)
		}
	}
	if len(stages) < 3 {
		t.Errorf("files from stages %v, want several", stages)
	}
	for set, n := range names {
		if !sort.StringsAreSorted(n) || !strings.HasPrefix(n[0], report.Set(set).String()+"/") {
			t.Errorf("%s files are not in name order: %v", report.Set(set), n)
		}
	}
	tot := f.stats.Totals
	if m.SetDocs[report.Kept] != tot.Kept || m.SetDocs[report.Removed] != tot.Removed || m.SetDocs[report.Rejected] != tot.Rejected {
		t.Fatalf("index sets %v, stats %+v", m.SetDocs, tot)
	}
	for _, s := range f.stats.Steps {
		var n int64
		for i, name := range m.Steps {
			if name == s.Name {
				n = m.StepN[i]
			}
		}
		if n != s.Removed {
			t.Errorf("step %s: %d indexed as removed, stats say %d", s.Name, n, s.Removed)
		}
	}
	for _, path := range []string{"/", "/?set=removed&step=exact_dedup", "/?set=removed&reason=minhash_duplicate", "/?set=rejected", "/?q=alert"} {
		if body, resp := f.get(t, path); resp.StatusCode != 200 || strings.Contains(body, `id="unfinished"`) {
			t.Errorf("%s: status %d, or an unfinished banner on a finished run", path, resp.StatusCode)
		}
	}
	body, _ := f.get(t, "/?set=rejected")
	if !strings.Contains(body, outdir.RejectInvalidJSON) {
		t.Error("rejected records are not listed by kind")
	}
	if body, _ := f.get(t, "/doc/"+itoa(find(t, f.store, reporttest.HostileID))); !strings.Contains(body, "gopher_short_doc") {
		t.Error("hostile document lacks its removal reason")
	}
}

// Every page says when the run is not finished.
func TestViewerUnfinished(t *testing.T) {
	f := newFixture(t, reporttest.Options{Docs: 60, Seed: 3})
	d := outdir.Dir{Root: f.dir}
	if err := os.Remove(d.Done()); err != nil {
		t.Fatal(err)
	}
	man, built, err := Open(context.Background(), f.dir, filepath.Join(f.dir, ".index"))
	if err != nil || !built {
		t.Fatalf("index of a run that lost its done.json not rebuilt (built=%v, err=%v)", built, err)
	}
	s, err := OpenStore(f.dir, filepath.Join(f.dir, ".index"), man)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(NewHandler(s, nil))
	defer srv.Close()
	g := &fixture{srv: srv}
	for _, path := range []string{"/", "/doc/0"} {
		body, _ := g.get(t, path)
		if !strings.Contains(body, `id="unfinished"`) || !strings.Contains(body, "the run is not finished") {
			t.Errorf("%s: no unfinished banner", path)
		}
	}
	if body, _ := f.get(t, "/"); strings.Contains(body, `id="unfinished"`) {
		t.Error("the handler made while the run was finished shows a banner")
	}
}

// Temporary directories of builds that died are removed when the viewer
// starts; one held by a live build is left alone.
func TestIndexTempCleanup(t *testing.T) {
	dir := t.TempDir()
	if err := reporttest.Write(dir, reporttest.Options{Docs: 30, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(dir, ".index")
	dead := idx + ".tmp-111"
	mustWrite(t, filepath.Join(dead, "docs.idx"), []byte("half an index"))
	live := idx + ".tmp-222"
	lk, err := outdir.Acquire(filepath.Join(live, buildLock), "a test build")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Release()
	if _, _, err := Open(context.Background(), dir, idx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("dead build's directory left (%v)", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("live build's directory removed: %v", err)
	}
	left, _ := filepath.Glob(idx + ".tmp-*")
	if len(left) != 1 {
		t.Errorf("temporary directories after open: %v", left)
	}
}

// An index built for other outputs, or before the run finished, is rebuilt.
func TestIndexRebuiltForOtherOutputs(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := reporttest.Write(a, reporttest.Options{Docs: 80, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := reporttest.Write(b, reporttest.Options{Docs: 150, Seed: 2, Tasks: 2, Inputs: 4}); err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(t.TempDir(), "index")
	if _, built, err := Open(context.Background(), a, idx); err != nil || !built {
		t.Fatal(built, err)
	}
	man, built, err := Open(context.Background(), b, idx)
	if err != nil || !built {
		t.Fatalf("index of other outputs reused (built=%v, err=%v)", built, err)
	}
	st, _, _ := report.LoadStats(b)
	if man.Docs != st.Totals.Read {
		t.Errorf("rebuilt index has %d documents, run read %d", man.Docs, st.Totals.Read)
	}
	if _, built, _ := Open(context.Background(), b, idx); built {
		t.Error("fresh index rebuilt")
	}
	// The same files, finished again later: done.json's time changes.
	d := outdir.Dir{Root: b}
	if err := outdir.WriteJSON(d.Done(), map[string]any{"finished": time.Now().Add(time.Hour).UTC()}); err != nil {
		t.Fatal(err)
	}
	if _, built, _ := Open(context.Background(), b, idx); !built {
		t.Error("index not rebuilt after done.json changed")
	}
}
