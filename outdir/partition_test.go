package outdir

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestPartitionValue(t *testing.T) {
	long := strings.Repeat("é", 150)
	for _, tc := range []struct {
		v    any
		ok   bool
		want string
	}{
		{"ind_Latn", true, "ind_Latn"},
		{"eng_Latn", true, "eng_Latn"},
		{"a/b c", true, "a%2Fb%20c"},
		{"..", true, "%2E."},
		{".hidden", true, "%2Ehidden"},
		{"x=y", true, "x%3Dy"},
		{"100%", true, "100%25"},
		{"日本", true, "%E6%97%A5%E6%9C%AC"},
		{"", true, NonePartition},
		{nil, true, NonePartition},
		{"whatever", false, NonePartition},
		{NonePartition, true, "%5F_none__"},
		{float64(3), true, "3"},
		{0.25, true, "0.25"},
		{json.Number("12"), true, "12"},
		{true, true, "true"},
		{[]any{"a", 1.0}, true, "%5B%22a%22%2C1%5D"},
	} {
		if got := PartitionValue(tc.v, tc.ok); got != tc.want {
			t.Errorf("%#v: %q, want %q", tc.v, got, tc.want)
		}
	}
	a, b := PartitionValue(long+"a", true), PartitionValue(long+"b", true)
	if len(a) > maxPartitionValue || a == b || !strings.Contains(a, "~") {
		t.Errorf("long values: %q, %q", a, b)
	}
	if head := a[:strings.Index(a, "~")]; strings.LastIndexByte(head, '%') > len(head)-3 {
		t.Errorf("an escape cut in two: %q", a)
	}
	if err := ValidPartitionKey("language"); err != nil {
		t.Error(err)
	}
	for _, k := range []string{"", ".x", "a/b", "a=b", "lang uage"} {
		if ValidPartitionKey(k) == nil {
			t.Errorf("key %q accepted", k)
		}
	}
}

// Files lists document shards of partition directories with the others,
// in name order, and leaves token shards and temporary files out; AllFiles
// lists token shards too.
func TestFilesPartitioned(t *testing.T) {
	d := Dir{Root: t.TempDir()}
	for _, f := range []string{
		"kept/language=eng_Latn/part-01-000000-00000.jsonl",
		"kept/language=eng_Latn/part-01-000001-00000.jsonl",
		"kept/language=eng_Latn/.part-01-000002-00000.jsonl.tmp",
		"kept/language=ind_Latn/part-01-000000-00000.jsonl",
		"kept/language=ind_Latn/part-01-000000-00000.bin",
		"kept/language=ind_Latn/part-01-000000-00000.idx",
		"kept/part-01-000000-00000.ds",
		"kept/part-01-000000-00000.ds.index",
		"kept/notes.txt",
	} {
		p := d.Path(filepath.FromSlash(f))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(f), 0o644)
	}
	rel := func(paths []string, err error) []string {
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range paths {
			out = append(out, d.Rel(p))
		}
		return out
	}
	want := []string{
		"kept/language=eng_Latn/part-01-000000-00000.jsonl",
		"kept/language=eng_Latn/part-01-000001-00000.jsonl",
		"kept/language=ind_Latn/part-01-000000-00000.jsonl",
	}
	if got := rel(d.Files(Kept)); !reflect.DeepEqual(got, want) {
		t.Errorf("Files: %v", got)
	}
	wantAll := []string{
		"kept/language=eng_Latn/part-01-000000-00000.jsonl",
		"kept/language=eng_Latn/part-01-000001-00000.jsonl",
		"kept/language=ind_Latn/part-01-000000-00000.bin",
		"kept/language=ind_Latn/part-01-000000-00000.idx",
		"kept/language=ind_Latn/part-01-000000-00000.jsonl",
		"kept/part-01-000000-00000.ds",
		"kept/part-01-000000-00000.ds.index",
	}
	if got := rel(d.AllFiles(Kept)); !reflect.DeepEqual(got, wantAll) {
		t.Errorf("AllFiles: %v", got)
	}
	if got := rel(d.PartitionDirs(Kept)); !reflect.DeepEqual(got, []string{"kept/language=eng_Latn", "kept/language=ind_Latn"}) {
		t.Errorf("PartitionDirs: %v", got)
	}
}
