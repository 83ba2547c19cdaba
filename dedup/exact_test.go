package dedup

import (
	"testing"

	"github.com/saring/saring"
)

func TestExactDedup(t *testing.T) {
	tests := []struct {
		name string
		opts func(*ExactOptions)
		a, b string
		dup  bool
	}{
		{"identical", nil, "Hello world", "Hello world", true},
		{"case", nil, "Hello World", "hello world", true},
		{"case sensitive", func(o *ExactOptions) { o.Lowercase = false }, "Hello World", "hello world", false},
		{"spaces", nil, "Hello\n\n  world ", "Hello world", true},
		{"spaces kept", func(o *ExactOptions) { o.CollapseWhitespace = false }, "Hello  world", "Hello world", false},
		{"punctuation differs", nil, "Hello, world!", "Hello world", false},
		{"punctuation stripped", func(o *ExactOptions) { o.StripPunctuation = true }, "Hello, world!", "Hello world", true},
		{"digits differ", nil, "Rp 10.000", "Rp 25.500", false},
		{"digits replaced", func(o *ExactOptions) { o.ReplaceDigits = true }, "Rp 10.000", "Rp 25.500", true},
		{"unicode case", nil, "ÇA VA", "ça va", true},
		{"empty never dup", nil, "  ", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultExactOptions()
			if tc.opts != nil {
				tc.opts(&o)
			}
			docs := mkdocs(tc.a, tc.b)
			out := drive(t, NewExact(o), docs, 2, 3)
			if out[0].Result.Outcome != saring.Keep {
				t.Errorf("first: %v", out[0].Result)
			}
			if got := out[1].Result.Outcome == saring.Drop; got != tc.dup {
				t.Fatalf("dup = %v, want %v", got, tc.dup)
			}
			if tc.dup {
				if out[1].Result.Reason != "exact_duplicate" || out[1].Meta["duplicate_of"] != docs[0].ID {
					t.Errorf("got %+v %v", out[1].Result, out[1].Meta)
				}
			}
		})
	}
}

// The smallest seq wins whatever the order of Add calls.
func TestExactKeepsSmallestSeq(t *testing.T) {
	docs := mkdocs("x y z", "other", "x y z", "X  Y Z")
	docs[0].Seq, docs[2].Seq, docs[3].Seq = 50, 7, 9
	for seed := uint64(0); seed < 10; seed++ {
		out := drive(t, NewExact(DefaultExactOptions()), docs, 4, seed)
		if out[2].Result.Outcome != saring.Keep || out[0].Result.Outcome != saring.Drop || out[3].Result.Outcome != saring.Drop {
			t.Fatalf("seed %d: %+v", seed, out)
		}
		if out[0].Meta["duplicate_of"] != docs[2].ID {
			t.Fatalf("duplicate_of = %v", out[0].Meta["duplicate_of"])
		}
	}
}

func TestTextNorm(t *testing.T) {
	all := TextNorm{Lowercase: true, CollapseWhitespace: true, StripPunctuation: true, ReplaceDigits: true}
	tests := []struct {
		n        TextNorm
		in, want string
	}{
		{all, "  Harga: Rp 12.500,-  (NAIK!)\n\tHari ini ", "harga rp 00000 naik hari ini"},
		{all, "ÉTÉ — 2024 «Été»", "été 0000 été"},
		{TextNorm{Lowercase: true}, "A  B", "a  b"},
		{TextNorm{CollapseWhitespace: true}, "\n a \u00a0 B\u2003", "a B"},
		{TextNorm{ReplaceDigits: true}, "x٣4", "x00"},
	}
	for _, tc := range tests {
		if got := string(tc.n.appendNorm(nil, tc.in)); got != tc.want {
			t.Errorf("%+v %q = %q, want %q", tc.n, tc.in, got, tc.want)
		}
	}
}
