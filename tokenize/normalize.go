package tokenize

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A normStep is one normalizer of a tokenizer.json's chain, for the models
// that run a general chain (Unigram). Each maps a segment's text to its
// normalized text; offsets are not tracked (only ids are asked for).
type normStep struct {
	kind    normKind
	pre     *precompiled
	from    string // Replace: the string or the run character
	minRun  int    // Replace of a regex " {n,}": runs of at least minRun spaces
	to      string
	left    bool // Strip
	right   bool
	prepend string
}

type normKind uint8

const (
	normPrecompiled normKind = iota + 1
	normReplace
	normReplaceRun
	normStrip
	normNFC
	normNFKC
	normLowercase
	normPrepend
)

type hfNorm struct {
	Type        string            `json:"type"`
	Normalizers []json.RawMessage `json:"normalizers"`
	Prepend     string            `json:"prepend"`
	Pattern     struct {
		String *string `json:"String"`
		Regex  *string `json:"Regex"`
	} `json:"pattern"`
	Content    string `json:"content"`
	Charsmap   string `json:"precompiled_charsmap"`
	StripLeft  bool   `json:"strip_left"`
	StripRight bool   `json:"strip_right"`
}

// parseNormChain reads a normalizer (a Sequence or one) into steps.
func parseNormChain(raw json.RawMessage) ([]normStep, error) {
	raw = json.RawMessage(strings.TrimSpace(string(raw)))
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var n hfNorm
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, fmt.Errorf("normalizer: %w", err)
	}
	if n.Type == "Sequence" {
		var steps []normStep
		for _, r := range n.Normalizers {
			s, err := parseNormChain(r)
			if err != nil {
				return nil, err
			}
			steps = append(steps, s...)
		}
		return steps, nil
	}
	switch n.Type {
	case "Precompiled":
		if n.Charsmap == "" {
			return nil, nil // an empty charsmap normalizes nothing
		}
		b, err := base64.StdEncoding.DecodeString(n.Charsmap)
		if err != nil {
			return nil, fmt.Errorf("normalizer Precompiled: %w", err)
		}
		p, err := parsePrecompiled(b)
		if err != nil {
			return nil, err
		}
		return []normStep{{kind: normPrecompiled, pre: p}}, nil
	case "Replace":
		switch {
		case n.Pattern.String != nil && *n.Pattern.String != "":
			return []normStep{{kind: normReplace, from: *n.Pattern.String, to: n.Content}}, nil
		case n.Pattern.Regex != nil:
			if k, ok := spaceRun(*n.Pattern.Regex); ok {
				return []normStep{{kind: normReplaceRun, minRun: k, to: n.Content}}, nil
			}
			return nil, fmt.Errorf("normalizer Replace: regex %q is not supported (runs of spaces, \" {n,}\", are)", *n.Pattern.Regex)
		}
		return nil, fmt.Errorf("normalizer Replace: no pattern")
	case "Strip":
		return []normStep{{kind: normStrip, left: n.StripLeft, right: n.StripRight}}, nil
	case "NFC":
		return []normStep{{kind: normNFC}}, nil
	case "NFKC":
		return []normStep{{kind: normNFKC}}, nil
	case "Lowercase":
		return []normStep{{kind: normLowercase}}, nil
	case "Prepend":
		return []normStep{{kind: normPrepend, prepend: n.Prepend}}, nil
	}
	return nil, fmt.Errorf("normalizer %s is not supported (Precompiled, Replace, Strip, NFC, NFKC, Lowercase, Prepend and Sequences of them are)", n.Type)
}

// spaceRun recognises " {n,}" and "  +"-like patterns: n or more U+0020.
func spaceRun(re string) (int, bool) {
	var k int
	if _, err := fmt.Sscanf(re, " {%d,}", &k); err == nil && re == fmt.Sprintf(" {%d,}", k) && k >= 1 {
		return k, true
	}
	if strings.HasSuffix(re, "+") && strings.Trim(re[:len(re)-1], " ") == "" && len(re) >= 2 {
		return len(re) - 1, true
	}
	return 0, false
}

// normalizeChain runs the steps over s.
func normalizeChain(steps []normStep, s string, buf []byte) (string, []byte) {
	for i := range steps {
		st := &steps[i]
		switch st.kind {
		case normPrecompiled:
			buf = st.pre.normalize(buf[:0], s)
			if string(buf) != s {
				s = string(buf)
			}
		case normReplace:
			if strings.Contains(s, st.from) {
				s = strings.ReplaceAll(s, st.from, st.to)
			}
		case normReplaceRun:
			s = replaceSpaceRuns(s, st.minRun, st.to)
		case normStrip:
			if st.left {
				s = strings.TrimLeftFunc(s, unicode.IsSpace)
			}
			if st.right {
				s = strings.TrimRightFunc(s, unicode.IsSpace)
			}
		case normNFC:
			s = nfc9(s)
		case normNFKC:
			if !norm.NFKC.IsNormalString(s) {
				s = norm.NFKC.String(s)
			}
		case normLowercase:
			s = lowercase(s)
		case normPrepend:
			if s != "" {
				s = st.prepend + s
			}
		}
	}
	return s, buf
}

func replaceSpaceRuns(s string, k int, to string) string {
	i := strings.Index(s, strings.Repeat(" ", k))
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		b.WriteString(s[:i])
		b.WriteString(to)
		s = s[j:]
		i = strings.Index(s, strings.Repeat(" ", k))
	}
	b.WriteString(s)
	return b.String()
}

// lowercase maps each code point to its lower case as Rust's
// char::to_lowercase does: per code point, İ to i and a combining dot.
func lowercase(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == 'İ' {
			b.WriteString("i\u0307")
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// validUTF8 replaces each byte of s that is not part of a valid UTF-8
// sequence with U+FFFD, as the texts reach the reference.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}
