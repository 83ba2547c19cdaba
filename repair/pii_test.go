package repair

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/saring/saring"
)

func TestPII(t *testing.T) {
	p := NewPII(DefaultPIIOptions())
	tests := []struct {
		in, want string
		kinds    map[string]any
	}{
		// E-mail
		{"tulis ke redaksi@kabar.co.id sekarang", "tulis ke email@example.com sekarang", map[string]any{"email": 1}},
		{"Mail John.Doe+news@Example.COM.", "Mail email@example.com.", map[string]any{"email": 1}},
		{"a@b.c and @handle and x@localhost", "a@b.c and @handle and x@localhost", nil},
		{"a@x.com b@y.org", "email@example.com firstname.lastname@example.org", map[string]any{"email": 2}},
		// IPv4
		{"server 8.8.8.8 down", "server 22.214.171.124 down", map[string]any{"ip": 1}},
		{"see http://8.8.8.8/dns and 1.1.1.1:53", "see http://22.214.171.124/dns and 126.96.36.199:53", map[string]any{"ip": 2}},
		{"lan 192.168.1.10, 10.0.0.1, 127.0.0.1", "lan 192.168.1.10, 10.0.0.1, 127.0.0.1", nil},
		{"bad 256.1.1.1 and 01.2.3.4 and 1.2.3.4.5", "bad 256.1.1.1 and 01.2.3.4 and 1.2.3.4.5", nil},
		// IPv6
		{"host 2a00:1450:4001:81c::200e up", "host 2001:db8::1 up", map[string]any{"ipv6": 1}},
		{"loopback ::1 and fe80::1 and 12:30:45", "loopback ::1 and fe80::1 and 12:30:45", nil},
		// Phones
		{"telp +62 812-3456-7890.", "telp <PHONE>.", map[string]any{"phone": 1}},
		{"hubungi 0812 3456 7890 atau 081234567890", "hubungi <PHONE> atau <PHONE>", map[string]any{"phone": 2}},
		{"kantor (021) 555-1234", "kantor <PHONE>", map[string]any{"phone": 1}},
		{"kantor 021-555-1234 dan (0274) 512345", "kantor <PHONE> dan <PHONE>", map[string]any{"phone": 2}},
		{"call +1 (555) 123-4567 or 555-123-4567", "call <PHONE> or <PHONE>", map[string]any{"phone": 2}},
		{"UK +44 20 7946 0958", "UK <PHONE>", map[string]any{"phone": 1}},
		// Cards
		{"card 4111 1111 1111 1111 ok", "card <CARD> ok", map[string]any{"card": 1}},
		{"card 4111-1111-1111-1111", "card <CARD>", map[string]any{"card": 1}},
		{"amex 3782 822463 10005", "amex <CARD>", map[string]any{"card": 1}},
		{"raw 5555555555554444", "raw <CARD>", map[string]any{"card": 1}},
		{"luhn fails 4111 1111 1111 1112", "luhn fails 4111 1111 1111 1112", nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			doc := &saring.Document{Text: tc.in}
			res, err := p.Process(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Text != tc.want {
				t.Errorf("got  %q\nwant %q", doc.Text, tc.want)
			}
			got, _ := doc.Meta("pii")
			if tc.kinds == nil {
				if got != nil || res.Outcome != saring.Keep {
					t.Errorf("unexpected matches %v (%v)", got, res.Outcome)
				}
				return
			}
			m, _ := got.(map[string]any)
			if len(m) != len(tc.kinds) {
				t.Errorf("metadata.pii %v, want %v", m, tc.kinds)
			}
			for k, v := range tc.kinds {
				if m[k] != v {
					t.Errorf("metadata.pii[%s] = %v, want %v", k, m[k], v)
				}
			}
		})
	}
}

// Ordinary numbers must never be taken for personal data.
func TestPIINoFalsePositives(t *testing.T) {
	p := NewPII(DefaultPIIOptions())
	for _, s := range []string{
		"Tanggal 2023-07-24 dan 24/7/2023 serta 24-07-2023.",
		"Harga Rp 1.250.000 atau Rp1.250.000,00; $1,299.99; €12.50; 1,250,000 orang.",
		"Tahun 1998, 2023 dan 2024; pukul 12:30:45; skor 3-1.",
		"Versi v2.10.3, Go 1.26.8, Chrome 115.0.5790.102, build 10.0.19041.1.",
		"ISBN 978-3-16-148410-0, ISBN 0-306-40615-2, ISBN 9783161484100.",
		"Nomor 1234567890123 dan kode pos 40115, NPWP 01.234.567.8-901.000.",
		"Jam buka 08.00-17.00, suhu 0.5 derajat, rasio 0,75.",
		"Pertandingan (2023) berakhir 2-0; ukuran 1920x1080; C++ 11.",
		"std::vector<int> and a::b and http://example.com:8080/path",
	} {
		doc := &saring.Document{Text: s}
		if _, err := p.Process(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		if doc.Text != s {
			t.Errorf("changed:\n  %q\n->%q", s, doc.Text)
		}
	}
}

func TestPIIDeterministicReplacement(t *testing.T) {
	p := NewPII(DefaultPIIOptions())
	text := "a@x.com b@y.com c@z.com"
	out := func(seq uint64) string {
		doc := &saring.Document{Text: text, Seq: seq}
		p.Process(context.Background(), doc)
		return doc.Text
	}
	if out(7) != out(7) {
		t.Error("same Seq, different output")
	}
	if out(0) != "email@example.com firstname.lastname@example.org email@example.com" {
		t.Errorf("seq 0: %q", out(0))
	}
	if out(1) != "firstname.lastname@example.org email@example.com firstname.lastname@example.org" {
		t.Errorf("seq 1: %q", out(1))
	}
}

func TestPIIOptions(t *testing.T) {
	o := DefaultPIIOptions()
	o.OnlyPublicIPs = false
	o.Phones = false
	doc := &saring.Document{Text: "lan 192.168.1.10 telp 0812 3456 7890"}
	NewPII(o).Process(context.Background(), doc)
	if doc.Text != "lan 22.214.171.124 telp 0812 3456 7890" {
		t.Errorf("got %q", doc.Text)
	}
	bad := piiSpec().Options().(*PIIOptions)
	bad.PhoneReplacement = nil
	if err := bad.Validate(); err == nil || err.(*saring.FieldError).Field != "phone_replacement" {
		t.Errorf("got %v", err)
	}
	if _, err := piiSpec().New(bad, saring.Env{}); err == nil {
		t.Error("New accepted invalid options")
	}
}

func FuzzPII(f *testing.F) {
	for _, s := range []string{
		"a@b.co +62 812-3456-7890 (021) 555-1234 0812 3456 7890",
		"8.8.8.8 2a00:1450::1 4111 1111 1111 1111",
		"+(1)2 ((0 @@. :::: 1.1.1.1.1",
		"x@\xff.com +6\xff2",
	} {
		f.Add(s)
	}
	p := NewPII(DefaultPIIOptions())
	f.Fuzz(func(t *testing.T, s string) {
		doc := &saring.Document{Text: s}
		res, err := p.Process(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome == saring.Keep && doc.Text != s {
			t.Fatal("kept but changed")
		}
		if utf8.ValidString(s) && !utf8.ValidString(doc.Text) {
			t.Fatalf("invalid UTF-8: %q -> %q", s, doc.Text)
		}
		// Matches are non-overlapping spans of the input, in order.
		ms := p.find(s, nil)
		last := 0
		for _, m := range ms {
			if m.start < last || m.end <= m.start || m.end > len(s) {
				t.Fatalf("bad match %+v in %q", m, s)
			}
			last = m.end
		}
		// Text outside the matches is kept.
		for _, piece := range splitAround(s, ms) {
			if !strings.Contains(doc.Text, piece) {
				t.Fatalf("lost %q: %q -> %q", piece, s, doc.Text)
			}
		}
	})
}

func splitAround(s string, ms []piiMatch) []string {
	var out []string
	last := 0
	for _, m := range ms {
		out = append(out, s[last:m.start])
		last = m.end
	}
	return append(out, s[last:])
}
