package formats

import (
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// parquetGroup is one row group as the reader sees it: its rows, where it
// is in the file, and, when one of its pages is too large to decode within
// the limits, why it is passed over.
type parquetGroup struct {
	first, rows int64 // first row (0-based) and row count
	offset      int64 // file offset of its first page
	tooLarge    string
}

// parquetPageCap bounds one page's uncompressed size: writers cut pages
// at about 1 MiB, and a page holds whole values, so a page over twice the
// document limit plus 1 MiB is not read at all.
func parquetPageCap(maxDoc int64) int64 {
	if maxDoc <= 0 {
		return 1 << 62
	}
	return 2*maxDoc + 1<<20
}

// parquetGroups lists the row groups, walking every column chunk's page
// headers (without reading the pages) to find pages over cap.
func parquetGroups(f io.ReaderAt, size int64, md *format.FileMetaData, cap int64) []parquetGroup {
	var out []parquetGroup
	var row int64
	for i, rg := range md.RowGroups {
		g := parquetGroup{first: row, rows: rg.NumRows, offset: rg.FileOffset}
		for _, c := range rg.Columns {
			m := c.MetaData
			start := m.DataPageOffset
			if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
				start = m.DictionaryPageOffset
			}
			if g.offset == 0 || start < g.offset {
				g.offset = start
			}
			if why := parquetChunkTooLarge(f, size, start, m.TotalCompressedSize, cap); why != "" && g.tooLarge == "" {
				g.tooLarge = fmt.Sprintf("row group %d, column %v: %s", i, m.PathInSchema, why)
			}
		}
		out = append(out, g)
		row += rg.NumRows
	}
	return out
}

// parquetChunkTooLarge walks the page headers of one column chunk.
func parquetChunkTooLarge(f io.ReaderAt, size, start, length, cap int64) string {
	if start < 0 || length < 0 || start+length > size {
		return "" // the library reports a chunk outside the file
	}
	end := start + length
	proto := &thrift.CompactProtocol{}
	for pos := start; pos < end; {
		cr := &countingReader{r: io.NewSectionReader(f, pos, min(end-pos, 1<<20))}
		var h format.PageHeader
		// Fields 1 to 3 (type and sizes) come first; a header cut by the
		// window (statistics can hold a whole value) still has them.
		err := thrift.NewDecoder(proto.NewReader(cr)).Decode(&h)
		if int64(h.UncompressedPageSize) > cap || h.UncompressedPageSize < 0 {
			return fmt.Sprintf("a page at byte %d holds %d bytes uncompressed, over the limit of %d bytes per page", pos, h.UncompressedPageSize, cap)
		}
		if err != nil {
			return "" // a damaged or very large header: the library reports what it finds when the rows are read
		}
		if h.CompressedPageSize < 0 {
			return ""
		}
		pos += cr.n + int64(h.CompressedPageSize)
	}
	return ""
}
