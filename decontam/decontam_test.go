package decontam

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/testenv"
)

func normWords(text string) []string {
	var w words
	w.split(text, false)
	out := []string{}
	for i := 0; i < w.count(); i++ {
		out = append(out, string(w.ngram(i, 1)))
	}
	return out
}

func TestNormalize(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Hello, World!", "hello world"},
		{"  DON'T  stop\n\tnow ", "dont stop now"},
		{"Café naïve Ångström", "cafe naive angstrom"},
		{"ﬁne ＦＵＬＬ width", "fine full width"},
		{"1,000.50 dollars in 2024", "0 dollars in 0"},
		{"a — b -- c ...", "a b c"},
		{"well-known e.g. U.S.A.", "wellknown eg usa"},
		{"x\u00a0y\u3000z\u2003w", "x y z w"},
		{"soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"},
		{"Ελληνικά Русский ÇAĞ", "ελληνικα русскии cag"},
		{"١٢٣ arabic digits", "0 arabic digits"},
		{"", ""},
		{"!!! ??? ...", ""},
	} {
		got := strings.Join(normWords(tt.in), " ")
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// sentences are real English sentences, the shared labelled set.
func sentences(t testing.TB) []string {
	return testenv.ReadLines(t, testenv.SharedFile(t, "data", "lingua-sentences", "en.txt"))
}

// benchFixture writes a JSONL benchmark of question/answer records from
// sentences [0, 2n) and returns its path.
func benchFixture(t *testing.T, ss []string, n int) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		line, _ := json.Marshal(map[string]any{"question": ss[2*i], "answer": ss[2*i+1], "idx": i})
		b.Write(line)
		b.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "qa.test.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func newStep(t *testing.T, o Options) *Decontaminate {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// longPassage returns the first benchmark sentence with at least n words.
func longSentence(t *testing.T, ss []string, limit, n int) (int, string) {
	for i := 0; i < limit; i++ {
		if len(strings.Fields(ss[i])) >= n {
			return i, ss[i]
		}
	}
	t.Fatalf("no sentence of %d words", n)
	return 0, ""
}

func TestPlantedPassages(t *testing.T) {
	ss := sentences(t)
	path := benchFixture(t, ss, 50)
	s := newStep(t, Options{Benchmarks: []Benchmark{{Path: path, Fields: []string{"question", "answer"}}}, NGram: 13, Action: "drop", MinMatches: 1})
	if got := s.Index().Benchmarks(); len(got) != 1 || got[0] != "qa" {
		t.Fatalf("benchmarks %v", got)
	}
	clean := strings.Join(ss[200:230], " ")
	_, long := longSentence(t, ss, 100, 24)
	lw := strings.Fields(long)
	// The answer's start after the question's end: an n-gram across fields.
	qi := 0
	for qi < 50 && len(strings.Fields(ss[2*qi])) < 8 {
		qi++
	}
	qw, aw := strings.Fields(ss[2*qi]), strings.Fields(ss[2*qi+1])
	if len(aw) < 6 {
		t.Skip("fixture sentences too short")
	}
	across := strings.Join(append(append([]string{}, qw[len(qw)-7:]...), aw[:6]...), " ")

	repunct := strings.NewReplacer(",", ";", " ", " \u2014 ", ".", "!").Replace(long)
	found := map[string]string{
		"exact":         clean + " " + long + " " + clean,
		"recased":       clean + " " + strings.ToUpper(long) + " " + clean,
		"repunctuated":  clean + " \"" + repunct + "\" " + clean,
		"respaced":      clean + "\n\n" + strings.Join(lw, "\n  \t") + "\n" + clean,
		"cut middle":    clean + " " + strings.Join(lw[5:5+13], " ") + " " + clean,
		"across fields": clean + " " + across + " " + clean,
		"diacritics":    clean + " " + strings.NewReplacer("e", "é", "a", "à").Replace(long) + " " + clean,
	}
	changed := append([]string{}, lw[:13]...)
	changed[6] = "zzyzx"
	notFound := map[string]string{
		"clean":               clean,
		"12 of 13 words":      clean + " " + strings.Join(lw[:12], " ") + " " + clean,
		"one word changed":    clean + " " + strings.Join(changed, " ") + " " + clean,
		"two halves apart":    strings.Join(lw[:7], " ") + " " + clean + " " + strings.Join(lw[7:13], " "),
		"word merged by dash": clean + " " + strings.Join(lw[:6], " ") + "-" + strings.Join(lw[6:13], " ") + " " + clean,
	}
	for name, text := range found {
		f := s.Find(text)
		if f.Matches == 0 || f.First != "qa" || f.ByBenchmark["qa"] != f.Matches {
			t.Errorf("%s: not found (%+v)", name, f)
			continue
		}
		doc := &saring.Document{ID: name, Text: text}
		res, err := s.Process(context.Background(), doc)
		if err != nil || res.Outcome != saring.Drop || res.Reason != Reason {
			t.Errorf("%s: %+v %v", name, res, err)
		}
		m := doc.Metadata[MetaKey].(map[string]any)
		if m["benchmark"] != "qa" || len(strings.Fields(m["ngram"].(string))) != 13 {
			t.Errorf("%s: metadata %v", name, m)
		}
		if len(doc.Measures) != 1 || doc.Measures[0].Name != "hits:qa" || doc.Measures[0].Value != float64(f.Matches) {
			t.Errorf("%s: measures %+v", name, doc.Measures)
		}
	}
	for name, text := range notFound {
		if f := s.Find(text); f.Matches != 0 {
			t.Errorf("%s: found %d n-grams, first %q", name, f.Matches, f.NGram)
		}
	}
	// Every sentence not in the benchmark: no match at all.
	for i := 100; i+1 < len(ss); i++ {
		if f := s.Find(ss[i] + " " + ss[i+1]); f.Matches != 0 {
			t.Errorf("clean sentence %d matched %q", i, f.NGram)
		}
	}
}

func TestExactMatchCounts(t *testing.T) {
	x := NewIndex(3)
	x.StartBenchmark("a")
	x.AddPassage("one two three four")
	x.AddPassage("one two")           // short
	x.AddPassage("Two, three; FOUR!") // the same 3-gram again
	x.StartBenchmark("b")
	x.AddPassage("two three four five")
	if x.Len() != 3 || x.NGrams["a"] != 2 || x.NGrams["b"] != 1 || x.Short["a"] != 1 || x.Passages["a"] != 3 {
		t.Fatalf("len %d ngrams %v short %v passages %v", x.Len(), x.NGrams, x.Short, x.Passages)
	}
	s := NewWith(Options{NGram: 3, Action: "drop", MinMatches: 1}, x)
	f := s.Find("zero one two three four five six")
	// one two three (a) / two three four (a, b) / three four five (b)
	if f.Matches != 3 || f.ByBenchmark["a"] != 2 || f.ByBenchmark["b"] != 2 || f.First != "a" || f.NGram != "one two three" {
		t.Fatalf("%+v", f)
	}
}

func TestCut(t *testing.T) {
	ss := sentences(t)
	path := benchFixture(t, ss, 50)
	s := newStep(t, Options{Benchmarks: []Benchmark{{Name: "qa", Path: path, Fields: []string{"question", "answer"}}}, NGram: 13, Action: "cut", MinMatches: 1})
	_, long := longSentence(t, ss, 100, 20)
	before, after := strings.Join(ss[300:303], " "), strings.Join(ss[310:313], " ")
	doc := &saring.Document{Text: before + " «" + strings.ToUpper(long) + "» " + after}
	res, err := s.Process(context.Background(), doc)
	if err != nil || res.Outcome != saring.Rewrite {
		t.Fatalf("%+v %v", res, err)
	}
	// Cut from the first word of the first match to the last word of the
	// last: the quotes stick to the words and go with them.
	if want := before + "  " + after; doc.Text != want {
		t.Fatalf("cut text:\n%q\nwant\n%q", doc.Text, want)
	}
	m := doc.Metadata[MetaKey].(map[string]any)
	if m["cut_spans"] != 1 || m["cut_bytes"].(int) != len("«"+strings.ToUpper(long)+"»") {
		t.Errorf("metadata %v", m)
	}
	if f := s.Find(doc.Text); f.Matches != 0 {
		t.Errorf("still contaminated after the cut: %q", f.NGram)
	}
	// Nothing else left: dropped.
	doc = &saring.Document{Text: "\n" + long + "\n"}
	if res, _ := s.Process(context.Background(), doc); res.Outcome != saring.Drop {
		t.Errorf("a text that was only the passage: %+v", res)
	}
}

func TestMinMatches(t *testing.T) {
	ss := sentences(t)
	path := benchFixture(t, ss, 50)
	s := newStep(t, Options{Benchmarks: []Benchmark{{Path: path, Fields: []string{"question", "answer"}}}, NGram: 13, Action: "drop", MinMatches: 3})
	_, long := longSentence(t, ss, 100, 16)
	w := strings.Fields(long)
	two := strings.Join(w[:14], " ") // 2 n-grams
	doc := &saring.Document{Text: two}
	if res, _ := s.Process(context.Background(), doc); res.Outcome != saring.Rewrite || doc.Metadata[MetaKey].(map[string]any)["below_min_matches"] != true {
		t.Errorf("2 of 3: %+v %v", res, doc.Metadata)
	}
	doc = &saring.Document{Text: strings.Join(w[:15], " ")}
	if res, _ := s.Process(context.Background(), doc); res.Outcome != saring.Drop {
		t.Errorf("3 of 3: %+v", res)
	}
}

func TestBenchmarkFormats(t *testing.T) {
	ss := sentences(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lines.txt"), []byte(ss[0]+"\n\n"+ss[1]+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "choices.jsonl"), []byte(`{"q": 1, "choices": ["`+ss[2]+`", "`+ss[3]+`"]}`+"\n"), 0o644)
	o := Options{NGram: 5, Action: "drop", MinMatches: 1, Benchmarks: []Benchmark{
		{Path: filepath.Join(dir, "lines.txt")},
		{Path: filepath.Join(dir, "*.jsonl"), Name: "mc", Fields: []string{"choices"}},
	}}
	x, err := Load(o)
	if err != nil {
		t.Fatal(err)
	}
	if x.Passages["lines"] != 2 || x.Passages["mc"] != 1 {
		t.Fatalf("passages %v", x.Passages)
	}
	s := NewWith(o, x)
	for i, want := range []string{"lines", "lines", "mc", "mc"} {
		if f := s.Find("x " + ss[i] + " y"); f.First != want {
			t.Errorf("sentence %d: %+v", i, f)
		}
	}
	// Unreadable records and missing fields are errors with their place.
	os.WriteFile(filepath.Join(dir, "bad.jsonl"), []byte("{\"text\": \"a b c d e f\"}\n{not json\n"), 0o644)
	_, err = Load(Options{NGram: 5, Benchmarks: []Benchmark{{Path: filepath.Join(dir, "bad.jsonl")}}})
	if err == nil || !strings.Contains(err.Error(), "bad.jsonl:2") {
		t.Errorf("bad line: %v", err)
	}
	_, err = Load(Options{NGram: 5, Benchmarks: []Benchmark{{Path: filepath.Join(dir, "choices.jsonl"), Fields: []string{"question"}}}})
	if err == nil || !strings.Contains(err.Error(), "no record has any of the fields question") {
		t.Errorf("missing field: %v", err)
	}
	_, err = Load(Options{NGram: 5, Benchmarks: []Benchmark{{Path: filepath.Join(dir, "none-*.jsonl")}}})
	if err == nil || !strings.Contains(err.Error(), "no file matches") {
		t.Errorf("empty glob: %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, tt := range []struct {
		o    Options
		want string
	}{
		{Options{NGram: 13, Action: "drop", MinMatches: 1}, "benchmarks"},
		{Options{Benchmarks: []Benchmark{{Path: "a.jsonl"}}, NGram: 0, Action: "drop", MinMatches: 1}, "ngram"},
		{Options{Benchmarks: []Benchmark{{Path: "a.jsonl"}}, NGram: 13, Action: "mask", MinMatches: 1}, "action"},
		{Options{Benchmarks: []Benchmark{{Path: "a.jsonl"}, {Path: "x/a.txt"}}, NGram: 13, Action: "drop", MinMatches: 1}, "twice"},
		{Options{Benchmarks: []Benchmark{{Path: "a.jsonl", Format: "warc"}}, NGram: 13, Action: "drop", MinMatches: 1}, "format"},
		{Options{Benchmarks: []Benchmark{{Path: "a.jsonl"}}, NGram: 13, Action: "drop", MinMatches: 0}, "min_matches"},
	} {
		err := tt.o.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.o, err, tt.want)
		}
	}
}

func TestParquetBenchmark(t *testing.T) {
	ss := sentences(t)
	type row struct {
		Question string   `parquet:"question"`
		Choices  []string `parquet:"choices,list"`
		Answer   int64    `parquet:"answer"`
	}
	path := filepath.Join(t.TempDir(), "mc.parquet")
	rows := []row{{Question: ss[0], Choices: []string{ss[1], ss[2]}, Answer: 1}, {Question: ss[3], Choices: []string{ss[4]}, Answer: 0}}
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	o := Options{NGram: 5, Action: "drop", MinMatches: 1, Benchmarks: []Benchmark{{Path: path, Fields: []string{"question", "choices"}}}}
	x, err := Load(o)
	if err != nil {
		t.Fatal(err)
	}
	if x.Passages["mc"] != 2 {
		t.Fatalf("passages %v", x.Passages)
	}
	s := NewWith(o, x)
	for i := 0; i < 5; i++ {
		if f := s.Find("x " + ss[i] + " y"); f.First != "mc" {
			t.Errorf("sentence %d: %+v", i, f)
		}
	}
	if f := s.Find(ss[5]); f.Matches != 0 {
		t.Errorf("sentence 5 matched %q", f.NGram)
	}
}

// N-grams mostly of numbers are not indexed: every table of figures would
// match every other once digits are normalized.
func TestNumericNgramsNotIndexed(t *testing.T) {
	x := NewIndex(5)
	x.StartBenchmark("tables")
	x.AddPassage("1790 12,000 3.5 44 17 dollars 9 8 7 6 5 and then the words come")
	s := NewWith(Options{NGram: 5, Action: "drop", MinMatches: 1}, x)
	if f := s.Find("2024 3 4 5 6 7 8 9 cents"); f.Matches != 0 {
		t.Errorf("a row of other figures matched %q", f.NGram)
	}
	if f := s.Find("6 5 and then the"); f.Matches != 1 {
		t.Errorf("an n-gram of 2 numbers in 5 words: %+v", f)
	}
	if x.Numeric["tables"] == 0 {
		t.Errorf("numeric n-grams not counted: %v", x.Numeric)
	}
}

func TestMemoryBudget(t *testing.T) {
	ss := sentences(t)
	path := benchFixture(t, ss, 50)
	r := saring.NewRegistry()
	Register(r)
	spec, _ := r.Lookup(StepName)
	o := spec.Options().(*Options)
	o.Benchmarks = []Benchmark{{Path: path, Fields: []string{"question", "answer"}}}
	if _, err := spec.New(o, saring.Env{MemoryBytes: 1 << 30}); err != nil {
		t.Fatal(err)
	}
	if _, err := spec.New(o, saring.Env{MemoryBytes: 1 << 10}); err == nil || !strings.Contains(err.Error(), "memory budget") {
		t.Errorf("over budget: %v", err)
	}
}
