package formats

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
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
