package words

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Expected tokens follow spaCy v3.8's blank English, Indonesian and Malay
// tokenizers (what datatrove's word_tokenize returns).
var splitCases = []struct {
	lang, text string
	want       []string
}{
	{"en", "I don't know.", []string{"I", "do", "n't", "know", "."}},
	{"en", "We can't, won't and shouldn't.", []string{"We", "ca", "n't", ",", "wo", "n't", "and", "should", "n't", "."}},
	{"en", "It's Putin's war, isn't it?", []string{"It", "'s", "Putin", "'s", "war", ",", "is", "n't", "it", "?"}},
	{"en", "The U.S. and U.K. agreed at 5 p.m. on Jan. 3rd.", []string{"The", "U.S.", "and", "U.K.", "agreed", "at", "5", "p.m.", "on", "Jan.", "3rd", "."}},
	{"en", "Visit https://www.example.com/a?b=1, or www.example.org.", []string{"Visit", "https://www.example.com/a?b=1", ",", "or", "www.example.org", "."}},
	{"en", "Mail me: jane.doe@example.co.uk!", []string{"Mail", "me", ":", "jane.doe@example.co.uk", "!"}},
	{"en", "Prices rose 5% to $10.50/kg (a 3-4x jump).", []string{"Prices", "rose", "5", "%", "to", "$", "10.50", "/", "kg", "(", "a", "3", "-", "4x", "jump", ")", "."}},
	{"en", "The well-known e-mail was sent...", []string{"The", "well", "-", "known", "e", "-", "mail", "was", "sent", "..."}},
	{"en", "He said \"hello\"—and left.", []string{"He", "said", "\"", "hello\"—and", "left", "."}},
	{"en", "Hello:) Nice :-( day ;)", []string{"Hello", ":)", "Nice", ":-(", "day", ";)"}},
	{"en", "''Quoted'' text", []string{"''", "Quoted", "''", "text"}},
	{"en", "gonna wanna cannot", []string{"gon", "na", "wanna", "can", "not"}},
	{"en", "C++ and A.I. at 20°C.", []string{"C++", "and", "A.I.", "at", "20", "°", "C", "."}},
	{"en", "5km 3kg 12MB 100m 2GB", []string{"5", "km", "3", "kg", "12", "MB", "100", "m", "2", "GB"}},
	{"en", "#hashtag @user & co.", []string{"#", "hashtag", "@user", "&", "co."}},
	{"en", "rock'n'roll y'all ma'am o'clock", []string{"rock'n'roll", "y'", "all", "ma'am", "o'clock"}},
	{"en", "New York-based 3-4 people.They said so", []string{"New", "York", "-", "based", "3", "-", "4", "people", ".", "They", "said", "so"}},
	{"en", "Wait... what?!", []string{"Wait", "...", "what", "?", "!"}},
	{"en", "¯\\(ツ)/¯ (ಠ_ಠ) <3", []string{"¯\\(ツ)/¯", "(ಠ_ಠ)", "<3"}},
	{"en", "I'm I’m don’t", []string{"I", "'m", "I", "’m", "do", "n’t"}},
	{"en", "  tabs\tand\nnew lines\r\n", []string{"tabs", "and", "new", "lines"}},
	{"", "don't", []string{"do", "n't"}}, // unknown language: English, datatrove's default
	{"id", "Presiden Jokowi meresmikan jalan tol sepanjang 45 km pada Senin (24/7).", []string{"Presiden", "Jokowi", "meresmikan", "jalan", "tol", "sepanjang", "45", "km", "pada", "Senin", "(", "24", "/", "7", ")", "."}},
	{"id", "Harga naik Rp12.500 atau 5%.", []string{"Harga", "naik", "Rp", "12.500", "atau", "5", "%", "."}},
	{"id", "anak-anak bermain di rumah-rumah mereka", []string{"anak-anak", "bermain", "di", "rumah-rumah", "mereka"}},
	{"id", "bukunya, buku-nya, rumah-mu dan kata-katanya", []string{"bukunya", ",", "buku", "-nya", ",", "rumah", "-mu", "dan", "kata", "-", "katanya"}},
	{"id", "Dr. Budi, S.H., M.H. dll. dkk.", []string{"Dr.", "Budi", ",", "S.H.", ",", "M.H.", "dll.", "dkk."}},
	{"id", "\"Serangan itu ada, tetapi gagal,\" ujar Putin.", []string{"\"", "Serangan", "itu", "ada", ",", "tetapi", "gagal", ",", "\"", "ujar", "Putin", "."}},
	{"id", "Jum'at, 10 Januari 2022", []string{"Jum'at", ",", "10", "Januari", "2022"}},
	{"id", "Belarusia---sebuah langkah", []string{"Belarusia", "---", "sebuah", "langkah"}},
	{"id", "USD100 dan RMB50", []string{"USD", "100", "dan", "RMB", "50"}},
	{"ms", "Harga RM5 dan MYR10 sahaja.", []string{"Harga", "RM", "5", "dan", "MYR", "10", "sahaja", "."}},
	{"jv", "kanak-kanak bocah-bocah", []string{"kanak-kanak", "bocah", "-", "bocah"}}, // Javanese: datatrove uses the Malay rules
	{"th", "ภาษาไทย ok", []string{"ภ", "า", "ษ", "า", "ไ", "ท", "ย", "ok"}},
	{"zh", "中文abc。", []string{"中", "文", "abc", "。"}},
}

func TestSplit(t *testing.T) {
	for _, c := range splitCases {
		got := Split(c.text, c.lang)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q, %q)\n got %q\nwant %q", c.text, c.lang, got, c.want)
		}
	}
}

func TestSentences(t *testing.T) {
	for _, c := range []struct {
		lang, text string
		want       []string
	}{
		{"en", "Hello world. This is it!\nNext line? Yes. Dr. Smith arrived at 5 p.m. on Monday.",
			[]string{"Hello world.", " This is it!", "\nNext line?", " Yes.", " Dr. Smith arrived at 5 p.m. on Monday."}},
		{"id", "Presiden tiba pukul 10.00 WIB. Ia disambut warga! Baca juga: berita lain",
			[]string{"Presiden tiba pukul 10.00 WIB.", " Ia disambut warga!", " Baca juga: berita lain"}},
		{"en", "", []string{""}},
		{"en", "No end", []string{"No end"}},
		{"en", "Quoted!\" Next", []string{"Quoted!\"", " Next"}},
	} {
		got := Sentences(c.text, c.lang)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Sentences(%q)\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}

// TestSpacyRulesGolden replays testdata/spacy_rules.golden.jsonl: 1,200
// adversarial strings (exceptions with affixes, URLs, emoticons, currency,
// units, quotes, no-space scripts, odd whitespace) with the words and
// sentences spaCy's rules give for English, Indonesian, Malay and the
// multi-language rules ("xx").
func TestSpacyRulesGolden(t *testing.T) {
	if n, _ := replaySplitCases(t, "testdata/spacy_rules.golden.jsonl", 10); n < 1000 {
		t.Fatalf("only %d cases read", n)
	}
}

// replaySplitCases checks Split and Sentences against a JSONL file of cases
// {lang, text, words, sents}, reporting the first maxErrors differences.
// It returns the number of cases and of differences.
func replaySplitCases(t *testing.T, path string, maxErrors int) (n, bad int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var c struct {
			Lang  string
			Text  string
			Words []string
			Sents []string
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		got := Split(c.Text, c.Lang)
		if got == nil {
			got = []string{}
		}
		if !reflect.DeepEqual(got, c.Words) {
			if bad++; bad <= maxErrors {
				t.Errorf("Split(%q, %q)\n got %q\nwant %q", c.Text, c.Lang, got, c.Words)
			}
		}
		if s := Sentences(c.Text, c.Lang); !reflect.DeepEqual(s, c.Sents) {
			if bad++; bad <= maxErrors {
				t.Errorf("Sentences(%q, %q)\n got %q\nwant %q", c.Text, c.Lang, s, c.Sents)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n, bad
}

func TestRuleSet(t *testing.T) {
	for lang, want := range map[string]string{
		"": "en", "en": "en", "id": "id", "ms": "ms", "jv": "ms", "su": "ms", "min": "ms",
		"ind": "id", "ind_Latn": "id", "th": "chars", "zh": "chars", "ja": "chars", "fr": "xx", "ko": "xx", "qqq": "xx",
	} {
		if got := RuleSet(lang); got != want {
			t.Errorf("RuleSet(%q) = %q, want %q", lang, got, want)
		}
	}
}

func TestSplitLines(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a\n", []string{"a"}},
		{"a\n\nb", []string{"a", "", "b"}},
		{"a\r\nb\rc\u2028d\u0085e\x0bf", []string{"a", "b", "c", "d", "e", "f"}},
	} {
		if got := SplitLines(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitLines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if !AllPunctuation("...") || AllPunctuation("a.") || !IsPunctuation('「') || IsPunctuation(' ') {
		t.Error("IsPunctuation")
	}
	if got := TrimSpace("\u3000 x\x1c"); got != "x" {
		t.Errorf("TrimSpace = %q", got)
	}
}

func removeSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// FuzzSplit: no panic; words are non-empty substrings of the text, in
// order, and together hold every non-space character.
func FuzzSplit(f *testing.F) {
	for _, c := range splitCases {
		f.Add(c.text, c.lang)
	}
	for _, s := range []string{"x<ab>c", "1°C.", "a..b...", "http://a.b.cc:8080/x?y#z", "10.0.0.1", "\ufeff\u200b", "\xff\xfe", "''''", ":-)):", "a-b-c-d", "Rp.5,-"} {
		for _, l := range []string{"en", "id", "ms", "xx"} {
			f.Add(s, l)
		}
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		if !utf8.ValidString(text) {
			Split(text, lang) // must not panic
			return
		}
		ws := Split(text, lang)
		pos := 0
		for _, w := range ws {
			if w == "" {
				t.Fatalf("empty word in %q", ws)
			}
			i := strings.Index(text[pos:], w)
			if i < 0 {
				t.Fatalf("word %q not found in order in %q (words %q)", w, text, ws)
			}
			pos += i + len(w)
		}
		if a, b := removeSpace(strings.Join(ws, "")), removeSpace(text); a != b {
			t.Fatalf("characters lost: %q vs %q (words %q)", a, b, ws)
		}
		if s := Sentences(text, lang); strings.Join(s, "") != text {
			t.Fatalf("sentences do not cover the text: %q", s)
		}
	})
}

func ExampleSplit() {
	fmt.Printf("%q\n", Split("I don't think the U.S. gov't will pay $5.5bn:)", "en"))
	fmt.Printf("%q\n", Split("Anak-anak membeli buku-nya seharga Rp50.000.", "id"))
	// Output:
	// ["I" "do" "n't" "think" "the" "U.S." "gov't" "will" "pay" "$" "5.5bn" ":)"]
	// ["Anak-anak" "membeli" "buku" "-nya" "seharga" "Rp" "50.000" "."]
}

// TestLongChunks: long runs without spaces (symbol rows, base64, broken
// bytes) must tokenize in linear time; a quadratic path would hang here.
func TestLongChunks(t *testing.T) {
	const n = 100_000
	for _, s := range []string{
		strings.Repeat("\xaf", n), strings.Repeat("@", n), "a" + strings.Repeat(")", n),
		strings.Repeat("=", n), strings.Repeat("…", n/3), strings.Repeat("ab@", n/3) + ".com",
		strings.Repeat("x", n) + ".com/" + strings.Repeat("@a", n/2), "<ab>" + strings.Repeat("(", n),
		strings.Repeat("a-", n/2), strings.Repeat("1.", n/2), strings.Repeat("😀", n/4),
	} {
		for _, lang := range []string{"en", "id", "xx", "th"} {
			ws := Split(s, lang)
			if len(ws) == 0 {
				t.Errorf("%s: no words for %q...", lang, s[:10])
			}
			_ = Sentences(s, lang)
		}
	}
}
