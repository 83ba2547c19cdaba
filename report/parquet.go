package report

import (
	"errors"
	"io"
)

// ParquetToJSONL, when set, turns a Parquet output file into the same JSONL
// stream the other formats decompress to (one document object per line).
// The command line sets it from package formats, which owns the Parquet
// schema; report itself stays free of it.
var ParquetToJSONL func(path string) (io.ReadCloser, error)

// OpenParquetJSONL opens a Parquet output file as a JSONL stream.
func OpenParquetJSONL(path string) (io.ReadCloser, error) {
	if ParquetToJSONL == nil {
		return nil, errors.New(path + ": Parquet outputs cannot be read by this build; re-run with output format jsonl.zst to browse them")
	}
	return ParquetToJSONL(path)
}
