package fasttext

import (
	"encoding/binary"
	"math"
	"os"
	"testing"
)

// TestExpfGlibc checks expf against glibc 2.36's expf on x86-64 (with FMA):
// testdata/expf.bin holds (x, expf(x)) float32 bit pairs, mostly inputs
// where glibc's result is not the correctly rounded e^x.
func TestExpfGlibc(t *testing.T) {
	b, err := os.ReadFile("testdata/expf.bin")
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for i := 0; i+8 <= len(b); i += 8 {
		x := math.Float32frombits(binary.LittleEndian.Uint32(b[i:]))
		want := binary.LittleEndian.Uint32(b[i+4:])
		if got := math.Float32bits(expf(x)); got != want {
			if bad++; bad < 5 {
				t.Errorf("expf(%g) = %g, glibc %g", x, math.Float32frombits(got), math.Float32frombits(want))
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d values differ", bad, len(b)/8)
	}
}

func TestExpfSpecial(t *testing.T) {
	for _, c := range []struct{ x, want float32 }{
		{0, 1},
		{float32(math.Inf(-1)), 0},
		{-200, 0},
		{float32(math.Inf(1)), float32(math.Inf(1))},
		{100, float32(math.Inf(1))},
	} {
		if got := expf(c.x); got != c.want {
			t.Errorf("expf(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	if nan := float32(math.NaN()); expf(nan) == expf(nan) {
		t.Error("expf(NaN) is not NaN")
	}
}

// TestHeapOrderTies checks the libstdc++ heap replay on equal scores,
// which decides the order fastText prints tied labels in.
func TestHeapOrderTies(t *testing.T) {
	var h []scored
	for i, s := range []float32{-1, -2, -1, -1, -3, -2, -1} {
		if len(h) == 4 && s < h[0].score {
			continue // as findKBest and dfs
		}
		h = pushTop(h, 4, scored{s, int32(i)})
	}
	heapSort(h)
	var ids []int32
	for _, s := range h {
		ids = append(ids, s.id)
	}
	// What the same calls print with libstdc++ (GCC 12).
	want := []int32{0, 3, 6, 2}
	for i := range want {
		if i >= len(ids) || ids[i] != want[i] {
			t.Fatalf("order %v, want %v", ids, want)
		}
	}
}

func TestFormatLikeCpp(t *testing.T) {
	for _, c := range []struct {
		p    float32
		want string
	}{
		{1.00009, "1.00009"}, {0.5, "0.5"}, {1e-05, "1e-05"}, {0.000123456789, "0.000123457"},
		{1, "1"}, {0.1, "0.1"}, {0.98765432, "0.987654"}, {1.0000100136, "1.00001"},
	} {
		got := string(AppendPredictions(nil, []Prediction{{"__label__x", c.p}}, true))
		if want := "__label__x " + c.want + "\n"; got != want {
			t.Errorf("%v printed %q, want %q", c.p, got, want)
		}
	}
}
