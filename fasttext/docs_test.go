package fasttext

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// docsInput returns whole documents: the lingua sentences joined 20 at a
// time by newlines (every language), pages of the web corpus when present,
// the scraped news page, and documents made to stress the word cache:
// long words (past 24 and 128 bytes), words with many rows, "</s>" and
// labels inside, control characters.
func docsInput(t testing.TB) []string {
	t.Helper()
	docs := linguaDocs(t, 20)
	for i, d := range webDocs(t) {
		if i%25 == 0 {
			docs = append(docs, d)
		}
	}
	if b, err := os.ReadFile(testenv.SharedFile(t, "examples", "antara-news-scraped.txt")); err == nil {
		docs = append(docs, string(b))
	}
	return append(docs, stressDocs()...)
}

// stressDocs are documents whose words overflow the cache's slots and
// ring, many times over.
func stressDocs() []string {
	rng := rand.New(rand.NewPCG(3, 4))
	letters := []rune("abcdefghijklmnopqrstuvwxyzäöüßéèñçağışçöğüабвгдежзийклмнопрстуфхцчшщыэюяαβγδεζηθικλμνξοπρστυφχψω日本語中文한국어ภาษาไทย")
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteRune(letters[rng.IntN(len(letters))])
		}
		return b.String()
	}
	// A vocabulary of 60,000 words (more than the cache holds), of every
	// length up to 150 characters, drawn with a Zipf-like skew.
	vocab := make([]string, 60000)
	for i := range vocab {
		n := 1 + rng.IntN(12)
		switch {
		case i%50 == 0:
			n = 20 + rng.IntN(130)
		case i%7 == 0:
			n = 9 + rng.IntN(20)
		}
		vocab[i] = word(n)
	}
	seps := []string{" ", " ", " ", "  ", "\n", "\t", "\r\n", " \x01", "\v", "\f", " \x00 "}
	var docs []string
	for d := 0; d < 300; d++ {
		var b strings.Builder
		nw := 50 + rng.IntN(800)
		for range nw {
			r := rng.Float64()
			w := vocab[int(float64(len(vocab))*r*r*r)]
			switch rng.IntN(400) {
			case 0:
				w = "</s>"
			case 1:
				w = "__label__en"
			case 2:
				w = "x\x01y"
			}
			b.WriteString(w)
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		docs = append(docs, b.String())
	}
	return docs
}

// appendDoc appends what `fasttext predict-prob` prints for document d
// given as one line (newlines as spaces): a line per sentence, as a
// literal "</s>" ends one. The first is what PredictText returns, which is
// checked too.
func appendDoc(t testing.TB, dst []byte, p *Predictor, d string, k int) []byte {
	first := AppendPredictions(nil, p.PredictText(d, k, 0), true)
	data := []byte(d)
	for pos, i := 0, 0; pos < len(data)+1; i++ {
		pos = p.lineWith(&flatClass, data, pos, true)
		line := AppendPredictions(nil, p.predict(k, 0), true)
		if i == 0 && !bytes.Equal(line, first) {
			t.Fatalf("PredictText printed %q, its first sentence %q", first, line)
		}
		dst = append(dst, line...)
	}
	return dst
}

// oneLine is a document as `fasttext predict-prob` must be given it to
// classify it whole: newlines as spaces.
func oneLine(d string) string { return strings.ReplaceAll(d, "\n", " ") }

// TestDocumentsAgreeWithCpp compares PredictText on whole documents with
// the C++ program on the same documents as single lines, byte for byte
// (a line per sentence where a literal "</s>" ends one),
// for k = 1, 2 (the language step's) and 5, with one Predictor for all
// documents, as a worker uses it.
func TestDocumentsAgreeWithCpp(t *testing.T) {
	bin := fasttextBinary(t)
	path := testenv.LIDModel(t)
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	docs := docsInput(t)
	var in bytes.Buffer
	for _, d := range docs {
		in.WriteString(oneLine(d))
		in.WriteByte('\n')
	}
	for _, k := range []int{1, 2, 5} {
		want := runCpp(t, bin, path, in.Bytes(), k, "")
		p := m.NewPredictor()
		var got []byte
		for _, d := range docs {
			got = appendDoc(t, got, p, d, k)
		}
		t.Run(fmt.Sprintf("k%d", k), func(t *testing.T) { compareOutputs(t, got, want) })
	}
	t.Logf("%d documents, %d bytes", len(docs), in.Len())
}

// TestCacheChangesNothing checks that the word cache changes no bit: the
// documents predicted with it (warm across documents, its ring wrapping
// round many times, and once with its positions about to be reset) and
// without it print the same.
func TestCacheChangesNothing(t *testing.T) {
	m, err := Load(testenv.LIDModel(t))
	if err != nil {
		t.Fatal(err)
	}
	docs := stressDocs()
	if dir, ok := testenv.LookupSharedDir(); ok {
		if _, err := os.Stat(filepath.Join(dir, "data", "lingua-sentences")); err == nil {
			docs = append(docs, linguaDocs(t, 20)...)
		}
	}
	warm, cold := m.NewPredictor(), m.NewPredictor()
	cold.nocache = true
	wraps := 0
	for i, d := range docs {
		if i == len(docs)/2 {
			warm.cache.head = 1<<31 - 1000 // the reset comes within a few words
		}
		before := warm.cache.head
		for _, k := range []int{2, -1} {
			g := appendDoc(t, nil, warm, d, k)
			w := appendDoc(t, nil, cold, d, k)
			if !bytes.Equal(g, w) {
				t.Fatalf("document %d, k=%d: with the cache\n%s\nwithout\n%s", i, k, g, w)
			}
		}
		if warm.cache.head/cacheRingCap != before/cacheRingCap {
			wraps++
		}
	}
	if wraps < 3 {
		t.Errorf("the ring wrapped %d times; the test should make it wrap several", wraps)
	}
	t.Logf("%d documents, ring wrapped %d times", len(docs), wraps)
}

// TestDocumentsGolden checks PredictText on the documents of
// testdata/docs.txt (separated by lines holding "---") against what the C++
// program printed for them (testdata/gen.sh), without needing the program.
func TestDocumentsGolden(t *testing.T) {
	m, err := Load(testenv.LIDModel(t))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/docs.txt")
	if err != nil {
		t.Fatal(err)
	}
	docs := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n---\n")
	coded, err := Load(testenv.LIDModel(t))
	if err != nil {
		t.Fatal(err)
	}
	coded.flat = nil // rows decoded one by one, as for a large model
	for _, k := range []int{2, 5} {
		want, err := os.ReadFile(fmt.Sprintf("testdata/docs.lid176.k%d.golden", k))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []*Model{m, coded} {
			p := m.NewPredictor()
			var got []byte
			for _, d := range docs {
				got = appendDoc(t, got, p, d, k)
			}
			compareOutputs(t, got, want)
		}
	}
}
