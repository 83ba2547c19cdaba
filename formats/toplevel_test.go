package formats

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestTopLevelValue(t *testing.T) {
	for _, c := range []struct {
		line, key, want string
		ok              bool
	}{
		{`{"id":"a","text":"x \"metadata\": y","metadata":{"language":"id"}}`, "metadata", `{"language":"id"}`, true},
		{`{"metadata":{"a":[1,{"b":"}"}]},"id":"x"}`, "metadata", `{"a":[1,{"b":"}"}]}`, true},
		{`{"text":"a\\","metadata":null}`, "metadata", `null`, true},
		{` { "metadata" : 12 , "x":true } `, "metadata", `12`, true},
		{`{"id":"a"}`, "metadata", ``, false},
		{`{}`, "metadata", ``, false},
		{`{"\u006detadata":{"k":1}}`, "metadata", `{"k":1}`, true},
		{`{"metadata":1,"metadata":2}`, "metadata", `2`, true},
		{`[1,2]`, "metadata", ``, false},
		{`{"text":"unterminated`, "metadata", ``, false},
		{`{"metadata":1,"text":`, "metadata", ``, false},
		{``, "metadata", ``, false},
	} {
		got, ok := TopLevelValue([]byte(c.line), c.key)
		if ok != c.ok || string(got) != c.want {
			t.Errorf("TopLevelValue(%s) = %q, %v; want %q, %v", c.line, got, ok, c.want, c.ok)
		}
	}
}

// FuzzTopLevelValue: on any valid JSON object, the value found decodes to
// what encoding/json finds under that key.
func FuzzTopLevelValue(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"b\"c\\","metadata":{"removed":{"step":"s"}}}`))
	f.Add([]byte(`{"metadata":[1,"]",{"x":"}"}]}`))
	f.Add([]byte(`{"a":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := TopLevelValue(b, "metadata")
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) != nil {
			return // not an object: any answer is fine, no panic is the test
		}
		if !utf8.Valid(b) {
			// encoding/json takes invalid UTF-8 (as U+FFFD); saring's
			// scanner refuses it, as the reader refused the record.
			return
		}
		want, has := m["metadata"]
		if !ok {
			if has {
				t.Fatalf("missed metadata in %q", b)
			}
			return
		}
		var a, w any
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("value %q does not decode: %v", got, err)
		}
		_ = json.Unmarshal(want, &w)
		if !reflect.DeepEqual(a, w) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}
