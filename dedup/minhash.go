package dedup

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/saring/saring"
)

// MinhashOptions configures the minhash step.
type MinhashOptions struct {
	Threshold     float64 `yaml:"threshold" doc:"Jaccard similarity above which two documents are duplicates; candidate pairs are verified against it"`
	Permutations  int     `yaml:"permutations" doc:"signature length (number of hash functions or OPH bins)"`
	Bands         int     `yaml:"bands" doc:"LSH bands; 0 derives bands and rows from threshold and permutations"`
	Rows          int     `yaml:"rows" doc:"rows (signature slots) per band; 0 derives them"`
	Shingle       string  `yaml:"shingle" doc:"shingle unit: word (lowercased Unicode letter/digit runs) or char"`
	N             int     `yaml:"n" doc:"words or characters per shingle"`
	Scheme        string  `yaml:"scheme" doc:"signature scheme: oph (one hash per shingle, densified) or permutations (one hash per shingle and permutation)"`
	Seed          uint64  `yaml:"seed" doc:"hash seed; runs to be compared must share it"`
	Verify        bool    `yaml:"verify" doc:"verify candidate pairs against threshold and containment (false: any band collision is a duplicate, as datatrove does)"`
	Sketch        int     `yaml:"sketch" doc:"shingle values kept per document to verify candidates (its smallest distinct ones): Jaccard and containment are exact for documents with no more distinct shingles, a bottom-k estimate beyond; 0 verifies by the signature's estimate"`
	Containment   float64 `yaml:"containment" doc:"a candidate pair is also a duplicate when at least this fraction of the smaller document's shingles is in the larger (copies cut short; the smaller needs 16 distinct shingles); 0 turns it off"`
	RepSimilarity float64 `yaml:"rep_similarity" doc:"every member of a cluster must reach this Jaccard similarity (or the containment above) with the kept document, or the cluster is split: a chain of near-copies cannot join documents that share nothing; 0 turns the check off"`
	LargeCluster  int     `yaml:"large_cluster" doc:"clusters of more documents than this are counted in the step's stats (large_clusters) so that a run can warn about them; 0: 1000"`
	Keep          string  `yaml:"keep" doc:"which document of a cluster to keep: first (smallest input position), longest, or newest"`
	DateField     string  `yaml:"date_field" doc:"metadata or input field holding the date for keep: newest"`
	PerLanguage   bool    `yaml:"per_language" doc:"compare only documents of the same metadata.language (FineWeb 2 style)"`
	ClustersFile  bool    `yaml:"clusters_file" doc:"write clusters.jsonl (one line per cluster of 2+ documents) to the output directory"`
}

// DefaultMinhashOptions returns the documented defaults.
func DefaultMinhashOptions() MinhashOptions {
	return MinhashOptions{
		// Chosen by bench/dedup/sweep on the hard benchmark's tuning split
		// (precision >= 0.999, highest recall); see BENCHMARKS.md.
		Threshold:     0.55,
		Permutations:  128,
		Shingle:       "word",
		N:             3,
		Scheme:        SchemeOPH,
		Seed:          1,
		Verify:        true,
		Sketch:        256,
		Containment:   0.8,
		RepSimilarity: 0.3,
		Keep:          "first",
		DateField:     "date",
	}
}

// Validate checks option values.
func (o *MinhashOptions) Validate() error {
	switch {
	case o.Threshold <= 0 || o.Threshold > 1:
		return &saring.FieldError{Field: "threshold", Msg: "must be in (0, 1]"}
	case o.Permutations < 1 || o.Permutations > 4096:
		return &saring.FieldError{Field: "permutations", Msg: "must be in 1..4096"}
	case o.Bands < 0 || o.Bands > 255:
		return &saring.FieldError{Field: "bands", Msg: "must be in 0..255"}
	case o.Rows < 0:
		return &saring.FieldError{Field: "rows", Msg: "must be >= 0"}
	case (o.Bands == 0) != (o.Rows == 0):
		return &saring.FieldError{Field: "bands", Msg: "set both bands and rows, or neither"}
	case o.Bands*o.Rows > o.Permutations:
		return &saring.FieldError{Field: "bands", Msg: fmt.Sprintf("bands × rows = %d exceeds permutations = %d", o.Bands*o.Rows, o.Permutations)}
	case o.Shingle != "word" && o.Shingle != "char":
		return &saring.FieldError{Field: "shingle", Msg: "must be word or char"}
	case o.N < 1:
		return &saring.FieldError{Field: "n", Msg: "must be >= 1"}
	case o.Scheme != SchemeOPH && o.Scheme != SchemePermutations:
		return &saring.FieldError{Field: "scheme", Msg: "must be oph or permutations"}
	case o.Keep != "first" && o.Keep != "longest" && o.Keep != "newest":
		return &saring.FieldError{Field: "keep", Msg: "must be first, longest or newest"}
	case o.Sketch < 0 || o.Sketch > 1<<16:
		return &saring.FieldError{Field: "sketch", Msg: "must be in 0..65536"}
	case o.Containment < 0 || o.Containment > 1:
		return &saring.FieldError{Field: "containment", Msg: "must be in [0, 1]"}
	case o.RepSimilarity < 0 || o.RepSimilarity > 1:
		return &saring.FieldError{Field: "rep_similarity", Msg: "must be in [0, 1]"}
	case o.LargeCluster < 0:
		return &saring.FieldError{Field: "large_cluster", Msg: "must be >= 0"}
	case o.Keep == "newest" && o.DateField == "":
		return &saring.FieldError{Field: "date_field", Msg: "must be set for keep: newest"}
	}
	return nil
}

// LSH returns the signature and banding configuration the options describe.
func (o *MinhashOptions) LSH() LSHConfig {
	b, r := o.Bands, o.Rows
	if b == 0 {
		// Verification removes false candidates, so misses weigh more.
		fn := 0.5
		if o.Verify {
			fn = 0.8
		}
		b, r = OptimalBands(o.Permutations, o.CandidateThreshold(), fn)
	}
	c := LSHConfig{
		Signer:      SignerConfig{Scheme: o.Scheme, Permutations: o.Permutations, Shingle: o.Shingle, N: o.N, Seed: o.Seed},
		Bands:       b,
		Rows:        r,
		PerLanguage: o.PerLanguage,
		Decide:      DecideConfig{RepSimilarity: o.RepSimilarity, LargeCluster: o.LargeCluster},
	}
	if o.Verify {
		c.Sketch = o.Sketch
		c.Decide.Containment = o.Containment
	}
	return c
}

// CandidateThreshold is the Jaccard similarity the derived bands aim at:
// the threshold, or with containment on, the similarity c/(3-c) of a copy
// cut to half of its source that still reaches containment c, if lower
// (such pairs must become candidates to be verified at all).
func (o *MinhashOptions) CandidateThreshold() float64 {
	t := o.Threshold
	if o.Verify && o.Containment > 0 {
		t = min(t, o.Containment/(3-o.Containment))
	}
	return t
}

// Minhash is the minhash step: near-duplicate removal with MinHash LSH,
// with state on disk and bounded memory.
type Minhash struct {
	opts MinhashOptions
	lsh  LSHConfig
	env  saring.Env
	dir  string

	once    sync.Once
	writer  *SignatureWriter
	initErr error

	dec   *Decisions
	Stats ClusterStats
	// Timings of the decision stage, for benchmarks.
	FinishTime time.Duration
}

// NewMinhash builds the step; it touches no file until the first Add.
func NewMinhash(opts MinhashOptions, env saring.Env) (*Minhash, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if env.WorkDir == "" {
		return nil, fmt.Errorf("minhash: the step needs a work directory")
	}
	return &Minhash{opts: opts, lsh: opts.LSH(), env: env, dir: filepath.Join(env.WorkDir, "minhash")}, nil
}

func (m *Minhash) Name() string { return "minhash" }

// Config is the banding actually used (after deriving bands and rows).
func (m *Minhash) Config() LSHConfig { return m.lsh }

func (m *Minhash) memory() int64 {
	if m.env.MemoryBytes > 0 {
		return m.env.MemoryBytes
	}
	return 2 << 30
}

func (m *Minhash) rank(doc *saring.Document) int64 { return m.opts.Rank(doc) }

// Rank orders the documents of a cluster for the keep policy: the highest
// rank is kept, ties go to the smallest seq.
func (o *MinhashOptions) Rank(doc *saring.Document) int64 {
	switch o.Keep {
	case "longest":
		return int64(utf8.RuneCountInString(doc.Text))
	case "newest":
		s, ok := doc.Lookup(o.DateField)
		if !ok {
			return math.MinInt64
		}
		t, ok := parseDate(s)
		if !ok {
			return math.MinInt64
		}
		return t.Unix()
	}
	return 0
}

func parseDate(s string) (time.Time, bool) {
	for _, l := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02", time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Add signs the document (first pass).
func (m *Minhash) Add(ctx context.Context, doc *saring.Document) error {
	m.once.Do(func() {
		// Half the budget for band records waiting to be spilled; the
		// decision stage uses the rest after they are on disk.
		m.writer, m.initErr = NewSignatureWriter(filepath.Join(m.dir, "signatures"), m.lsh, m.memory()/2)
		if m.writer != nil {
			m.writer.NoSync = true
		}
	})
	if m.initErr != nil {
		return m.initErr
	}
	return m.writer.Add(doc.Seq, doc.ID, doc.Text, doc.Language(), m.rank(doc))
}

// Finish clusters the signed documents.
func (m *Minhash) Finish(ctx context.Context) error {
	start := time.Now()
	defer func() { m.FinishTime = time.Since(start) }()
	if m.initErr != nil {
		return m.initErr
	}
	if m.writer == nil { // no document reached the step
		m.dec = &Decisions{ids: map[uint64]string{}}
		return nil
	}
	if err := m.writer.Close(); err != nil {
		return err
	}
	cfg := ClusterConfig{LSH: m.lsh, MemoryBytes: m.memory()}
	if m.opts.Verify {
		cfg.Threshold = m.opts.Threshold
	}
	if m.opts.ClustersFile {
		if m.env.OutDir == "" {
			return fmt.Errorf("minhash: clusters_file needs an output directory")
		}
		cfg.ClustersFile = filepath.Join(m.env.OutDir, "clusters.jsonl")
	}
	dec, st, err := BuildClusters(ctx, []string{filepath.Join(m.dir, "signatures")}, "", cfg)
	if err != nil {
		return err
	}
	m.dec, m.Stats = dec, st
	return nil
}

// Process applies the decision (second pass).
func (m *Minhash) Process(ctx context.Context, doc *saring.Document) (saring.Result, error) {
	if m.dec == nil {
		return saring.Result{}, fmt.Errorf("minhash: Process called before Finish")
	}
	d := m.dec.Lookup(doc.Seq)
	if !d.InCluster {
		doc.Record("minhash", "cluster_size", 1)
		return saring.Kept(), nil
	}
	doc.Record("minhash", "cluster_size", float64(d.Size))
	if d.Kept {
		doc.SetMeta("minhash_cluster_size", d.Size)
		return saring.Rewritten(), nil
	}
	doc.SetMeta("duplicate_of", d.RepID)
	return saring.Dropped("minhash_duplicate", "near duplicate of %s (cluster of %d)", d.RepID, d.Size), nil
}

// Explain shows the document's cluster (after Finish).
func (m *Minhash) Explain(ctx context.Context, doc *saring.Document) ([]saring.Check, error) {
	if m.dec == nil {
		return nil, fmt.Errorf("minhash: explain needs the whole corpus (run the first pass and Finish)")
	}
	d := m.dec.Lookup(doc.Seq)
	size := 1.0
	note := "unique"
	if d.InCluster {
		size = float64(d.Size)
		note = "kept as the cluster's representative"
		if !d.Kept {
			note = "duplicate of " + d.RepID
		}
	}
	return []saring.Check{{Rule: "minhash_duplicate", Value: size, Op: "<=", Threshold: 1,
		Pass: !d.InCluster || d.Kept, Note: note}}, nil
}

// Close removes the step's files.
func (m *Minhash) Close() error {
	if m.writer != nil && !m.writer.closed {
		m.writer.Abort()
	}
	return os.RemoveAll(m.dir)
}
