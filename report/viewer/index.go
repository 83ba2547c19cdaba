package viewer

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/klauspost/compress/s2"

	"github.com/saring/saring/formats"
	"github.com/saring/saring/outdir"
	"github.com/saring/saring/report"
)

// indexVersion changes whenever the on-disk layout does.
const indexVersion = 3

const recSize = 40

const (
	flagRepaired = 1 << iota
	flagCluster  // near-duplicate cluster size > 1
)

// Rec is one document's entry in docs.idx.
type Rec struct {
	File    uint16
	Set     report.Set
	Flags   uint8
	Step    uint16 // dictionary numbers; 0 is "none"
	Reason  uint16
	Lang    uint16
	Score   float32 // NaN when the document has none
	Loc     uint64  // plain file: line offset; cached: frame offset in the blocks file
	FrameN  uint32  // compressed frame length (0: plain file)
	InFrame uint32  // line offset inside the decompressed frame
	Len     uint32  // line length
}

func (r *Rec) put(b []byte) {
	binary.LittleEndian.PutUint16(b[0:], r.File)
	b[2] = byte(r.Set)
	b[3] = r.Flags
	binary.LittleEndian.PutUint16(b[4:], r.Step)
	binary.LittleEndian.PutUint16(b[6:], r.Reason)
	binary.LittleEndian.PutUint16(b[8:], r.Lang)
	binary.LittleEndian.PutUint16(b[10:], 0)
	binary.LittleEndian.PutUint32(b[12:], math.Float32bits(r.Score))
	binary.LittleEndian.PutUint64(b[16:], r.Loc)
	binary.LittleEndian.PutUint32(b[24:], r.FrameN)
	binary.LittleEndian.PutUint32(b[28:], r.InFrame)
	binary.LittleEndian.PutUint32(b[32:], r.Len)
	binary.LittleEndian.PutUint32(b[36:], 0)
}

func (r *Rec) get(b []byte) {
	r.File = binary.LittleEndian.Uint16(b[0:])
	r.Set = report.Set(b[2])
	r.Flags = b[3]
	r.Step = binary.LittleEndian.Uint16(b[4:])
	r.Reason = binary.LittleEndian.Uint16(b[6:])
	r.Lang = binary.LittleEndian.Uint16(b[8:])
	r.Score = math.Float32frombits(binary.LittleEndian.Uint32(b[12:]))
	r.Loc = binary.LittleEndian.Uint64(b[16:])
	r.FrameN = binary.LittleEndian.Uint32(b[24:])
	r.InFrame = binary.LittleEndian.Uint32(b[28:])
	r.Len = binary.LittleEndian.Uint32(b[32:])
}

// FileEntry is an output file as the index saw it.
type FileEntry struct {
	Rel     string `json:"rel"`
	Size    int64  `json:"size"`
	ModTime int64  `json:"mod_time"`
	Set     int    `json:"set"`
	Blocks  string `json:"blocks,omitempty"` // cache of frames, for compressed files
	Docs    int64  `json:"docs"`
	Error   string `json:"error,omitempty"`
}

// Manifest describes an index.
type Manifest struct {
	Version   int              `json:"version"`
	Files     []FileEntry      `json:"files"`
	Docs      int64            `json:"docs"`
	SetStart  [3]int64         `json:"set_start"` // first ordinal of each set
	SetDocs   [3]int64         `json:"set_docs"`
	Steps     []string         `json:"steps"` // [0] is ""
	Reasons   []string         `json:"reasons"`
	Langs     []string         `json:"langs"`
	StepN     []int64          `json:"step_n"`
	ReasonN   []int64          `json:"reason_n"`
	LangN     []int64          `json:"lang_n"`
	Repaired  int64            `json:"repaired"`
	Seconds   float64          `json:"seconds"`
	ReasonSet map[string][]int `json:"reason_steps,omitempty"` // reason -> step numbers it came from
	// Done is the time in the run's .saring/done.json when the index was
	// built ("" when there was none): a run finished since is indexed again.
	Done string `json:"done,omitempty"`
}

// doneStamp is what Manifest.Done holds for outdir's current state.
func doneStamp(dir string) string {
	st, err := outdir.Dir{Root: dir}.RunState()
	if err != nil || !st.Done {
		return ""
	}
	return st.Finished.UTC().Format(time.RFC3339Nano)
}

// tmpPattern names the private directories Build writes an index in
// before renaming it into place.
func tmpPattern(dir string) string { return filepath.Base(dir) + ".tmp-*" }

// buildLock is held in a temporary index directory while its build runs.
const buildLock = ".build.lock"

// CleanTemp removes the temporary directories that builds of the index in
// dir left behind (a viewer killed while indexing), except those of a build
// still running in another live process.
func CleanTemp(dir string) {
	olds, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), tmpPattern(dir)))
	for _, old := range olds {
		if fi, err := os.Stat(old); err != nil || !fi.IsDir() {
			continue
		}
		lk, err := outdir.Acquire(filepath.Join(old, buildLock), "a viewer index build")
		if err != nil {
			continue // a live build, or one on another host
		}
		os.RemoveAll(old)
		lk.Release()
	}
}

type dict struct {
	names []string
	n     []int64
	idx   map[string]uint16
}

func newDict() *dict { return &dict{names: []string{""}, n: []int64{0}, idx: map[string]uint16{"": 0}} }

// id interns s; past 65535 names everything else shares the last slot,
// which keeps a hostile output from growing the dictionary without bound.
func (d *dict) id(s string) uint16 {
	if i, ok := d.idx[s]; ok {
		d.n[i]++
		return i
	}
	if len(d.names) >= math.MaxUint16 {
		i := uint16(len(d.names) - 1)
		d.n[i]++
		return i
	}
	i := uint16(len(d.names))
	d.names = append(d.names, s)
	d.n = append(d.n, 1)
	d.idx[s] = i
	return i
}

// parsed is what a worker extracts from one record.
type parsed struct {
	step, reason, lang string
	score              float32
	flags              uint8
}

type batchOut struct {
	docs  []parsed
	frame []byte // compressed batch, for compressed files
}

type idxMeta struct {
	Metadata struct {
		Language      string   `json:"language"`
		LanguageScore *float64 `json:"language_score"`
		Removed       *struct {
			Step   string `json:"step"`
			Reason string `json:"reason"`
		} `json:"removed"`
		Repairs            []json.RawMessage `json:"repairs"`
		MinhashClusterSize float64           `json:"minhash_cluster_size"`
	} `json:"metadata"`
	Error string `json:"error"` // rejected records
}

func parseRecord(set report.Set, rec []byte) parsed {
	var m idxMeta
	// Decode only the metadata object: the text is most of the line.
	if meta, ok := formats.TopLevelValue(rec, "metadata"); ok && set != report.Rejected {
		_ = json.Unmarshal(meta, &m.Metadata)
	} else {
		_ = json.Unmarshal(rec, &m) // partial on bad types; a broken line still gets an entry
	}
	p := parsed{lang: m.Metadata.Language, score: float32(math.NaN())}
	if m.Metadata.LanguageScore != nil {
		p.score = float32(*m.Metadata.LanguageScore)
	}
	if m.Metadata.Removed != nil {
		p.step, p.reason = m.Metadata.Removed.Step, m.Metadata.Removed.Reason
	}
	if set == report.Rejected {
		p.reason = outdir.RejectKind(m.Error)
	}
	if len(m.Metadata.Repairs) > 0 {
		p.flags |= flagRepaired
	}
	if m.Metadata.MinhashClusterSize > 1 {
		p.flags |= flagCluster
	}
	return p
}

// Build (re)creates the index of out's outputs in dir.
func Build(ctx context.Context, out, dir string) (*Manifest, error) {
	start := time.Now()
	files, err := report.ListOutputs(out)
	if err != nil {
		return nil, err
	}
	if len(files) > math.MaxUint16 {
		return nil, fmt.Errorf("%d output files: the viewer indexes at most %d", len(files), math.MaxUint16)
	}
	// A private temporary directory, renamed into place when complete: two
	// viewers opening the same output never see half an index.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("create index directory (pass --index-dir to put it elsewhere): %w", err)
	}
	CleanTemp(dir)
	tmp, err := os.MkdirTemp(filepath.Dir(dir), tmpPattern(dir))
	if err != nil {
		return nil, fmt.Errorf("create index directory (pass --index-dir to put it elsewhere): %w", err)
	}
	defer os.RemoveAll(tmp)
	lk, err := outdir.Acquire(filepath.Join(tmp, buildLock), "a viewer index build")
	if err != nil {
		return nil, err
	}
	defer lk.Release()
	idxF, err := os.Create(filepath.Join(tmp, "docs.idx"))
	if err != nil {
		return nil, err
	}
	defer idxF.Close()
	idxW := bufio.NewWriterSize(idxF, 1<<20)

	man := &Manifest{Version: indexVersion, Done: doneStamp(out)}
	for _, f := range files {
		fe := FileEntry{Rel: f.Rel, Size: f.Size, ModTime: f.ModTime, Set: int(f.Set)}
		if f.Compression != report.Plain {
			fe.Blocks = fmt.Sprintf("blocks-%04d.s2", len(man.Files))
		}
		man.Files = append(man.Files, fe)
	}
	steps, reasons, langs := newDict(), newDict(), newDict()
	reasonSteps := map[string]map[int]bool{}
	var blocks *os.File
	var blocksFile = -1
	var blocksOff uint64
	closeBlocks := func() error {
		if blocks == nil {
			return nil
		}
		err := blocks.Close()
		blocks = nil
		return err
	}
	defer closeBlocks()

	workers := runtime.GOMAXPROCS(0)
	var rec Rec
	buf := make([]byte, recSize)
	ord := int64(0)
	for i := range man.SetStart {
		man.SetStart[i] = -1
	}
	err = report.MapBatches(ctx, files, workers,
		func(_ int, b *report.Batch) batchOut {
			set := files[b.File].Set
			out := batchOut{docs: make([]parsed, b.Len())}
			for i := range out.docs {
				out.docs[i] = parseRecord(set, b.Record(i))
			}
			if files[b.File].Compression != report.Plain {
				// S2 blocks: several times faster to write than zstd at its
				// fastest, for a cache that only has to be smaller than the text.
				out.frame = s2.Encode(make([]byte, s2.MaxEncodedLen(len(b.Data))), b.Data)
			}
			return out
		},
		func(b *report.Batch, out batchOut) error {
			f := files[b.File]
			fe := &man.Files[b.File]
			if out.frame != nil && blocksFile != b.File {
				if err := closeBlocks(); err != nil {
					return err
				}
				var err error
				if blocks, err = os.Create(filepath.Join(tmp, fe.Blocks)); err != nil {
					return err
				}
				blocksFile, blocksOff = b.File, 0
			}
			if man.SetStart[f.Set] < 0 {
				man.SetStart[f.Set] = ord
			}
			for i, p := range out.docs {
				rec = Rec{File: uint16(b.File), Set: f.Set, Flags: p.flags, Score: p.score,
					Step: steps.id(p.step), Reason: reasons.id(p.reason), Lang: langs.id(p.lang),
					Len: uint32(b.Ends[i] - b.Starts[i])}
				if p.reason != "" {
					if reasonSteps[p.reason] == nil {
						reasonSteps[p.reason] = map[int]bool{}
					}
					reasonSteps[p.reason][int(rec.Step)] = true
				}
				if out.frame != nil {
					rec.Loc, rec.FrameN, rec.InFrame = blocksOff, uint32(len(out.frame)), uint32(b.Starts[i])
				} else {
					rec.Loc = uint64(b.Offs[i])
				}
				if p.flags&flagRepaired != 0 {
					man.Repaired++
				}
				rec.put(buf)
				if _, err := idxW.Write(buf); err != nil {
					return err
				}
				ord++
			}
			fe.Docs += int64(len(out.docs))
			man.SetDocs[f.Set] += int64(len(out.docs))
			if out.frame != nil {
				if _, err := blocks.Write(out.frame); err != nil {
					return err
				}
				blocksOff += uint64(len(out.frame))
			}
			return nil
		},
		func(fe report.FileError) {
			for i := range man.Files {
				if man.Files[i].Rel == fe.File {
					man.Files[i].Error = fe.Err.Error()
				}
			}
		})
	if err != nil {
		return nil, err
	}
	if ord > math.MaxUint32 {
		return nil, fmt.Errorf("%d documents: the viewer indexes at most %d", ord, uint64(math.MaxUint32))
	}
	if err := closeBlocks(); err != nil {
		return nil, err
	}
	if err := idxW.Flush(); err != nil {
		return nil, err
	}
	if err := idxF.Sync(); err != nil {
		return nil, err
	}
	man.Docs = ord
	for i := range man.SetStart {
		if man.SetStart[i] < 0 {
			man.SetStart[i] = ord
		}
	}
	man.Steps, man.StepN = steps.names, steps.n
	man.Reasons, man.ReasonN = reasons.names, reasons.n
	man.Langs, man.LangN = langs.names, langs.n
	man.ReasonSet = map[string][]int{}
	for r, ss := range reasonSteps {
		for s := range ss {
			man.ReasonSet[r] = append(man.ReasonSet[r], s)
		}
	}
	man.Seconds = time.Since(start).Seconds()
	mb, err := json.MarshalIndent(man, "", " ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "manifest.json"), mb, 0o644); err != nil {
		return nil, err
	}
	if err := lk.Release(); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another viewer may have installed its index first; use it if fresh.
		if m, ok := Fresh(out, dir); ok {
			return m, nil
		}
		return nil, fmt.Errorf("install index: %w", err)
	}
	return man, nil
}

// Fresh reports whether the index in dir was built from out's current files.
func Fresh(out, dir string) (*Manifest, bool) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, false
	}
	var man Manifest
	if json.Unmarshal(b, &man) != nil || man.Version != indexVersion || man.Done != doneStamp(out) {
		return nil, false
	}
	files, err := report.ListOutputs(out)
	if err != nil || len(files) != len(man.Files) {
		return nil, false
	}
	for i, f := range files {
		e := man.Files[i]
		if e.Rel != f.Rel || e.Size != f.Size || e.ModTime != f.ModTime {
			return nil, false
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "docs.idx")); err != nil || fi.Size() != man.Docs*recSize {
		return nil, false
	}
	return &man, true
}

// Open returns the index of out, building it when missing or stale
// (built from other files, or before the run finished). Temporary
// directories that killed builds left behind are removed first.
func Open(ctx context.Context, out, dir string) (*Manifest, bool, error) {
	CleanTemp(dir)
	if man, ok := Fresh(out, dir); ok {
		return man, false, nil
	}
	man, err := Build(ctx, out, dir)
	if errors.Is(err, context.Canceled) {
		return nil, false, err
	}
	return man, true, err
}
