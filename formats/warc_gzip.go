package formats

import (
	"bufio"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
)

var gzipErrChecksum = gzip.ErrChecksum

// countingReader counts the compressed bytes taken from the file.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// memberBound says that the gzip member starting at compressed offset comp
// yields the decompressed bytes from decomp on.
type memberBound struct {
	decomp, comp int64
}

// gzipMembers decompresses a multi-member gzip stream (one member per
// WARC record, as crawlers write them) as one stream, remembering where each
// member starts in the compressed file so that a record can be named by the
// offset a CDX index would use.
type gzipMembers struct {
	src    *countingReader
	br     *bufio.Reader // compressed bytes; flate reads it byte-wise, so it never reads past a member's end
	zr     *gzip.Reader
	out    int64 // decompressed bytes returned so far
	bounds []memberBound
	cur    int64 // compressed offset of the member being read
	err    error // sticky: nothing more can be read
	// pending is a damaged member past which reading went on; it is
	// returned once, so the record reader can report it and resynchronise.
	pending *gzipStreamError
	// quiet records damage without returning it (the record readers check
	// records against damages() instead); lim ends the stream past a limit.
	quiet  bool
	lim    limits
	curOut int64 // decompressed offset where the current member starts
	dmg    []damage
}

func (g *gzipMembers) damages() []damage { return g.dmg }

// gzipStreamError is a damaged or cut gzip stream at a member's offset.
type gzipStreamError struct {
	Offset  int64
	Err     error
	Resumed bool // reading went on at the next gzip member
}

func (e *gzipStreamError) Error() string {
	if e.Err == io.ErrUnexpectedEOF {
		return fmt.Sprintf("gzip member at offset %d is truncated (the file was cut short; the records before it were read)", e.Offset)
	}
	if e.Resumed {
		return fmt.Sprintf("gzip member at offset %d is damaged: %v (reading went on at the next member)", e.Offset, e.Err)
	}
	return fmt.Sprintf("gzip member at offset %d: %v (the rest of the file cannot be decompressed)", e.Offset, e.Err)
}

func (e *gzipStreamError) Unwrap() error { return e.Err }

func newGzipMembers(br *bufio.Reader, src *countingReader) (*gzipMembers, error) {
	g := &gzipMembers{src: src, br: br}
	start := g.compressedPos()
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, &gzipStreamError{Offset: start, Err: err}
	}
	zr.Multistream(false)
	g.zr = zr
	g.cur = start
	g.bounds = append(g.bounds, memberBound{0, start})
	return g, nil
}

func (g *gzipMembers) compressedPos() int64 { return g.src.n - int64(g.br.Buffered()) }

func (g *gzipMembers) Read(p []byte) (int, error) {
	for {
		if g.pending != nil {
			e := g.pending
			g.pending = nil
			return 0, e
		}
		if g.err != nil {
			return 0, g.err
		}
		n, err := g.zr.Read(p)
		g.out += int64(n)
		if lerr := g.lim.check(g.out, g.src.n); lerr != nil {
			g.err = lerr
			if n > 0 {
				return n, nil
			}
			continue
		}
		switch {
		case err == io.EOF:
			// End of one member: the next starts right after its trailer.
			next := g.compressedPos()
			if _, perr := g.br.Peek(1); perr == io.EOF {
				g.err = io.EOF
			} else if rerr := g.zr.Reset(g.br); rerr != nil {
				g.damaged(next, rerr)
			} else {
				g.zr.Multistream(false)
				g.cur, g.curOut = next, g.out
				g.bounds = append(g.bounds, memberBound{g.out, next})
			}
		case err != nil:
			g.damaged(g.cur, err)
		}
		if n > 0 {
			return n, nil
		}
	}
}

// damaged handles a member that cannot be decompressed: a cut file ends
// reading; otherwise the next member header is looked for, so that one
// damaged record does not cost the rest of the file.
func (g *gzipMembers) damaged(off int64, err error) {
	e := &gzipStreamError{Offset: off, Err: err}
	d := damage{start: g.curOut, end: -1, comp: off, what: "gzip member", err: err, lost: isLost(err), stop: g.out}
	if off != g.cur { // a member header that does not open: nothing of it was read
		d.start = g.out
	}
	if err == io.ErrUnexpectedEOF || !g.seekMember() {
		g.dmg = append(g.dmg, d)
		if g.quiet {
			g.err = io.EOF
		} else {
			g.err = e
		}
		return
	}
	d.end = g.out
	g.dmg = append(g.dmg, d)
	e.Resumed = true
	if !g.quiet {
		g.pending = e
	}
}

// seekMember scans the compressed bytes for the next gzip member header
// that opens, and starts reading it.
func (g *gzipMembers) seekMember() bool {
	for {
		b, _ := g.br.Peek(3)
		if len(b) < 3 {
			return false
		}
		if b[0] == 0x1f && b[1] == 0x8b && b[2] == 8 {
			start := g.compressedPos()
			if g.zr.Reset(g.br) == nil {
				g.zr.Multistream(false)
				g.cur, g.curOut = start, g.out
				g.bounds = append(g.bounds, memberBound{g.out, start})
				return true
			}
			if g.compressedPos() == start {
				g.br.Discard(1)
			}
			continue
		}
		g.br.Discard(1)
	}
}

// memberAt returns the compressed offset of the member holding decompressed
// offset pos and forgets the members before it (records only move forward).
func (g *gzipMembers) memberAt(pos int64) int64 {
	i := 0
	for i+1 < len(g.bounds) && g.bounds[i+1].decomp <= pos {
		i++
	}
	if i > 0 {
		g.bounds = append(g.bounds[:0], g.bounds[i:]...)
	}
	if len(g.bounds) == 0 {
		return 0
	}
	return g.bounds[0].comp
}
