// Command baseline gives the limits the hot path is measured against: it
// reads standard input and does the least work a word-level filter must do,
// so that bench scripts can print how far each step is from it on the same
// input in the same run.
//
//	zstd -dc corpus.jsonl.zst | baseline words   # split UTF-8 into words
//	zstd -dc corpus.jsonl.zst | baseline xxh3    # and hash every word
//
// A word is a maximal run of letters, digits and marks (unicode classes),
// decoded rune by rune with an ASCII shortcut.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
)

func main() {
	if len(os.Args) != 2 || os.Args[1] != "words" && os.Args[1] != "xxh3" {
		fmt.Fprintln(os.Stderr, "usage: baseline words|xxh3 < input")
		os.Exit(2)
	}
	hash := os.Args[1] == "xxh3"
	r := bufio.NewReaderSize(os.Stdin, 1<<20)
	buf := make([]byte, 1<<20)
	var words, bytes int
	var sum uint64
	carry := 0
	for {
		n, err := io.ReadFull(r, buf[carry:])
		n += carry
		if n == 0 {
			break
		}
		// Keep a possibly cut word for the next block.
		end := n
		if err == nil {
			for end > 0 && buf[end-1] > ' ' {
				end--
			}
			if end == 0 {
				end = n
			}
		}
		w, s := split(buf[:end], hash)
		words += w
		sum ^= s
		bytes += end
		carry = copy(buf, buf[end:n])
		if err != nil {
			break
		}
	}
	fmt.Println(words, "words", bytes, "bytes", sum)
}

func split(b []byte, hash bool) (int, uint64) {
	var n int
	var sum uint64
	start := -1
	for i := 0; i < len(b); {
		c := b[i]
		size, word := 1, false
		if c < utf8.RuneSelf {
			word = 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'
		} else {
			var r rune
			r, size = utf8.DecodeRune(b[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
		}
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			n++
			if hash {
				sum ^= xxh3.Hash(b[start:i])
			}
			start = -1
		}
		i += size
	}
	if start >= 0 {
		n++
		if hash {
			sum ^= xxh3.Hash(b[start:])
		}
	}
	return n, sum
}
