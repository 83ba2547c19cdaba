package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/saring/saring/formats"
	"github.com/saring/saring/internal/testenv"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/report"
	"github.com/saring/saring/tokenize"
)

// need fails the test under CI=true and skips it otherwise: CI must run
// what a bare checkout may lack.
func need(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// tokenizerFile is models/tokenizers/NAME.json of the repository.
func tokenizerFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(testenv.RepoRoot(t), "models", "tokenizers", name+".json")
	if _, err := os.Stat(p); err != nil {
		need(t, "%s not found: run scripts/get-tokenizers.sh", p)
	}
	return p
}

// numpyPython is a python3 that imports numpy: Debian's (python3-numpy)
// first, then the one on PATH.
func numpyPython(t *testing.T) string {
	t.Helper()
	var tried []string
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(p)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import numpy").Run() == nil {
			return path
		}
		tried = append(tried, path)
	}
	need(t, "no python3 with numpy (tried %v): apt-get install python3-numpy (scripts/setup.sh test)", tried)
	return ""
}

type pyShard struct {
	Name  string    `json:"name"`
	Dtype string    `json:"dtype"`
	Docs  [][]int64 `json:"docs"`
}

// readWithPython reads the tokenized shards under dir with
// testdata/tokenized/read_tokens.py.
func readWithPython(t *testing.T, py, format, dir string) []pyShard {
	t.Helper()
	cmd := exec.Command(py, filepath.Join("testdata", "tokenized", "read_tokens.py"), format, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("read_tokens.py %s %s: %v\n%s", format, dir, err, stderr.Bytes())
	}
	var r struct{ Files []pyShard }
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	sort.Slice(r.Files, func(i, j int) bool { return r.Files[i].Name < r.Files[j].Name })
	return r.Files
}

// keptTexts are the texts of a JSONL run's kept documents, in file order.
func keptTexts(t *testing.T, dir string) []string {
	t.Helper()
	files, err := outdir.Dir{Root: dir}.Files(outdir.Kept)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, f := range files {
		r, err := formats.Open(f, formats.ReadOptions{Format: "jsonl", TextKey: "text", IDKey: "id", TextMode: "file"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for {
			d, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, d.Text)
		}
		r.Close()
	}
	return texts
}

// tokenInputs adds documents in several scripts to writeInputs' corpus, so
// ids above 32,767 and 65,535 occur.
func tokenInputs(t *testing.T) string {
	dir := writeInputs(t)
	var b strings.Builder
	texts := []string{
		"Pendidikan adalah senjata paling ampuh untuk mengubah dunia.",
		"日本語のテキストと漢字の混在した文書です。東京都渋谷区",
		"ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ และมีวรรณยุกต์",
		"Ελληνικά κείμενα με τόνους και 🚀 emoji 👩‍👩‍👧",
		"func main() {\n\tfmt.Println(\"hello, 世界\")\n}\n    indented    spaces      and 1234567890 digits",
		"Русский текст с ёлкой и https://example.org/path?q=1&r=2",
	}
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&b, "{\"id\":\"s%d\",\"text\":%q}\n", i, fmt.Sprintf("%s %d", texts[i%len(texts)], i))
	}
	os.WriteFile(filepath.Join(dir, "d.jsonl"), []byte(b.String()), 0o644)
	return dir
}

func tokenConfig(in, format, tok string, tasks int) (*Config, *Runner) {
	reg := testRegistry()
	cfg := Defaults()
	cfg.Input.Paths = []string{in}
	cfg.Output.Format = format
	cfg.Output.Tokenizer = tok
	cfg.Output.ShardDocs = 0
	cfg.Steps, _ = StepsFromNames([]string{"upper", "minlen"}, reg)
	return &cfg, &Runner{Config: &cfg, Registry: reg, Version: "test", Tasks: tasks}
}

func run(t *testing.T, cfg *Config, r *Runner) string {
	t.Helper()
	cfg.Output.Dir = t.TempDir()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return cfg.Output.Dir
}

// A tokenized run read back by an independent Python reader (standard
// library and numpy, written from Megatron's and datatrove's readers) gives
// the tokenizer's ids of every kept document, in order, each followed by
// the tokenizer's end-of-text token, at the width each format's reference
// picks from the vocabulary size; 1 and 3 tasks write the same bytes.
func TestTokenizedOutputReadByPython(t *testing.T) {
	py := numpyPython(t)
	in := tokenInputs(t)
	cfg, r := tokenConfig(in, "jsonl", "", 1)
	texts := keptTexts(t, run(t, cfg, r))
	if len(texts) < 500 {
		t.Fatalf("%d kept documents", len(texts))
	}
	for _, tc := range []struct {
		format, tokenizer, dtype string
		eos                      int64 // the end-of-text id the model card gives
	}{
		{formats.Megatron, "mistral", "uint16", 2},                 // 32,000 ids: under Megatron's 65,500
		{formats.Megatron, "llama3", "int32", 128001},              // <|end_of_text|>
		{formats.DatatroveTokens, "mistral", "uint16", 2},          //
		{formats.DatatroveTokens, "cl100k_base", "uint32", 100257}, // <|endoftext|>
	} {
		t.Run(tc.format+"/"+tc.tokenizer, func(t *testing.T) {
			path := tokenizerFile(t, tc.tokenizer)
			tok, err := tokenize.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			cfg, r := tokenConfig(in, tc.format, path, 1)
			cfg.Output.ShardTokens = 900 // several shards a unit
			dir := run(t, cfg, r)
			shards := readWithPython(t, py, tc.format, filepath.Join(dir, outdir.Kept))
			var got [][]int64
			perUnit := map[string]int{}
			for _, s := range shards {
				if s.Dtype != tc.dtype {
					t.Fatalf("%s: dtype %s, want %s", s.Name, s.Dtype, tc.dtype)
				}
				got = append(got, s.Docs...)
				perUnit[s.Name[:len("part-01-000000")]]++
			}
			if len(got) != len(texts) {
				t.Fatalf("%d documents read back, %d kept", len(got), len(texts))
			}
			for i, text := range texts {
				want := tok.Encode(text)
				ids := got[i]
				if len(ids) != len(want)+1 || ids[len(ids)-1] != tc.eos {
					t.Fatalf("document %d: %d ids ending %v, want %d ids and the end-of-text token %d", i, len(ids), ids[max(0, len(ids)-2):], len(want)+1, tc.eos)
				}
				for k, id := range want {
					if ids[k] != int64(id) {
						t.Fatalf("document %d: id %d is %d, the tokenizer gives %d", i, k, ids[k], id)
					}
				}
			}
			if perUnit["part-00-000000"] < 2 {
				t.Errorf("shard_tokens did not divide the first unit: %v", perUnit)
			}

			cfg3, r3 := tokenConfig(in, tc.format, path, 3)
			cfg3.Output.ShardTokens = 900
			dir3 := run(t, cfg3, r3)
			if a, b := outputFiles(t, dir), outputFiles(t, dir3); !reflect.DeepEqual(a, b) {
				t.Errorf("3 tasks wrote other files than 1 (%d vs %d files)", len(b), len(a))
			}
			// Several workers share one tokenizer.
			cfgW, rW := tokenConfig(in, tc.format, path, 1)
			cfgW.Output.ShardTokens = 900
			cfgW.Workers = 4
			dirW := run(t, cfgW, rW)
			if a, b := outputFiles(t, dir), outputFiles(t, dirW); !reflect.DeepEqual(a, b) {
				t.Errorf("4 workers wrote other files than 1 (%d vs %d files)", len(b), len(a))
			}
			// Removed documents stay readable text.
			if rm, _ := (outdir.Dir{Root: dir}).Files(outdir.Removed); len(rm) == 0 || !strings.HasSuffix(rm[0], ".jsonl.zst") {
				t.Errorf("removed/: %v", rm)
			}
		})
	}
}

// Shuffling reorders the documents within each shard by the seed, the same
// way for any task count; the documents are the same.
func TestTokenizedShuffle(t *testing.T) {
	py := numpyPython(t)
	path := tokenizerFile(t, "mistral")
	in := tokenInputs(t)
	read := func(shuffle bool, seed uint64, tasks int) ([]pyShard, string) {
		cfg, r := tokenConfig(in, formats.Megatron, path, tasks)
		cfg.Output.Shuffle, cfg.Output.Seed = shuffle, seed
		dir := run(t, cfg, r)
		return readWithPython(t, py, formats.Megatron, filepath.Join(dir, outdir.Kept)), dir
	}
	plain, _ := read(false, 0, 1)
	s7, dir7 := read(true, 7, 1)
	s7b, dir7b := read(true, 7, 3)
	s8, _ := read(true, 8, 1)
	if !reflect.DeepEqual(s7, s7b) || !reflect.DeepEqual(outputFiles(t, dir7), outputFiles(t, dir7b)) {
		t.Fatal("seed 7: 1 and 3 tasks differ")
	}
	sameOrder := func(a, b []pyShard) bool { return reflect.DeepEqual(a, b) }
	if sameOrder(plain, s7) || sameOrder(s7, s8) {
		t.Fatal("shuffling did not change the order")
	}
	for i := range plain {
		if !sameMultiset(plain[i].Docs, s7[i].Docs) || !sameMultiset(plain[i].Docs, s8[i].Docs) {
			t.Fatalf("%s: shuffling changed the documents", plain[i].Name)
		}
	}
}

func sameMultiset(a, b [][]int64) bool {
	key := func(d [][]int64) []string {
		var ks []string
		for _, x := range d {
			ks = append(ks, fmt.Sprint(x))
		}
		sort.Strings(ks)
		return ks
	}
	return reflect.DeepEqual(key(a), key(b))
}

// eos_token: none writes the ids alone; a named token is used as given.
func TestTokenizedEOSOption(t *testing.T) {
	path := tokenizerFile(t, "cl100k_base")
	tok, err := tokenize.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	in := tokenInputs(t)
	cfg, r := tokenConfig(in, "jsonl", "", 1)
	texts := keptTexts(t, run(t, cfg, r))
	for _, tc := range []struct {
		eos  string
		want int64 // -1: none
	}{{"none", -1}, {"<|endofprompt|>", 100276}} {
		cfg, r := tokenConfig(in, formats.DatatroveTokens, path, 1)
		cfg.Output.EOS = tc.eos
		dir := run(t, cfg, r)
		files, _ := outdir.Dir{Root: dir}.AllFiles(outdir.Kept)
		var docs [][]int64
		for _, f := range files {
			if !strings.HasSuffix(f, ".ds") {
				continue
			}
			ds, _ := os.ReadFile(f)
			ib, _ := os.ReadFile(f + ".index")
			ends, err := formats.ReadDatatroveIndex(ib)
			if err != nil {
				t.Fatal(err)
			}
			d, err := formats.DatatroveDocuments(ds, 4, ends)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d...)
		}
		if len(docs) != len(texts) {
			t.Fatalf("eos %s: %d documents, want %d", tc.eos, len(docs), len(texts))
		}
		for i, text := range texts {
			n := len(tok.Encode(text))
			if tc.want < 0 && len(docs[i]) != n || tc.want >= 0 && (len(docs[i]) != n+1 || docs[i][n] != tc.want) {
				t.Fatalf("eos %s: document %d: %d ids (text %d), last %d", tc.eos, i, len(docs[i]), n, docs[i][len(docs[i])-1])
			}
		}
	}
	cfg, _ = tokenConfig(in, formats.Megatron, path, 1)
	cfg.Output.EOS = "<|no such token|>"
	cfg.Output.Dir = t.TempDir()
	if _, err := (&Runner{Config: cfg, Registry: testRegistry()}).Run(context.Background()); err == nil || !strings.Contains(err.Error(), "eos_token") {
		t.Errorf("an unknown eos_token: %v", err)
	}
}

// A tokenized format without a tokenizer, and options that apply only to
// tokenized formats, are refused with the key named.
func TestTokenizedConfigErrors(t *testing.T) {
	reg := testRegistry()
	for _, tc := range []struct{ yaml, want string }{
		{"output: {format: megatron}\nsteps: [upper]\n", "output.tokenizer: required by format megatron"},
		{"output: {format: datatrove_tokens, tokenizer: /no/such/tokenizer.json}\nsteps: [upper]\n", "output.tokenizer: tokenizer file /no/such/tokenizer.json not found"},
		{"output: {format: jsonl, shuffle: true}\nsteps: [upper]\n", "output.shuffle: applies to the tokenized formats"},
		{"output: {format: jsonl, partition_by: ../x}\nsteps: [upper]\n", "output.partition_by:"},
		{"output: {format: megatron, tokenizer: x.json, shard_tokens: -1}\nsteps: [upper]\n", "output.shard_tokens: must be >= 0"},
		{"output: {format: megatronn}\nsteps: [upper]\n", "megatron, datatrove_tokens"},
	} {
		_, err := Parse("p.yaml", []byte(tc.yaml), reg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.yaml, err, tc.want)
		}
	}
}

// partitionInputs are documents whose metadata.language is a plain code, a
// value that must be escaped, absent, null or empty.
func partitionInputs(t *testing.T) string {
	dir := t.TempDir()
	langs := []string{`"ind_Latn"`, `"eng_Latn"`, `"a/b c"`, ``, `null`, `""`, `"ind_Latn"`, `"__none__"`, `3`}
	for f := 0; f < 4; f++ {
		var b strings.Builder
		for i := 0; i < 150; i++ {
			l := langs[(i+f)%len(langs)]
			meta := ""
			if l != "" {
				meta = `,"metadata":{"language":` + l + `}`
			}
			fmt.Fprintf(&b, "{\"id\":\"f%d-%d\",\"text\":\"document %d of file %d in its language\"%s}\n", f, i, i, f, meta)
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%d.jsonl", f)), []byte(b.String()), 0o644)
	}
	return dir
}

// partition_by writes kept/KEY=VALUE/ directories holding, in input order,
// the documents of each value, for any task count; outdir lists them for
// the report and viewer.
func TestPartitionBy(t *testing.T) {
	in := partitionInputs(t)
	reg := testRegistry()
	mk := func(partition string, tasks int) (*Config, *Runner) {
		cfg := Defaults()
		cfg.Input.Paths = []string{in}
		cfg.Output.Format = "jsonl"
		cfg.Output.ShardDocs = 40
		cfg.Output.PartitionBy = partition
		cfg.Steps, _ = StepsFromNames([]string{"upper"}, reg)
		return &cfg, &Runner{Config: &cfg, Registry: reg, Version: "test", Tasks: tasks}
	}
	cfg, r := mk("", 1)
	whole := keptTexts(t, run(t, cfg, r))
	cfg, r = mk("language", 1)
	dir := run(t, cfg, r)
	cfg3, r3 := mk("language", 3)
	dir3 := run(t, cfg3, r3)
	if a, b := outputFiles(t, dir), outputFiles(t, dir3); !reflect.DeepEqual(a, b) {
		t.Fatalf("3 tasks wrote other files than 1 (%d vs %d)", len(b), len(a))
	}
	d := outdir.Dir{Root: dir}
	parts, err := d.PartitionDirs(outdir.Kept)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range parts {
		names = append(names, filepath.Base(p))
	}
	want := []string{"language=%5F_none__", "language=3", "language=__none__", "language=a%2Fb%20c", "language=eng_Latn", "language=ind_Latn"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("partitions %v, want %v", names, want)
	}
	// Each partition holds its documents in input order; together, all.
	byLang := map[string][]string{}
	for _, f := range readJSONL(t, dir, "") {
		byLang[f.lang] = append(byLang[f.lang], f.text)
	}
	var all []string
	for _, p := range parts {
		docs := readJSONL(t, dir, filepath.Base(p))
		var texts []string
		for _, x := range docs {
			texts = append(texts, x.text)
			if got := outdir.PartitionDir("language", x.langValue, x.hasLang); got != filepath.Base(p) {
				t.Fatalf("a document of %s in %s", got, p)
			}
		}
		all = append(all, texts...)
		if !isSubsequence(texts, whole) {
			t.Fatalf("%s: documents out of input order", p)
		}
	}
	if len(all) != len(whole) || !sameMultisetStrings(all, whole) {
		t.Fatalf("partitions hold %d documents, the undivided run %d", len(all), len(whole))
	}
	outs, err := report.ListOutputs(dir)
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for _, o := range outs {
		if o.Set == report.Kept {
			kept++
			if !strings.HasPrefix(o.Rel, "kept/language=") {
				t.Errorf("listed %s", o.Rel)
			}
		}
	}
	if kept < len(want) {
		t.Errorf("the report lists %d kept files", kept)
	}

	// A unit redone after a crash leaves no stale shard in any partition.
	os.Remove(d.Done())
	os.Remove(d.TaskMarker(0, 0))
	os.Remove(d.UnitMarker(0, 1))
	stale := filepath.Join(dir, "kept", "language=eng_Latn", outdir.ShardPrefix(0, 1)+"-00000.jsonl")
	os.WriteFile(outdir.TempName(stale), []byte("partial"), 0o644)
	os.MkdirAll(filepath.Join(dir, "kept", "language=zzz"), 0o755)
	os.WriteFile(filepath.Join(dir, "kept", "language=zzz", outdir.ShardPrefix(0, 1)+"-00000.jsonl"), []byte("{\"id\":\"stale\"}\n"), 0o644)
	if _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := outputFiles(t, dir)
	for name := range got {
		if strings.Contains(name, "language=zzz/part") || strings.HasSuffix(name, ".tmp") {
			t.Errorf("stale file %s outlived the redone unit", name)
		}
	}
	for name, b := range outputFiles(t, dir3) {
		if !bytes.Equal(got[name], b) {
			t.Errorf("after redoing a unit, %s differs", name)
		}
	}
}

// Partitions apply to tokenized formats too.
func TestPartitionByTokenized(t *testing.T) {
	py := numpyPython(t)
	path := tokenizerFile(t, "mistral")
	in := partitionInputs(t)
	cfg, r := tokenConfig(in, formats.Megatron, path, 2)
	cfg.Output.PartitionBy = "language"
	dir := run(t, cfg, r)
	shards := readWithPython(t, py, formats.Megatron, filepath.Join(dir, outdir.Kept))
	seen := map[string]int{}
	for _, s := range shards {
		seen[filepath.Dir(s.Name)] += len(s.Docs)
	}
	if seen["language=ind_Latn"] == 0 || seen["language=__none__"] == 0 || len(seen) != 6 {
		t.Fatalf("partitions read back: %v", seen)
	}
	total := 0
	for _, n := range seen {
		total += n
	}
	if total != 600 {
		t.Fatalf("%d documents read back, 600 kept", total)
	}
	// The viewer lists document files only: no token shard.
	if outs, _ := report.ListOutputs(dir); len(outs) != 0 {
		for _, o := range outs {
			if o.Set == report.Kept {
				t.Errorf("listed a token shard: %s", o.Rel)
			}
		}
	}
}

type keptDoc struct {
	text      string
	lang      string
	langValue any
	hasLang   bool
}

// readJSONL reads the kept documents of one partition ("" for every file).
func readJSONL(t *testing.T, dir, partition string) []keptDoc {
	t.Helper()
	files, _ := outdir.Dir{Root: dir}.Files(outdir.Kept)
	var out []keptDoc
	for _, f := range files {
		if partition != "" && filepath.Base(filepath.Dir(f)) != partition {
			continue
		}
		r, err := formats.Open(f, formats.ReadOptions{Format: "jsonl", TextKey: "text", IDKey: "id", TextMode: "file"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for {
			d, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			v, ok := d.Meta("language")
			out = append(out, keptDoc{text: d.Text, lang: fmt.Sprint(v), langValue: v, hasLang: ok})
		}
		r.Close()
	}
	return out
}

func isSubsequence(sub, of []string) bool {
	i := 0
	for _, s := range of {
		if i < len(sub) && sub[i] == s {
			i++
		}
	}
	return i == len(sub)
}

func sameMultisetStrings(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return reflect.DeepEqual(a, b)
}

// A tokenized unit redone after a crash replaces what the attempt left:
// a damaged shard under its final name, temporary and unshuffled files.
func TestTokenizedRedoneUnit(t *testing.T) {
	path := tokenizerFile(t, "mistral")
	in := tokenInputs(t)
	cfg, r := tokenConfig(in, formats.DatatroveTokens, path, 1)
	cfg.Output.Shuffle, cfg.Output.Seed, cfg.Output.ShardTokens = true, 3, 900
	dir := run(t, cfg, r)
	want := outputFiles(t, dir)
	d := outdir.Dir{Root: dir}
	os.Remove(d.Done())
	os.Remove(d.TaskMarker(0, 0))
	os.Remove(d.UnitMarker(0, 0))
	base := filepath.Join(dir, outdir.Kept, outdir.ShardPrefix(0, 0))
	os.WriteFile(base+"-00000.ds", []byte("damaged"), 0o644)
	os.Remove(base + "-00001.ds.metadata")
	// An attempt that got one shard further (a different shard_tokens).
	n := 0
	for name := range want {
		if strings.HasPrefix(name, "kept/"+outdir.ShardPrefix(0, 0)) && strings.HasSuffix(name, ".ds") {
			n++
		}
	}
	next := fmt.Sprintf("%s-%05d", base, n)
	os.WriteFile(next+".ds", []byte("stale"), 0o644)
	os.WriteFile(formats.UnshuffledTempName(next+".ds"), []byte("partial"), 0o644)
	os.WriteFile(outdir.TempName(next+".ds.index"), []byte("partial"), 0o644)
	if _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := outputFiles(t, dir)
	if !reflect.DeepEqual(got, want) {
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("left behind: %s", name)
			}
		}
		t.Fatal("the redone unit differs from the first run")
	}
}
