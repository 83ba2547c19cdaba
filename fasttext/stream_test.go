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
	if err := m.PredictStream(context.Background(), iotest.OneByteReader(bytes.NewReader(input)), &out, 3, 0, true); err != nil {
		t.Fatal(err)
	}
	compareOutputs(t, out.Bytes(), want)

	long := strings.Repeat("ein sehr langer Satz ", 200000) + "\nshort\n"
	out.Reset()
	if err := m.PredictStream(context.Background(), strings.NewReader(long), &out, 1, 0, false); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "\n"); got != 2 {
		t.Errorf("%d output lines for 2 input lines", got)
	}
	if err := m.PredictStream(context.Background(), strings.NewReader("x"), &out, 0, 0, true); err == nil {
		t.Error("k=0 accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.PredictStream(ctx, strings.NewReader("x\n"), &out, 1, 0, true); err == nil {
		t.Error("cancelled context ignored")
	}
}
