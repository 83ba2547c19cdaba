package words

// keyFilter is a Bloom-like bitmap over a cheap hash of a string (its
// length and its first, middle and last bytes). A clear bit proves the
// string is not a key, which saves the map lookup for most words. It is
// sized to the key count so that it stays small (in cache) for English.
type keyFilter struct {
	bits  []uint64
	shift uint32
}

func newKeyFilter(keys int) keyFilter {
	lg := uint32(16)
	for lg < 20 && 1<<lg < keys*16 {
		lg++
	}
	return keyFilter{bits: make([]uint64, 1<<lg/64), shift: 32 - lg}
}

// keyRaw is the unmixed hash of s; filters mix it to their size.
func keyRaw(s string) uint32 {
	n := len(s)
	if n == 0 {
		return 0
	}
	return uint32(n)<<24 ^ uint32(s[0])<<16 ^ uint32(s[n-1])<<8 ^ uint32(s[n>>1])
}

func (f *keyFilter) mix(raw uint32) uint32 { return (raw * 0x9E3779B1) >> f.shift }

func (f *keyFilter) hash(s string) uint32 { return f.mix(keyRaw(s)) }

func (f *keyFilter) add(s string) {
	h := f.hash(s)
	f.bits[h>>6] |= 1 << (h & 63)
}

func (f *keyFilter) mayHave(s string) bool {
	return f.test(f.hash(s))
}

// test is mayHave for a hash from hash (of this filter, or of another of
// the same size).
func (f *keyFilter) test(h uint32) bool {
	return f.bits[h>>6]&(1<<(h&63)) != 0
}

// The pair form keys a filter by two strings, e.g. the first two tokens of
// a pattern, from their raw hashes.
func (f *keyFilter) mixPair(a, b uint32) uint32 {
	return ((a * 0x85EBCA6B) ^ b) * 0x9E3779B1 >> f.shift
}

func (f *keyFilter) addPair(a, b string) {
	h := f.mixPair(keyRaw(a), keyRaw(b))
	f.bits[h>>6] |= 1 << (h & 63)
}
