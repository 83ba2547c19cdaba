package dedup

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/zeebo/xxh3"
)

// LSHConfig is what the signature and cluster stages of one run must agree on.
type LSHConfig struct {
	Signer      SignerConfig
	Bands, Rows int  // bands × rows ≤ Signer.Permutations
	PerLanguage bool // only documents of the same language are compared
	// Sketch is the number of smallest distinct shingle values kept per
	// document for verification (0: verify by the signature estimate).
	Sketch int
	// Decide holds the decision stage's rules; they travel with the
	// banding so that every form of the step decides alike.
	Decide DecideConfig
}

// DecideConfig is how the decision stage judges candidate pairs and
// clusters (beyond ClusterConfig.Threshold, the Jaccard similarity a pair
// must reach).
type DecideConfig struct {
	// Containment, when > 0, also accepts a pair when at least this
	// fraction of the smaller document's shingles is in the larger (copies
	// cut short), if the smaller has at least MinContainShingles.
	Containment float64
	// RepSimilarity, when > 0, checks every member of a cluster against the
	// cluster's kept document: a member below this Jaccard similarity (and
	// below Containment) is split off, with the others that fail, into
	// clusters of their own.
	RepSimilarity float64
	// LargeCluster is the size above which a cluster is counted in
	// ClusterStats.LargeClusters (0: DefaultLargeCluster).
	LargeCluster int
}

// MinContainShingles is the fewest distinct shingles a document needs for
// the containment rule: a text of a handful of words is contained in too
// many others.
const MinContainShingles = 16

// DefaultLargeCluster is the cluster size counted as large when
// DecideConfig.LargeCluster is 0.
const DefaultLargeCluster = 1000

func (c LSHConfig) check() error {
	if c.Bands < 1 || c.Rows < 1 || c.Bands*c.Rows > c.Signer.Permutations || c.Bands > 255 {
		return fmt.Errorf("minhash: bands=%d rows=%d do not fit %d permutations (bands ≤ 255)",
			c.Bands, c.Rows, c.Signer.Permutations)
	}
	if c.Sketch < 0 || c.Sketch > 1<<16 {
		return fmt.Errorf("minhash: sketch = %d, want 0..65536", c.Sketch)
	}
	return nil
}

// sigShards spreads concurrent Add calls over independent locks and files.
// The number is fixed so that a task's files do not depend on the machine;
// which shard a document lands in has no effect on any decision.
const sigShards = 16

// SignatureWriter is the first MinHash stage for one task: it signs
// documents and writes, under its directory, sorted band-key runs
// (spilled whenever the memory budget is reached), the compact signatures
// and the document IDs. Add is safe for concurrent use.
type SignatureWriter struct {
	dir      string
	cfg      LSHConfig
	signer   *Signer
	perShard int // band records a shard buffers before spilling a run
	shards   [sigShards]sigShard
	pool     sync.Pool
	closed   bool
	// NoSync skips fsync of the task's files. A run that restarts from
	// scratch after a crash (the minhash step inside one process) does not
	// need durable files; tasks resumed across processes do.
	NoSync bool
}

type sigShard struct {
	mu     sync.Mutex
	recs   []bandRec
	runs   int
	sigs   *checkedWriter
	ids    *checkedWriter
	sketch *checkedWriter // nil without sketches
	docs   int
	failed error
}

type addScratch struct {
	sig    []uint64
	keys   []uint64
	rec    []byte
	sketch []uint32
	sk     []byte
}

// NewSignatureWriter starts (or restarts from scratch) the task whose files
// live in dir. memoryBytes bounds the band records held before spilling
// (0: 1 GiB).
func NewSignatureWriter(dir string, cfg LSHConfig, memoryBytes int64) (*SignatureWriter, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	signer, err := NewSigner(cfg.Signer)
	if err != nil {
		return nil, err
	}
	// A restarted task must not mix files from an earlier, unfinished attempt.
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if memoryBytes <= 0 {
		memoryBytes = 1 << 30
	}
	w := &SignatureWriter{dir: dir, cfg: cfg, signer: signer}
	w.perShard = int(max(memoryBytes/sigShards/bandRecSize, 256))
	k := cfg.Signer.Permutations
	w.pool.New = func() any {
		return &addScratch{sig: make([]uint64, k), keys: make([]uint64, cfg.Bands), rec: make([]byte, sigRecHeader+4*k)}
	}
	for i := range w.shards {
		s := &w.shards[i]
		if s.sigs, err = createChecked(filepath.Join(dir, fmt.Sprintf("sigs-%02d.bin", i)), kindSigs); err != nil {
			return nil, err
		}
		if s.ids, err = createChecked(filepath.Join(dir, fmt.Sprintf("ids-%02d.bin", i)), kindIDs); err != nil {
			return nil, err
		}
		if cfg.Sketch > 0 {
			if s.sketch, err = createChecked(filepath.Join(dir, fmt.Sprintf("sketch-%02d.bin", i)), kindSketch); err != nil {
				return nil, err
			}
		}
	}
	return w, nil
}

// kindSketch files hold, per document in the order of its shard's
// signature file, min(distinct, Sketch) sorted uint32 shingle values.
const kindSketch byte = 'K'

// sigRecHeader is seq, rank, the number of distinct shingle values and the
// offset of the document's sketch in its shard's sketch file (0 without
// sketches), before the compact slots of a signature record.
const sigRecHeader = 28

func langKey(lang string) uint64 {
	if lang == "" {
		return 0
	}
	return xxh3.HashString(lang)
}

// Add signs one document. rank orders documents of a cluster for the keep
// policy (higher is kept; ties go to the smaller seq). Documents without a
// single word are skipped: they are nobody's duplicate here.
func (w *SignatureWriter) Add(seq uint64, id, text, lang string, rank int64) error {
	sc := w.pool.Get().(*addScratch)
	defer w.pool.Put(sc)
	n, sketch, distinct := w.signer.SignSketch(text, sc.sig, sc.sketch[:0], w.cfg.Sketch)
	sc.sketch = sketch
	if n == 0 {
		return nil
	}
	if w.cfg.Sketch == 0 {
		// Without a sketch the shingle count (repeats are rare in prose)
		// stands in for the distinct count in the containment estimate.
		distinct = n
	}
	var lk uint64
	if w.cfg.PerLanguage {
		lk = langKey(lang)
	}
	bandKeys(sc.sig, w.cfg.Bands, w.cfg.Rows, lk, sc.keys)
	binary.LittleEndian.PutUint64(sc.rec[0:], seq)
	binary.LittleEndian.PutUint64(sc.rec[8:], uint64(rank))
	binary.LittleEndian.PutUint32(sc.rec[16:], uint32(distinct))
	if w.cfg.Sketch > 0 {
		sc.sk = sc.sk[:0]
		for _, v := range sc.sketch {
			sc.sk = binary.LittleEndian.AppendUint32(sc.sk, v)
		}
	}
	for i, v := range sc.sig {
		binary.LittleEndian.PutUint32(sc.rec[sigRecHeader+4*i:], uint32(v)^uint32(v>>32))
	}

	si := int(mix64(seq) % sigShards)
	s := &w.shards[si]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed != nil {
		return s.failed
	}
	if need := len(s.recs) + len(sc.keys); need > cap(s.recs) {
		// Grow by doubling but never past the spill point, so the budget
		// holds even while a buffer grows.
		c := min(max(2*cap(s.recs), 4096), w.perShard+len(sc.keys))
		s.recs = slices.Grow(s.recs, max(c, need)-len(s.recs))
	}
	for _, k := range sc.keys {
		s.recs = append(s.recs, bandRec{k, seq})
	}
	var err error
	if s.sketch != nil {
		binary.LittleEndian.PutUint64(sc.rec[20:], s.sketch.bytes)
		err = s.sketch.record(sc.sk)
	}
	if err == nil {
		err = s.sigs.record(sc.rec)
	}
	if err == nil {
		var l [binary.MaxVarintLen64 + 8]byte
		binary.LittleEndian.PutUint64(l[:], seq)
		n := binary.PutUvarint(l[8:], uint64(len(id)))
		s.ids.records++
		if err = s.ids.write(l[:8+n]); err == nil {
			err = s.ids.write([]byte(id))
		}
	}
	if err == nil && len(s.recs) >= w.perShard {
		err = w.spill(s, si)
	}
	if err != nil {
		s.failed = fmt.Errorf("minhash: writing signatures under %s: %w", w.dir, err)
		return s.failed
	}
	s.docs++
	return nil
}

func (w *SignatureWriter) spill(s *sigShard, i int) error {
	if len(s.recs) == 0 {
		return nil
	}
	sortBandRecs(s.recs)
	err := writeRun(filepath.Join(w.dir, fmt.Sprintf("run-%02d-%05d.bin", i, s.runs)), s.recs, w.NoSync)
	s.runs++
	s.recs = s.recs[:0]
	return err
}

// Close writes what is buffered, closes every file and marks the task done.
func (w *SignatureWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	var first error
	for i := range w.shards {
		s := &w.shards[i]
		s.mu.Lock()
		err := s.failed
		if err == nil {
			err = w.spill(s, i)
		}
		s.recs = nil
		s.sigs.noSync, s.ids.noSync = w.NoSync, w.NoSync
		if s.sketch != nil {
			s.sketch.noSync = w.NoSync
			if err == nil {
				err = s.sketch.close()
			} else {
				s.sketch.abort()
			}
		}
		if err == nil {
			err = s.sigs.close()
		} else {
			s.sigs.abort()
		}
		if err == nil {
			err = s.ids.close()
		} else {
			s.ids.abort()
		}
		s.mu.Unlock()
		if err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return fmt.Errorf("minhash: closing signatures under %s: %w", w.dir, first)
	}
	return writeDone(w.dir, !w.NoSync)
}

// Abort removes the task's files (after an error elsewhere in the run).
func (w *SignatureWriter) Abort() {
	if !w.closed {
		w.closed = true
		for i := range w.shards {
			w.shards[i].sigs.abort()
			w.shards[i].ids.abort()
			if w.shards[i].sketch != nil {
				w.shards[i].sketch.abort()
			}
		}
	}
	os.RemoveAll(w.dir)
}
