package fasttext

import (
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
	rows    []int32
	buckets []int32
	path    []int32
	cache   tokenCache
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
	p, _ := m.pool.Get().(*Predictor)
	if p == nil {
		p = m.NewPredictor()
	}
	preds := append([]Prediction(nil), p.Predict(text, k, threshold)...)
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
	p, _ := m.pool.Get().(*Predictor)
	if p == nil {
		p = m.NewPredictor()
	}
	preds := append([]Prediction(nil), p.PredictText(text, k, threshold)...)
	m.pool.Put(p)
	return preds
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
func (p *Predictor) lineWith(class *[256]uint8, data []byte, pos int, newline bool) int {
	m := p.m
	dc := m.dict
	clear(p.hidden)
	p.nrows = 0
	p.hashes = p.hashes[:0]
	n := len(data)
	for {
		// readWord: skip separators; a newline before any byte is the
		// end-of-sentence token itself.
		i := pos
		for i < n && class[data[i]] == classSpace {
			i++
		}
		var tok []byte
		switch {
		case i < n && class[data[i]] == classNewline, i == n && newline:
			tok = eosBytes
			pos = i + 1
		case i >= n:
			pos = i
		default:
			start := i
			for i < n && class[data[i]] == 0 {
				i++
			}
			tok = data[start:i]
			pos = i
			if i < n && class[data[i]] != classNewline {
				pos++ // the separator is consumed; a newline is put back
			}
		}
		if tok == nil {
			break // end of input
		}
		if string(tok) == eosWord {
			// The end-of-sentence token has no character n-grams.
			if m.eosID >= 0 {
				p.addRow(int(m.eosID))
			}
			p.hashes = append(p.hashes, m.eosHash)
			break
		}
		h := fnv(tok)
		if rows, ok := p.cache.get(tok, h); ok {
			p.addRows(rows)
			p.hashes = append(p.hashes, h)
			continue
		}
		wid := dc.find(tok, h)
		isWord := wid < 0 && !hasLabelPrefix(tok) || wid >= 0 && dc.types[wid] == typeWord
		if !isWord {
			continue // labels in the text are not features
		}
		rows := p.rows[:0]
		if wid >= 0 {
			rows = append(rows, wid)
		}
		rows = p.appendSubwords(rows, tok)
		p.rows = rows
		p.addRows(rows)
		p.hashes = append(p.hashes, h)
		p.cache.put(tok, h, rows)
	}
	if m.args.WordNgrams > 1 {
		p.addWordNgrams()
	}
	p.shrink()
	return pos
}

// shrink drops buffers that one huge line grew, so that a long-lived
// Predictor does not keep them.
func (p *Predictor) shrink() {
	const limit = 1 << 20
	if cap(p.buckets) > limit {
		p.buckets = nil
	}
	if cap(p.rows) > limit {
		p.rows = nil
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
	p.m.input.addRow(p.hidden, row)
	p.nrows++
}

func (p *Predictor) addRows(rows []int32) {
	in := p.m.input
	p.nrows += len(rows)
	if q := in.q; q != nil && q.pairs8 != nil && len(p.hidden) == 16 {
		// lid.176's shape, with the per-row dispatch hoisted out.
		x := (*[8][2]float32)(unsafe.Pointer(unsafe.SliceData(p.hidden)))
		for _, r := range rows {
			o := int(r) * 8
			code := (*[8]byte)(q.codes[o : o+8])
			alpha := float32(1)
			if q.qnorm {
				alpha = q.normCentroids[q.normCodes[r]]
			}
			addPairs8(x, code, q.pairs8, alpha)
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
	if maxn <= 0 {
		return rows
	}
	w := append(p.buf[:0], '<')
	w = append(w, tok...)
	w = append(w, '>')
	p.buf = w
	dc := p.m.dict
	if dc.pruned == 0 {
		return rows
	}
	// First the n-grams' buckets, then their rows: two tight loops.
	buckets := p.buckets[:0]
	nw := len(w)
	var or byte
	for _, c := range tok {
		or |= c
	}
	if or < 0x80 {
		// ASCII: every byte is a character.
		lo := max(minn, 1)
		for i := 0; i < nw; i++ {
			h := fnvBasis
			end := min(i+maxn, nw)
			j := i
			for ; j < end && j-i+1 < lo; j++ {
				h = fnvAdd(h, w[j])
			}
			for ; j < end; j++ {
				h = fnvAdd(h, w[j])
				if j == i && (i == 0 || j+1 == nw) {
					continue // "<" or ">" alone
				}
				buckets = append(buckets, int32(dc.mod(h)))
			}
		}
	} else {
		buckets = appendBucketsUTF8(buckets, w, minn, maxn, dc)
	}
	p.buckets = buckets
	nwords := int32(dc.nwords)
	if dc.pruned < 0 {
		for _, b := range buckets {
			rows = append(rows, nwords+b)
		}
		return rows
	}
	// pruneGet's filter test, inlined: most buckets stop here.
	bits, shift := dc.pruneBits, dc.pruneBitsShift
	for _, b := range buckets {
		f := uint32(b) * pruneBitMul >> shift
		if bits[f>>6]&(1<<(f&63)) == 0 {
			continue
		}
		if r := dc.pruneProbe(b); r >= 0 {
			rows = append(rows, nwords+r)
		}
	}
	return rows
}

// appendBucketsUTF8 appends the buckets of w's n-grams counted in UTF-8
// characters.
func appendBucketsUTF8(buckets []int32, w []byte, minn, maxn int, dc *dict) []int32 {
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
				buckets = append(buckets, int32(dc.mod(h)))
			}
		}
	}
	return buckets
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
