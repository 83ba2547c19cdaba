package formats

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// The MMIDIDX index of Megatron-LM's indexed dataset, as
// megatron/core/datasets/indexed_dataset.py writes (_IndexWriter) and reads
// (_IndexReader) it, all little-endian:
//
//	magic            9 bytes  "MMIDIDX\x00\x00"
//	version          uint64   1
//	dtype code       uint8    of the .bin ids: 8 uint16, 4 int32 (DType)
//	sequence count   uint64   S
//	document count   uint64   D+1 (document indices, starting at 0)
//	sequence lengths int32[S] ids in each sequence
//	sequence ptrs    int64[S] byte offset of each sequence in .bin
//	document indices int64[D+1] 0, then the sequence after each document
//
// saring writes each document as one sequence (as preprocess_data.py does
// without --split-sentences), its end-of-document token included, so the
// document indices are 0, 1, ..., D.
const megatronMagic = "MMIDIDX\x00\x00"

// Megatron dtype codes (DType in indexed_dataset.py).
const (
	MegatronUint16 = 8
	MegatronInt32  = 4
)

var megatronSizes = map[uint8]int{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 8, 7: 4, 8: 2}

// megatronHeader is the fixed part before the arrays: 9+8+1+8+8 bytes.
const megatronHeader = 34

// WriteMegatronIndex writes the .idx of documents of lens ids each, one
// sequence a document, ids of width bytes (2: uint16, 4: int32).
func WriteMegatronIndex(w io.Writer, width int, lens []int64) error {
	code := uint8(MegatronInt32)
	if width == 2 {
		code = MegatronUint16
	}
	n := len(lens)
	b := make([]byte, 0, megatronHeader+n*(4+8+8)+8)
	b = append(b, megatronMagic...)
	b = binary.LittleEndian.AppendUint64(b, 1)
	b = append(b, code)
	b = binary.LittleEndian.AppendUint64(b, uint64(n))
	b = binary.LittleEndian.AppendUint64(b, uint64(n+1))
	for _, l := range lens {
		if l > math.MaxInt32 {
			return fmt.Errorf("a document of %d tokens does not fit Megatron's int32 sequence length", l)
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(l))
	}
	var ptr int64
	for _, l := range lens {
		b = binary.LittleEndian.AppendUint64(b, uint64(ptr))
		ptr += l * int64(width)
	}
	for i := 0; i <= n; i++ {
		b = binary.LittleEndian.AppendUint64(b, uint64(i))
	}
	_, err := w.Write(b)
	return err
}

// MegatronIndex is a decoded .idx file.
type MegatronIndex struct {
	DtypeCode  uint8
	Lengths    []int32
	Pointers   []int64
	DocIndices []int64
}

// Width is the bytes per id in the .bin file.
func (x *MegatronIndex) Width() int { return megatronSizes[x.DtypeCode] }

// ReadMegatronIndex decodes a .idx file and checks that it is whole and
// consistent: the magic and version, a known dtype, the arrays the counts
// announce (and nothing after them but an optional int8 mode per sequence,
// which multimodal datasets add), pointers that follow from the lengths,
// and document indices rising from 0 to the sequence count.
func ReadMegatronIndex(b []byte) (*MegatronIndex, error) {
	if len(b) < megatronHeader {
		return nil, fmt.Errorf("megatron index: %w (%d bytes, the header is %d)", errShortIndex, len(b), megatronHeader)
	}
	if !bytes.Equal(b[:9], []byte(megatronMagic)) {
		return nil, fmt.Errorf("megatron index: bad magic %q", b[:9])
	}
	if v := binary.LittleEndian.Uint64(b[9:]); v != 1 {
		return nil, fmt.Errorf("megatron index: version %d (only 1 exists)", v)
	}
	x := &MegatronIndex{DtypeCode: b[17]}
	width, ok := megatronSizes[x.DtypeCode]
	if !ok {
		return nil, fmt.Errorf("megatron index: unknown dtype code %d", x.DtypeCode)
	}
	seqs := binary.LittleEndian.Uint64(b[18:])
	docs := binary.LittleEndian.Uint64(b[26:])
	rest := uint64(len(b) - megatronHeader)
	// Bound the counts by the bytes there before multiplying.
	if seqs > rest/12 || docs > rest/8 || seqs*12+docs*8 > rest {
		return nil, fmt.Errorf("megatron index: %w (%d sequences and %d document indices announced, %d bytes follow)", errShortIndex, seqs, docs, rest)
	}
	if extra := rest - seqs*12 - docs*8; extra != 0 && extra != seqs {
		return nil, fmt.Errorf("megatron index: %d bytes after the document indices", extra)
	}
	if docs == 0 {
		return nil, fmt.Errorf("megatron index: no document indices (the first is always 0)")
	}
	p := b[megatronHeader:]
	x.Lengths = make([]int32, seqs)
	for i := range x.Lengths {
		x.Lengths[i] = int32(binary.LittleEndian.Uint32(p[4*i:]))
		if x.Lengths[i] < 0 {
			return nil, fmt.Errorf("megatron index: sequence %d has length %d", i, x.Lengths[i])
		}
	}
	p = p[4*seqs:]
	x.Pointers = make([]int64, seqs)
	var want int64
	for i := range x.Pointers {
		x.Pointers[i] = int64(binary.LittleEndian.Uint64(p[8*i:]))
		if x.Pointers[i] != want {
			return nil, fmt.Errorf("megatron index: sequence %d starts at byte %d, its predecessors end at %d", i, x.Pointers[i], want)
		}
		want += int64(x.Lengths[i]) * int64(width)
	}
	p = p[8*seqs:]
	x.DocIndices = make([]int64, docs)
	for i := range x.DocIndices {
		x.DocIndices[i] = int64(binary.LittleEndian.Uint64(p[8*i:]))
		switch {
		case i == 0 && x.DocIndices[0] != 0:
			return nil, fmt.Errorf("megatron index: the first document index is %d, not 0", x.DocIndices[0])
		case i > 0 && (x.DocIndices[i] < x.DocIndices[i-1] || x.DocIndices[i] > int64(seqs)):
			return nil, fmt.Errorf("megatron index: document index %d is %d (after %d, of %d sequences)", i, x.DocIndices[i], x.DocIndices[i-1], seqs)
		}
	}
	return x, nil
}

// BinBytes is the size the .bin file must have.
func (x *MegatronIndex) BinBytes() int64 {
	if len(x.Lengths) == 0 {
		return 0
	}
	n := len(x.Lengths) - 1
	return x.Pointers[n] + int64(x.Lengths[n])*int64(x.Width())
}

// Documents splits the ids of a .bin file into documents (each the ids of
// its sequences), after checking its size against the index.
func (x *MegatronIndex) Documents(bin []byte) ([][]int64, error) {
	if int64(len(bin)) != x.BinBytes() {
		return nil, fmt.Errorf("megatron data: %d bytes, the index says %d", len(bin), x.BinBytes())
	}
	w := x.Width()
	var docs [][]int64
	for d := 1; d < len(x.DocIndices); d++ {
		var ids []int64
		for s := x.DocIndices[d-1]; s < x.DocIndices[d]; s++ {
			off := x.Pointers[s]
			for k := int64(0); k < int64(x.Lengths[s]); k++ {
				ids = append(ids, readID(bin[off+k*int64(w):], x.DtypeCode))
			}
		}
		docs = append(docs, ids)
	}
	return docs, nil
}

func readID(b []byte, code uint8) int64 {
	switch code {
	case 1:
		return int64(b[0])
	case 2:
		return int64(int8(b[0]))
	case 3:
		return int64(int16(binary.LittleEndian.Uint16(b)))
	case 8:
		return int64(binary.LittleEndian.Uint16(b))
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(b)))
	case 5:
		return int64(binary.LittleEndian.Uint64(b))
	}
	return 0 // float dtypes never hold token ids
}
