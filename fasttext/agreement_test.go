package fasttext

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// fasttextBinary returns the C++ fastText program, skipping the test when it
// is not installed.
func fasttextBinary(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("fasttext")
	if err != nil {
		t.Skip("the C++ fasttext program is not installed (apt-get install -y fasttext); skipping the comparison with it")
	}
	return p
}

// runCpp runs `fasttext predict-prob model - k [threshold]` on input.
func runCpp(t *testing.T, bin, model string, input []byte, k int, threshold string) []byte {
	t.Helper()
	args := []string{"predict-prob", model, "-", strconv.Itoa(k)}
	if threshold != "" {
		args = append(args, threshold)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("fasttext %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// agreementInput builds a few thousand varied lines: every sentence of a
// few languages (Indonesian and Malay among them), every 10th of the
// others, and lines made to be awkward.
func agreementInput(t *testing.T) []byte {
	t.Helper()
	dir := testenv.SharedFile(t, "data", "lingua-sentences")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	whole := map[string]bool{"id": true, "ms": true, "en": true, "zh": true, "ar": true}
	var b bytes.Buffer
	var all []string
	for _, f := range files {
		lang := strings.TrimSuffix(filepath.Base(f), ".txt")
		lines := testenv.ReadLines(t, f)
		all = append(all, lines...)
		for i, l := range lines {
			if whole[lang] || i%10 == 0 {
				b.WriteString(l)
				b.WriteByte('\n')
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	awkward := []string{
		"", " ", "\t", "\r", "  \t \v \f ", "\x00", "</s>", "a </s> b", "x </s>", "__label__en",
		"__label__id teks dengan label", "😀", "🎉🎉🎉 🚀", "👨‍👩‍👧‍👦 family", "\xff", "\xc3", "\xe2\x82",
		"abc\xffdef \x80\x80\x80 ghi", strings.Repeat("ab", 3000), strings.Repeat("kata ", 5000),
	}
	for _, l := range awkward {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	// Very long lines: many sentences of mixed languages joined.
	for i := 0; i < 5; i++ {
		var parts []string
		for j := 0; j < 300; j++ {
			parts = append(parts, all[rng.IntN(len(all))])
		}
		b.WriteString(strings.Join(parts, " "))
		b.WriteByte('\n')
	}
	// Random bytes and random code points (no newlines).
	for i := 0; i < 200; i++ {
		n := rng.IntN(80)
		for j := 0; j < n; j++ {
			c := byte(rng.IntN(256))
			if c == '\n' {
				c = ' '
			}
			b.WriteByte(c)
		}
		b.WriteByte('\n')
	}
	for i := 0; i < 200; i++ {
		n := rng.IntN(40)
		for j := 0; j < n; j++ {
			r := rune(rng.IntN(0x2FFFF))
			if r == '\n' || (r >= 0xD800 && r < 0xE000) {
				r = ' '
			}
			b.WriteRune(r)
		}
		b.WriteByte('\n')
	}
	b.WriteString("last line without a newline")
	return b.Bytes()
}

type parsedLine struct {
	labels []string
	probs  []float64
}

func parsePredictions(t *testing.T, out []byte) []parsedLine {
	t.Helper()
	var res []parsedLine
	for _, l := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		f := strings.Fields(l)
		var p parsedLine
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i+1], 64)
			if err != nil {
				t.Fatalf("bad probability in %q", l)
			}
			p.labels = append(p.labels, f[i])
			p.probs = append(p.probs, v)
		}
		res = append(res, p)
	}
	return res
}

// TestAgreementWithCpp compares saring with the C++ fastText 0.9.2 program
// on lid.176.ftz: same top label on every line with probabilities within
// 1e-4, and the same top-5 lists (reported line by line), and in the end
// byte-identical output: any line that differs fails.
func TestAgreementWithCpp(t *testing.T) {
	bin := fasttextBinary(t)
	path := testenv.LIDModel(t)
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	input := agreementInput(t)
	for _, k := range []int{1, 5} {
		want := runCpp(t, bin, path, input, k, "")
		got := predictProb(m, input, k, 0)
		g, w := parsePredictions(t, got), parsePredictions(t, want)
		if len(g) != len(w) {
			t.Fatalf("k=%d: %d lines, C++ printed %d", k, len(g), len(w))
		}
		differ := 0
		for i := range w {
			if !equalLine(g[i], w[i]) {
				differ++
			}
			if len(w[i].labels) == 0 {
				if len(g[i].labels) != 0 {
					t.Errorf("k=%d line %d: got %v, C++ printed nothing", k, i+1, g[i].labels)
				}
				continue
			}
			if len(g[i].labels) == 0 || g[i].labels[0] != w[i].labels[0] || math.Abs(g[i].probs[0]-w[i].probs[0]) > 1e-4 {
				t.Errorf("k=%d line %d: got %v %v, C++ %v %v", k, i+1, g[i].labels, g[i].probs, w[i].labels, w[i].probs)
				continue
			}
			if k > 1 && !sameList(g[i], w[i]) {
				t.Errorf("k=%d line %d: got %v %v, C++ %v %v", k, i+1, g[i].labels, g[i].probs, w[i].labels, w[i].probs)
			}
		}
		t.Logf("k=%d: %d lines, %d not byte-identical", k, len(w), differ)
		if differ > 0 {
			t.Errorf("k=%d: %d lines differ from the C++ program's output", k, differ)
		}
	}
}

func equalLine(a, b parsedLine) bool {
	if len(a.labels) != len(b.labels) {
		return false
	}
	for i := range a.labels {
		if a.labels[i] != b.labels[i] || a.probs[i] != b.probs[i] {
			return false
		}
	}
	return true
}

// sameList accepts label lists that differ only by the order of labels
// whose probabilities are within 1e-4, and by a last label so close to the
// pruning bound that one side keeps it.
func sameList(a, b parsedLine) bool {
	if len(a.labels) != len(b.labels) {
		return false
	}
	for i := range a.labels {
		if math.Abs(a.probs[i]-b.probs[i]) > 1e-4 {
			return false
		}
		if a.labels[i] != b.labels[i] {
			if i+1 >= len(a.labels) || a.labels[i] != b.labels[i+1] || math.Abs(a.probs[i]-a.probs[i+1]) > 1e-4 {
				return false
			}
		}
	}
	return true
}

// TestGoldenFilesCurrent checks the golden files against the C++ program,
// so that a change of inputs.txt without rerunning gen.sh is caught.
func TestGoldenFilesCurrent(t *testing.T) {
	bin := fasttextBinary(t)
	input, err := os.ReadFile("testdata/inputs.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range goldenModels {
		for _, run := range goldenRuns {
			th := ""
			if run.threshold != 0 {
				th = strconv.FormatFloat(float64(run.threshold), 'g', -1, 32)
			}
			want := runCpp(t, bin, filepath.Join("testdata", name), input, run.k, th)
			golden, err := os.ReadFile(filepath.Join("testdata", name+"."+run.name+".golden"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, golden) {
				t.Errorf("testdata/%s.%s.golden is out of date: run testdata/gen.sh", name, run.name)
			}
		}
	}
}
