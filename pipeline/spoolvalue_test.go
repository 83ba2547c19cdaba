package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/saring/saring"
)

type metaStruct struct {
	Step  string `json:"step"`
	Count int    `json:"count"`
}

// TestSpoolKeepsMetadataTypes: what a step wrote comes back from a spool in
// the same Go types; a step's own struct comes back as encoding/json gives it.
func TestSpoolKeepsMetadataTypes(t *testing.T) {
	in := map[string]any{
		"language": "id", "language_score": 0.8125, "f32": float32(0.5), "n": 7, "n64": int64(-1 << 40),
		"n32": int32(5), "u64": uint64(1 << 63), "num": json.Number("1e3"), "yes": true, "no": false, "none": nil,
		"langs": []string{"id", "ms"}, "scores": []float64{0.25, 1e-9}, "ints": []int{1, -2},
		"list": []any{"a", 1.5, map[string]any{"deep": []any{}}}, "nested": map[string]any{"x": 2},
		"struct": metaStruct{"gopher", 3},
	}
	path := filepath.Join(t.TempDir(), "spool")
	w, err := createSpool(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.write(&saring.Document{ID: "a", Text: "t", Metadata: in}); err != nil {
		t.Fatal(err)
	}
	if err := w.write(&saring.Document{ID: "b", Text: "no metadata"}); err != nil {
		t.Fatal(err)
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	r, err := openSpool(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	a, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{}
	for k, v := range in {
		want[k] = v
	}
	want["struct"] = map[string]any{"step": "gopher", "count": json.Number("3")}
	if !reflect.DeepEqual(a.Metadata, want) {
		for k := range want {
			if !reflect.DeepEqual(a.Metadata[k], want[k]) {
				t.Errorf("%s: got %#v, want %#v", k, a.Metadata[k], want[k])
			}
		}
	}
	b, err := r.Next()
	if err != nil || b.Metadata != nil {
		t.Fatalf("second document: %v, metadata %#v", err, b.Metadata)
	}
}

// FuzzSpoolValue: damaged spool bytes give an error, never a panic or a huge
// allocation.
func FuzzSpoolValue(f *testing.F) {
	b, _ := appendValue(nil, map[string]any{"a": []any{1.5, "x", []string{"y"}}, "b": []int{3}, "c": metaStruct{}})
	f.Add(b)
	f.Add([]byte{tagList, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		p := &byteParser{b: b}
		p.value(0)
	})
}

// typesStep records the Go types of the metadata it finds, after a corpus
// step has spooled the documents, in metadata.types.
type typesStep struct{}

func (typesStep) Name() string { return "types" }
func (typesStep) Process(_ context.Context, d *saring.Document) (saring.Result, error) {
	if _, ok := d.Meta("score"); !ok {
		d.SetMeta("score", 0.75)
		d.SetMeta("count", 3)
		return saring.Kept(), nil
	}
	s, _ := d.Meta("score")
	c, _ := d.Meta("count")
	d.SetMeta("types", fmt.Sprintf("%T %T", s, c))
	return saring.Kept(), nil
}

// TestStepAfterCorpusStepSeesSameTypes: a step after exact deduplication
// sees float64 and int, not the json.Number a JSON spool gave.
func TestStepAfterCorpusStepSeesSameTypes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.jsonl"), []byte("{\"text\":\"one\"}\n{\"text\":\"two\"}\n{\"text\":\"one\"}\n"), 0o644)
	reg := testRegistry()
	reg.Register(saring.Spec{Name: "types", Doc: "types", New: func(any, saring.Env) (saring.Step, error) { return typesStep{}, nil }})
	cfg := Defaults()
	cfg.Input.Paths = []string{dir}
	cfg.Output.Dir = t.TempDir()
	cfg.Output.Format = "jsonl"
	var err error
	if cfg.Steps, err = StepsFromNames([]string{"types", "exactdup", "types"}, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Runner{Config: &cfg, Registry: reg}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	kept, _ := filepath.Glob(filepath.Join(cfg.Output.Dir, "kept", "*"))
	n := 0
	for _, k := range kept {
		b, _ := os.ReadFile(k)
		for _, line := range splitLines(b) {
			var d struct {
				Metadata struct{ Types string } `json:"metadata"`
			}
			if err := json.Unmarshal(line, &d); err != nil {
				t.Fatal(err)
			}
			if d.Metadata.Types != "float64 int" {
				t.Errorf("after the spool the step saw %q, want float64 int", d.Metadata.Types)
			}
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d kept, want 2", n)
	}
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] != '\n' {
			i++
		}
		if i > 0 {
			out = append(out, b[:i])
		}
		if i < len(b) {
			i++
		}
		b = b[i:]
	}
	return out
}
