package tokenize

// A part is a run of the piece's bytes that is one token so far. Parts form a
// doubly linked list over a slice; merging keeps the left part and marks the
// right one dead.
type part struct {
	start, end int32
	id         int32
	prev, next int32
	dead       bool
	// With mergeScan: the rank and id of merging with the next part
	// (rank noMerge when they do not merge).
	rank, mergeID int32
}

const noMerge = int32(^uint32(0) >> 1)

// merger ranks the merge of two adjacent parts: ok false when they do not
// merge, else the merge's rank (lower merges first) and the merged token's id.
type merger interface {
	rank(piece string, l, r *part) (rank, id int32, ok bool)
}

// heapAbove is the number of parts from which merging uses a heap rather than
// a scan of every adjacent pair per merge; both give the same result.
const heapAbove = 48

// bpe merges the parts of piece (one per initial symbol, ids set) by lowest
// rank, leftmost first on equal ranks, until no adjacent pair merges, and
// returns the resulting ids.
func bpe(piece string, parts []part, m merger) []int32 {
	if len(parts) > heapAbove {
		mergeHeap(piece, parts, m)
	} else {
		mergeScan(piece, parts, m)
	}
	n := 0
	for i := 0; i >= 0 && i < len(parts); i = int(parts[i].next) {
		n++
	}
	ids := make([]int32, 0, n)
	for i := 0; i >= 0 && i < len(parts); i = int(parts[i].next) {
		ids = append(ids, parts[i].id)
	}
	return ids
}

func link(parts []part) {
	for i := range parts {
		parts[i].prev = int32(i - 1)
		parts[i].next = int32(i + 1)
		parts[i].dead = false
	}
	if len(parts) > 0 {
		parts[len(parts)-1].next = -1
	}
}

func mergeInto(parts []part, l int32, id int32) {
	p := &parts[l]
	r := p.next
	q := &parts[r]
	p.end = q.end
	p.id = id
	p.next = q.next
	q.dead = true
	if q.next >= 0 {
		parts[q.next].prev = l
	}
}

// mergeScan: tiktoken's loop, quadratic in the parts but with each pair
// ranked once.
func mergeScan(piece string, parts []part, m merger) {
	link(parts)
	setRank := func(i int32) {
		p := &parts[i]
		p.rank = noMerge
		if p.next >= 0 {
			if rk, id, ok := m.rank(piece, p, &parts[p.next]); ok {
				p.rank, p.mergeID = rk, id
			}
		}
	}
	for i := range parts {
		setRank(int32(i))
	}
	for {
		best, bestRank := int32(-1), noMerge
		for i := int32(0); i >= 0; i = parts[i].next {
			if parts[i].rank < bestRank {
				best, bestRank = i, parts[i].rank
			}
		}
		if best < 0 {
			return
		}
		mergeInto(parts, best, parts[best].mergeID)
		setRank(best)
		if pv := parts[best].prev; pv >= 0 {
			setRank(pv)
		}
	}
}

type cand struct {
	rank, id   int32
	l, r       int32
	lEnd, rEnd int32 // the parts' ends when ranked: a changed part makes it stale
	lStart     int32
}

// candHeap is a binary min-heap of candidates by (rank, lStart).
type candHeap []cand

func (h candHeap) less(i, j int) bool {
	if h[i].rank != h[j].rank {
		return h[i].rank < h[j].rank
	}
	return h[i].lStart < h[j].lStart
}

func (h *candHeap) push(c cand) {
	*h = append(*h, c)
	q := *h
	for i := len(q) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
}

func (h *candHeap) pop() cand {
	q := *h
	top := q[0]
	n := len(q) - 1
	q[0] = q[n]
	q = q[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && q.less(r, l) {
			m = r
		}
		if !q.less(m, i) {
			break
		}
		q[i], q[m] = q[m], q[i]
		i = m
	}
	*h = q
	return top
}

// mergeHeap gives mergeScan's result in O(n log n).
func mergeHeap(piece string, parts []part, m merger) {
	link(parts)
	h := make(candHeap, 0, len(parts))
	push := func(l int32) {
		if l < 0 {
			return
		}
		r := parts[l].next
		if r < 0 {
			return
		}
		if rk, id, ok := m.rank(piece, &parts[l], &parts[r]); ok {
			h.push(cand{rank: rk, id: id, l: l, r: r, lEnd: parts[l].end, rEnd: parts[r].end, lStart: parts[l].start})
		}
	}
	for i := range parts {
		push(int32(i))
	}
	for len(h) > 0 {
		c := h.pop()
		lp, rp := &parts[c.l], &parts[c.r]
		if lp.dead || rp.dead || lp.next != c.r || lp.end != c.lEnd || rp.end != c.rEnd {
			continue
		}
		mergeInto(parts, c.l, c.id)
		push(parts[c.l].prev)
		push(c.l)
	}
}
