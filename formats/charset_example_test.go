package formats_test

import (
	"fmt"

	"github.com/saring/saring/formats"
)

func ExampleDecodeHTML() {
	// "Café – 3 €" as a windows-1252 server sends it.
	body := []byte("<p>Caf\xe9 \x96 3 \x80</p>")
	d := formats.DecodeHTML(body, "text/html; charset=windows-1252")
	fmt.Println(d.Text, d.Charset, d.Source, d.Errors)
	// Output: <p>Café – 3 €</p> windows-1252 http 0
}
