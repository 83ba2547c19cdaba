// Package reporttest writes run output directories for the report's and the
// viewer's tests, screenshots and benchmarks by running the real runner
// (pipeline.Runner) on a small generated corpus, so that what they read is
// exactly what `saring run` writes: its file names, stats.json, metadata
// and rejected records. The documents are made-up sentences in Indonesian
// and English; a few are hostile HTML so that every view's escaping is
// exercised, some are repaired, duplicated, too short or unreadable.
//
// The steps need no model file: languages come from the input's metadata.
package reporttest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/saring/saring/internal/steps"
	"github.com/saring/saring/pipeline"
)

// Options shape the fixture.
type Options struct {
	Docs        int    // documents generated (default 200); about 1% more unreadable records are added
	PerFile     int    // documents per output shard (default 100000)
	Compression string // "", "gz" or "zst": the output format jsonl, jsonl.gz or jsonl.zst
	Seed        uint64
	Inputs      int // input files, each one unit of the run (default 3)
	Tasks       int // tasks per stage, all run in this process (default 1)
	Workers     int // default 2
}

// Pipeline is the fixture's pipeline: two stages split at exact_dedup, a
// third at minhash.
const Pipeline = `steps:
  - normalize
  - repetition_repair
  - boilerplate
  - gopher_quality:
      language: en
  - exact_dedup
  - minhash
`

// Documents every fixture holds.
const (
	// HostileID is removed by gopher_quality as gopher_short_doc; its
	// text is HostileText.
	HostileID   = "doc-hostile"
	HostileText = "<script>alert(1)</script>"
	// HostileKeptID is kept; its first line closes a <pre> and opens a script.
	HostileKeptID = "doc-hostile-kept"
	// RepairedDocID is kept; boilerplate cut its last line, RepairedCutOut.
	RepairedDocID  = "doc-repaired"
	RepairedCutOut = "Baca juga: <script>alert(4)</script> berita lainnya"
	// RejectedRaw is an input line that is not JSON: it lands in rejected/.
	RejectedRaw = `<html><script>alert(5)</script>`
)

var idWords = strings.Fields(`yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga
sudah oleh karena bisa ada mereka kami kita saat tahun pemerintah presiden kota warga pasar harga beras
menteri rakyat jalan sekolah rumah sakit banjir hujan listrik desa kabupaten provinsi ekonomi laporan`)
var enWords = strings.Fields(`the of and to in is that for it with as was on be by this are from at have
an not which but they his all or had one their more were been city market price rice government report
river school hospital flood rain power village province economy minister people road`)
var boiler = []string{"Baca juga: Harga beras naik lagi di pasar induk", "Copyright © 2024 Kantor Berita",
	"Bagikan ke Facebook", "Sumber: Reuters"}

// Write runs the fixture's pipeline into outdir (created if needed) and
// leaves a finished run there: kept/, removed/, rejected/, stats.json and
// .saring/ with its plan, markers and done.json.
func Write(outdir string, o Options) error {
	if o.Docs <= 0 {
		o.Docs = 200
	}
	if o.PerFile <= 0 {
		o.PerFile = 100000
	}
	if o.Inputs <= 0 {
		o.Inputs = 3
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	format := "jsonl"
	switch o.Compression {
	case "":
	case "gz", "zst":
		format += "." + o.Compression
	default:
		return fmt.Errorf("reporttest: compression %q (want \"\", gz or zst)", o.Compression)
	}
	in, err := os.MkdirTemp("", "saring-reporttest-input-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(in)
	if err := WriteCorpus(in, o); err != nil {
		return err
	}
	reg := steps.All()
	cfg, err := pipeline.Parse("reporttest pipeline", []byte(Pipeline), reg)
	if err != nil {
		return err
	}
	cfg.Input.Paths = []string{in}
	cfg.Output.Dir = outdir
	cfg.Output.Format = format
	cfg.Output.ShardDocs = int64(o.PerFile)
	cfg.Workers = o.Workers
	r := &pipeline.Runner{Config: cfg, Registry: reg, Version: "0.1.0-test", Tasks: o.Tasks}
	_, err = r.Run(context.Background())
	return err
}

// WriteCorpus writes the input Write runs the pipeline on into dir:
// o.Docs documents over o.Inputs files (default 3), in input order, file k
// holding documents k·n/Inputs up to (k+1)·n/Inputs. The first file is
// plain JSONL and starts with the hostile and repaired documents; the
// others alternate gzip and plain.
func WriteCorpus(dir string, o Options) error {
	if o.Docs <= 0 {
		o.Docs = 200
	}
	if o.Inputs <= 0 {
		o.Inputs = 3
	}
	rng := rand.New(rand.NewPCG(o.Seed, 42))
	var files []*bytes.Buffer
	for k := 0; k < o.Inputs; k++ {
		files = append(files, &bytes.Buffer{})
	}
	var seen []string // texts of earlier documents, for duplicates
	for i := 0; i < o.Docs; i++ {
		w := files[i*o.Inputs/o.Docs]
		lang, text := makeText(rng)
		id := fmt.Sprintf("doc-%07d", i)
		switch {
		case i == 0:
			id, text = HostileID, HostileText
		case i == 1:
			lang, text = "en", "Judul </pre><script>alert(3)</script>\n"+englishText(rng)
			id = HostileKeptID
		case i == 2:
			lang, text = "en", englishText(rng)+"\n"+RepairedCutOut
			id = RepairedDocID
		case i > 3 && len(seen) > 0 && rng.Float64() < 0.06:
			text = seen[rng.IntN(len(seen))] // exact duplicate
		case i > 3 && len(seen) > 0 && rng.Float64() < 0.06:
			// near duplicate: one word changed
			ws := strings.Split(seen[rng.IntN(len(seen))], " ")
			ws[len(ws)/2] = "berbeda"
			text = strings.Join(ws, " ")
		case rng.Float64() < 0.06:
			text = "Terlalu pendek untuk dibaca."
		case rng.Float64() < 0.08:
			// a body scraped twice: repetition_repair keeps it once
			text = text + "\n" + text
		case rng.Float64() < 0.12:
			b := boiler[rng.IntN(len(boiler))]
			text = text + "\n" + b
		}
		if i > 2 {
			seen = append(seen, text)
		}
		score := math.Round((0.35+0.65*math.Sqrt(rng.Float64()))*1e4) / 1e4
		fmt.Fprintf(w, `{"id":%q,"text":%s,"url":"https://news.example/%s/%d","metadata":{"language":%q,"language_score":%v}}`+"\n",
			id, jsonString(text), lang, i, lang, score)
		if i%97 == 50 {
			switch rng.IntN(3) {
			case 0:
				w.WriteString(RejectedRaw + "\n")
			case 1:
				w.WriteString(`{"id":"no-text","body":"a record without its text field"}` + "\n")
			default:
				w.WriteString("{\"id\":\"bad-utf8\",\"text\":\"caf\xe9 au lait\"}\n")
			}
		}
	}
	// Every fixture has at least one unreadable record, in the first file.
	files[0].WriteString(RejectedRaw + "\n")
	for k, b := range files {
		name := filepath.Join(dir, fmt.Sprintf("crawl-%02d.jsonl", k))
		data := b.Bytes()
		if k%2 == 1 {
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write(data)
			zw.Close()
			name, data = name+".gz", z.Bytes()
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// makeText returns a document of 60 to 200 words: English, or Indonesian
// that half the time carries enough English words to pass gopher_quality's
// English stop-word rule (code-mixed pages are common) and otherwise fails it.
func makeText(rng *rand.Rand) (lang, text string) {
	if rng.Float64() < 0.6 {
		return "en", englishText(rng)
	}
	vocab := idWords
	if rng.Float64() < 0.5 {
		vocab = append(append([]string{}, idWords...), "the", "and", "of", "to", "that", "with", "the", "and")
	}
	return "id", sentences(rng, vocab)
}

func englishText(rng *rand.Rand) string { return sentences(rng, enWords) }

func sentences(rng *rand.Rand, vocab []string) string {
	var b strings.Builder
	nl := 3 + rng.IntN(5)
	for l := 0; l < nl; l++ {
		if l > 0 {
			b.WriteByte('\n')
		}
		nw := 18 + rng.IntN(24)
		for w := 0; w < nw; w++ {
			word := vocab[rng.IntN(len(vocab))]
			if w == 0 {
				word = strings.ToUpper(word[:1]) + word[1:]
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(word)
		}
		b.WriteByte('.')
	}
	return b.String()
}
