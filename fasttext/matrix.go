package fasttext

import (
	"fmt"
	"unsafe"
)

// ksub is the number of centroids per sub-quantizer (8-bit codes).
const ksub = 256

// matrix is a row-major matrix, either dense or product-quantized (.ftz).
// Arithmetic follows fastText's order and float32 rounding step by step, so
// that sums come out bit-identical to the C++ program's.
type matrix struct {
	rows, cols int
	dense      []float32 // rows*cols, when not quantized
	q          *quantized
}

// quantized is fastText's QuantMatrix: each row is nsubq one-byte codes,
// each naming a centroid of dsub floats (lastdsub for the last one); with
// qnorm, rows were normalized before quantization and a second one-byte
// code gives the row's norm.
type quantized struct {
	codes         []byte
	nsubq         int
	dsub          int
	lastdsub      int
	centroids     []float32 // cols*ksub
	qnorm         bool
	normCodes     []byte    // rows, with qnorm
	normCentroids []float32 // ksub, with qnorm
	// pairs views centroids as [nsubq][ksub][2] when dsub is 2 (fastText's
	// default and lid.176's), which lets addRow run without bounds checks.
	pairs [][ksub][2]float32
	// pairs8 is pairs when nsubq is 8 (dim 16, as lid.176): fixed sizes
	// let the compiler drop every bounds check.
	pairs8 *[8][ksub][2]float32
}

// maxDim bounds a row's length; fastText models use tens to hundreds.
const maxDim = 1 << 16

func readDense(d *decoder) *matrix {
	m, n := d.i64(), d.i64()
	if d.err != nil {
		return nil
	}
	if n <= 0 || n > maxDim || m < 0 {
		d.fail(fmt.Errorf("dense matrix has impossible shape %d x %d", m, n))
		return nil
	}
	rows := d.count(m, 4*int(n), "dense matrix rows")
	data := d.f32s(rows * int(n))
	if d.err != nil {
		return nil
	}
	return &matrix{rows: rows, cols: int(n), dense: data}
}

// pqHeader is a ProductQuantizer as stored: dim, nsubq, dsub, lastdsub, centroids.
type pqHeader struct {
	dim, nsubq, dsub, lastdsub int
	centroids                  []float32
}

func readPQ(d *decoder) pqHeader {
	var h pqHeader
	h.dim, h.nsubq, h.dsub, h.lastdsub = int(d.i32()), int(d.i32()), int(d.i32()), int(d.i32())
	if d.err != nil {
		return h
	}
	// fastText derives nsubq and lastdsub from dim and dsub; anything else
	// would make its centroid lookups read past the table.
	if h.dim <= 0 || h.dim > maxDim || h.dsub <= 0 || h.nsubq <= 0 || h.lastdsub <= 0 ||
		h.lastdsub > h.dsub || (h.nsubq-1)*h.dsub+h.lastdsub != h.dim {
		d.fail(fmt.Errorf("product quantizer has inconsistent shape dim=%d nsubq=%d dsub=%d lastdsub=%d",
			h.dim, h.nsubq, h.dsub, h.lastdsub))
		return h
	}
	n := d.count(int64(h.dim)*ksub, 4, "centroids")
	h.centroids = d.f32s(n)
	return h
}

func readQuant(d *decoder) *matrix {
	qnorm := d.bool()
	m, n := d.i64(), d.i64()
	codesize := int64(d.i32())
	if d.err != nil {
		return nil
	}
	if n <= 0 || n > maxDim || m < 0 {
		d.fail(fmt.Errorf("quantized matrix has impossible shape %d x %d", m, n))
		return nil
	}
	nc := d.count(codesize, 1, "codes")
	codes := d.bytes(nc)
	pq := readPQ(d)
	if d.err != nil {
		return nil
	}
	if pq.dim != int(n) {
		d.fail(fmt.Errorf("quantizer dim %d differs from matrix width %d", pq.dim, n))
		return nil
	}
	if int64(nc) != m*int64(pq.nsubq) {
		d.fail(fmt.Errorf("quantized matrix has %d codes, want %d rows x %d", nc, m, pq.nsubq))
		return nil
	}
	q := &quantized{codes: codes, nsubq: pq.nsubq, dsub: pq.dsub, lastdsub: pq.lastdsub, centroids: pq.centroids, qnorm: qnorm}
	if q.dsub == 2 && q.lastdsub == 2 {
		q.pairs = make([][ksub][2]float32, q.nsubq)
		for m := range q.pairs {
			for c := range ksub {
				o := (m*ksub + c) * 2
				q.pairs[m][c] = [2]float32{q.centroids[o], q.centroids[o+1]}
			}
		}
		if q.nsubq == 8 {
			q.pairs8 = (*[8][ksub][2]float32)(q.pairs)
		}
	}
	if qnorm {
		q.normCodes = d.bytes(d.count(m, 1, "norm codes"))
		npq := readPQ(d)
		if d.err != nil {
			return nil
		}
		if npq.dim != 1 {
			d.fail(fmt.Errorf("norm quantizer has dim %d, want 1", npq.dim))
			return nil
		}
		q.normCentroids = npq.centroids
	}
	return &matrix{rows: int(m), cols: int(n), q: q}
}

// centroid returns sub-quantizer m's centroid c, as ProductQuantizer::get_centroids.
func (q *quantized) centroid(m int, c byte) []float32 {
	if m == q.nsubq-1 {
		o := m*ksub*q.dsub + int(c)*q.lastdsub
		return q.centroids[o : o+q.lastdsub]
	}
	o := (m*ksub + int(c)) * q.dsub
	return q.centroids[o : o+q.dsub]
}

func (q *quantized) norm(i int) float32 {
	if !q.qnorm {
		return 1
	}
	return q.normCentroids[q.normCodes[i]]
}

// addRow adds row i to x (x += row).
func (mx *matrix) addRow(x []float32, i int) {
	if mx.q == nil {
		row := mx.dense[i*mx.cols : (i+1)*mx.cols]
		x = x[:len(row)]
		for j, v := range row {
			x[j] += v
		}
		return
	}
	q := mx.q
	alpha := q.norm(i)
	code := q.codes[i*q.nsubq : (i+1)*q.nsubq]
	if q.pairs8 != nil {
		addPairs8((*[8][2]float32)(unsafe.Pointer(unsafe.SliceData(x[:16]))), (*[8]byte)(code), q.pairs8, alpha)
		return
	}
	if q.pairs != nil {
		addPairs(x, code, q.pairs, alpha)
		return
	}
	for m, c := range code {
		cen := q.centroid(m, c)
		dst := x[m*q.dsub : m*q.dsub+len(cen)]
		for j, v := range cen {
			// float32() keeps the product rounded before the sum, as
			// in C++, on targets where Go would fuse them.
			dst[j] += float32(alpha * v)
		}
	}
}

// dotRow returns row i · x, summed left to right in float32 like fastText.
func (mx *matrix) dotRow(x []float32, i int) float32 {
	var d float32
	if mx.q == nil {
		row := mx.dense[i*mx.cols : (i+1)*mx.cols]
		if len(row) == 16 && len(x) == 16 {
			return dot16((*[16]float32)(row), (*[16]float32)(x))
		}
		x = x[:len(row)]
		for j, v := range row {
			d += float32(v * x[j])
		}
		return d
	}
	q := mx.q
	code := q.codes[i*q.nsubq : (i+1)*q.nsubq]
	for m, c := range code {
		cen := q.centroid(m, c)
		src := x[m*q.dsub : m*q.dsub+len(cen)]
		for j, v := range cen {
			d += float32(src[j] * v)
		}
	}
	return float32(d * q.norm(i))
}

// addPairs is addRow for dsub 2: x += alpha * centroid pairs.
func addPairs(x []float32, code []byte, cen [][ksub][2]float32, alpha float32) {
	xp := unsafe.Slice((*[2]float32)(unsafe.Pointer(unsafe.SliceData(x))), len(x)/2)
	xp = xp[:len(code)]
	cen = cen[:len(code)]
	for m, c := range code {
		v := &cen[m][c]
		d := &xp[m]
		d[0] += float32(alpha * v[0])
		d[1] += float32(alpha * v[1])
	}
}

// addPairs8 is addPairs for 8 sub-quantizers, unrolled: constant indices
// fold into the addressing, which halves the instructions per row.
func addPairs8(x *[8][2]float32, code *[8]byte, cen *[8][ksub][2]float32, alpha float32) {
	addPair(&x[0], &cen[0][code[0]], alpha)
	addPair(&x[1], &cen[1][code[1]], alpha)
	addPair(&x[2], &cen[2][code[2]], alpha)
	addPair(&x[3], &cen[3][code[3]], alpha)
	addPair(&x[4], &cen[4][code[4]], alpha)
	addPair(&x[5], &cen[5][code[5]], alpha)
	addPair(&x[6], &cen[6][code[6]], alpha)
	addPair(&x[7], &cen[7][code[7]], alpha)
}

func addPair(x, v *[2]float32, alpha float32) {
	x[0] += float32(alpha * v[0])
	x[1] += float32(alpha * v[1])
}

// dot16 is dotRow's sum for 16 columns (lid.176), unrolled, in the same
// left-to-right order.
func dot16(r, x *[16]float32) float32 {
	d := float32(r[0] * x[0])
	d += float32(r[1] * x[1])
	d += float32(r[2] * x[2])
	d += float32(r[3] * x[3])
	d += float32(r[4] * x[4])
	d += float32(r[5] * x[5])
	d += float32(r[6] * x[6])
	d += float32(r[7] * x[7])
	d += float32(r[8] * x[8])
	d += float32(r[9] * x[9])
	d += float32(r[10] * x[10])
	d += float32(r[11] * x[11])
	d += float32(r[12] * x[12])
	d += float32(r[13] * x[13])
	d += float32(r[14] * x[14])
	d += float32(r[15] * x[15])
	return d
}
