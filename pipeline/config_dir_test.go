package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/saring/saring"
)

// wordsOptions name files the way real steps do: a tagged string, a list,
// a name-or-file, a list of structs with a tagged field, and an untagged
// string that only looks like a file name.
type wordsOptions struct {
	File      string     `yaml:"file" path:"file"`
	Files     []string   `yaml:"files" path:"file"`
	Tokenizer string     `yaml:"tokenizer" path:"file_or_name"`
	Lists     []wordList `yaml:"lists"`
	Label     string     `yaml:"label"`
}

type wordList struct {
	Name string `yaml:"name"`
	Path string `yaml:"path" path:"file"`
}

// wordsStep drops documents holding a word of its file, which it reads
// when built: a file it cannot find fails the build.
type wordsStep struct{ words []string }

func (wordsStep) Name() string { return "words" }
func (s wordsStep) Process(_ context.Context, d *saring.Document) (saring.Result, error) {
	for _, w := range s.words {
		if strings.Contains(d.Text, w) {
			return saring.Dropped("word", "holds %q", w), nil
		}
	}
	return saring.Kept(), nil
}

func dirRegistry() *saring.Registry {
	r := testRegistry()
	r.Register(saring.NewSpec("words", "drops documents holding a listed word",
		func() wordsOptions { return wordsOptions{} },
		func(o wordsOptions, _ saring.Env) (wordsStep, error) {
			b, err := os.ReadFile(o.File)
			if err != nil {
				return wordsStep{}, err
			}
			return wordsStep{words: strings.Fields(string(b))}, nil
		}))
	return r
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const dirPipeline = `input:
  paths: [data/a.jsonl, "@lists/paths.txt", "-", /abs/x.jsonl, s3://bucket/x.jsonl, https://example.com/x.warc.gz, "data/*.jsonl"]
output:
  dir: out
  format: megatron
  tokenizer: tok/tokenizer.json
steps:
  - words:
      file: words.txt
      files: [a.txt, /abs/b.txt, ../up.txt]
      tokenizer: llama3
      lists: [{name: one, path: lists/one.txt}, {name: two, path: /abs/two.txt}]
      label: words.txt
`

// Relative paths in a pipeline file are relative to its directory: joined
// to it whether that is given absolute or relative to the working
// directory; absolute paths, URLs, s3:// names, - and untagged options stay.
func TestPathsRelativeToFile(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"conf/p.yaml": dirPipeline, "conf/words.txt": "spam\n", "conf/tok/tokenizer.json": "{}"})
	t.Chdir(root)
	for _, file := range []string{filepath.Join(root, "conf", "p.yaml"), filepath.Join("conf", "p.yaml")} {
		dir := filepath.Dir(file)
		cfg, err := LoadFile(file, dirRegistry())
		if err != nil {
			t.Fatal(err)
		}
		j := func(p string) string { return filepath.Join(dir, p) }
		wantIn := []string{j("data/a.jsonl"), "@" + j("lists/paths.txt"), "-", "/abs/x.jsonl", "s3://bucket/x.jsonl", "https://example.com/x.warc.gz", j("data/*.jsonl")}
		if !slices.Equal(cfg.Input.Paths, wantIn) {
			t.Errorf("%s: input.paths\n got %q\nwant %q", file, cfg.Input.Paths, wantIn)
		}
		if cfg.Output.Dir != j("out") || cfg.Output.Tokenizer != j("tok/tokenizer.json") {
			t.Errorf("%s: output.dir %q, output.tokenizer %q", file, cfg.Output.Dir, cfg.Output.Tokenizer)
		}
		want := wordsOptions{File: j("words.txt"), Files: []string{j("a.txt"), "/abs/b.txt", filepath.Join(root, "up.txt")},
			Tokenizer: "llama3", Lists: []wordList{{"one", j("lists/one.txt")}, {"two", "/abs/two.txt"}}, Label: "words.txt"}
		if !filepath.IsAbs(dir) {
			want.Files[2] = "up.txt"
		}
		if got := *cfg.Steps[0].Options.(*wordsOptions); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: step options\n got %+v\nwant %+v", file, got, want)
		}
	}
}

// A name-or-file option is a file when it has a separator, ends in .json
// or names a file beside the pipeline; else it is a name to look up.
func TestPathsFileOrName(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"words.txt": "x", "mytok": "{}"})
	for _, c := range []struct{ in, want string }{
		{"llama3", "llama3"},
		{"mytok", filepath.Join(root, "mytok")},
		{"tok.json", filepath.Join(root, "tok.json")},
		{"models/llama3", filepath.Join(root, "models/llama3")},
		{"/abs/tok.json", "/abs/tok.json"},
		{"", ""},
	} {
		src := "steps:\n  - words:\n      file: words.txt\n      tokenizer: \"" + c.in + "\"\n"
		cfg, err := Parse(filepath.Join(root, "p.yaml"), []byte(src), dirRegistry())
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.Steps[0].Options.(*wordsOptions).Tokenizer; got != c.want {
			t.Errorf("tokenizer %q: got %q, want %q", c.in, got, c.want)
		}
	}
}

// A file in the working directory, and one that says
// paths_relative_to: working_directory, keep their paths as written.
func TestPathsLeftAsWritten(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"p.yaml":      "input:\n  paths: [./data/, a.jsonl]\noutput:\n  dir: out/\nsteps:\n  - words: {file: ./words.txt}\n",
		"conf/w.yaml": "paths_relative_to: working_directory\ninput:\n  paths: [./data/]\noutput:\n  dir: out/\nsteps:\n  - words: {file: ./words.txt}\n",
		"words.txt":   "x",
	})
	t.Chdir(root)
	for _, file := range []string{"p.yaml", "conf/w.yaml"} {
		cfg, err := LoadFile(file, dirRegistry())
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Input.Paths[0] != "./data/" || cfg.Output.Dir != "out/" || cfg.Steps[0].Options.(*wordsOptions).File != "./words.txt" {
			t.Errorf("%s: %q %q %q", file, cfg.Input.Paths, cfg.Output.Dir, cfg.Steps[0].Options.(*wordsOptions).File)
		}
	}
	_, err := Parse("bad.yaml", []byte("paths_relative_to: home\nsteps: [upper]\n"), dirRegistry())
	if err == nil || !strings.Contains(err.Error(), `bad.yaml:1:20: paths_relative_to: "home" is not one of file, working_directory`) {
		t.Errorf("bad paths_relative_to: %v", err)
	}
}

// The pipeline file a plan writes for its tasks loads back to the same
// paths from the same working directory, though it lives elsewhere: the
// tasks' configuration, and so the plan's fingerprint, is the planner's.
func TestPlanPipelineFileKeepsPaths(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"conf/p.yaml": dirPipeline, "conf/words.txt": "spam\n", "conf/tok/tokenizer.json": "{}"})
	t.Chdir(root)
	reg := dirRegistry()
	cfg, err := LoadFile("conf/p.yaml", reg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := MarshalPipelineFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, root, map[string]string{"conf/out/.saring/pipeline.yaml": string(b)})
	back, err := LoadFile("conf/out/.saring/pipeline.yaml", reg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Input.Paths, cfg.Input.Paths) || back.Output != cfg.Output || !reflect.DeepEqual(back.Steps[0].Options, cfg.Steps[0].Options) {
		t.Errorf("loaded back:\n%+v\n%+v\nwant\n%+v\n%+v", back.Input, back.Steps[0].Options, cfg.Input, cfg.Steps[0].Options)
	}
	if fingerprint(back, nil, 2) != fingerprint(cfg, nil, 2) {
		t.Error("the tasks' configuration has another fingerprint than the planner's")
	}
}

// A pipeline whose file sits elsewhere runs from any working directory:
// its input, output and the word list its step reads at build are found.
func TestRunFromAnotherDirectory(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"conf/p.yaml":          "input:\n  paths: [data/in.jsonl]\noutput:\n  dir: out\n  format: jsonl\nsteps:\n  - words: {file: lists/words.txt}\n",
		"conf/lists/words.txt": "spam\n",
		"conf/data/in.jsonl":   `{"id":"a","text":"all good here"}` + "\n" + `{"id":"b","text":"buy spam now"}` + "\n",
		"elsewhere/.keep":      "",
	})
	t.Chdir(filepath.Join(root, "elsewhere"))
	reg := dirRegistry()
	cfg, err := LoadFile(filepath.Join("..", "conf", "p.yaml"), reg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := (&Runner{Config: cfg, Registry: reg, Version: "test"}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Totals.Kept != 1 || st.Totals.Removed != 1 {
		t.Errorf("kept %d, removed %d; want 1 and 1", st.Totals.Kept, st.Totals.Removed)
	}
	if _, err := os.Stat(filepath.Join(root, "conf", "out", "stats.json")); err != nil {
		t.Errorf("output not beside the pipeline file: %v", err)
	}
}

// One Validate serves a file and flags: the errors name the key, and
// without a file no position.
func TestValidate(t *testing.T) {
	c := Defaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	c.Output.Format, c.Input.TextMode, c.Workers = "csv", "page", -2
	err := c.Validate()
	for _, want := range []string{`output.format: "csv" is not one of`, "input.text_mode: must be file or line", "workers: must be >= 0"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %s", err, want)
		}
	}
	if err != nil && strings.HasPrefix(err.Error(), ":") {
		t.Errorf("an error without a file begins with its key: %v", err)
	}
}

func TestByteSizeString(t *testing.T) {
	for n, want := range map[ByteSize]string{0: "0", 4 << 30: "4GiB", 512 << 20: "512MiB", 1536: "1536", 3 << 10: "3KiB", 1 << 40: "1TiB", 1000: "1000"} {
		if got := n.String(); got != want {
			t.Errorf("%d: %s, want %s", n, got, want)
		}
		if back, err := ParseByteSize(n.String()); err != nil || ByteSize(back) != n {
			t.Errorf("%d: read back %d %v", n, back, err)
		}
	}
}
