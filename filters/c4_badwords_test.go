package filters

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/saring/saring"
)

func TestC4BadWords(t *testing.T) {
	st, err := NewC4BadWords(DefaultC4BadWordsOptions())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, lang string
		drop             bool
	}{
		{"clean English", "The council approved the budget.", "en", false},
		{"listed word", "Free porn videos here.", "en", true},
		{"upper case is lowered first", "FREE PORN VIDEOS", "en", true},
		{"at the very start and end", "porn", "en", true},
		{"phrase", "watch a live sex cam now", "en", true},
		{"phrase needs its inner space", "sexcamera shop", "en", false},
		{"word inside a longer word", "pornographic", "en", false},
		{"longer listed word", "pornography laws", "en", true},
		{"plural is another word", "porns", "en", false},
		{"underscore is a word character", "porn_star", "en", false},
		{"hyphen is not", "porn-star", "en", true},
		{"letter before", "éporn", "en", false},
		{"digit before", "1porn", "en", false},
		{"combining mark is not a word character in Python", "e\u0301porn", "en", true},
		{"newline boundary", "hello\nporn\nbye", "en", true},
		{"no language: default en", "porn", "", true},
		{"dotted capital I lowers to i and a combining mark", "İporn", "en", true},
		{"Kelvin sign lowers to k", "xx\u212a", "en", false},
		{"Indonesian list", "Nonton video bokep gratis", "id", true},
		{"Indonesian clean", "Pemerintah menaikkan anggaran pendidikan.", "id", false},
		{"Indonesian list has porno, not porn", "free porn", "id", false},
		{"porno in the Indonesian list", "situs porno", "id", true},
		{"Indonesian word, English list", "video bokep", "en", false},
	}
	for _, tt := range tests {
		meta := map[string]any{}
		if tt.lang != "" {
			meta["language"] = tt.lang
		}
		res, _ := c4TestRun(t, st, tt.text, meta)
		if (res.Outcome == saring.Drop) != tt.drop {
			t.Errorf("%s: got %v %s", tt.name, res.Outcome, res.Message)
		}
		if tt.drop && res.Reason != "document_removed_with_badwords" {
			t.Errorf("%s: reason %q", tt.name, res.Reason)
		}
	}
}

func TestC4BadWordsMissingLanguage(t *testing.T) {
	st, _ := NewC4BadWords(DefaultC4BadWordsOptions())
	doc := &saring.Document{Text: "porn", Metadata: map[string]any{"language": "fr"}}
	if _, err := st.Process(context.Background(), doc); err == nil || !strings.Contains(err.Error(), "fail_on_missing_language") {
		t.Errorf("want an error naming fail_on_missing_language, got %v", err)
	}
	o := DefaultC4BadWordsOptions()
	o.FailOnMissingLanguage = false
	st, _ = NewC4BadWords(o)
	if res, err := st.Process(context.Background(), doc); err != nil || res.Outcome != saring.Keep {
		t.Errorf("got %v %v, want keep", res, err)
	}
	for _, bad := range []string{"../en", "a/b", ".."} {
		doc.Metadata["language"] = bad
		if res, err := st.Process(context.Background(), doc); err != nil || res.Outcome != saring.Keep {
			t.Errorf("language %q: got %v %v, want keep", bad, res, err)
		}
	}
}

func TestC4BadWordsFileAndDir(t *testing.T) {
	dir := t.TempDir()
	list := "# comment\n\n  Alpha Beta  \nkata kotor\n女の子\nグロ\n性\n"
	os.WriteFile(filepath.Join(dir, "xx.txt"), []byte(list), 0o644)
	os.WriteFile(filepath.Join(dir, "ja.txt"), []byte("ポルノ\nグロ\n"), 0o644)

	o := DefaultC4BadWordsOptions()
	o.BadwordsDir = dir
	st, err := NewC4BadWords(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text, lang string
		drop       bool
	}{
		{"ini kata kotor sekali", "xx", true},
		{"alpha beta", "xx", false}, // entries are not lowered, the text is
		{"これはポルノです", "ja", true},    // ja: no word boundaries
		{"グロテスク", "ja", false},      // allow-listed
		{"女の子", "xx", false},        // allow-lists apply to every language, as in datatrove
	} {
		res, err := st.Process(context.Background(), &saring.Document{Text: tt.text, Metadata: map[string]any{"language": tt.lang}})
		if err != nil {
			t.Fatal(err)
		}
		if (res.Outcome == saring.Drop) != tt.drop {
			t.Errorf("%q/%s: got %v", tt.text, tt.lang, res.Outcome)
		}
	}

	o = DefaultC4BadWordsOptions()
	o.BadwordsFile = filepath.Join(dir, "xx.txt")
	st, err = NewC4BadWords(o)
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.Process(context.Background(), &saring.Document{Text: "some kata kotor", Metadata: map[string]any{"language": "fr"}})
	if err != nil || res.Outcome != saring.Drop {
		t.Errorf("badwords_file applies to every language: got %v %v", res, err)
	}

	for _, tt := range []struct {
		mod   func(*C4BadWordsOptions)
		field string
	}{
		{func(o *C4BadWordsOptions) { o.BadwordsDir = filepath.Join(dir, "nope") }, "badwords_dir"},
		{func(o *C4BadWordsOptions) { o.BadwordsDir = filepath.Join(dir, "xx.txt") }, "badwords_dir"},
		{func(o *C4BadWordsOptions) { o.BadwordsFile = filepath.Join(dir, "nope") }, "badwords_file"},
		{func(o *C4BadWordsOptions) { o.KeepFraction = 1.5 }, "keep_fraction"},
		{func(o *C4BadWordsOptions) { o.DefaultLanguage = "" }, "default_language"},
	} {
		o := DefaultC4BadWordsOptions()
		tt.mod(&o)
		_, err := NewC4BadWords(o)
		if fe, ok := err.(*saring.FieldError); !ok || fe.Field != tt.field {
			t.Errorf("got %v, want a FieldError on %s", err, tt.field)
		}
	}
}

func TestC4BadWordsKeepFraction(t *testing.T) {
	o := DefaultC4BadWordsOptions()
	o.KeepFraction = 0.3
	o.Seed = 7
	st, _ := NewC4BadWords(o)
	kept := 0
	const n = 2000
	for i := range n {
		doc := &saring.Document{Text: "porn", Seq: uint64(i)}
		res, _ := st.Process(context.Background(), doc)
		again, _ := st.Process(context.Background(), &saring.Document{Text: "porn", Seq: uint64(i)})
		if res.Outcome != again.Outcome {
			t.Fatalf("seq %d: not deterministic", i)
		}
		if res.Outcome == saring.Keep {
			kept++
		}
	}
	if kept < n*25/100 || kept > n*35/100 {
		t.Errorf("kept %d of %d with keep_fraction 0.3", kept, n)
	}
}

func TestC4BadWordsExplain(t *testing.T) {
	st, _ := NewC4BadWords(DefaultC4BadWordsOptions())
	checks, err := st.Explain(context.Background(), &saring.Document{Text: "Video BOKEP terbaru", Metadata: map[string]any{"language": "id"}})
	if err != nil || len(checks) != 1 || checks[0].Pass || !strings.Contains(checks[0].Note, `"bokep"`) {
		t.Errorf("got %+v %v", checks, err)
	}
}

func TestC4ParseWordList(t *testing.T) {
	got := c4ParseWordList("# c\n a \r\n\n#x\nb c\n\t\nd")
	if strings.Join(got, "|") != "a|b c|d" {
		t.Errorf("got %q", got)
	}
}

func FuzzC4ParseWordList(f *testing.F) {
	for _, s := range []string{"a\nb", "# x\n y \n", "\r\n\r\n", "a b\x1c", "#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range c4ParseWordList(s) {
			if w == "" || strings.Contains(w, "\n") || c4Strip(w) != w {
				t.Fatalf("bad entry %q", w)
			}
		}
	})
}

// FuzzC4BadWordsFind checks the trie search against the regular expression
// datatrove compiles, with Python's \w spelled out for Go: on lowered text,
// and with ASCII case folded during the search.
func FuzzC4BadWordsFind(f *testing.F) {
	for _, s := range []string{"porn", "a porn.", "xporn", "porn_", "e\u0301porn", "sex cam", "x-xxx-", "ポルノ", "PORN", "İporn", "\u212a"} {
		f.Add(s, false)
	}
	compile := func(words []string) (*regexp.Regexp, *regexp.Regexp) {
		var alt []string
		for _, w := range words {
			alt = append(alt, regexp.QuoteMeta(w))
		}
		return regexp.MustCompile(`(?:[^\p{L}\p{N}_]|^)(` + strings.Join(alt, "|") + `)(?:[^\p{L}\p{N}_]|$)`),
			regexp.MustCompile(strings.Join(alt, "|"))
	}
	words := []string{"porn", "sex cam", "xxx", "x", "a$$", "ポルノ"}
	list := c4NewBadList(words, false)
	anyList := c4NewBadList(words, true)
	bounded, anywhere := compile(words)
	asciiWords := []string{"porn", "sex cam", "xxx", "x", "a$$", "kk"}
	asciiList := c4NewBadList(asciiWords, false)
	asciiBounded, _ := compile(asciiWords)
	if list.ascii || !asciiList.ascii {
		f.Fatal("ascii flags wrong")
	}
	f.Fuzz(func(t *testing.T, s string, any bool) {
		if !utf8ValidString(s) {
			return
		}
		l, re := list, bounded
		if any {
			l, re = anyList, anywhere
		}
		if got, want := l.find(s, false) != "", re.MatchString(s); got != want {
			t.Errorf("%q (anywhere %v): trie %v, regexp %v", s, any, got, want)
		}
		if !strings.ContainsAny(s, "İ\u212a") {
			if got, want := asciiList.find(s, true) != "", asciiBounded.MatchString(c4Lower(s)); got != want {
				t.Errorf("%q folded: trie %v, regexp on lowered text %v", s, got, want)
			}
		}
	})
}

func utf8ValidString(s string) bool { return strings.ToValidUTF8(s, "\ufffd") == s }
