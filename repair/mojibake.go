package repair

import (
	"strings"
	"unicode/utf8"
)

// cp1252High maps the characters that bytes 0x80–0x9F become when text is
// decoded as Windows-1252 back to those bytes. Bytes 0xA0–0xFF (and 0x80–0x9F
// under Latin-1) decode to the code point of the same value.
var cp1252High = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// mojibakeByte returns the byte a character came from if the text was UTF-8
// wrongly decoded as Windows-1252 or Latin-1.
func mojibakeByte(r rune) (byte, bool) {
	switch {
	case r < 0x80:
		return 0, false
	case r <= 0xFF:
		return byte(r), true
	case r < 0x152 || r > 0x2122:
		return 0, false
	}
	b, ok := cp1252High[r]
	return b, ok
}

// mojibakeFix is one repaired sequence: s[start:end] becomes r.
type mojibakeFix struct {
	start, end int
	r          rune
}

// fixMojibake repairs UTF-8 text that was decoded as Windows-1252 or Latin-1
// ("â€™" → "’", "Ã©" → "é"). It is conservative: it changes the text only
// when at least half of the characters that could be mojibake are part of a
// sequence that decodes to valid UTF-8. Correct text in French or Portuguese
// has many such characters and almost never such sequences, so it is left
// alone; a wrongly decoded page has nearly all of them in sequences. It
// returns the text and the number of sequences repaired.
func fixMojibake(s string) (string, int) {
	if !hasNonASCII(s) {
		return s, 0
	}
	var fixes []mojibakeFix
	high, covered := 0, 0
	var buf [4]byte  // bytes of the pending sequence
	start, n := 0, 0 // its offset in s and length
	flushFrom := func(end int) {
		// Try to decode the pending run as one UTF-8 sequence.
		if n >= 2 && buf[0] >= 0xC2 && buf[0] <= 0xF4 {
			want := 2
			switch {
			case buf[0] >= 0xF0:
				want = 4
			case buf[0] >= 0xE0:
				want = 3
			}
			if n == want {
				r, size := utf8.DecodeRune(buf[:n])
				if r != utf8.RuneError && size == n && r >= 0xA0 {
					fixes = append(fixes, mojibakeFix{start, end, r})
					covered += n
				}
			}
		}
		n = 0
	}
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			// ASCII ends any pending sequence.
			n = 0
			i++
			for i < len(s) && s[i] < utf8.RuneSelf {
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b, ok := mojibakeByte(r)
		i0 := i
		i += size
		if !ok {
			n = 0
			continue
		}
		high++
		isLead := b >= 0xC2 && b <= 0xF4
		isCont := b >= 0x80 && b <= 0xBF
		switch {
		case n == 0 && isLead:
			start, buf[0], n = i0, b, 1
		case n > 0 && isCont && n < 4:
			buf[n] = b
			n++
			want := 2
			switch {
			case buf[0] >= 0xF0:
				want = 4
			case buf[0] >= 0xE0:
				want = 3
			}
			if n == want {
				flushFrom(i)
			}
		default:
			n = 0
			if isLead {
				start, buf[0], n = i0, b, 1
			}
		}
	}
	if len(fixes) == 0 || covered*2 < high {
		return s, 0
	}
	var out strings.Builder
	out.Grow(len(s))
	last := 0
	for _, f := range fixes {
		out.WriteString(s[last:f.start])
		out.WriteRune(f.r)
		last = f.end
	}
	out.WriteString(s[last:])
	return out.String(), len(fixes)
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}
