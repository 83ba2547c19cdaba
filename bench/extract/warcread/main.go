// Command warcread reads WARC/WET files with saring's reader and reports its
// speed; with -extract it also runs the extract step on every page, one at a
// time. Run it with GOMAXPROCS=1 for per-core numbers (bench/extract/run.sh).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/saring/saring/extract"
	"github.com/saring/saring/formats"
)

func main() {
	doExtract := flag.Bool("extract", false, "also extract the main text of every page")
	limit := flag.Int("limit", 0, "stop after this many documents (0: all)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: warcread [-extract] [-limit N] FILE.warc.gz...")
		os.Exit(2)
	}
	var ex *extract.Extractor
	if *doExtract {
		o := extract.DefaultOptions()
		o.Timeout = "1m" // measure, do not drop
		var err error
		if ex, err = extract.New(o, 1); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	var docs, bad, htmlBytes, textBytes, fileBytes int64
	start := time.Now()
	var extractTime time.Duration
	for _, name := range flag.Args() {
		st, err := os.Stat(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fileBytes += st.Size()
		r, err := formats.Open(name, formats.ReadOptions{Format: "warc"}, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for *limit == 0 || docs < int64(*limit) {
			d, err := r.Next()
			if err == io.EOF {
				break
			}
			if _, ok := formats.AsRecordError(err); ok {
				bad++
				continue
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			docs++
			htmlBytes += int64(len(d.Text))
			if ex != nil {
				t := time.Now()
				if _, err := ex.Process(context.Background(), d); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				extractTime += time.Since(t)
				textBytes += int64(len(d.Text))
			}
		}
		r.Close()
	}
	el := time.Since(start).Seconds()
	fmt.Printf("read %d documents (%d bad records), %.1f MB of HTML from %.1f MB of files in %.2fs: %.1f MB/s of file, %.1f MB/s of HTML, %.0f docs/s\n",
		docs, bad, float64(htmlBytes)/1e6, float64(fileBytes)/1e6, el, float64(fileBytes)/1e6/el, float64(htmlBytes)/1e6/el, float64(docs)/el)
	if ex != nil {
		s := extractTime.Seconds()
		fmt.Printf("extract: %d pages in %.2fs: %.1f pages/s, %.2f MB/s of HTML, %.1f MB of text out\n",
			docs, s, float64(docs)/s, float64(htmlBytes)/1e6/s, float64(textBytes)/1e6)
	}
}
