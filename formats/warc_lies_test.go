package formats

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// lyingWARC builds n records (alternately response and conversion); record
// bad gets its Content-Length replaced by lie.
func lyingWARC(n, bad int, lie func(real int) string) [][]byte {
	var recs [][]byte
	for i := 0; i < n; i++ {
		var rec []byte
		if i%2 == 0 {
			page := fmt.Sprintf("<html><body><p>Halaman nomor %d berisi berita tentang harga beras.</p></body></html>", i)
			rec = warcRec("response", fmt.Sprintf("https://x.id/%d", i), fmt.Sprintf("r%d", i), "", httpResp(200, "Content-Type: text/html\r\n", []byte(page)))
		} else {
			rec = warcRec("conversion", fmt.Sprintf("https://x.id/%d", i), fmt.Sprintf("r%d", i), "", []byte(fmt.Sprintf("Teks nomor %d tentang harga beras.\nBaris kedua.", i)))
		}
		if i == bad {
			re := regexp.MustCompile(`Content-Length: (\d+)\r\n`)
			m := re.FindSubmatch(rec)
			var real int
			fmt.Sscan(string(m[1]), &real)
			rec = re.ReplaceAll(rec, []byte("Content-Length: "+lie(real)+"\r\n"))
		}
		recs = append(recs, rec)
	}
	return recs
}

// A lying Content-Length (too short, too long, huge, negative, not a
// number) costs its own record, as one rejected entry, and nothing else:
// every other record is still read, in plain and gzip-per-record WARC.
func TestWARCLyingLengths(t *testing.T) {
	lies := map[string]func(int) string{
		"short-by-1":  func(n int) string { return fmt.Sprint(n - 1) },
		"short-half":  func(n int) string { return fmt.Sprint(n / 2) },
		"zero":        func(int) string { return "0" },
		"long-by-1":   func(n int) string { return fmt.Sprint(n + 1) },
		"long-by-300": func(n int) string { return fmt.Sprint(n + 300) },
		"long-double": func(n int) string { return fmt.Sprint(n * 2) },
		"huge":        func(int) string { return "999999999999999" },
		"max-int64":   func(int) string { return "9223372036854775807" },
		"negative":    func(int) string { return "-5" },
		"garbage":     func(int) string { return "12abc" },
	}
	const n = 9
	for name, lie := range lies {
		for _, bad := range []int{0, 3, 4, n - 1} {
			recs := lyingWARC(n, bad, lie)
			for _, gz := range []bool{false, true} {
				var data []byte
				for _, r := range recs {
					if gz {
						r = gzipMember(r)
					}
					data = append(data, r...)
				}
				label := fmt.Sprintf("%s/record-%d/gzip=%v", name, bad, gz)
				docs, errs, _ := readWARCAll(t, "lies.warc", data)
				got := map[string]bool{}
				for _, d := range docs {
					got[d.ID] = true
				}
				for i := 0; i < n; i++ {
					id := fmt.Sprintf("<urn:uuid:r%d>", i)
					if i != bad && !got[id] {
						t.Errorf("%s: record %d lost (docs %d, errors %v)", label, i, len(docs), errs)
					}
				}
				if len(docs)+len(errs) != n && !(got[fmt.Sprintf("<urn:uuid:r%d>", bad)] && len(errs) == 0) {
					t.Errorf("%s: %d documents + %d rejected for %d records: %v", label, len(docs), len(errs), n, errs)
				}
				for _, d := range docs {
					if strings.Contains(d.Text, "WARC/1.") || strings.Contains(d.Text, "WARC-Type") {
						t.Errorf("%s: document %s holds another record: %.80q", label, d.ID, d.Text)
					}
				}
				for _, e := range errs {
					if e.Source.Line == 0 || (e.Source.Offset == 0 && bad != 0) {
						t.Errorf("%s: rejected entry without its place: %+v", label, e.Source)
					}
				}
			}
		}
	}
}

// An uncompressed WARC whose lying record is the one before a record that
// starts with a separator must not swallow that record either.
func TestWARCLengthIntoNextRecord(t *testing.T) {
	recs := lyingWARC(3, 1, func(n int) string { return fmt.Sprint(n + 1000000) })
	docs, errs, _ := readWARCAll(t, "l.warc", bytes.Join(recs, nil))
	if len(docs) != 2 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "runs past the end of the record") {
		t.Fatalf("docs %d, errors %v", len(docs), errs)
	}
}
