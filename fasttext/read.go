package fasttext

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// errTruncated is returned for a model file that ends before its headers
// say it should.
var errTruncated = errors.New("file ends early (truncated download?)")

// decoder reads fastText's little-endian binary layout from memory. Every
// read checks the bytes left, and every count read from the file is checked
// against the bytes left before anything is allocated for it, so that a
// corrupt file yields an error instead of a panic or a huge allocation.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) remaining() int { return len(d.b) - d.off }

// fail records the first error; later reads return zero values.
func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = fmt.Errorf("at byte %d: %w", d.off, err)
	}
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > d.remaining() {
		d.fail(errTruncated)
		return nil
	}
	p := d.b[d.off : d.off+n]
	d.off += n
	return p
}

func (d *decoder) u8() uint8 {
	p := d.take(1)
	if p == nil {
		return 0
	}
	return p[0]
}

func (d *decoder) bool() bool { return d.u8() != 0 }

func (d *decoder) i32() int32 {
	p := d.take(4)
	if p == nil {
		return 0
	}
	return int32(binary.LittleEndian.Uint32(p))
}

func (d *decoder) i64() int64 {
	p := d.take(8)
	if p == nil {
		return 0
	}
	return int64(binary.LittleEndian.Uint64(p))
}

func (d *decoder) f64() float64 {
	p := d.take(8)
	if p == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(p))
}

// cstring reads a NUL-terminated string.
func (d *decoder) cstring() string {
	if d.err != nil {
		return ""
	}
	for i := d.off; i < len(d.b); i++ {
		if d.b[i] == 0 {
			s := string(d.b[d.off:i])
			d.off = i + 1
			return s
		}
	}
	d.fail(errTruncated)
	return ""
}

// count checks that n items of at least size bytes each can still be read,
// which bounds every allocation by the file's size.
func (d *decoder) count(n int64, size int, what string) int {
	if d.err != nil {
		return 0
	}
	if n < 0 {
		d.fail(fmt.Errorf("%s: negative count %d", what, n))
		return 0
	}
	if n > int64(d.remaining()/size) {
		d.fail(fmt.Errorf("%s: %d items need %d bytes, %d left: %w", what, n, n*int64(size), d.remaining(), errTruncated))
		return 0
	}
	return int(n)
}

func (d *decoder) f32s(n int) []float32 {
	p := d.take(4 * n)
	if p == nil {
		return nil
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(p[4*i:]))
	}
	return v
}

func (d *decoder) bytes(n int) []byte {
	p := d.take(n)
	if p == nil {
		return nil
	}
	return append([]byte(nil), p...)
}
