package words

import "strings"

// sentencePunct is the default punctuation of spaCy's rule-based
// sentencizer (spacy/pipeline/sentencizer.pyx): a token that is exactly one
// of these ends a sentence.
const sentencePunct = "!.?։؟۔܀܁܂߹।॥၊။።፧፨᙮᜵᜶᠃᠉᥄᥅᪨᪩᪪᪫᭚᭛᭞᭟᰻᰼᱾᱿‼‽⁇⁈⁉⸮⸼。꓿꘎꘏꛳꛷꡶꡷꣎꣏꤯꧈꧉꩝꩞꩟꫰꫱꯫﹒﹖﹗！．？｡" +
	"\U00010a56\U00010a57\U00011047\U00011048\U000110be\U000110bf\U000110c0\U000110c1\U00011141\U00011142\U00011143" +
	"\U000111c5\U000111c6\U000111cd\U000111de\U000111df\U00011238\U00011239\U0001123b\U0001123c\U000112a9\U0001144b" +
	"\U0001144c\U000115c2\U000115c3\U000115c9\U000115ca\U000115cb\U000115cc\U000115cd\U000115ce\U000115cf\U000115d0" +
	"\U000115d1\U000115d2\U000115d3\U000115d4\U000115d5\U000115d6\U000115d7\U00011641\U00011642\U0001173c\U0001173d" +
	"\U0001173e\U00011a42\U00011a43\U00011a9b\U00011a9c\U00011c41\U00011c42\U00016a6e\U00016a6f\U00016af5\U00016b37" +
	"\U00016b38\U00016b44\U0001bc9f\U0001da88"

func isSentencePunct(tok string) bool {
	if tok == "" {
		return false
	}
	if len(tok) == 1 {
		return tok[0] == '.' || tok[0] == '!' || tok[0] == '?'
	}
	c, n := firstRune(tok)
	return n == len(tok) && c >= 0x80 && strings.ContainsRune(sentencePunct, c)
}

// isPunctToken is spaCy's IS_PUNCT: every character is in a P category.
func isPunctToken(tok string) bool {
	for _, c := range tok {
		if class(c)&cPunctCat == 0 {
			return false
		}
	}
	return true
}

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// AppendSentenceSpans appends the spans of the sentences spaCy's
// sentencizer finds in text: a sentence ends after a run of sentence
// punctuation (and any other punctuation tokens after it); each span runs
// from the sentence's first token to the end of its last token.
func (t *Tokenizer) AppendSentenceSpans(dst []Span, text string) []Span {
	buf := tokPool.Get().(*tokBuf)
	toks := t.tokens(text, buf)
	if len(toks) == 0 {
		tokPool.Put(buf)
		return dst
	}
	start := 0
	seen := false
	for i, k := range toks {
		w := text[k.s:k.e]
		inPunct := isSentencePunct(w)
		if seen && !inPunct && !isPunctToken(w) {
			dst = append(dst, Span{int(toks[start].s), int(toks[i-1].e)})
			start = i
			seen = false
		} else if inPunct {
			seen = true
		}
	}
	dst = append(dst, Span{int(toks[start].s), int(toks[len(toks)-1].e)})
	tokPool.Put(buf)
	return dst
}

// Sentences returns text cut into sentences the way datatrove's
// split_into_sentences does: cuts at the end of every sentence but the
// last, so the pieces cover all of text (whitespace between sentences
// starts the next piece). Text without any token is one piece.
func (t *Tokenizer) Sentences(text string) []string {
	var spanBuf [16]Span
	spans := t.AppendSentenceSpans(spanBuf[:0], text)
	if len(spans) <= 1 {
		return []string{text}
	}
	out := make([]string, 0, len(spans))
	prev := 0
	for _, s := range spans[:len(spans)-1] {
		out = append(out, text[prev:s.End])
		prev = s.End
	}
	return append(out, text[prev:])
}

// Sentences splits text into sentences for the given language (see
// Tokenizer.Sentences). Strip the pieces to get datatrove's sent_tokenize.
func Sentences(text, lang string) []string { return For(lang).Sentences(text) }
