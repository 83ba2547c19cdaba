//go:build !amd64

package fasttext

// addRowsFlat adds rows of flat (dim len(x)) to x in order.
func addRowsFlat(x, flat []float32, rows []int32) { addRowsFlatGo(x, flat, rows) }
