package formats

// TopLevelValue returns the raw JSON value of key in the object line,
// without decoding anything else, through the scanner the JSONL reader
// uses: the other fields are checked and skipped, not built. ok is false
// when key is absent or line is not a well-formed object (callers that
// want what they can get then decode the whole line). The last occurrence
// of key wins, as in encoding/json.
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
		vEnd, err := skipValue(line, vStart)
		if err != nil {
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
