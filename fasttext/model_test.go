package fasttext

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
)

// TestTruncated checks that every prefix of a model file is an error, not
// a panic, and that the message says the file ends early.
func TestTruncated(t *testing.T) {
	for _, name := range []string{"softmax.ftz", "many.ftz", "words.bin"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		step := max(1, len(b)/3000)
		for n := 0; n < len(b); n += step {
			m, err := Read(bytes.NewReader(b[:n]))
			if err == nil || m != nil {
				t.Fatalf("%s cut to %d bytes: no error", name, n)
			}
			if n > 8 && !strings.Contains(err.Error(), "ends early") {
				t.Fatalf("%s cut to %d bytes: %v", name, n, err)
			}
		}
		if _, err := Read(bytes.NewReader(b)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load("testdata/does-not-exist.ftz"); err == nil {
		t.Error("missing file loaded")
	}
	if _, err := Read(strings.NewReader("this is not a model file at all")); err == nil || !strings.Contains(err.Error(), "magic") {
		t.Errorf("text file: %v", err)
	}
	b, _ := os.ReadFile("testdata/softmax.ftz")
	bad := append([]byte(nil), b...)
	bad[4] = 99 // version
	if _, err := Read(bytes.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("bad version: %v", err)
	}
}

func TestModelInfo(t *testing.T) {
	m, err := Load("testdata/many.ftz")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Labels()) < 300 || !m.Quantized() || m.Args().Loss != LossSoftmax || m.Args().Dim != 5 {
		t.Errorf("labels %d quantized %v args %+v", len(m.Labels()), m.Quantized(), m.Args())
	}
	if m.Words() == 0 || !strings.HasPrefix(m.Labels()[0], "__label__") {
		t.Errorf("words %d labels %v", m.Words(), m.Labels()[:2])
	}
}

// TestConcurrentPredict shares one model between goroutines (run with
// -race) and checks they agree with a single Predictor.
func TestConcurrentPredict(t *testing.T) {
	m, err := Load("testdata/hs3.ftz")
	if err != nil {
		t.Fatal(err)
	}
	input, _ := os.ReadFile("testdata/inputs.txt")
	lines := strings.Split(string(input), "\n")
	p := m.NewPredictor()
	want := make([]string, len(lines))
	for i, l := range lines {
		want[i] = string(AppendPredictions(nil, p.Predict(l, 3, 0), true))
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 20; r++ {
				for i, l := range lines {
					if got := string(AppendPredictions(nil, m.Predict(l, 3, 0), true)); got != want[i] {
						t.Errorf("line %d: %q, want %q", i, got, want[i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestPredictText checks that PredictText equals Predict on the text with
// newlines replaced by spaces.
func TestPredictText(t *testing.T) {
	m, err := Load("testdata/softmax.ftz")
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"", "\n", "a\nb", "Der Zug\nfährt heute\n\nspäter ab", "x </s>\ny", "line\r\nline"} {
		got := AppendPredictions(nil, m.PredictText(text, 3, 0), true)
		want := AppendPredictions(nil, m.Predict(strings.ReplaceAll(text, "\n", " "), 3, 0), true)
		if !bytes.Equal(got, want) {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
}

// TestLabelProb checks LabelProb against the probabilities Predict ranks,
// for every loss.
func TestLabelProb(t *testing.T) {
	input, _ := os.ReadFile("testdata/inputs.txt")
	lines := strings.Split(string(input), "\n")
	for _, name := range goldenModels {
		m, err := Load("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		p := m.NewPredictor()
		for _, l := range lines {
			all := append([]Prediction(nil), p.PredictText(l, -1, 0)...)
			for _, want := range all {
				got, ok := p.LabelProb(want.Label)
				if !ok || got != want.Prob {
					t.Fatalf("%s %q: LabelProb(%s) = %v %v, Predict says %v", name, l, want.Label, got, ok, want.Prob)
				}
			}
		}
		if _, ok := p.LabelProb("__label__nope"); ok {
			t.Errorf("%s: unknown label has a probability", name)
		}
	}
}
