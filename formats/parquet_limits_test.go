package formats

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// parquetBomb writes rows "one", a row with an n-byte text, "two", each in
// its own row group.
func parquetBomb(t *testing.T, name string, n int) string {
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// Statistics off and column index bounds short, so the file is small
	// on disk: the bomb is the page, not the metadata.
	w := parquet.NewGenericWriter[parquetRow](f, parquet.DataPageStatistics(false), parquet.SkipPageBounds("text"),
		parquet.ColumnIndexSizeLimit(func([]string) int { return 16 }))
	for _, r := range []parquetRow{{ID: "one", Text: "satu"}, {ID: "big", Text: strings.Repeat("a", n)}, {ID: "two", Text: "dua"}} {
		if _, err := w.Write([]parquetRow{r}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// A Parquet row over the document limit is one rejected entry with its row
// number and row group offset; a row group with a page over the page cap
// is passed over without decoding it, as one entry counted as its rows.
func TestParquetLimits(t *testing.T) {
	path := parquetBomb(t, "b.parquet", 3<<20)
	for _, tc := range []struct {
		max  int64
		want string
	}{{2 << 20, "over the limit of 2097152 bytes per document"}, {1 << 20, "rows 2 to 2 (1 rows) not read: row group 1"}} {
		docs, rej, err := readDocs(t, path, ReadOptions{MaxDocBytes: tc.max})
		if err != nil || len(docs) != 2 || docs[1].ID != "two" || docs[1].Source.Line != 3 || len(rej) != 1 {
			t.Fatalf("max %d: %v %v %v", tc.max, docs, rej, err)
		}
		re, _ := AsRecordError(rej[0])
		if re.Source.Line != 2 || re.Source.Offset == 0 || !strings.Contains(re.Error(), tc.want) {
			t.Errorf("max %d: %v %+v", tc.max, re, re.Source)
		}
	}
}

// Rows after a damaged page: one entry for the rest of its row group,
// with the row it starts at and how many rows the footer says it holds;
// the other row groups are still read.
func TestParquetTailCounted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	f, _ := os.Create(path)
	w := parquet.NewGenericWriter[parquetRow](f)
	for i := 0; i < 3; i++ {
		rows := make([]parquetRow, 100)
		for j := range rows {
			rows[j] = parquetRow{ID: strings.Repeat("x", j+1), Text: strings.Repeat("kata ", 50+i*100+j)}
		}
		w.Write(rows)
		w.Flush()
	}
	w.Close()
	f.Close()
	data, _ := os.ReadFile(path)
	// Damage the last row group's text pages.
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	c := pf.Metadata().RowGroups[1].Columns[1].MetaData
	for i := c.DataPageOffset + 40; i < c.DataPageOffset+c.TotalCompressedSize; i += 5 {
		data[i] ^= 0x55
	}
	os.WriteFile(path, data, 0o644)
	docs, rej, err := readDocs(t, path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) != 1 {
		t.Fatalf("%d docs, rejected %v", len(docs), rej)
	}
	re, _ := AsRecordError(rej[0])
	if len(docs) != 200 || docs[199].Source.Line != 300 || re.Records != 100 || re.Source.Line != 101 || re.Source.Offset == 0 {
		t.Fatalf("%d docs + %d in the tail entry %v (%+v)", len(docs), re.Records, re, re.Source)
	}
	t.Logf("%d docs read, tail: %v", len(docs), re)
}
