package fasttext

// The hidden vector is the sum of a text's input rows, added one row after
// the other in float32 as fastText does. Each of its components is its own
// chain of additions, so adding four components at once with one vector
// instruction rounds every one of them exactly as sixteen scalar additions
// would: the order that matters, row after row, is kept.

// maxFlatBytes bounds the decoded copy of a quantized input matrix
// (lid.176.ftz: 50,000 rows of 16, 3.2 MB). Larger models keep decoding
// codes row by row.
const maxFlatBytes = 64 << 20

// flatten returns the input rows as one dense row-major array, each
// quantized value decoded once as addRow would (alpha * centroid, rounded
// to float32), or nil when the matrix is too large for that.
func (mx *matrix) flatten() []float32 {
	if mx.q == nil {
		return mx.dense
	}
	if int64(mx.rows)*int64(mx.cols)*4 > maxFlatBytes {
		return nil
	}
	q := mx.q
	out := make([]float32, mx.rows*mx.cols)
	for i := 0; i < mx.rows; i++ {
		alpha := q.norm(i)
		code := q.codes[i*q.nsubq : (i+1)*q.nsubq]
		row := out[i*mx.cols : (i+1)*mx.cols]
		for m, c := range code {
			cen := q.centroid(m, c)
			dst := row[m*q.dsub : m*q.dsub+len(cen)]
			for j, v := range cen {
				dst[j] = float32(alpha * v)
			}
		}
	}
	return out
}

// addRowsFlatGo adds rows of flat (dim len(x)) to x in order.
func addRowsFlatGo(x, flat []float32, rows []int32) {
	d := len(x)
	for _, r := range rows {
		row := flat[int(r)*d : int(r)*d+d]
		x := x[:len(row)]
		for j, v := range row {
			x[j] += v
		}
	}
}
