package words

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// TestDifferential compares with a large corpus produced by a reference
// implementation (set SARING_WORDS_DIFF to its path).
func TestDifferential(t *testing.T) {
	path := os.Getenv("SARING_WORDS_DIFF")
	if path == "" {
		t.Skip("SARING_WORDS_DIFF not set")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	bad, n := 0, 0
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
		if len(got) == 0 {
			got = []string{}
		}
		if !reflect.DeepEqual(got, c.Words) {
			bad++
			if bad < 30 {
				t.Errorf("%s %q:\n got %q\nwant %q", c.Lang, c.Text, got, c.Words)
			}
			continue
		}
		gs := Sentences(c.Text, c.Lang)
		if !reflect.DeepEqual(gs, c.Sents) {
			bad++
			if bad < 30 {
				t.Errorf("sents %s %q:\n got %q\nwant %q", c.Lang, c.Text, gs, c.Sents)
			}
		}
	}
	t.Logf("%d/%d differ", bad, n)
}
