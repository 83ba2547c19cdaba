package formats

import "bytes"

// TopLevelValue returns the raw JSON value of key in the object line,
// without decoding anything else, through the scanner the JSONL reader
// uses: keys and non-string values are checked and skipped, not built.
// String values (a record's text is most of its line) are only skipped,
// to their closing quote with IndexByte, not validated: the reader checked
// them when the run read them, and a memchr is what they should cost. ok
// is false when key is absent or line is not an object it can walk
// (callers that want what they can get then decode the whole line). The
// last occurrence of key wins, as in encoding/json.
func TopLevelValue(line []byte, key string) (val []byte, ok bool) {
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		return nil, false
	}
	i = skipSpace(line, i+1)
	if i < len(line) && line[i] == '}' {
		return nil, false
	}
	for {
		i = skipSpace(line, i)
		if i >= len(line) || line[i] != '"' {
			return nil, false
		}
		kEnd, escaped, err := scanString(line, i)
		if err != nil {
			return nil, false
		}
		match := false
		if escaped {
			match = decodeString(line, i, kEnd, true) == key
		} else {
			match = string(line[i+1:kEnd-1]) == key
		}
		i = skipSpace(line, kEnd)
		if i >= len(line) || line[i] != ':' {
			return nil, false
		}
		vStart := skipSpace(line, i+1)
		var vEnd int
		if vStart < len(line) && line[vStart] == '"' {
			if vEnd = skipString(line, vStart); vEnd < 0 {
				return nil, false
			}
		} else if vEnd, err = skipValue(line, vStart); err != nil {
			return nil, false
		}
		if match {
			val, ok = line[vStart:vEnd], true
		}
		i = skipSpace(line, vEnd)
		switch {
		case i < len(line) && line[i] == ',':
			i++
		case i < len(line) && line[i] == '}':
			return val, ok
		default:
			return nil, false
		}
	}
}

// skipString returns the index after the JSON string starting at
// b[i] == '"', or -1 when it does not end, without checking its contents.
func skipString(b []byte, i int) int {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		j += k
		n := 0 // an odd run of backslashes before the quote escapes it
		for p := j - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return j + 1
		}
		j++
	}
}
