package formats

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http/httputil"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// maxHeaderLine bounds one WARC or HTTP header line.
const maxHeaderLine = 64 << 10

// blockReader reads a WARC record block of known length from the shared
// buffered stream without ever reading into the next record.
type blockReader struct {
	r      *bufio.Reader
	remain int64
	// stop, if set, returns where in buf (the next bytes of the block)
	// the next record starts, or -1; cut is set when that was before the
	// block's declared end.
	stop func(buf []byte) int
	cut  bool
}

var errLineTooLong = errors.New("header line longer than 64 KiB")

// line returns the next line without its line ending. The slice is valid
// until the next read.
func (b *blockReader) line() ([]byte, error) {
	if b.remain <= 0 {
		return nil, io.EOF
	}
	avail := int64(b.r.Buffered())
	if avail > b.remain {
		avail = b.remain
	}
	buf, _ := b.r.Peek(int(avail))
	i := bytes.IndexByte(buf, '\n')
	if i < 0 {
		want := b.remain
		if want > int64(b.r.Size()) {
			want = int64(b.r.Size())
		}
		var err error
		buf, err = b.r.Peek(int(want))
		i = bytes.IndexByte(buf, '\n')
		if i < 0 {
			switch {
			case int64(len(buf)) == b.remain:
				i = len(buf) - 1 // last line of the block, no newline
			case err != nil && err != bufio.ErrBufferFull:
				return nil, unexpected(err)
			default:
				return nil, errLineTooLong
			}
		}
	}
	line := buf[:i+1]
	b.r.Discard(i + 1)
	b.remain -= int64(i + 1)
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	return line, nil
}

// rest reads the remaining block bytes. A large Content-Length is not
// trusted with one allocation: a damaged header must not cost 64 MB for a
// record cut after a few bytes.
func (b *blockReader) rest() ([]byte, error) {
	var out []byte
	if b.remain <= 1<<20 {
		out = make([]byte, 0, b.remain)
	}
	for b.remain > 0 && !b.cut {
		chunk, err := b.chunk()
		out = append(out, chunk...)
		b.r.Discard(len(chunk))
		b.remain -= int64(len(chunk))
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// skip discards the remaining block bytes.
func (b *blockReader) skip() error {
	for b.remain > 0 && !b.cut {
		chunk, err := b.chunk()
		b.r.Discard(len(chunk))
		b.remain -= int64(len(chunk))
		if err != nil {
			return err
		}
	}
	return nil
}

// recordSep is how the next record starts after a block: the block's
// trailing CRLFs and the next version line.
var recordSep = []byte("\r\n\r\nWARC/1.")

// chunk returns the next buffered bytes of the block, not consumed. When
// the block's length is a lie that runs into the next record (a gzip
// member ends, or the bytes hold the start of the next record), the
// chunk stops there and b.cut is set.
func (b *blockReader) chunk() ([]byte, error) {
	want := b.remain
	if want > int64(b.r.Size()) {
		want = int64(b.r.Size())
	}
	buf, err := b.r.Peek(int(want))
	if len(buf) == 0 {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return nil, unexpected(err)
	}
	if b.stop != nil {
		if i := b.stop(buf); i >= 0 && int64(i) < b.remain {
			b.cut = true
			return buf[:i], nil
		}
	}
	if int64(len(buf)) < b.remain && len(buf) >= len(recordSep) && err == nil {
		// Keep the tail, which may hold the start of a separator.
		buf = buf[:len(buf)-len(recordSep)+1]
	}
	return buf, nil
}

// unexpected turns the end of input inside a record into io.ErrUnexpectedEOF
// and keeps other errors (a damaged gzip member) as they are.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// httpHead is the part of an HTTP response header saring uses.
type httpHead struct {
	status           int
	contentType      string
	contentEncoding  string
	transferEncoding string
}

// readHTTPHead parses the status line and header of an HTTP response.
func readHTTPHead(b *blockReader) (httpHead, error) {
	var h httpHead
	line, err := b.line()
	if err != nil {
		return h, fmt.Errorf("reading HTTP status line: %w", err)
	}
	h.status, err = parseStatusLine(line)
	if err != nil {
		return h, err
	}
	for n := 0; ; n++ {
		if n > 1000 {
			return h, errors.New("HTTP header has more than 1000 lines")
		}
		line, err := b.line()
		if err == io.EOF {
			return h, nil // header without body
		}
		if err != nil {
			return h, fmt.Errorf("reading HTTP header: %w", err)
		}
		if len(line) == 0 {
			return h, nil
		}
		k, v, ok := splitHeader(line)
		if !ok {
			continue // tolerate junk lines, as browsers do
		}
		switch {
		case equalFold(k, "Content-Type"):
			h.contentType = string(v)
		case equalFold(k, "Content-Encoding"):
			h.contentEncoding = string(v)
		case equalFold(k, "Transfer-Encoding"):
			h.transferEncoding = string(v)
		}
	}
}

// equalFold compares a header name without allocating.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if b[i]|0x20 != s[i]|0x20 {
			return false
		}
	}
	return true
}

func parseStatusLine(line []byte) (int, error) {
	if !bytes.HasPrefix(line, []byte("HTTP/")) {
		return 0, fmt.Errorf("HTTP status line %q does not start with HTTP/", clip(line, 60))
	}
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 || len(line) < sp+4 {
		return 0, fmt.Errorf("HTTP status line %q has no status code", clip(line, 60))
	}
	code, err := strconv.Atoi(string(line[sp+1 : sp+4]))
	if err != nil || code < 100 || code > 999 {
		return 0, fmt.Errorf("HTTP status line %q has no status code", clip(line, 60))
	}
	return code, nil
}

// splitHeader splits "Name: value"; the slices alias line.
func splitHeader(line []byte) ([]byte, []byte, bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return nil, nil, false
	}
	return bytes.TrimSpace(line[:i]), bytes.TrimSpace(line[i+1:]), true
}

func clip(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}

// isHTMLType reports whether a Content-Type names an HTML page.
func isHTMLType(ct string) bool {
	mt := ct
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	mt = strings.TrimSpace(mt)
	return strings.EqualFold(mt, "text/html") || strings.EqualFold(mt, "application/xhtml+xml")
}

// mediaType returns the lower-cased type/subtype of a Content-Type.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(ct)
	for i := 0; i < len(ct); i++ {
		if c := ct[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(ct)
		}
	}
	return ct
}

// charsetParam returns the charset parameter of a Content-Type, without
// the allocations of mime.ParseMediaType on every record.
func charsetParam(ct string) string {
	for {
		i := strings.IndexByte(ct, ';')
		if i < 0 {
			return ""
		}
		ct = ct[i+1:]
		p := strings.TrimLeft(ct, " \t")
		if len(p) >= 8 && strings.EqualFold(p[:7], "charset") {
			v := strings.TrimLeft(p[7:], " \t")
			if len(v) == 0 || v[0] != '=' {
				continue
			}
			v = strings.TrimLeft(v[1:], " \t")
			if end := strings.IndexByte(v, ';'); end >= 0 {
				v = v[:end]
			}
			return strings.Trim(strings.TrimSpace(v), "\"'")
		}
	}
}

// looksLikeHTML sniffs a payload without a Content-Type.
func looksLikeHTML(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n\xef\xbb\xbf")
	if len(b) > 512 {
		b = b[:512]
	}
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<!--", "<meta", "<title", "<div", "<p"} {
		if indexFold(b, p) == 0 {
			return true
		}
	}
	return false
}

// decodeBody undoes chunked transfer coding and content codings. Payloads
// cut by the crawler (WARC-Truncated) decode as far as they go. A header that
// no longer matches the body (crawlers that stored the decoded body but kept
// the header) leaves the body as it is.
func decodeBody(body []byte, h httpHead, limit int64, dec *decoders) ([]byte, error) {
	if dec == nil {
		dec = &decoders{}
	}
	if strings.Contains(strings.ToLower(h.transferEncoding), "chunked") {
		if out, err := readLimited(httputil.NewChunkedReader(bytes.NewReader(body)), limit, len(body)); len(out) > 0 || err == nil {
			body = out
		}
	}
	ce := strings.ToLower(strings.TrimSpace(h.contentEncoding))
	if ce == "" || ce == "identity" {
		return body, nil
	}
	codings := strings.Split(ce, ",")
	for i := len(codings) - 1; i >= 0; i-- {
		c := strings.TrimSpace(codings[i])
		out, err := dec.decode(body, c, limit)
		if err != nil && len(out) == 0 {
			if looksLikeHTML(body) || !isCompressedMagic(body) {
				return body, nil // stale header: the body is already plain
			}
			return nil, fmt.Errorf("Content-Encoding %s: %w", c, err)
		}
		body = out
	}
	return body, nil
}

func isCompressedMagic(b []byte) bool {
	return len(b) >= 2 && (b[0] == 0x1f && b[1] == 0x8b || b[0] == 0x78 || b[0] == 0x28 && b[1] == 0xb5) || len(b) > 0 && b[0] < 0x09
}

var errPayloadTooLarge = errors.New("payload too large")

// decoders keeps content decoders between records: a gzip or brotli
// reader allocates its window (32 KB to several MB) when made, which would
// cost more than decoding a small page.
type decoders struct {
	gz *gzip.Reader
	br *brotli.Reader
}

func (d *decoders) decode(b []byte, coding string, limit int64) ([]byte, error) {
	switch coding {
	case "", "identity", "none":
		return b, nil
	case "gzip", "x-gzip":
		var err error
		if d.gz == nil {
			d.gz, err = gzip.NewReader(bytes.NewReader(b))
		} else {
			err = d.gz.Reset(bytes.NewReader(b))
		}
		if err != nil {
			return nil, err
		}
		return readLimited(d.gz, limit, len(b)*4)
	case "deflate":
		// "deflate" is zlib by the spec, raw deflate in practice.
		if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
			if out, err := readLimited(zr, limit, len(b)*4); err == nil || len(out) > 0 {
				return out, err
			}
		}
		return readLimited(flate.NewReader(bytes.NewReader(b)), limit, len(b)*4)
	case "br":
		if d.br == nil {
			d.br = brotli.NewReader(bytes.NewReader(b))
		} else if err := d.br.Reset(bytes.NewReader(b)); err != nil {
			return nil, err
		}
		return readLimited(d.br, limit, len(b)*5)
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(b), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(limit)+1<<20))
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		return readLimited(zr, limit, len(b)*4)
	}
	return nil, fmt.Errorf("unknown coding %q", coding)
}

// readLimited reads r to the end, failing past limit bytes (compression bombs).
func readLimited(r io.Reader, limit int64, sizeHint int) ([]byte, error) {
	var buf bytes.Buffer
	if int64(sizeHint) > limit {
		sizeHint = int(limit)
	}
	buf.Grow(sizeHint + 512)
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if n > limit {
		return nil, errPayloadTooLarge
	}
	return buf.Bytes(), err
}
