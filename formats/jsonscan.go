package formats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON scanner for the top level of JSONL records. Decoding whole
// records with encoding/json costs more than reading and writing the file;
// saring needs only the text and id decoded, and every other field kept
// verbatim, so it validates those fields without building values.

type jsonError struct {
	off int
	msg string
}

func (e *jsonError) Error() string { return fmt.Sprintf("invalid JSON at byte %d: %s", e.off, e.msg) }

func jsonErr(off int, format string, args ...any) error {
	return &jsonError{off: off, msg: fmt.Sprintf(format, args...)}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// jsonPlain marks the bytes that may stand unescaped inside a JSON string
// (everything but quotes, backslashes and control characters).
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainRun returns the index of the first byte at or after i that may not
// stand unescaped in a JSON string (a quote, a backslash or a control
// character), or len(b). It tests eight bytes at a time: text is mostly
// plain, and this loop is most of the cost of reading and writing JSONL.
func plainRun[T string | []byte](b T, i int) int { return jsonRun(b, i, 0) }

// asciiRun is plainRun that also stops at the first byte of a multi-byte
// UTF-8 sequence, so that callers check UTF-8 in the same pass.
func asciiRun[T string | []byte](b T, i int) int { return jsonRun(b, i, 0x8080808080808080) }

func jsonRun[T string | []byte](b T, i int, high uint64) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(b); i += 8 {
		x := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
		q := x ^ (lo * '"')
		bs := x ^ (lo * '\\')
		// A byte is flagged when it is below 0x20 or equals '"' or '\\'.
		// Borrows may also flag bytes above a flagged one, never below,
		// so the lowest flag is exact.
		m := (x - lo*0x20) &^ x & hi
		m |= (q - lo) &^ q & hi
		m |= (bs - lo) &^ bs & hi
		m |= x & high
		if m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(b) && jsonPlain[b[i]] && (high == 0 || b[i] < utf8.RuneSelf) {
		i++
	}
	return i
}

// scanString checks the JSON string starting at b[i] == '"' and returns the
// index after its closing quote, and whether it holds escapes.
func scanString(b []byte, i int) (end int, escaped bool, err error) {
	start := i
	i++
	// UTF-8 is checked in the same pass, but reported only once the string
	// has been scanned to its end, so that a string broken in two ways
	// gives the error it always gave.
	badUTF8 := -1
	for {
		i = asciiRun(b, i)
		if i >= len(b) {
			return 0, false, jsonErr(start, "unterminated string")
		}
		switch c := b[i]; {
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 && badUTF8 < 0 {
				badUTF8 = i
			}
			i += size
		case c == '"':
			if badUTF8 >= 0 {
				return 0, false, jsonErr(badUTF8, "invalid UTF-8 in string")
			}
			return i + 1, escaped, nil
		case c == '\\':
			escaped = true
			if i+1 >= len(b) {
				return 0, false, jsonErr(i, "unterminated escape")
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					return 0, false, jsonErr(i, "short \\u escape")
				}
				for _, h := range b[i+2 : i+6] {
					if !isHex(h) {
						return 0, false, jsonErr(i, "bad \\u escape")
					}
				}
				i += 6
			default:
				return 0, false, jsonErr(i, "bad escape \\%c", b[i+1])
			}
		default:
			return 0, false, jsonErr(i, "control character 0x%02x in string", c)
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// decodeString returns the value of the JSON string b[i:end] (quotes included).
func decodeString(b []byte, i, end int, escaped bool) string {
	if !escaped {
		return string(b[i+1 : end-1])
	}
	out := make([]byte, 0, end-i)
	for j := i + 1; j < end-1; {
		if k := bytes.IndexByte(b[j:end-1], '\\'); k != 0 {
			if k < 0 {
				out = append(out, b[j:end-1]...)
				break
			}
			out = append(out, b[j:j+k]...)
			j += k
		}
		switch b[j+1] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := rune(hex4(b[j+2 : j+6]))
			j += 6
			if utf16.IsSurrogate(r) {
				if j+6 <= end-1 && b[j] == '\\' && b[j+1] == 'u' {
					r2 := rune(hex4(b[j+2 : j+6]))
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						j += 6
						out = utf8.AppendRune(out, dec)
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		default: // " \ /
			out = append(out, b[j+1])
		}
		j += 2
	}
	return string(out)
}

func hex4(h []byte) uint16 {
	v, _ := strconv.ParseUint(string(h), 16, 16)
	return uint16(v)
}

var errDepth = errors.New("nesting deeper than 10000")

// skipValue checks the JSON value starting at b[i] and returns the index after it.
// decodeValue decodes the JSON value at b[i:], which skipValue has already
// checked, into the Go values encoding/json gives with UseNumber:
// map[string]any (a repeated key keeps its last value), []any, string,
// json.Number, bool and nil. It returns the value and the offset after it.
func decodeValue(b []byte, i int) (any, int) {
	i = skipSpace(b, i)
	switch b[i] {
	case '"':
		end, esc, _ := scanString(b, i)
		return decodeString(b, i, end, esc), end
	case '{':
		m := map[string]any{}
		i = skipSpace(b, i+1)
		if b[i] == '}' {
			return m, i + 1
		}
		for {
			i = skipSpace(b, i)
			end, esc, _ := scanString(b, i)
			key := decodeString(b, i, end, esc)
			i = skipSpace(b, end) + 1 // ':'
			var v any
			v, i = decodeValue(b, i)
			m[key] = v
			i = skipSpace(b, i)
			if b[i] == '}' {
				return m, i + 1
			}
			i++ // ','
		}
	case '[':
		a := []any{}
		i = skipSpace(b, i+1)
		if b[i] == ']' {
			return a, i + 1
		}
		for {
			var v any
			v, i = decodeValue(b, i)
			a = append(a, v)
			i = skipSpace(b, i)
			if b[i] == ']' {
				return a, i + 1
			}
			i++ // ','
		}
	case 't':
		return true, i + 4
	case 'f':
		return false, i + 5
	case 'n':
		return nil, i + 4
	default:
		end, _ := skipNumber(b, i)
		return json.Number(b[i:end]), end
	}
}

func skipValue(b []byte, i int) (int, error) {
	return skipValueDepth(b, i, 0)
}

func skipValueDepth(b []byte, i, depth int) (int, error) {
	if depth > 10000 {
		return 0, errDepth
	}
	i = skipSpace(b, i)
	if i >= len(b) {
		return 0, jsonErr(i, "unexpected end of record")
	}
	switch c := b[i]; {
	case c == '"':
		end, _, err := scanString(b, i)
		return end, err
	case c == '{':
		i = skipSpace(b, i+1)
		if i < len(b) && b[i] == '}' {
			return i + 1, nil
		}
		for {
			i = skipSpace(b, i)
			if i >= len(b) || b[i] != '"' {
				return 0, jsonErr(i, "expected object key")
			}
			end, _, err := scanString(b, i)
			if err != nil {
				return 0, err
			}
			i = skipSpace(b, end)
			if i >= len(b) || b[i] != ':' {
				return 0, jsonErr(i, "expected ':'")
			}
			if i, err = skipValueDepth(b, i+1, depth+1); err != nil {
				return 0, err
			}
			i = skipSpace(b, i)
			if i < len(b) && b[i] == ',' {
				i++
				continue
			}
			if i < len(b) && b[i] == '}' {
				return i + 1, nil
			}
			return 0, jsonErr(i, "expected ',' or '}'")
		}
	case c == '[':
		i = skipSpace(b, i+1)
		if i < len(b) && b[i] == ']' {
			return i + 1, nil
		}
		for {
			var err error
			if i, err = skipValueDepth(b, i, depth+1); err != nil {
				return 0, err
			}
			i = skipSpace(b, i)
			if i < len(b) && b[i] == ',' {
				i++
				continue
			}
			if i < len(b) && b[i] == ']' {
				return i + 1, nil
			}
			return 0, jsonErr(i, "expected ',' or ']'")
		}
	case c == 't':
		return skipLiteral(b, i, "true")
	case c == 'f':
		return skipLiteral(b, i, "false")
	case c == 'n':
		return skipLiteral(b, i, "null")
	case c == '-' || '0' <= c && c <= '9':
		return skipNumber(b, i)
	default:
		return 0, jsonErr(i, "unexpected character %q", c)
	}
}

func skipLiteral(b []byte, i int, lit string) (int, error) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return 0, jsonErr(i, "invalid literal")
	}
	return i + len(lit), nil
}

func skipNumber(b []byte, i int) (int, error) {
	start := i
	if b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return 0, jsonErr(start, "invalid number")
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return 0, jsonErr(start, "invalid number")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return 0, jsonErr(start, "invalid number")
		}
	}
	return i, nil
}

// appendJSONString appends s as a JSON string. It escapes only what JSON
// requires (quotes, backslashes, control characters) and keeps non-ASCII
// text as UTF-8, so output stays readable and compact. Invalid UTF-8 is
// replaced with U+FFFD so that the output is always valid JSON.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		i = asciiRun(s, i)
		if i >= len(s) {
			break
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, "\ufffd"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"
