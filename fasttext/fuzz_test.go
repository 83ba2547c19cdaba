package fasttext

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds corrupted and truncated model files to Read: it must
// return an error or a model that predicts without panicking, never panic
// or allocate far beyond the input's size.
//
//	go test ./fasttext -run '^$' -fuzz FuzzLoad -fuzztime 60s
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"softmax.ftz", "hs3.ftz", "many.ftz", "words.bin"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		for _, n := range []int{0, 3, 8, 60, 61, 100, len(b) / 3, len(b) / 2, len(b) - 1} {
			f.Add(b[:n])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data))
		if err != nil {
			if m != nil {
				t.Fatal("model and error both returned")
			}
			return
		}
		for _, text := range []string{"", "hello world", "</s> a", "__label__x y", "\xff\xfe ünï"} {
			m.Predict(text, 3, 0)
			m.Predict(text, -1, 0.5)
		}
	})
}

// FuzzPredict checks that any text predicts without panicking and that
// Predict agrees with PredictInput on the text's first sentence.
//
//	go test ./fasttext -run '^$' -fuzz FuzzPredict -fuzztime 60s
func FuzzPredict(f *testing.F) {
	m, err := Load(filepath.Join("testdata", "softmax.ftz"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", " ", "\n", "a\nb", "x </s> y", "日本語", "\xff", "__label__en hi", "\x00\t\r\v\f"} {
		f.Add(s)
	}
	p := m.NewPredictor()
	f.Fuzz(func(t *testing.T, text string) {
		want := AppendPredictions(nil, m.Predict(text, 2, 0), true)
		var first []byte
		line := []byte(text)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		done := false
		p.PredictInput(line, true, 2, 0, func(preds []Prediction) {
			if !done {
				first = AppendPredictions(nil, preds, true)
				done = true
			}
		})
		if !bytes.Equal(first, want) {
			t.Fatalf("Predict %q = %q, PredictInput's first sentence %q", text, want, first)
		}
	})
}
