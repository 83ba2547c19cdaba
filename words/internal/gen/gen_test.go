package main

import (
	"fmt"
	"go/ast"
	goparser "go/parser"
	gotoken "go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The fixture is a miniature spaCy tree: each file uses the constructs the
// real language data uses (lambdas, adjacent and + concatenation, raw
// strings with \u escapes, str.format, f-strings, loops over dict lists,
// tuple unpacking, title/upper, dict copies, update_exc, pops, sets of
// split text, relative imports) on a few entries whose results are
// worked out by hand below.
var fixture = map[string]string{
	"spacy/lang/char_classes.py": `
split_chars = lambda char: list(char.strip().split(" "))
merge_chars = lambda char: char.strip().replace(" ", "|")
group_chars = lambda char: char.strip().replace(" ", "")

_latin = r"a-z" r"A-Z"
_greek_lower = r"α-ω"
_greek_upper = r"Α-Ω"
# a comment between statements
_cjk = (
    r"\u4E00-\u4E0F"
    r"\U00020000-\U0002000F"
)
ALPHA = group_chars(_latin + _greek_lower + _greek_upper + _cjk)
ALPHA_LOWER = group_chars(r"a-z" + _greek_lower + _cjk)
ALPHA_UPPER = group_chars(r"A-Z" + _greek_upper + _cjk)

_units = "km m² kg % м" "كم"
_currency = r"\$ £ US\$"
_punct = r"… …… , \! \( \) \[ \] #"
_quotes = r'\' " « »'
_other_symbols = r"\u00A9\u00AE\u2600-\u2603"

UNITS = merge_chars(_units)
CURRENCY = merge_chars(_currency)
PUNCT = merge_chars(_punct)
LIST_CURRENCY = split_chars(_currency)
LIST_QUOTES = split_chars(_quotes)
LIST_PUNCT = split_chars(_punct)
LIST_ELLIPSES = [r"\.\.+", "…"]
LIST_ICONS = [r"[{i}]".format(i=_other_symbols)]
CONCAT_QUOTES = group_chars(_quotes)
`,
	"spacy/lang/punctuation.py": `
from .char_classes import (
    ALPHA_LOWER,
    CONCAT_QUOTES,
    CURRENCY,
    LIST_CURRENCY,
    LIST_ELLIPSES,
    LIST_ICONS,
    LIST_PUNCT,
    LIST_QUOTES,
    PUNCT,
)

TOKENIZER_PREFIXES = (
    ["§", "%", r"\+(?![0-9])"]
    + LIST_PUNCT
    + LIST_ELLIPSES
    + LIST_QUOTES
    + LIST_CURRENCY
    + LIST_ICONS
)

TOKENIZER_SUFFIXES = (
    LIST_PUNCT
    + LIST_ELLIPSES
    + LIST_QUOTES
    + LIST_ICONS
    + ["'s", "—"]
    + [
        r"(?<=[0-9])(?:{c})".format(c=CURRENCY),
        r"(?<=[0-9{al}{e}{p}(?:{q})])\.".format(
            al=ALPHA_LOWER, e=r"%\-", q=CONCAT_QUOTES, p=PUNCT
        ),
        r"(?<=[A-Z][A-Z])\.",
    ]
)
`,
	"spacy/lang/id/punctuation.py": `
from ..char_classes import ALPHA, _currency, _units, merge_chars, split_chars
from ..punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES

_units = _units + " mill?iar bil[l]?iun "
_currency = _currency + r" Rp"
UNITS = merge_chars(_units)
HTML_SUFFIX = r"</(b|i)>"
LIST_CURRENCY = split_chars(_currency)

_prefixes = list(TOKENIZER_PREFIXES)
_prefixes.remove("#")  # hashtag
_prefixes = _prefixes + LIST_CURRENCY + ["/"]
_suffixes = TOKENIZER_SUFFIXES + [
    "[—-]",
    r"(?<=[0-9{a}])(?:{h})".format(a=ALPHA, h=HTML_SUFFIX),
]

TOKENIZER_PREFIXES = _prefixes
TOKENIZER_SUFFIXES = _suffixes
`,
	"spacy/lang/ms/punctuation.py": `
from ..char_classes import ALPHA, _currency, _units, merge_chars, split_chars
from ..punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES

_units = _units + " mill?iar bil[l]?iun "
_currency = _currency + r" RM"
UNITS = merge_chars(_units)
HTML_SUFFIX = r"</(b|i)>"
LIST_CURRENCY = split_chars(_currency)

_prefixes = list(TOKENIZER_PREFIXES)
_prefixes.remove("#")
_prefixes = _prefixes + LIST_CURRENCY + ["/"]
_suffixes = TOKENIZER_SUFFIXES + ["[—-]"]

TOKENIZER_PREFIXES = _prefixes
TOKENIZER_SUFFIXES = _suffixes
`,
	"spacy/lang/tokenizer_exceptions.py": `
import re

from ..symbols import NORM, ORTH
from .char_classes import ALPHA_LOWER

URL_PATTERN = (
    # fmt: off
    r"^"
    r"(?:[" + ALPHA_LOWER + "]{2,63})"
    r"$"
).strip()

URL_MATCH = re.compile("(?u)" + URL_PATTERN).match

BASE_EXCEPTIONS = {}

for exc_data in [
    {ORTH: " "},
    {ORTH: "\t"},
    {ORTH: "\u00a0", NORM: "  "},
]:
    BASE_EXCEPTIONS[exc_data[ORTH]] = [exc_data]

for orth in ["'", '\\")', "a."]:
    BASE_EXCEPTIONS[orth] = [{ORTH: orth}]

emoticons = set(
    r"""
:)
:'(
¯\(ツ)/¯
""".split()
)

for orth in emoticons:
    BASE_EXCEPTIONS[orth] = [{ORTH: orth}]

for u in "cF":
    BASE_EXCEPTIONS[f"°{u}."] = [{ORTH: "°"}, {ORTH: f"{u}"}, {ORTH: "."}]
`,
	"spacy/lang/en/tokenizer_exceptions.py": `
from typing import Dict, List

from ...symbols import NORM, ORTH
from ...util import update_exc
from ..tokenizer_exceptions import BASE_EXCEPTIONS

_exc: Dict[str, List[Dict]] = {}
_exclude = ["Ill", "ill"]

for pron in ["i", "it"]:
    for orth in [pron, pron.title()]:
        _exc[orth + "'ll"] = [
            {ORTH: orth, NORM: pron},
            {ORTH: "'ll", NORM: "will"},
        ]

        _exc[orth + "ll"] = [{ORTH: orth, NORM: pron}, {ORTH: "ll", NORM: "will"}]

for word, morph in [("that", "Sing"), ("these", "Plur")]:
    for orth in [word, word.title()]:
        if morph != "Plur":
            _exc[orth + "'s"] = [{ORTH: orth, NORM: word}, {ORTH: "'s"}]

for verb_data in [{ORTH: "ca", NORM: "can"}]:
    verb_data_tc = dict(verb_data)
    verb_data_tc[ORTH] = verb_data_tc[ORTH].title()
    for data in [verb_data, verb_data_tc]:
        _exc[data[ORTH] + "n't"] = [dict(data), {ORTH: "n't", NORM: "not"}]

for h in range(1, 2 + 1):
    for period in ["a.m.", "am"]:
        _exc[f"{h}{period}"] = [
            {ORTH: f"{h}"},
            {ORTH: period, NORM: "a.m."},
        ]

_other_exc = {
    "y'all": [{ORTH: "y'", NORM: "you"}, {ORTH: "all"}],
}

_exc.update(_other_exc)

for orth in ["Mr.", "Ill"]:
    _exc[orth] = [{ORTH: orth}]

for string in _exclude:
    if string in _exc:
        _exc.pop(string)

TOKENIZER_EXCEPTIONS = update_exc(BASE_EXCEPTIONS, _exc)
`,
	"spacy/lang/id/_tokenizer_exceptions_list.py": `
ID_BASE_EXCEPTIONS = set(
    """
aba-aba
rata2
x3dy
""".split()
)
`,
	"spacy/lang/id/tokenizer_exceptions.py": `
from ...symbols import NORM, ORTH
from ...util import update_exc
from ..tokenizer_exceptions import BASE_EXCEPTIONS
from ._tokenizer_exceptions_list import ID_BASE_EXCEPTIONS

_exc = {}

for orth in ID_BASE_EXCEPTIONS:
    _exc[orth] = [{ORTH: orth}]
    orth_title = orth.title()
    _exc[orth_title] = [{ORTH: orth_title}]
    orth_caps = orth.upper()
    _exc[orth_caps] = [{ORTH: orth_caps}]
    orth_first_upper = orth[0].upper() + orth[1:]
    _exc[orth_first_upper] = [{ORTH: orth_first_upper}]
    if "-" in orth:
        orth_title = "-".join([part.title() for part in orth.split("-")])
        _exc[orth_title] = [{ORTH: orth_title}]

for orth in [
    "S.Th.I" "S.TI.",
    "d/h",
]:
    _exc[orth] = [{ORTH: orth}]

TOKENIZER_EXCEPTIONS = update_exc(BASE_EXCEPTIONS, _exc)
`,
	"spacy/lang/ms/tokenizer_exceptions.py": `
from ...symbols import ORTH
from ...util import update_exc
from ..tokenizer_exceptions import BASE_EXCEPTIONS

TOKENIZER_EXCEPTIONS = update_exc(BASE_EXCEPTIONS, {"ma'af": [{ORTH: "ma'af"}]})
`,
	"UnicodeData.txt": `0009;<control>;Cc;0;S;;;;;N;CHARACTER TABULATION;;;;
0020;SPACE;Zs;0;WS;;;;;N;;;;;
0021;EXCLAMATION MARK;Po;0;ON;;;;;N;;;;;
0030;DIGIT ZERO;Nd;0;EN;;0;0;0;N;;;;;
0031;DIGIT ONE;Nd;0;EN;;1;1;1;N;;;;;
0041;LATIN CAPITAL LETTER A;Lu;0;L;;;;;N;;;;0061;
005F;LOW LINE;Pc;0;ON;;;;;N;SPACING UNDERSCORE;;;;
00B2;SUPERSCRIPT TWO;No;0;EN;<super> 0032;;2;2;N;SUPERSCRIPT DIGIT TWO;;;;
2160;ROMAN NUMERAL ONE;Nl;0;L;<compat> 0049;;;1;N;;;;2170;
4E00;<CJK Ideograph, First>;Lo;0;L;;;;;N;;;;;
9FFF;<CJK Ideograph, Last>;Lo;0;L;;;;;N;;;;;
`,
	"src/datatrove/assets/tokenizer_assignment.csv": `code_3,code_1,script,name,family,type,tok_code,proxy,auto_assigned,default_code_1,default_script
eng,en,Latn,English,Indo-European,SpaCyTokenizer,en,FALSE,FALSE,TRUE,TRUE
msa,ms,Latn,Malay,,SpaCyTokenizer,ms,FALSE,FALSE,FALSE,TRUE
msa,ms,Thai,Malay,,ThaiTokenizer,,TRUE,TRUE,FALSE,FALSE
fra,fr,Latn,French,Indo-European,SpaCyTokenizer,fr,FALSE,FALSE,TRUE,TRUE
cmn,zh,Hani,"Mandarin, Chinese",Sino-Tibetan,SpaCyTokenizer,zh,FALSE,FALSE,TRUE,TRUE
und,,Zzzz,Undetermined,,,,TRUE,TRUE,FALSE,FALSE
`,
}

func writeFixture(t *testing.T) string { return writeTree(t, fixture) }

// writeTree writes files (by slash path) below a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.TrimPrefix(src, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// goValues evaluates the package-level var declarations of a generated
// file: strings, []string, map[string]string and the classRanges table.
func goValues(t *testing.T, src []byte) map[string]any {
	t.Helper()
	f, err := goparser.ParseFile(gotoken.NewFileSet(), "gen.go", src, 0)
	if err != nil {
		t.Fatalf("generated file does not parse: %v", err)
	}
	str := func(e ast.Expr) string {
		s, err := strconv.Unquote(e.(*ast.BasicLit).Value)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	num := func(e ast.Expr) rune {
		n, err := strconv.ParseInt(e.(*ast.BasicLit).Value, 0, 32)
		if err != nil {
			t.Fatal(err)
		}
		return rune(n)
	}
	out := map[string]any{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != gotoken.VAR {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			name := vs.Names[0].Name
			switch v := vs.Values[0].(type) {
			case *ast.BasicLit:
				out[name] = str(v)
			case *ast.CompositeLit:
				switch typ := v.Type.(type) {
				case *ast.ArrayType:
					if id, ok := typ.Elt.(*ast.Ident); ok && id.Name == "string" {
						l := []string{}
						for _, e := range v.Elts {
							l = append(l, str(e))
						}
						out[name] = l
						continue
					}
					classes := map[string][][2]rune{}
					for _, e := range v.Elts {
						row := e.(*ast.CompositeLit)
						var rs [][2]rune
						for _, r := range row.Elts[1].(*ast.CompositeLit).Elts {
							p := r.(*ast.CompositeLit).Elts
							rs = append(rs, [2]rune{num(p[0]), num(p[1])})
						}
						classes[row.Elts[0].(*ast.Ident).Name] = rs
					}
					out[name] = classes
				case *ast.MapType:
					m := map[string]string{}
					for _, e := range v.Elts {
						kv := e.(*ast.KeyValueExpr)
						m[str(kv.Key)] = str(kv.Value)
					}
					out[name] = m
				}
			}
		}
	}
	return out
}

func records(table string) [][]string {
	var out [][]string
	for _, r := range strings.Split(table, "\x1e") {
		out = append(out, strings.Split(r, "\x1f"))
	}
	return out
}

func one(keys ...string) [][]string {
	var out [][]string
	for _, k := range keys {
		out = append(out, []string{k})
	}
	return out
}

func cat(parts ...[][]string) [][]string {
	var out [][]string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestGenerateFixture(t *testing.T) {
	dir := writeFixture(t)
	files, err := generate(dir, dir, filepath.Join(dir, "UnicodeData.txt"))
	if err != nil {
		t.Fatal(err)
	}
	header := regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)
	for name, src := range files {
		if n := len(header.FindAll(src, -1)); n != 1 {
			t.Errorf("%s: %d generated-code header lines, want 1", name, n)
		}
	}

	// exceptions: keys in byte order, tokens as spaCy splits them
	exc := goValues(t, files["spacy_exceptions.go"])
	degrees := [][]string{{"°", "F", "."}, {"°", "c", "."}}
	wantXX := cat(one("\t", " ", "'", ":'(", ":)", `\")`, "a.", "\u00a0", `¯\(ツ)/¯`), degrees)
	wantEN := cat(
		one("\t", " ", "'"),
		[][]string{{"1", "a.m."}, {"1", "am"}, {"2", "a.m."}, {"2", "am"}},
		one(":'(", ":)", ":’("),
		[][]string{{"Ca", "n't"}, {"Ca", "n’t"},
			{"I", "'ll"}, {"It", "'ll"}, {"It", "ll"}, {"It", "’ll"}, {"I", "’ll"}},
		one("Mr."),
		[][]string{{"That", "'s"}, {"That", "’s"}},
		one(`\")`, "a."),
		[][]string{{"ca", "n't"}, {"ca", "n’t"},
			{"i", "'ll"}, {"it", "'ll"}, {"it", "ll"}, {"it", "’ll"}, {"i", "’ll"},
			{"that", "'s"}, {"that", "’s"},
			{"y'", "all"}, {"y’", "all"}},
		one("\u00a0", `¯\(ツ)/¯`), degrees, one("’"),
	)
	wantID := cat(
		one("\t", " ", "'", ":'(", ":)", ":’(",
			"ABA-ABA", "Aba-Aba", "Aba-aba", "RATA2", "Rata2", "S.Th.IS.TI.", "X3DY", "X3Dy", "X3dy",
			`\")`, "a.", "aba-aba", "d/h", "rata2", "x3dy", "\u00a0", `¯\(ツ)/¯`),
		degrees, one("’"),
	)
	wantMS := cat(one("\t", " ", "'", ":'(", ":)", ":’(", `\")`, "a.", "ma'af", "ma’af", "\u00a0", `¯\(ツ)/¯`), degrees, one("’"))
	for name, want := range map[string][][]string{"exceptionsBase": wantXX, "exceptionsEN": wantEN, "exceptionsID": wantID, "exceptionsMS": wantMS} {
		got, ok := exc[name].(string)
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		if !reflect.DeepEqual(records(got), want) {
			t.Errorf("%s =\n%q\nwant\n%q", name, records(got), want)
		}
	}

	lists := goValues(t, files["spacy_lists.go"])
	units := []string{"km", "m²", "kg", "%", "мكم"}
	unitsIDMS := append(append([]string(nil), units...), "milliar", "miliar", "billiun", "biliun")
	for name, want := range map[string][]string{
		"currencyBase":    {"$", "£", "US$"},
		"currencyID":      {"$", "£", "US$", "Rp"},
		"currencyMS":      {"$", "£", "US$", "RM"},
		"unitsBase":       units,
		"unitsID":         unitsIDMS,
		"unitsMS":         unitsIDMS,
		"prefixMultiBase": {"……", "US$"},
		"prefixMultiID":   {"……", "US$", "US$", "Rp"},
		"prefixMultiMS":   {"……", "US$", "US$", "RM"},
		"htmlSuffixes":    {"</b>", "</i>"},
	} {
		if got := lists[name]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	classes := goValues(t, files["spacy_classes.go"])["classRanges"].(map[string][][2]rune)
	r := func(pairs ...rune) [][2]rune {
		var out [][2]rune
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, [2]rune{pairs[i], pairs[i+1]})
		}
		return out
	}
	cjk := []rune{0x4E00, 0x4E0F, 0x20000, 0x2000F}
	icons := []rune{0x2600, 0x2603}
	for name, want := range map[string][][2]rune{
		"cAlpha":      r(append([]rune{'A', 'Z', 'a', 'z', 0x391, 0x3A9, 0x3B1, 0x3C9}, cjk...)...),
		"cAlphaLower": r(append([]rune{'a', 'z', 0x3B1, 0x3C9}, cjk...)...),
		"cAlphaUpper": r(append([]rune{'A', 'Z', 0x391, 0x3A9}, cjk...)...),
		"cIcon":       r(0xA9, 0xA9, 0xAE, 0xAE, 0x2600, 0x2603),
		"cQuote":      r('"', '"', '\'', '\'', 0xAB, 0xAB, 0xBB, 0xBB),
		// 0-9, lower letters, %, -, the punctuation with its | separators,
		// the quotes, and the '(', '?', ':', ')' of the literal "(?:"
		"cSufDotLB": r(append([]rune{'!', '#', '%', '%', '\'', ')', ',', '-', '0', ':', '?', '?', '[', '[', ']', ']',
			'a', 'z', '|', '|', 0xAB, 0xAB, 0xBB, 0xBB, 0x3B1, 0x3C9, 0x2026, 0x2026}, cjk...)...),
		"cWord":     r('0', '1', 'A', 'A', '_', '_', 0xB2, 0xB2, 0x2160, 0x2160, 0x4E00, 0x9FFF),
		"cDigit":    r('0', '1'),
		"cSpace":    r('\t', '\t', ' ', ' '),
		"cPunctCat": r('!', '!', '_', '_'),
		"cPrefix1Base": r(append([]rune{'!', '%', '\'', ')', ',', ',', '[', '[', ']', ']', 0xA3, 0xA3, 0xA7, 0xA7, 0xA9, 0xA9,
			0xAB, 0xAB, 0xAE, 0xAE, 0xBB, 0xBB, 0x2026, 0x2026}, icons...)...),
		"cPrefix1ID": r(append([]rune{'!', '"', '$', '%', '\'', ')', ',', ',', '/', '/', '[', '[', ']', ']', 0xA3, 0xA3, 0xA7, 0xA7,
			0xA9, 0xA9, 0xAB, 0xAB, 0xAE, 0xAE, 0xBB, 0xBB, 0x2026, 0x2026}, icons...)...),
		"cSuffix1Base": r(append([]rune{'!', '#', '\'', ')', ',', ',', '[', '[', ']', ']', 0xA9, 0xA9, 0xAB, 0xAB, 0xAE, 0xAE,
			0xBB, 0xBB, 0x2014, 0x2014, 0x2026, 0x2026}, icons...)...),
		"cSuffix1ID": r(append([]rune{'!', '#', '\'', ')', ',', '-', '[', '[', ']', ']', 0xA9, 0xA9, 0xAB, 0xAB, 0xAE, 0xAE,
			0xBB, 0xBB, 0x2014, 0x2014, 0x2026, 0x2026}, icons...)...),
	} {
		if got := classes[name]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %x\nwant %x", name, got, want)
		}
	}

	// the whole file, for one of them: layout and alignment as committed
	wantLangmap := `// Code generated by words/internal/gen; DO NOT EDIT.

// Rule sets from datatrove's tokenizer assignment table
// (src/datatrove/assets/tokenizer_assignment.csv, Apache-2.0).

package words

// datatroveRules maps a language code (ISO 639-1 or 639-3, optionally with
// _Script) to the rule set datatrove tokenizes it with, for the codes that
// do not use the multi-language rules.
var datatroveRules = map[string]string{
	"cmn":      "chars",
	"cmn_Hani": "chars",
	"en":       "en",
	"en_Latn":  "en",
	"eng":      "en",
	"eng_Latn": "en",
	"msa":      "ms",
	"msa_Latn": "ms",
	"msa_Thai": "chars",
	"zh":       "chars",
	"zh_Hani":  "chars",
}
`
	if got := string(files["langmap_gen.go"]); got != wantLangmap {
		t.Errorf("langmap_gen.go =\n%s\nwant\n%s", got, wantLangmap)
	}
}

// TestWriteFiles checks that a run replaces the files whole and leaves no
// temporary files behind.
func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeFiles(dir, map[string][]byte{"a.go": []byte("new"), "b.go": []byte("b")}); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if fmt.Sprint(names) != "[a.go b.go]" {
		t.Errorf("files = %v", names)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.go")); string(b) != "new" {
		t.Errorf("a.go = %q", b)
	}
}

// TestCommittedHeaders checks that the committed tables carry the header
// this generator writes, so that a hand edit or an old generator shows.
func TestCommittedHeaders(t *testing.T) {
	for _, name := range []string{"spacy_exceptions.go", "spacy_lists.go", "spacy_classes.go", "langmap_gen.go"} {
		b, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), generatedLine) {
			t.Errorf("%s does not start with %q", name, generatedLine)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, c := range []struct {
		name, file, src, want string
	}{
		{"unsupported statement", "spacy/lang/en/tokenizer_exceptions.py", "def f():\n    pass\n", `"def" statements are not supported`},
		{"undefined name", "spacy/lang/en/tokenizer_exceptions.py", "TOKENIZER_EXCEPTIONS = X\n", `name "X" is not defined`},
		{"key not spelled", "spacy/lang/ms/tokenizer_exceptions.py",
			"from ...symbols import ORTH\nfrom ...util import update_exc\nfrom ..tokenizer_exceptions import BASE_EXCEPTIONS\n" +
				"TOKENIZER_EXCEPTIONS = update_exc(BASE_EXCEPTIONS, {\"ab\": [{ORTH: \"a\"}]})\n", `spells "a"`},
		{"units not finite", "spacy/lang/id/punctuation.py",
			"from ..punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES\nLIST_CURRENCY = []\nUNITS = \"k+m\"\nHTML_SUFFIX = \"x\"\n", "does not match a finite list"},
		{"bad csv flag", "src/datatrove/assets/tokenizer_assignment.csv",
			"code_3,code_1,script,name,family,type,tok_code,proxy,auto_assigned,default_code_1,default_script\neng,en,Latn,English,,SpaCyTokenizer,en,,,yes,TRUE\n", `"yes" is not TRUE or FALSE`},
		{"ucd order", "UnicodeData.txt", "0041;A;Lu;0;L;;;;;N;;;;;\n0030;0;Nd;0;EN;;0;0;0;N;;;;;\n", "out of order"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFixture(t)
			if err := os.WriteFile(filepath.Join(dir, c.file), []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := generate(dir, dir, dir)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want one containing %q", err, c.want)
			}
		})
	}
}
