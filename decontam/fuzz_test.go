package decontam

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScanJSONL: any bytes read as a benchmark file give passages or an
// error, never a panic; no passage text is longer than the input could
// make it (an invalid UTF-8 byte becomes a 3-byte U+FFFD).
//
//	go test -fuzz FuzzScanJSONL ./decontam/
func FuzzScanJSONL(f *testing.F) {
	f.Add([]byte(`{"question": "What is 2+2?", "answer": "4", "choices": ["3", 4, null]}` + "\n"))
	f.Add([]byte("{\"text\": \"a\\u00e9\\nb\"}\n\n{\"text\": [[\"x\"]]}\n"))
	f.Add([]byte("{\"question\": \"q\"}\n{broken\n"))
	f.Add([]byte("{\"question\": \"\\ud800\", \"question\": 1e400}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = scanJSONL("fuzz.jsonl", bytes.NewReader(data), []string{"question", "answer", "choices", "text"}, func(texts []string) error {
			for _, s := range texts {
				if len(s) > 3*len(data) {
					t.Fatalf("a text longer than the input: %q", s)
				}
			}
			return nil
		})
	})
}

// FuzzWords: normalized words are non-empty, hold no white space, keep
// spans inside the text in order, and normalizing them again changes
// nothing (so a benchmark passage and its normalized copy match).
//
//	go test -fuzz FuzzWords ./decontam/
func FuzzWords(f *testing.F) {
	for _, s := range []string{"Hello, World!", "Café ﬁne ＦＵＬＬ 1,000", "\u00adsoft x\u200by", "İstanbul ǅ ß Ⅻ ½", "\xff\xfe bad utf8", "١٢٣ ٤",
		// An invalid byte stopped NFKD decomposing the "½" after it.
		"00000\xf7½"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var w words
		w.split(text, true)
		n := w.count()
		if len(w.spans) != n {
			t.Fatalf("%d spans for %d words", len(w.spans), n)
		}
		prev := int32(0)
		var ws []string
		for i := 0; i < n; i++ {
			g := string(w.ngram(i, 1))
			if g == "" || strings.ContainsAny(g, " \t\n") {
				t.Fatalf("word %d is %q", i, g)
			}
			sp := w.spans[i]
			if sp[0] < prev || sp[1] <= sp[0] || int(sp[1]) > len(text) {
				t.Fatalf("span %d %v out of order (text %d bytes)", i, sp, len(text))
			}
			prev = sp[1]
			ws = append(ws, g)
		}
		if !utf8.ValidString(string(w.norm)) {
			t.Fatalf("normalized text is not UTF-8: %q", w.norm)
		}
		joined := strings.Join(ws, " ")
		var again words
		again.split(joined, false)
		if got := strings.TrimSuffix(string(again.norm), " "); got != joined {
			t.Fatalf("not idempotent: %q -> %q -> %q", text, joined, got)
		}
	})
}
