package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// A run over a decompression bomb and a record over the document limit
// finishes: each is one rejected entry with its file, line and offset, the
// documents around them are kept, and the counts add up.
func TestRunBombsCounted(t *testing.T) {
	if testing.Short() {
		t.Skip("GBs of decompression")
	}
	dir := t.TempDir()
	write := func(name, head string, fill byte, n int64, tail string) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		bw := bufio.NewWriter(f)
		zw, _ := zstd.NewWriter(bw, zstd.WithEncoderLevel(zstd.SpeedFastest))
		io.WriteString(zw, head)
		chunk := bytes.Repeat([]byte{fill}, 1<<20)
		for ; n > 0; n -= int64(len(chunk)) {
			zw.Write(chunk[:min(n, int64(len(chunk)))])
		}
		io.WriteString(zw, tail)
		zw.Close()
		bw.Flush()
		f.Close()
	}
	write("a-line.jsonl.zst", `{"text":"one"}`+"\n"+`{"text":"`, 'a', 200<<20, `"}`+"\n"+`{"text":"two"}`+"\n")
	write("b-zeros.jsonl.zst", `{"text":"three"}`+"\n", 0, 5<<28, "\n"+`{"text":"lost in the bomb"}`+"\n")
	os.WriteFile(filepath.Join(dir, "c.jsonl"), []byte(`{"text":"four"}`+"\n"), 0o644)
	out, st := runWith(t, dir, "upper", 2, "jsonl")
	tot := st.Totals
	if tot.Kept != 4 || tot.Rejected != 2 || tot.Read != tot.Kept+tot.Removed+tot.Rejected {
		t.Fatalf("totals %+v", tot)
	}
	for _, l := range bytes.Split(bytes.TrimSpace(concat(t, out, "rejected")), []byte("\n")) {
		var r struct {
			File, Error  string
			Line, Offset int64
		}
		if err := json.Unmarshal(l, &r); err != nil || r.Line == 0 || r.Offset == 0 {
			t.Fatalf("rejected entry: %s (%v)", l, err)
		}
		if !strings.Contains(r.Error, "over the limit") && !strings.Contains(r.Error, "compression ratio") {
			t.Errorf("rejected entry does not say why: %s", l)
		}
	}
}

// input.max_document_bytes sets the limit a record is rejected at.
func TestRunMaxDocumentBytes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(`{"text":"short"}`+"\n"+`{"text":"`+strings.Repeat("x", 5000)+`"}`+"\n"), 0o644)
	reg := testRegistry()
	cfg := Defaults()
	cfg.Input.Paths = []string{dir}
	cfg.Input.MaxDoc = 1000
	cfg.Output.Dir = t.TempDir()
	cfg.Steps, _ = StepsFromNames([]string{"upper"}, reg)
	st, err := (&Runner{Config: &cfg, Registry: reg}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Totals.Kept != 1 || st.Totals.Rejected != 1 {
		t.Fatalf("totals %+v", st.Totals)
	}
}

// Documents in flight are held against the memory budget; a document
// heavier than the whole budget still runs (alone), and the output is the
// same as with a large budget.
func TestRunMemoryBudgetHoldsDocuments(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 300; i++ {
		n := 100
		if i%50 == 7 {
			n = 200000 // 200 KB: over the whole budget below once weighed
		}
		b.WriteString(`{"text":"` + strings.Repeat("kata ", n/5) + `"}` + "\n")
	}
	os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(b.String()), 0o644)
	var outs []string
	for _, mem := range []ByteSize{1 << 20, 4 << 30} {
		reg := testRegistry()
		cfg := Defaults()
		cfg.Input.Paths = []string{dir}
		cfg.Output.Dir = t.TempDir()
		cfg.Output.Format = "jsonl"
		cfg.Memory = mem
		cfg.Workers = 4
		cfg.Steps, _ = StepsFromNames([]string{"upper", "slow"}, reg)
		if _, err := (&Runner{Config: &cfg, Registry: reg}).Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(concat(t, cfg.Output.Dir, "kept")))
	}
	if outs[0] != outs[1] || len(outs[0]) == 0 {
		t.Errorf("a small memory budget changed the output")
	}
}
