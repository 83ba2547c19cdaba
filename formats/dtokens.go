package formats

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// datatrove's tokenized shards (datatrove/pipeline/tokens/tokenizer.py,
// TokenizedFile), all little-endian, no headers:
//
//	NAME.ds          the ids, uint16 ("H") or uint32 ("I") each
//	NAME.ds.index    uint64 per document: where it ends, in tokens from the
//	                 start of NAME.ds
//	NAME.ds.metadata "TOKENIZER|TOKEN_SIZE\nTOKEN_COUNT\nHUMAN_COUNT"
//
// DocumentTokenizerMerger reads the token size from the .metadata file (it
// assumes 2 bytes without one), so saring always writes it. The optional
// .ds.loss file (a loss mask byte per token) is not written: saring has no
// loss ranges to mask, and a reader treats a missing mask as all ones.

// WriteDatatroveIndex writes the .ds.index of documents of lens ids each.
func WriteDatatroveIndex(w io.Writer, lens []int64) error {
	b := make([]byte, 0, 8*len(lens))
	var end uint64
	for _, l := range lens {
		end += uint64(l)
		b = binary.LittleEndian.AppendUint64(b, end)
	}
	_, err := w.Write(b)
	return err
}

// ReadDatatroveIndex decodes a .ds.index file: the document ends, which must
// not fall.
func ReadDatatroveIndex(b []byte) ([]uint64, error) {
	if len(b)%8 != 0 {
		return nil, fmt.Errorf("datatrove index: %d bytes is not a whole number of uint64 ends", len(b))
	}
	ends := make([]uint64, len(b)/8)
	var prev uint64
	for i := range ends {
		ends[i] = binary.LittleEndian.Uint64(b[8*i:])
		if ends[i] < prev {
			return nil, fmt.Errorf("datatrove index: document %d ends at token %d, before its predecessor (%d)", i, ends[i], prev)
		}
		prev = ends[i]
	}
	return ends, nil
}

// DatatroveDocuments splits a .ds file of width-byte ids at ends.
func DatatroveDocuments(ds []byte, width int, ends []uint64) ([][]int64, error) {
	if width != 2 && width != 4 {
		return nil, fmt.Errorf("datatrove data: token size %d (2 or 4)", width)
	}
	if len(ds)%width != 0 {
		return nil, fmt.Errorf("datatrove data: %d bytes is not a whole number of %d-byte ids", len(ds), width)
	}
	n := uint64(len(ds) / width)
	if len(ends) > 0 && ends[len(ends)-1] != n {
		return nil, fmt.Errorf("datatrove data: %d ids, the index ends at %d", n, ends[len(ends)-1])
	}
	if len(ends) == 0 && n != 0 {
		return nil, fmt.Errorf("datatrove data: %d ids and an empty index", n)
	}
	docs := make([][]int64, len(ends))
	var start uint64
	for i, e := range ends {
		ids := make([]int64, 0, e-start)
		for k := start; k < e; k++ {
			if width == 2 {
				ids = append(ids, int64(binary.LittleEndian.Uint16(ds[2*k:])))
			} else {
				ids = append(ids, int64(binary.LittleEndian.Uint32(ds[4*k:])))
			}
		}
		docs[i], start = ids, e
	}
	return docs, nil
}

// DatatroveMetadata is the text of a .ds.metadata file as TokenizedFile's
// write_final_metadata writes it: the tokenizer and token size, the token
// count, and the count as humanize.metric(count, unit="T") gives it.
func DatatroveMetadata(tokenizer string, width int, tokens int64) string {
	if tokenizer == "" {
		tokenizer = "Unknown Tokenizer"
	}
	return fmt.Sprintf("%s|%d\n%d\n%s", tokenizer, width, tokens, humanMetric(float64(tokens), "T"))
}

// ParseDatatroveMetadata reads back the tokenizer, token size and count.
func ParseDatatroveMetadata(s string) (tokenizer string, width int, tokens int64, err error) {
	lines := strings.Split(s, "\n")
	if len(lines) < 2 {
		return "", 0, 0, fmt.Errorf("datatrove metadata: %d lines (at least 2)", len(lines))
	}
	i := strings.LastIndexByte(lines[0], '|')
	if i < 0 {
		return "", 0, 0, fmt.Errorf("datatrove metadata: no token size in %q", lines[0])
	}
	if width, err = strconv.Atoi(lines[0][i+1:]); err != nil || (width != 2 && width != 4) {
		return "", 0, 0, fmt.Errorf("datatrove metadata: token size %q", lines[0][i+1:])
	}
	if tokens, err = strconv.ParseInt(lines[1], 10, 64); err != nil {
		return "", 0, 0, fmt.Errorf("datatrove metadata: token count %q", lines[1])
	}
	return lines[0][:i], width, tokens, nil
}

// humanMetric follows the humanize package's metric(value, unit, precision=3):
// three significant digits and an SI prefix, "1.50 kT".
func humanMetric(v float64, unit string) string {
	exp := 0
	if v != 0 {
		exp = int(math.Floor(math.Log10(math.Abs(v))))
	}
	if exp >= 33 || exp < -30 {
		return fmt.Sprintf("%.2e %s", v, unit)
	}
	v /= math.Pow(10, float64(floorDiv(exp, 3)*3))
	prefix := ""
	if exp >= 3 {
		prefix = string("kMGTPEZYRQ"[exp/3-1])
	}
	digits := 3 - (((exp % 3) + 3) % 3) - 1
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if prefix != "" || unit != "" {
		return s + " " + prefix + unit
	}
	return s
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
