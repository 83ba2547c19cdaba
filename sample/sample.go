// Package sample keeps a deterministic share of a corpus, per language or
// any other key, and upsamples documents by their duplicate-cluster size
// as FineWeb 2's rehydration does.
//
// Each document's weight is its rate (the share to keep, above 1 to
// repeat) times its rehydration weight (from minhash_cluster_size). Its
// number of copies is the weight's whole part, plus one more when a
// uniform number drawn from a stable hash of the document's id (or text)
// and the seed falls below the fractional part. The draw depends on the
// document alone, so the sample is the same for any worker or task count,
// and a sample at a lower rate is a subset of one at a higher rate with
// the same seed. No copies: the document is dropped (sampled_out). More
// than one: metadata.repeat holds the count.
//
// Copies are a count, not written documents: a step has one outcome per
// document, and writing a document N times would break the run's
// accounting (read = kept + removed + rejected) and give several output
// documents the same id. The count travels with the document to whatever
// builds the training set (a tokenized writer, a data loader), and the
// step sums copies and copied tokens in stats.json.
package sample

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/zeebo/xxh3"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
)

// StepName is the name of the sample step.
const StepName = "sample"

// Reason is the removal reason of a document drawn out.
const Reason = "sampled_out"

// MetaRepeat is the metadata key of a document's copies, when more than one.
const MetaRepeat = outdir.MetaRepeat

// Register adds the sample step.
func Register(r *saring.Registry) {
	r.Register(saring.NewSpec(StepName,
		"keep a share of documents (rate, or rates by language or a metadata key) drawn by a stable hash of id and seed; upsample by minhash_cluster_size (FineWeb 2 rehydration): metadata.repeat",
		DefaultOptions,
		func(o Options, _ saring.Env) (*Sample, error) { return New(o) }))
}

// Options configures the sample step.
type Options struct {
	Rate  float64            `yaml:"rate" doc:"share of documents to keep; above 1, the expected copies of each (2.5: two or three)"`
	By    string             `yaml:"by" doc:"with rates: language (metadata.language) or any metadata or input field whose value picks the rate"`
	Rates map[string]float64 `yaml:"rates" doc:"rate by value of by; documents with a value not listed take rate"`
	Seed  uint64             `yaml:"seed" doc:"seed of the draw: another seed, another sample"`
	Key   string             `yaml:"key" doc:"what the draw hashes: auto (the id, or the text when the input gave no id), id or text"`
	// Rehydration.
	Weights     map[int]float64 `yaml:"weights" doc:"rehydration: copies by duplicate-cluster size, each key the smallest size of its range (FineWeb 2: {1: 1, 2: 2, 3: 3, 5: 5, 100: 8, 1000: 1}); documents without a cluster size count as 1"`
	WeightsFile string          `yaml:"weights_file" path:"file" doc:"rehydration weights by language, FineWeb 2's weights/up_to_N_reps.json layout ({\"ita_Latn\": {\"1\": 1, \"2\": 3, ...}}); documents of languages not listed take weights"`
	ClusterKey  string          `yaml:"cluster_key" doc:"metadata key of the duplicate-cluster size (the minhash step writes minhash_cluster_size)"`
	TokensKey   string          `yaml:"tokens_key" doc:"metadata key of a token count (the tokens step's key); the step sums copies times tokens in stats.json as the measure copied_tokens"`
}

// DefaultOptions keep everything once.
func DefaultOptions() Options {
	return Options{Rate: 1, Key: "auto", ClusterKey: "minhash_cluster_size", TokensKey: "token_count"}
}

// Validate checks option values.
func (o *Options) Validate() error {
	bad := func(r float64) bool { return r < 0 || math.IsNaN(r) || math.IsInf(r, 0) || r > 1e6 }
	if bad(o.Rate) {
		return &saring.FieldError{Field: "rate", Msg: "must be between 0 and 1e6"}
	}
	for k, r := range o.Rates {
		if bad(r) {
			return &saring.FieldError{Field: "rates", Msg: fmt.Sprintf("%s: must be between 0 and 1e6", k)}
		}
	}
	if len(o.Rates) > 0 && o.By == "" {
		return &saring.FieldError{Field: "by", Msg: "rates need by (language or a metadata key)"}
	}
	switch o.Key {
	case "auto", "id", "text":
	default:
		return &saring.FieldError{Field: "key", Msg: "must be auto, id or text"}
	}
	for size, w := range o.Weights {
		if size < 1 {
			return &saring.FieldError{Field: "weights", Msg: fmt.Sprintf("cluster size %d: sizes start at 1", size)}
		}
		if bad(w) {
			return &saring.FieldError{Field: "weights", Msg: fmt.Sprintf("cluster size %d: weight must be between 0 and 1e6", size)}
		}
	}
	if (len(o.Weights) > 0 || o.WeightsFile != "") && o.ClusterKey == "" {
		return &saring.FieldError{Field: "cluster_key", Msg: "must not be empty with weights"}
	}
	return nil
}

// table is a rehydration table: weight of the largest size <= a cluster's.
type table []struct {
	size   int
	weight float64
}

func newTable(m map[int]float64) table {
	t := make(table, 0, len(m))
	for s, w := range m {
		t = append(t, struct {
			size   int
			weight float64
		}{s, w})
	}
	sort.Slice(t, func(i, j int) bool { return t[i].size < t[j].size })
	return t
}

func (t table) weight(size int) float64 {
	i := sort.Search(len(t), func(i int) bool { return t[i].size > size }) - 1
	if i < 0 {
		return 1
	}
	return t[i].weight
}

// Sample is the step.
type Sample struct {
	o      Options
	def    table
	byLang map[string]table
}

// New builds the step (reading weights_file when given).
func New(o Options) (*Sample, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &Sample{o: o}
	if len(o.Weights) > 0 {
		s.def = newTable(o.Weights)
	}
	if o.WeightsFile != "" {
		m, err := ReadWeightsFile(o.WeightsFile)
		if err != nil {
			return nil, &saring.FieldError{Field: "weights_file", Msg: err.Error()}
		}
		s.byLang = m
	}
	return s, nil
}

// ReadWeightsFile reads rehydration weights by language in FineWeb 2's
// layout: a JSON object of languages, each an object of cluster sizes
// (as strings) to copies.
func ReadWeightsFile(path string) (map[string]table, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]map[string]float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]table{}
	for lang, ws := range raw {
		m := map[int]float64{}
		for k, w := range ws {
			size, err := strconv.Atoi(k)
			if err != nil || size < 1 {
				return nil, fmt.Errorf("%s: %s: cluster size %q is not a positive integer", path, lang, k)
			}
			if w < 0 || math.IsNaN(w) {
				return nil, fmt.Errorf("%s: %s: weight of size %d is negative", path, lang, size)
			}
			m[size] = w
		}
		out[lang] = newTable(m)
	}
	return out, nil
}

func (*Sample) Name() string { return StepName }

// Uniform is the document's draw in [0, 1): the same for any run that
// reads the same document with the same seed.
func Uniform(key string, seed uint64) float64 {
	return float64(xxh3.HashStringSeed(key, seed)>>11) / (1 << 53)
}

// key is what the draw hashes.
func (s *Sample) key(doc *saring.Document) string {
	switch s.o.Key {
	case "id":
		return doc.ID
	case "text":
		return doc.Text
	}
	if doc.ID == "" || derivedID(doc) {
		return doc.Text
	}
	return doc.ID
}

// derivedID reports whether the reader made the id up from the file name
// and record number (the input had none): such an id changes when the
// file is moved, the text does not.
func derivedID(doc *saring.Document) bool {
	f, n, ok := strings.Cut(doc.ID, ":")
	for ok {
		if f == doc.Source.File && n == strconv.FormatInt(doc.Source.Line, 10) {
			return true
		}
		var more string
		more, n, ok = strings.Cut(n, ":")
		f += ":" + more
	}
	return false
}

// Rate is the document's rate before rehydration.
func (s *Sample) Rate(doc *saring.Document) float64 {
	if s.o.By == "" {
		return s.o.Rate
	}
	v := s.value(doc)
	if r, ok := s.o.Rates[v]; ok {
		return r
	}
	return s.o.Rate
}

func (s *Sample) value(doc *saring.Document) string {
	if s.o.By == "language" {
		return doc.Language()
	}
	if v, ok := doc.Meta(s.o.By); ok {
		return scalarString(v)
	}
	v, _ := doc.Lookup(s.o.By)
	return v
}

func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return ""
	case json.Number:
		return t.String()
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// ClusterSize is the document's duplicate-cluster size (1 when it has none).
func (s *Sample) ClusterSize(doc *saring.Document) int {
	v, ok := doc.Meta(s.o.ClusterKey)
	if !ok {
		return 1
	}
	n, ok := number(v)
	if !ok || n < 1 {
		return 1
	}
	return int(n)
}

func number(v any) (float64, bool) {
	switch t := v.(type) {
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	case int32:
		return float64(t), true
	case uint64:
		return float64(t), true
	case float64:
		return t, true
	case json.Number:
		f, err := t.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	}
	return 0, false
}

// Weight is the document's expected number of copies.
func (s *Sample) Weight(doc *saring.Document) float64 {
	w := s.Rate(doc)
	if s.def == nil && s.byLang == nil {
		return w
	}
	t := s.def
	if s.byLang != nil {
		if lt, ok := s.byLang[doc.Language()]; ok {
			t = lt
		}
	}
	if t != nil {
		w *= t.weight(s.ClusterSize(doc))
	}
	return w
}

// Copies is the number of copies the document gets.
func (s *Sample) Copies(doc *saring.Document) int {
	w := s.Weight(doc)
	whole := math.Floor(w)
	n := int(whole)
	if frac := w - whole; frac > 0 && Uniform(s.key(doc), s.o.Seed) < frac {
		n++
	}
	return n
}

// Process keeps, drops or marks a document with its copies.
func (s *Sample) Process(ctx context.Context, doc *saring.Document) (saring.Result, error) {
	if err := ctx.Err(); err != nil {
		return saring.Result{}, err
	}
	n := s.Copies(doc)
	doc.Record(StepName, "copies", float64(n))
	if s.o.TokensKey != "" {
		if v, ok := doc.Meta(s.o.TokensKey); ok {
			if t, ok := number(v); ok {
				doc.Record(StepName, "copied_tokens", float64(n)*t)
			}
		}
	}
	if n == 0 {
		return saring.Dropped(Reason, "weight %.4g: not drawn", s.Weight(doc)), nil
	}
	if n > 1 {
		doc.SetMeta(MetaRepeat, n)
		return saring.Rewritten(), nil
	}
	return saring.Kept(), nil
}

// Explain shows the draw against the weight's fractional part (or, for a
// whole weight, the copies it gives without a draw).
func (s *Sample) Explain(_ context.Context, doc *saring.Document) ([]saring.Check, error) {
	w := s.Weight(doc)
	n := s.Copies(doc)
	note := fmt.Sprintf("weight %.4g (rate %.4g, cluster size %d): %d copies", w, s.Rate(doc), s.ClusterSize(doc), n)
	frac := w - math.Floor(w)
	if frac == 0 {
		return []saring.Check{{Rule: "copies", Value: float64(n), Op: ">=", Threshold: 1, Pass: n >= 1, Note: note}}, nil
	}
	u := Uniform(s.key(doc), s.o.Seed)
	return []saring.Check{{Rule: "draw", Value: u, Op: "<", Threshold: frac, Pass: n > 0, Note: note + fmt.Sprintf(" (%d, and one more when the draw is below %.4g)", int(math.Floor(w)), frac)}}, nil
}

// ReadsMetadata: the language for rates by language or weights by
// language, and the cluster size for rehydration (without a minhash step
// before it, or input.metadata naming it, every document would count as
// unique).
func (o *Options) ReadsMetadata() []string {
	var keys []string
	if o.By == "language" || o.WeightsFile != "" {
		keys = append(keys, "language")
	}
	if len(o.Weights) > 0 || o.WeightsFile != "" {
		keys = append(keys, o.ClusterKey)
	}
	return keys
}

// WritesMetadata: the copies of a document drawn more than once.
func (o *Options) WritesMetadata() []string { return []string{MetaRepeat} }
