package repair

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/saring/saring"
)

func TestNormalize(t *testing.T) {
	def := NormalizeOptions{Form: "nfc", KeepIndent: true}
	moji := def
	moji.FixMojibake = true
	flat := def
	flat.KeepIndent = false
	nfkc := def
	nfkc.Form = "nfkc"
	tests := []struct {
		name string
		opts NormalizeOptions
		in   string
		want string
	}{
		{"clean", def, "Halo dunia.\nBaris kedua.", "Halo dunia.\nBaris kedua."},
		{"crlf", def, "a\r\nb\rc", "a\nb\nc"},
		{"unicode line separators", def, "a\u2028b\u2029c\u0085d", "a\nb\nc\nd"},
		{"space runs", def, "a  b \t c\u00a0\u00a0d", "a b c d"},
		{"lone tab kept", def, "kolom\tnilai", "kolom\tnilai"},
		{"nbsp to space", def, "Rp\u00a05.000", "Rp 5.000"},
		{"trailing spaces", def, "a  \nb\t\nc ", "a\nb\nc"},
		{"indent kept", def, "bait:\n    baris menjorok\n\tdengan tab", "bait:\n    baris menjorok\n\tdengan tab"},
		{"indent dropped", flat, "bait:\n    baris", "bait:\nbaris"},
		{"blank lines", def, "a\n\n\n\n\nb\n\nc", "a\n\nb\n\nc"},
		{"blank line of spaces", def, "a\n  \n \t \nb", "a\n\nb"},
		{"leading and trailing blank lines", def, "\n\n  \nteks\n\n\n", "teks"},
		{"controls", def, "a\x00b\x07c\x1bd\x7fe\u0090f", "abcdef"},
		{"zero width", def, "ka\u200bta\u00adkan\ufeff \u2060x", "katakan x"},
		{"zwj kept", def, "👩\u200d💻 dan می\u200cخواهم", "👩\u200d💻 dan می\u200cخواهم"},
		{"invalid utf8", def, "a\xffb\xc3", "ab"},
		{"nfc", def, "Cafe\u0301 cre\u0300me", "Café crème"},
		{"nfc after removal", def, "e\u200b\u0301", "é"},
		{"nfkc", nfkc, "ｆｕｌｌ ﬁ ①", "full fi 1"},
		{"mojibake off", def, "donâ€™t", "donâ€™t"},
		{"mojibake quote", moji, "donâ€™t stop â€œnowâ€\u009d", "don’t stop “now”"},
		{"mojibake latin", moji, "cafÃ© crÃ¨me brÃ»lÃ©e", "café crème brûlée"},
		{"mojibake emoji", moji, "hi ðŸ˜€", "hi 😀"},
		{"mojibake twice", moji, "donÃ¢â‚¬â„¢t", "don’t"},
		{"mojibake leaves correct text", moji, "Café crème, “quoted” — naïve façade", "Café crème, “quoted” — naïve façade"},
		{"mojibake mostly correct text left alone", moji, "Élève à côté de l’école: Ã©", "Élève à côté de l’école: Ã©"},
		{"empty", def, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := NewNormalize(tc.opts)
			doc := &saring.Document{Text: tc.in}
			res, err := n.Process(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Text != tc.want {
				t.Errorf("got %q, want %q", doc.Text, tc.want)
			}
			wantOutcome := saring.Keep
			if tc.in != tc.want {
				wantOutcome = saring.Rewrite
			}
			if res.Outcome != wantOutcome {
				t.Errorf("outcome %v, want %v", res.Outcome, wantOutcome)
			}
			if len(doc.Measures) == 0 {
				t.Error("no measures recorded")
			}
			checks, err := n.Explain(context.Background(), &saring.Document{Text: tc.in})
			if err != nil || len(checks) == 0 {
				t.Errorf("explain: %v %v", checks, err)
			}
		})
	}
}

// The fast path must agree with the full rewrite: when needsCleanup says
// nothing is to be done, cleanup must indeed change nothing.
func TestNormalizeFastPathAgrees(t *testing.T) {
	for _, keep := range []bool{true, false} {
		n := NewNormalize(NormalizeOptions{Form: "nfc", KeepIndent: keep})
		for _, s := range []string{"a", "a b", "a\tb", " a", "\ta\n b", "a\n\nb", "a.\n", "x\n\n\ny", "é\u00a0", "a  b", "a\t\tb", "a \n"} {
			var st normStats
			if !n.needsCleanup(s) && n.cleanup(s, &st) != s {
				t.Errorf("keep_indent=%v %q: fast path says clean but cleanup gives %q", keep, s, n.cleanup(s, &st))
			}
		}
	}
}

func TestNormalizeNoAllocWhenClean(t *testing.T) {
	n := NewNormalize(NormalizeOptions{Form: "nfc", KeepIndent: true})
	text := strings.Repeat("Harga beras di pasar turun, menurut data yang dirilis Selasa.\n", 20) + "Akhir café."
	allocs := testing.AllocsPerRun(100, func() {
		if out, _, changed := n.normalize(text); changed || out != text {
			t.Fatal("clean text changed")
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations on clean text, want 0", allocs)
	}
}

func TestNormalizeOptionsValidate(t *testing.T) {
	o := normalizeSpec().Options().(*NormalizeOptions)
	if err := o.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	o.Form = "nfd"
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "form") {
		t.Errorf("form nfd: got %v", err)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "a\r\n\r\nb", "  x  \n\n\n\ny\t\t", "caf\u00c3\u00a9 \u00e2\u20ac\u2122", "\xff\xfe", "e\u200b\u0301", "\u00a8 \u2000x", "ｆ\u0085\u2028"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, moji bool) {
		for _, keep := range []bool{true, false} {
			n := NewNormalize(NormalizeOptions{Form: "nfc", KeepIndent: keep})
			var st normStats
			if !n.needsCleanup(s) && n.cleanup(s, &st) != s {
				t.Fatalf("keep_indent=%v: fast path says clean but cleanup changes %q", keep, s)
			}
		}
		for _, form := range []string{"nfc", "nfkc"} {
			n := NewNormalize(NormalizeOptions{Form: form, KeepIndent: true, FixMojibake: moji})
			out, _, _ := n.normalize(s)
			if !utf8.ValidString(out) {
				t.Fatalf("%s: invalid UTF-8 output %q", form, out)
			}
			if strings.ContainsAny(out, "\r\x00\u200b\ufeff") || strings.Contains(out, "\n\n\n") || strings.HasSuffix(out, " ") {
				t.Fatalf("%s: output not normalized: %q", form, out)
			}
			if !moji {
				if again, _, _ := n.normalize(out); again != out {
					t.Fatalf("%s: not idempotent:\n%q\n%q", form, out, again)
				}
			}
			if form == "nfc" && !moji && utf8.RuneCountInString(out) > utf8.RuneCountInString(s)+strings.Count(s, "\r")+len(s)/2 {
				t.Fatalf("output grew: %q -> %q", s, out)
			}
		}
	})
}

// The table behind keyRune gives what the Unicode functions give, for
// every rune of the Basic Multilingual Plane and a few beyond it.
func TestKeyRuneTable(t *testing.T) {
	for r := rune(0); r < 0x10000+0x3000; r++ {
		k, ok := keyRune(r)
		wk, wok := keyRuneSlow(r)
		if k != wk || ok != wok {
			t.Fatalf("keyRune(%U) = %U %v, want %U %v", r, k, ok, wk, wok)
		}
	}
}

// FuzzQuickNormal: the ASCII-skipping quick check agrees with the library's
// on every input and form; when it says normal, the form leaves s as it is.
//
//	go test ./repair -run '^$' -fuzz FuzzQuickNormal
func FuzzQuickNormal(f *testing.F) {
	for _, s := range []string{"", "plain ascii text", "e\u0301", "cafe\u0301 x", "\u00e9", "ﬁne", "x½y", "A\u030a",
		"\u1100\u1161", "\u0b47\u0b3e", "a" + strings.Repeat("\u0301", 40), "\xff\u0301", "abcdefgh\u0301ijklmnop", "ｆｕｌｌ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, form := range []norm.Form{norm.NFC, norm.NFKC} {
			want := form.QuickSpanString(s) == len(s)
			if got := quickNormal(form, s); got != want {
				t.Fatalf("form %v, %q: quickNormal %v, QuickSpanString says %v", form, s, got, want)
			}
		}
	})
}

func TestQuickNormal(t *testing.T) {
	for _, c := range []struct {
		s         string
		nfc, nfkc bool
	}{
		{"", true, true},
		{"plain ascii, long enough for the eight-byte loop", true, true},
		{"cafe\u0301", false, false}, // composes with the ASCII e before it
		{"caf\u00e9 and more ascii text", true, true},
		{"x½y", true, false}, // NFKC decomposes ½
		{"12345678ﬁ", true, false},
		{"\u1100\u1161", false, false}, // Hangul L+V compose
	} {
		if got := quickNormal(norm.NFC, c.s); got != c.nfc {
			t.Errorf("NFC %q: %v, want %v", c.s, got, c.nfc)
		}
		if got := quickNormal(norm.NFKC, c.s); got != c.nfkc {
			t.Errorf("NFKC %q: %v, want %v", c.s, got, c.nfkc)
		}
	}
}
