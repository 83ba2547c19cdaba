package dedup

import (
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"sort"

	"github.com/saring/saring"
)

// The distributed forms of the corpus-wide steps (saring.Distributed). A
// unit's first-pass records live in a directory of their own; a reduce
// partition's decisions in another, with one section per task of the
// stage that applies them.

// keyedMap records (key, seq, id) of one unit, partitioned by key.
type keyedMap struct {
	k  *KeyDedup
	pw *partWriter
	n  int
}

func (k *KeyDedup) Partitions(n int) int { return n }

func (k *KeyDedup) NewMap(dir string, partitions int) (saring.MapWriter, error) {
	return &keyedMap{k: k, pw: newPartWriter(filepath.Join(dir, "keys"), partitions), n: partitions}, nil
}

func (m *keyedMap) Add(ctx context.Context, doc *saring.Document) error {
	key, ok := m.k.key(doc)
	if !ok {
		return nil
	}
	m.pw.append(partitionOf(key[0], m.n), func(b []byte) []byte {
		b = binary.LittleEndian.AppendUint64(b, key[0])
		b = binary.LittleEndian.AppendUint64(b, key[1])
		b = binary.LittleEndian.AppendUint64(b, doc.Seq)
		return appendStr(b, doc.ID)
	})
	return nil
}

func (m *keyedMap) Close() error { return m.pw.close() }
func (m *keyedMap) Abort()       { m.pw.abort() }

type keyRec struct {
	key [2]uint64
	seq uint64
	id  string
}

// Reduce finds, for every key of its partition, the first document (smallest
// seq) and the number of copies, and writes one decision per document.
func (k *KeyDedup) Reduce(ctx context.Context, mapDirs []string, part int, out string, route saring.Route) error {
	var recs []keyRec
	for _, d := range mapDirs {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(d, "keys")
		b, n, err := readSection(path, part)
		if err != nil {
			return err
		}
		r := &recReader{b: b, path: path + ".bin"}
		for i := int64(0); i < n && r.err == nil; i++ {
			var kr keyRec
			kr.key[0], kr.key[1], kr.seq = r.u64(), r.u64(), r.u64()
			kr.id = r.str()
			recs = append(recs, kr)
		}
		if r.err != nil {
			return r.err
		}
		if len(r.b) != 0 {
			return corrupt(path+".bin", "trailing bytes in partition %d", part)
		}
	}
	sort.Slice(recs, func(i, j int) bool {
		a, b := recs[i], recs[j]
		if a.key != b.key {
			if a.key[0] != b.key[0] {
				return a.key[0] < b.key[0]
			}
			return a.key[1] < b.key[1]
		}
		return a.seq < b.seq
	})
	pw := newPartWriter(filepath.Join(out, "decisions"), route.Tasks)
	for i := 0; i < len(recs); {
		j := i + 1
		for j < len(recs) && recs[j].key == recs[i].key {
			j++
		}
		first := recs[i]
		for _, r := range recs[i:j] {
			dup := r.seq != first.seq
			pw.append(route.Task(r.seq), func(b []byte) []byte {
				b = binary.LittleEndian.AppendUint64(b, r.seq)
				b = binary.LittleEndian.AppendUint32(b, uint32(j-i))
				if dup {
					return appendStr(append(b, 1), first.id)
				}
				return append(b, 0) // the first copy
			})
		}
		i = j
	}
	return pw.close()
}

type keyDecision struct {
	count uint32
	dup   bool
	rep   string
}

// Load reads the decisions for one task of the applying stage.
func (k *KeyDedup) Load(ctx context.Context, dirs []string, task int) error {
	dec := map[uint64]keyDecision{}
	for _, d := range dirs {
		path := filepath.Join(d, "decisions")
		b, n, err := readSection(path, task)
		if err != nil {
			return err
		}
		r := &recReader{b: b, path: path + ".bin"}
		for i := int64(0); i < n && r.err == nil; i++ {
			seq := r.u64()
			kd := keyDecision{count: r.u32()}
			if len(r.b) == 0 {
				return corrupt(path+".bin", "record cut short")
			}
			flag := r.b[0]
			r.b = r.b[1:]
			if flag == 1 {
				kd.dup, kd.rep = true, r.str()
			}
			dec[seq] = kd
		}
		if r.err != nil {
			return r.err
		}
	}
	k.loaded, k.done = dec, true
	return nil
}

// lineMap records the distinct line hashes of one unit's documents.
type lineMap struct {
	l  *LineDedup
	pw *partWriter
	n  int
}

func (l *LineDedup) Partitions(n int) int { return n }

func (l *LineDedup) NewMap(dir string, partitions int) (saring.MapWriter, error) {
	return &lineMap{l: l, pw: newPartWriter(filepath.Join(dir, "lines"), partitions), n: partitions}, nil
}

func (m *lineMap) Add(ctx context.Context, doc *saring.Document) error {
	hs := m.l.hashes(doc, m.l.split(doc.Text))
	slices.Sort(hs)
	hs = slices.Compact(hs)
	for _, h := range hs {
		if h == 0 {
			continue
		}
		m.pw.append(partitionOf(h, m.n), func(b []byte) []byte {
			b = binary.LittleEndian.AppendUint64(b, h)
			return binary.LittleEndian.AppendUint64(b, doc.Seq)
		})
	}
	return nil
}

func (m *lineMap) Close() error { return m.pw.close() }
func (m *lineMap) Abort()       { m.pw.abort() }

// Reduce counts the documents of every line hash of its partition and
// writes the frequent ones.
func (l *LineDedup) Reduce(ctx context.Context, mapDirs []string, part int, out string, route saring.Route) error {
	var recs []bandRec
	for _, d := range mapDirs {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(d, "lines")
		b, n, err := readSection(path, part)
		if err != nil {
			return err
		}
		if int64(len(b)) != 16*n {
			return corrupt(path+".bin", "partition %d holds %d bytes for %d records", part, len(b), n)
		}
		for i := 0; i+16 <= len(b); i += 16 {
			recs = append(recs, bandRec{binary.LittleEndian.Uint64(b[i:]), binary.LittleEndian.Uint64(b[i+8:])})
		}
	}
	sortBandRecs(recs)
	pw := newPartWriter(filepath.Join(out, "frequent"), 1)
	for i := 0; i < len(recs); {
		j := i + 1
		for j < len(recs) && recs[j].key == recs[i].key {
			j++
		}
		if j-i >= l.o.MinDocs {
			h := recs[i].key
			pw.append(0, func(b []byte) []byte { return binary.LittleEndian.AppendUint64(b, h) })
		}
		i = j
	}
	return pw.close()
}

// Load reads every partition's frequent lines (every task needs them all).
func (l *LineDedup) Load(ctx context.Context, dirs []string, task int) error {
	l.frequent = map[uint64]struct{}{}
	for _, d := range dirs {
		path := filepath.Join(d, "frequent")
		b, n, err := readSection(path, 0)
		if err != nil {
			return err
		}
		if int64(len(b)) != 8*n {
			return corrupt(path+".bin", "%d bytes for %d records", len(b), n)
		}
		for i := 0; i+8 <= len(b); i += 8 {
			l.frequent[binary.LittleEndian.Uint64(b[i:])] = struct{}{}
		}
	}
	l.done = true
	return nil
}

// minhashMap signs one unit's documents.
type minhashMap struct {
	m *Minhash
	w *SignatureWriter
}

// Partitions is 1: clusters join documents across every band, so the
// decision sees every signature at once (in bounded memory, spilling).
func (m *Minhash) Partitions(n int) int { return 1 }

func (m *Minhash) NewMap(dir string, partitions int) (saring.MapWriter, error) {
	// A quarter of the budget: a few units are open at a time.
	w, err := NewSignatureWriter(dir, m.lsh, m.memory()/4)
	if err != nil {
		return nil, err
	}
	return &minhashMap{m: m, w: w}, nil
}

func (mm *minhashMap) Add(ctx context.Context, doc *saring.Document) error {
	return mm.w.Add(doc.Seq, doc.ID, doc.Text, doc.Language(), mm.m.rank(doc))
}

func (mm *minhashMap) Close() error { return mm.w.Close() }
func (mm *minhashMap) Abort()       { mm.w.Abort() }

func (m *Minhash) clusterConfig() (ClusterConfig, error) {
	cfg := ClusterConfig{LSH: m.lsh, MemoryBytes: m.memory()}
	if m.opts.Verify {
		cfg.Threshold = m.opts.Threshold
	}
	if m.opts.ClustersFile {
		if m.env.OutDir == "" {
			return cfg, fmt.Errorf("minhash: clusters_file needs an output directory")
		}
		cfg.ClustersFile = filepath.Join(m.env.OutDir, "clusters.jsonl")
	}
	return cfg, nil
}

// Reduce clusters every unit's signatures.
func (m *Minhash) Reduce(ctx context.Context, mapDirs []string, part int, out string, route saring.Route) error {
	cfg, err := m.clusterConfig()
	if err != nil {
		return err
	}
	_, st, err := BuildClusters(ctx, mapDirs, out, cfg)
	m.Stats = st
	return err
}

// Load reads the clusters' decisions.
func (m *Minhash) Load(ctx context.Context, dirs []string, task int) error {
	if len(dirs) != 1 {
		return fmt.Errorf("minhash: one decision directory expected, got %d", len(dirs))
	}
	dec, err := LoadDecisions(dirs[0])
	if err != nil {
		return err
	}
	m.dec = dec
	return nil
}

// DecisionStats is what the last Reduce found: clusters, splits of chained
// clusters, and the largest clusters (stats.json, under the step).
func (m *Minhash) DecisionStats() any { return m.Stats }

// Warnings are the decision's findings a run should report.
func (m *Minhash) Warnings() []string {
	if m.Stats.LargeClusters == 0 {
		return nil
	}
	w := fmt.Sprintf("minhash: %d clusters of more than %d documents", m.Stats.LargeClusters, m.Stats.LargeClusterLimit)
	if len(m.Stats.Largest) > 0 {
		w += fmt.Sprintf(" (largest: %d documents, kept %s)", m.Stats.Largest[0].Size, m.Stats.Largest[0].Kept)
	}
	return []string{w + "; check them in the viewer (duplicate_of) before trusting the removals"}
}
