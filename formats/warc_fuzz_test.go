package formats

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/andybalholm/brotli"
)

// FuzzWARC feeds arbitrary bytes (plain or gzip) to the WARC reader: it must
// not panic, must end, and must only yield valid UTF-8.
//
//	go test ./formats -run '^$' -fuzz FuzzWARC -fuzztime 60s
func FuzzWARC(f *testing.F) {
	recs, _ := sampleRecords()
	for _, r := range recs {
		f.Add(r)
		f.Add(gzipMember(r))
	}
	f.Add(bytes.Join(recs, nil))
	seeds, _ := filepath.Glob("testdata/warc/*")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := openWARC("fuzz.warc", bytes.NewReader(data), ReadOptions{}, nil)
		if err != nil {
			return
		}
		for i := 0; ; i++ {
			if i > len(data)+10 {
				t.Fatalf("reader did not end after %d calls on %d bytes", i, len(data))
			}
			d, err := r.Next()
			if err == io.EOF {
				return
			}
			if _, ok := AsRecordError(err); ok {
				continue
			}
			if err != nil {
				return
			}
			if !utf8.ValidString(d.Text) {
				t.Fatalf("invalid UTF-8 in document text")
			}
		}
	})
}

// FuzzHTTPPayload decodes arbitrary payloads under arbitrary codings and
// charsets: no panic, valid UTF-8 out.
//
//	go test ./formats -run '^$' -fuzz FuzzHTTPPayload -fuzztime 60s
func FuzzHTTPPayload(f *testing.F) {
	var br bytes.Buffer
	bw := brotli.NewWriter(&br)
	bw.Write([]byte(samplePage))
	bw.Close()
	f.Add([]byte(samplePage), "text/html; charset=utf-8", "", "")
	f.Add(chunkBody([]byte(samplePage), 7), "text/html", "", "chunked")
	f.Add(chunkBody(gzipMember([]byte(samplePage)), 9), "text/html", "gzip", "chunked")
	f.Add(br.Bytes(), "text/html", "br", "")
	f.Add([]byte("\x82\xa0\x82\xa2<meta charset=shift_jis>"), "", "", "")
	f.Add([]byte("caf\xe9 \x80 \x93quoted\x94"), "text/html; charset=windows-1252", "", "")
	f.Add([]byte("\xff\xfeh\x00i\x00"), "", "", "")
	f.Add([]byte("\x1b$B$3$s$K$A$O\x1b(B"), "text/html; charset=iso-2022-jp", "deflate", "")
	f.Fuzz(func(t *testing.T, body []byte, contentType, contentEncoding, transferEncoding string) {
		h := httpHead{status: 200, contentType: contentType, contentEncoding: contentEncoding, transferEncoding: transferEncoding}
		out, err := decodeBody(body, h, 1<<20, nil)
		if err != nil {
			return
		}
		d := DecodeHTML(out, contentType)
		if !utf8.ValidString(d.Text) {
			t.Fatalf("invalid UTF-8 from charset %s", d.Charset)
		}
		if d.Errors < 0 {
			t.Fatalf("negative error count")
		}
	})
}
