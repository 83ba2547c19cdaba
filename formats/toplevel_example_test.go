package formats_test

import (
	"fmt"

	"github.com/saring/saring/formats"
)

// TopLevelValue finds a record's metadata without decoding its text.
func ExampleTopLevelValue() {
	line := []byte(`{"id":"d1","text":"a long text with \"metadata\": inside","metadata":{"language":"id"}}`)
	v, ok := formats.TopLevelValue(line, "metadata")
	fmt.Println(string(v), ok)
	// Output: {"language":"id"} true
}
