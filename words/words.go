// Package words splits text into words and sentences the way the filters
// need it: per language, Unicode-aware.
package words

import (
	"strings"
	"unicode"
)

// Split returns the words of text for the given language (lid.176 code such
// as "en" or "id"; "" means unknown). Punctuation tokens are included as
// separate tokens, as datatrove's tokenizers produce them.
// PLACEHOLDER implementation: to be replaced by the real per-language rules.
func Split(text, lang string) []string {
	var out []string
	start := -1
	for i, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.Is(unicode.Mn, r):
			if start < 0 {
				start = i
			}
		default:
			if start >= 0 {
				out = append(out, text[start:i])
				start = -1
			}
			if !unicode.IsSpace(r) {
				out = append(out, string(r))
			}
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}

// Sentences splits text into sentences for the given language.
// PLACEHOLDER implementation.
func Sentences(text, lang string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
