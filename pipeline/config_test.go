package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Each testdata/*.bad.yaml names its expected error in a first-line
// comment "# error: ..."; each *.good.yaml must load.
func TestConfigFixtures(t *testing.T) {
	reg := testRegistry()
	good, _ := filepath.Glob("testdata/*.good.yaml")
	bad, _ := filepath.Glob("testdata/*.bad.yaml")
	if len(good) == 0 || len(bad) == 0 {
		t.Fatal("no fixtures")
	}
	for _, p := range good {
		if _, err := LoadFile(p, reg); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range bad {
		t.Run(filepath.Base(p), func(t *testing.T) {
			src, _ := os.ReadFile(p)
			first, _, _ := strings.Cut(string(src), "\n")
			want, ok := strings.CutPrefix(first, "# error: ")
			if !ok {
				t.Fatalf("%s has no '# error:' line", p)
			}
			_, err := Parse(filepath.Base(p), src, reg)
			if err == nil {
				t.Fatalf("no error; want %s", want)
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("got  %v\nwant %s", err, want)
			}
		})
	}
}

func TestConfigDefaultsFilled(t *testing.T) {
	reg := testRegistry()
	cfg, err := LoadFile("testdata/full.good.yaml", reg)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Input.TextKey != "content" || cfg.Input.IDKey != "id" || cfg.Output.ShardBytes != 512<<20 || cfg.Memory != 2<<30 || cfg.Workers != 4 {
		t.Errorf("%+v", cfg)
	}
	if len(cfg.Steps) != 3 || cfg.Steps[1].Options.(*minLenOptions).MinChars != 20 || cfg.Steps[1].Options.(*minLenOptions).Reason != "too_short" {
		t.Errorf("steps %+v", cfg.Steps)
	}
	min, _ := LoadFile("testdata/minimal.good.yaml", reg)
	if min.Output.Format != "jsonl.zst" || min.Input.Format != "auto" || min.Steps[1].Options.(*minLenOptions).MinChars != 10 {
		t.Errorf("defaults not filled: %+v", min)
	}
}

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1024": 1024, "4GiB": 4 << 30, "512MiB": 512 << 20, "1.5G": 3 << 29, "2MB": 2e6, "64k": 64 << 10} {
		got, err := ParseByteSize(in)
		if err != nil || got != want {
			t.Errorf("%s: %d %v, want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "-1", "GiB"} {
		if _, err := ParseByteSize(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}
