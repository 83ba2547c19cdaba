package formats

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/saring/saring"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// warcRec builds one WARC record.
func warcRec(typ, uri, id string, extra string, block []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n", typ, id)
	if uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	}
	switch typ {
	case "response":
		b.WriteString("Content-Type: application/http; msgtype=response\r\n")
	case "request":
		b.WriteString("Content-Type: application/http; msgtype=request\r\n")
	case "conversion":
		b.WriteString("Content-Type: text/plain\r\n")
	}
	b.WriteString(extra)
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// httpResp builds an HTTP response message.
func httpResp(status int, headers string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d X\r\n%s\r\n", status, headers)
	b.Write(body)
	return b.Bytes()
}

func gzipMember(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

func chunkBody(b []byte, size int) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		n := min(size, len(b))
		fmt.Fprintf(&out, "%x\r\n", n)
		out.Write(b[:n])
		out.WriteString("\r\n")
		b = b[n:]
	}
	out.WriteString("0\r\n\r\n")
	return out.Bytes()
}

func readWARCAll(t testing.TB, name string, data []byte) (docs []*saring.Document, errs []*RecordError, skipped map[string]int64) {
	t.Helper()
	r, err := openWARC(name, bytes.NewReader(data), ReadOptions{FileIndex: 1}, nil)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer r.Close()
	for i := 0; i < 10000; i++ {
		d, err := r.Next()
		if err == io.EOF {
			return docs, errs, r.(Skipper).Skipped()
		}
		if re, ok := AsRecordError(err); ok {
			errs = append(errs, re)
			continue
		}
		if err != nil {
			t.Fatalf("fatal error: %v", err)
		}
		docs = append(docs, d)
	}
	t.Fatal("reader did not end")
	return
}

const samplePage = "<!doctype html><html><head><title>T</title></head><body><p>Halo dunia, apa kabar?</p></body></html>"

// sampleRecords returns records covering every path of the reader, and the
// documents expected from them (url -> text).
func sampleRecords() ([][]byte, map[string]string) {
	cp1252, _ := charmap.Windows1252.NewEncoder().String("<html><body><p>Café crème à la façon</p></body></html>")
	sjis, _ := japanese.ShiftJIS.NewEncoder().String(`<html><head><meta charset="shift_jis"></head><body><p>日本語のテキストです</p></body></html>`)
	var br bytes.Buffer
	bw := brotli.NewWriter(&br)
	bw.Write([]byte(samplePage))
	bw.Close()
	var fl bytes.Buffer
	fw, _ := flate.NewWriter(&fl, 5)
	fw.Write([]byte(samplePage))
	fw.Close()
	recs := [][]byte{
		warcRec("warcinfo", "", "00000000-0000-0000-0000-000000000000", "", []byte("software: test\r\n")),
		warcRec("request", "https://a.example/", "00000000-0000-0000-0000-000000000001", "", []byte("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n")),
		warcRec("response", "https://a.example/", "00000000-0000-0000-0000-000000000002", "",
			httpResp(200, "Content-Type: text/html; charset=utf-8\r\n", []byte(samplePage))),
		warcRec("response", "https://a.example/missing", "00000000-0000-0000-0000-000000000003", "",
			httpResp(404, "Content-Type: text/html\r\n", []byte("<html>not found</html>"))),
		warcRec("response", "https://a.example/logo.png", "00000000-0000-0000-0000-000000000004", "",
			httpResp(200, "Content-Type: image/png\r\n", []byte("\x89PNG\r\n\x1a\n...."))),
		warcRec("response", "https://b.example/cafe", "00000000-0000-0000-0000-000000000005", "",
			httpResp(200, "Content-Type: text/html; charset=windows-1252\r\n", []byte(cp1252))),
		warcRec("response", "https://b.example/jp", "00000000-0000-0000-0000-000000000006", "",
			httpResp(200, "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n", chunkBody([]byte(sjis), 17))),
		warcRec("response", "https://c.example/gz", "00000000-0000-0000-0000-000000000007", "",
			httpResp(200, "Content-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", chunkBody(gzipMember([]byte(samplePage)), 10))),
		warcRec("response", "https://c.example/br", "00000000-0000-0000-0000-000000000008", "",
			httpResp(200, "Content-Type: text/html\r\nContent-Encoding: br\r\n", br.Bytes())),
		warcRec("response", "https://c.example/deflate", "00000000-0000-0000-0000-000000000009", "",
			httpResp(200, "Content-Type: text/html\r\nContent-Encoding: deflate\r\n", fl.Bytes())),
		warcRec("metadata", "https://c.example/deflate", "00000000-0000-0000-0000-000000000010", "", []byte("fetchTimeMs: 12\r\n")),
		warcRec("conversion", "https://d.example/", "00000000-0000-0000-0000-000000000011", "", []byte("Plain text line one.\nLine two.")),
	}
	want := map[string]string{
		"https://a.example/":        samplePage,
		"https://b.example/cafe":    "<html><body><p>Café crème à la façon</p></body></html>",
		"https://b.example/jp":      `<html><head><meta charset="shift_jis"></head><body><p>日本語のテキストです</p></body></html>`,
		"https://c.example/gz":      samplePage,
		"https://c.example/br":      samplePage,
		"https://c.example/deflate": samplePage,
		"https://d.example/":        "Plain text line one.\nLine two.",
	}
	return recs, want
}

func TestWARCRecords(t *testing.T) {
	recs, want := sampleRecords()
	for _, gz := range []bool{false, true} {
		t.Run(fmt.Sprintf("gzip=%v", gz), func(t *testing.T) {
			var file bytes.Buffer
			var offsets []int64
			for _, r := range recs {
				offsets = append(offsets, int64(file.Len()))
				if gz {
					r = gzipMember(r)
				}
				file.Write(r)
			}
			docs, errs, skipped := readWARCAll(t, "x.warc", file.Bytes())
			if len(errs) != 0 {
				t.Fatalf("unexpected record errors: %v", errs)
			}
			if len(docs) != len(want) {
				t.Fatalf("got %d docs, want %d", len(docs), len(want))
			}
			for _, d := range docs {
				url, _ := d.Lookup("url")
				if d.Text != want[url] {
					t.Errorf("%s: text %q, want %q", url, d.Text, want[url])
				}
				if d.Metadata["warc_record_id"] != d.ID || !strings.HasPrefix(d.ID, "<urn:uuid:") {
					t.Errorf("%s: id %q", url, d.ID)
				}
				if d.Source.Offset != offsets[d.Source.Line-1] {
					t.Errorf("%s: record %d offset %d, want %d", url, d.Source.Line, d.Source.Offset, offsets[d.Source.Line-1])
				}
				if d.Seq != SeqOf(1, d.Source.Line) {
					t.Errorf("%s: seq %d", url, d.Seq)
				}
				wantFormat := "html"
				if url == "https://d.example/" {
					wantFormat = "text"
				}
				if d.Metadata["content_format"] != wantFormat {
					t.Errorf("%s: content_format %v", url, d.Metadata["content_format"])
				}
				if d.Metadata["charset_errors"] != 0 {
					t.Errorf("%s: charset_errors %v", url, d.Metadata["charset_errors"])
				}
			}
			wantSkipped := map[string]int64{"warc_warcinfo": 1, "warc_request": 1, "http_status_404": 1, "not_html": 1, "warc_metadata": 1}
			if fmt.Sprint(skipped) != fmt.Sprint(wantSkipped) {
				t.Errorf("skipped %v, want %v", skipped, wantSkipped)
			}
		})
	}
}

func TestWARCCharsetMetadata(t *testing.T) {
	recs, _ := sampleRecords()
	docs, _, _ := readWARCAll(t, "x.warc", bytes.Join(recs, nil))
	got := map[string]string{}
	for _, d := range docs {
		u, _ := d.Lookup("url")
		got[u] = fmt.Sprintf("%v/%v", d.Metadata["charset"], d.Metadata["charset_source"])
	}
	want := map[string]string{
		"https://b.example/cafe": "windows-1252/http",
		"https://b.example/jp":   "shift_jis/meta",
		"https://a.example/":     "utf-8/utf8",
	}
	for u, w := range want {
		if got[u] != w {
			t.Errorf("%s: charset %s, want %s", u, got[u], w)
		}
	}
}

func TestWARCTruncatedGzip(t *testing.T) {
	recs, _ := sampleRecords()
	var file bytes.Buffer
	var cutMember int64
	for i, r := range recs[:4] {
		if i == 3 {
			cutMember = int64(file.Len())
		}
		file.Write(gzipMember(r))
	}
	data := file.Bytes()[:file.Len()-20] // cut inside the 4th member
	docs, errs, _ := readWARCAll(t, "cut.warc.gz", data)
	if len(docs) != 1 {
		t.Errorf("got %d docs before the cut, want 1", len(docs))
	}
	if len(errs) != 1 {
		t.Fatalf("got %d record errors, want 1: %v", len(errs), errs)
	}
	if errs[0].Source.Offset != cutMember || !errors.Is(errs[0], io.ErrUnexpectedEOF) {
		t.Errorf("error %v at offset %d, want ErrUnexpectedEOF at %d", errs[0], errs[0].Source.Offset, cutMember)
	}
	if !strings.Contains(errs[0].Error(), fmt.Sprint(cutMember)) {
		t.Errorf("error %q does not name offset %d", errs[0], cutMember)
	}
}

func TestWARCTruncatedPlain(t *testing.T) {
	recs, _ := sampleRecords()
	data := bytes.Join(recs[:3], nil)
	data = data[:len(data)-30]
	docs, errs, _ := readWARCAll(t, "cut.warc", data)
	if len(docs) != 0 || len(errs) != 1 {
		t.Fatalf("got %d docs, %d errors; want 0, 1", len(docs), len(errs))
	}
}

func TestWARCMalformedResync(t *testing.T) {
	recs, _ := sampleRecords()
	good := recs[2]
	badLength := bytes.Replace(recs[5], []byte("Content-Length: "), []byte("Content-Length: x"), 1)
	badVersion := append([]byte("GARBAGE LINE\r\nmore garbage\r\n"), recs[6]...)
	badHTTP := warcRec("response", "https://e.example/", "00000000-0000-0000-0000-000000000099", "", []byte("NOT HTTP\r\n\r\nbody"))
	for _, gz := range []bool{false, true} {
		var file bytes.Buffer
		for _, r := range [][]byte{good, badLength, good, badVersion, badHTTP, good} {
			if gz {
				r = gzipMember(r)
			}
			file.Write(r)
		}
		docs, errs, _ := readWARCAll(t, "bad.warc", file.Bytes())
		// The bad Content-Length record is lost with resync, the garbage
		// before a good record costs one error but not the record.
		if len(docs) != 4 {
			t.Errorf("gzip=%v: got %d docs, want 4", gz, len(docs))
		}
		if len(errs) != 3 {
			t.Errorf("gzip=%v: got %d errors, want 3: %v", gz, len(errs), errs)
		}
	}
}

// TestWARCNoPanicOnEmpty checks degenerate inputs.
func TestWARCDegenerate(t *testing.T) {
	for _, in := range []string{"", "\r\n\r\n", "WARC/1.0\r\n", "WARC/1.0\r\nContent-Length: 5\r\n\r\nab", "\x1f\x8b"} {
		r, err := openWARC("d.warc", strings.NewReader(in), ReadOptions{}, nil)
		if err != nil {
			continue
		}
		for i := 0; i < 10; i++ {
			if _, err := r.Next(); err == io.EOF {
				break
			}
		}
	}
}

// TestWET reads a Common Crawl style WET file: warcinfo, then conversion
// records with the detected language.
func TestWET(t *testing.T) {
	body := "Berita hari ini\nPresiden meresmikan jembatan baru."
	wet := string(warcRec("warcinfo", "", "00000000-0000-0000-0000-0000000000a0", "", []byte("isPartOf: CC-MAIN-2024-10\r\n"))) +
		string(warcRec("conversion", "https://berita.example/a", "00000000-0000-0000-0000-0000000000a1",
			"WARC-Refers-To: <urn:uuid:00000000-0000-0000-0000-0000000000ff>\r\nWARC-Identified-Content-Language: ind,eng\r\n", []byte(body)))
	for _, gz := range []bool{false, true} {
		data := []byte(wet)
		if gz {
			data = gzipMember(data)
		}
		r, err := openWARC("x.wet", bytes.NewReader(data), ReadOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		d, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if d.Text != body || d.Metadata["content_format"] != "text" || d.Metadata["warc_language"] != "ind,eng" || d.Metadata["url"] != "https://berita.example/a" {
			t.Errorf("gzip=%v: got %q %v", gz, d.Text, d.Metadata)
		}
		if _, err := r.Next(); err != io.EOF {
			t.Errorf("want EOF, got %v", err)
		}
		if r.(Skipper).Skipped()["warc_warcinfo"] != 1 {
			t.Errorf("skipped %v", r.(Skipper).Skipped())
		}
	}
}

// TestWARCDamagedGzipMember corrupts one member in the middle of a file:
// that record is reported and reading goes on with the next member.
func TestWARCDamagedGzipMember(t *testing.T) {
	recs, _ := sampleRecords()
	var file bytes.Buffer
	var damaged int64
	var members [][]byte
	for _, r := range recs[2:8] { // five 200 HTML responses and a 404
		members = append(members, gzipMember(r))
	}
	for i, m := range members {
		if i == 2 {
			damaged = int64(file.Len())
			m = append([]byte(nil), m...)
			for k := 20; k < len(m)-10 && k < 60; k++ {
				m[k] ^= 0x5a
			}
		}
		file.Write(m)
	}
	docs, errs, _ := readWARCAll(t, "damaged.warc.gz", file.Bytes())
	if len(docs) != 4 {
		t.Errorf("got %d docs, want the 4 undamaged HTML pages", len(docs))
	}
	if len(errs) == 0 || errs[0].Source.Offset != damaged {
		t.Fatalf("errors %v, want the first at offset %d", errs, damaged)
	}
	for _, d := range docs {
		if d.Source.Offset == damaged {
			t.Errorf("document from the damaged member: %v", d.Source)
		}
	}
}
