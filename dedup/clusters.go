package dedup

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
)

// ClusterConfig is the decision stage's configuration.
type ClusterConfig struct {
	LSH       LSHConfig
	Threshold float64 // estimated Jaccard a candidate pair must reach; 0 keeps every candidate
	// MemoryBytes bounds the signatures held in memory for verification;
	// beyond it they are read from their files on demand (0: 2 GiB).
	MemoryBytes int64
	// ClustersFile, when set, receives one JSON line per cluster of two or
	// more documents, sorted by the kept document's position.
	ClustersFile string
}

// ClusterStats describes a decision stage's work.
type ClusterStats struct {
	Docs, Candidates, Verified, Clusters, Removed int
}

// BuildClusters is the MinHash decision stage. It reads the finished
// signature tasks under taskDirs, merges their band runs, verifies candidate
// pairs, joins duplicates with union-find and returns the decisions; when
// outDir is not empty it also writes them there (decisions.bin, reps.bin,
// done) for filtering tasks in other processes (LoadDecisions).
func BuildClusters(ctx context.Context, taskDirs []string, outDir string, cfg ClusterConfig) (*Decisions, ClusterStats, error) {
	var st ClusterStats
	if err := cfg.LSH.check(); err != nil {
		return nil, st, err
	}
	for _, d := range taskDirs {
		if !isDone(d) {
			return nil, st, fmt.Errorf("minhash: signature task %s is not done (no done marker): run it again", d)
		}
	}
	k := cfg.LSH.Signer.Permutations
	store, err := loadSigs(taskDirs, k, cfg.MemoryBytes)
	if err != nil {
		return nil, st, err
	}
	defer store.close()
	n := len(store.seqs)
	st.Docs = n

	parent := make([]uint32, n)
	for i := range parent {
		parent[i] = uint32(i)
	}
	find := func(x uint32) uint32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b uint32) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		// The root is always the smaller index (earlier document), which
		// keeps the structure independent of the order of unions.
		if rb < ra {
			ra, rb = rb, ra
		}
		parent[rb] = ra
	}
	sa := make([]uint32, k)
	sb := make([]uint32, k)
	similar := func(a, b uint32) (bool, error) {
		st.Verified++
		if cfg.Threshold <= 0 {
			return true, nil
		}
		if err := store.sig(a, sa); err != nil {
			return false, err
		}
		if err := store.sig(b, sb); err != nil {
			return false, err
		}
		return Similarity(sa, sb) >= cfg.Threshold, nil
	}

	var runs []string
	for _, d := range taskDirs {
		m, err := filepath.Glob(filepath.Join(d, "run-*.bin"))
		if err != nil {
			return nil, st, err
		}
		runs = append(runs, m...)
	}
	sort.Strings(runs)

	// Candidates inside a bucket: each member against the bucket's first
	// member, then, if that fails verification, against the few members
	// before it. Linear in the bucket size even for huge buckets.
	const window = 4
	var group []uint32
	var groupSeqs []uint64
	var groupKey uint64
	try := func(p, m uint32) (bool, error) {
		st.Candidates++
		if find(p) == find(m) {
			return true, nil
		}
		ok, err := similar(p, m)
		if ok {
			union(p, m)
		}
		return ok, err
	}
	flush := func() error {
		defer func() { groupSeqs = groupSeqs[:0] }()
		if len(groupSeqs) < 2 { // most buckets hold one document
			return nil
		}
		group = group[:0]
		for _, s := range groupSeqs {
			idx, ok := store.index(s)
			if !ok {
				return fmt.Errorf("minhash: band record for document %d has no signature: %w", s, ErrCorrupt)
			}
			group = append(group, idx)
		}
		for j := 1; j < len(group); j++ {
			m := group[j]
			ok, err := try(group[0], m)
			for p := j - 1; !ok && err == nil && p >= 1 && p >= j-window; p-- {
				ok, err = try(group[p], m)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	count := 0
	err = mergeRuns(runs, func(r bandRec) error {
		if count++; count&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if len(groupSeqs) > 0 && r.key != groupKey {
			if err := flush(); err != nil {
				return err
			}
		}
		groupKey = r.key
		if len(groupSeqs) == 0 || groupSeqs[len(groupSeqs)-1] != r.seq {
			groupSeqs = append(groupSeqs, r.seq)
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, st, err
	}

	// Cluster sizes and representatives: highest rank, then smallest seq.
	size := make([]uint32, n)
	rep := make([]uint32, n) // valid at roots
	for i := range n {
		r := find(uint32(i))
		parent[i] = r
		if size[r] == 0 || store.ranks != nil && store.ranks[i] > store.ranks[rep[r]] {
			rep[r] = uint32(i)
		}
		size[r]++
	}
	d := &Decisions{ids: map[uint64]string{}}
	for i := range n {
		r := parent[i]
		if size[r] < 2 {
			continue
		}
		rp := rep[r]
		d.seqs = append(d.seqs, store.seqs[i])
		d.reps = append(d.reps, store.seqs[rp])
		d.sizes = append(d.sizes, size[r])
		if uint32(i) == rp {
			st.Clusters++
		} else {
			st.Removed++
		}
	}
	size, rep, parent = nil, nil, nil

	// IDs: of representatives always, of every member for the clusters file.
	want := map[uint64]bool{}
	for i, s := range d.seqs {
		if cfg.ClustersFile != "" || s == d.reps[i] {
			want[s] = true
		}
	}
	all := map[uint64]string{}
	if err := readIDs(taskDirs, want, all); err != nil {
		return nil, st, err
	}
	for i, s := range d.seqs {
		if s == d.reps[i] {
			d.ids[s] = all[s]
		}
	}
	if cfg.ClustersFile != "" {
		if err := writeClustersFile(cfg.ClustersFile, d, all); err != nil {
			return nil, st, err
		}
	}
	if outDir != "" {
		if err := d.save(outDir); err != nil {
			return nil, st, err
		}
	}
	return d, st, nil
}

func readIDs(taskDirs []string, want map[uint64]bool, into map[uint64]string) error {
	if len(want) == 0 {
		return nil
	}
	for _, dir := range taskDirs {
		files, err := filepath.Glob(filepath.Join(dir, "ids-*.bin"))
		if err != nil {
			return err
		}
		for _, p := range files {
			if err := scanIDs(p, func(seq uint64, id []byte) {
				if want[seq] {
					into[seq] = string(id)
				}
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

func scanIDs(path string, fn func(seq uint64, id []byte)) error {
	r, err := openChecked(path, kindIDs)
	if err != nil {
		return err
	}
	defer r.close()
	var hdr [8]byte
	var id []byte
	var n uint64
	for {
		if err := r.full(hdr[:]); err == io.EOF {
			return r.verify(n)
		} else if err != nil {
			return err
		}
		l, err := binary.ReadUvarint(r.br)
		if err != nil || l > 1<<20 {
			return corrupt(path, "bad id length")
		}
		id = slices.Grow(id[:0], int(l))[:l]
		if err := r.full(id); err != nil {
			return corrupt(path, "id cut short")
		}
		fn(binary.LittleEndian.Uint64(hdr[:]), id)
		n++
	}
}

type clusterLine struct {
	Cluster string   `json:"cluster"`
	Members []string `json:"members"`
	Size    int      `json:"size"`
}

func writeClustersFile(path string, d *Decisions, ids map[uint64]string) error {
	members := map[uint64][]uint64{}
	for i, s := range d.seqs {
		members[d.reps[i]] = append(members[d.reps[i]], s)
	}
	reps := make([]uint64, 0, len(members))
	for r := range members {
		reps = append(reps, r)
	}
	slices.Sort(reps)
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, r := range reps {
		m := members[r] // already in seq order
		line := clusterLine{Cluster: ids[r], Size: len(m)}
		for _, s := range m {
			line.Members = append(line.Members, ids[s])
		}
		if err := enc.Encode(line); err != nil {
			f.Close()
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}

// Decisions is the outcome of the MinHash decision stage for documents in
// clusters of two or more; every other document is unique.
type Decisions struct {
	seqs  []uint64 // sorted
	reps  []uint64 // representative seq of seqs[i]'s cluster
	sizes []uint32
	ids   map[uint64]string // representative seq -> id
}

// Decision is what happens to one document.
type Decision struct {
	InCluster bool   // false: unique document
	Kept      bool   // the cluster's representative
	RepSeq    uint64 // the representative's seq
	RepID     string // and its id
	Size      int    // cluster size
}

// Lookup returns the decision for the document at seq.
func (d *Decisions) Lookup(seq uint64) Decision {
	i, ok := slices.BinarySearch(d.seqs, seq)
	if !ok {
		return Decision{}
	}
	r := d.reps[i]
	return Decision{InCluster: true, Kept: r == seq, RepSeq: r, RepID: d.ids[r], Size: int(d.sizes[i])}
}

// Removed is the number of documents the decisions remove.
func (d *Decisions) Removed() int {
	n := 0
	for i, s := range d.seqs {
		if s != d.reps[i] {
			n++
		}
	}
	return n
}

func (d *Decisions) save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	os.Remove(filepath.Join(dir, "done"))
	w, err := createChecked(filepath.Join(dir, "decisions.bin"), kindDecisions)
	if err != nil {
		return err
	}
	var b [20]byte
	for i, s := range d.seqs {
		binary.LittleEndian.PutUint64(b[0:], s)
		binary.LittleEndian.PutUint64(b[8:], d.reps[i])
		binary.LittleEndian.PutUint32(b[16:], d.sizes[i])
		if err := w.record(b[:]); err != nil {
			w.abort()
			return err
		}
	}
	if err := w.close(); err != nil {
		return err
	}
	w, err = createChecked(filepath.Join(dir, "reps.bin"), kindIDs)
	if err != nil {
		return err
	}
	reps := make([]uint64, 0, len(d.ids))
	for s := range d.ids {
		reps = append(reps, s)
	}
	slices.Sort(reps)
	for _, s := range reps {
		var l [binary.MaxVarintLen64 + 8]byte
		binary.LittleEndian.PutUint64(l[:], s)
		n := binary.PutUvarint(l[8:], uint64(len(d.ids[s])))
		w.records++
		if err := w.write(l[:8+n]); err != nil {
			w.abort()
			return err
		}
		if err := w.write([]byte(d.ids[s])); err != nil {
			w.abort()
			return err
		}
	}
	if err := w.close(); err != nil {
		return err
	}
	return writeDone(dir, true)
}

// LoadDecisions reads decisions written by BuildClusters into dir.
func LoadDecisions(dir string) (*Decisions, error) {
	if !isDone(dir) {
		return nil, fmt.Errorf("minhash: cluster stage in %s is not done (no done marker): run it first", dir)
	}
	r, err := openChecked(filepath.Join(dir, "decisions.bin"), kindDecisions)
	if err != nil {
		return nil, err
	}
	defer r.close()
	d := &Decisions{ids: map[uint64]string{}}
	var b [20]byte
	for {
		if err := r.full(b[:]); err == io.EOF {
			if err := r.verify(uint64(len(d.seqs))); err != nil {
				return nil, err
			}
			break
		} else if err != nil {
			return nil, err
		}
		s := binary.LittleEndian.Uint64(b[0:])
		if len(d.seqs) > 0 && s <= d.seqs[len(d.seqs)-1] {
			return nil, corrupt(r.path, "decisions out of order")
		}
		d.seqs = append(d.seqs, s)
		d.reps = append(d.reps, binary.LittleEndian.Uint64(b[8:]))
		d.sizes = append(d.sizes, binary.LittleEndian.Uint32(b[16:]))
	}
	err = scanIDs(filepath.Join(dir, "reps.bin"), func(seq uint64, id []byte) { d.ids[seq] = string(id) })
	if err != nil {
		return nil, err
	}
	return d, nil
}

// sigStore holds every signed document, sorted by seq, and gives access to
// their compact signatures: from memory when they fit the budget, else by
// reading their files.
type sigStore struct {
	k      int
	seqs   []uint64 // sorted
	rec    []uint32 // global record number of seqs[i]
	ranks  []int64  // nil when every rank is 0
	arena  []uint32 // in-memory signatures by global record, or nil
	files  []*os.File
	starts []uint64 // first global record of each file
}

func loadSigs(taskDirs []string, k int, memoryBytes int64) (*sigStore, error) {
	if memoryBytes <= 0 {
		memoryBytes = 2 << 30
	}
	var paths []string
	var total int64
	for _, d := range taskDirs {
		m, err := filepath.Glob(filepath.Join(d, "sigs-*.bin"))
		if err != nil {
			return nil, err
		}
		for _, p := range m {
			if fi, err := os.Stat(p); err == nil {
				total += fi.Size()
			}
		}
		paths = append(paths, m...)
	}
	s := &sigStore{k: k}
	inMemory := total <= memoryBytes/2
	type entry struct {
		seq uint64
		rec uint32
	}
	var entries []entry
	var ranks []int64
	anyRank := false
	recSize := sigRecHeader + 4*k
	buf := make([]byte, recSize)
	var g uint64
	for _, p := range paths {
		r, err := openChecked(p, kindSigs)
		if err != nil {
			s.close()
			return nil, err
		}
		if r.bytes%uint64(recSize) != 0 {
			r.close()
			s.close()
			return nil, corrupt(p, "size is not a whole number of %d-slot signatures", k)
		}
		s.starts = append(s.starts, g)
		var n uint64
		for {
			err := r.full(buf)
			if err == io.EOF {
				err = r.verify(n)
				if err != nil {
					r.close()
					s.close()
					return nil, err
				}
				break
			}
			if err != nil {
				r.close()
				s.close()
				return nil, err
			}
			if g >= 1<<32-1 {
				r.close()
				s.close()
				return nil, fmt.Errorf("minhash: more than 4 billion documents in one decision stage: split the run")
			}
			entries = append(entries, entry{binary.LittleEndian.Uint64(buf), uint32(g)})
			rk := int64(binary.LittleEndian.Uint64(buf[8:]))
			ranks = append(ranks, rk)
			anyRank = anyRank || rk != 0
			if inMemory {
				for i := 0; i < k; i++ {
					s.arena = append(s.arena, binary.LittleEndian.Uint32(buf[sigRecHeader+4*i:]))
				}
			}
			n++
			g++
		}
		if inMemory {
			r.close()
		} else {
			s.files = append(s.files, r.f)
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.seq, b.seq) })
	s.seqs = make([]uint64, len(entries))
	s.rec = make([]uint32, len(entries))
	if anyRank {
		s.ranks = make([]int64, len(entries))
	}
	for i, e := range entries {
		if i > 0 && e.seq == entries[i-1].seq {
			s.close()
			return nil, fmt.Errorf("minhash: document %d was signed twice (overlapping tasks?)", e.seq)
		}
		s.seqs[i], s.rec[i] = e.seq, e.rec
		if anyRank {
			s.ranks[i] = ranks[e.rec]
		}
	}
	return s, nil
}

func (s *sigStore) index(seq uint64) (uint32, bool) {
	i, ok := slices.BinarySearch(s.seqs, seq)
	return uint32(i), ok
}

func (s *sigStore) sig(idx uint32, dst []uint32) error {
	g := uint64(s.rec[idx])
	if s.arena != nil || len(s.files) == 0 {
		copy(dst, s.arena[g*uint64(s.k):(g+1)*uint64(s.k)])
		return nil
	}
	f := sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > g }) - 1
	recSize := uint64(sigRecHeader + 4*s.k)
	off := int64(headerSize + (g-s.starts[f])*recSize + sigRecHeader)
	buf := make([]byte, 4*s.k)
	if _, err := s.files[f].ReadAt(buf, off); err != nil {
		return fmt.Errorf("minhash: reading a signature: %w", err)
	}
	for i := range dst {
		dst[i] = binary.LittleEndian.Uint32(buf[4*i:])
	}
	return nil
}

func (s *sigStore) close() {
	for _, f := range s.files {
		f.Close()
	}
	s.files = nil
}
