package fasttext_test

import (
	"fmt"
	"log"

	"github.com/saring/saring/fasttext"
)

func Example() {
	// testdata/softmax.ftz is a tiny quantized model trained on eight
	// languages; lid.176.ftz (scripts/get-model.sh) is used the same way.
	m, err := fasttext.Load("testdata/softmax.ftz")
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range m.Predict("Вчера вечером мы долго гуляли по набережной", 2, 0) {
		fmt.Printf("%s %.2f\n", p.Label, p.Prob)
	}
	// A Predictor reuses its buffers: one per goroutine, no allocation.
	pr := m.NewPredictor()
	best := pr.Predict("Der Zug nach Berlin fährt heute später ab", 1, 0)
	fmt.Println(best[0].Label)
	// Output:
	// __label__ru 1.00
	// __label__zh 0.00
	// __label__de
}
