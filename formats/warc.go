package formats

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/saring/saring"
)

// MaxWARCPayload is the default bound on one payload after decompression
// (ReadOptions.MaxDocBytes); larger ones are skipped ("too_large") rather
// than held in memory.
const MaxWARCPayload = DefaultMaxDocBytes

// warcBufSize is the decompressed read buffer; it bounds one header line.
const warcBufSize = 128 << 10

// openWARC reads WARC (response records) or WET (conversion records) input.
//
// It is a small purpose-built reader rather than a general WARC library: it
// only needs the few header fields saring keeps, it skips unwanted records
// without reading their payload into memory, and it names each record by the
// compressed offset of its gzip member (the offset CDX indexes use). Both
// response and conversion records become documents whichever of .warc or
// .wet the file is named, so mixed files work.
//
// Errors: a record with a malformed header is one *RecordError and reading
// resumes at the next "WARC/" line; a damaged gzip member is one
// *RecordError and reading resumes at the next member; a file cut short
// yields its complete records, then one *RecordError naming the offset.
//
// A .warc.gz is first read to its end once (reopen), to find the gzip
// members that fail their checks: a record decoded from one is rejected,
// never handed out. A Content-Length that runs past the record's end (into
// the next gzip member, or into a "\r\n\r\nWARC/1." separator) or ends
// before it is one rejected record, and reading resumes at the next record.
func openWARC(name string, r io.Reader, opts ReadOptions, reopen func() (io.ReadCloser, error)) (Reader, error) {
	cr := &countingReader{r: r}
	raw := bufio.NewReaderSize(cr, warcBufSize)
	lim := opts.limits()
	w := &warcReader{name: name, opts: opts, skipped: map[string]int64{}, maxDoc: lim.maxDoc}
	if w.maxDoc <= 0 {
		w.maxDoc = 1 << 62
	}
	if magic, _ := raw.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		if reopen != nil {
			pre, err := reopen()
			var dmg []damage
			if err == nil {
				dmg, err = scanDamage(pre, lim)
				pre.Close()
			}
			if err != nil {
				return nil, fmt.Errorf("%s: checking the compressed stream: %w", name, err)
			}
			if len(dmg) > 0 {
				w.dmg = &damageIndex{d: dmg}
			}
		}
		g, err := newGzipMembers(raw, cr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		g.lim = lim
		w.gz = g
		w.r = bufio.NewReaderSize(g, warcBufSize)
	} else {
		w.plain = cr
		w.r = raw
	}
	return w, nil
}

type warcReader struct {
	name  string
	opts  ReadOptions
	r     *bufio.Reader
	gz    *gzipMembers
	plain *countingReader

	record  int64 // records seen, good or bad
	resync  bool  // after a malformed header: look for the next "WARC/" line
	done    bool
	skipped map[string]int64
	dec     decoders
	maxDoc  int64
	dmg     *damageIndex
}

// Close releases nothing: the caller owns r and closes it.
func (w *warcReader) Close() error { return nil }

// Skipped returns how many records were passed over, by reason.
func (w *warcReader) Skipped() map[string]int64 { return w.skipped }

// pos is the decompressed offset of the next unread byte.
func (w *warcReader) pos() int64 {
	if w.gz != nil {
		return w.gz.out - int64(w.r.Buffered())
	}
	return w.plain.n - int64(w.r.Buffered())
}

// fileOffset is the offset a reader of the file would seek to for the record
// starting at decompressed offset pos: the gzip member's compressed offset,
// or pos itself for an uncompressed file.
func (w *warcReader) fileOffset(pos int64) int64 {
	if w.gz != nil {
		return w.gz.memberAt(pos)
	}
	return pos
}

// warcHeader holds the WARC header fields saring uses.
type warcHeader struct {
	version     string
	typ         string
	targetURI   string
	date        string
	recordID    string
	contentType string
	length      int64
	truncated   string
	language    string // WARC-Identified-Content-Language (Common Crawl)
}

func (w *warcReader) Next() (*saring.Document, error) {
	for {
		if w.done {
			return nil, io.EOF
		}
		doc, err := w.next()
		if err == errSkipped {
			continue
		}
		return doc, err
	}
}

var errSkipped = errors.New("skipped")

func (w *warcReader) skip(reason string) error {
	w.skipped[reason]++
	return errSkipped
}

// fail turns a stream error into the right outcome: a cut or damaged gzip
// stream is one bad record and the end of the input.
func (w *warcReader) fail(src saring.Source, err error, raw []byte) error {
	var le *LimitError
	if errors.As(err, &le) {
		w.done = true
		return &RecordError{Source: src, Err: err, Raw: raw}
	}
	var gz *gzipStreamError
	if errors.As(err, &gz) {
		if gz.Resumed {
			// What is still buffered came from the damaged member; the next
			// member starts a record at a line start.
			w.r.Discard(w.r.Buffered())
			w.resync = true
		} else {
			w.done = true
		}
		src.Offset = gz.Offset
		return &RecordError{Source: src, Err: err, Raw: raw}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		w.done = true
		return &RecordError{Source: src, Err: fmt.Errorf("record cut short at the end of the file: %w", err), Raw: raw}
	}
	return &RecordError{Source: src, Err: err, Raw: raw}
}

func (w *warcReader) next() (*saring.Document, error) {
	// Find the version line, skipping the blank lines between records.
	var first []byte
	start := w.pos()
	for {
		start = w.pos()
		line, err := w.r.ReadSlice('\n')
		if err == io.EOF && len(line) == 0 {
			w.done = true
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			if err == bufio.ErrBufferFull {
				raw := clipBytes(line) // before the buffer is reused
				w.discardLine()
				if !w.resync {
					w.resync = true
					w.record++
					return nil, w.fail(w.source(start), errors.New("expected a WARC/1.x version line, found a line longer than 128 KiB; skipping to the next record"), raw)
				}
				continue
			}
			w.record++
			return nil, w.fail(w.source(start), err, nil)
		}
		t := bytes.TrimRight(line, "\r\n")
		if len(t) == 0 {
			if err == io.EOF {
				w.done = true
				return nil, io.EOF
			}
			continue
		}
		if bytes.HasPrefix(t, []byte("WARC/")) {
			w.resync = false
			first = t
			break
		}
		if w.resync {
			if err == io.EOF {
				w.done = true
				return nil, io.EOF
			}
			continue
		}
		w.record++
		w.resync = true
		src := w.source(start)
		return nil, w.fail(src, fmt.Errorf("expected a WARC/1.x version line, found %q; skipping to the next record", clip(t, 60)), clipBytes(line))
	}
	w.record++
	src := w.source(start)
	h := warcHeader{version: string(first)}
	if err := w.readHeader(&h); err != nil {
		w.resync = true
		return nil, w.fail(src, err, nil)
	}
	if h.length < 0 {
		w.resync = true
		return nil, w.fail(src, errors.New("WARC header has no valid Content-Length; skipping to the next record"), nil)
	}
	blk := &blockReader{r: w.r, remain: h.length, stop: w.nextRecordIn}
	doc, err := w.readBlock(&h, blk, src)
	if err != nil && err != errSkipped {
		if _, isRec := err.(*RecordError); !isRec {
			err = w.fail(src, err, nil)
		}
		if w.done || w.resync {
			return nil, err // the rest of the block is gone or not to be trusted
		}
	}
	if serr := blk.skip(); serr != nil {
		if err == nil || err == errSkipped {
			return nil, w.fail(src, serr, nil)
		}
		w.done = true
	}
	if blk.cut {
		// The length runs into the next record: it starts where the cut is.
		return nil, &RecordError{Source: src, Err: fmt.Errorf("Content-Length %d runs past the end of the record (the next record starts after %d bytes of the block); reading resumed there", h.length, h.length-blk.remain)}
	}
	if !w.trailerOK() {
		w.resync = true
		if err == nil || err == errSkipped {
			next, _ := w.r.Peek(16)
			return nil, &RecordError{Source: src, Err: fmt.Errorf("Content-Length %d ends before the record does (followed by %q, not a blank line); reading resumed at the next WARC/1. header", h.length, next)}
		}
		return nil, err
	}
	if doc != nil && w.dmg != nil {
		if d := w.dmg.hit(start, w.pos()); d != nil {
			return nil, &RecordError{Source: src, Err: *d}
		}
	}
	return doc, err
}

// trailerOK reports whether a block is followed by what ends a record: a
// line break, or the end of the input.
func (w *warcReader) trailerOK() bool {
	b, _ := w.r.Peek(1)
	return len(b) == 0 || b[0] == '\r' || b[0] == '\n'
}

// nextRecordIn returns where in buf, the next bytes of a block, the next
// record starts (a gzip member boundary, or a record separator), or -1.
func (w *warcReader) nextRecordIn(buf []byte) int {
	at := -1
	if w.gz != nil {
		pos := w.pos()
		for _, b := range w.gz.bounds {
			if b.decomp > pos {
				if d := b.decomp - pos; d < int64(len(buf)) {
					at = int(d)
				}
				break
			}
		}
	}
	if i := bytes.Index(buf, recordSep); i >= 0 && (at < 0 || i < at) {
		at = i
	}
	return at
}

func (w *warcReader) discardLine() {
	for {
		_, err := w.r.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return
		}
	}
}

func clipBytes(b []byte) []byte {
	if len(b) > 512 {
		b = b[:512]
	}
	return append([]byte(nil), b...)
}

func (w *warcReader) source(pos int64) saring.Source {
	return saring.Source{File: w.name, Line: w.record, Offset: w.fileOffset(pos)}
}

func (w *warcReader) readHeader(h *warcHeader) error {
	h.length = -1
	for n := 0; ; n++ {
		if n > 1000 {
			return errors.New("WARC header has more than 1000 lines")
		}
		line, err := w.r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			return errors.New("WARC header line longer than 128 KiB")
		}
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			return nil
		}
		k, v, ok := splitHeader(line)
		if !ok {
			if line[0] == ' ' || line[0] == '\t' {
				continue // folded continuation of a field saring does not use
			}
			return fmt.Errorf("WARC header line %q is not \"Name: value\"", clip(line, 60))
		}
		switch {
		case equalFold(k, "WARC-Type"):
			h.typ = strings.ToLower(string(v))
		case equalFold(k, "WARC-Target-URI"):
			// WARC/1.0 writers sometimes wrapped the URI in <>.
			h.targetURI = string(bytes.TrimSuffix(bytes.TrimPrefix(v, []byte("<")), []byte(">")))
		case equalFold(k, "WARC-Date"):
			h.date = string(v)
		case equalFold(k, "WARC-Record-ID"):
			h.recordID = string(v)
		case equalFold(k, "Content-Type"):
			h.contentType = string(v)
		case equalFold(k, "Content-Length"):
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil || n < 0 {
				return fmt.Errorf("WARC Content-Length %q is not a byte count; skipping to the next record", clip(v, 40))
			}
			h.length = n
		case equalFold(k, "WARC-Truncated"):
			h.truncated = string(v)
		case equalFold(k, "WARC-Identified-Content-Language"):
			h.language = string(v)
		}
	}
}

var warcTypeReasons = map[string]string{
	"warcinfo": "warc_warcinfo", "request": "warc_request", "metadata": "warc_metadata",
	"resource": "warc_resource", "revisit": "warc_revisit", "continuation": "warc_continuation",
	"response": "warc_response", "conversion": "warc_conversion",
}

func (w *warcReader) readBlock(h *warcHeader, blk *blockReader, src saring.Source) (*saring.Document, error) {
	switch h.typ {
	case "response":
		return w.readResponse(h, blk, src)
	case "conversion":
		return w.readConversion(h, blk, src)
	}
	reason, ok := warcTypeReasons[h.typ]
	if !ok {
		reason = "warc_other"
	}
	return nil, w.skip(reason)
}

func (w *warcReader) newDoc(h *warcHeader, src saring.Source) *saring.Document {
	doc := &saring.Document{
		ID:       h.recordID,
		Source:   src,
		Seq:      SeqOf(w.opts.FileIndex, src.Line),
		Metadata: make(map[string]any, 10),
	}
	if h.targetURI != "" {
		doc.Metadata["url"] = h.targetURI
	}
	if h.date != "" {
		doc.Metadata["warc_date"] = h.date
	}
	if h.recordID != "" {
		doc.Metadata["warc_record_id"] = h.recordID
	}
	if h.truncated != "" {
		doc.Metadata["warc_truncated"] = h.truncated
	}
	if h.language != "" {
		doc.Metadata["warc_language"] = h.language
	}
	return doc
}

func (w *warcReader) readResponse(h *warcHeader, blk *blockReader, src saring.Source) (*saring.Document, error) {
	mt := mediaType(h.contentType)
	if mt != "application/http" && !(mt == "" && !strings.HasPrefix(h.targetURI, "dns:")) {
		return nil, w.skip("not_http")
	}
	head, err := readHTTPHead(blk)
	if err != nil {
		return nil, &RecordError{Source: src, Err: err}
	}
	if head.status != 200 {
		return nil, w.skip("http_status_" + strconv.Itoa(head.status))
	}
	if head.contentType != "" && !isHTMLType(head.contentType) {
		return nil, w.skip("not_html")
	}
	if blk.remain > w.maxDoc {
		return nil, w.skip("too_large")
	}
	body, err := blk.rest()
	if err != nil {
		return nil, err
	}
	body, err = decodeBody(body, head, w.maxDoc, &w.dec)
	if err == errPayloadTooLarge {
		return nil, w.skip("too_large")
	}
	if err != nil {
		return nil, &RecordError{Source: src, Err: err, Raw: clipBytes(body)}
	}
	if head.contentType == "" && !looksLikeHTML(body) {
		return nil, w.skip("not_html")
	}
	dec := decodeHTML(body, head.contentType, true)
	doc := w.newDoc(h, src)
	doc.Text = dec.Text
	ct := head.contentType
	if ct == "" {
		ct = "text/html"
	}
	doc.Metadata["content_type"] = ct
	doc.Metadata["content_format"] = "html"
	doc.Metadata["charset"] = dec.Charset
	doc.Metadata["charset_source"] = dec.Source
	doc.Metadata["charset_errors"] = dec.Errors
	return doc, nil
}

// readConversion reads a WET text record.
func (w *warcReader) readConversion(h *warcHeader, blk *blockReader, src saring.Source) (*saring.Document, error) {
	if blk.remain > w.maxDoc {
		return nil, w.skip("too_large")
	}
	body, err := blk.rest()
	if err != nil {
		return nil, err
	}
	doc := w.newDoc(h, src)
	text, errs := string(body), 0
	if !utf8.Valid(body) {
		text, errs = toValidUTF8(body)
	}
	doc.Text = text
	ct := h.contentType
	if ct == "" {
		ct = "text/plain"
	}
	doc.Metadata["content_type"] = ct
	doc.Metadata["content_format"] = "text"
	doc.Metadata["charset"] = "utf-8"
	doc.Metadata["charset_errors"] = errs
	return doc, nil
}
