package fasttext

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"unsafe"
)

// Prediction is a label and its probability. Like fastText, Prob is
// exp(log(p + 1e-5)), so it can slightly exceed 1.
type Prediction struct {
	Label string // as stored in the model, e.g. "__label__en"
	Prob  float32
}

// Predictor holds the buffers of one prediction at a time, so that repeated
// predictions allocate nothing. A Predictor is not safe for concurrent use;
// give each goroutine its own (they share the Model).
type Predictor struct {
	m       *Model
	hidden  []float32
	out     []float32
	heap    []scored
	hashes  []uint32
	buf     []byte
	preds   []Prediction
	nrows   int
	pending []int32 // rows gathered and not yet added
	path    []int32
	cache   tokenCache
	nocache bool // tests: every word computed afresh
}

// NewPredictor returns a Predictor for m.
func (m *Model) NewPredictor() *Predictor {
	nl := len(m.dict.labels())
	return &Predictor{
		m:      m,
		hidden: make([]float32, m.args.Dim),
		out:    make([]float32, nl),
		heap:   make([]scored, 0, nl+1),
		buf:    make([]byte, 0, 64),
	}
}

// Predict returns the k most probable labels of text, best first, whose
// probability is at least threshold (k <= 0: all labels). It is safe for
// concurrent use.
//
// text is one line, as in fastText's Python predict: only the part before
// the first newline counts, and a newline is implied at its end. Replace
// newlines with spaces to classify a whole document.
func (m *Model) Predict(text string, k int, threshold float32) []Prediction {
	return m.pooled(func(p *Predictor) []Prediction { return p.Predict(text, k, threshold) })
}

// pooled runs predict on a Predictor from m's pool and returns a copy of
// its answer, which the Predictor's next call would overwrite.
func (m *Model) pooled(predict func(p *Predictor) []Prediction) []Prediction {
	p, _ := m.pool.Get().(*Predictor)
	if p == nil {
		p = m.NewPredictor()
	}
	preds := append([]Prediction(nil), predict(p)...)
	m.pool.Put(p)
	return preds
}

// Predict is Model.Predict without allocating: the result is valid until
// the next call on p.
func (p *Predictor) Predict(text string, k int, threshold float32) []Prediction {
	data := unsafe.Slice(unsafe.StringData(text), len(text))
	p.line(data, 0, true)
	return p.predict(k, threshold)
}

// PredictText is Predict on text with every newline taken as a space,
// which is how language filters (datatrove's among them) classify whole
// documents, without copying the text. It is safe for concurrent use.
func (m *Model) PredictText(text string, k int, threshold float32) []Prediction {
	return m.pooled(func(p *Predictor) []Prediction { return p.PredictText(text, k, threshold) })
}

// PredictText is Model.PredictText without allocating: the result is
// valid until the next call on p.
func (p *Predictor) PredictText(text string, k int, threshold float32) []Prediction {
	data := unsafe.Slice(unsafe.StringData(text), len(text))
	p.lineWith(&flatClass, data, 0, true)
	return p.predict(k, threshold)
}

// PredictInput predicts one input line the way `fasttext predict-prob`
// reads its input: line without its newline, newline telling whether one
// ended it (the last line of a file may lack it, and then has no
// end-of-sentence token). fastText also ends a sentence at a literal "</s>"
// token and goes on with the rest of the line as a new sentence, so emit is
// called once per sentence: usually once, more often when the text holds
// "</s>". The slice given to emit is valid only during the call.
func (p *Predictor) PredictInput(line []byte, newline bool, k int, threshold float32, emit func([]Prediction)) {
	end := len(line)
	if newline {
		end++ // the newline is one more byte to consume
	}
	for pos := 0; pos < end; {
		pos = p.line(line, pos, newline)
		emit(p.predict(k, threshold))
	}
}

// byteClass tells fastText's word separators (space) and '\n' (newline)
// from other bytes.
var byteClass = [256]uint8{' ': classSpace, '\r': classSpace, '\t': classSpace, '\v': classSpace, '\f': classSpace, 0: classSpace, '\n': classNewline}

// flatClass is byteClass with '\n' as one more separator.
var flatClass = [256]uint8{' ': classSpace, '\r': classSpace, '\t': classSpace, '\v': classSpace, '\f': classSpace, 0: classSpace, '\n': classSpace}

const (
	classSpace   = 1
	classNewline = 2
)

// line reads one sentence of data from pos, the way Dictionary::getLine
// reads a stream: words up to an end-of-sentence token, which is a
// newline or a literal "</s>". newline says a '\n' follows data (it sits at
// index len(data)). It sums the sentence's input rows into p.hidden and
// returns the position after what getLine consumed.
func (p *Predictor) line(data []byte, pos int, newline bool) int {
	return p.lineWith(&byteClass, data, pos, newline)
}

// lineWith is line with a byte classification: flatClass makes '\n' a
// plain separator.
//
// Words' rows are gathered in p.pending, in order, and added in batches:
// one call sums thousands of rows. The loop is written out whole, word
// split, cache key and lookup inlined by hand, because a call on the path
// of every word would cost more than the lookup itself.
func (p *Predictor) lineWith(class *[256]uint8, data []byte, pos int, newline bool) int {
	m := p.m
	clear(p.hidden)
	p.nrows = 0
	p.hashes = p.hashes[:0]
	ngrams := m.args.WordNgrams > 1
	c := &p.cache
	c.init()
	sets := c.sets
	pending := p.pending[:0]
	n := len(data)
	for {
		// readWord: skip separators; a newline before any byte is the
		// end-of-sentence token itself.
		i := pos
		for i < n && class[data[i]] == classSpace {
			i++
		}
		if i < n && class[data[i]] == classNewline || i == n && newline {
			pos = i + 1
			p.pending = pending
			p.addEOS()
			pending = p.pending
			break
		}
		if i >= n {
			pos = i
			break // end of input
		}
		start := i
		// The word ends at the next byte under 0x21 that is a separator
		// or a newline, found eight bytes at a time: the lowest flagged
		// byte is the first one under 0x21 (bytes above it may be
		// flagged wrongly by the borrow).
		for {
			if i+8 > n {
				for i < n && class[data[i]] == 0 {
					i++
				}
				break
			}
			x := binary.LittleEndian.Uint64(data[i:])
			t := (x - 0x2121212121212121) &^ x & 0x8080808080808080
			if t == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(t) >> 3
			if class[data[i]] != 0 {
				break
			}
			i++ // a control character inside the word
		}
		pos = i
		if i < n && class[data[i]] != classNewline {
			pos++ // the separator is consumed; a newline is put back
		}
		if len(pending) >= pendingFlush {
			p.pending = pending
			p.flush()
			pending = p.pending
		}
		l := i - start
		if l > cacheMaxTok {
			p.pending = pending
			p.wordRows(data[start:i])
			pending = p.pending
			continue
		}
		var w wordKey
		if start+24 <= n {
			b := data[start : start+24 : start+24]
			mask := &keyMasks[min(l, 24)]
			w.k[0] = binary.LittleEndian.Uint64(b) & mask[0]
			w.k[1] = binary.LittleEndian.Uint64(b[8:]) & mask[1]
			w.k[2] = binary.LittleEndian.Uint64(b[16:]) & mask[2]
			w.n = l
		} else {
			w = keyOf(data, start, l)
		}
		if l == len(eosWord) && w.k[0] == eosKey {
			p.pending = pending
			p.addEOS() // a literal "</s>" ends the sentence too
			pending = p.pending
			break
		}
		if p.nocache {
			p.pending = pending
			p.wordRows(data[start:i])
			pending = p.pending
			continue
		}
		set := &sets[w.set()]
		e := &set[0]
		if int(e.n) != l || e.key != w.k || e.ring && !c.valid(e, &w, data, start) {
			e = &set[1]
			if int(e.n) != l || e.key != w.k || e.ring && !c.valid(e, &w, data, start) {
				e = nil
			} else {
				set[0], set[1] = set[1], set[0]
				e = &set[0]
			}
		}
		if e != nil {
			if ngrams {
				p.hashes = append(p.hashes, e.hash)
			}
			var src []int32
			if !e.ring {
				src = e.rows[:e.nrows]
			} else {
				src = c.slotRowsOf(e)
			}
			at := len(pending)
			if cap(pending)-at < len(src) {
				pending = slices.Grow(pending, len(src))
			}
			dst := pending[at : at+len(src)]
			for j, r := range src {
				dst[j] = r
			}
			pending = pending[:at+len(src)]
			continue
		}
		p.pending = pending
		if h, ok := p.wordRows(data[start:i]); ok {
			c.put(&w, data, start, h, p.pending[len(pending):])
		}
		pending = p.pending
	}
	p.pending = pending
	p.flush()
	if ngrams {
		p.addWordNgrams()
	}
	p.shrink()
	return pos
}

// pendingFlush is how many gathered rows are added at once.
const pendingFlush = 4096

// flush adds the gathered rows to the hidden vector.
func (p *Predictor) flush() {
	p.addRows(p.pending)
	p.pending = p.pending[:0]
}

// eosKey is "</s>" as a cache key's first word.
var eosKey = keyOf([]byte(eosWord), 0, len(eosWord)).k[0]

// addEOS gathers the end-of-sentence token, which has no character n-grams.
func (p *Predictor) addEOS() {
	m := p.m
	if m.eosID >= 0 {
		p.pending = append(p.pending, m.eosID)
	}
	p.hashes = append(p.hashes, m.eosHash)
}

// wordRows gathers the rows of word tok (not "</s>") and returns its fnv
// hash; false when tok is a label, which is not a feature.
func (p *Predictor) wordRows(tok []byte) (uint32, bool) {
	dc := p.m.dict
	h := fnv(tok)
	wid := dc.find(tok, h)
	isWord := wid < 0 && !hasLabelPrefix(tok) || wid >= 0 && dc.types[wid] == typeWord
	if !isWord {
		return 0, false // labels in the text are not features
	}
	if wid >= 0 {
		p.pending = append(p.pending, wid)
	}
	p.pending = p.appendSubwords(p.pending, tok)
	if p.m.args.WordNgrams > 1 {
		p.hashes = append(p.hashes, h)
	}
	return h, true
}

// shrink drops buffers that one huge line grew, so that a long-lived
// Predictor does not keep them.
func (p *Predictor) shrink() {
	const limit = 1 << 20
	if cap(p.pending) > limit {
		p.pending = nil
	}
	if cap(p.buf) > limit {
		p.buf = nil
	}
	if cap(p.hashes) > limit {
		p.hashes = nil
	}
}

var eosBytes = []byte(eosWord)

func hasLabelPrefix(tok []byte) bool {
	return len(tok) >= len(labelPrefix) && string(tok[:len(labelPrefix)]) == labelPrefix
}

func (p *Predictor) addRow(row int) {
	if flat := p.m.flat; flat != nil {
		r := [1]int32{int32(row)}
		addRowsFlat(p.hidden, flat, r[:])
	} else {
		p.m.input.addRow(p.hidden, row)
	}
	p.nrows++
}

func (p *Predictor) addRows(rows []int32) {
	p.nrows += len(rows)
	if flat := p.m.flat; flat != nil {
		addRowsFlat(p.hidden, flat, rows)
		return
	}
	in := p.m.input
	if q := in.q; q != nil && q.pairs8 != nil && len(p.hidden) == 16 {
		// dim 16 in pairs (lid.176's shape), the dispatch hoisted out.
		x := (*[8][2]float32)(unsafe.Pointer(unsafe.SliceData(p.hidden)))
		for _, r := range rows {
			o := int(r) * 8
			alpha := float32(1)
			if q.qnorm {
				alpha = q.normCentroids[q.normCodes[r]]
			}
			addPairs8(x, (*[8]byte)(q.codes[o:o+8]), q.pairs8, alpha)
		}
		return
	}
	for _, r := range rows {
		in.addRow(p.hidden, int(r))
	}
}

// ngramRow returns the input row of n-gram bucket id, or -1 when the model
// has none (pruned away, or no n-grams at all).
func (dc *dict) ngramRow(id int32) int32 {
	switch {
	case dc.pruned == 0:
		return -1
	case dc.pruned > 0:
		id = dc.pruneGet(id)
		if id < 0 {
			return -1
		}
	}
	return int32(dc.nwords) + id
}

// appendSubwords appends the rows of the character n-grams of
// "<"+tok+">" whose length in UTF-8 characters is in [minn, maxn], as
// Dictionary::computeSubwords. Bytes that are not valid UTF-8 count as
// they fall: a character is a byte that is not 10xxxxxx and the 10xxxxxx
// bytes after it.
func (p *Predictor) appendSubwords(rows []int32, tok []byte) []int32 {
	a := &p.m.args
	maxn, minn := a.Maxn, a.Minn
	dc := p.m.dict
	if maxn <= 0 || dc.pruned == 0 {
		return rows
	}
	w := append(p.buf[:0], '<')
	w = append(w, tok...)
	w = append(w, '>')
	p.buf = w
	var or byte
	for _, c := range tok {
		or |= c
	}
	if or >= 0x80 || minn < 2 || dc.pruned < 0 {
		return appendSubwordsUTF8(rows, w, minn, maxn, dc)
	}
	// ASCII, n-grams of two bytes or more, a pruned model (lid.176):
	// every byte is a character, and no n-gram is "<" or ">" alone.
	// Room for every n-gram is made first, so the loop never calls.
	at := len(rows)
	rows = slices.Grow(rows, (maxn-minn+1)*len(w))
	k := asciiRows(rows[at:cap(rows)], w, minn, maxn, dc)
	return rows[:at+k]
}

// asciiRows writes to out the rows of the n-grams of the ASCII word w (with
// its "<" and ">") of minn (>= 2) to maxn bytes, and returns their number.
// out has room for every n-gram.
//
// The bucket's row is looked up as dc.bucketRow does for a pruned model,
// written out here with the arrays as bare pointers: slice lengths and
// bounds checks would take registers the loop needs, and the compiler
// would keep its variables on the stack. Every index is in range: a bucket
// is below dc.bucket (pruneBits and pruneRank have dc.bucket/64+1
// entries), a set bit's rank is below len(pruneRows), and out has room.
func asciiRows(out []int32, w []byte, minn, maxn int, dc *dict) int {
	pbits := unsafe.Pointer(unsafe.SliceData(dc.pruneBits))
	rank := unsafe.Pointer(unsafe.SliceData(dc.pruneRank))
	prow := unsafe.Pointer(unsafe.SliceData(dc.pruneRows))
	o := unsafe.Pointer(unsafe.SliceData(out))
	mul, bucket, nwords := dc.bucketMod, uint64(dc.bucket), int32(dc.nwords)
	k := 0
	nw := len(w)
	for i := 0; i+minn <= nw; i++ {
		h := fnvBasis
		j := i
		for ; j < i+minn-1; j++ {
			h = fnvAdd(h, w[j])
		}
		for end := min(i+maxn, nw); j < end; j++ {
			h = fnvAdd(h, w[j])
			b, _ := bits.Mul64(mul*uint64(h), bucket)
			word := *(*uint64)(unsafe.Add(pbits, b>>6*8))
			if word&(1<<(b&63)) == 0 {
				continue
			}
			r := *(*uint32)(unsafe.Add(rank, b>>6*4)) + popcount(word&(1<<(b&63)-1))
			*(*int32)(unsafe.Add(o, k*4)) = nwords + *(*int32)(unsafe.Add(prow, r*4))
			k++
		}
	}
	return k
}

// popcount is bits.OnesCount64 without its test of the CPU, whose call to
// the fallback would make the compiler keep a loop's variables on the
// stack.
func popcount(x uint64) uint32 {
	x -= x >> 1 & 0x5555555555555555
	x = x&0x3333333333333333 + x>>2&0x3333333333333333
	x = (x + x>>4) & 0x0f0f0f0f0f0f0f0f
	return uint32(x * 0x0101010101010101 >> 56)
}

// bucketRow is ngramRow of the bucket of n-gram hash h, for a model with
// n-grams.
func (dc *dict) bucketRow(h uint32) int32 {
	b := dc.mod(h)
	if dc.pruned < 0 {
		return int32(dc.nwords) + int32(b)
	}
	w := dc.pruneBits[b>>6]
	if w&(1<<(b&63)) == 0 {
		return -1
	}
	return int32(dc.nwords) + dc.pruneRows[dc.pruneRank[b>>6]+popcount(w&(1<<(b&63)-1))]
}

// appendSubwordsUTF8 is appendSubwords counting UTF-8 characters, for any
// model.
func appendSubwordsUTF8(rows []int32, w []byte, minn, maxn int, dc *dict) []int32 {
	if dc.pruned > 0 && minn >= 1 {
		// Room for every n-gram first: a character starts at most at
		// every byte, with at most maxn-minn+1 n-grams from each.
		at := len(rows)
		rows = slices.Grow(rows, (maxn-minn+1)*len(w))
		k := utf8Rows(rows[at:cap(rows)], w, minn, maxn, dc)
		return rows[:at+k]
	}
	nw := len(w)
	for i := 0; i < nw; i++ {
		if w[i]&0xC0 == 0x80 {
			continue
		}
		h := fnvBasis
		j := i
		for n := 1; j < nw && n <= maxn; n++ {
			h = fnvAdd(h, w[j])
			j++
			for j < nw && w[j]&0xC0 == 0x80 {
				h = fnvAdd(h, w[j])
				j++
			}
			if n >= minn && !(n == 1 && (i == 0 || j == nw)) {
				if r := dc.bucketRow(h); r >= 0 {
					rows = append(rows, r)
				}
			}
		}
	}
	return rows
}

// utf8Rows is asciiRows for any bytes, counting UTF-8 characters, for a
// pruned model; minn >= 1. The same reasoning keeps its indexes in range.
func utf8Rows(out []int32, w []byte, minn, maxn int, dc *dict) int {
	pbits := unsafe.Pointer(unsafe.SliceData(dc.pruneBits))
	rank := unsafe.Pointer(unsafe.SliceData(dc.pruneRank))
	prow := unsafe.Pointer(unsafe.SliceData(dc.pruneRows))
	o := unsafe.Pointer(unsafe.SliceData(out))
	mul, bucket, nwords := dc.bucketMod, uint64(dc.bucket), int32(dc.nwords)
	k := 0
	nw := len(w)
	for i := 0; i < nw; i++ {
		if w[i]&0xC0 == 0x80 {
			continue
		}
		h := fnvBasis
		j := i
		for n := 1; j < nw && n <= maxn; n++ {
			h = fnvAdd(h, w[j])
			j++
			for j < nw && w[j]&0xC0 == 0x80 {
				h = fnvAdd(h, w[j])
				j++
			}
			if n < minn || n == 1 && (i == 0 || j == nw) {
				continue
			}
			b, _ := bits.Mul64(mul*uint64(h), bucket)
			word := *(*uint64)(unsafe.Add(pbits, b>>6*8))
			if word&(1<<(b&63)) == 0 {
				continue
			}
			r := *(*uint32)(unsafe.Add(rank, b>>6*4)) + popcount(word&(1<<(b&63)-1))
			*(*int32)(unsafe.Add(o, k*4)) = nwords + *(*int32)(unsafe.Add(prow, r*4))
			k++
		}
	}
	return k
}

func (p *Predictor) addWordNgrams() {
	n := p.m.args.WordNgrams
	bucket := uint64(p.m.args.Bucket)
	hs := p.hashes
	for i := range hs {
		// fastText widens the int32 hash to uint64 with sign extension.
		h := uint64(int64(int32(hs[i])))
		for j := i + 1; j < len(hs) && j < i+n; j++ {
			h = h*116049371 + uint64(int64(int32(hs[j])))
			if r := p.m.dict.ngramRow(int32(h % bucket)); r >= 0 {
				p.addRow(int(r))
			}
		}
	}
}

// predict turns p.hidden into the k best labels.
func (p *Predictor) predict(k int, threshold float32) []Prediction {
	p.preds = p.preds[:0]
	if p.nrows == 0 {
		return p.preds
	}
	m := p.m
	nl := len(m.dict.labels())
	if k <= 0 || k > nl {
		k = nl
	}
	scale := float32(1.0 / float64(p.nrows))
	for i := range p.hidden {
		p.hidden[i] *= scale
	}
	p.heap = p.heap[:0]
	if m.args.Loss == LossHS {
		p.dfs(k, stdLog(threshold), int32(2*nl-2), 0)
	} else {
		p.computeOutput()
		p.heap = findKBest(p.heap, k, threshold, p.out)
	}
	heapSort(p.heap)
	labels := m.dict.labels()
	for _, s := range p.heap {
		p.preds = append(p.preds, Prediction{Label: labels[s.id], Prob: expf(s.score)})
	}
	return p.preds
}

// LabelProb returns the probability of label (e.g. "__label__id") for the
// text of the last Predict or PredictText call on p, the value that call
// reports for it with k covering every label (a label it leaves out for
// scoring under 1e-5 gets its small probability here); false when the
// label is unknown or the text had no features. It is how a filter checks
// a few labels without ranking them all.
func (p *Predictor) LabelProb(label string) (float32, bool) {
	id, ok := p.m.labelIDs[label]
	if !ok || p.nrows == 0 {
		return 0, false
	}
	if p.m.args.Loss == LossHS {
		return expf(p.pathScore(id)), true
	}
	return expf(stdLog(p.out[id])), true
}

// AppendPredictions appends preds as `fasttext predict-prob` prints them
// ("label prob label prob ...\n", probabilities with 6 significant digits),
// or as `fasttext predict` does when probs is false.
func AppendPredictions(dst []byte, preds []Prediction, probs bool) []byte {
	for i, p := range preds {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, p.Label...)
		if probs {
			dst = append(dst, ' ')
			dst = strconv.AppendFloat(dst, float64(p.Prob), 'g', 6, 64)
		}
	}
	return append(dst, '\n')
}
