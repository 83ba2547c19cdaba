// Package words splits text into words and sentences exactly as datatrove
// does, so that filters built on word counts (Gopher, C4, FineWeb) reach
// the same decisions.
//
// datatrove tokenizes most languages with a blank spaCy pipeline plus
// spaCy's rule-based sentencizer. This package reimplements that tokenizer
// in Go, without regular expressions on the hot path:
//
//   - the text is split on whitespace (Python's str.isspace); a single space
//     after a word is dropped, other whitespace runs become tokens that
//     datatrove strips afterwards;
//   - each chunk is looked up in the exception table ("don't" -> "do",
//     "n't"; "a.m."; emoticons such as ":-)"), else prefixes and suffixes
//     are peeled off in spaCy's order, the rest is kept whole if it is a
//     URL, else cut at infixes (hyphens between letters, "a/b", "3-4", ...);
//   - a second pass re-applies exceptions that the affix rules split ("Hi:)"
//     -> "Hi", ":)");
//   - sentences end after a token made of sentence punctuation ('.', '!',
//     '?', '。' ...) once a non-punctuation token follows.
//
// Rule sets, chosen per language from datatrove's tokenizer assignment
// table (see RuleSet): "en" (spaCy English), "id" (spaCy Indonesian, also
// used by datatrove for Malay-proxied Austronesian languages such as
// Javanese and Sundanese via "ms"), "ms" (spaCy Malay) and "xx" (spaCy's
// multi-language rules, which datatrove uses for most other languages).
// Languages datatrove tokenizes with other libraries (NLTK, Stanza,
// IndicNLP, Kiwi for Korean, spaCy's own French, German, ... rules) fall
// back to "xx", which is close but not identical. Thai, Lao, Khmer,
// Burmese, Tibetan, Chinese and Japanese ("chars") are written without
// spaces: their letters become one token each, a documented approximation
// of the dictionary segmenters datatrove uses.
//
// Exception tables and character classes are generated from spaCy v3.8's
// language data (MIT License) and shipped as Go data.
package words
