package fasttext

import "unsafe"

// addRows16 adds rows of flat (16 columns each) to x, in order, four
// components per instruction. Every row must be within flat: the model's
// check and the dictionary guarantee it for the rows prediction computes.
//
//go:noescape
func addRows16(x *[16]float32, flat *float32, rows *int32, n int)

// addRowsFlat adds rows of flat (dim len(x)) to x in order.
func addRowsFlat(x, flat []float32, rows []int32) {
	if len(x) == 16 && len(rows) > 0 {
		addRows16((*[16]float32)(x), unsafe.SliceData(flat), unsafe.SliceData(rows), len(rows))
		return
	}
	addRowsFlatGo(x, flat, rows)
}
