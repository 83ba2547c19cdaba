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
}

func (c LSHConfig) check() error {
	if c.Bands < 1 || c.Rows < 1 || c.Bands*c.Rows > c.Signer.Permutations || c.Bands > 255 {
		return fmt.Errorf("minhash: bands=%d rows=%d do not fit %d permutations (bands ≤ 255)",
			c.Bands, c.Rows, c.Signer.Permutations)
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
	docs   int
	failed error
}

type addScratch struct {
	sig  []uint64
	keys []uint64
	rec  []byte
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
	}
	return w, nil
}

// sigRecHeader is seq and rank before the compact slots of a signature record.
const sigRecHeader = 16

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
	if w.signer.Sign(text, sc.sig) == 0 {
		return nil
	}
	var lk uint64
	if w.cfg.PerLanguage {
		lk = langKey(lang)
	}
	bandKeys(sc.sig, w.cfg.Bands, w.cfg.Rows, lk, sc.keys)
	binary.LittleEndian.PutUint64(sc.rec[0:], seq)
	binary.LittleEndian.PutUint64(sc.rec[8:], uint64(rank))
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
	err := s.sigs.record(sc.rec)
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
		}
	}
	os.RemoveAll(w.dir)
}
