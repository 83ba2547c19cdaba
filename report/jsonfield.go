package report

import (
	"bytes"
	"encoding/json"
)

// TopLevelValue returns the raw JSON value of key in the object line,
// without decoding anything else: strings are skipped with IndexByte, so a
// record's long text costs a memchr, not a decode. It does not validate;
// ok is false when the line is not an object it can walk (callers then
// decode the whole line). The last occurrence wins, as in encoding/json.
func TopLevelValue(line []byte, key string) (val []byte, ok bool) {
	i := skipWS(line, 0)
	if i >= len(line) || line[i] != '{' {
		return nil, false
	}
	i++
	found := false
	for {
		i = skipWS(line, i)
		if i >= len(line) {
			return nil, false
		}
		if line[i] == '}' {
			return val, found
		}
		if line[i] != '"' {
			return nil, false
		}
		kEnd := skipStr(line, i)
		if kEnd < 0 {
			return nil, false
		}
		k := line[i+1 : kEnd-1]
		i = skipWS(line, kEnd)
		if i >= len(line) || line[i] != ':' {
			return nil, false
		}
		i = skipWS(line, i+1)
		vEnd := skipVal(line, i)
		if vEnd < 0 {
			return nil, false
		}
		if string(k) == key || (bytes.IndexByte(k, '\\') >= 0 && unescapedEq(k, key)) {
			val, found = line[i:vEnd], true
		}
		i = skipWS(line, vEnd)
		if i < len(line) && line[i] == ',' {
			i++
		}
	}
}

// unescapedEq handles a key spelled with escapes ("\u0074ext"): rare, so
// it goes through the slow path.
func unescapedEq(k []byte, key string) bool {
	var s string
	if err := jsonUnmarshalString(append(append([]byte{'"'}, k...), '"'), &s); err != nil {
		return false
	}
	return s == key
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipStr returns the index after the string starting at b[i] == '"', or -1.
func skipStr(b []byte, i int) int {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		j += k
		// An odd run of backslashes before the quote escapes it.
		n := 0
		for p := j - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return j + 1
		}
		j++
	}
}

// skipVal returns the index after the value starting at b[i], or -1.
func skipVal(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipStr(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e := skipStr(b, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\t' && b[j] != '\r' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

func jsonUnmarshalString(b []byte, s *string) error { return json.Unmarshal(b, s) }
