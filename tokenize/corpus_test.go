package tokenize

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// parityTexts builds the parity set: every sentence of the shared lingua
// files (75 languages), then generated texts (sentences mixed across
// languages and joined by newlines, case variants, code, URLs, emoji, CJK,
// Thai and other scripts, long runs of spaces, digits and punctuation, odd
// code points, contractions, special-token strings, decomposed text). It is
// deterministic: the same files give the same texts.
func parityTexts(linguaDir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(linguaDir, "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var sents []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimRight(l, "\r"); l != "" {
				sents = append(sents, l)
			}
		}
	}
	if len(sents) == 0 {
		return nil, fmt.Errorf("no sentences in %s", linguaDir)
	}
	g := &gen{r: rand.New(rand.NewPCG(13, 2026)), sents: sents}
	out := append([]string(nil), sents...)
	add := func(n int, f func() string) {
		for range n {
			if s := f(); s != "" {
				out = append(out, s)
			}
		}
	}
	add(12000, g.mixed)
	add(4000, g.cased)
	add(6000, g.code)
	add(5000, g.url)
	add(5000, g.emoji)
	add(8000, g.scripts)
	add(5000, g.runs)
	add(8000, g.odd)
	add(3000, g.contractions)
	add(2000, g.specials)
	add(3000, g.decomposed)
	add(400, g.long)
	add(3000, g.odd)
	// Every mark of combining class 2 or more before one of class 1: NFC
	// reorders them unless the normalizer does not know the mark.
	for r := rune(0x80); r < 0x110000; r++ {
		if utf8.ValidRune(r) && norm.NFC.PropertiesString(string(r)).CCC() >= 2 {
			out = append(out, "x"+string(r)+"\u0334", string(r)+"\u0334\u0301a")
		}
	}
	out = append(out, "\U00011935\U00011930", "x\U00011938\u0334", "\U00011935\u0334\U00011930")
	return out, nil
}

type gen struct {
	r     *rand.Rand
	sents []string
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) sent() string            { return g.sents[g.r.IntN(len(g.sents))] }

var seps = []string{" ", "\n", "\r\n", "\n\n", "  \n ", "\t", "", " — ", "\n\n\n  ", " \r\n\r\n", "\u00a0", "\u3000", "\u2028", "\v", "\f", "\u0085"}

func (g *gen) mixed() string {
	n := 2 + g.r.IntN(3)
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(g.pick(seps))
		}
		s := g.sent()
		if g.r.IntN(3) == 0 { // a cut sentence
			rs := []rune(s)
			s = string(rs[g.r.IntN(len(rs)):])
		}
		b.WriteString(s)
	}
	return b.String()
}

func (g *gen) cased() string {
	s := g.sent()
	switch g.r.IntN(3) {
	case 0:
		return strings.ToUpper(s)
	case 1:
		return strings.ToLower(s)
	}
	return strings.Title(s) //nolint:staticcheck // any title-casing will do
}

var idents = []string{"x", "i", "err", "ctx", "buf", "userName", "HTTPServer", "__init__", "self", "_tmp2", "αβ", "数据", "getURL", "MAX_SIZE", "fooBarBaz", "n_tokens", "$el", "@decorator"}

func (g *gen) code() string {
	id := func() string { return g.pick(idents) }
	ind := strings.Repeat(g.pick([]string{" ", "  ", "    ", "\t"}), g.r.IntN(4))
	tmpl := []string{
		"func %s(%s int) (string, error) {\n%sreturn fmt.Sprintf(\"%%d\", %s), nil\n}",
		"def %s(%s, *args, **kwargs):\n%sreturn [%s for _ in range(10)]",
		"const %s = (%s) => {\n%sconsole.log(`${%s}`);\n};",
		"#include <stdio.h>\nint %s(void) { int %s = 0x7fff;\n%sprintf(\"%%d\\n\", %s); return 0; }",
		"<div class=\"%s\" id='%s'>\n%s<span>&nbsp;%s &amp; &lt;b&gt;</span></div>",
		"{\"%s\": [1, 2.5e-3, null, true], \"%s\": {\"k\": \"v\"}}%s// %s",
		"SELECT %s, COUNT(*) FROM %s\n%sWHERE x >= 10 AND y <> '%s' GROUP BY 1;",
		"if [[ -f $%s ]]; then\n  echo \"${%s:-default}\" | grep -E '^[a-z]+$' >/dev/null 2>&1\n%sfi # %s",
		"%s := map[string][]int{\"a\": {1,2,3}}\n%s++\n%s// TODO(%s): fix!!!",
		"    %s->%s = %s ?? %s;;;",
	}
	return fmt.Sprintf(g.pick(tmpl), id(), id(), ind, id())
}

var hosts = []string{"example.com", "www.antaranews.com", "sub.domain.co.id", "xn--bcher-kva.example", "localhost:8080", "192.168.0.1", "[::1]", "日本語.jp", "t.co"}

func (g *gen) url() string {
	var b strings.Builder
	b.WriteString(g.pick([]string{"https://", "http://", "ftp://", "//", "mailto:", ""}))
	b.WriteString(g.pick(hosts))
	for range g.r.IntN(5) {
		b.WriteString("/")
		b.WriteString(g.pick([]string{"berita", "2024", "08", "index.html", "a-b_c", "%E2%80%94", "~user", "?", "caf\u00e9", "..", "A1b2C3"}))
	}
	if g.r.IntN(2) == 0 {
		fmt.Fprintf(&b, "?q=%s&id=%d&utm_source=%s#frag-%d", g.pick(idents), g.r.IntN(100000), g.pick(hosts), g.r.IntN(99))
	}
	s := b.String()
	if g.r.IntN(3) == 0 {
		s = g.sent() + " (" + s + ") " + g.pick([]string{"user@example.com", "a.b+c@mail.co.id", ""})
	}
	return s
}

var emojis = []string{"😀", "👍🏽", "👨‍👩‍👧‍👦", "🇮🇩", "🇯🇵", "❤️", "❤", "✨", "🔥", "1️⃣", "#️⃣", "🏳️‍🌈", "👩🏾‍💻", "🤦‍♂️", "☺︎", "🙏", "💯", "🦀", "🧑‍🤝‍🧑", "🫠", "©", "™", "↩️", "🀄"}

func (g *gen) emoji() string {
	var b strings.Builder
	for range 1 + g.r.IntN(8) {
		switch g.r.IntN(4) {
		case 0:
			b.WriteString(" ")
		case 1:
			w := strings.Fields(g.sent())
			b.WriteString(w[g.r.IntN(len(w))])
		}
		b.WriteString(g.pick(emojis))
	}
	return b.String()
}

type runeRange struct{ lo, hi rune }

var scriptRanges = []runeRange{
	{0x4E00, 0x9FFF},   // CJK
	{0x3040, 0x309F},   // Hiragana
	{0x30A0, 0x30FF},   // Katakana
	{0xAC00, 0xD7A3},   // Hangul
	{0x0E01, 0x0E5B},   // Thai
	{0x0900, 0x097F},   // Devanagari
	{0x0600, 0x06FF},   // Arabic
	{0x0590, 0x05FF},   // Hebrew
	{0x0400, 0x04FF},   // Cyrillic
	{0x0370, 0x03FF},   // Greek
	{0x1780, 0x17FF},   // Khmer
	{0x0E80, 0x0EFF},   // Lao
	{0x1000, 0x109F},   // Myanmar
	{0x10A0, 0x10FF},   // Georgian
	{0x0B80, 0x0BFF},   // Tamil
	{0xFF00, 0xFFEF},   // full width
	{0x20000, 0x2A6DF}, // CJK extension B
	{0x1D400, 0x1D7FF}, // mathematical letters and digits
}

func (g *gen) scripts() string {
	var b strings.Builder
	for range 1 + g.r.IntN(4) {
		rr := scriptRanges[g.r.IntN(len(scriptRanges))]
		for range 1 + g.r.IntN(20) {
			b.WriteRune(rr.lo + rune(g.r.IntN(int(rr.hi-rr.lo+1))))
		}
		if g.r.IntN(2) == 0 {
			b.WriteString(g.pick([]string{" ", "、", "。", ", ", "?", "ๆ ", "\n", "123", "'s ", " x"}))
		}
	}
	return b.String()
}

func (g *gen) runs() string {
	rep := func(s string) string { return strings.Repeat(s, 1+g.r.IntN(120)) }
	var b strings.Builder
	for range 1 + g.r.IntN(4) {
		b.WriteString(g.pick([]string{"", "a", "Word", " word", "x1", "٣", "!"}))
		switch g.r.IntN(9) {
		case 0:
			b.WriteString(rep(" "))
		case 1:
			b.WriteString(rep(g.pick([]string{"0", "7", "12", "٣", "０", "²", "Ⅻ"})))
		case 2:
			b.WriteString(rep(g.pick([]string{"\n", "\r\n", " \n", "\t"})))
		case 3:
			b.WriteString(rep(g.pick([]string{"=", "-", "*", "!?", ".", "/", "—"})))
		case 4:
			fmt.Fprintf(&b, "%d", g.r.Int64())
			b.WriteString(g.pick([]string{",", ".", " ", ""}))
			fmt.Fprintf(&b, "%d", g.r.IntN(1000000))
		case 5:
			b.WriteString(rep("\u00a0"))
		case 6:
			b.WriteString(rep(" \t"))
		case 7:
			b.WriteString(rep("ab"))
		default:
			b.WriteString(rep("  "))
			b.WriteString(g.pick([]string{"x", "\n", "1", "!", ""}))
		}
	}
	return b.String()
}

// odd draws code points from everywhere: controls, combining marks alone,
// zero-width and bidi characters, private use, noncharacters, U+FFFD, and
// random scalars of every plane. (Scalars unassigned in Unicode 15 are
// left out: a later Unicode may assign them a class.)
var oddRunes = []rune{0x00, 0x01, 0x07, 0x1B, 0x1F, 0x7F, 0x80, 0x9F, 0xAD, 0x0301, 0x0308, 0x200B, 0x200C, 0x200D, 0x200E, 0x202E, 0x2060, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0xE000, 0xF8FF, 0x10FFFF, 0xFDD0, 0x1F3FB, 0xFE0F, 0x0E31, 0x0E47, 0x094D, 0x1D165, 0x01C5, 0x02B0, 0x3005, 0x2160, 0x00BD, 0x0660, 0x2028, 0x2029, 0x1680, 0x180E, 0x017F, 0x212A, 0x0130, 0x0131, 0x00DF, 0x1E9E}

func (g *gen) odd() string {
	var b strings.Builder
	for range 1 + g.r.IntN(12) {
		switch g.r.IntN(4) {
		case 0:
			b.WriteRune(oddRunes[g.r.IntN(len(oddRunes))])
		case 1:
			w := strings.Fields(g.sent())
			b.WriteString(w[g.r.IntN(len(w))])
		case 2:
			b.WriteString(g.pick([]string{" ", "", "'", "  ", "\n"}))
		default:
			for {
				var r rune
				switch g.r.IntN(3) {
				case 0:
					r = rune(g.r.IntN(0x800))
				case 1:
					r = rune(g.r.IntN(0x10000))
				default:
					r = rune(g.r.IntN(0x110000))
				}
				if utf8.ValidRune(r) && assigned(r) {
					b.WriteRune(r)
					break
				}
			}
		}
	}
	return b.String()
}

func (g *gen) contractions() string {
	words := []string{"don", "it", "we", "they", "I", "O", "rock", "DON", "l", "ſ", "Ä"}
	cs := []string{"'s", "'S", "'t", "'T", "'re", "'RE", "'Re", "'ve", "'vE", "'m", "'M", "'ll", "'LL", "'lL", "'d", "'D", "'ſ", "'r", "'", "''", "’s", "'x", "'dd"}
	var b strings.Builder
	for range 1 + g.r.IntN(5) {
		b.WriteString(g.pick([]string{"", " ", "  ", "\n", "("}))
		b.WriteString(g.pick(words))
		b.WriteString(g.pick(cs))
		b.WriteString(g.pick([]string{"", "s", "x", " ", "1", "."}))
	}
	return b.String()
}

func (g *gen) specials() string {
	sp := []string{"<|begin_of_text|>", "<|end_of_text|>", "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>", "<|eot_id|>", "<|begin_of", "<|fim_prefix|>", "<|endofprompt|>", "<|reserved_special_token_5|>", "<tool_call>", "<|<|im_start|>|>", "<s>", "</s>"}
	var b strings.Builder
	for range 1 + g.r.IntN(4) {
		b.WriteString(g.pick([]string{"", " ", "x", "\n", "Hello "}))
		b.WriteString(g.pick(sp))
	}
	return b.String()
}

func (g *gen) decomposed() string {
	parts := []string{"e\u0301", "a\u0308", "n\u0303", "\u1100\u1161\u11a8", "\u0915\u093c", "A\u030a", "\u212b", "\uff21", "ﬁ", "\u0041\u0301\u0323", "Å", "\u2126", "\u1e9b\u0323"}
	var b strings.Builder
	for range 1 + g.r.IntN(6) {
		b.WriteString(g.pick([]string{"", " ", "x", "caf", "\n"}))
		b.WriteString(g.pick(parts))
	}
	return b.String()
}

// long joins many sentences into a document of several kilobytes.
func (g *gen) long() string {
	var b strings.Builder
	for b.Len() < 4000+g.r.IntN(30000) {
		b.WriteString(g.sent())
		b.WriteString(g.pick([]string{"\n", " ", "\n\n", "\r\n"}))
		if g.r.IntN(20) == 0 {
			b.WriteString(strings.Repeat(g.pick([]string{"a", "=", " ", "9", "ab"}), 50+g.r.IntN(2000)))
		}
	}
	return b.String()
}

func assigned(r rune) bool {
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf, unicode.Co)
}
