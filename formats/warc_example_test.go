package formats_test

import (
	"fmt"
	"io"

	"github.com/saring/saring/formats"
)

// Reading a crawl: HTML responses become documents (decoded to UTF-8, marked
// content_format "html" for the extract step); everything else is counted.
func Example_readWARC() {
	r, err := formats.Open("../examples/pages.warc.gz", formats.ReadOptions{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	for {
		doc, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		url, _ := doc.Lookup("url")
		fmt.Println(url, doc.Metadata["charset"], doc.Metadata["content_format"])
	}
	fmt.Println(r.(formats.Skipper).Skipped())
	// Output:
	// https://shuttlesportdaily.example/news/indonesia-open-doubles-final utf-8 html
	// https://islandbusinessreview.example/2024/05/bali-cafe-owners-coffee-prices windows-1252 html
	// https://archipelagopost.example/science/raja-ampat-coral-recovery utf-8 html
	// https://kabarnusantara.example/daerah/pemprov-jateng-salurkan-bantuan-korban-banjir-demak utf-8 html
	// https://wartaekonomijatim.example/pasar/harga-cabai-rawit-surabaya-tembus-rp90-ribu utf-8 html
	// https://teknokita.example/startup/umkm-makassar-pelatihan-literasi-digital utf-8 html
	// map[http_status_404:1 not_html:2 warc_request:7 warc_warcinfo:1]
}
