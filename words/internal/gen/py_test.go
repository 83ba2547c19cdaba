package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// show renders a value the way Python's repr would, near enough to
// compare (dict keys sorted, so sets compare too).
func show(v value) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(v)
	case string:
		return strconv.Quote(v)
	case symbol:
		return string(v)
	case *pyList:
		return "[" + showAll(v.items) + "]"
	case pyTuple:
		return "(" + showAll(v) + ")"
	case *pyDict:
		var parts []string
		for i, k := range v.keys {
			if v.isSet {
				parts = append(parts, show(k))
			} else {
				parts = append(parts, show(k)+": "+show(v.vals[i]))
			}
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprintf("<%T>", v)
}

func showAll(vs []value) string {
	parts := make([]string, len(vs))
	for i, x := range vs {
		parts[i] = show(x)
	}
	return strings.Join(parts, ", ")
}

func runPy(t *testing.T, files map[string]string, mod string) (*module, error) {
	t.Helper()
	return spacyInterp(writeTree(t, files)).load(mod)
}

func TestPythonReader(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"raw and adjacent and +", `x = r"\u00e9" "a" + 'b'`, `"\\u00e9ab"`},
		{"escapes", `x = "\u00e9\t\x41\\\'\U0001F600\N"`, `"é\tA\\'😀\\N"`},
		{"triple quoted split", "x = \"\"\"\na  b\n c \"\"\".split()", `["a", "b", "c"]`},
		{"lambda", "f = lambda c: c.strip().replace(\" \", \"|\")\nx = f(\" a b \")", `"a|b"`},
		{"format", `x = "{a}-{b}{{}}{}".format("p", a=1, b="z")`, `"1-z{}p"`},
		{"f-string", "h = 3\nx = f\"{h}h{{x}}\" f'{h + 1}'", `"3h{x}4"`},
		{"for, unpacking, if", "x = []\nfor a, b in [(1, \"p\"), (2, \"q\"), (3, \"r\")]:\n    if a != 2:\n        x = x + [b]\n    elif a == 2:\n        x += [\"two\"]\n    else:\n        pass", `["p", "two", "r"]`},
		{"comprehension", `x = "-".join([p.title() for p in "ab-cd".split("-") if p])`, `"Ab-Cd"`},
		{"index and slice", "s = \"abc\"\nx = [s[0].upper() + s[1:], s[-1], s[:-1], s[5:]]", `["Abc", "c", "ab", ""]`},
		{"case mappings", `x = ["don't".title(), "x3dy".title(), "ß".upper(), "ABC".lower(), "aBC".capitalize()]`, `["Don'T", "X3Dy", "SS", "abc", "Abc"]`},
		{"dicts", "d = {\"a\": 1}\nd.update({\"b\": 2})\nd.pop(\"a\")\ne = dict(d)\ne[\"c\"] = 3\nx = [list(d.keys()), e, \"b\" in d, \"a\" not in d, d.get(\"z\", 0)]", `[["b"], {"b": 2, "c": 3}, True, True, 0]`},
		{"annotated", "from typing import Dict, List\nx: Dict[str, List[int]] = {}", `{}`},
		{"list methods", "l = [\"a\", \"#\", \"b\"]\nl.remove(\"#\")\nl.append(\"c\")\nl.extend([\"d\"])\nx = l", `["a", "b", "c", "d"]`},
		{"range", `x = list(range(1, 3 + 1))`, `[1, 2, 3]`},
		{"sets", `x = [len(set("a b a".split())), set(["q", "q"])]`, `[2, {"q"}]`},
		{"symbols as keys", "from spacy.symbols import ORTH, NORM\nx = {ORTH: \"a\", NORM: \"b\"}", `{NORM: "b", ORTH: "a"}`},
		{"conditional and boolean", `x = ["y" if 1 else "n", 0 or "z", "" and 1, not None]`, `["y", "z", "", True]`},
		{"line joining", "x = [\n    1,  # one\n    2,\n] + \\\n    [3]", `[1, 2, 3]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := runPy(t, map[string]string{"m.py": c.src + "\n"}, "m")
			if err != nil {
				t.Fatal(err)
			}
			if got := show(m.vars["x"]); got != c.want {
				t.Errorf("x = %s, want %s", got, c.want)
			}
		})
	}
}

func TestPythonImports(t *testing.T) {
	files := map[string]string{
		"pkg/__init__.py":     "TOP = 1\n",
		"pkg/a.py":            "A = \"a\"\n",
		"pkg/sub/__init__.py": "from .. import a\nfrom ..a import A as AA\n",
		"pkg/sub/b.py":        "from . import C\nfrom ..a import A\nfrom .. import TOP\nx = [A, C, TOP]\n",
	}
	files["pkg/sub/__init__.py"] += "C = AA + a.A\n"
	m, err := runPy(t, files, "pkg.sub.b")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := show(m.vars["x"]), `["a", "aa", 1]`; got != want {
		t.Errorf("x = %s, want %s", got, want)
	}
}

func TestPythonReaderErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"def f():\n    pass\n", `"def" statements are not supported`},
		{"x = y\n", `name "y" is not defined`},
		{"x = 1\n  y = 2\n", "m.py:"},
		{"x = \"abc\n", "newline in string"},
		{"x = (1,\n", "unclosed bracket"},
		{"x = f\"{a:>3}\"\n", "format specs are not supported"},
		{"x = [1][3]\n", "index out of range"},
		{"x = {}[\"k\"]\n", `key "k" not found`},
		{"x = \"a\" + 1\n", "unsupported operand types for +: str and int"},
		{"for a, b in [(1, 2, 3)]:\n    pass\n", "cannot unpack 3 values into 2 names"},
		{"from .missing import X\n", "relative import beyond the top package"},
		{"from ...x import Y\n", "relative import beyond the top package"},
		{"x = \"{z}\".format(a=1)\n", `format field "z" has no value`},
		{"x = [].remove(1)\n", "1 not in list"},
	} {
		_, err := runPy(t, map[string]string{"m.py": c.src}, "m")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error = %v, want one containing %q", c.src, err, c.want)
		}
	}
}

func TestRegexPieces(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    string
	}{
		{"mill?iar|bil[l]?iun", "[milliar miliar billiun biliun]"},
		{"</(b|strong|i)>", "[</b> </strong> </i>]"},
		{`US\$|(?:a|b)c?`, "[US$ ac a bc b]"},
		{"x[ab]", "[xa xb]"},
	} {
		got, err := expand(c.pattern)
		if err != nil {
			t.Errorf("expand(%q): %v", c.pattern, err)
			continue
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("expand(%q) = %v, want %s", c.pattern, got, c.want)
		}
	}
	for _, p := range []string{"a.b", "a+", "(?<=x)y", `[a-\u00ff]`, "a?b?c?d?e?f?g?h?i?j?k?l?m?n?o?p?q?"} {
		if _, err := expand(p); err == nil {
			t.Errorf("expand(%q) succeeded, want an error", p)
		}
	}
	for _, c := range []struct{ class, want string }{
		{`[a\-c]`, "[[45 45] [97 97] [99 99]]"},
		{`[-a]`, "[[45 45] [97 97]]"},
		{`[a-]`, "[[45 45] [97 97]]"},
		{`[\u00e9-\u00eb\U0001F600]`, "[[233 235] [128512 128512]]"},
		{`[(?:x)|]`, "[[40 41] [58 58] [63 63] [120 120] [124 124]]"},
		{`[a-cb-e]`, "[[97 101]]"},
		{`[]a]`, "[[93 93] [97 97]]"},
	} {
		got, err := classOf(c.class)
		if err != nil {
			t.Errorf("classOf(%q): %v", c.class, err)
			continue
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("classOf(%q) = %v, want %s", c.class, got, c.want)
		}
	}
	for _, p := range []string{`[^a]`, `[\w]`, `[z-a]`, `[abc`, `[a]b`} {
		if _, err := classOf(p); err == nil {
			t.Errorf("classOf(%q) succeeded, want an error", p)
		}
	}
	for p, want := range map[string]string{`\$`: "$", `US\$`: "US$", "……": "……", `\!`: "!"} {
		if got, ok := literal(p); !ok || got != want {
			t.Errorf("literal(%q) = %q, %v; want %q", p, got, ok, want)
		}
	}
	for _, p := range []string{`\+(?![0-9])`, `\.\.+`, `\d`, "[a]", "a|b"} {
		if _, ok := literal(p); ok {
			t.Errorf("literal(%q) ok, want not a literal", p)
		}
	}
}

func TestGoQuote(t *testing.T) {
	for in, want := range map[string]string{
		"\t\x1e\x1f": `"\x09\x1e\x1f"`,
		`a"b\c`:      `"a\"b\\c"`,
		"\u00a0é—":   `"\u00a0é—"`,
		"\x7f":       `"\x7f"`,
	} {
		if got := goQuote(in); got != want {
			t.Errorf("goQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func FuzzParsePython(f *testing.F) {
	for _, src := range fixture {
		f.Add(src)
	}
	f.Add("x = f\"{a}{{\" r'\\'' '''\n'''\nfor a, b in c:\n    if a: pass\n")
	f.Fuzz(func(t *testing.T, src string) {
		parsePython("fuzz.py", src) // must not panic
	})
}

func FuzzRegexPieces(f *testing.F) {
	for _, s := range []string{"mill?iar|bil[l]?iun", `</(b|i)>`, `[a\-c\u00e9-\u00eb]`, `[(?:x)]`, `\$`, `[`, `(`, `\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if out, err := expand(p); err == nil && len(out) > maxExpansion {
			t.Fatalf("expand(%q) gave %d strings", p, len(out))
		}
		if rs, err := classOf(p); err == nil {
			for i, r := range rs {
				if r[0] > r[1] || i > 0 && rs[i-1][1]+1 >= r[0] {
					t.Fatalf("classOf(%q) = %v: not sorted, merged ranges", p, rs)
				}
			}
		}
		literal(p)
	})
}

func TestPythonBudget(t *testing.T) {
	for _, src := range []string{
		"x = [1]\nfor a in range(1000):\n    for b in range(1000):\n        x = x + [b]\n",
		"s = \"ab\"\nfor a in range(100):\n    s = s + s\n",
		"s = \"ab\" * 100000000\n",
	} {
		in := newInterp(t.TempDir())
		in.budget = 1 << 16
		_, err := in.exec("m", "m.py", src, false)
		if err == nil || !strings.Contains(err.Error(), "more work than the reader allows") {
			t.Errorf("%q: error = %v, want the budget's", src, err)
		}
	}
	in := newInterp(t.TempDir())
	if _, err := in.exec("m", "m.py", "x = list(range(2097152))\n", false); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("a long range: error = %v", err)
	}
}

func FuzzEvalPython(f *testing.F) {
	for _, src := range fixture {
		f.Add(src)
	}
	f.Add("x = [p.title() for p in \"a-b\".split(\"-\")]\nd = {1: x}\nd.pop(1)\ny = f\"{x[0]}\"[1:] * 3\n")
	root := f.TempDir()
	f.Fuzz(func(t *testing.T, src string) {
		in := spacyInterp(root)
		in.budget = 1 << 16
		in.exec("m", "m.py", src, false) // must not panic, hang or blow up
	})
}
