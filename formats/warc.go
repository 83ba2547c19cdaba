package formats

import (
	"errors"
	"io"
)

// openWARC reads WARC (response records) or WET (conversion records) input.
func openWARC(name string, r io.Reader, opts ReadOptions, wet bool) (Reader, error) {
	return nil, errors.New("WARC input is not supported yet")
}
