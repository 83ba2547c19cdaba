package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var decodeValueCases = []string{
	`{}`, `[]`, `{"a":1}`, `{"a":-0.5e+10,"b":[1,2,{"c":null}],"d":true,"e":false}`,
	`{"dup":1,"dup":2}`, `{"s":"\u00e9\ud83d\ude00\ud800x\\\"\/\b\f\n\r\t"}`,
	` { "sp" : [ 1 , "x" ] , "n" : 12345678901234567890 } `, `{"nested":{"deep":{"deeper":[[[]]]}}}`,
	`{"":""}`, `{"url":"https://example.org/a?b=c","language_score":0.98,"token_count":512}`,
}

// TestDecodeValueMatchesEncodingJSON: the scanner's decoder gives the values
// encoding/json gives with UseNumber, which metadata held before.
func TestDecodeValueMatchesEncodingJSON(t *testing.T) {
	for _, c := range decodeValueCases {
		checkDecodeValue(t, []byte(c))
	}
}

func FuzzDecodeValue(f *testing.F) {
	for _, c := range decodeValueCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecodeValue(t, b)
	})
}

func checkDecodeValue(t *testing.T, b []byte) {
	t.Helper()
	end, err := skipValue(b, 0)
	if err != nil || skipSpace(b, end) != len(b) {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var want any
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("%q: the scanner accepts it, encoding/json does not: %v", b, err)
	}
	got, n := decodeValue(b, 0)
	if n != end {
		t.Fatalf("%q: decodeValue ended at %d, skipValue at %d", b, n, end)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: got %#v, want %#v", b, got, want)
	}
}

// plainRunSlow is the byte loop plainRun must agree with.
func plainRunSlow(b []byte, i int) int {
	for i < len(b) && jsonPlain[b[i]] {
		i++
	}
	return i
}

func TestPlainRun(t *testing.T) {
	specials := []byte{'"', '\\', 0, 0x1f, 0x20, '!', '[', ']', 0x7f, 0x80, 0xa0, 0xff, '\n', 0x21, 0x5b, 0x5d, 0x9f}
	// Every position of every special byte in strings of plain ASCII and
	// non-ASCII filler, at every start offset.
	for _, fill := range []byte{'a', 0xc3, 0xff, 0x21} {
		for n := 0; n <= 24; n++ {
			for pos := 0; pos < n; pos++ {
				for _, c := range specials {
					b := bytes.Repeat([]byte{fill}, n)
					b[pos] = c
					for i := 0; i <= n; i++ {
						if got, want := plainRun(b, i), plainRunSlow(b, i); got != want {
							t.Fatalf("%x from %d: plainRun %d, want %d", b, i, got, want)
						}
						if got, want := plainRun(string(b), i), plainRunSlow(b, i); got != want {
							t.Fatalf("%x from %d (string): plainRun %d, want %d", b, i, got, want)
						}
					}
				}
			}
		}
	}
}

func FuzzPlainRun(f *testing.F) {
	f.Add([]byte("plain text \"quoted\" and a \\ backslash\n"), 3)
	f.Fuzz(func(t *testing.T, b []byte, i int) {
		if i < 0 || i > len(b) {
			return
		}
		if got, want := plainRun(b, i), plainRunSlow(b, i); got != want {
			t.Fatalf("%q from %d: plainRun %d, want %d", b, i, got, want)
		}
	})
}

// scanStringRef is scanString as it was before UTF-8 was checked in the
// scanning pass: the reference the fused scan must agree with.
func scanStringRef(b []byte, i int) (int, bool, string) {
	start := i
	i++
	escaped := false
	for {
		i = plainRunSlow(b, i)
		if i >= len(b) {
			return 0, false, jsonErr(start, "unterminated string").Error()
		}
		switch c := b[i]; {
		case c == '"':
			if !utf8.Valid(b[start+1 : i]) {
				return 0, false, jsonErr(start+1+invalidAt(b[start+1:i]), "invalid UTF-8 in string").Error()
			}
			return i + 1, escaped, ""
		case c == '\\':
			escaped = true
			if i+1 >= len(b) {
				return 0, false, jsonErr(i, "unterminated escape").Error()
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					return 0, false, jsonErr(i, "short \\u escape").Error()
				}
				for _, h := range b[i+2 : i+6] {
					if !isHex(h) {
						return 0, false, jsonErr(i, "bad \\u escape").Error()
					}
				}
				i += 6
			default:
				return 0, false, jsonErr(i, "bad escape \\%c", b[i+1]).Error()
			}
		default:
			return 0, false, jsonErr(i, "control character 0x%02x in string", c).Error()
		}
	}
}

// appendJSONStringRef is appendJSONString's reference: invalid UTF-8
// becomes U+FFFD byte by byte, quotes, backslashes and controls escaped.
func appendJSONStringRef(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString("\ufffd")
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

var stringCases = []string{
	`"plain"`, `"caf\u00e9 é 漢字 😀"`, `"esc \" \\ \n \t \u0041"`, "\"bad \xff utf8\"", "\"ctl \x01 after\"",
	"\"bad \xc3 then ctl \x02\"", "\"\xe6\xbc\"", `"unterminated`, `"bad esc \q"`, `"short \u12"`,
	"\"long ascii run before a quote........................\\\" and after é\"",
}

func TestScanStringMatchesReference(t *testing.T) {
	for _, c := range stringCases {
		checkScanString(t, []byte(c))
	}
}

func TestAppendJSONStringMatchesReference(t *testing.T) {
	for _, c := range append(stringCases, "", "\x00\x1f\x7f", strings.Repeat("é\xff\"a", 20)) {
		if got, want := string(appendJSONString(nil, c)), appendJSONStringRef(c); got != want {
			t.Errorf("appendJSONString(%q) = %q, want %q", c, got, want)
		}
	}
}

func FuzzScanString(f *testing.F) {
	for _, c := range stringCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 || b[0] != '"' {
			b = append([]byte{'"'}, b...)
		}
		checkScanString(t, b)
		if got, want := string(appendJSONString(nil, string(b))), appendJSONStringRef(string(b)); got != want {
			t.Fatalf("appendJSONString(%q) = %q, want %q", b, got, want)
		}
	})
}

func checkScanString(t *testing.T, b []byte) {
	t.Helper()
	end, esc, err := scanString(b, 0)
	wend, wesc, werr := scanStringRef(b, 0)
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if end != wend || esc != wesc || msg != werr {
		t.Fatalf("scanString(%q) = %d %v %q, want %d %v %q", b, end, esc, msg, wend, wesc, werr)
	}
}
