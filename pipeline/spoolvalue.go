package pipeline

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"sort"
	"strings"

	"github.com/saring/saring/formats"
)

// Metadata goes through a spool in its Go types, so that a step sees the
// same values whether or not a corpus-wide step ran before it: a float64
// stays a float64 (through JSON it would come back a json.Number), an int an
// int. Values of other types (a step's own structs) go as JSON and come back
// as what encoding/json gives for them, as they would from a JSONL input.
const (
	tagNil byte = iota
	tagFalse
	tagTrue
	tagString
	tagFloat64
	tagFloat32
	tagInt
	tagInt64
	tagInt32
	tagUint64
	tagNumber
	tagList
	tagMap
	tagStrings
	tagFloats
	tagInts
	tagJSON
)

func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, tagNil), nil
	case bool:
		if v {
			return append(b, tagTrue), nil
		}
		return append(b, tagFalse), nil
	case string:
		return appendBytes(append(b, tagString), v), nil
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, tagFloat64), math.Float64bits(v)), nil
	case float32:
		return binary.LittleEndian.AppendUint32(append(b, tagFloat32), math.Float32bits(v)), nil
	case int:
		return binary.AppendVarint(append(b, tagInt), int64(v)), nil
	case int64:
		return binary.AppendVarint(append(b, tagInt64), v), nil
	case int32:
		return binary.AppendVarint(append(b, tagInt32), int64(v)), nil
	case uint64:
		return binary.AppendUvarint(append(b, tagUint64), v), nil
	case json.Number:
		return appendBytes(append(b, tagNumber), string(v)), nil
	case []any:
		b = binary.AppendUvarint(append(b, tagList), uint64(len(v)))
		for _, e := range v {
			var err error
			if b, err = appendValue(b, e); err != nil {
				return b, err
			}
		}
		return b, nil
	case map[string]any:
		b = binary.AppendUvarint(append(b, tagMap), uint64(len(v)))
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b = appendBytes(b, k)
			var err error
			if b, err = appendValue(b, v[k]); err != nil {
				return b, err
			}
		}
		return b, nil
	case []string:
		b = binary.AppendUvarint(append(b, tagStrings), uint64(len(v)))
		for _, s := range v {
			b = appendBytes(b, s)
		}
		return b, nil
	case []float64:
		b = binary.AppendUvarint(append(b, tagFloats), uint64(len(v)))
		for _, f := range v {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
		}
		return b, nil
	case []int:
		b = binary.AppendUvarint(append(b, tagInts), uint64(len(v)))
		for _, n := range v {
			b = binary.AppendVarint(b, int64(n))
		}
		return b, nil
	default:
		js, err := formats.AppendJSONValue(nil, v)
		if err != nil {
			return b, err
		}
		return appendBytes(append(b, tagJSON), string(js)), nil
	}
}

// value reads what appendValue wrote; on damage it sets p.err.
func (p *byteParser) value(depth int) any {
	if p.err != nil || len(p.b) == 0 || depth > 1000 {
		p.err = errSpoolCorrupt
		return nil
	}
	tag := p.b[0]
	p.b = p.b[1:]
	switch tag {
	case tagNil:
		return nil
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagString:
		return p.str()
	case tagFloat64:
		return math.Float64frombits(p.fixed(8))
	case tagFloat32:
		return math.Float32frombits(uint32(p.fixed(4)))
	case tagInt:
		return int(p.varint())
	case tagInt64:
		return p.varint()
	case tagInt32:
		return int32(p.varint())
	case tagUint64:
		return p.uvarint()
	case tagNumber:
		return json.Number(p.str())
	case tagList:
		n := p.count()
		l := make([]any, 0, n)
		for i := 0; i < n && p.err == nil; i++ {
			l = append(l, p.value(depth+1))
		}
		return l
	case tagMap:
		n := p.count()
		m := make(map[string]any, n)
		for i := 0; i < n && p.err == nil; i++ {
			k := p.str()
			m[k] = p.value(depth + 1)
		}
		return m
	case tagStrings:
		n := p.count()
		l := make([]string, 0, n)
		for i := 0; i < n && p.err == nil; i++ {
			l = append(l, p.str())
		}
		return l
	case tagFloats:
		n := p.count()
		l := make([]float64, 0, n)
		for i := 0; i < n && p.err == nil; i++ {
			l = append(l, math.Float64frombits(p.fixed(8)))
		}
		return l
	case tagInts:
		n := p.count()
		l := make([]int, 0, n)
		for i := 0; i < n && p.err == nil; i++ {
			l = append(l, int(p.varint()))
		}
		return l
	case tagJSON:
		dec := json.NewDecoder(strings.NewReader(p.str()))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil && p.err == nil {
			p.err = errSpoolCorrupt
		}
		return v
	}
	p.err = errSpoolCorrupt
	return nil
}

func (p *byteParser) fixed(n int) uint64 {
	if p.err != nil || len(p.b) < n {
		p.err = errSpoolCorrupt
		return 0
	}
	var v uint64
	for i := n - 1; i >= 0; i-- {
		v = v<<8 | uint64(p.b[i])
	}
	p.b = p.b[n:]
	return v
}

// count reads a length that cannot exceed the bytes left (each element
// takes at least one), so a damaged spool cannot make a huge allocation.
func (p *byteParser) count() int {
	n := p.uvarint()
	if n > uint64(len(p.b)) {
		p.err = errSpoolCorrupt
		return 0
	}
	return int(n)
}
