package report

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/saring/saring/formats"
	"github.com/saring/saring/outdir"
)

// Scan is what the report learns by streaming the output files: the
// numbers stats.json does not carry (dedup cluster sizes, repaired lines)
// and, when stats.json is missing, the counts it would have carried.
type Scan struct {
	Files        int
	Docs         [3]int64 // by Set
	ClusterSizes map[int64]int64
	Repaired     int64            // kept documents with at least one repaired line
	RepairDocs   map[string]int64 // by step
	RepairLines  map[string]int64
	RepairChars  map[string]int64 // characters (runes) of the lines cut, newline excluded
	RemovedBy    map[string]map[string]int64
	Languages    map[string]int64 // kept documents
	RejectErrors map[string]int64 // by outdir.RejectKind
	RejectSample []RejectedLine
	FileErrors   []FileError
	Seconds      float64
}

// RejectedLine is one line of rejected/, as the runner writes it.
type RejectedLine = formats.Rejected

// docMeta is the part of an output document the report reads. Text is not
// decoded (json skips it without allocating a string).
type docMeta struct {
	Metadata struct {
		Language string `json:"language"`
		Removed  *struct {
			Step   string `json:"step"`
			Reason string `json:"reason"`
		} `json:"removed"`
		Repairs []struct {
			Step string `json:"step"`
			Text string `json:"text"`
		} `json:"repairs"`
		MinhashClusterSize *float64 `json:"minhash_cluster_size"`
	} `json:"metadata"`
}

func newScan() *Scan {
	return &Scan{
		ClusterSizes: map[int64]int64{}, RepairDocs: map[string]int64{}, RepairLines: map[string]int64{},
		RepairChars: map[string]int64{}, RemovedBy: map[string]map[string]int64{}, Languages: map[string]int64{},
		RejectErrors: map[string]int64{},
	}
}

var (
	keyRepairs = []byte(`"repairs"`)
	keyCluster = []byte(`"minhash_cluster_size"`)
)

// ScanOutputs streams every output file once, in parallel, in bounded memory.
// full also collects what stats.json normally provides (languages, removal
// reasons); without it, records that cannot carry repairs or cluster sizes
// are counted without being decoded, which keeps a million documents in the
// order of a second.
func ScanOutputs(ctx context.Context, files []OutputFile, full bool) (*Scan, error) {
	start := time.Now()
	total := newScan()
	total.Files = len(files)
	err := MapBatches(ctx, files, 0,
		func(_ int, b *Batch) *Scan {
			s := newScan()
			set := files[b.File].Set
			s.Docs[set] += int64(b.Len())
			for i := 0; i < b.Len(); i++ {
				scanRecord(s, set, b.Record(i), full)
			}
			return s
		},
		func(_ *Batch, s *Scan) error { total.merge(s); return nil },
		func(fe FileError) { total.FileErrors = append(total.FileErrors, fe) })
	total.Seconds = time.Since(start).Seconds()
	return total, err
}

func scanRecord(s *Scan, set Set, rec []byte, full bool) {
	switch set {
	case Rejected:
		var r RejectedLine
		_ = json.Unmarshal(rec, &r)
		s.RejectErrors[outdir.RejectKind(r.Error)]++
		if len(s.RejectSample) < 20 {
			if len(r.Raw) > 300 {
				r.Raw = r.Raw[:300] + "…"
			}
			s.RejectSample = append(s.RejectSample, r)
		}
		return
	case Kept:
		if !full && !bytes.Contains(rec, keyRepairs) && !bytes.Contains(rec, keyCluster) {
			return
		}
	case Removed:
		if !full {
			return
		}
	}
	var d docMeta
	if meta, ok := formats.TopLevelValue(rec, "metadata"); ok {
		_ = json.Unmarshal(meta, &d.Metadata) // a type mismatch leaves the rest decoded
	} else {
		_ = json.Unmarshal(rec, &d)
	}
	m := &d.Metadata
	if set == Removed {
		step, reason := "unknown", "unknown"
		if m.Removed != nil {
			step, reason = nonEmpty(m.Removed.Step), nonEmpty(m.Removed.Reason)
		}
		if s.RemovedBy[step] == nil {
			s.RemovedBy[step] = map[string]int64{}
		}
		s.RemovedBy[step][reason]++
		return
	}
	if m.MinhashClusterSize != nil && *m.MinhashClusterSize >= 1 {
		s.ClusterSizes[int64(*m.MinhashClusterSize)]++
	}
	if len(m.Repairs) > 0 {
		s.Repaired++
		seen := map[string]bool{}
		for _, r := range m.Repairs {
			st := nonEmpty(r.Step)
			s.RepairLines[st]++
			s.RepairChars[st] += int64(utf8.RuneCountInString(r.Text))
			if !seen[st] {
				seen[st] = true
				s.RepairDocs[st]++
			}
		}
	}
	if full {
		s.Languages[nonEmptyLang(m.Language)]++
	}
}

func nonEmpty(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func nonEmptyLang(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func (s *Scan) merge(o *Scan) {
	for i := range s.Docs {
		s.Docs[i] += o.Docs[i]
	}
	addMap(s.ClusterSizes, o.ClusterSizes)
	s.Repaired += o.Repaired
	addMap(s.RepairDocs, o.RepairDocs)
	addMap(s.RepairLines, o.RepairLines)
	addMap(s.RepairChars, o.RepairChars)
	addMap(s.Languages, o.Languages)
	for k, v := range o.RejectErrors {
		s.RejectErrors[k] += v
	}
	for step, m := range o.RemovedBy {
		if s.RemovedBy[step] == nil {
			s.RemovedBy[step] = map[string]int64{}
		}
		addMap(s.RemovedBy[step], m)
	}
	for _, r := range o.RejectSample {
		if len(s.RejectSample) < 20 {
			s.RejectSample = append(s.RejectSample, r)
		}
	}
}

func addMap[K comparable](dst, src map[K]int64) {
	for k, v := range src {
		dst[k] += v
	}
}

// sortedKeys returns m's keys by descending value, then name.
func sortedKeys[V int64 | float64](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
