// Command gencorpus writes a synthetic corpus of news-like pages in several
// languages, built from the labelled sentences in ../shared/data, for
// benchmarks. Output is deterministic for a given seed and size.
//
//	go run ./bench/gencorpus -o /tmp/corpus.jsonl.zst -mb 100
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/saring/saring"
	"github.com/saring/saring/formats"
)

func main() {
	out := flag.String("o", "corpus.jsonl.zst", "output file (.jsonl or .jsonl.zst)")
	mb := flag.Int("mb", 100, "approximate uncompressed size in MB")
	data := flag.String("data", "../shared/data/lingua-sentences", "directory of <lang>.txt sentence files")
	langs := flag.String("langs", "id,en,ms,de,fr,es,pt,vi,tl,nl", "languages to use")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*out, *mb, *data, strings.Split(*langs, ","), *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

func run(out string, mb int, dataDir string, langs []string, seed uint64) error {
	sentences := map[string][]string{}
	for _, l := range langs {
		b, err := os.ReadFile(filepath.Join(dataDir, l+".txt"))
		if err != nil {
			return fmt.Errorf("%w (run from the repository root, beside ../shared, or pass -data)", err)
		}
		for _, s := range strings.Split(string(b), "\n") {
			if s = strings.TrimSpace(s); s != "" {
				sentences[l] = append(sentences[l], s)
			}
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	var w io.Writer = f
	var zw *zstd.Encoder
	if strings.HasSuffix(out, ".zst") {
		zw, _ = zstd.NewWriter(f)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	footers := map[string][]string{
		"id": {"Baca juga: %s", "Sumber: Antara", "Pewarta: Redaksi", "Editor: Tim Redaksi", "COPYRIGHT © Kabar %d"},
		"ms": {"Baca lagi: %s", "Hak cipta terpelihara %d"},
		"en": {"Read more: %s", "Share this article", "All rights reserved %d"},
	}
	target := int64(mb) * 1_000_000
	var written int64
	var line []byte
	for n := 0; written < target; n++ {
		lang := langs[rng.IntN(len(langs))]
		pool := sentences[lang]
		var b strings.Builder
		paras := 3 + rng.IntN(8)
		for p := 0; p < paras; p++ {
			for s := 0; s < 2+rng.IntN(4); s++ {
				if s > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(pool[rng.IntN(len(pool))])
			}
			b.WriteByte('\n')
			if p == paras/2 && len(footers[lang]) > 0 && rng.IntN(2) == 0 {
				fmt.Fprintf(&b, footers[lang][0]+"\n", pool[rng.IntN(len(pool))])
			}
		}
		text := b.String()
		if rng.IntN(10) == 0 { // scraped twice
			text += text
		}
		for i, ft := range footers[lang] {
			if i > 0 && rng.IntN(2) == 0 {
				if strings.Contains(ft, "%d") {
					ft = fmt.Sprintf(ft, 2020+rng.IntN(5))
				}
				text += ft + "\n"
			}
		}
		doc := &saring.Document{ID: fmt.Sprintf("doc-%08d", n), Text: strings.TrimRight(text, "\n"),
			Fields: []saring.Field{{Key: "url", Value: []byte(fmt.Sprintf("%q", fmt.Sprintf("https://news-%d.example/%s/%d", rng.IntN(200), lang, n)))}}}
		line, err = formats.AppendJSONL(line[:0], doc)
		if err != nil {
			return err
		}
		bw.Write(line)
		written += int64(len(line))
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	}
	return f.Close()
}
