package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/saring/saring/decontam"
	"github.com/saring/saring/internal/steps"
	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/outdir"
)

// runIn runs the binary in dir.
func runIn(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(saringBin, args...)
	cmd.Dir = dir
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// A pipeline file names its input, output, model, patterns file and
// benchmark relative to its own directory; check, run (in one process and
// as task processes) and explain find them from another working directory,
// while paths on the command line stay relative to the working directory.
func TestPipelineFileFromAnotherDirectory(t *testing.T) {
	model := testenv.LIDModel(t)
	root := t.TempDir()
	conf := filepath.Join(root, "conf")
	elsewhere := filepath.Join(root, "elsewhere")
	for _, d := range []string{"data", "models", "lists", "bench"} {
		os.MkdirAll(filepath.Join(conf, d), 0o755)
	}
	os.MkdirAll(elsewhere, 0o755)
	news, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "examples", "news.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(conf, "data", "news.jsonl"), news, 0o644)
	abs, _ := filepath.Abs(model)
	if err := os.Symlink(abs, filepath.Join(conf, "models", "lid.ftz")); err != nil {
		t.Fatal(err)
	}
	// A line of one article as boilerplate, a passage of another as a benchmark.
	os.WriteFile(filepath.Join(conf, "lists", "patterns.txt"), []byte("gubernur bank indonesia mengatakan .*\n"), 0o644)
	os.WriteFile(filepath.Join(conf, "bench", "passages.txt"),
		[]byte("Kerajaan negeri akan membina tiga buah sekolah baharu di kawasan luar bandar bagi menampung pertambahan bilangan murid\n"), 0o644)
	pipe := filepath.Join(conf, "p.yaml")
	os.WriteFile(pipe, []byte(`input:
  paths: [data/news.jsonl]
output:
  dir: out
  format: jsonl
steps:
  - language:
      model: models/lid.ftz
      label_only: true
  - boilerplate:
      patterns_file: lists/patterns.txt
      builtin: false
      nav_rows: false
  - decontaminate:
      benchmarks: [bench/passages.txt]
`), 0o644)
	rel := filepath.Join("..", "conf", "p.yaml")

	if out, e, code := runIn(t, elsewhere, "check", rel); code != 0 || out != rel+": ok\n" {
		t.Fatalf("check: exit %d\n%s%s", code, out, e)
	}
	check := func(out string) {
		t.Helper()
		st, err := outdir.Dir{Root: out}.LoadStats()
		if err != nil {
			t.Fatal(err)
		}
		if st.Totals.Read != 8 || len(st.Steps) != 3 {
			t.Fatalf("%s: read %d, %d steps", out, st.Totals.Read, len(st.Steps))
		}
		if lang := st.Languages; lang["id"] == 0 || lang["en"] == 0 {
			t.Errorf("%s: languages %v: the model was not used", out, lang)
		}
		if s := st.Steps[1]; s.Rewritten != 2 {
			t.Errorf("%s: boilerplate rewrote %d documents, want 2 (the two holding the patterns file's line)", out, s.Rewritten)
		}
		if s := st.Steps[2]; s.ByReason[decontam.Reason] != 1 {
			t.Errorf("%s: decontaminate removed %v, want 1 (the benchmark's passage)", out, s.ByReason)
		}
	}
	if _, e, code := runIn(t, elsewhere, "run", "-q", rel); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, e)
	}
	check(filepath.Join(conf, "out"))

	// -o on the command line is relative to the working directory; the
	// task processes load the plan's pipeline file, which lives elsewhere.
	if _, e, code := runIn(t, elsewhere, "run", "-q", rel, "-o", "out2", "--tasks", "2", "--parallel", "2"); code != 0 {
		t.Fatalf("run --parallel: exit %d\n%s", code, e)
	}
	check(filepath.Join(elsewhere, "out2"))
	if _, err := os.Stat(filepath.Join(conf, "out2")); err == nil {
		t.Error("-o out2 was taken relative to the pipeline file")
	}

	out, e, code := runIn(t, elsewhere, "explain", "--pipeline", rel, "--json", "-i", filepath.Join("..", "conf", "data", "news.jsonl"), "--id", "semenanjung-2024-sekolah")
	if code != 0 || !strings.Contains(out, `"removed_by":"decontaminate"`) {
		t.Errorf("explain: exit %d\n%s%s", code, out, e)
	}
}

// Every step option that names a file carries path:"file" (or
// path:"file_or_name"), so that a pipeline file's relative paths reach it
// resolved; an option is taken to name a file by its key: model, path,
// tokenizer, or ending in _file or _dir.
func TestPathOptionsTagged(t *testing.T) {
	reg := steps.All()
	var untagged []string
	for _, name := range reg.Names() {
		spec, _ := reg.Lookup(name)
		if spec.Options == nil {
			continue
		}
		walkOptions(reflect.TypeOf(spec.Options()), name, func(key string, f reflect.StructField) {
			tag := f.Tag.Get("path")
			base := key[strings.LastIndexByte(key, '.')+1:]
			looks := base == "model" || base == "path" || base == "tokenizer" || strings.HasSuffix(base, "_file") || strings.HasSuffix(base, "_dir")
			isString := f.Type.Kind() == reflect.String || (f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String)
			switch {
			case tag != "" && tag != "file" && tag != "file_or_name":
				t.Errorf("%s: path tag %q, want file or file_or_name", key, tag)
			case tag != "" && !isString:
				t.Errorf("%s: path tag on a %s", key, f.Type)
			case tag == "" && looks && isString:
				untagged = append(untagged, key)
			}
		})
	}
	sort.Strings(untagged)
	if len(untagged) > 0 {
		t.Errorf("options that name files without a path tag: %s", strings.Join(untagged, ", "))
	}
}

// walkOptions calls fn for every field of an options struct, of the
// structs it holds and of the elements of its lists of structs.
func walkOptions(t reflect.Type, prefix string, fn func(key string, f reflect.StructField)) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || key == "-" {
			continue
		}
		if key == "" {
			key = strings.ToLower(f.Name)
		}
		fn(prefix+"."+key, f)
		walkOptions(f.Type, prefix+"."+key, fn)
	}
}
