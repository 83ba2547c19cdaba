package formats

import (
	"bytes"
	"testing"
)

// FuzzMegatronIndex checks that any bytes either fail cleanly or decode to
// an index that writes back to the same bytes (the layout has one spelling
// of each index saring writes: one sequence a document).
func FuzzMegatronIndex(f *testing.F) {
	for _, lens := range [][]int64{nil, {0}, {3, 1}, {5, 0, 7, 2}} {
		for _, w := range []int{2, 4} {
			var b bytes.Buffer
			WriteMegatronIndex(&b, w, lens)
			f.Add(b.Bytes())
		}
	}
	f.Add([]byte("MMIDIDX\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := ReadMegatronIndex(b)
		if err != nil {
			return
		}
		if x.BinBytes() < 0 {
			t.Fatalf("negative .bin size from %x", b)
		}
		oneEach := len(x.DocIndices) == len(x.Lengths)+1 && len(b) == megatronHeader+len(x.Lengths)*12+len(x.DocIndices)*8
		for i, d := range x.DocIndices {
			oneEach = oneEach && d == int64(i)
		}
		if !oneEach || (x.DtypeCode != MegatronUint16 && x.DtypeCode != MegatronInt32) {
			return
		}
		lens := make([]int64, len(x.Lengths))
		for i, l := range x.Lengths {
			lens[i] = int64(l)
		}
		var out bytes.Buffer
		if err := WriteMegatronIndex(&out, x.Width(), lens); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), b) {
			t.Fatalf("round trip changed the index:\n%x\n%x", b, out.Bytes())
		}
		bin := make([]byte, x.BinBytes()%(1<<16))
		if int64(len(bin)) == x.BinBytes() {
			if docs, err := x.Documents(bin); err != nil || len(docs) != len(x.Lengths) {
				t.Fatalf("documents of a .bin of the right size: %v", err)
			}
		}
	})
}

// FuzzDatatroveIndex checks that any .ds.index either fails cleanly or
// splits a .ds of its length into documents that write back to it.
func FuzzDatatroveIndex(f *testing.F) {
	for _, lens := range [][]int64{nil, {0}, {3, 1}, {5, 0, 7, 2}} {
		var b bytes.Buffer
		WriteDatatroveIndex(&b, lens)
		f.Add(b.Bytes(), uint8(2))
	}
	f.Add([]byte{1, 2, 3}, uint8(4))
	f.Fuzz(func(t *testing.T, b []byte, w uint8) {
		ends, err := ReadDatatroveIndex(b)
		if err != nil {
			return
		}
		width := 2 + 2*int(w%2)
		n := uint64(0)
		if len(ends) > 0 {
			n = ends[len(ends)-1]
		}
		if n > 1<<16 {
			return
		}
		docs, err := DatatroveDocuments(make([]byte, int(n)*width), width, ends)
		if err != nil {
			t.Fatal(err)
		}
		lens := make([]int64, len(docs))
		for i, d := range docs {
			lens[i] = int64(len(d))
		}
		var out bytes.Buffer
		WriteDatatroveIndex(&out, lens)
		if !bytes.Equal(out.Bytes(), b) {
			t.Fatalf("round trip changed the index")
		}
	})
}

// FuzzDatatroveMetadata checks that the metadata parser fails cleanly or
// reads back what DatatroveMetadata writes.
func FuzzDatatroveMetadata(f *testing.F) {
	f.Add("gpt2|2\n1500\n1.50 kT")
	f.Add("a|b|4\n0\n0.00 T")
	f.Add("|")
	f.Fuzz(func(t *testing.T, s string) {
		name, w, n, err := ParseDatatroveMetadata(s)
		if err != nil || n < 0 || name == "" {
			return
		}
		name2, w2, n2, err := ParseDatatroveMetadata(DatatroveMetadata(name, w, n))
		if err != nil || name2 != name || w2 != w || n2 != n {
			t.Fatalf("round trip of %q: %q %d %d %v", s, name2, w2, n2, err)
		}
	})
}
