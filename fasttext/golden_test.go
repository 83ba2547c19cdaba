package fasttext

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// predictProb runs input through m the way `fasttext predict-prob m - k
// threshold` does and returns what it prints.
func predictProb(m *Model, input []byte, k int, threshold float32) []byte {
	p := m.NewPredictor()
	var out []byte
	emit := func(preds []Prediction) { out = AppendPredictions(out, preds, true) }
	for len(input) > 0 {
		i := bytes.IndexByte(input, '\n')
		if i < 0 {
			p.PredictInput(input, false, k, threshold, emit)
			break
		}
		p.PredictInput(input[:i], true, k, threshold, emit)
		input = input[i+1:]
	}
	return out
}

// goldenModels are the small models testdata/gen.sh trains with the C++
// program, one per loss and matrix kind.
var goldenModels = []string{"hs.bin", "softmax.bin", "ova.bin", "ns.bin", "words.bin", "softmax.ftz", "hs3.ftz", "many.ftz"}

// goldenRuns are the predict-prob arguments of the golden files.
var goldenRuns = []struct {
	name      string
	k         int
	threshold float32
}{{"k1", 1, 0}, {"k3", 3, 0}, {"all", -1, 0.05}}

// TestGolden checks every model kind against the C++ program's output,
// byte for byte.
func TestGolden(t *testing.T) {
	input, err := os.ReadFile("testdata/inputs.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range goldenModels {
		m, err := Load(filepath.Join("testdata", name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Quantized input rows are decoded once (m.flat) unless the matrix
		// is too large; the row-by-row decoding must agree as well.
		coded, err := Load(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		coded.flat = nil
		for _, run := range goldenRuns {
			want, err := os.ReadFile(filepath.Join("testdata", fmt.Sprintf("%s.%s.golden", name, run.name)))
			if err != nil {
				t.Fatal(err)
			}
			t.Run(name+"/"+run.name, func(t *testing.T) {
				compareOutputs(t, predictProb(m, input, run.k, run.threshold), want)
			})
			if m.quant {
				t.Run(name+"/"+run.name+"/coded", func(t *testing.T) {
					compareOutputs(t, predictProb(coded, input, run.k, run.threshold), want)
				})
			}
		}
	}
}

// compareOutputs reports the first differing lines of two predict-prob outputs.
func compareOutputs(t *testing.T, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	if len(g) != len(w) {
		t.Errorf("%d output lines, want %d", len(g), len(w))
	}
	bad := 0
	for i := 0; i < len(g) && i < len(w); i++ {
		if !bytes.Equal(g[i], w[i]) {
			if bad++; bad <= 5 {
				t.Errorf("line %d:\n got %s\nwant %s", i+1, g[i], w[i])
			}
		}
	}
	if bad > 5 {
		t.Errorf("%d lines differ", bad)
	}
}
