package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The Python reader: a tokenizer, parser and evaluator for the small part
// of Python that spaCy's language data is written in (module-level
// assignments, imports, for/if blocks, literals, string methods, lambdas
// and list comprehensions). It exists so that the tables are derived from
// spaCy's own files rather than copied by hand, without a Python runtime.

type tokKind int

const (
	tEOF tokKind = iota
	tName
	tNumber
	tString
	tOp
	tNewline
	tIndent
	tDedent
)

type token struct {
	kind tokKind
	text string // name, operator, number text, or decoded string value
	// strings only
	fstr bool // an f-string: text is the undecoded body, fields in {}
	line int
}

func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "end of file"
	case tNewline:
		return "newline"
	case tIndent:
		return "indent"
	case tDedent:
		return "dedent"
	case tString:
		return strconv.Quote(t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// lexPython splits src into tokens. Lines inside brackets are joined, as
// Python does, and indentation is turned into indent/dedent tokens.
func lexPython(src string) ([]token, error) {
	var toks []token
	indents := []int{0}
	depth := 0
	line := 1
	i := 0
	atLineStart := true
	n := len(src)
	for i < n {
		if atLineStart && depth == 0 {
			// measure indentation; skip blank and comment-only lines
			col := 0
			j := i
			for j < n && (src[j] == ' ' || src[j] == '\t') {
				if src[j] == '\t' {
					col = (col/8 + 1) * 8
				} else {
					col++
				}
				j++
			}
			if j >= n {
				i = j
				break
			}
			if src[j] == '\n' || src[j] == '\r' || src[j] == '#' {
				for j < n && src[j] != '\n' {
					j++
				}
				if j < n {
					j++
					line++
				}
				i = j
				continue
			}
			i = j
			atLineStart = false
			if col > indents[len(indents)-1] {
				indents = append(indents, col)
				toks = append(toks, token{kind: tIndent, line: line})
			} else {
				for col < indents[len(indents)-1] {
					indents = indents[:len(indents)-1]
					toks = append(toks, token{kind: tDedent, line: line})
				}
				if col != indents[len(indents)-1] {
					return nil, fmt.Errorf("line %d: inconsistent indentation", line)
				}
			}
		}
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
			if depth == 0 {
				toks = append(toks, token{kind: tNewline, line: line - 1})
				atLineStart = true
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
		case c == '#':
			for i < n && src[i] != '\n' {
				i++
			}
		case c == '\\' && i+1 < n && src[i+1] == '\n':
			i += 2
			line++
		case isStringStart(src[i:]):
			tok, size, lines, err := lexString(src[i:], line)
			if err != nil {
				return nil, err
			}
			toks = append(toks, tok)
			i += size
			line += lines
		case c == '_' || c >= 0x80 || unicode.IsLetter(rune(c)):
			j := i
			for j < n {
				r, sz := utf8.DecodeRuneInString(src[j:])
				if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					break
				}
				j += sz
			}
			if j == i {
				return nil, fmt.Errorf("line %d: unexpected character %q", line, src[i:i+1])
			}
			toks = append(toks, token{kind: tName, text: src[i:j], line: line})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < n && (src[j] >= '0' && src[j] <= '9' || src[j] == '_') {
				j++
			}
			toks = append(toks, token{kind: tNumber, text: strings.ReplaceAll(src[i:j], "_", ""), line: line})
			i = j
		default:
			op := ""
			for _, o := range []string{"**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=", "*=", "|=", ":="} {
				if strings.HasPrefix(src[i:], o) {
					op = o
					break
				}
			}
			if op == "" {
				if !strings.ContainsRune("()[]{},:.;=+-*/%<>|&^~@", rune(c)) {
					return nil, fmt.Errorf("line %d: unexpected character %q", line, src[i:i+1])
				}
				op = src[i : i+1]
			}
			switch op {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				if depth == 0 {
					return nil, fmt.Errorf("line %d: unbalanced %q", line, op)
				}
				depth--
			}
			toks = append(toks, token{kind: tOp, text: op, line: line})
			i += len(op)
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("line %d: unclosed bracket at end of file", line)
	}
	if len(toks) > 0 && toks[len(toks)-1].kind != tNewline && toks[len(toks)-1].kind != tDedent {
		toks = append(toks, token{kind: tNewline, line: line})
	}
	for len(indents) > 1 {
		indents = indents[:len(indents)-1]
		toks = append(toks, token{kind: tDedent, line: line})
	}
	toks = append(toks, token{kind: tEOF, line: line})
	return toks, nil
}

func isStringStart(s string) bool {
	for k := 0; k < 3 && k < len(s); k++ {
		c := s[k]
		if c == '\'' || c == '"' {
			return true
		}
		if !strings.ContainsRune("rRfFbBuU", rune(c)) {
			return false
		}
	}
	return false
}

// lexString reads one string literal (with its prefix) from the start of
// s, returning the token, the bytes consumed and the newlines crossed.
func lexString(s string, line int) (token, int, int, error) {
	i := 0
	raw, fstr := false, false
	for s[i] != '\'' && s[i] != '"' {
		switch s[i] {
		case 'r', 'R':
			raw = true
		case 'f', 'F':
			fstr = true
		case 'b', 'B':
			return token{}, 0, 0, fmt.Errorf("line %d: bytes literals are not supported", line)
		}
		i++
	}
	q := s[i : i+1]
	if strings.HasPrefix(s[i:], q+q+q) {
		q = q + q + q
	}
	i += len(q)
	start := i
	lines := 0
	for {
		if i >= len(s) {
			return token{}, 0, 0, fmt.Errorf("line %d: unterminated string", line)
		}
		if strings.HasPrefix(s[i:], q) {
			break
		}
		switch s[i] {
		case '\\':
			if i+1 < len(s) && s[i+1] == '\n' {
				lines++
			}
			i += 2
			continue
		case '\n':
			if len(q) == 1 {
				return token{}, 0, 0, fmt.Errorf("line %d: newline in string", line)
			}
			lines++
		}
		i++
	}
	body := s[start:i]
	i += len(q)
	tok := token{kind: tString, fstr: fstr, line: line}
	if raw {
		tok.text = body
		return tok, i, lines, nil
	}
	// An f-string's escapes are decoded before its fields are split out,
	// which is right while fields hold no backslashes (Python forbids them
	// there before 3.12).
	dec, err := decodeEscapes(body, line)
	if err != nil {
		return token{}, 0, 0, err
	}
	tok.text = dec
	return tok, i, lines, nil
}

// decodeEscapes applies Python's backslash escapes of a non-raw literal.
func decodeEscapes(body string, line int) (string, error) {
	if !strings.Contains(body, `\`) {
		return body, nil
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		e := body[i]
		switch e {
		case '\n':
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte(8)
		case 'f':
			b.WriteByte(12)
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte(11)
		case 'x', 'u', 'U':
			w := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+1+w > len(body) {
				return "", fmt.Errorf("line %d: truncated \\%c escape", line, e)
			}
			v, err := strconv.ParseUint(body[i+1:i+1+w], 16, 32)
			if err != nil || v > unicode.MaxRune {
				return "", fmt.Errorf("line %d: bad \\%c escape", line, e)
			}
			b.WriteRune(rune(v))
			i += w
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(body) && j < i+3 && body[j] >= '0' && body[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(body[i:j], 8, 32)
			b.WriteRune(rune(v))
			i = j - 1
		default:
			// unknown escapes keep the backslash, as Python does
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String(), nil
}
