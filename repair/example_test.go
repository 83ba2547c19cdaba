package repair_test

import (
	"context"
	"fmt"

	"github.com/saring/saring"
	"github.com/saring/saring/repair"
)

// A scraped page whose body appears twice, with a related-article link and a
// source line, is repaired rather than discarded.
func Example() {
	page := "Harga cabai rawit di Pasar Kramat Jati naik menjadi Rp 80.000 per kilogram menjelang akhir pekan.\n" +
		"Pedagang menyebut pasokan dari Garut dan Cianjur berkurang karena hujan deras sepanjang pekan ini.\n" +
		"Baca juga: Harga bawang merah stabil\n" +
		"Sumber: Antara\n" +
		"Harga cabai rawit di Pasar Kramat Jati naik menjadi Rp 80.000 per kilogram menjelang akhir pekan.\n" +
		"Pedagang menyebut pasokan dari Garut dan Cianjur berkurang karena hujan deras sepanjang pekan ini.\n" +
		"Baca juga: Harga bawang merah stabil\n" +
		"Sumber: Antara\n"
	steps := []saring.Step{
		repair.NewNormalize(repair.NormalizeOptions{Form: "nfc", KeepIndent: true}),
		repair.NewRepetition(repair.DefaultRepetitionOptions()),
		repair.NewBoilerplate(repair.DefaultBoilerplateOptions(), nil),
	}
	doc := &saring.Document{Text: page}
	for _, st := range steps {
		if _, err := st.Process(context.Background(), doc); err != nil {
			panic(err)
		}
	}
	fmt.Println(doc.Text)
	rep, _ := doc.Meta("repetition_repair")
	bp, _ := doc.Meta("boilerplate")
	fmt.Println(rep, bp)
	// Output:
	// Harga cabai rawit di Pasar Kramat Jati naik menjadi Rp 80.000 per kilogram menjelang akhir pekan.
	// Pedagang menyebut pasokan dari Garut dan Cianjur berkurang karena hujan deras sepanjang pekan ini.
	// map[removed_chars:245 removed_lines:4] map[removed_chars:50 removed_lines:2]
}
