package formats

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
)

// Input limits. A record over MaxDocBytes is one rejected entry and reading
// goes on after it; an input whose decompressed size passes
// MaxDecompressedBytes, or its compressed size times MaxRatio (once past
// ratioFloor), ends there with one rejected entry for the rest.
const (
	DefaultMaxDocBytes = 64 << 20
	DefaultMaxRatio    = 1000
	ratioFloor         = 1 << 30
)

// limits are an input's resolved limits.
type limits struct {
	maxDoc   int64   // <= 0: none
	maxOut   int64   // decompressed bytes; <= 0: none
	maxRatio float64 // <= 0: none
}

func (o ReadOptions) limits() limits {
	l := limits{maxDoc: o.MaxDocBytes, maxOut: o.MaxDecompressedBytes, maxRatio: o.MaxRatio}
	if l.maxDoc == 0 {
		l.maxDoc = DefaultMaxDocBytes
	}
	if l.maxRatio == 0 {
		l.maxRatio = DefaultMaxRatio
	}
	return l
}

// LimitError ends an input that decompressed past a limit.
type LimitError struct {
	Out, In int64 // decompressed and compressed bytes when it stopped
	Msg     string
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("stopped after %d decompressed bytes from %d compressed bytes: %s; the rest of the input was not read", e.Out, e.In, e.Msg)
}

// check returns a *LimitError once out decompressed bytes from in
// compressed bytes pass a limit.
func (l limits) check(out, in int64) error {
	if l.maxOut > 0 && out > l.maxOut {
		return &LimitError{out, in, fmt.Sprintf("more than the limit of %d decompressed bytes per input", l.maxOut)}
	}
	if l.maxRatio > 0 && out > ratioFloor && float64(out) > l.maxRatio*float64(in) {
		return &LimitError{out, in, fmt.Sprintf("a compression ratio above %g:1 (a decompression bomb?)", l.maxRatio)}
	}
	return nil
}

// damage is a stretch [start, end) of an input's decompressed stream that
// came from a gzip member or zstd frame that failed its checks (end < 0:
// to the end of the stream). A stretch with start == end marks bytes lost
// between two good members: a record spanning it is damaged too.
type damage struct {
	start, end int64
	comp       int64 // compressed offset of the member or frame
	what       string
	err        error
	// lost: decoding stopped before the end of the member or frame, so
	// the records in the rest of it are gone (how many is not known); the
	// reader reports that as one rejected entry of its own.
	lost, reported bool
	stop           int64 // decompressed offset where decoding stopped
}

// lostError is the entry for a damaged stretch whose bytes could not be
// decoded.
type lostError struct{ d damage }

func (e lostError) Error() string {
	return fmt.Sprintf("the %s at byte %d of the file could not be decoded past decompressed byte %d (%v): the records it held from there on are lost, how many is not known", e.d.what, e.d.comp, e.d.stop, e.d.err)
}

// lostBefore returns the next unreported damage whose undecodable part
// lies before decompressed offset off (any, at the end of the stream).
func (x *damageIndex) lostBefore(off int64, eof bool) *damage {
	if x == nil {
		return nil
	}
	for j := range x.d {
		d := &x.d[j]
		if !d.lost || d.reported {
			continue
		}
		if eof || (d.end >= 0 && d.end <= off) {
			d.reported = true
			return d
		}
	}
	return nil
}

// isLost tells a decoding failure from a checksum that did not match.
func isLost(err error) bool {
	return !errors.Is(err, zstd.ErrCRCMismatch) && !errors.Is(err, gzipErrChecksum)
}

func (d damage) Error() string {
	end := "the end"
	if d.end >= 0 {
		end = fmt.Sprint(d.end)
	}
	return fmt.Sprintf("decoded from the damaged %s at byte %d of the file (decompressed bytes %d to %s): %v", d.what, d.comp, d.start, end, d.err)
}

// damageIndex answers, for records in increasing order, whether one
// overlaps a damaged stretch.
type damageIndex struct {
	d []damage
	i int
}

// hit returns the damage overlapping the record at decompressed bytes
// [a, b), if any. Calls must come with non-decreasing a.
func (x *damageIndex) hit(a, b int64) *damage {
	for x.i < len(x.d) && x.d[x.i].end >= 0 && x.d[x.i].end < a {
		x.i++
	}
	for j := x.i; j < len(x.d); j++ {
		d := &x.d[j]
		if d.start >= b {
			return nil
		}
		end := d.end
		if end < 0 {
			return d
		}
		if d.start == end {
			if a < end && end < b {
				return d
			}
			continue
		}
		if a < end && d.start < b {
			return d
		}
	}
	return nil
}

// decoder is a decompressed stream that records where it is damaged.
type decoder interface {
	io.Reader
	damages() []damage
}

const (
	kindPlain = iota
	kindGzip
	kindZstd
)

func compression(br *bufio.Reader) int {
	magic, _ := br.Peek(4)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		return kindGzip
	case len(magic) == 4 && binary.LittleEndian.Uint32(magic) == zstdMagic:
		return kindZstd
	}
	return kindPlain
}

// newDecoder returns the decompressed stream of br (compressed bytes
// counted by cr), member by member or frame by frame, damage recorded and
// reading resumed at the next good member or frame.
func newDecoder(kind int, br *bufio.Reader, cr *countingReader, lim limits) (decoder, io.Closer, error) {
	switch kind {
	case kindGzip:
		g, err := newGzipMembers(br, cr)
		if err != nil {
			return nil, nil, err
		}
		g.quiet, g.lim = true, lim
		return g, nil, nil
	case kindZstd:
		z, err := newZstdFrames(br, cr, lim)
		if err != nil {
			return nil, nil, err
		}
		return z, zstdCloser{z.dec}, nil
	}
	return nil, nil, fmt.Errorf("not compressed")
}

// scanDamage decompresses the whole of r, discarding the output, and
// returns its damaged stretches: the first of two passes over a compressed
// input, so that no record is handed out before the member or frame that
// holds it has passed its checksum. A limit error ends the scan where the
// reading pass will stop too.
func scanDamage(r io.Reader, lim limits) ([]damage, error) {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 1<<16)
	kind := compression(br)
	if kind == kindPlain {
		return nil, nil
	}
	d, c, err := newDecoder(kind, br, cr, lim)
	if err != nil {
		return []damage{{start: 0, end: -1, what: "stream", err: err}}, nil
	}
	if c != nil {
		defer c.Close()
	}
	_, err = io.Copy(io.Discard, d)
	var le *LimitError
	if err != nil && !errors.As(err, &le) {
		return d.damages(), err
	}
	return d.damages(), nil
}

// zstd frames and skippable frames.
const (
	zstdMagic      = 0xFD2FB528
	zstdSkipMagic  = 0x184D2A50 // to 0x184D2A5F
	zstdSkipMask   = 0xFFFFFFF0
	zstdMaxWindow  = 1 << 31
	zstdScanWindow = 1 << 16
)

// zstdFrames decompresses a zstd stream frame by frame. The frame layout
// (header, block headers, checksum) is walked without decoding, so a frame
// that fails to decode or fails its checksum is passed over exactly and
// reading resumes at the next frame; a frame whose layout is broken is
// passed over to the next frame magic.
type zstdFrames struct {
	src *countingReader
	br  *bufio.Reader
	dec *zstd.Decoder
	lim limits

	out       int64
	fr        frameBytes
	inFrame   bool
	frameOut  int64
	frameComp int64
	dmg       []damage
	err       error
}

func newZstdFrames(br *bufio.Reader, cr *countingReader, lim limits) (*zstdFrames, error) {
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(zstdMaxWindow), zstd.WithDecoderLowmem(true))
	if err != nil {
		return nil, err
	}
	return &zstdFrames{src: cr, br: br, dec: dec, lim: lim}, nil
}

func (z *zstdFrames) damages() []damage { return z.dmg }

func (z *zstdFrames) compressedPos() int64 { return z.src.n - int64(z.br.Buffered()) }

func (z *zstdFrames) Read(p []byte) (int, error) {
	for {
		if z.err != nil {
			return 0, z.err
		}
		if !z.inFrame {
			if !z.startFrame() {
				continue
			}
		}
		n, err := z.dec.Read(p)
		z.out += int64(n)
		if err == io.EOF && (z.fr.state != fbDone || z.fr.remain != 0 || z.fr.err != nil) {
			// The decoder stopped before the frame's end: a cut frame.
			err = z.fr.err
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
		}
		switch {
		case err == io.EOF:
			z.inFrame = false
		case err != nil:
			z.inFrame = false
			d := damage{start: z.frameOut, comp: z.frameComp, what: "zstd frame", err: err, lost: isLost(err), stop: z.out}
			if z.compressedPos() == z.frameComp {
				z.br.Discard(1) // always move on
			}
			if z.fr.err == nil && z.fr.drain() == nil {
				d.end = z.out
			} else if z.scanMagic() {
				d.end = z.out
			} else {
				d.end = -1
				z.err = io.EOF
			}
			z.dmg = append(z.dmg, d)
		}
		if lerr := z.lim.check(z.out, z.src.n); lerr != nil && z.err == nil {
			z.err = lerr
		}
		if n > 0 {
			return n, nil
		}
	}
}

// startFrame positions the decoder on the next frame; false when it did
// something else (skipped a frame, met garbage, reached the end).
func (z *zstdFrames) startFrame() bool {
	b, _ := z.br.Peek(4)
	if len(b) == 0 {
		z.err = io.EOF
		return false
	}
	pos := z.compressedPos()
	if len(b) == 4 {
		m := binary.LittleEndian.Uint32(b)
		switch {
		case m == zstdMagic:
			z.fr = frameBytes{br: z.br}
			if err := z.dec.Reset(&z.fr); err != nil {
				z.dmg = append(z.dmg, damage{start: z.out, end: z.out, comp: pos, what: "zstd frame", err: err, lost: true, stop: z.out})
				z.br.Discard(1)
				if !z.scanMagic() {
					z.err = io.EOF
				}
				return false
			}
			z.inFrame, z.frameOut, z.frameComp = true, z.out, pos
			return true
		case m&zstdSkipMask == zstdSkipMagic:
			h, _ := z.br.Peek(8)
			if len(h) == 8 {
				n := int64(binary.LittleEndian.Uint32(h[4:]))
				z.br.Discard(8)
				if d, err := discardN(z.br, n); err == nil || d == n {
					return false
				}
			}
		}
	}
	// Not a frame: bytes are lost here.
	z.dmg = append(z.dmg, damage{start: z.out, end: z.out, comp: pos, what: "zstd stream", err: errors.New("bytes that are not a zstd frame"), lost: true, stop: z.out})
	z.br.Discard(1)
	if !z.scanMagic() {
		z.err = io.EOF
	}
	return false
}

// scanMagic discards bytes up to the next zstd frame magic; false at the
// end of the stream.
func (z *zstdFrames) scanMagic() bool {
	for {
		b, err := z.br.Peek(zstdScanWindow)
		if len(b) < 4 {
			z.br.Discard(len(b))
			return false
		}
		for i := 0; i+4 <= len(b); i++ {
			if b[i] == 0x28 && binary.LittleEndian.Uint32(b[i:]) == zstdMagic {
				z.br.Discard(i)
				return true
			}
		}
		z.br.Discard(len(b) - 3)
		if err != nil && len(b) < zstdScanWindow {
			z.br.Discard(3)
			return false
		}
	}
}

func discardN(br *bufio.Reader, n int64) (int64, error) {
	var done int64
	for done < n {
		k := n - done
		if k > 1<<30 {
			k = 1 << 30
		}
		d, err := br.Discard(int(k))
		done += int64(d)
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

var errZstdLayout = errors.New("zstd frame layout is broken")

// frameBytes yields exactly the bytes of one zstd frame, read from br by
// walking its header and block headers.
type frameBytes struct {
	br       *bufio.Reader
	state    int
	remain   int64
	body     int64 // size of the block body after the current block header
	last     bool
	checksum bool
	err      error // a broken layout or a cut stream
}

const (
	fbHeader = iota
	fbBlockHeader
	fbBlockBody
	fbChecksum
	fbDone
)

func (f *frameBytes) advance() error {
	if f.err != nil {
		return f.err
	}
	switch f.state {
	case fbHeader:
		h, _ := f.br.Peek(5)
		if len(h) < 5 {
			f.err = io.ErrUnexpectedEOF
			return f.err
		}
		fhd := h[4]
		if fhd&0x08 != 0 {
			f.err = errZstdLayout
			return f.err
		}
		n := int64(5)
		single := fhd>>5&1 == 1
		if !single {
			n++ // window descriptor
		}
		n += [4]int64{0, 1, 2, 4}[fhd&3]
		switch fhd >> 6 {
		case 0:
			if single {
				n++
			}
		case 1:
			n += 2
		case 2:
			n += 4
		case 3:
			n += 8
		}
		f.checksum = fhd>>2&1 == 1
		f.remain, f.state = n, fbBlockHeader
	case fbBlockHeader:
		h, _ := f.br.Peek(3)
		if len(h) < 3 {
			f.err = io.ErrUnexpectedEOF
			return f.err
		}
		v := uint32(h[0]) | uint32(h[1])<<8 | uint32(h[2])<<16
		f.last = v&1 == 1
		size := int64(v >> 3)
		switch (v >> 1) & 3 {
		case 1: // RLE
			size = 1
		case 3:
			f.err = errZstdLayout
			return f.err
		}
		f.body = size
		f.remain, f.state = 3, fbBlockBody
	case fbBlockBody:
		f.remain = f.body
		switch {
		case !f.last:
			f.state = fbBlockHeader
		case f.checksum:
			f.state = fbChecksum
		default:
			f.state = fbDone
		}
	case fbChecksum:
		f.remain, f.state = 4, fbDone
	case fbDone:
		return io.EOF
	}
	return nil
}

func (f *frameBytes) Read(p []byte) (int, error) {
	for f.remain == 0 {
		if err := f.advance(); err != nil {
			return 0, err
		}
	}
	if int64(len(p)) > f.remain {
		p = p[:f.remain]
	}
	n, err := f.br.Read(p)
	f.remain -= int64(n)
	if err == io.EOF {
		if f.remain > 0 {
			f.err = io.ErrUnexpectedEOF
		}
		err = nil
		if n == 0 {
			return 0, f.err
		}
	}
	return n, err
}

// drain passes over the rest of the frame.
func (f *frameBytes) drain() error {
	for {
		if f.remain > 0 {
			d, err := discardN(f.br, f.remain)
			f.remain -= d
			if err != nil {
				f.err = io.ErrUnexpectedEOF
				return f.err
			}
		}
		if err := f.advance(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// tempCopy copies r into an unlinked temporary file, positioned at its
// start (for a compressed standard input, which is read twice).
func tempCopy(r io.Reader) (*os.File, error) {
	tf, err := os.CreateTemp("", "saring-stdin-*")
	if err != nil {
		return nil, err
	}
	os.Remove(tf.Name())
	if _, err := io.Copy(tf, r); err != nil {
		tf.Close()
		return nil, err
	}
	if _, err := tf.Seek(0, io.SeekStart); err != nil {
		tf.Close()
		return nil, err
	}
	return tf, nil
}
