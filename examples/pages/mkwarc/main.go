// Command mkwarc builds examples/pages.warc.gz from the example pages in
// examples/pages, as a crawler would have stored them: a warcinfo record,
// then a request and a response record per page, plus a 404, an image and a
// robots.txt that readers must skip. Output is byte-for-byte deterministic
// (fixed dates, record ids derived from the URLs).
//
//	go run ./examples/pages/mkwarc                      # examples/pages.warc.gz
//	go run ./examples/pages/mkwarc -copies 9000 -o big.warc.gz   # ~200 MB for benchmarks
//	go run ./examples/pages/mkwarc -manifest pages.tsv -o web.warc.gz  # URL<TAB>file lines
package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// pageURLs gives each example page the address it was "crawled" from.
var pageURLs = map[string]string{
	"id-banjir-demak.html":     "https://kabarnusantara.example/daerah/pemprov-jateng-salurkan-bantuan-korban-banjir-demak",
	"id-harga-cabai.html":      "https://wartaekonomijatim.example/pasar/harga-cabai-rawit-surabaya-tembus-rp90-ribu",
	"id-literasi-digital.html": "https://teknokita.example/startup/umkm-makassar-pelatihan-literasi-digital",
	"en-coral-survey.html":     "https://archipelagopost.example/science/raja-ampat-coral-recovery",
	"en-badminton-final.html":  "https://shuttlesportdaily.example/news/indonesia-open-doubles-final",
	"en-cafe-prices.html":      "https://islandbusinessreview.example/2024/05/bali-cafe-owners-coffee-prices",
}

// pageCharsets are the charsets the server declared (the pages are stored as served).
var pageCharsets = map[string]string{"en-cafe-prices.html": "windows-1252"}

func main() {
	dir := flag.String("pages", "examples/pages", "directory of *.html pages")
	out := flag.String("o", "examples/pages.warc.gz", "output file")
	copies := flag.Int("copies", 1, "write every page this many times, each under its own URL (for benchmarks)")
	manifest := flag.String("manifest", "", "write the pages this file lists instead, one URL<TAB>file per line (UTF-8 HTML)")
	flag.Parse()
	var err error
	if *manifest != "" {
		err = fromManifest(*manifest, *out)
	} else {
		err = run(*dir, *out, *copies)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkwarc:", err)
		os.Exit(1)
	}
}

func run(dir, out string, copies int) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	if len(files) == 0 {
		return fmt.Errorf("no *.html pages in %s", dir)
	}
	return writeWARC(out, "example news pages", func(w *warcWriter) error { return examplePages(w, files, copies) })
}

func examplePages(w *warcWriter, files []string, copies int) error {
	for c := 0; c < copies; c++ {
		for i, file := range files {
			page, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			name := filepath.Base(file)
			url, ok := pageURLs[name]
			if !ok {
				return fmt.Errorf("%s has no URL in mkwarc's pageURLs; add one", name)
			}
			if copies > 1 {
				url = fmt.Sprintf("%s-%d", url, c)
			}
			cs := pageCharsets[name]
			if cs == "" {
				cs = "utf-8"
			}
			w.request(url)
			// Vary the transfer and content codings across pages, as servers do.
			w.response(url, 200, "text/html; charset="+cs, []string{"", "gzip+chunked", "chunked", "br"}[(i+c)%4], page)
		}
		if c == 0 || copies > 1 && c%50 == 0 {
			base := "https://kabarnusantara.example"
			missing := fmt.Sprintf("%s/halaman-hilang-%d", base, c)
			w.request(missing)
			w.response(missing, 404, "text/html; charset=utf-8", "", []byte("<html><body><h1>404 Halaman tidak ditemukan</h1></body></html>"))
			w.response(base+"/static/img/logo.png", 200, "image/png", "", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
			w.response(base+"/robots.txt", 200, "text/plain", "", []byte("User-agent: *\nDisallow: /cari\n"))
		}
	}
	return nil
}

// writeWARC writes a warcinfo record and then what body writes to out,
// under a temporary name until it is complete.
func writeWARC(out, description string, body func(w *warcWriter) error) error {
	f, err := os.Create(out + ".tmp")
	if err != nil {
		return err
	}
	w := &warcWriter{w: f, date: time.Date(2024, 6, 15, 8, 0, 0, 0, time.UTC)}
	w.record("warcinfo", "", "application/warc-fields", []byte("software: saring mkwarc\r\nformat: WARC File Format 1.1\r\ndescription: "+description+"\r\n"))
	err = body(w)
	if err == nil {
		err = w.err
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out + ".tmp")
		return err
	}
	return os.Rename(out+".tmp", out)
}

// fromManifest writes one request and response record per listed page, in
// the list's order, with the same mix of transfer and content codings.
func fromManifest(manifest, out string) error {
	list, err := os.ReadFile(manifest)
	if err != nil {
		return err
	}
	return writeWARC(out, filepath.Base(manifest), func(w *warcWriter) error {
		for i, line := range strings.Split(strings.TrimRight(string(list), "\n"), "\n") {
			url, file, ok := strings.Cut(line, "\t")
			if !ok {
				return fmt.Errorf("%s:%d: want URL<TAB>file, got %q", manifest, i+1, line)
			}
			page, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			w.request(url)
			w.response(url, 200, "text/html; charset=utf-8", []string{"", "gzip+chunked", "chunked", "br"}[i%4], page)
		}
		return nil
	})
}

type warcWriter struct {
	w    io.Writer
	date time.Time
	n    int
	err  error
}

func (w *warcWriter) request(url string) {
	host := strings.SplitN(strings.TrimPrefix(url, "https://"), "/", 2)[0]
	path := strings.TrimPrefix(url, "https://"+host)
	if path == "" {
		path = "/"
	}
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: saring-example/1.0\r\nAccept: text/html\r\nAccept-Encoding: gzip, br\r\n\r\n", path, host)
	w.record("request", url, "application/http; msgtype=request", []byte(req))
}

func (w *warcWriter) response(url string, status int, contentType, coding string, body []byte) {
	var h bytes.Buffer
	fmt.Fprintf(&h, "HTTP/1.1 %d %s\r\nServer: nginx\r\nDate: %s\r\nContent-Type: %s\r\n", status, statusText(status), w.date.Format(time.RFC1123), contentType)
	switch coding {
	case "gzip+chunked":
		body = chunk(gzipped(body))
		h.WriteString("Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n")
	case "chunked":
		body = chunk(body)
		h.WriteString("Transfer-Encoding: chunked\r\n")
	case "br":
		var b bytes.Buffer
		bw := brotli.NewWriterLevel(&b, 5)
		bw.Write(body)
		bw.Close()
		body = b.Bytes()
		fmt.Fprintf(&h, "Content-Encoding: br\r\nContent-Length: %d\r\n", len(body))
	default:
		fmt.Fprintf(&h, "Content-Length: %d\r\n", len(body))
	}
	h.WriteString("\r\n")
	h.Write(body)
	w.record("response", url, "application/http; msgtype=response", h.Bytes())
}

func statusText(s int) string {
	if s == 404 {
		return "Not Found"
	}
	return "OK"
}

// chunk applies chunked transfer coding with 4 KiB chunks.
func chunk(b []byte) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		n := min(4096, len(b))
		fmt.Fprintf(&out, "%x\r\n", n)
		out.Write(b[:n])
		out.WriteString("\r\n")
		b = b[n:]
	}
	out.WriteString("0\r\n\r\n")
	return out.Bytes()
}

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// record writes one record as its own gzip member, as crawlers do, so that
// each record can be read on its own from its offset.
func (w *warcWriter) record(typ, url, contentType string, block []byte) {
	if w.err != nil {
		return
	}
	w.n++
	sum := sha1.Sum([]byte(fmt.Sprintf("%s %s %d", typ, url, w.n)))
	id := fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	digest := sha1.Sum(block)
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: %s\r\n", typ, id, w.date.Add(time.Duration(w.n)*time.Second).Format(time.RFC3339))
	if url != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", url)
	}
	fmt.Fprintf(&b, "WARC-Block-Digest: sha1:%s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", base32.StdEncoding.EncodeToString(digest[:]), contentType, len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	_, w.err = w.w.Write(gzipped(b.Bytes()))
}
