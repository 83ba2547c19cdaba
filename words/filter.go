package words

// keyFilter is a Bloom-like bitmap over a cheap hash of a string (its
// length and first and last two bytes). A clear bit proves the string is not
// a key, which saves the map lookup for most words.
type keyFilter [1 << 16 / 64]uint64

func keyFilterHash(s string) uint32 {
	n := len(s)
	if n == 0 {
		return 0
	}
	h := uint32(n)*0x9E3779B1 ^ uint32(s[0])<<8 ^ uint32(s[n-1])
	if n > 1 {
		h = h*0x85EBCA6B ^ uint32(s[1])<<16 ^ uint32(s[n-2])<<4
	}
	h ^= h >> 15
	h *= 0x2C1B3C6D
	h ^= h >> 13
	return h & (1<<16 - 1)
}

func (f *keyFilter) add(s string) {
	h := keyFilterHash(s)
	f[h>>6] |= 1 << (h & 63)
}

func (f *keyFilter) mayHave(s string) bool {
	h := keyFilterHash(s)
	return f[h>>6]&(1<<(h&63)) != 0
}
