// Package reporttest writes synthetic run output directories — the layout
// `saring run` produces — for the report's and the viewer's tests,
// screenshots and benchmarks. The documents are made-up sentences, the
// counts in stats.json agree with the files, and a few documents are hostile
// HTML so that every view's escaping is exercised.
package reporttest

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"
)

// Options shape the fixture.
type Options struct {
	Docs        int    // documents read (default 200)
	PerFile     int    // documents per part file (default 100000)
	Compression string // "", "gz" or "zst"
	Seed        uint64
}

// Hostile texts appear in every fixture: the first is a removed document, the
// second a kept one whose repaired line is also a script.
const (
	HostileID      = "doc-hostile"
	HostileText    = "<script>alert(1)</script>"
	HostileKeptID  = "doc-hostile-kept"
	RepairedDocID  = "doc-repaired"
	RepairedCutOut = "Baca juga: <script>alert(4)</script> berita lainnya"
)

var idWords = strings.Fields(`yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga
sudah oleh karena bisa ada mereka kami kita saat tahun pemerintah presiden kota warga pasar harga beras
menteri rakyat jalan sekolah rumah sakit banjir hujan listrik desa kabupaten provinsi ekonomi laporan`)
var enWords = strings.Fields(`the of and to in is that for it with as was on be by this are from at have
an not which but they his all or had one their more were been city market price rice government report`)
var boiler = []string{"Baca juga: Harga beras naik lagi", "Copyright © 2024 Kantor Berita", "Bagikan ke Facebook",
	"Read more: subscribe to our newsletter", "Editor: Redaksi"}

type step struct {
	name    string
	reasons []string
	rate    float64
}

var steps = []step{
	{"normalize", nil, 0},
	{"language_id", []string{"language_not_allowed", "language_low_score"}, 0.08},
	{"gopher_quality", []string{"gopher_short_doc", "gopher_mean_word_length", "gopher_symbol_ratio", "gopher_stop_words"}, 0.10},
	{"gopher_repetition", []string{"gopher_dup_line_frac", "gopher_top_2gram"}, 0.04},
	{"c4_quality", []string{"c4_javascript", "c4_lorem_ipsum", "c4_curly_bracket"}, 0.02},
	{"repetition_repair", nil, 0},
	{"minhash_dedup", []string{"minhash_duplicate"}, 0.09},
}

type doc struct {
	ID       string         `json:"id"`
	Text     string         `json:"text"`
	URL      string         `json:"url,omitempty"`
	Metadata map[string]any `json:"metadata"`
}

type hist struct {
	Edges  []float64 `json:"edges"`
	Counts []float64 `json:"counts"`
}

func newHist(edges []float64) *hist { return &hist{Edges: edges, Counts: make([]float64, len(edges))} }

// add counts v; values at or past the last edge go to the overflow bin.
func (h *hist) add(v float64) {
	i := 0
	for i < len(h.Edges)-1 && v >= h.Edges[i+1] {
		i++
	}
	h.Counts[i]++
}

type measure struct {
	Count float64 `json:"count"`
	Sum   float64 `json:"sum"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Hist  *hist   `json:"hist"`
}

func (m *measure) add(v float64) {
	if m.Count == 0 || v < m.Min {
		m.Min = v
	}
	if m.Count == 0 || v > m.Max {
		m.Max = v
	}
	m.Count++
	m.Sum += v
	m.Hist.add(v)
}

type stepStats struct {
	Name            string              `json:"name"`
	DocsIn          float64             `json:"docs_in"`
	BytesIn         float64             `json:"bytes_in"`
	Kept            float64             `json:"kept"`
	Rewritten       float64             `json:"rewritten"`
	Removed         float64             `json:"removed"`
	BytesOut        float64             `json:"bytes_out"`
	RemovedByReason map[string]float64  `json:"removed_by_reason"`
	Seconds         float64             `json:"seconds"`
	Measures        map[string]*measure `json:"measures,omitempty"`
}

func pow2Edges(n int) []float64 {
	e := []float64{0}
	for i := 0; i < n; i++ {
		e = append(e, math.Pow(2, float64(i+4)))
	}
	return e
}

func linEdges(lo, hi float64, n int) []float64 {
	var e []float64
	for i := 0; i <= n; i++ {
		e = append(e, lo+(hi-lo)*float64(i)/float64(n))
	}
	return e
}

type partWriter struct {
	dir, ext string
	per, n   int
	part     int
	f        *os.File
	bw       *bufio.Writer
	zc       io.WriteCloser
	enc      *json.Encoder
}

func (p *partWriter) write(v any) error {
	if p.f == nil || p.n == p.per {
		if err := p.close(); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(p.dir, fmt.Sprintf("part-%05d.jsonl%s", p.part, p.ext)))
		if err != nil {
			return err
		}
		p.part++
		p.f, p.n = f, 0
		var w io.Writer = f
		switch p.ext {
		case ".gz":
			p.zc = gzip.NewWriter(f)
			w = p.zc
		case ".zst":
			zw, err := zstd.NewWriter(f, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
			if err != nil {
				return err
			}
			p.zc = zw
			w = zw
		}
		p.bw = bufio.NewWriterSize(w, 1<<16)
		p.enc = json.NewEncoder(p.bw)
		p.enc.SetEscapeHTML(false)
	}
	p.n++
	return p.enc.Encode(v)
}

func (p *partWriter) close() error {
	if p.f == nil {
		return nil
	}
	if err := p.bw.Flush(); err != nil {
		return err
	}
	if p.zc != nil {
		if err := p.zc.Close(); err != nil {
			return err
		}
		p.zc = nil
	}
	err := p.f.Close()
	p.f = nil
	return err
}

// Write creates OUTDIR's kept/, removed/, rejected/ and stats.json.
func Write(outdir string, o Options) error {
	if o.Docs <= 0 {
		o.Docs = 200
	}
	if o.PerFile <= 0 {
		o.PerFile = 100000
	}
	ext := ""
	if o.Compression != "" {
		ext = "." + o.Compression
	}
	rng := rand.New(rand.NewPCG(o.Seed, 42))
	ws := map[string]*partWriter{}
	for _, s := range []string{"kept", "removed", "rejected"} {
		if err := os.MkdirAll(filepath.Join(outdir, s), 0o755); err != nil {
			return err
		}
		e := ext
		if s == "rejected" {
			e = ""
		}
		ws[s] = &partWriter{dir: filepath.Join(outdir, s), ext: e, per: o.PerFile}
	}
	ss := make([]*stepStats, len(steps))
	for i, s := range steps {
		ss[i] = &stepStats{Name: s.name, RemovedByReason: map[string]float64{}, Measures: map[string]*measure{}}
	}
	ss[1].Measures["language_score"] = &measure{Hist: newHist(linEdges(0, 1, 20))}
	ss[2].Measures["word_count"] = &measure{Hist: newHist(pow2Edges(10))}
	ss[2].Measures["mean_word_length"] = &measure{Hist: newHist(linEdges(0, 12, 24))}
	ss[3].Measures["dup_line_frac"] = &measure{Hist: newHist(linEdges(0, 1, 20))}
	ss[5].Measures["lines_cut"] = &measure{Hist: newHist(linEdges(0, 8, 8))}
	ss[6].Measures["cluster_size"] = &measure{Hist: newHist([]float64{1, 2, 3, 5, 9, 17, 33, 65})}
	charsIn, charsOut := newHist(pow2Edges(12)), newHist(pow2Edges(12))
	wordsIn, wordsOut := newHist(pow2Edges(10)), newHist(pow2Edges(10))
	langScore := newHist(linEdges(0, 1, 20))
	langs := map[string]float64{}
	var read, kept, removed, rejected, bytesRead, bytesKept float64

	for i := 0; i < o.Docs; i++ {
		d := makeDoc(rng, i)
		lines := strings.Split(d.Text, "\n")
		var repairs []any
		// Boilerplate lines go in the input; the repair step cuts them.
		if i == 2 || rng.Float64() < 0.15 {
			var orig []string
			for j, l := range lines {
				orig = append(orig, l)
				if j == 0 || rng.Float64() < 0.3 {
					b := boiler[rng.IntN(len(boiler))]
					if i == 2 {
						b = RepairedCutOut
					}
					repairs = append(repairs, map[string]any{"step": "repetition_repair", "line": len(orig), "text": b})
					orig = append(orig, b)
				}
			}
			lines = orig
		}
		inText := strings.Join(lines, "\n")
		n := float64(len(inText))
		read++
		bytesRead += n
		charsIn.add(float64(utf8.RuneCountInString(inText)))
		wordsIn.add(float64(len(strings.Fields(inText))))
		var out string
		var dropAt = -1
		var reason string
		for si, s := range steps {
			st := ss[si]
			st.DocsIn++
			st.BytesIn += n
			st.Seconds += 2e-6 * float64(si+1)
			switch s.name {
			case "language_id":
				st.Measures["language_score"].add(d.Metadata["language_score"].(float64))
			case "gopher_quality":
				w := float64(len(strings.Fields(inText)))
				st.Measures["word_count"].add(w)
				st.Measures["mean_word_length"].add(float64(len(inText)) / math.Max(w, 1))
			case "gopher_repetition":
				st.Measures["dup_line_frac"].add(rng.Float64() * rng.Float64())
			}
			forced := i == 0 && s.name == "gopher_quality"
			if forced || (s.rate > 0 && i > 2 && rng.Float64() < s.rate) {
				dropAt, reason = si, s.reasons[0]
				if !forced && rng.Float64() < 0.45 {
					reason = s.reasons[rng.IntN(len(s.reasons))]
				}
				st.Removed++
				st.RemovedByReason[reason]++
				break
			}
			if s.name == "repetition_repair" && len(repairs) > 0 {
				out = d.Text
				st.Rewritten++
				st.Measures["lines_cut"].add(float64(len(repairs)))
				st.BytesOut += float64(len(out))
				n = float64(len(out))
				continue
			}
			if s.name == "repetition_repair" {
				st.Measures["lines_cut"].add(0)
			}
			st.Kept++
			st.BytesOut += n
		}
		if len(repairs) > 0 {
			d.Metadata["repairs"] = repairs
		}
		if i == 0 {
			d.ID, d.Text = HostileID, HostileText
		}
		if i == 1 {
			d.ID, d.Text = HostileKeptID, "Judul </pre><script>alert(3)</script>\n"+d.Text
		}
		if i == 2 {
			d.ID = RepairedDocID
		}
		if dropAt >= 0 {
			removed++
			msg := fmt.Sprintf("%s: measured value outside the allowed range", reason)
			d.Metadata["removed"] = map[string]any{"step": steps[dropAt].name, "reason": reason, "message": msg}
			if steps[dropAt].name == "minhash_dedup" {
				d.Metadata["duplicate_of"] = fmt.Sprintf("doc-%07d", rng.IntN(i+1))
			}
			if err := ws["removed"].write(d); err != nil {
				return err
			}
			continue
		}
		size := 1.0
		if r := rng.Float64(); r < 0.12 {
			size = float64(2 + int(math.Pow(2, rng.Float64()*7)))
		}
		d.Metadata["minhash_cluster_size"] = size
		ss[6].Measures["cluster_size"].add(size)
		kept++
		bytesKept += float64(len(d.Text))
		charsOut.add(float64(utf8.RuneCountInString(d.Text)))
		wordsOut.add(float64(len(strings.Fields(d.Text))))
		lang := d.Metadata["language"].(string)
		langs[lang]++
		langScore.add(d.Metadata["language_score"].(float64))
		if err := ws["kept"].write(d); err != nil {
			return err
		}
	}
	for i := 0; i < 3; i++ {
		rejected++
		read++
		rec := map[string]any{"file": "input/crawl-00.jsonl.zst", "line": 1000 + i, "offset": 0,
			"error": fmt.Sprintf("line %d: invalid character '<' looking for beginning of value", 1000+i),
			"raw":   `<html><script>alert(5)</script>`}
		if err := ws["rejected"].write(rec); err != nil {
			return err
		}
	}
	for _, w := range ws {
		if err := w.close(); err != nil {
			return err
		}
	}
	stats := map[string]any{
		"version": "0.1.0-test", "started": "2026-01-02T03:04:05Z", "wall_seconds": 12.5 * float64(o.Docs) / 1e5,
		"workers": 2,
		"config": map[string]any{"input": "input/*.jsonl.zst", "steps": []any{
			map[string]any{"name": "normalize"}, map[string]any{"name": "language_id", "languages": []string{"id", "en"}},
			map[string]any{"name": "gopher_quality", "min_words": 50}, map[string]any{"name": "minhash_dedup", "threshold": 0.8}}},
		"input":  map[string]any{"files": 4, "bytes": bytesRead * 0.4, "skipped": map[string]any{"warc_request": 12}},
		"totals": map[string]any{"read": read, "kept": kept, "removed": removed, "rejected": rejected, "bytes_read": bytesRead, "bytes_kept": bytesKept},
		"steps":  ss,
		"histograms": map[string]any{"chars_in": charsIn, "chars_out": charsOut, "words_in": wordsIn, "words_out": wordsOut,
			"language": langs, "language_score": langScore},
	}
	b, err := json.MarshalIndent(stats, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outdir, "stats.json"), b, 0o644)
}

func makeDoc(rng *rand.Rand, i int) doc {
	lang, vocab := "id", idWords
	switch r := rng.Float64(); {
	case r < 0.35:
		lang, vocab = "en", enWords
	case r < 0.42:
		lang = []string{"ms", "jv", "su", "fr", "de"}[rng.IntN(5)]
	}
	var b strings.Builder
	nl := 2 + rng.IntN(6)
	for l := 0; l < nl; l++ {
		if l > 0 {
			b.WriteByte('\n')
		}
		nw := 6 + rng.IntN(18)
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
	score := math.Round((0.35+0.65*math.Sqrt(rng.Float64()))*1e4) / 1e4
	return doc{
		ID:   fmt.Sprintf("doc-%07d", i),
		Text: b.String(),
		URL:  fmt.Sprintf("https://news.example/%s/%d", lang, i),
		Metadata: map[string]any{
			"language": lang, "language_score": score,
			"source": map[string]any{"file": "input/crawl-00.jsonl.zst", "line": i + 1},
		},
	}
}
