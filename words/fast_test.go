package words

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

func init() { proseReference = appendSplitRef }

// appendSplitRef is AppendSplit on the reference path.
func appendSplitRef(dst []string, text, lang string) []string {
	t := For(lang)
	toks, other := t.r.tokenizeRef(text, refBuf.a, refBuf.b)
	refBuf.a, refBuf.b = toks, other
	for _, k := range toks {
		if k.ws {
			continue
		}
		if w := text[k.s:k.e]; t.chars {
			dst = appendChars(dst, w)
		} else {
			dst = append(dst, w)
		}
	}
	return dst
}

var refBuf tokBuf // benchmarks run one at a time

var ruleKinds = []string{"en", "id", "ms", "xx"}

// checkFastPath fails when the fast path and the reference path disagree
// on text under any rule set: tokens (with whitespace tokens), suffix
// search and URL matching of every non-space run.
func checkFastPath(t *testing.T, text string) {
	t.Helper()
	for _, k := range ruleKinds {
		r := getRules(k)
		want, _ := r.tokenizeRef(text, nil, nil)
		got, _, _ := r.tokenizeFast(text, nil, nil, nil)
		if !equalTokens(got, want) {
			t.Fatalf("%s: %q\nfast      %s\nreference %s", k, text, showTokens(text, got), showTokens(text, want))
		}
		for _, w := range append(strings.FieldsFunc(text, isSpace), text) {
			if g, want := r.findSuffixFast(w), r.findSuffix(w); g != want {
				t.Fatalf("%s: findSuffixFast(%q) = %d, findSuffix %d", k, w, g, want)
			}
			if g, want := r.findInfixesFast(w, nil), r.findInfixes(w, nil); fmt.Sprint(g) != fmt.Sprint(want) {
				t.Fatalf("%s: findInfixesFast(%q) = %v, findInfixes %v", k, w, g, want)
			}
			if urlMatch(w) && !urlMayMatch(w) {
				t.Fatalf("urlMayMatch(%q) false for a URL", w)
			}
		}
	}
}

func equalTokens(a, b []token) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func showTokens(text string, toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		if t.ws {
			fmt.Fprintf(&b, "[ws %q]", text[t.s:t.e])
		} else {
			fmt.Fprintf(&b, "%q ", text[t.s:t.e])
		}
	}
	return b.String()
}

// FuzzFastPath: the fast path gives the reference path's tokens on any
// input, valid UTF-8 or not.
//
//	go test ./words -run '^$' -fuzz FuzzFastPath -fuzztime 5m
func FuzzFastPath(f *testing.F) {
	for _, c := range splitCases {
		f.Add(c.text)
	}
	for _, s := range fastPathSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) { checkFastPath(t, text) })
}

// fastPathSeeds are shapes the fast path treats specially: letters with
// one or two punctuation marks around them, exceptions the affix loop
// reaches, suffix literals, numbers that look like IPv4 hosts, broken
// UTF-8 at the end of a chunk.
var fastPathSeeds = []string{
	"Tuesday, said. it's (see overdue\". ok?! \"We", "dont cannot Gonna gov't.", "Rp12 RpX USD5 RMB RM5 S$5",
	"5km 5km. 5m/s 3kg, 4in in 12MB; x</b> 3</p>. buku-nya, -nya", "a.. b... …… x……",
	"10.0.0.1 192.168.1.1, 1.2.3.4.5 12.5 1,200 4.3% 255.255.255.255", "abc\xe2\x82 x\xff. \xe2\x82\xac5 5€ US$5",
	"U.S. A.I. ABC. Abc. aB. °C. °F.", "(Hi:) Hello:) :-))", "there's that's what's", "1 Kor. 1 Ptr.",
	"a\u00a0b\u3000c\u2028d\x1ce", " lead  two\t\ttab \n", "<a href=x>y</a> <abc", "e.g., i.e.: etc.)",
	// A chunk whose non-ASCII letters or marks end at a non-ASCII space:
	// the space must not clear what the scan noted about the chunk.
	"E—\u2009{|'", "a–b\u3000c", "Ünïcödé\u00a0-5",
	"- & : — “ ” 2020 2020, 45. 12:30, 3% 1+ x+",
	"Привет, мир. café naïve Ωμέγα µm 5µm ǅemal ſs Ⅻ x²",
}

// TestFastPathCorpora runs the differential check over the golden cases
// and, when the shared data is there, every lingua sentence and the
// Antara page, whole and line by line.
func TestFastPathCorpora(t *testing.T) {
	f, err := os.Open("testdata/spacy_rules.golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	n := 0
	for sc.Scan() {
		var c struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		checkFastPath(t, c.Text)
		n++
	}
	if n < 1000 {
		t.Fatalf("only %d golden cases", n)
	}
	for _, s := range fastPathSeeds {
		checkFastPath(t, s)
	}
	dir, ok := testenv.LookupSharedDir()
	if !ok {
		t.Skip("shared data not found: lingua sentences not checked")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "data", "lingua-sentences", "*.txt"))
	files = append(files, filepath.Join(dir, "examples", "antara-news-scraped.txt"))
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		for _, k := range ruleKinds {
			r := getRules(k)
			want, _ := r.tokenizeRef(text, nil, nil)
			got, _, _ := r.tokenizeFast(text, nil, nil, nil)
			if !equalTokens(got, want) {
				EachLine(text, func(l string) { checkFastPath(t, l) })
				t.Fatalf("%s: %s differs (no single line does)", k, p)
			}
		}
	}
}

// TestLetterBytes checks the eight-at-a-time letter test on every byte
// in every position.
func TestLetterBytes(t *testing.T) {
	for b := 0; b < 256; b++ {
		for pos := 0; pos < 8; pos++ {
			x := uint64(0x6161616161616161)&^(0xFF<<(8*pos)) | uint64(b)<<(8*pos)
			got := letterBytes(x)>>(8*pos+7)&1 == 1
			if want := byteKind[b] == kLetter; got != want {
				t.Fatalf("byte %#x at %d: letter %v, want %v", b, pos, got, want)
			}
		}
	}
}
