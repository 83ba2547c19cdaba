package repair

import (
	"context"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/saring/saring"
)

// RepetitionOptions configure the repetition_repair step.
type RepetitionOptions struct {
	MinBlockLines    int     `yaml:"min_block_lines" doc:"a repeated run of lines is removed when it has at least this many lines and min_block_chars characters"`
	MinBlockChars    int     `yaml:"min_block_chars" doc:"a repeated run of lines is removed when it has at least this many characters and min_block_lines lines"`
	MinLineChars     int     `yaml:"min_line_chars" doc:"a single repeated line is removed when it has at least this many characters (short repeats such as \"Yes.\" stay)"`
	Similarity       float64 `yaml:"similarity" doc:"inside a repeated run, a line whose word-set Jaccard similarity to its counterpart reaches this counts as repeated"`
	Sentences        bool    `yaml:"sentences" doc:"also find re-wrapped copies: lines whose sentences all occurred earlier are repeats"`
	MaxRecordedChars int     `yaml:"max_recorded_chars" doc:"at most this many characters of removed text are listed in metadata.repairs"`
}

// Validate checks the option values.
func (o *RepetitionOptions) Validate() error {
	switch {
	case o.MinBlockLines < 1:
		return &saring.FieldError{Field: "min_block_lines", Msg: "must be >= 1"}
	case o.MinBlockChars < 0:
		return &saring.FieldError{Field: "min_block_chars", Msg: "must be >= 0"}
	case o.MinLineChars < 1:
		return &saring.FieldError{Field: "min_line_chars", Msg: "must be >= 1"}
	case o.Similarity <= 0 || o.Similarity > 1:
		return &saring.FieldError{Field: "similarity", Msg: "must be in (0, 1]"}
	case o.MaxRecordedChars < 0:
		return &saring.FieldError{Field: "max_recorded_chars", Msg: "must be >= 0"}
	}
	return nil
}

// DefaultRepetitionOptions returns the defaults of repetition_repair.
func DefaultRepetitionOptions() RepetitionOptions {
	return RepetitionOptions{
		MinBlockLines:    2,
		MinBlockChars:    200,
		MinLineChars:     50,
		Similarity:       0.8,
		Sentences:        true,
		MaxRecordedChars: 20000,
	}
}

func repetitionSpec() saring.Spec {
	return saring.NewSpec("repetition_repair",
		"removes repeated lines, paragraphs and repeated bodies (exact, cut or re-wrapped), keeping the first copy",
		DefaultRepetitionOptions,
		func(o RepetitionOptions, _ saring.Env) (*Repetition, error) { return NewRepetition(o), nil })
}

// Repetition is the repetition_repair step. It keeps the first occurrence of
// repeated text and removes later ones, in three passes over the lines:
//
//  1. Runs. Lines are compared by a key that ignores case, whitespace and
//     punctuation. A run of lines that already occurred as a run earlier is
//     removed when it has min_block_lines lines and min_block_chars characters;
//     a single repeated line is removed when it has min_line_chars characters.
//     Inside a run, a line that differs slightly from its counterpart (word-set
//     similarity >= similarity) still counts, so a copy with small edits goes
//     as a whole. A copy that was cut mid-line loses the cut line too: the line
//     before a removed run is removed if it is the end of the line before the
//     earlier run, the line after it if it is the start of the line after.
//  2. Sentences. The text is split into sentences, across line breaks, so a
//     copy wrapped at other columns has the same sentences. A line whose
//     sentences all occurred earlier is a repeat; consecutive such lines are
//     removed on the same length rules as runs. A sentence cut by the copy
//     counts as repeated when it is the end (start) of the sentence that came
//     before (after) the earlier copy of its repeated neighbour.
//  3. Blank lines left around removed lines are tidied.
//
// Lines without letters or digits never start a match, so separators and
// empty lines do not glue unrelated text together. Short repeats ("Yes.",
// a refrain, "Reply") stay because of the length rules.
type Repetition struct {
	opts RepetitionOptions
}

// NewRepetition returns a repetition_repair step; opts must be valid.
func NewRepetition(opts RepetitionOptions) *Repetition { return &Repetition{opts: opts} }

func (r *Repetition) Name() string { return "repetition_repair" }

// maxCandidates bounds the earlier occurrences tried for a line, so that a
// page repeating one line thousands of times stays linear.
const maxCandidates = 16

// repetitionPlan is the analysis of one text. Its slices and maps are
// reused from document to document through planPool.
type repetitionPlan struct {
	lines   []span
	removed []bool
	n       int // lines removed

	infos      []lineInfo
	sents      []sentence
	cidx, prev []int32
	firstSent  []int32
	rem, fresh []bool
	last       map[uint64]int32
}

var planPool = sync.Pool{New: func() any {
	return &repetitionPlan{last: map[uint64]int32{}}
}}

// resize returns b with length n, all false, reusing its storage.
func resize(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// release returns a plan to the pool; very large plans are left to the GC.
func (p *repetitionPlan) release() {
	if len(p.lines) > 1<<16 {
		return
	}
	clear(p.last)
	planPool.Put(p)
}

// plan finds the lines to remove; call release on the result when done.
func (r *Repetition) plan(s string) *repetitionPlan {
	p := planPool.Get().(*repetitionPlan)
	p.n = 0
	p.lines = splitLines(s, p.lines[:0])
	lines := p.lines
	p.infos, p.sents = scanText(s, lines, p.infos[:0], p.sents[:0])
	infos, sents := p.infos, p.sents
	p.removed = resize(p.removed, len(lines))

	// Content lines, in order, and for each the previous one with the same key.
	cidx := p.cidx[:0]
	for i, in := range infos {
		if in.content > 0 {
			cidx = append(cidx, int32(i))
		}
	}
	p.cidx = cidx
	m := len(cidx)
	if m < 2 {
		return p
	}
	if cap(p.prev) < m {
		p.prev = make([]int32, m)
	}
	prev := p.prev[:m]
	last := p.last
	for k, li := range cidx {
		key := infos[li].key
		if q, ok := last[key]; ok {
			prev[k] = q
		} else {
			prev[k] = -1
		}
		last[key] = int32(k)
	}
	key := func(k int) uint64 { return infos[cidx[k]].key }
	text := func(k int) string { ln := lines[cidx[k]]; return s[ln.start:ln.end] }
	// similar is only tried for lines long enough to carry a small edit.
	similar := func(a, b int) bool {
		if infos[cidx[a]].runes < 20 || infos[cidx[b]].runes < 20 {
			return false
		}
		return jaccard(wordSet(text(a)), wordSet(text(b))) >= r.opts.Similarity
	}
	p.rem = resize(p.rem, m)
	rem := p.rem // by content index
	mark := func(k int) {
		if !rem[k] {
			rem[k] = true
			p.removed[cidx[k]] = true
			p.n++
		}
	}

	for j := 0; j < m; {
		best, bestP := 0, -1
		tries := 0
		for q32 := prev[j]; q32 >= 0 && tries < maxCandidates; q32 = prev[q32] {
			tries++
			q := int(q32)
			L := 0
			for j+L < m && q+L < j && (key(q+L) == key(j+L) || (L > 0 && similar(q+L, j+L))) {
				L++
			}
			if L > best {
				best, bestP = L, q
			}
		}
		if best == 0 {
			j++
			continue
		}
		chars := 0
		for k := j; k < j+best; k++ {
			chars += infos[cidx[k]].runes
		}
		if best >= r.opts.MinBlockLines && chars >= r.opts.MinBlockChars {
			for k := j; k < j+best; k++ {
				mark(k)
			}
			// Separator lines inside the run go with it.
			for li := cidx[j] + 1; li < cidx[j+best-1]; li++ {
				if infos[li].content == 0 && !isBlank(s[lines[li].start:lines[li].end]) && !p.removed[li] {
					p.removed[li] = true
					p.n++
				}
			}
			// A copy cut inside a line: the fragment before or after the run.
			if b, e := j-1, bestP-1; b >= 0 && e >= 0 && b != e && !rem[b] && r.fragment(text(b), text(e), true) {
				mark(b)
			}
			if a, e := j+best, bestP+best; a < m && e < j && !rem[a] && r.fragment(text(a), text(e), false) {
				mark(a)
			}
			j += best
			continue
		}
		if infos[cidx[j]].runes >= r.opts.MinLineChars {
			mark(j)
		}
		j++
	}

	if r.opts.Sentences && len(sents) > 1 {
		r.planSentences(p, s, infos, cidx, sents)
	}
	return p
}

// sentenceRepeats decides whether a sentence that did not occur before is
// still part of a copy:
//
//   - a copy cut inside a sentence starts with the end of a sentence (or ends
//     with the start of one) that occurred in full earlier, just before
//     (after) the earlier copy of its repeated neighbour;
//   - a sentence with a small edit next to a repeated one has nearly the same
//     words as the sentence at its place in the earlier copy;
//   - lines without end punctuation glue a cut piece to the lines before it,
//     so the piece on the sentence's last (first) line is tried too: then
//     only the lines before (after) that piece are fresh, and *from or *to
//     is moved.
func (r *Repetition) sentenceRepeats(p *repetitionPlan, s string, sents []sentence, first []int32, k int, from, to *int32) bool {
	st := sents[k]
	repeated := func(k int) bool { return k >= 0 && k < len(sents) && int(first[k]) != k }
	before := repeated(k+1) && first[k+1] > 0       // the earlier copy has a sentence before k+1's
	after := repeated(k-1) && int(first[k-1])+1 < k // and one after k-1's
	if before && r.sentenceFragment(s, st.start, st.end, sents[first[k+1]-1], true) ||
		after && r.sentenceFragment(s, st.start, st.end, sents[first[k-1]+1], false) ||
		r.nearSentence(s, st, sents, first, k) {
		return true
	}
	if st.last > st.first {
		if before && r.sentenceFragment(s, int32(p.lines[st.last].start), st.end, sents[first[k+1]-1], true) {
			*to = st.last - 1
		} else if after && r.sentenceFragment(s, st.start, int32(p.lines[st.first].end), sents[first[k-1]+1], false) {
			*from = st.first + 1
		}
	}
	return false
}

// nearSentence reports whether sentence k, next to a repeated sentence, has
// nearly the same words as the sentence at its place in the earlier copy.
func (r *Repetition) nearSentence(s string, st sentence, sents []sentence, first []int32, k int) bool {
	if st.end-st.start < 20 {
		return false
	}
	var words []uint64
	near := func(c int32) bool {
		if words == nil {
			words = wordSet(s[st.start:st.end])
		}
		e := sents[c]
		return jaccard(words, wordSet(s[e.start:e.end])) >= r.opts.Similarity
	}
	if k+1 < len(sents) && int(first[k+1]) < k+1 && first[k+1] > 0 && near(first[k+1]-1) {
		return true
	}
	return k > 0 && int(first[k-1]) < k-1 && near(first[k-1]+1)
}

// sentenceFragment reports whether s[start:end] is the end (suffix) or the
// start of sentence whole, ignoring case, spaces and punctuation.
func (r *Repetition) sentenceFragment(s string, start, end int32, whole sentence, suffix bool) bool {
	if end-start >= whole.end-whole.start || start >= end {
		return false
	}
	a, b := normKey(s[start:end]), normKey(s[whole.start:whole.end])
	if len(a) < 8 || len(a) >= len(b) {
		return false
	}
	if suffix {
		return strings.HasSuffix(b, a)
	}
	return strings.HasPrefix(b, a)
}

// fragment reports whether line is a cut piece of whole: its end (suffix) or
// its start, or a near copy of it.
func (r *Repetition) fragment(line, whole string, suffix bool) bool {
	a, b := normKey(line), normKey(whole)
	if len(a) >= 8 && len(a) < len(b) {
		if suffix && strings.HasSuffix(b, a) || !suffix && strings.HasPrefix(b, a) {
			return true
		}
	}
	return jaccard(wordSet(line), wordSet(whole)) >= r.opts.Similarity
}

// planSentences removes lines whose sentences all occurred earlier.
func (r *Repetition) planSentences(p *repetitionPlan, s string, infos []lineInfo, cidx []int32, sents []sentence) {
	// first[k] is the index of the first sentence with sents[k]'s key.
	if cap(p.firstSent) < len(sents) {
		p.firstSent = make([]int32, len(sents))
	}
	first := p.firstSent[:len(sents)]
	seen := p.last // reused: the run pass is done with it
	clear(seen)
	repeats := 0
	for k, st := range sents {
		if e, ok := seen[st.key]; ok {
			first[k] = e
			repeats++
		} else {
			seen[st.key] = int32(k)
			first[k] = int32(k)
		}
	}
	if repeats == 0 {
		return
	}
	repeated := func(k int) bool { return k >= 0 && k < len(sents) && int(first[k]) != k }
	p.fresh = resize(p.fresh, len(p.lines))
	fresh := p.fresh // the line overlaps a first occurrence
	for k, st := range sents {
		if repeated(k) {
			continue
		}
		from, to := st.first, st.last
		if r.sentenceRepeats(p, s, sents, first, k, &from, &to) {
			continue
		}
		for l := from; l <= to; l++ {
			fresh[l] = true
		}
	}
	var group []int32
	flush := func() {
		if len(group) == 0 {
			return
		}
		chars := 0
		for _, li := range group {
			chars += infos[li].runes
		}
		whole := len(group) >= r.opts.MinBlockLines && chars >= r.opts.MinBlockChars
		for _, li := range group {
			if whole || infos[li].runes >= r.opts.MinLineChars {
				p.removed[li] = true
				p.n++
			}
		}
		group = group[:0]
	}
	for _, li := range cidx {
		switch {
		case p.removed[li]:
			// Already removed by the run pass: neither breaks nor joins a group.
		case fresh[li]:
			flush()
		default:
			group = append(group, li)
		}
	}
	flush()
}

func (r *Repetition) Process(_ context.Context, doc *saring.Document) (saring.Result, error) {
	p := r.plan(doc.Text)
	defer p.release()
	rec := recorder{step: "repetition_repair", budget: r.opts.MaxRecordedChars}
	for i, gone := range p.removed {
		if gone {
			rec.add(i, doc.Text[p.lines[i].start:p.lines[i].end])
		}
	}
	doc.Record("repetition_repair", "removed_lines", float64(rec.lines))
	doc.Record("repetition_repair", "removed_chars", float64(rec.chars))
	if p.n == 0 {
		return saring.Kept(), nil
	}
	rec.save(doc)
	doc.Text = rebuild(doc.Text, p.lines, p.removed)
	if strings.TrimSpace(doc.Text) == "" {
		return saring.Dropped("empty_after_repair", "nothing left after removing %d repeated lines", rec.lines), nil
	}
	return saring.Rewritten(), nil
}

// Explain shows how much repetition_repair would remove.
func (r *Repetition) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	p := r.plan(doc.Text)
	defer p.release()
	chars, left := 0, 0
	for i, ln := range p.lines {
		n := utf8.RuneCountInString(doc.Text[ln.start:ln.end])
		if p.removed[i] {
			chars += n
		} else if !isBlank(doc.Text[ln.start:ln.end]) {
			left += n
		}
	}
	return []saring.Check{
		{Rule: "removed_lines", Value: float64(p.n), Op: ">=", Threshold: 0, Pass: true, Note: "repeated lines removed (first occurrence kept); the document is rewritten, not dropped"},
		{Rule: "removed_chars", Value: float64(chars), Op: ">=", Threshold: 0, Pass: true, Note: "characters in removed lines"},
		{Rule: "remaining_chars", Value: float64(left), Op: ">", Threshold: 0, Pass: left > 0 || p.n == 0, Note: "dropped as empty_after_repair when nothing is left"},
	}, nil
}
