package formats

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Decompress returns the uncompressed stream of br, telling gzip and zstd
// by their magic bytes (anything else is returned as it is), and the
// decompressor to close after reading (nil when none). name is for errors.
func Decompress(name string, br *bufio.Reader) (io.Reader, io.Closer, error) {
	magic, _ := br.Peek(4)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		return gz, gz, nil
	case len(magic) == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd:
		zd, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<31))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: zstd: %w", name, err)
		}
		return zd, zstdCloser{zd}, nil
	}
	return br, nil, nil
}

// OpenDecompressed opens a local JSONL or text file, plain, gzip or zstd,
// as its uncompressed bytes.
func OpenDecompressed(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	body, c, err := Decompress(path, bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		f.Close()
		return nil, err
	}
	closers := multiCloser{f}
	if c != nil {
		closers = append(closers, c)
	}
	return struct {
		io.Reader
		io.Closer
	}{body, closers}, nil
}
