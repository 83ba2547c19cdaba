package extract_test

import (
	"fmt"

	"github.com/saring/saring/extract"
)

func ExampleExtractor_Extract() {
	page := `<html><head><title>Pasar murah digelar di Bandung</title></head><body>
<nav><a href="/">Beranda</a> <a href="/kota">Kota</a> <a href="/kontak">Kontak</a></nav>
<article><h1>Pasar murah digelar di Bandung</h1>
<p>Pemerintah Kota Bandung menggelar pasar murah di tiga kecamatan untuk membantu warga menghadapi kenaikan harga bahan pokok menjelang hari raya.</p>
<p>Warga dapat membeli beras, minyak goreng, gula dan telur dengan harga di bawah harga pasar selama persediaan masih ada.</p>
<p>Baca juga: Harga beras naik lagi</p>
</article>
<footer>Hak cipta 2024 Kabar Bandung. Semua hak dilindungi.</footer></body></html>`
	e, err := extract.New(extract.DefaultOptions(), 1)
	if err != nil {
		panic(err)
	}
	res, err := e.Extract(page, "https://kabar.example/pasar-murah")
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Title)
	fmt.Println("--")
	fmt.Println(res.Text)
	// Output:
	// Pasar murah digelar di Bandung
	// --
	// Pasar murah digelar di Bandung
	// Pemerintah Kota Bandung menggelar pasar murah di tiga kecamatan untuk membantu warga menghadapi kenaikan harga bahan pokok menjelang hari raya.
	// Warga dapat membeli beras, minyak goreng, gula dan telur dengan harga di bawah harga pasar selama persediaan masih ada.
	// Baca juga: Harga beras naik lagi
}
