package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// Rows after a damaged Parquet page are one rejected entry that counts as
// the rows the footer says it holds: read = kept + removed + rejected still
// holds, with every row counted.
func TestRunParquetTailCounted(t *testing.T) {
	type row struct {
		ID   string `parquet:"id"`
		Text string `parquet:"text"`
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "t.parquet")
	f, _ := os.Create(path)
	w := parquet.NewGenericWriter[row](f)
	for i := 0; i < 3; i++ {
		rows := make([]row, 100)
		for j := range rows {
			rows[j] = row{ID: strings.Repeat("x", j+1) + string(rune('a'+i)), Text: strings.Repeat("kata ", 50+i*100+j)}
		}
		w.Write(rows)
		w.Flush()
	}
	w.Close()
	f.Close()
	data, _ := os.ReadFile(path)
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	c := pf.Metadata().RowGroups[1].Columns[1].MetaData
	for i := c.DataPageOffset + 40; i < c.DataPageOffset+c.TotalCompressedSize; i += 5 {
		data[i] ^= 0x55
	}
	os.WriteFile(path, data, 0o644)

	_, st := runWith(t, dir, "upper", 2, "jsonl")
	if tot := st.Totals; tot.Read != 300 || tot.Rejected != 100 || tot.Kept != 200 {
		t.Fatalf("totals %+v, want 300 read, 100 rejected (one entry), 200 kept", tot)
	}
}
