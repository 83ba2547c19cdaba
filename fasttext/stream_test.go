package fasttext

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

// TestPredictStream checks the streaming reader against the golden files,
// with the input delivered a byte at a time and with lines longer than
// the read buffer.
func TestPredictStream(t *testing.T) {
	input, err := os.ReadFile("testdata/inputs.txt")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load("testdata/hs.bin")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/hs.bin.k3.golden")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := m.PredictStream(context.Background(), iotest.OneByteReader(bytes.NewReader(input)), &out, StreamOptions{K: 3, Probs: true}); err != nil {
		t.Fatal(err)
	}
	compareOutputs(t, out.Bytes(), want)

	long := strings.Repeat("ein sehr langer Satz ", 200000) + "\nshort\n"
	out.Reset()
	if err := m.PredictStream(context.Background(), strings.NewReader(long), &out, StreamOptions{K: 1}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "\n"); got != 2 {
		t.Errorf("%d output lines for 2 input lines", got)
	}
	if err := m.PredictStream(context.Background(), strings.NewReader("x"), &out, StreamOptions{K: 0, Probs: true}); err == nil {
		t.Error("k=0 accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.PredictStream(ctx, strings.NewReader("x\n"), &out, StreamOptions{K: 1, Probs: true}); err == nil {
		t.Error("cancelled context ignored")
	}
}

// TestPredictStreamWorkers checks that any number of workers prints the
// same bytes in the same order, including inputs ending without a newline.
func TestPredictStreamWorkers(t *testing.T) {
	m, err := Load("testdata/hs.bin")
	if err != nil {
		t.Fatal(err)
	}
	input, _ := os.ReadFile("testdata/inputs.txt")
	var big bytes.Buffer
	for i := 0; i < 300; i++ {
		big.Write(input)
		big.WriteByte('\n')
	}
	big.WriteString("tail without newline")
	var want bytes.Buffer
	if err := m.PredictStream(context.Background(), bytes.NewReader(big.Bytes()), &want, StreamOptions{K: 2, Probs: true}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 3, 8} {
		var got bytes.Buffer
		if err := m.PredictStream(context.Background(), bytes.NewReader(big.Bytes()), &got, StreamOptions{K: 2, Probs: true, Workers: w}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("%d workers: output differs from one worker's", w)
		}
	}
}
