package repair

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/saring/saring"
)

func TestBoilerplateLines(t *testing.T) {
	b := NewBoilerplate(DefaultBoilerplateOptions(), nil)
	const p = "Paragraf pertama berita ini cukup panjang."
	const q = "Paragraf terakhir juga cukup panjang."
	tests := []struct {
		line   string
		remove bool
	}{
		// Indonesian
		{"Baca juga: Putin ancam negara-negara yang berniat menyerang Belarus", true},
		{"Baca Juga » Harga emas naik lagi", true},
		{"BACA JUGA", true},
		{"Simak juga: Cuaca ekstrem hingga akhir bulan", true},
		{"Lihat juga: Galeri foto banjir", true},
		{"Berita terkait: Penjualan naik", true},
		{"Sumber: Reuters", true},
		{"Pewarta: Rina Kusuma", true},
		{"Editor: Budi Santoso", true},
		{"Penulis: Dewi", true},
		{"Reporter: Agus", true},
		{"COPYRIGHT © ANTARA News Bangka Belitung 2023", true},
		{"Hak cipta dilindungi undang-undang.", true},
		{"Ikuti kami di Instagram @kabarnusantara", true},
		{"Bagikan:", true},
		{"Klik di sini untuk berlangganan", true},
		{"Dapatkan update berita pilihan dan breaking news setiap hari.", true},
		{"Artikel ini telah tayang di Kabar Nusantara dengan judul \"X\"", true},
		{"- Baca juga: daftar lengkap", true},
		{"Dapatkan update berita pilihan dan breaking news setiap hari dari Kabar.com. Mari bergabung di Grup Telegram \"Kabar News Update\", caranya klik link https://t.me/kabarupdate, kemudian join. Anda harus install aplikasi Telegram terlebih dulu di ponsel.", true},
		{"Simak Video \"Banjir Rendam Ratusan Rumah di Bandung\"", true},
		{"[Gambas:Video 20detik]", true},
		{"(ega/ega)", true},
		{"(ant/rst/dwi)", true},
		{"Baca berita dengan sedikit iklan, klik di sini", true},
		{"ADVERTISEMENT", true},
		{"SCROLL TO CONTINUE WITH CONTENT", true},
		// Malay
		{"Baca lagi: Kadar pengambilan doktor meningkat", true},
		{"Hak cipta terpelihara 2024 Berita Semenanjung", true},
		{"Kongsi artikel ini", true},
		{"Kongsi:", true},
		// English
		{"Read more: Residents split over market plans", true},
		{"Related:", true},
		{"Related stories", true},
		{"Share this article", true},
		{"All rights reserved.", true},
		{"Copyright © 2024 Riverside Daily. All rights reserved.", true},
		{"We use cookies to improve your experience.", true},
		{"Subscribe to our newsletter", true},
		{"Click here to read the full report", true},
		{"Advertisement", true},
		// Prose that looks similar stays.
		{"Baca juga buku panduan yang dibagikan panitia sebelum acara dimulai.", false},
		{"Sumber daya manusia menjadi prioritas pemerintah tahun ini.", false},
		{"Hak cipta adalah hak eksklusif pencipta atas ciptaannya.", false},
		{"Copyright law differs from one country to the next.", false},
		{"Read the instructions carefully before you start.", false},
		{"We use a simple method to measure rainfall.", false},
		{"| Nama | Nilai | Kelas |", false},
		{"Jakarta, Bandung, dan Surabaya | tiga kota | terbesar.", false},
		{"The share price rose 3% on Monday.", false},
		{"(Tulisan ini sudah diperbarui pada pukul 10.00.)", false},
		{"Simak pula penjelasan lengkap menteri soal harga beras di bawah ini.", false},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			// Between two paragraphs.
			in := p + "\n" + tc.line + "\n" + q
			doc := &saring.Document{Text: in}
			if _, err := b.Process(context.Background(), doc); err != nil {
				t.Fatal(err)
			}
			gone := !strings.Contains(doc.Text, tc.line)
			if gone != tc.remove {
				t.Errorf("removed=%v, want %v; text now:\n%s", gone, tc.remove, doc.Text)
			}
			if !strings.Contains(doc.Text, p) || !strings.Contains(doc.Text, q) {
				t.Errorf("paragraphs lost:\n%s", doc.Text)
			}
		})
	}
}

func TestBoilerplatePosition(t *testing.T) {
	b := NewBoilerplate(DefaultBoilerplateOptions(), nil)
	tests := []struct {
		name, in, want string
	}{
		{"head and tail", "Bagikan:\nKlik di sini\nIsi berita\nSumber: Antara\nEditor: X", "Isi berita"},
		{"inside a wrapped paragraph", "Menurut panitia, mereka juga\nSumber: panitia menyebutkan\nbahwa acara ditunda.", "Menurut panitia, mereka juga\nSumber: panitia menyebutkan\nbahwa acara ditunda."},
		{"runs into the next line", "Kalimat selesai.\nBaca juga: petunjuk di\nsitus resmi festival.", "Kalimat selesai.\nBaca juga: petunjuk di\nsitus resmi festival."},
		{"after a heading without punctuation", "Judul Berita\nBaca juga: X\nIsi.", "Judul Berita\nBaca juga: X\nIsi."},
		{"consecutive links between paragraphs", "Isi satu.\nBaca juga: A\nBaca juga: B\nIsi dua.", "Isi satu.\nIsi dua."},
		{"blank lines tidied", "Isi satu.\n\nBaca juga: A\n\nIsi dua.", "Isi satu.\n\nIsi dua."},
		{"navigation rows at the head and tail", "Home | News | Sports | Tech\nHome » World » Asia\nIsi.\nTentang Kami · Kontak · Karier", "Isi."},
		{"navigation-like row between paragraphs stays", "Isi satu.\nHome | News | Sports\nIsi dua.", "Isi satu.\nHome | News | Sports\nIsi dua."},
		{"table at the head stays", "Nama | Jabatan | Kota\nBudi | Menteri | Jakarta\nIsi.", "Nama | Jabatan | Kota\nBudi | Menteri | Jakarta\nIsi."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := &saring.Document{Text: tc.in}
			if _, err := b.Process(context.Background(), doc); err != nil {
				t.Fatal(err)
			}
			if doc.Text != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", doc.Text, tc.want)
			}
		})
	}
}

func TestBoilerplateLanguagePacks(t *testing.T) {
	b := NewBoilerplate(DefaultBoilerplateOptions(), nil)
	in := "Isi berita.\nBaca juga: X\nIsi lain."
	for _, tc := range []struct {
		lang   string
		remove bool
	}{{"", true}, {"id", true}, {"ms", true}, {"ind_Latn", true}, {"zsm_Latn", true}, {"fr", false}, {"en", false}} {
		doc := &saring.Document{Text: in}
		if tc.lang != "" {
			doc.SetMeta("language", tc.lang)
		}
		if _, err := b.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		if gone := !strings.Contains(doc.Text, "Baca juga"); gone != tc.remove {
			t.Errorf("language %q: removed=%v, want %v", tc.lang, gone, tc.remove)
		}
	}
}

func TestBoilerplateDropsEmpty(t *testing.T) {
	b := NewBoilerplate(DefaultBoilerplateOptions(), nil)
	doc := &saring.Document{Text: "Bagikan:\n\nAdvertisement\nCopyright © 2024 X"}
	res, err := b.Process(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != saring.Drop || res.Reason != "empty_after_repair" {
		t.Errorf("got %+v, want drop empty_after_repair", res)
	}
	checks, _ := b.Explain(context.Background(), &saring.Document{Text: "Bagikan:\n\nAdvertisement\nCopyright © 2024 X"})
	if last := checks[len(checks)-1]; last.Rule != "remaining_chars" || last.Pass {
		t.Errorf("explain: %+v", last)
	}
}

func TestBoilerplateUserPatterns(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "patterns.txt")
	content := "# sponsor lines\nSponsored by .*\n\n  \\#tagar\\s+\\w+  \n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := boilerplateSpec()
	o := spec.Options().(*BoilerplateOptions)
	o.PatternsFile = path
	step, err := spec.New(o, saring.Env{})
	if err != nil {
		t.Fatal(err)
	}
	doc := &saring.Document{Text: "SPONSORED BY Kopi Kita\nIsi berita.\n#tagar kuliner"}
	if _, err := step.Process(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	if doc.Text != "Isi berita." {
		t.Errorf("got %q", doc.Text)
	}
	o.PatternsFile = filepath.Join(dir, "missing.txt")
	if _, err := spec.New(o, saring.Env{}); err == nil {
		t.Error("missing patterns file: no error")
	}
}

func TestParsePatterns(t *testing.T) {
	tests := []struct {
		in      string
		n       int
		wantErr string
	}{
		{"", 0, ""},
		{"# only a comment\n\n", 0, ""},
		{"a\nb.*\r\n  c  \n", 3, ""},
		{"ok\n(unclosed\n", 0, "p.txt:2:"},
		{"x{2,1}", 0, "p.txt:1:"},
	}
	for _, tc := range tests {
		res, err := ParsePatterns(strings.NewReader(tc.in), "p.txt")
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || len(res) != tc.n {
			t.Errorf("%q: %d patterns, %v; want %d", tc.in, len(res), err, tc.n)
		}
	}
	res, _ := ParsePatterns(strings.NewReader("iklan"), "p")
	if !res[0].MatchString("IKLAN") || res[0].MatchString("iklan baris") {
		t.Error("patterns must be anchored and case-insensitive")
	}
}

func FuzzParsePatterns(f *testing.F) {
	for _, s := range []string{"", "# c\nabc\n", "(a|b\n", "a{1000}", "\\#x\n\xff", "[[:alpha:]]+\n(?i)x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		res, err := ParsePatterns(strings.NewReader(s), "fuzz")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Fatalf("error without file name: %v", err)
			}
			return
		}
		for _, re := range res {
			if !strings.HasPrefix(re.String(), "^(?i:") {
				t.Fatalf("not anchored: %s", re)
			}
		}
		b := NewBoilerplate(DefaultBoilerplateOptions(), res)
		doc := &saring.Document{Text: "Isi.\n" + s + "\nIsi lain."}
		if _, err := b.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzBoilerplate(f *testing.F) {
	for _, s := range []string{
		"Baca juga: X\nIsi.\nSumber: Y",
		"Home | News | Sport\n\n\nIsi berita.\n© 2024",
		"a\nb.\nRead more\nc",
		"\xff\nBagikan:\n",
	} {
		f.Add(s, "id")
	}
	user := []*regexp.Regexp{regexp.MustCompile(`^(?i:x+)$`)}
	b := NewBoilerplate(DefaultBoilerplateOptions(), user)
	f.Fuzz(func(t *testing.T, s, lang string) {
		doc := &saring.Document{Text: s}
		doc.SetMeta("language", lang)
		res, err := b.Process(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome == saring.Drop {
			return
		}
		checkRepairOutput(t, s, doc.Text, res)
	})
}
