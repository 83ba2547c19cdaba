// Package whatlanggo is saring's stand-in for the language guesser that
// go-trafilatura imports: it answers "unknown" at once. saring tags
// languages with fastText in its language step instead.
package whatlanggo

// Lang is a language; only the unknown one exists here.
type Lang int

// Unknown is the only answer DetectLang gives.
const Unknown Lang = -1

// DetectLang returns Unknown.
func DetectLang(string) Lang { return Unknown }

// Iso6391 returns "" for Unknown.
func (Lang) Iso6391() string { return "" }

// String returns "".
func (Lang) String() string { return "" }
