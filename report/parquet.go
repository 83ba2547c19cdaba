package report

import (
	"errors"
	"io"

	"github.com/saring/saring/formats"
)

// ParquetToJSONL turns a Parquet output file into the JSONL stream the other
// formats decompress to, one document object per line, through the same
// reader and writer `saring run` uses, so the two agree on the schema.
// A variable so that tests can stand in for it.
var ParquetToJSONL = func(path string) (io.ReadCloser, error) {
	r, err := formats.Open(path, formats.ReadOptions{Format: "parquet"}, nil)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		defer r.Close()
		var line []byte
		for {
			doc, err := r.Next()
			if errors.Is(err, io.EOF) {
				pw.Close()
				return
			}
			if _, ok := formats.AsRecordError(err); ok {
				continue // the viewer lists what it can read
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			if line, err = formats.AppendJSONL(line[:0], doc); err != nil {
				continue
			}
			if _, err := pw.Write(line); err != nil {
				return // reader closed
			}
		}
	}()
	return pr, nil
}

// OpenParquetJSONL opens a Parquet output file as a JSONL stream.
func OpenParquetJSONL(path string) (io.ReadCloser, error) {
	return ParquetToJSONL(path)
}
