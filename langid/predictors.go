package langid

import (
	"sync"

	"github.com/saring/saring/fasttext"
)

// predictors hands out fastText predictors, one per document in flight,
// and keeps every one it made. Unlike a sync.Pool, which the garbage
// collector empties, it never drops one: a predictor's word cache (2 MiB)
// is what makes it fast, and rebuilding it cold after each collection
// would cost more than the documents between two collections. It holds at
// most as many predictors as documents were ever in flight at once (the
// number of workers).
type predictors struct {
	m    *fasttext.Model
	mu   sync.Mutex
	free []*fasttext.Predictor
}

func (ps *predictors) get() *fasttext.Predictor {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if n := len(ps.free); n > 0 {
		p := ps.free[n-1]
		ps.free = ps.free[:n-1]
		return p
	}
	return ps.m.NewPredictor()
}

func (ps *predictors) put(p *fasttext.Predictor) {
	ps.mu.Lock()
	ps.free = append(ps.free, p)
	ps.mu.Unlock()
}
