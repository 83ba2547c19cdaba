package tokenize

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// precompiled is SentencePiece's precompiled_charsmap, the normalization
// rules of a SentencePiece model (nmt_nfkc and the like) compiled into a
// darts-clone double-array trie over the UTF-8 bytes of the strings to
// replace, whose values are offsets into a blob of NUL-terminated
// replacements. The layout is
//
//	uint32 (little-endian) trie size in bytes, the trie as uint32 units, the blob
//
// and a unit packs (darts-clone): bit 8 has-leaf, bits 0-7 the label (bit 31
// set on leaves), the offset in bits 10-31 shifted left by 8 when bit 9 is
// set; a leaf's value is its low 31 bits.
type precompiled struct {
	units []uint32
	blob  string
	// The replacement of each code point below 0x10000 as one grapheme:
	// -1 when it has none, else an offset into blob. Filled at load so the
	// common case is one table look-up.
	bmp []int32
}

func parsePrecompiled(b []byte) (*precompiled, error) {
	if len(b) < 4 {
		return nil, errors.New("precompiled_charsmap: shorter than its header")
	}
	n := binary.LittleEndian.Uint32(b)
	if n%4 != 0 || uint64(n) > uint64(len(b)-4) {
		return nil, fmt.Errorf("precompiled_charsmap: trie of %d bytes in %d", n, len(b)-4)
	}
	if n == 0 {
		return nil, errors.New("precompiled_charsmap: empty trie")
	}
	p := &precompiled{units: make([]uint32, n/4), blob: string(b[4+n:])}
	if !utf8.ValidString(p.blob) {
		return nil, errors.New("precompiled_charsmap: replacements are not UTF-8")
	}
	for i := range p.units {
		p.units[i] = binary.LittleEndian.Uint32(b[4+4*i:])
	}
	p.bmp = make([]int32, 0x10000)
	var buf [4]byte
	for r := rune(0); r < 0x10000; r++ {
		p.bmp[r] = -1
		if utf8.ValidRune(r) {
			k := utf8.EncodeRune(buf[:], r)
			if v, ok := p.first(string(buf[:k])); ok {
				if err := p.checkValue(v); err != nil {
					return nil, err
				}
				p.bmp[r] = int32(v)
			}
		}
	}
	return p, nil
}

func unitOffset(u uint32) uint32 { return (u >> 10) << ((u & (1 << 9)) >> 6) }
func unitLabel(u uint32) uint32  { return u & (1<<31 | 0xFF) }
func unitHasLeaf(u uint32) bool  { return (u>>8)&1 == 1 }
func unitValue(u uint32) uint32  { return u & (1<<31 - 1) }

// first returns the value of the shortest key that is a prefix of s: the
// reference (Hugging Face's spm_precompiled) takes the first of the common
// prefix search's results, not the longest as SentencePiece itself does.
func (p *precompiled) first(s string) (uint32, bool) {
	pos := uint32(0)
	if len(p.units) == 0 {
		return 0, false
	}
	pos ^= unitOffset(p.units[0])
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 0 {
			break
		}
		pos ^= uint32(c)
		if pos >= uint32(len(p.units)) {
			return 0, false
		}
		u := p.units[pos]
		if unitLabel(u) != uint32(c) {
			return 0, false
		}
		pos ^= unitOffset(u)
		if unitHasLeaf(u) {
			if pos >= uint32(len(p.units)) {
				return 0, false
			}
			return unitValue(p.units[pos]), true
		}
	}
	return 0, false
}

func (p *precompiled) checkValue(v uint32) error {
	if uint64(v) > uint64(len(p.blob)) {
		return fmt.Errorf("precompiled_charsmap: replacement offset %d past the %d-byte blob", v, len(p.blob))
	}
	return nil
}

// at returns the replacement starting at blob offset v (to its NUL).
func (p *precompiled) at(v uint32) string {
	s := p.blob[v:]
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	return s
}

// transform returns the replacement of chunk (the shortest key that is a
// prefix of it stands for all of it), or false.
func (p *precompiled) transform(chunk string) (string, bool) {
	if len(chunk) <= 3 {
		if r, w := utf8.DecodeRuneInString(chunk); w == len(chunk) && (r != utf8.RuneError || w > 1) {
			if v := p.bmp[r]; v >= 0 {
				return p.at(uint32(v)), true
			}
			return "", false
		}
	}
	v, ok := p.first(chunk)
	if !ok || p.checkValue(v) != nil {
		return "", false
	}
	return p.at(v), true
}

// normalize appends to dst the normalization of s as Hugging Face
// tokenizers' Precompiled normalizer does it: by extended grapheme cluster,
// a cluster shorter than 6 bytes replaced whole when a key is a prefix of it
// (so what follows the key in the cluster is dropped), else each code point
// replaced on its own.
func (p *precompiled) normalize(dst []byte, s string) []byte {
	state := -1
	for len(s) > 0 {
		var g string
		// An ASCII character followed by another is a cluster of its own,
		// except CR LF; the segmenter is asked only near other text, and
		// starts afresh after such a cluster (a boundary that depends on
		// nothing before it).
		if c := s[0]; c < utf8.RuneSelf && (len(s) == 1 || s[1] < utf8.RuneSelf && !(c == '\r' && s[1] == '\n')) {
			g, s, state = s[:1], s[1:], -1
			if v := p.bmp[c]; v >= 0 {
				dst = append(dst, p.at(uint32(v))...)
			} else {
				dst = append(dst, c)
			}
			continue
		}
		g, s, _, state = uniseg.FirstGraphemeClusterInString(s, state)
		if len(g) < 6 {
			if rep, ok := p.transform(g); ok {
				dst = append(dst, rep...)
				continue
			}
		}
		for len(g) > 0 {
			_, w := utf8.DecodeRuneInString(g)
			if rep, ok := p.transform(g[:w]); ok {
				dst = append(dst, rep...)
			} else {
				dst = append(dst, g[:w]...)
			}
			g = g[w:]
		}
	}
	return dst
}
