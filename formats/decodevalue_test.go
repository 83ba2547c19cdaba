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
