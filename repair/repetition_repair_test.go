package repair

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/saring/saring"
)

const (
	paraA = "Pemerintah daerah menyiapkan 40 posko kesehatan di sepanjang jalur mudik untuk melayani pemudik yang kelelahan."
	paraB = "Setiap posko dijaga dokter dan perawat selama 24 jam, dan ambulans disiagakan di titik-titik rawan kemacetan."
	paraC = "Warga diminta beristirahat setiap empat jam perjalanan dan tidak memaksakan diri mengemudi saat mengantuk."
	paraD = "Petugas juga membagikan air minum dan makanan ringan gratis di rest area yang ramai dikunjungi pemudik."
)

func TestRepetitionRepair(t *testing.T) {
	body := strings.Join([]string{paraA, paraB, paraC, paraD}, "\n")
	tests := []struct {
		name    string
		in      string
		want    string
		removed int
	}{
		{"no repeats", body, body, 0},
		{"body twice", body + "\n" + body, body, 4},
		{"body twice with blank line", body + "\n\n" + body, body, 4},
		{"second copy lacks first paragraph", body + "\n" + strings.Join([]string{paraB, paraC, paraD}, "\n"), body, 3},
		{"second copy cut inside lines",
			body + "\n" + paraA[40:] + "\n" + paraB + "\n" + paraC + "\n" + paraD[:50],
			body, 4},
		{"second copy with a small edit",
			body + "\n" + paraA + "\n" + strings.Replace(paraB, "dokter dan perawat", "dokter serta perawat", 1) + "\n" + paraC + "\n" + paraD,
			body, 4},
		{"second copy re-wrapped",
			body + "\n\n" + wrap(paraA+" "+paraB, 60) + "\n\n" + wrap(paraC+" "+paraD, 72),
			body, 8},
		{"second copy re-wrapped with a small edit",
			body + "\n\n" + wrap(paraA+" "+strings.Replace(paraB, "dokter dan perawat", "dokter serta perawat", 1)+" "+paraC, 64),
			body, strings.Count(wrap(paraA+" "+paraB+" "+paraC, 64), "\n") + 1},
		{"second copy re-wrapped and cut at both ends",
			body + "\n\n" + wrap(paraA[30:]+" "+paraB+" "+paraC+" "+paraD[:40], 64),
			body, strings.Count(wrap(paraA[30:]+" "+paraB+" "+paraC+" "+paraD[:40], 64), "\n") + 1},
		{"single long line repeated", paraA + "\n" + "Baris lain yang berbeda.\n" + paraA, paraA + "\nBaris lain yang berbeda.", 1},
		{"short lines repeated stay", "Apakah gratis?\nYa.\nApakah buka malam?\nYa.\nReply\nReply", "Apakah gratis?\nYa.\nApakah buka malam?\nYa.\nReply\nReply", 0},
		{"short two-line refrain stays",
			"bait satu\nla la la\nna na na\nbait dua\nla la la\nna na na",
			"bait satu\nla la la\nna na na\nbait dua\nla la la\nna na na", 0},
		{"case and punctuation ignored", paraA + "\n" + strings.ToUpper(strings.TrimSuffix(paraA, ".")), paraA, 1},
		{"blank lines around removed copy tidied", "Judul\n\n" + paraA + "\n\n" + paraA + "\n\nPenutup.", "Judul\n\n" + paraA + "\n\nPenutup.", 1},
		{"separator inside a repeated run goes with it", body + "\n***\n" + paraA + "\n***\n" + paraB + "\n" + paraC, body + "\n***", 4},
		{"empty", "", "", 0},
	}
	r := NewRepetition(DefaultRepetitionOptions())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := &saring.Document{Text: tc.in}
			res, err := r.Process(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Text != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", doc.Text, tc.want)
			}
			if tc.removed == 0 {
				if res.Outcome != saring.Keep {
					t.Errorf("outcome %v, want keep", res.Outcome)
				}
				return
			}
			if res.Outcome != saring.Rewrite {
				t.Errorf("outcome %v, want rewrite", res.Outcome)
			}
			sum, _ := doc.Meta("repetition_repair")
			if got := sum.(map[string]any)["removed_lines"]; got != tc.removed {
				t.Errorf("removed_lines %v, want %d", got, tc.removed)
			}
			reps, _ := doc.Meta("repairs")
			if n := len(reps.([]any)); n != tc.removed {
				t.Errorf("%d repairs entries, want %d", n, tc.removed)
			}
			checks, _ := r.Explain(context.Background(), &saring.Document{Text: tc.in})
			if checks[0].Value != float64(tc.removed) || !checks[0].Pass {
				t.Errorf("explain: %+v", checks[0])
			}
		})
	}
}

func TestRepetitionRepairRecordsLines(t *testing.T) {
	in := paraA + "\n" + paraB + "\n" + paraA + "\n" + paraB
	doc := &saring.Document{Text: in}
	o := DefaultRepetitionOptions()
	o.MaxRecordedChars = len(paraA) + 5
	if _, err := NewRepetition(o).Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	reps, _ := doc.Meta("repairs")
	list := reps.([]any)
	if len(list) != 1 {
		t.Fatalf("%d entries, want 1 (budget)", len(list))
	}
	e := list[0].(map[string]any)
	if e["step"] != "repetition_repair" || e["line"] != 2 || e["text"] != paraA {
		t.Errorf("entry %v", e)
	}
	sum, _ := doc.Meta("repetition_repair")
	m := sum.(map[string]any)
	if m["removed_lines"] != 2 || m["unlisted_lines"] != 1 || m["removed_chars"] != utf8.RuneCountInString(paraA+paraB) {
		t.Errorf("summary %v", m)
	}
}

func TestRepetitionOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		mut   func(*RepetitionOptions)
		field string
	}{
		{func(o *RepetitionOptions) { o.MinBlockLines = 0 }, "min_block_lines"},
		{func(o *RepetitionOptions) { o.MinLineChars = 0 }, "min_line_chars"},
		{func(o *RepetitionOptions) { o.Similarity = 1.5 }, "similarity"},
		{func(o *RepetitionOptions) { o.MaxRecordedChars = -1 }, "max_recorded_chars"},
	} {
		o := repetitionSpec().Options().(*RepetitionOptions)
		if err := o.Validate(); err != nil {
			t.Fatal(err)
		}
		tc.mut(o)
		err := o.Validate()
		if fe, ok := err.(*saring.FieldError); !ok || fe.Field != tc.field {
			t.Errorf("got %v, want a FieldError for %s", err, tc.field)
		}
	}
}

// wrap breaks text into lines of at most width bytes at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(text) {
		if i > 0 {
			if n+1+len(w) > width {
				b.WriteByte('\n')
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

func FuzzRepetitionRepair(f *testing.F) {
	f.Add(paraA + "\n" + paraB + "\n" + paraA + "\n" + paraB)
	f.Add("Ya.\nYa.\n\n\nYa.")
	f.Add(wrap(paraA+" "+paraB, 30) + "\n\n" + paraA + "\n" + paraB)
	f.Add("a. b. c.\n\n***\na. b. c.")
	r := NewRepetition(DefaultRepetitionOptions())
	f.Fuzz(func(t *testing.T, s string) {
		doc := &saring.Document{Text: s}
		res, err := r.Process(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		checkRepairOutput(t, s, doc.Text, res)
	})
}

// checkRepairOutput asserts what every line-removing repair guarantees: the
// output is valid UTF-8 when the input is, is no longer than the input, and
// every output line is an input line.
func checkRepairOutput(t *testing.T, in, out string, res saring.Result) {
	t.Helper()
	if res.Outcome == saring.Keep && out != in {
		t.Fatalf("kept but changed: %q -> %q", in, out)
	}
	if utf8.ValidString(in) && !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 output %q", out)
	}
	if len(out) > len(in) {
		t.Fatalf("output longer than input: %q -> %q", in, out)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(in, "\n") {
		lines[l] = true
	}
	for _, l := range strings.Split(out, "\n") {
		if !lines[l] && strings.TrimSpace(l) != "" {
			t.Fatalf("output line %q not in input %q", l, in)
		}
	}
}
