package formats

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/zeebo/xxh3"

	"github.com/saring/saring"
)

// The .idx of two documents of 3 and 1 uint16 ids, byte by byte as
// indexed_dataset.py's _IndexWriter lays it out.
func TestMegatronIndexGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMegatronIndex(&b, 2, []int64{3, 1}); err != nil {
		t.Fatal(err)
	}
	want := "4d4d49444944580000" + // MMIDIDX\0\0
		"0100000000000000" + // version 1
		"08" + // dtype code: uint16
		"0200000000000000" + // 2 sequences
		"0300000000000000" + // 3 document indices
		"03000000" + "01000000" + // lengths (int32)
		"0000000000000000" + "0600000000000000" + // pointers in bytes (int64)
		"0000000000000000" + "0100000000000000" + "0200000000000000" // document indices
	if got := hex.EncodeToString(b.Bytes()); got != want {
		t.Fatalf("index\n got %s\nwant %s", got, want)
	}
	x, err := ReadMegatronIndex(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	bin := []byte{1, 0, 2, 0, 0xff, 0xff, 7, 0}
	docs, err := x.Documents(bin)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(docs, [][]int64{{1, 2, 65535}, {7}}) {
		t.Fatalf("documents %v", docs)
	}
	if _, err := x.Documents(bin[:6]); err == nil {
		t.Fatal("a short .bin was accepted")
	}
}

func TestReadMegatronIndexRejects(t *testing.T) {
	var good bytes.Buffer
	WriteMegatronIndex(&good, 4, []int64{2, 5, 0})
	g := good.Bytes()
	mut := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), g...)) }
	for name, b := range map[string][]byte{
		"short":        g[:20],
		"magic":        mut(func(b []byte) []byte { b[0] = 'X'; return b }),
		"version":      mut(func(b []byte) []byte { b[9] = 2; return b }),
		"dtype":        mut(func(b []byte) []byte { b[17] = 9; return b }),
		"huge count":   mut(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[18:], 1<<62); return b }),
		"truncated":    g[:len(g)-1],
		"trailing":     append(append([]byte(nil), g...), 1, 2),
		"pointer":      mut(func(b []byte) []byte { b[megatronHeader+12+8] = 9; return b }),
		"first doc":    mut(func(b []byte) []byte { b[len(b)-32] = 1; return b }),
		"falling docs": mut(func(b []byte) []byte { b[len(b)-8] = 0; return b }),
	} {
		if _, err := ReadMegatronIndex(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ReadMegatronIndex(g); err != nil {
		t.Fatal(err)
	}
}

// ShuffleOrder's generator is math/rand/v2's PCG, so its stream is fixed
// by a published algorithm; the permutation is a permutation, fixed by
// seed and name.
func TestShuffleOrder(t *testing.T) {
	g := pcg{hi: 42, lo: xxh3.HashString("part-01-000002-00000")}
	ref := rand.NewPCG(42, xxh3.HashString("part-01-000002-00000"))
	for i := 0; i < 1000; i++ {
		if a, b := g.next(), ref.Uint64(); a != b {
			t.Fatalf("value %d: %x, math/rand/v2 PCG gives %x", i, a, b)
		}
	}
	p := ShuffleOrder(1000, 7, "x")
	if !reflect.DeepEqual(p, ShuffleOrder(1000, 7, "x")) {
		t.Fatal("not deterministic")
	}
	if reflect.DeepEqual(p, ShuffleOrder(1000, 8, "x")) || reflect.DeepEqual(p, ShuffleOrder(1000, 7, "y")) {
		t.Fatal("seed or name does not change the order")
	}
	s := append([]int(nil), p...)
	sort.Ints(s)
	for i, v := range s {
		if v != i {
			t.Fatalf("not a permutation: %v", p[:20])
		}
	}
	// Golden: the order must not change between versions.
	if got := ShuffleOrder(8, 1, "part-00-000000-00000"); !reflect.DeepEqual(got, goldenOrder) {
		t.Errorf("order %v, want %v", got, goldenOrder)
	}
	// Uniform enough: each of 6 positions of 3 items about equally often.
	count := map[[3]int]int{}
	for i := 0; i < 6000; i++ {
		o := ShuffleOrder(3, uint64(i), "")
		count[[3]int{o[0], o[1], o[2]}]++
	}
	for k, n := range count {
		if n < 850 || n > 1150 {
			t.Errorf("order %v drawn %d times of 6000", k, n)
		}
	}
}

var goldenOrder = []int{5, 2, 6, 3, 4, 1, 7, 0}

func TestHumanMetric(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{0, "0.00 T"}, {7, "7.00 T"}, {12, "12.0 T"}, {999, "999 T"}, {1500, "1.50 kT"}, {123456789, "123 MT"}, {2e9, "2.00 GT"}} {
		if got := humanMetric(tc.v, "T"); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.v, got, tc.want)
		}
	}
	m := DatatroveMetadata("gpt2", 2, 1500)
	if m != "gpt2|2\n1500\n1.50 kT" {
		t.Fatalf("metadata %q", m)
	}
	name, w, n, err := ParseDatatroveMetadata(m)
	if err != nil || name != "gpt2" || w != 2 || n != 1500 {
		t.Fatalf("parsed %q %d %d %v", name, w, n, err)
	}
}

// byteIDs encodes a document as the ids of its bytes plus an end token 1000.
func byteIDs(width int) *TokenOptions {
	return &TokenOptions{Width: width, Encode: func(d *saring.Document) ([]byte, error) {
		ids := make([]int, 0, len(d.Text)+1)
		for i := 0; i < len(d.Text); i++ {
			ids = append(ids, int(d.Text[i]))
		}
		return AppendTokenIDs(nil, width, append(ids, 1000))
	}}
}

func readTokenShards(t *testing.T, format string, files []string, width int) [][]int64 {
	t.Helper()
	var docs [][]int64
	for _, f := range files {
		switch {
		case strings.HasSuffix(f, ".bin"):
			idx, _ := os.ReadFile(strings.TrimSuffix(f, ".bin") + ".idx")
			x, err := ReadMegatronIndex(idx)
			if err != nil {
				t.Fatal(err)
			}
			bin, _ := os.ReadFile(f)
			d, err := x.Documents(bin)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d...)
		case strings.HasSuffix(f, ".ds"):
			ib, _ := os.ReadFile(f + ".index")
			ends, err := ReadDatatroveIndex(ib)
			if err != nil {
				t.Fatal(err)
			}
			mb, _ := os.ReadFile(f + ".metadata")
			_, w, n, err := ParseDatatroveMetadata(string(mb))
			if err != nil || w != width || (len(ends) > 0 && uint64(n) != ends[len(ends)-1]) {
				t.Fatalf("metadata %q: %v", mb, err)
			}
			ds, _ := os.ReadFile(f)
			d, err := DatatroveDocuments(ds, width, ends)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d...)
		}
	}
	return docs
}

// A ShardWriter of each tokenized format writes every document's ids once,
// starts a shard at MaxTokens without splitting a document, and leaves no
// temporary file; shuffled, the documents are the same.
func TestShardWriterTokenized(t *testing.T) {
	texts := []string{"alpha", "", "a longer document of text", "b", "ccc", "dddd", "the last one"}
	for _, format := range []string{Megatron, DatatroveTokens} {
		for _, width := range []int{2, 4} {
			for _, shuffle := range []bool{false, true} {
				dir := t.TempDir()
				w, err := NewShardWriter(dir, format, 0, 0)
				if err != nil {
					t.Fatal(err)
				}
				w.Prefix = "part-00-000001"
				w.Tokens = byteIDs(width)
				w.Tokens.MaxTokens, w.Tokens.Shuffle, w.Tokens.Seed = 12, shuffle, 3
				for _, s := range texts {
					if err := w.Write(&saring.Document{ID: s, Text: s}); err != nil {
						t.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				exts := TokenFileExts[format]
				if len(w.Files)%len(exts) != 0 || len(w.Files) < 2*len(exts) {
					t.Fatalf("%s: files %v", format, w.Files)
				}
				var docs int64
				for _, n := range w.Docs {
					docs += n
				}
				if docs != int64(len(texts)) {
					t.Errorf("%s: markers count %d documents", format, docs)
				}
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					if strings.HasPrefix(e.Name(), ".") {
						t.Errorf("%s: temporary file %s left", format, e.Name())
					}
				}
				got := readTokenShards(t, format, w.Files, width)
				var want [][]int64
				for _, s := range texts {
					ids := []int64{}
					for i := 0; i < len(s); i++ {
						ids = append(ids, int64(s[i]))
					}
					want = append(want, append(ids, 1000))
				}
				if !shuffle && !reflect.DeepEqual(got, want) {
					t.Fatalf("%s width %d: %v, want %v", format, width, got, want)
				}
				if shuffle && !sameDocs(got, want) {
					t.Fatalf("%s width %d shuffled: %v, want the documents of %v", format, width, got, want)
				}
			}
		}
	}
}

func sameDocs(a, b [][]int64) bool {
	key := func(d [][]int64) []string {
		var out []string
		for _, x := range d {
			var s strings.Builder
			for _, v := range x {
				s.WriteString(string(rune(v)))
			}
			out = append(out, s.String())
		}
		sort.Strings(out)
		return out
	}
	return reflect.DeepEqual(key(a), key(b))
}

func TestAppendTokenIDs(t *testing.T) {
	if _, err := AppendTokenIDs(nil, 2, []int{65536}); err == nil {
		t.Error("65536 fit 16 bits")
	}
	if _, err := AppendTokenIDs(nil, 4, []int{-1}); err == nil {
		t.Error("a negative id was written")
	}
	b, err := AppendTokenIDs(nil, 4, []int{1, 128001})
	if err != nil || hex.EncodeToString(b) != "0100000001f40100" {
		t.Fatalf("%x %v", b, err)
	}
	if TokenWidth(Megatron, 65499) != 2 || TokenWidth(Megatron, 65500) != 4 || TokenWidth(DatatroveTokens, 65536) != 2 || TokenWidth(DatatroveTokens, 65537) != 4 {
		t.Error("token widths")
	}
}

// A partitioned writer puts each document in its partition's directory,
// numbering each partition's shards from 0, and lists the files partition
// by partition.
func TestShardWriterPartitioned(t *testing.T) {
	dir := t.TempDir()
	w, _ := NewShardWriter(dir, "jsonl", 2, 0)
	w.Prefix = "part-00-000000"
	w.Partition = func(d *saring.Document) string { return "k=" + d.Text[:1] }
	for _, s := range []string{"a1", "b1", "a2", "a3", "b2"} {
		if err := w.Write(&saring.Document{ID: s, Text: s}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, f := range w.Files {
		r, _ := filepath.Rel(dir, f)
		rel = append(rel, r)
	}
	want := []string{"k=a/part-00-000000-00000.jsonl", "k=a/part-00-000000-00001.jsonl", "k=b/part-00-000000-00000.jsonl"}
	if !reflect.DeepEqual(rel, want) || !reflect.DeepEqual(w.Docs, []int64{2, 1, 2}) {
		t.Fatalf("files %v docs %v", rel, w.Docs)
	}
	w2, _ := NewShardWriter(dir, "jsonl", 0, 0)
	w2.Partition = func(*saring.Document) string { return "../escape" }
	if err := w2.Write(&saring.Document{Text: "x"}); err == nil {
		t.Fatal("a partition outside the directory was accepted")
	}
}

// A document with metadata.repeat (the sample step's rehydration) is
// written that many times, each copy a sequence of its own.
func TestShardWriterTokenizedRepeat(t *testing.T) {
	for _, format := range []string{Megatron, DatatroveTokens} {
		dir := t.TempDir()
		w, err := NewShardWriter(dir, format, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		w.Prefix = "part-00-000001"
		w.Tokens = byteIDs(2)
		docs := []*saring.Document{
			{ID: "a", Text: "a", Metadata: map[string]any{"repeat": 3}},
			{ID: "b", Text: "b"},
			{ID: "c", Text: "c", Metadata: map[string]any{"repeat": json.Number("2")}},
			{ID: "d", Text: "d", Metadata: map[string]any{"repeat": 0.0}},
		}
		for _, d := range docs {
			if err := w.Write(d); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		got := readTokenShards(t, format, w.Files, 2)
		want := [][]int64{{'a', 1000}, {'a', 1000}, {'a', 1000}, {'b', 1000}, {'c', 1000}, {'c', 1000}, {'d', 1000}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", format, got, want)
		}
	}
}
