package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// unicodeData holds the UnicodeData.txt fields that Python's str
// predicates (and so the regex classes \w and \d) are built from.
type unicodeData struct {
	recs []ucdRec // in code point order; ranges expanded to first/last
}

type ucdRec struct {
	lo, hi  rune
	cat     string
	bidi    string
	decimal bool // field 6: str.isdecimal, regex \d
	digit   bool // field 7
	numeric bool // field 8
}

func readUCD(r io.Reader) (*unicodeData, error) {
	u := &unicodeData{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	line := 0
	var first *ucdRec
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || text[0] == '#' {
			continue
		}
		f := strings.Split(text, ";")
		if len(f) < 15 {
			return nil, fmt.Errorf("UnicodeData.txt:%d: %d fields, want 15", line, len(f))
		}
		cp, err := strconv.ParseUint(f[0], 16, 32)
		if err != nil {
			return nil, fmt.Errorf("UnicodeData.txt:%d: bad code point %q", line, f[0])
		}
		rec := ucdRec{lo: rune(cp), hi: rune(cp), cat: f[2], bidi: f[4], decimal: f[6] != "", digit: f[7] != "", numeric: f[8] != ""}
		name := f[1]
		switch {
		case strings.HasSuffix(name, ", First>"):
			first = &rec
			continue
		case strings.HasSuffix(name, ", Last>"):
			if first == nil {
				return nil, fmt.Errorf("UnicodeData.txt:%d: range end without a start", line)
			}
			first.hi = rec.lo
			rec = *first
			first = nil
		}
		if n := len(u.recs); n > 0 && u.recs[n-1].hi >= rec.lo {
			return nil, fmt.Errorf("UnicodeData.txt:%d: code points out of order", line)
		}
		u.recs = append(u.recs, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(u.recs) == 0 {
		return nil, fmt.Errorf("UnicodeData.txt: no records")
	}
	return u, nil
}

func (u *unicodeData) where(keep func(ucdRec) bool) []runeRange {
	var out []runeRange
	for _, r := range u.recs {
		if keep(r) {
			out = append(out, runeRange{r.lo, r.hi})
		}
	}
	return normalize(out)
}

// word is Python's \w for str patterns: str.isalnum() (letters, and
// characters with a decimal, digit or numeric value) or '_'.
func (u *unicodeData) word() []runeRange {
	rs := u.where(func(r ucdRec) bool {
		return strings.HasPrefix(r.cat, "L") && r.cat != "LC" || r.decimal || r.digit || r.numeric
	})
	return normalize(append(rs, runeRange{'_', '_'}))
}

// decimal is Python's \d: str.isdecimal().
func (u *unicodeData) decimal() []runeRange {
	return u.where(func(r ucdRec) bool { return r.decimal })
}

// space is str.isspace(): bidirectional class WS, B or S, or category Zs.
func (u *unicodeData) space() []runeRange {
	return u.where(func(r ucdRec) bool {
		return r.bidi == "WS" || r.bidi == "B" || r.bidi == "S" || r.cat == "Zs"
	})
}

// punct is unicodedata.category(c).startswith("P").
func (u *unicodeData) punct() []runeRange {
	return u.where(func(r ucdRec) bool { return strings.HasPrefix(r.cat, "P") })
}
