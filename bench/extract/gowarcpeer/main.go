// Command gowarcpeer is the peer baseline for saring's WARC reader: it reads
// every record with github.com/nlnwa/gowarc, the payload of every 200
// text/html response read fully (no chunked/content decoding, no charset): a
// lower bound of the work saring's reader does. Its own module keeps gowarc
// out of saring's go.mod. Used by ../run.sh.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

func main() {
	start := time.Now()
	st, _ := os.Stat(os.Args[1])
	r, err := gowarc.NewWarcFileReader(os.Args[1], 0, gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore), gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore), gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore))
	if err != nil {
		panic(err)
	}
	var n, docs, bytes int64
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		n++
		if rec.WarcRecord.Type() == gowarc.Response {
			if b, ok := rec.WarcRecord.Block().(gowarc.HttpResponseBlock); ok && b.HttpStatusCode() == 200 {
				ct := b.HttpHeader().Get("Content-Type")
				if len(ct) >= 9 && ct[:9] == "text/html" {
					p, _ := b.PayloadBytes()
					m, _ := io.Copy(io.Discard, p)
					bytes += m
					docs++
				}
			}
		}
		rec.Close()
	}
	el := time.Since(start).Seconds()
	fmt.Printf("gowarc: %d records, %d html docs, %.1f MB payload in %.2fs: %.1f MB/s of file, %.0f docs/s\n", n, docs, float64(bytes)/1e6, el, float64(st.Size())/1e6/el, float64(docs)/el)
}
