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
	Docs       int `json:"docs"`
	Candidates int `json:"candidates"`
	Verified   int `json:"verified"`
	Clusters   int `json:"clusters"`
	Removed    int `json:"removed"`
	// Split is the number of joined groups (union-find components) that had
	// members below DecideConfig.RepSimilarity with the kept document and
	// were split; SplitOff the members moved out of them (into clusters of
	// their own, or kept as unique when they match no one there).
	Split    int `json:"split"`
	SplitOff int `json:"split_off"`
	// LargestComponent is the largest group joined by verified pairs before
	// the check, LargestCluster the largest cluster after it.
	LargestComponent int `json:"largest_component"`
	LargestCluster   int `json:"largest_cluster"`
	// LargeClusters counts the clusters of more than LargeClusterLimit
	// documents: a run should warn about them.
	LargeClusters     int `json:"large_clusters"`
	LargeClusterLimit int `json:"large_cluster_limit"`
	// Largest lists up to TopClusters clusters, largest first (ties: the
	// kept document's input position).
	Largest []ClusterSummary `json:"largest,omitempty"`
}

// ClusterSummary names one cluster by its kept document.
type ClusterSummary struct {
	Kept string `json:"kept"`
	Size int    `json:"size"`
}

// TopClusters is how many of the largest clusters ClusterStats lists.
const TopClusters = 20

// maxSplitRounds bounds the work of splitting one group: each round checks
// the remaining members against a new kept document; what is left after
// the last round stays unique.
const maxSplitRounds = 8

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
	store, err := loadSigs(taskDirs, k, cfg.LSH.Sketch, cfg.MemoryBytes)
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
	dc := cfg.LSH.Decide
	sa := make([]uint32, k)
	sb := make([]uint32, k)
	var ka, kb []uint32
	// measure returns the Jaccard similarity of two documents and the
	// containment of the smaller in the larger: from their sketches when
	// the run keeps them, else estimated from their signatures.
	measure := func(a, b uint32) (float64, float64, error) {
		na, nb := int(store.distinct[a]), int(store.distinct[b])
		if store.sketchK > 0 {
			var err error
			if ka, err = store.sketch(a, ka[:0]); err != nil {
				return 0, 0, err
			}
			if kb, err = store.sketch(b, kb[:0]); err != nil {
				return 0, 0, err
			}
			j, c := CompareSketches(ka, na, kb, nb)
			return j, c, nil
		}
		if err := store.sig(a, sa); err != nil {
			return 0, 0, err
		}
		if err := store.sig(b, sb); err != nil {
			return 0, 0, err
		}
		j := Similarity(sa, sb)
		return j, ContainmentFromJaccard(j, na, nb), nil
	}
	contained := func(a, b uint32, c float64) bool {
		return dc.Containment > 0 && c >= dc.Containment && min(store.distinct[a], store.distinct[b]) >= MinContainShingles
	}
	similar := func(a, b uint32) (bool, error) {
		st.Verified++
		if cfg.Threshold <= 0 {
			return true, nil
		}
		j, c, err := measure(a, b)
		return j >= cfg.Threshold || contained(a, b, c), err
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

	for i := range n {
		parent[i] = find(uint32(i))
	}
	// rep[i] is the kept document of i's cluster (i itself when unique).
	rep, err := splitClusters(parent, store.ranks, dc, &st, func(a, b uint32) (bool, error) {
		j, c, err := measure(a, b)
		return j >= dc.RepSimilarity || contained(a, b, c), err
	})
	if err != nil {
		return nil, st, err
	}
	parent = nil
	size := make([]uint32, n)
	for i := range n {
		size[rep[i]]++
	}
	limit := dc.LargeCluster
	if limit <= 0 {
		limit = DefaultLargeCluster
	}
	st.LargeClusterLimit = limit
	var top []uint32 // kept documents of the largest clusters
	d := &Decisions{ids: map[uint64]string{}}
	for i := range n {
		r := rep[i]
		if size[r] < 2 {
			continue
		}
		d.seqs = append(d.seqs, store.seqs[i])
		d.reps = append(d.reps, store.seqs[r])
		d.sizes = append(d.sizes, size[r])
		if uint32(i) != r {
			st.Removed++
			continue
		}
		st.Clusters++
		st.LargestCluster = max(st.LargestCluster, int(size[r]))
		if int(size[r]) > limit {
			st.LargeClusters++
		}
		// Keep the TopClusters largest, largest first, ties by position.
		at, _ := slices.BinarySearchFunc(top, r, func(x, r uint32) int {
			return cmp.Or(cmp.Compare(size[r], size[x]), cmp.Compare(x, r))
		})
		if at < TopClusters {
			top = slices.Insert(top, at, r)
			top = top[:min(len(top), TopClusters)]
		}
	}
	rep = nil

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
	for _, r := range top {
		st.Largest = append(st.Largest, ClusterSummary{Kept: all[store.seqs[r]], Size: int(size[r])})
	}
	size = nil
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

// splitClusters turns union-find roots (root[i], the smallest index of
// i's group) into kept documents. The kept document of a group is its
// highest-ranked member (ties: the smallest index). With a RepSimilarity,
// every other member is checked against it (ok); the members that fail are
// split off and form clusters of their own the same way, for at most
// maxSplitRounds rounds; members still left match nothing they were
// checked against and stay unique. A chain of near-copies A~B~…~Z thus
// never removes Z as a copy of an unrelated A. Everything depends only on
// the documents' order and content, never on timing.
func splitClusters(root []uint32, ranks []int64, dc DecideConfig, st *ClusterStats, ok func(a, b uint32) (bool, error)) ([]uint32, error) {
	n := len(root)
	rep := make([]uint32, n)
	// Members of every group in index order: counting sort by root.
	start := make([]uint32, n+1)
	for _, r := range root {
		start[r+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	members := make([]uint32, n)
	fill := slices.Clone(start[:n])
	for i, r := range root {
		members[fill[r]] = uint32(i)
		fill[r]++
	}
	fill = nil
	better := func(a, b uint32) bool { // a is kept over b
		if ranks != nil && ranks[a] != ranks[b] {
			return ranks[a] > ranks[b]
		}
		return a < b
	}
	var rest, next []uint32
	for r := 0; r < n; r++ {
		g := members[start[r]:start[r+1]]
		if len(g) == 0 {
			continue
		}
		st.LargestComponent = max(st.LargestComponent, len(g))
		rest = append(rest[:0], g...)
		for round := 0; len(rest) > 0; round++ {
			k := rest[0]
			for _, m := range rest[1:] {
				if better(m, k) {
					k = m
				}
			}
			if round == maxSplitRounds || len(rest) == 1 {
				for _, m := range rest {
					rep[m] = m
				}
				break
			}
			rep[k] = k
			next = next[:0]
			for _, m := range rest {
				if m == k {
					continue
				}
				if dc.RepSimilarity <= 0 {
					rep[m] = k
					continue
				}
				same, err := ok(k, m)
				if err != nil {
					return nil, err
				}
				if same {
					rep[m] = k
				} else {
					next = append(next, m)
				}
			}
			if round == 0 && len(next) > 0 {
				st.Split++
				st.SplitOff += len(next)
			}
			rest, next = next, rest
		}
	}
	return rep, nil
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
	k        int
	seqs     []uint64 // sorted
	rec      []uint32 // global record number of seqs[i]
	ranks    []int64  // nil when every rank is 0
	distinct []uint32 // distinct shingles of seqs[i]
	arena    []uint32 // in-memory signatures by global record, or nil
	files    []*os.File
	starts   []uint64 // first global record of each file

	// Sketches (sketchK > 0): by global record, the offset in its file's
	// body; the bodies in memory when they fit, else read on demand.
	sketchK   int
	skOff     []uint64
	skMem     [][]byte
	skFiles   []*os.File
	skScratch []byte
}

func loadSigs(taskDirs []string, k, sketchK int, memoryBytes int64) (*sigStore, error) {
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
	s := &sigStore{k: k, sketchK: sketchK}
	// With sketches, verification never reads a signature.
	inMemory := total <= memoryBytes/2 && sketchK == 0
	if sketchK > 0 {
		if err := s.loadSketches(paths, memoryBytes/2); err != nil {
			s.close()
			return nil, err
		}
	}
	var distinct []uint32
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
			distinct = append(distinct, binary.LittleEndian.Uint32(buf[16:]))
			if sketchK > 0 {
				s.skOff = append(s.skOff, binary.LittleEndian.Uint64(buf[20:]))
			}
			anyRank = anyRank || rk != 0
			if inMemory {
				for i := 0; i < k; i++ {
					s.arena = append(s.arena, binary.LittleEndian.Uint32(buf[sigRecHeader+4*i:]))
				}
			}
			n++
			g++
		}
		if inMemory || sketchK > 0 {
			r.close()
		} else {
			s.files = append(s.files, r.f)
		}
	}
	if sketchK > 0 {
		if err := s.checkSketchOffsets(); err != nil {
			s.close()
			return nil, err
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.seq, b.seq) })
	s.seqs = make([]uint64, len(entries))
	s.rec = make([]uint32, len(entries))
	s.distinct = make([]uint32, len(entries))
	if anyRank {
		s.ranks = make([]int64, len(entries))
	}
	for i, e := range entries {
		if i > 0 && e.seq == entries[i-1].seq {
			s.close()
			return nil, fmt.Errorf("minhash: document %d was signed twice (overlapping tasks?)", e.seq)
		}
		s.seqs[i], s.rec[i], s.distinct[i] = e.seq, e.rec, distinct[e.rec]
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
	for _, f := range s.skFiles {
		if f != nil {
			f.Close()
		}
	}
	s.files, s.skFiles = nil, nil
}

// loadSketches checks every sketch file (the one beside each signature
// file) and keeps their bodies in memory when they fit memoryBytes, else
// keeps them open for reads on demand.
func (s *sigStore) loadSketches(sigPaths []string, memoryBytes int64) error {
	var total int64
	for _, p := range sigPaths {
		fi, err := os.Stat(sketchPath(p))
		if err != nil {
			return corrupt(sketchPath(p), "missing: %v", err)
		}
		total += fi.Size()
	}
	inMemory := total <= memoryBytes
	for _, p := range sigPaths {
		r, err := openChecked(sketchPath(p), kindSketch)
		if err != nil {
			return err
		}
		var body []byte
		if inMemory {
			body = make([]byte, r.bytes)
			if err := r.full(body); err != nil && len(body) > 0 {
				r.close()
				return err
			}
		} else {
			// Stream it once to check its checksum.
			if _, err := io.Copy(io.Discard, r.br); err != nil {
				r.close()
				return err
			}
		}
		if err := r.verify(r.records); err != nil {
			r.close()
			return err
		}
		if inMemory {
			r.close()
			s.skMem = append(s.skMem, body)
			s.skFiles = append(s.skFiles, nil)
		} else {
			s.skMem = append(s.skMem, nil)
			s.skFiles = append(s.skFiles, r.f)
		}
	}
	return nil
}

func sketchPath(sigPath string) string {
	dir, base := filepath.Split(sigPath)
	return filepath.Join(dir, "sketch-"+base[len("sigs-"):])
}

// checkSketchOffsets makes sure every document's sketch lies inside its file.
func (s *sigStore) checkSketchOffsets() error {
	size := func(f int) uint64 {
		if s.skMem[f] != nil || s.skFiles[f] == nil {
			return uint64(len(s.skMem[f]))
		}
		fi, err := s.skFiles[f].Stat()
		if err != nil {
			return 0
		}
		return uint64(fi.Size() - headerSize - trailerSize)
	}
	for f := range s.starts {
		end := uint64(len(s.skOff))
		if f+1 < len(s.starts) {
			end = s.starts[f+1]
		}
		sz := size(f)
		for g := s.starts[f]; g < end; g++ {
			if s.skOff[g] > sz {
				return corrupt(s.sketchName(f), "sketch offset past the end")
			}
		}
	}
	return nil
}

func (s *sigStore) sketchName(f int) string {
	if s.skFiles[f] != nil {
		return s.skFiles[f].Name()
	}
	return fmt.Sprintf("sketch file %d", f)
}

// sketch appends the sketch of the document at idx to dst.
func (s *sigStore) sketch(idx uint32, dst []uint32) ([]uint32, error) {
	g := uint64(s.rec[idx])
	f := sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > g }) - 1
	n := uint64(min(int(s.distinct[idx]), s.sketchK))
	off := s.skOff[g]
	var b []byte
	if s.skFiles[f] == nil {
		body := s.skMem[f]
		if off+4*n > uint64(len(body)) {
			return dst, corrupt(s.sketchName(f), "sketch past the end")
		}
		b = body[off : off+4*n]
	} else {
		s.skScratch = slices.Grow(s.skScratch[:0], int(4*n))[:4*n]
		if _, err := s.skFiles[f].ReadAt(s.skScratch, int64(headerSize+off)); err != nil {
			return dst, fmt.Errorf("minhash: reading a sketch: %w", err)
		}
		b = s.skScratch
	}
	for i := 0; i+4 <= len(b); i += 4 {
		dst = append(dst, binary.LittleEndian.Uint32(b[i:]))
	}
	return dst, nil
}
