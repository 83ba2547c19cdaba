package dedup

import (
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// TextNorm says how text is normalized before hashing for exact matching.
type TextNorm struct {
	Lowercase          bool
	CollapseWhitespace bool
	StripPunctuation   bool
	ReplaceDigits      bool
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// ASCII classes for appendNorm's fast path.
const (
	asciiOther = iota
	asciiSpace
	asciiPunct
	asciiDigit
	asciiUpper
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 0; c < utf8.RuneSelf; c++ {
		r := rune(c)
		switch {
		case unicode.IsSpace(r):
			t[c] = asciiSpace
		case unicode.IsPunct(r) || unicode.IsSymbol(r):
			t[c] = asciiPunct
		case '0' <= r && r <= '9':
			t[c] = asciiDigit
		case 'A' <= r && r <= 'Z':
			t[c] = asciiUpper
		}
	}
	return
}()

// appendNorm appends the normalized form of s to dst.
func (n TextNorm) appendNorm(dst []byte, s string) []byte {
	space := true // suppress leading space
	pending := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch asciiClass[c] {
			case asciiSpace:
				if n.CollapseWhitespace {
					pending = pending || !space
					space = true
					continue
				}
			case asciiPunct:
				if n.StripPunctuation {
					continue
				}
			case asciiDigit:
				if n.ReplaceDigits {
					c = '0'
				}
			case asciiUpper:
				if n.Lowercase {
					c += 'a' - 'A'
				}
			}
			if pending {
				dst = append(dst, ' ')
				pending = false
			}
			space = false
			dst = append(dst, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if n.CollapseWhitespace && unicode.IsSpace(r) {
			pending = pending || !space
			space = true
			continue
		}
		if n.StripPunctuation && (unicode.IsPunct(r) || unicode.IsSymbol(r)) {
			continue
		}
		if n.ReplaceDigits && unicode.IsDigit(r) {
			r = '0'
		} else if n.Lowercase {
			r = unicode.ToLower(r)
		}
		if pending {
			dst = append(dst, ' ')
			pending = false
		}
		space = false
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// trackingParams are query parameters that identify a visit, not a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "yclid": true, "mc_cid": true,
	"mc_eid": true, "_ga": true, "_gl": true, "igshid": true, "ref_src": true, "spm": true,
	"share": true, "amp": true, "cmpid": true, "ocid": true, "wt.mc_id": true, "ito": true,
}

// NormalizeURL returns a canonical form of a URL for exact matching: scheme
// and host lowercased, default ports, "www." (when stripWWW), fragments,
// trailing slashes and tracking parameters (utm_*, fbclid, gclid, ...)
// removed, the remaining query parameters sorted. With ignoreScheme, http
// and https are the same page. Unparsable input is only trimmed.
func NormalizeURL(raw string, ignoreScheme, stripWWW bool) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	host = strings.TrimSuffix(host, ".")
	if stripWWW {
		host = strings.TrimPrefix(host, "www.")
	}
	port := u.Port()
	if port == "80" && (scheme == "http" || scheme == "") || port == "443" && scheme == "https" {
		port = ""
	}
	if ignoreScheme && (scheme == "http" || scheme == "https") {
		scheme = "http"
	}
	path := u.EscapedPath()
	for strings.Contains(path, "//") {
		path = strings.ReplaceAll(path, "//", "/")
	}
	path = strings.TrimRight(path, "/")
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	if port != "" {
		b.WriteString(":")
		b.WriteString(port)
	}
	b.WriteString(path)
	if u.RawQuery != "" {
		var keep []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
			if kv == "" {
				continue
			}
			k, _, _ := strings.Cut(kv, "=")
			lk := strings.ToLower(k)
			if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
				continue
			}
			keep = append(keep, kv)
		}
		slices.Sort(keep)
		if len(keep) > 0 {
			b.WriteString("?")
			b.WriteString(strings.Join(keep, "&"))
		}
	}
	return b.String()
}

// urlHost returns the lowercased host of a URL without "www.", or "".
func urlHost(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}
