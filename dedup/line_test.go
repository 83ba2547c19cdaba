package dedup

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/saring/saring"
)

func TestLineDedup(t *testing.T) {
	nav := "Home | News | Sport | Contact"
	foot := "Copyright © 2024 Kabar Media. All rights reserved."
	var texts []string
	for _, w := range []string{"north", "south", "east", "west"} {
		texts = append(texts, fmt.Sprintf("%s\nStory: the %s council met today and approved the budget for the new bridge over the river, after a long debate about costs.\n%s", nav, w, foot))
	}
	texts = append(texts, nav+"\nShort.\n"+foot)
	texts = append(texts, "Copyright © 2031 Kabar Media. All rights reserved!\nA unique page that shares nothing with the others and is long enough to stay in the corpus after the footer goes away.")
	docs := mkdocs(texts...)
	l, err := NewLineDedup(DefaultLineOptions(), saring.Env{})
	if err != nil {
		t.Fatal(err)
	}
	out := drive(t, l, docs, 3, 9)
	for i := 0; i < 4; i++ {
		if out[i].Result.Outcome != saring.Rewrite {
			t.Fatalf("doc %d: %+v", i, out[i].Result)
		}
		if strings.Contains(out[i].Text, "Home |") || strings.Contains(out[i].Text, "Copyright") || !strings.HasPrefix(out[i].Text, "Story") {
			t.Errorf("doc %d text: %q", i, out[i].Text)
		}
		reps := out[i].Meta["repairs"].([]any)
		if len(reps) != 2 || reps[0].(map[string]any)["line"] != 0 || reps[1].(map[string]any)["line"] != 2 {
			t.Errorf("doc %d repairs: %v", i, reps)
		}
	}
	if out[4].Result.Outcome != saring.Drop || out[4].Result.Reason != "line_dedup_too_short" {
		t.Errorf("short doc: %+v", out[4].Result)
	}
	// Digits and punctuation are normalized away: the footer with another
	// year is the same line.
	if out[5].Result.Outcome != saring.Rewrite || strings.Contains(out[5].Text, "Copyright") {
		t.Errorf("doc 5: %+v %q", out[5].Result, out[5].Text)
	}
}

func TestLineDedupSiteScope(t *testing.T) {
	o := DefaultLineOptions()
	o.Scope = "site"
	o.MinChars = 0
	line := "Follow us on social media for more updates"
	var docs []saring.Document
	for i := 0; i < 6; i++ {
		host := "a.example"
		if i >= 3 {
			host = fmt.Sprintf("b%d.example", i)
		}
		raw, _ := json.Marshal("https://" + host + "/p")
		d := saring.Document{ID: fmt.Sprint(i), Seq: uint64(i), Text: fmt.Sprintf("Body %d\n%s", i, line),
			Fields: []saring.Field{{Key: "url", Value: raw}}}
		docs = append(docs, d)
	}
	l, _ := NewLineDedup(o, saring.Env{})
	out := drive(t, l, docs, 2, 1)
	for i, o := range out {
		removed := !strings.Contains(o.Text, "Follow us")
		if removed != (i < 3) {
			t.Errorf("doc %d: removed = %v", i, removed)
		}
	}
}

func TestLineDedupParagraphs(t *testing.T) {
	o := DefaultLineOptions()
	o.Unit = "paragraph"
	o.MinDocs = 2
	o.MinChars = 0
	p := "Shared paragraph line one\nline two"
	docs := mkdocs("Intro A\n\n"+p+"\n\nEnd A", "Intro B\n\n\n"+p, "Shared paragraph line one\nsomething else")
	l, _ := NewLineDedup(o, saring.Env{})
	out := drive(t, l, docs, 2, 1)
	if out[0].Text != "Intro A\n\nEnd A" || out[1].Text != "Intro B" || out[2].Result.Outcome != saring.Keep {
		t.Errorf("got %q, %q, %v", out[0].Text, out[1].Text, out[2].Result)
	}
}

func FuzzLineSplit(f *testing.F) {
	for _, s := range []string{"a\nb", "a\n\n\nb\n", "\n\n", "x \n\n y", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, unit := range []string{"line", "paragraph"} {
			o := DefaultLineOptions()
			o.Unit = unit
			l, _ := NewLineDedup(o, saring.Env{})
			var b strings.Builder
			for _, seg := range l.split(s) {
				b.WriteString(seg.text)
				b.WriteString(seg.sep)
			}
			if b.String() != s {
				t.Fatalf("%s split of %q does not join back: %q", unit, s, b.String())
			}
		}
	})
}

// Spilling line hashes to disk changes nothing.
func TestLineDedupSpill(t *testing.T) {
	var texts []string
	for i := 0; i < 1000; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "Menu utama | Berita | Olahraga\n")
		for k := 0; k < 8; k++ {
			fmt.Fprintf(&b, "Kalimat nomor %s dari dokumen %s tentang topik %s.\n", words3(i*8+k), words3(i), words3(k%3+i%5))
		}
		if i%7 == 0 {
			b.WriteString("Baca juga: berita lain yang menarik hari ini\n")
		}
		b.WriteString("Hak cipta dilindungi undang-undang")
		texts = append(texts, b.String())
	}
	docs := mkdocs(texts...)
	o := DefaultLineOptions()
	o.MinChars = 0
	big, _ := NewLineDedup(o, saring.Env{})
	ref := drive(t, big, docs, 2, 1)
	dir := filepath.Join(t.TempDir(), "w") // created only when runs spill
	small, _ := NewLineDedup(o, saring.Env{WorkDir: dir, MemoryBytes: 1})
	got := drive(t, small, docs, 4, 2)
	if !reflect.DeepEqual(got, ref) {
		t.Fatal("spilled run differs")
	}
	if strings.Contains(ref[7].Text, "Menu utama") || strings.Contains(ref[7].Text, "Baca juga") || !strings.Contains(ref[7].Text, "Kalimat") {
		t.Errorf("doc 7: %q", ref[7].Text)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("nothing spilled: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.bin")); len(left) != 0 {
		t.Errorf("runs left behind: %v", left)
	}
}

// words3 spells n in letters so that digit normalization keeps lines apart.
func words3(n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	s := ""
	for ; n > 0 || s == ""; n /= 26 {
		s += string(letters[n%26])
	}
	return s
}
