package saring

import (
	"strings"
	"testing"
)

func TestMemo(t *testing.T) {
	d := &Document{Text: "satu dua tiga"}
	calls := 0
	split := func(s string) any { calls++; return strings.Fields(s) }
	a := d.Memo("words", split).([]string)
	b := d.Memo("words", split).([]string)
	if calls != 1 || len(a) != 3 || &a[0] != &b[0] {
		t.Fatalf("calls %d", calls)
	}
	d.Text = "empat lima"
	c := d.Memo("words", split).([]string)
	if calls != 2 || len(c) != 2 {
		t.Fatalf("not recomputed after a rewrite: calls %d, %v", calls, c)
	}
	// A new string with the same bytes is a rewrite too: recomputing is safe.
	d.Text = strings.Clone(d.Text)
	d.Memo("words", split)
	if calls != 3 {
		t.Fatalf("calls %d", calls)
	}
	if d.Memo("other", func(string) any { return 1 }).(int) != 1 {
		t.Fatal("keys share a slot")
	}
}

func TestLookup(t *testing.T) {
	d := &Document{Fields: []Field{{Key: "url", Value: []byte(`"http://a.example/x"`)}, {Key: "n", Value: []byte(`3`)}}}
	if u, ok := d.Lookup("url"); !ok || u != "http://a.example/x" {
		t.Errorf("url %q %v", u, ok)
	}
	if _, ok := d.Lookup("n"); ok {
		t.Error("a number is not a string")
	}
	d.SetMeta("url", "http://b.example")
	if u, _ := d.Lookup("url"); u != "http://b.example" {
		t.Errorf("metadata should win: %q", u)
	}
}
