package formats

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"

	"github.com/zeebo/xxh3"

	"github.com/saring/saring"
	"github.com/saring/saring/outdir"
)

// The tokenized output formats: the token ids of each kept document, one
// document after the other, with an index of where each ends. They hold no
// text, id or metadata, so the viewer does not list them.
const (
	// Megatron is Megatron-LM's indexed dataset: PREFIX.bin holds the ids,
	// PREFIX.idx the MMIDIDX index (megatron/core/datasets/indexed_dataset.py).
	Megatron = "megatron"
	// DatatroveTokens is datatrove's DocumentTokenizer output: PREFIX.ds
	// holds the ids, PREFIX.ds.index the end of every document in tokens
	// (uint64), PREFIX.ds.metadata the tokenizer and the token count.
	DatatroveTokens = "datatrove_tokens"
)

// IsTokenFormat reports whether an output format holds token ids rather
// than documents.
func IsTokenFormat(format string) bool { return format == Megatron || format == DatatroveTokens }

// TokenWidth is the bytes per token id a format uses for a vocabulary of
// vocab ids, as each reference chooses it: Megatron's preprocess_data
// (DType.optimal_dtype) takes uint16 below 65,500 ids and int32 otherwise;
// datatrove takes uint16 up to 65,536 ids and uint32 otherwise.
func TokenWidth(format string, vocab int) int {
	switch format {
	case Megatron:
		if vocab < 65500 {
			return 2
		}
	case DatatroveTokens:
		if vocab <= 65536 {
			return 2
		}
	}
	return 4
}

// TokenOptions configure a ShardWriter of a tokenized format.
type TokenOptions struct {
	// Encode returns a document's token ids, the end-of-document token
	// included, little-endian at Width bytes each. It is called by the
	// writer, in output order; a pipeline computes it ahead in its workers.
	Encode func(doc *saring.Document) ([]byte, error)
	Width  int // 2 or 4
	// MaxTokens starts a new shard after a document takes the shard to this
	// many tokens (0: no limit). A document is never split across shards.
	MaxTokens int64
	// Shuffle writes a shard's documents in an order drawn from Seed and
	// the shard's file name, so the order is the same for any task count.
	Shuffle bool
	Seed    uint64
	// Tokenizer names the tokenizer in datatrove's .ds.metadata.
	Tokenizer string
}

// tokenShard writes one shard of a tokenized format. Ids are streamed to a
// temporary file; only the per-document lengths are kept in memory (8 bytes
// a document). Shuffling copies the documents to a second temporary file
// in the drawn order when the shard is finished.
type tokenShard struct {
	format string
	opts   *TokenOptions
	base   string // final path without extension
	f      *os.File
	tmp    string
	bw     *bufio.Writer
	lens   []int64 // tokens of each document, in write order
	tokens int64
	temps  []string // every temporary file, for abort
	finals []string // final names, in commit order
	ready  []string // temporary names matching finals
}

// TokenFileExts are the extensions of each tokenized format's files, data
// file first, in the order a shard's files are made final.
var TokenFileExts = map[string][]string{
	Megatron:        {".bin", ".idx"},
	DatatroveTokens: {".ds", ".ds.index", ".ds.metadata"},
}

// UnshuffledTempName is where a shuffled shard's ids are first written.
func UnshuffledTempName(final string) string {
	return filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".unshuffled.tmp")
}

func tempName(final string) string {
	return filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".tmp")
}

func newTokenShard(format, base string, opts *TokenOptions, buf int) (*tokenShard, error) {
	if opts == nil || opts.Encode == nil || (opts.Width != 2 && opts.Width != 4) {
		return nil, fmt.Errorf("output format %s needs a tokenizer (token width 2 or 4)", format)
	}
	s := &tokenShard{format: format, opts: opts, base: base}
	data := base + TokenFileExts[format][0]
	s.tmp = tempName(data)
	if opts.Shuffle {
		s.tmp = UnshuffledTempName(data)
	}
	f, err := os.Create(s.tmp)
	if err != nil {
		return nil, err
	}
	s.f, s.bw = f, bufio.NewWriterSize(f, buf)
	s.temps = append(s.temps, s.tmp)
	return s, nil
}

func (s *tokenShard) write(doc *saring.Document, ids []byte) (int64, error) {
	if len(ids)%s.opts.Width != 0 {
		return 0, fmt.Errorf("token ids of %d bytes are not a whole number of %d-byte ids", len(ids), s.opts.Width)
	}
	n := int64(len(ids) / s.opts.Width)
	// A document the sample step upsampled (metadata.repeat) is written
	// that many times, each copy its own sequence, so that the training
	// data holds the mix the rates asked for.
	var wrote int64
	for c := repeatOf(doc); c > 0; c-- {
		if _, err := s.bw.Write(ids); err != nil {
			return wrote, err
		}
		s.lens = append(s.lens, n)
		s.tokens += n
		wrote += int64(len(ids))
	}
	return wrote, nil
}

// repeatOf is how many copies of doc to write: metadata.repeat when it is
// a whole number above 1, else one.
func repeatOf(doc *saring.Document) int {
	v, ok := doc.Meta(outdir.MetaRepeat)
	if !ok {
		return 1
	}
	var n int64
	switch v := v.(type) {
	case int:
		n = int64(v)
	case int64:
		n = v
	case float64:
		n = int64(v)
	case json.Number:
		n, _ = v.Int64()
	}
	return int(max(1, min(n, 1<<20)))
}

func (s *tokenShard) finish() error {
	if err := s.bw.Flush(); err != nil {
		return err
	}
	exts := TokenFileExts[s.format]
	data := s.base + exts[0]
	lens := s.lens
	if s.opts.Shuffle {
		perm := ShuffleOrder(len(lens), s.opts.Seed, filepath.Base(s.base))
		var err error
		if lens, err = s.copyShuffled(data, perm); err != nil {
			return err
		}
	} else {
		if err := s.f.Sync(); err != nil {
			return err
		}
		if err := s.f.Close(); err != nil {
			return err
		}
	}
	s.finals = append(s.finals, data)
	s.ready = append(s.ready, tempName(data))
	idx := s.base + exts[1]
	if err := s.writeTemp(idx, func(w io.Writer) error { return s.writeIndex(w, lens) }); err != nil {
		return err
	}
	if s.format == DatatroveTokens {
		meta := s.base + exts[2]
		if err := s.writeTemp(meta, func(w io.Writer) error {
			_, err := io.WriteString(w, DatatroveMetadata(s.opts.Tokenizer, s.opts.Width, s.tokens))
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// copyShuffled writes the documents of the unshuffled file to the data
// file's temporary name in perm's order and returns their lengths in that
// order. The unshuffled file is read at each document's offset.
func (s *tokenShard) copyShuffled(data string, perm []int) ([]int64, error) {
	w := int64(s.opts.Width)
	starts := make([]int64, len(s.lens))
	var off int64
	for i, n := range s.lens {
		starts[i] = off
		off += n * w
	}
	out := make([]int64, len(perm))
	tmp := tempName(data)
	s.temps = append(s.temps, tmp)
	f, err := os.Create(tmp)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	var buf []byte
	for i, d := range perm {
		n := s.lens[d] * w
		if int64(cap(buf)) < n {
			buf = make([]byte, n)
		}
		b := buf[:n]
		if _, err := s.f.ReadAt(b, starts[d]); err != nil {
			f.Close()
			return nil, fmt.Errorf("shuffling %s: %w", data, err)
		}
		if _, err := bw.Write(b); err != nil {
			f.Close()
			return nil, err
		}
		out[i] = s.lens[d]
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	s.f.Close()
	os.Remove(s.tmp)
	return out, nil
}

func (s *tokenShard) writeTemp(final string, fill func(io.Writer) error) error {
	tmp := tempName(final)
	s.temps = append(s.temps, tmp)
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := fill(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	s.finals = append(s.finals, final)
	s.ready = append(s.ready, tmp)
	return nil
}

func (s *tokenShard) writeIndex(w io.Writer, lens []int64) error {
	if s.format == Megatron {
		return WriteMegatronIndex(w, s.opts.Width, lens)
	}
	return WriteDatatroveIndex(w, lens)
}

// commit renames the shard's files to their final names, data file first:
// a shard is in use once its index is there.
func (s *tokenShard) commit() ([]string, error) {
	for i, final := range s.finals {
		if err := os.Rename(s.ready[i], final); err != nil {
			return nil, err
		}
	}
	return s.finals, nil
}

func (s *tokenShard) abort() {
	if s.f != nil {
		s.f.Close()
	}
	for _, t := range s.temps {
		os.Remove(t)
	}
}

func (s *tokenShard) tmpName() string { return s.tmp }

// ShuffleOrder is the order a shuffled shard of n documents is written in:
// a Fisher-Yates permutation drawn from a PCG generator seeded with seed and
// the xxh3 of the shard's name. It is defined here, not by math/rand, so the
// same seed gives the same order in every Go version.
func ShuffleOrder(n int, seed uint64, name string) []int {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	g := pcg{hi: seed, lo: xxh3.HashString(name)}
	for i := n - 1; i > 0; i-- {
		j := g.below(uint64(i + 1))
		perm[i], perm[j] = perm[j], perm[i]
	}
	return perm
}

// pcg is PCG-DXSM with a 128-bit state, as math/rand/v2's PCG.
type pcg struct{ hi, lo uint64 }

func (p *pcg) next() uint64 {
	const (
		mulHi = 2549297995355413924
		mulLo = 4865540595714422341
		incHi = 6364136223846793005
		incLo = 1442695040888963407
	)
	hi, lo := bits.Mul64(p.lo, mulLo)
	hi += p.hi*mulLo + p.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	p.lo, p.hi = lo, hi
	const cheapMul = 0xda942042e4dd58b5
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> (64 - 16)
	hi *= lo | 1
	return hi
}

// below returns a uniform value in [0, n) (Lemire's multiply-and-reject).
func (p *pcg) below(n uint64) int {
	hi, lo := bits.Mul64(p.next(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(p.next(), n)
		}
	}
	return int(hi)
}

// AppendTokenIDs appends ids little-endian at width bytes each (2: uint16,
// 4: int32/uint32), failing on an id the width cannot hold.
func AppendTokenIDs(dst []byte, width int, ids []int) ([]byte, error) {
	for _, id := range ids {
		switch {
		case id < 0:
			return dst, fmt.Errorf("negative token id %d", id)
		case width == 2:
			if id > 0xFFFF {
				return dst, fmt.Errorf("token id %d does not fit in 16 bits", id)
			}
			dst = binary.LittleEndian.AppendUint16(dst, uint16(id))
		default:
			if id > 0x7FFFFFFF {
				return dst, fmt.Errorf("token id %d does not fit in 31 bits", id)
			}
			dst = binary.LittleEndian.AppendUint32(dst, uint32(id))
		}
	}
	return dst, nil
}

var errShortIndex = errors.New("index ends early")
