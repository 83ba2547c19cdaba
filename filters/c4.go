package filters

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/saring/saring"
	"github.com/saring/saring/words"
)

// This file holds c4_quality and c4_paragraph, datatrove's C4QualityFilter
// and C4ParagraphFilter, and the Python string semantics they depend on
// (str.splitlines, str.strip, str.split, str.lower, len in code points):
// matching those exactly is what makes saring keep and drop the same
// documents. c4_badwords is in c4_badwords.go.

// C4QualityOptions configures c4_quality. Defaults are datatrove's.
type C4QualityOptions struct {
	SplitParagraph        bool   `yaml:"split_paragraph" doc:"apply the rules to lines (true, as C4) or to sentences (false)"`
	RemoveCitations       bool   `yaml:"remove_citations" doc:"remove wikipedia citations such as [1], [edit], [citation needed]"`
	FilterNoTerminalPunct bool   `yaml:"filter_no_terminal_punct" doc:"remove lines that do not end in . ? ! \" ' (or end in ...)"`
	MinNumSentences       int    `yaml:"min_num_sentences" doc:"drop documents with fewer sentences left after line removal (-1 disables)"`
	MinWordsPerLine       int    `yaml:"min_words_per_line" doc:"remove lines with fewer whitespace-separated words (-1 disables)"`
	MaxWordLength         int    `yaml:"max_word_length" doc:"remove lines with a word longer than this many characters (-1 disables)"`
	FilterLoremIpsum      bool   `yaml:"filter_lorem_ipsum" doc:"drop documents containing \"lorem ipsum\""`
	FilterJavascript      bool   `yaml:"filter_javascript" doc:"remove lines mentioning javascript"`
	FilterCurlyBracket    bool   `yaml:"filter_curly_bracket" doc:"drop documents with a { in a kept line"`
	FilterPolicy          bool   `yaml:"filter_policy" doc:"remove lines mentioning terms of use, privacy or cookie policy"`
	Language              string `yaml:"language" doc:"language for sentence splitting (lid.176 code), or auto for the document's language"`
}

// DefaultC4QualityOptions returns datatrove's defaults.
func DefaultC4QualityOptions() C4QualityOptions {
	return C4QualityOptions{
		SplitParagraph:        true,
		RemoveCitations:       true,
		FilterNoTerminalPunct: true,
		MinNumSentences:       5,
		MinWordsPerLine:       3,
		MaxWordLength:         1000,
		FilterLoremIpsum:      true,
		FilterJavascript:      true,
		FilterCurlyBracket:    true,
		FilterPolicy:          true,
		Language:              "en",
	}
}

// Validate checks option values.
func (o *C4QualityOptions) Validate() error {
	if o.MinNumSentences < -1 {
		return &saring.FieldError{Field: "min_num_sentences", Msg: "must be >= 0, or -1 to disable"}
	}
	if o.MinWordsPerLine < -1 {
		return &saring.FieldError{Field: "min_words_per_line", Msg: "must be >= 0, or -1 to disable"}
	}
	if o.MaxWordLength < -1 {
		return &saring.FieldError{Field: "max_word_length", Msg: "must be >= 0, or -1 to disable"}
	}
	if strings.TrimSpace(o.Language) == "" {
		return &saring.FieldError{Field: "language", Msg: "must be a language code such as en, or auto"}
	}
	return nil
}

// C4Quality is the c4_quality step.
type C4Quality struct {
	o     C4QualityOptions
	rules rules[c4Scan]
}

// NewC4Quality builds a c4_quality step.
func NewC4Quality(o C4QualityOptions) (*C4Quality, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &C4Quality{o: o}
	s.rules = c4QualityRules(&s.o)
	return s, nil
}

func (*C4Quality) Name() string { return "c4_quality" }

// c4Scan counts the lines each line rule removed and tells which
// document-level rules a line hit.
type c4Scan struct {
	total, kept                                                   int
	tooLongWord, noTerminalPunct, tooFewWords, javascript, policy int
	sentences                                                     int
	loremIpsum, curlyBracket                                      bool // document-level rules hit
	// firstHit is the document-level rule hit first, the one datatrove
	// drops the document for: it stops at that line.
	firstHit  string
	keptLines []string
}

// c4QualityRules are the rules in datatrove's order. The line rules
// remove lines and never drop the document; they are rows so that Explain
// shows how many lines each removed.
func c4QualityRules(o *C4QualityOptions) rules[c4Scan] {
	type m = c4Scan
	lines := func(reason string, n func(m) int, on bool) rule[m] {
		return rule[m]{reason: reason, op: ">=", value: func(x m) float64 { return float64(n(x)) }, off: !on,
			note: func(_ m, base string) string {
				if base != "" {
					return base
				}
				return "lines removed (the document is kept)"
			}}
	}
	// A document-level rule drops the document when the first line that
	// hits any of them hits it; a hit in a later line is shown, passing.
	hit := func(reason string, hit func(m) bool, on bool, message, note string) rule[m] {
		return rule[m]{reason: reason, op: "==", value: func(x m) float64 { return c4Bool(hit(x)) }, off: !on,
			pass:    func(x m, v, _ float64) bool { return v == 0 || x.firstHit != reason },
			message: func(m, float64, float64) string { return message },
			note: func(x m, base string) string {
				switch {
				case base != "" || !hit(x):
					return base
				case x.firstHit != reason:
					return note + ", after a line that drops the document for " + x.firstHit
				}
				return note
			}}
	}
	sentences := rule[m]{reason: "too_few_sentences", op: ">=", limit: float64(o.MinNumSentences), off: o.MinNumSentences == -1,
		value: func(x m) float64 { return float64(x.sentences) },
		message: func(x m, _, _ float64) string {
			return fmt.Sprintf("%d sentences after line removal < %d", x.sentences, o.MinNumSentences)
		},
		note: func(x m, _ string) string {
			return fmt.Sprintf("sentences in the %d kept of %d lines", x.kept, x.total)
		}}
	if o.MinNumSentences != -1 {
		sentences.record = "num_sentences"
	}
	return rules[m]{
		lines("line_too_long_word", func(x m) int { return x.tooLongWord }, o.MaxWordLength != -1),
		lines("line_no_terminal_punct", func(x m) int { return x.noTerminalPunct }, o.FilterNoTerminalPunct),
		lines("line_too_few_words", func(x m) int { return x.tooFewWords }, o.MinWordsPerLine > 0),
		hit("lorem_ipsum", func(x m) bool { return x.loremIpsum }, o.FilterLoremIpsum,
			`a line contains "lorem ipsum"`, `a kept line contains "lorem ipsum"`),
		lines("line_javascript", func(x m) int { return x.javascript }, o.FilterJavascript),
		hit("curly_bracket", func(x m) bool { return x.curlyBracket }, o.FilterCurlyBracket,
			"a line contains a curly bracket", "a kept line contains {"),
		lines("line_policy", func(x m) int { return x.policy }, o.FilterPolicy),
		sentences,
	}
}

var c4PolicySubstrings = []string{
	"terms of use",
	"privacy policy",
	"cookie policy",
	"uses cookies",
	"use of cookies",
	"use cookies",
}

// scan applies the line rules in datatrove's order. With all false it stops
// at the first document-level rule, as datatrove does; with all true it
// goes on, so that Explain can report every rule.
func (s *C4Quality) scan(text, lang string, all bool) c4Scan {
	var sc c4Scan
	var tok *words.Tokenizer
	lowerBuf := c4LowerPool.Get().(*[]byte)
	defer func() {
		if cap(*lowerBuf) <= 1<<20 {
			c4LowerPool.Put(lowerBuf)
		}
	}()
	o := &s.o
	visit := func(line string) bool {
		line = c4Strip(line)
		nwords, longest := c4WordStats(line, o.MaxWordLength != -1)
		sc.total++
		if o.MaxWordLength != -1 && longest > o.MaxWordLength {
			sc.tooLongWord++
			return true
		}
		if o.RemoveCitations {
			line = c4RemoveCitations(line)
		}
		if o.FilterNoTerminalPunct && !c4EndsWithTerminal(line) {
			sc.noTerminalPunct++
			return true
		}
		if nwords < o.MinWordsPerLine {
			sc.tooFewWords++
			return true
		}
		lorem, js, policy := c4Phrases(line, lowerBuf)
		if o.FilterLoremIpsum && lorem {
			sc.loremIpsum = true
			if sc.firstHit == "" {
				sc.firstHit = "lorem_ipsum"
			}
			return all
		}
		if o.FilterJavascript && js {
			sc.javascript++
			return true
		}
		if o.FilterCurlyBracket && strings.IndexByte(line, '{') >= 0 {
			sc.curlyBracket = true
			if sc.firstHit == "" {
				sc.firstHit = "curly_bracket"
			}
			return all
		}
		if o.FilterPolicy && policy {
			sc.policy++
			return true
		}
		if o.MinNumSentences != -1 {
			if o.SplitParagraph {
				sc.sentences += c4CountSentences(line, lang, &tok)
			} else {
				sc.sentences++
			}
		}
		sc.keptLines = append(sc.keptLines, line)
		sc.kept++
		return true
	}
	if o.SplitParagraph {
		c4SplitLines(text, visit)
	} else {
		for _, l := range words.Sentences(text, lang) {
			if !visit(l) {
				break
			}
		}
	}
	return sc
}

func (s *C4Quality) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	sc := s.scan(doc.Text, languageOf(doc, s.o.Language, fallbackLanguage), false)
	doc.Record("c4_quality", "lines_total", float64(sc.total))
	if sc.total > 0 {
		doc.Record("c4_quality", "lines_removed_frac", float64(sc.total-sc.kept)/float64(sc.total))
	}
	s.rules.record(sc, doc, "c4_quality")
	if r := s.rules.decide(sc, nil, ""); r.Outcome == saring.Drop {
		return r, nil
	}
	sep := "\n"
	if !s.o.SplitParagraph {
		sep = " "
	}
	text := c4Strip(strings.Join(sc.keptLines, sep))
	if text == doc.Text {
		return saring.Kept(), nil
	}
	doc.Text = text
	return saring.Rewritten(), nil
}

func (s *C4Quality) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	return s.rules.explain(s.scan(doc.Text, languageOf(doc, s.o.Language, fallbackLanguage), true)), nil
}

// c4CountSentences is len(split_into_sentences(line)): the number of
// sentences spaCy's sentencizer finds, at least one. Most kept lines hold
// one sentence and only their final mark can end one; those are counted
// without tokenizing (see c4OneSentence).
func c4CountSentences(line, lang string, tok **words.Tokenizer) int {
	if c4OneSentence(line) {
		return 1
	}
	if *tok == nil {
		*tok = words.For(lang)
	}
	var buf [8]words.Span
	return max(1, len((*tok).AppendSentenceSpans(buf[:0], line)))
}

// c4OneSentence reports whether line (stripped) is certainly one sentence:
// the sentencizer ends a sentence only after a token that is a sentence
// mark (all of which are '.', '!', '?' or in Unicode category Po) when a
// token that is not punctuation follows. If no such mark occurs before the
// line's trailing run of punctuation, every token after a mark is made of
// punctuation and no sentence can end before the line does.
func c4OneSentence(line string) bool {
	q := len(line)
	for q > 0 {
		r, w := utf8.DecodeLastRuneInString(line[:q])
		if !unicode.IsPunct(r) {
			break
		}
		q -= w
	}
	for i := 0; i < q; {
		c := line[i]
		if c < utf8.RuneSelf {
			if c == '.' || c == '!' || c == '?' {
				return false
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(line[i:])
		if c4IsPo(r) {
			return false
		}
		i += w
	}
	return true
}

// c4IsPo is unicode.Is(unicode.Po, r), from a bit set over the Basic
// Multilingual Plane built on first use: lines of Han, Arabic or Cyrillic
// text ask it for every character.
func c4IsPo(r rune) bool {
	if uint32(r) < 0x10000 {
		return c4PoBMP()[r>>6]&(1<<(r&63)) != 0
	}
	return unicode.Is(unicode.Po, r)
}

var c4PoBMP = sync.OnceValue(func() *[0x10000 / 64]uint64 {
	t := new([0x10000 / 64]uint64)
	for r := rune(0); r < 0x10000; r++ {
		if unicode.Is(unicode.Po, r) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return t
})

func c4Bool(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// C4ParagraphOptions configures c4_paragraph. datatrove fixes these values;
// they are options here for other corpora.
type C4ParagraphOptions struct {
	MinParagraphs   int `yaml:"min_paragraphs" doc:"how many lines must be at least min_paragraph_len characters long"`
	MinParagraphLen int `yaml:"min_paragraph_len" doc:"characters (code points) a line needs to count as a paragraph"`
}

// DefaultC4ParagraphOptions returns mC4's values.
func DefaultC4ParagraphOptions() C4ParagraphOptions {
	return C4ParagraphOptions{MinParagraphs: 3, MinParagraphLen: 200}
}

// Validate checks option values.
func (o *C4ParagraphOptions) Validate() error {
	if o.MinParagraphs < 1 {
		return &saring.FieldError{Field: "min_paragraphs", Msg: "must be >= 1"}
	}
	if o.MinParagraphLen < 0 {
		return &saring.FieldError{Field: "min_paragraph_len", Msg: "must be >= 0"}
	}
	return nil
}

// C4Paragraph is the c4_paragraph step.
type C4Paragraph struct {
	o     C4ParagraphOptions
	rules rules[c4Paragraphs]
}

// c4Paragraphs is what c4_paragraph measures: the number of lines and the
// length of the min_paragraphs-th longest.
type c4Paragraphs struct{ lines, nth int }

// c4ParagraphRules are mC4's one rule as two rows, one per way to break
// it, both named by its drop reason.
func c4ParagraphRules(o *C4ParagraphOptions) rules[c4Paragraphs] {
	type m = c4Paragraphs
	message := func(m, float64, float64) string {
		return fmt.Sprintf("< %d paragraphs of %d+ characters", o.MinParagraphs, o.MinParagraphLen)
	}
	return rules[m]{
		{reason: "too_few_paragraphs", record: "lines", op: ">=", limit: float64(o.MinParagraphs),
			value: func(x m) float64 { return float64(x.lines) }, message: message,
			note: func(m, string) string { return "lines" }},
		{reason: "too_few_paragraphs", record: "nth_longest_line", op: ">=", limit: float64(o.MinParagraphLen),
			value: func(x m) float64 { return float64(x.nth) }, message: message,
			note: func(m, string) string { return fmt.Sprintf("length of the %d. longest line", o.MinParagraphs) }},
	}
}

// NewC4Paragraph builds a c4_paragraph step.
func NewC4Paragraph(o C4ParagraphOptions) (*C4Paragraph, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &C4Paragraph{o: o}
	s.rules = c4ParagraphRules(&s.o)
	return s, nil
}

func (*C4Paragraph) Name() string { return "c4_paragraph" }

// measure returns the number of lines and the length of the
// min_paragraphs-th longest one (mC4: min(nlargest(3, lengths))).
func (s *C4Paragraph) measure(text string) (lines, nthLongest int) {
	top := make([]int, 0, 8)
	k := s.o.MinParagraphs
	for {
		i := strings.IndexByte(text, '\n')
		line := text
		if i >= 0 {
			line = text[:i]
		}
		lines++
		// keep the k largest lengths, descending; a line no longer in
		// bytes than the current k-th length cannot enter
		if len(top) == k && len(line) <= top[k-1] {
			goto next
		}
		if n := utf8.RuneCountInString(line); len(top) < k || n > top[len(top)-1] {
			j := len(top)
			if len(top) < k {
				top = append(top, n)
			} else {
				j = len(top) - 1
				top[j] = n
			}
			for ; j > 0 && top[j] > top[j-1]; j-- {
				top[j], top[j-1] = top[j-1], top[j]
			}
		}
	next:
		if i < 0 {
			break
		}
		text = text[i+1:]
	}
	return lines, top[len(top)-1]
}

func (s *C4Paragraph) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	var x c4Paragraphs
	x.lines, x.nth = s.measure(doc.Text)
	s.rules.record(x, doc, "c4_paragraph")
	return s.rules.decide(x, nil, ""), nil
}

func (s *C4Paragraph) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	var x c4Paragraphs
	x.lines, x.nth = s.measure(doc.Text)
	return s.rules.explain(x), nil
}

// --- Python string semantics -------------------------------------------

// c4IsSpace is Python's str.isspace for one character: Go's White_Space
// plus the information separators U+001C..U+001F.
func c4IsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// c4ASCIISpace is c4IsSpace for ASCII: \t \n \v \f \r, U+001C..U+001F, space.
var c4ASCIISpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true,
	0x1c: true, 0x1d: true, 0x1e: true, 0x1f: true, ' ': true}

// c4Strip is Python's str.strip().
func c4Strip(s string) string { return strings.TrimFunc(s, c4IsSpace) }

// c4WordStats counts the words of Python's s.split() and, when wantLongest,
// the length in code points of the longest.
func c4WordStats(s string, wantLongest bool) (n, longest int) {
	in := false
	cur := 0
	for i := 0; i < len(s); {
		var space bool
		if c := s[i]; c < utf8.RuneSelf {
			space = c4ASCIISpace[c]
			i++
		} else {
			r, w := utf8.DecodeRuneInString(s[i:])
			space = c4IsSpace(r)
			i += w
		}
		if space {
			if in {
				longest = max(longest, cur)
			}
			in = false
			continue
		}
		if !in {
			n++
			in = true
			cur = 0
		}
		if wantLongest {
			cur++
		}
	}
	if in {
		longest = max(longest, cur)
	}
	return n, longest
}

// c4SplitLines calls visit for each line of Python's s.splitlines() (breaks:
// \n \r \r\n \v \f \x1c \x1d \x1e \x85 U+2028 U+2029; no empty last line)
// until visit returns false.
func c4SplitLines(s string, visit func(string) bool) {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		width := 0
		switch {
		case c == '\n' || c == '\v' || c == '\f' || c == 0x1c || c == 0x1d || c == 0x1e:
			width = 1
		case c == '\r':
			width = 1
			if i+1 < len(s) && s[i+1] == '\n' {
				width = 2
			}
		case c == 0xc2 && i+1 < len(s) && s[i+1] == 0x85:
			width = 2
		case c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9):
			width = 3
		}
		if width == 0 {
			i++
			continue
		}
		if !visit(s[start:i]) {
			return
		}
		i += width
		start = i
	}
	if start < len(s) {
		visit(s[start:])
	}
}

// c4Lower is Python's str.lower() where it differs from strings.ToLower in
// a way that matters for finding ASCII phrases: İ lowers to i + U+0307.
func c4Lower(s string) string {
	if strings.ContainsRune(s, 'İ') {
		s = strings.ReplaceAll(s, "İ", "i\u0307")
	}
	return strings.ToLower(s)
}

// c4Phrases reports which of datatrove's phrases occur in line.lower():
// "lorem ipsum", "javascript" and the policy phrases. The phrases are
// ASCII, and only two characters outside ASCII lower-case to ASCII in
// Python: U+0130 (to "i" + U+0307, which no phrase can contain) and the
// Kelvin sign U+212A (to "k"); so the line is searched with its ASCII
// letters lowered, 8 bytes at a time, and a line holding the Kelvin sign
// through a fully lowered copy.
func c4Phrases(line string, buf *[]byte) (lorem, js, policy bool) {
	if strings.Contains(line, "\u212a") {
		*buf = c4AppendLower((*buf)[:0], line)
	} else {
		*buf = c4FoldASCII((*buf)[:0], line)
	}
	low := unsafe.String(unsafe.SliceData(*buf), len(*buf))
	lorem = strings.Contains(low, "lorem ipsum")
	js = strings.Contains(low, "javascript")
	policy = strings.Contains(low, "terms of use") || strings.Contains(low, "privacy policy")
	if !policy && strings.Contains(low, "cookie") { // the other four hold it
		for _, p := range c4PolicySubstrings[2:] {
			if strings.Contains(low, p) {
				policy = true
				break
			}
		}
	}
	return lorem, js, policy
}

// c4FoldASCII appends s to dst with the ASCII capitals lowered.
func c4FoldASCII(dst []byte, s string) []byte {
	start := len(dst)
	dst = append(dst, s...)
	b := dst[start:]
	const ones, high = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		x7 := x &^ high // no carries between bytes below
		upper := (x7 + (0x80-'A')*ones) &^ (x7 + (0x80-'Z'-1)*ones) & high &^ x
		binary.LittleEndian.PutUint64(b[i:], x|upper>>2)
	}
	for ; i < len(b); i++ {
		if c := b[i]; 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// c4EndsWithTerminal is datatrove's
// line.endswith(('.', '?', '!', '"', "'")) and not line.endswith('...').
func c4EndsWithTerminal(line string) bool {
	if line == "" {
		return false
	}
	switch line[len(line)-1] {
	case '.', '?', '!', '"', '\'':
		return !strings.HasSuffix(line, "...")
	}
	return false
}

// c4RemoveCitations removes what datatrove's
// re.sub(r"\[\d*]|\[edit]|\[citation needed]", "", line) removes (\d is
// any Unicode decimal digit).
func c4RemoveCitations(line string) string {
	i := strings.IndexByte(line, '[')
	if i < 0 {
		return line
	}
	var b strings.Builder
	b.Grow(len(line))
	for i >= 0 {
		b.WriteString(line[:i])
		rest := line[i+1:]
		n := c4CitationLen(rest)
		if n < 0 {
			b.WriteByte('[')
			line = rest
		} else {
			line = rest[n:]
		}
		i = strings.IndexByte(line, '[')
	}
	b.WriteString(line)
	return b.String()
}

// c4CitationLen returns how many bytes after a '[' form a citation, or -1.
func c4CitationLen(s string) int {
	j := 0
	for j < len(s) {
		r, w := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsDigit(r) {
			break
		}
		j += w
	}
	if j < len(s) && s[j] == ']' {
		return j + 1
	}
	for _, t := range [...]string{"edit]", "citation needed]"} {
		if strings.HasPrefix(s, t) {
			return len(t)
		}
	}
	return -1
}
