package formats

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func encodeCharset(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeHTML(t *testing.T) {
	const fr = "<html><body><p>Le café était très bon, déjà à côté de l'église. Ça coûte cher.</p></body></html>"
	const ja = "<html><body><p>吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。</p></body></html>"
	const zh = "<html><body><p>中华人民共和国是世界上人口最多的国家之一，首都是北京。这个国家有着悠久的历史和灿烂的文化，经济发展非常迅速。</p></body></html>"
	const id = "<html><body><p>Presiden meresmikan jembatan baru di Kalimantan pada hari Senin.</p></body></html>"
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(id))
	tests := []struct {
		name, contentType string
		body              []byte
		want              string
		charset, source   string
		errors            int
	}{
		{"ascii", "text/html", []byte(id), id, "utf-8", "utf8", 0},
		{"utf8 mislabelled latin1", "text/html; charset=iso-8859-1", []byte(fr), fr, "utf-8", "utf8", 0},
		{"cp1252 http", "text/html; charset=windows-1252", encodeCharset(t, charmap.Windows1252, fr), fr, "windows-1252", "http", 0},
		{"latin1 label means cp1252", "text/html; charset=ISO-8859-1", encodeCharset(t, charmap.Windows1252, "€ "+fr), "€ " + fr, "windows-1252", "http", 0},
		{"cp1252 meta http-equiv", "", append([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`), encodeCharset(t, charmap.Windows1252, fr)...),
			`<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">` + fr, "windows-1252", "meta", 0},
		{"sjis meta", "text/html", append([]byte(`<META CHARSET='Shift_JIS'>`), encodeCharset(t, japanese.ShiftJIS, ja)...), `<META CHARSET='Shift_JIS'>` + ja, "shift_jis", "meta", 0},
		{"sjis sniffed", "", encodeCharset(t, japanese.ShiftJIS, ja), ja, "shift_jis", "sniffed", 0},
		{"gbk http", "text/html;charset=GBK", encodeCharset(t, simplifiedchinese.GBK, zh), zh, "gbk", "http", 0},
		{"gb2312 label", "text/html; charset=gb2312", encodeCharset(t, simplifiedchinese.GBK, zh), zh, "gbk", "http", 0},
		{"utf16 bom", "", utf16, id, "utf-16le", "bom", 0},
		{"utf8 bom", "", append([]byte{0xEF, 0xBB, 0xBF}, id...), id, "utf-8", "bom", 0},
		{"damaged utf8 declared", "text/html; charset=utf-8", []byte("Café déjà vu \xff\xfe naïve \xc3 end"), "Café déjà vu \uFFFD naïve \uFFFD end", "utf-8", "http", 2},
		{"cp1252 behind a utf-8 header", "text/html; charset=utf-8", encodeCharset(t, charmap.Windows1252, fr), fr, "", "sniffed", 0},
		{"undeclared cp1252 quotes", "", encodeCharset(t, charmap.Windows1252, "<p>“Ferry services resume,” officials said – on Tuesday.</p>"), "<p>“Ferry services resume,” officials said – on Tuesday.</p>", "windows-1252", "sniffed", 0},
		{"undeclared latin1", "", encodeCharset(t, charmap.Windows1252, fr), fr, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DecodeHTML(tt.body, tt.contentType)
			if !utf8.ValidString(got.Text) {
				t.Fatalf("output is not valid UTF-8")
			}
			if got.Text != tt.want {
				t.Errorf("text %q, want %q", got.Text, tt.want)
			}
			if tt.charset == "" && tt.source != "" && got.Source != tt.source {
				t.Errorf("charset source %s, want %s", got.Source, tt.source)
			}
			if tt.charset != "" && (got.Charset != tt.charset || got.Source != tt.source) {
				t.Errorf("charset %s/%s, want %s/%s", got.Charset, got.Source, tt.charset, tt.source)
			}
			if got.Errors != tt.errors {
				t.Errorf("errors %d, want %d", got.Errors, tt.errors)
			}
		})
	}
}

func TestMetaCharset(t *testing.T) {
	tests := map[string]string{
		`<meta charset="utf-8">`: "utf-8",
		`<meta charset=euc-jp>`:  "euc-jp",
		`<META http-equiv="content-type" content="text/html; charset=big5">`: "big5",
		`<meta name="x" content="y"><meta charset = 'koi8-r' />`:             "koi8-r",
		`<p>charset=utf-8</p>`:                               "",
		strings.Repeat(" ", 3000) + `<meta charset="utf-8">`: "",
		`<meta charset="`:                                    "",
	}
	for in, want := range tests {
		if got := metaCharset([]byte(in)); got != want {
			t.Errorf("metaCharset(%.60q) = %q, want %q", in, got, want)
		}
	}
}

func TestCharsetParam(t *testing.T) {
	tests := map[string]string{
		"text/html; charset=UTF-8":              "UTF-8",
		"text/html;charset=\"windows-1252\"":    "windows-1252",
		"text/html; foo=bar; CharSet = 'gbk' ":  "gbk",
		"text/html":                             "",
		"text/html; charsetx=utf-8":             "",
		"text/html; charset=utf-8; format=flow": "utf-8",
	}
	for in, want := range tests {
		if got := charsetParam(in); got != want {
			t.Errorf("charsetParam(%q) = %q, want %q", in, got, want)
		}
	}
}
