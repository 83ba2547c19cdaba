package fasttext

import "math"

const (
	sigmoidTableSize = 512
	maxSigmoid       = 8
)

// scored is a label index with its log-probability.
type scored struct {
	score float32
	id    int32
}

// initSigmoid fills the lookup table fastText's one-vs-all and
// negative-sampling losses predict with (they do not call exp).
func (m *Model) initSigmoid() {
	for i := range m.sigmoid {
		x := float32(float32(i*2*maxSigmoid)/sigmoidTableSize) - maxSigmoid
		m.sigmoid[i] = float32(1.0 / (1.0 + float64(expf(-x))))
	}
}

func (m *Model) sigmoidOf(x float32) float32 {
	switch {
	case x < -maxSigmoid:
		return 0
	case x > maxSigmoid:
		return 1
	}
	i := int64(float32(float32(float32(x+maxSigmoid)*sigmoidTableSize)/maxSigmoid) / 2)
	return m.sigmoid[i]
}

// buildTree builds the Huffman tree of hierarchical softmax from the label
// counts, exactly as fastText does (ties and all), since the tree decides
// which output row scores which branch.
func (m *Model) buildTree() {
	counts := m.dict.counts[m.dict.nwords:]
	osz := len(counts)
	n := 2*osz - 1
	cnt := make([]int64, n)
	m.left = make([]int32, n)
	m.right = make([]int32, n)
	m.parent = make([]int32, n)
	for i := range n {
		cnt[i] = 1e15
		m.left[i], m.right[i], m.parent[i] = -1, -1, -1
	}
	copy(cnt, counts)
	leaf, node := osz-1, osz
	for i := osz; i < n; i++ {
		var mini [2]int
		for j := range 2 {
			if leaf >= 0 && cnt[leaf] < cnt[node] {
				mini[j] = leaf
				leaf--
			} else {
				mini[j] = node
				node++
			}
		}
		m.left[i], m.right[i] = int32(mini[0]), int32(mini[1])
		cnt[i] = cnt[mini[0]] + cnt[mini[1]]
		m.parent[mini[0]], m.parent[mini[1]] = int32(i), int32(i)
	}
}

// The heap functions replay libstdc++'s push_heap, pop_heap and sort_heap
// with fastText's comparison (greater score first), so that labels with
// equal scores come out in the C++ program's order.

func heapLess(a, b scored) bool { return a.score > b.score }

func heapPushHole(h []scored, hole, top int, v scored) {
	parent := (hole - 1) / 2
	for hole > top && heapLess(h[parent], v) {
		h[hole] = h[parent]
		hole = parent
		parent = (hole - 1) / 2
	}
	h[hole] = v
}

func heapAdjust(h []scored, hole, n int, v scored) {
	top := hole
	second := hole
	for second < (n-1)/2 {
		second = 2 * (second + 1)
		if heapLess(h[second], h[second-1]) {
			second--
		}
		h[hole] = h[second]
		hole = second
	}
	if n&1 == 0 && second == (n-2)/2 {
		second = 2 * (second + 1)
		h[hole] = h[second-1]
		hole = second - 1
	}
	heapPushHole(h, hole, top, v)
}

// heapPush sifts up the last element.
func heapPush(h []scored) {
	n := len(h)
	heapPushHole(h, n-1, 0, h[n-1])
}

// heapPop moves the top to the end; the caller shortens the slice.
func heapPop(h []scored) {
	n := len(h)
	if n > 1 {
		v := h[n-1]
		h[n-1] = h[0]
		heapAdjust(h, 0, n-1, v)
	}
}

func heapSort(h []scored) {
	for n := len(h); n > 1; {
		n--
		v := h[n]
		h[n] = h[0]
		heapAdjust(h, 0, n, v)
	}
}

// pushTop adds s to the k-best heap.
func pushTop(heap []scored, k int, s scored) []scored {
	heap = append(heap, s)
	heapPush(heap)
	if len(heap) > k {
		heapPop(heap)
		heap = heap[:len(heap)-1]
	}
	return heap
}

// findKBest is Loss::findKBest over per-label probabilities.
func findKBest(heap []scored, k int, threshold float32, out []float32) []scored {
	for i, p := range out {
		if p < threshold {
			continue
		}
		lp := stdLog(p)
		if len(heap) == k && lp < heap[0].score {
			continue
		}
		heap = pushTop(heap, k, scored{lp, int32(i)})
	}
	return heap
}

// dfs walks the hierarchical-softmax tree from node, pruning branches that
// cannot enter the k best (or fall under the threshold).
func (p *Predictor) dfs(k int, logThreshold float32, node int32, score float32) {
	m := p.m
	if score < logThreshold {
		return
	}
	if len(p.heap) == k && score < p.heap[0].score {
		return
	}
	l, r := m.left[node], m.right[node]
	if l == -1 && r == -1 {
		p.heap = pushTop(p.heap, k, scored{score, node})
		return
	}
	f := m.output.dotRow(p.hidden, int(node)-len(m.dict.labels()))
	f = float32(1.0 / float64(1+expf(-f)))
	p.dfs(k, logThreshold, l, score+stdLog(float32(1.0-float64(f))))
	p.dfs(k, logThreshold, r, score+stdLog(f))
}

// computeOutput fills p.out with per-label probabilities (softmax, ova, ns).
func (p *Predictor) computeOutput() {
	m := p.m
	out := p.out
	for i := range out {
		out[i] = m.output.dotRow(p.hidden, i)
	}
	if m.args.Loss == LossSoftmax {
		max := out[0]
		for _, v := range out {
			if !(v < max) { // std::max(v, max)
				max = v
			}
		}
		var z float32
		for i, v := range out {
			// C's exp(double): the float difference is widened first.
			out[i] = float32(math.Exp(float64(v - max)))
			z += out[i]
		}
		for i := range out {
			out[i] /= z
		}
		return
	}
	for i, v := range out {
		out[i] = m.sigmoidOf(v)
	}
}

// pathScore is the log-probability dfs gives leaf label: the same sums,
// from the root down, so the value is identical to the one Predict reports.
func (p *Predictor) pathScore(label int32) float32 {
	m := p.m
	nodes := p.path[:0]
	for n := label; m.parent[n] >= 0; n = m.parent[n] {
		nodes = append(nodes, n)
	}
	p.path = nodes
	osz := len(m.dict.labels())
	var score float32
	for i := len(nodes) - 1; i >= 0; i-- {
		child := nodes[i]
		node := m.parent[child]
		f := m.output.dotRow(p.hidden, int(node)-osz)
		f = float32(1.0 / float64(1+expf(-f)))
		if child == m.left[node] {
			score += stdLog(float32(1.0 - float64(f)))
		} else {
			score += stdLog(f)
		}
	}
	return score
}
