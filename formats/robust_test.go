package formats

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// A line over the document limit is one rejected entry with its line and
// offset; the lines after it are still read.
func TestOverLimitLineRejected(t *testing.T) {
	big := `{"id":"big","text":"` + strings.Repeat("kata ", 1<<18) + "\"}\n"
	in := `{"text":"one"}` + "\n" + big + `{"text":"after"}` + "\n"
	for _, tc := range []struct{ name, format string }{{"o.jsonl", "jsonl"}, {"o.jsonl.gz", "jsonl"}, {"o.jsonl.zst", "jsonl"}, {"o.txt", "text"}, {"o.txt.zst", "text"}} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(in)
			if tc.format == "text" {
				data = []byte("one\n" + strings.Repeat("kata ", 1<<18) + "\nafter\n")
			}
			switch {
			case strings.HasSuffix(tc.name, ".gz"):
				data = gz(data)
			case strings.HasSuffix(tc.name, ".zst"):
				data = zst(data)
			}
			docs, rej, err := readDocs(t, writeFile(t, tc.name, data), ReadOptions{MaxDocBytes: 1 << 20, TextMode: "line"})
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 2 || docs[1].Text != "after" || docs[1].Source.Line != 3 {
				t.Fatalf("docs %v", docs)
			}
			if len(rej) != 1 {
				t.Fatalf("rejected %v", rej)
			}
			re, _ := AsRecordError(rej[0])
			if re.Source.Line != 2 || re.Source.Offset == 0 || !strings.Contains(re.Error(), "over the limit") || len(re.Raw) > maxRawPrefix {
				t.Fatalf("rejected %v (%+v)", re, re.Source)
			}
		})
	}
	// One document per file, over the limit.
	docs, rej, err := readDocs(t, writeFile(t, "f.txt.gz", gz([]byte(strings.Repeat("x", 3<<20)))), ReadOptions{MaxDocBytes: 1 << 20})
	if err != nil || len(docs) != 0 || len(rej) != 1 || !strings.Contains(rej[0].Error(), "3145728 bytes is over the limit") {
		t.Fatal(docs, rej, err)
	}
}

// flipCorpus is a JSONL input whose documents are told apart by id.
func flipCorpus(n int) (data []byte, byID map[string]string) {
	rng := rand.New(rand.NewSource(7))
	byID = map[string]string{}
	var b bytes.Buffer
	words := []string{"diciembre", "kata", "pasar", "harga", "naik", "turun", "minggu", "depan", "rupiah", "bank"}
	for i := 0; i < n; i++ {
		var t strings.Builder
		for j := 0; j < 20+rng.Intn(40); j++ {
			t.WriteString(words[rng.Intn(len(words))])
			t.WriteByte(' ')
		}
		id := fmt.Sprintf("d%d", i)
		byID[id] = t.String()
		fmt.Fprintf(&b, "{\"id\":%q,\"text\":%q}\n", id, t.String())
	}
	return b.Bytes(), byID
}

// gzMembers compresses every chunk lines as its own gzip member (as pigz
// --independent or bgzip-like writers do).
func gzMembers(data []byte, chunk int) []byte {
	var out bytes.Buffer
	lines := bytes.SplitAfter(data, []byte("\n"))
	for i := 0; i < len(lines); i += chunk {
		w := gzip.NewWriter(&out)
		w.Write(bytes.Join(lines[i:min(i+chunk, len(lines))], nil))
		w.Close()
	}
	return out.Bytes()
}

// zstFrames compresses every chunk lines as its own zstd frame.
func zstFrames(data []byte, chunk int) []byte {
	var out bytes.Buffer
	lines := bytes.SplitAfter(data, []byte("\n"))
	enc, _ := zstd.NewWriter(nil)
	for i := 0; i < len(lines); i += chunk {
		out.Write(enc.EncodeAll(bytes.Join(lines[i:min(i+chunk, len(lines))], nil), nil))
	}
	return out.Bytes()
}

// Bit flips at many positions of gzip and zstd inputs (one member or frame,
// and many): no document whose text differs from the original is ever
// handed out, and every line is either a document or a rejected entry.
func TestBitFlipsNeverKept(t *testing.T) {
	data, byID := flipCorpus(400)
	nLines := bytes.Count(data, []byte("\n"))
	inputs := map[string][]byte{
		"one.jsonl.gz":   gz(data),
		"many.jsonl.gz":  gzMembers(data, 25),
		"one.jsonl.zst":  zst(data),
		"many.jsonl.zst": zstFrames(data, 25),
	}
	flips := 150
	if testing.Short() {
		flips = 30
	}
	for name, clean := range inputs {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(int64(len(clean))))
			kept, rejected := 0, 0
			for k := 0; k < flips; k++ {
				bad := bytes.Clone(clean)
				pos := rng.Intn(len(bad))
				bad[pos] ^= byte(1 << rng.Intn(8))
				if k%5 == 4 { // and some with several flips
					for j := 0; j < 4; j++ {
						bad[rng.Intn(len(bad))] ^= 0xff
					}
				}
				// Documents handed out before an error that ends the input
				// are kept by the runner too: check them whatever the error.
				docs, rej, _ := readDocs(t, writeFile(t, fmt.Sprintf("%d-%s", k, name), bad), ReadOptions{})
				for _, d := range docs {
					if want, ok := byID[d.ID]; !ok || want != d.Text {
						t.Fatalf("flip at %d: document %q kept with altered text %.60q", pos, d.ID, d.Text)
					}
				}
				for _, e := range rej {
					re, _ := AsRecordError(e)
					if re.Source.Line == 0 {
						t.Fatalf("flip at %d: rejected entry without a line: %v", pos, e)
					}
				}
				kept += len(docs)
				rejected += len(rej)
				if len(docs) > nLines {
					t.Fatalf("more documents than lines")
				}
			}
			t.Logf("%d flips: %d documents kept, %d rejected", flips, kept, rejected)
		})
	}
}

// Bit flips in a .warc.gz (one gzip member per record): no record whose
// text differs from the original is handed out.
func TestWARCBitFlipsNeverKept(t *testing.T) {
	var clean []byte
	want := map[string]string{}
	for i := 0; i < 30; i++ {
		id := fmt.Sprintf("r%d", i)
		text := fmt.Sprintf("Teks nomor %d tentang harga beras di pasar, minggu ini naik lagi.\nBaris kedua %d.", i, i*7)
		want["<urn:uuid:"+id+">"] = text
		clean = append(clean, gzipMember(warcRec("conversion", "https://x.id/"+id, id, "", []byte(text)))...)
	}
	rng := rand.New(rand.NewSource(11))
	flips := 200
	if testing.Short() {
		flips = 40
	}
	kept, rejected := 0, 0
	for k := 0; k < flips; k++ {
		bad := bytes.Clone(clean)
		pos := rng.Intn(len(bad))
		bad[pos] ^= byte(1 << rng.Intn(8))
		docs, rej, _ := readDocs(t, writeFile(t, fmt.Sprintf("%d.warc.gz", k), bad), ReadOptions{})
		for _, d := range docs {
			if w, ok := want[d.ID]; !ok || w != d.Text {
				t.Fatalf("flip at %d: record %q handed out with text %.60q", pos, d.ID, d.Text)
			}
		}
		for _, e := range rej {
			if re, _ := AsRecordError(e); re == nil || re.Source.Line == 0 {
				t.Fatalf("flip at %d: entry without its place: %v", pos, e)
			}
		}
		kept += len(docs)
		rejected += len(rej)
	}
	t.Logf("%d flips: %d records handed out, %d rejected", flips, kept, rejected)
}
