package formats

import (
	"bytes"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/gogs/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// metaScanBytes is how far into a page a <meta charset> is looked for. HTML
// requires the declaration in the first 1024 bytes; real pages put it a bit
// later (after long comments or scripts), so look twice as far.
const metaScanBytes = 2048

// sniffBytes bounds the sample given to the statistical detector.
const sniffBytes = 32 << 10

// Decoded is an HTML payload turned into valid UTF-8.
type Decoded struct {
	Text    string
	Charset string // WHATWG name of the encoding used, e.g. "utf-8", "windows-1252", "shift_jis"
	// Source says how the charset was chosen: "bom", "utf8" (the bytes are
	// valid UTF-8), "http" (Content-Type header), "meta" (<meta> in the
	// page), "sniffed" (statistical guess) or "default" (windows-1252).
	Source string
	// Errors counts bytes or sequences that could not be decoded and became
	// U+FFFD: a page with many of them was probably decoded with the wrong charset.
	Errors int
}

// DecodeHTML converts an HTML payload to valid UTF-8.
//
// Order: a byte order mark; then bytes that are valid UTF-8 are taken as
// UTF-8 whatever the page declares (mislabelled UTF-8 pages are common,
// while legacy-encoded text that happens to be valid UTF-8 is vanishingly
// rare); then the charset of the HTTP Content-Type; then a <meta> declaration
// in the first 2 KB; then a statistical guess; then windows-1252, the
// default browsers use. 7-bit encodings (ISO-2022-*) are honoured when declared.
func DecodeHTML(body []byte, contentType string) Decoded {
	return decodeHTML(body, contentType, false)
}

// decodeHTML is DecodeHTML; owned says the caller hands body over (it will
// never be changed again), so valid UTF-8 becomes the text without a copy.
func decodeHTML(body []byte, contentType string, owned bool) Decoded {
	if enc, name, n := bomEncoding(body); enc != nil {
		return decodeWith(body[n:], enc, name, "bom")
	}
	declared, src := declaredCharset(body, contentType)
	if strings.HasPrefix(declared, "iso-2022-") {
		if enc, err := htmlindex.Get(declared); err == nil {
			return decodeWith(body, enc, declared, src)
		}
	}
	if utf8.Valid(body) {
		return Decoded{Text: bytesToString(body, owned), Charset: "utf-8", Source: "utf8"}
	}
	if declared == "utf-8" && mostlyInvalidUTF8(body) {
		// Declared UTF-8 but most non-ASCII bytes are not UTF-8: a legacy
		// page behind a server-wide UTF-8 header. Guess rather than turn
		// every accented letter into U+FFFD.
		declared = ""
	}
	if declared != "" {
		if enc, err := htmlindex.Get(declared); err == nil {
			name, _ := htmlindex.Name(enc)
			if name == "" {
				name = declared
			}
			return decodeWith(body, enc, name, src)
		}
	}
	if enc, name := sniffCharset(body); enc != nil {
		return decodeWith(body, enc, name, "sniffed")
	}
	enc, _ := htmlindex.Get("windows-1252")
	return decodeWith(body, enc, "windows-1252", "default")
}

func bomEncoding(b []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8, "utf-8", 3
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	}
	return nil, "", 0
}

// declaredCharset returns the WHATWG name of the charset the HTTP header or
// the page declares, "" when none is declared or the label is unknown.
func declaredCharset(body []byte, contentType string) (name, source string) {
	if n := canonicalCharset(charsetParam(contentType)); n != "" {
		return n, "http"
	}
	if n := canonicalCharset(metaCharset(body)); n != "" {
		return n, "meta"
	}
	return "", ""
}

// canonicalCharset maps a label ("latin1", "UTF8", "x-sjis") to its WHATWG
// name. HTML says a page declaring UTF-16 in <meta> is really ASCII-compatible.
func canonicalCharset(label string) string {
	label = strings.TrimSpace(label)
	if label == "" {
		return ""
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		if e, n := charset.Lookup(label); e != nil {
			return n
		}
		return ""
	}
	name, err := htmlindex.Name(enc)
	if err != nil {
		return ""
	}
	if strings.HasPrefix(name, "utf-16") {
		return "utf-8"
	}
	return name
}

// metaCharset finds charset=... inside a <meta> tag in the first
// metaScanBytes of the page: it covers both <meta charset="x"> and
// <meta http-equiv="Content-Type" content="text/html; charset=x">.
func metaCharset(body []byte) string {
	head := body
	if len(head) > metaScanBytes {
		head = head[:metaScanBytes]
	}
	for {
		i := indexFold(head, "<meta")
		if i < 0 {
			return ""
		}
		head = head[i+5:]
		end := bytes.IndexByte(head, '>')
		tag := head
		if end >= 0 {
			tag = head[:end]
		}
		if j := indexFold(tag, "charset"); j >= 0 {
			v := tag[j+7:]
			v = bytes.TrimLeft(v, " \t\r\n")
			if len(v) > 0 && v[0] == '=' {
				v = bytes.TrimLeft(v[1:], " \t\r\n\"'")
				k := 0
				for k < len(v) && v[k] != '"' && v[k] != '\'' && v[k] != ';' && v[k] != ' ' && v[k] != '/' && v[k] != '\t' && v[k] != '\r' && v[k] != '\n' {
					k++
				}
				if k > 0 && k < 40 {
					return string(v[:k])
				}
			}
		}
		if end < 0 {
			return ""
		}
		head = head[end:]
	}
}

// indexFold is bytes.Index for an ASCII lower-case needle, ignoring case.
func indexFold(s []byte, needle string) int {
	n := len(needle)
	first := needle[0]
	for i := 0; i+n <= len(s); i++ {
		c := s[i] | 0x20
		if c != first {
			continue
		}
		ok := true
		for k := 1; k < n; k++ {
			if s[i+k]|0x20 != needle[k] {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// mostlyInvalidUTF8 reports whether invalid sequences outnumber valid
// multi-byte characters (pages that are UTF-8 with a few damaged bytes keep
// their declaration).
func mostlyInvalidUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			valid++
		}
		i += size
	}
	return invalid > valid
}

// sniffCharset guesses the charset of undeclared, non-UTF-8 bytes.
func sniffCharset(body []byte) (encoding.Encoding, string) {
	sample := body
	if len(sample) > sniffBytes {
		sample = sample[:sniffBytes]
	}
	res, err := chardet.NewHtmlDetector().DetectBest(sample)
	if err != nil || res == nil || res.Confidence < 30 {
		return nil, ""
	}
	label := res.Charset
	switch label {
	case "GB-18030":
		label = "gb18030"
	case "UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE":
		return nil, "" // not valid UTF-8 (checked before), so the guess is wrong
	case "ISO-8859-1":
		label = "windows-1252"
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, ""
	}
	name, err := htmlindex.Name(enc)
	if err != nil {
		return nil, ""
	}
	return enc, name
}

// decodeWith decodes b with enc; undecodable bytes become U+FFFD and are counted.
func decodeWith(b []byte, enc encoding.Encoding, name, source string) Decoded {
	if name == "utf-8" {
		if utf8.Valid(b) {
			return Decoded{Text: string(b), Charset: name, Source: source}
		}
		s, n := toValidUTF8(b)
		return Decoded{Text: s, Charset: name, Source: source, Errors: n}
	}
	before := bytes.Count(b, replacementUTF8) // GB18030 can encode U+FFFD itself
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		// x/text decoders replace bad input rather than fail; an error here
		// means a broken decoder state, so fall back to lossy UTF-8.
		s, n := toValidUTF8(b)
		return Decoded{Text: s, Charset: "utf-8", Source: source, Errors: n}
	}
	if !utf8.Valid(out) {
		s, n := toValidUTF8(out)
		return Decoded{Text: s, Charset: name, Source: source, Errors: n + bytes.Count(out, replacementUTF8)}
	}
	errs := bytes.Count(out, replacementUTF8) - before
	if errs < 0 {
		errs = 0
	}
	return Decoded{Text: bytesToString(out, true), Charset: name, Source: source, Errors: errs}
}

var replacementUTF8 = []byte("\uFFFD")

// bytesToString converts without copying when the caller owns b: a page is
// the largest allocation per record and copying it doubles the reader's
// memory traffic.
func bytesToString(b []byte, owned bool) string {
	if !owned || len(b) == 0 {
		return string(b)
	}
	return unsafe.String(&b[0], len(b))
}

// toValidUTF8 replaces each invalid sequence with U+FFFD and counts them.
func toValidUTF8(b []byte) (string, int) {
	var sb strings.Builder
	sb.Grow(len(b) + 16)
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			n++
			sb.WriteRune(utf8.RuneError)
			b = b[1:]
			// A run of bad bytes becomes one U+FFFD, as strings.ToValidUTF8 does.
			for len(b) > 0 {
				if r, size := utf8.DecodeRune(b); r != utf8.RuneError || size != 1 {
					break
				}
				b = b[1:]
			}
			continue
		}
		sb.Write(b[:size])
		b = b[size:]
	}
	return sb.String(), n
}
