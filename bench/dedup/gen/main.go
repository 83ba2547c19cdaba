// Command gen writes a near-duplicate benchmark corpus: news stories built
// from real sentences, syndicated by other outlets with realistic edits, plus
// hard negatives that share text without being the same story.
//
//	go run ./bench/dedup/gen -split tune -stories 4000 -out /tmp/dd/tune       # the hard benchmark, tuning split
//	go run ./bench/dedup/gen -split heldout -stories 4000 -out /tmp/dd/heldout # its held-out split
//	go run ./bench/dedup/gen -split classic -stories 2000 -out /tmp/dd         # the earlier, easier corpus
//	go run ./bench/dedup/gen -scale 100000 -out /tmp/dd                        # ~5 KB synthetic documents
//
// truth.tsv has one line per document: id, cluster, kind. Documents of one
// cluster are copies of one story; all but the first of each cluster (in
// file order) should be removed. Kinds of the classic corpus: orig, copy,
// template (shares a long site template with other pages), lead (reuses
// another story's lead paragraph), single; the hard splits' kinds are
// described in hard.go.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

type doc struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	URL      string `json:"url"`
	Language string `json:"language"`
	cluster  string
	kind     string
}

type lang struct {
	code      string
	sentences []string
	words     []string
	readMore  string
}

// The first twelve are the classic corpus's languages (and the tuning
// split's); the rest appear only in the held-out split.
var langs = []struct{ code, readMore string }{
	{"id", "Baca juga"}, {"ms", "Baca juga"}, {"en", "Read more"}, {"de", "Lesen Sie auch"},
	{"fr", "Lire aussi"}, {"es", "Lea también"}, {"pt", "Leia também"}, {"nl", "Lees ook"},
	{"it", "Leggi anche"}, {"tl", "Basahin din"}, {"sv", "Läs också"}, {"pl", "Czytaj także"},
	{"tr", "Ayrıca okuyun"}, {"vi", "Xem thêm"}, {"fi", "Lue myös"}, {"cs", "Čtěte také"},
	{"ro", "Citește și"}, {"hu", "Olvassa el"}, {"sw", "Soma pia"}, {"da", "Læs også"},
	{"ca", "Llegiu també"},
}

const classicLangs = 12

type story struct {
	lang  *lang
	title string
	paras [][]string // paragraphs of sentences
}

type outlet struct {
	host     string
	header   []string
	dateline string
	footer   []string
}

func main() {
	data := flag.String("data", "", "lingua-sentences directory (default: ../shared/data/lingua-sentences from the repository root)")
	out := flag.String("out", ".", "output directory")
	nStories := flag.Int("stories", 2000, "number of stories")
	scale := flag.Int("scale", 0, "write this many ~5 KB synthetic documents instead (10% near duplicates)")
	seed := flag.Uint64("seed", 0, "random seed (0: the split's own; classic: 42)")
	split := flag.String("split", "classic", "corpus: tune or heldout (the hard benchmark's splits) or classic")
	flag.Parse()
	if *data == "" {
		*data = filepath.Join("..", "shared", "data", "lingua-sentences")
	}
	if *seed == 0 {
		*seed = 42
		if p, ok := splits[*split]; ok {
			*seed = p.seed
		}
	}
	r := rand.New(rand.NewPCG(*seed, 1))
	var ls []*lang
	for _, l := range langs {
		b, err := os.ReadFile(filepath.Join(*data, l.code+".txt"))
		if err != nil {
			log.Fatalf("reading sentences: %v (set -data to the lingua-sentences directory)", err)
		}
		lg := &lang{code: l.code, readMore: l.readMore}
		for _, s := range strings.Split(string(b), "\n") {
			if s = strings.TrimSpace(s); s != "" {
				lg.sentences = append(lg.sentences, s)
				lg.words = append(lg.words, strings.Fields(s)...)
			}
		}
		ls = append(ls, lg)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	if *scale > 0 {
		writeScale(r, ls[:classicLangs], *scale, *out)
		return
	}
	if p, ok := splits[*split]; ok {
		p.seed = *seed
		write(hardCorpus(ls, p, *nStories), *out)
		return
	}
	if *split != "classic" {
		log.Fatalf("unknown split %q: tune, heldout or classic", *split)
	}
	write(newsCorpus(r, ls[:classicLangs], *nStories), *out)
}

// pickLang favours Indonesian, Malay and English, like the corpora saring is for.
func pickLang(r *rand.Rand, ls []*lang) *lang {
	if x := r.IntN(10); x < 6 {
		return ls[x/2]
	}
	return ls[3+r.IntN(len(ls)-3)]
}

func newStory(r *rand.Rand, l *lang, nSent int) *story {
	st := &story{lang: l}
	perm := r.Perm(len(l.sentences))[:nSent]
	for i := 0; i < nSent; {
		k := min(1+r.IntN(3), nSent-i)
		var p []string
		for _, j := range perm[i : i+k] {
			p = append(p, l.sentences[j])
		}
		st.paras = append(st.paras, p)
		i += k
	}
	w := strings.Fields(st.paras[0][0])
	st.title = strings.Join(w[:min(8, len(w))], " ")
	return st
}

func newOutlet(r *rand.Rand, l *lang, i int) outlet {
	names := []string{"Kabar", "Warta", "Berita", "Harian", "Suara", "Times", "Post", "Daily", "Herald", "Pos", "Media", "Info"}
	name := names[r.IntN(len(names))] + names[r.IntN(len(names))]
	o := outlet{host: fmt.Sprintf("www.%s%d.example", strings.ToLower(name), i)}
	o.header = []string{name + " | " + strings.Join([]string{"Home", "News", "Politics", "Economy", "Sport", "Tech"}[:2+r.IntN(4)], " | ")}
	cities := []string{"JAKARTA", "Surabaya", "KUALA LUMPUR", "Bandung", "Medan", "LONDON", "Makassar"}
	switch r.IntN(3) {
	case 0:
		o.dateline = cities[r.IntN(len(cities))] + " (" + strings.ToUpper(name) + ") - "
	case 1:
		o.dateline = cities[r.IntN(len(cities))] + ", " + name + ".com -- "
	}
	o.footer = []string{
		"Editor: " + l.words[r.IntN(len(l.words))] + " " + l.words[r.IntN(len(l.words))],
		fmt.Sprintf("Copyright © %d %s. All rights reserved.", 2015+r.IntN(10), name),
	}
	if r.IntN(2) == 0 {
		o.footer = append(o.footer, "Share: Facebook Twitter WhatsApp Telegram")
	}
	return o
}

// render writes a story as one outlet's page, with the given edits.
func render(r *rand.Rand, st *story, o outlet, edit bool, others []*story) string {
	var sents [][]string
	for _, p := range st.paras {
		sents = append(sents, append([]string(nil), p...))
	}
	if edit {
		// Drop 0-15 % of sentences.
		total := 0
		for _, p := range sents {
			total += len(p)
		}
		drop := r.IntN(total*15/100 + 1)
		for ; drop > 0; drop-- {
			pi := r.IntN(len(sents))
			if len(sents[pi]) > 0 {
				si := r.IntN(len(sents[pi]))
				sents[pi] = append(sents[pi][:si], sents[pi][si+1:]...)
			}
		}
		// Change a few words (an editor's touch: 0-5 per page).
		for c := r.IntN(6); c > 0; c-- {
			pi := r.IntN(len(sents))
			if len(sents[pi]) == 0 {
				continue
			}
			si := r.IntN(len(sents[pi]))
			w := strings.Fields(sents[pi][si])
			w[r.IntN(len(w))] = st.lang.words[r.IntN(len(st.lang.words))]
			sents[pi][si] = strings.Join(w, " ")
		}
		// Re-wrap paragraphs.
		if r.IntN(3) == 0 {
			var flat []string
			for _, p := range sents {
				flat = append(flat, p...)
			}
			sents = nil
			for i := 0; i < len(flat); {
				k := min(1+r.IntN(4), len(flat)-i)
				sents = append(sents, flat[i:i+k])
				i += k
			}
		}
		// Truncate to 85-100 % of the paragraphs.
		if r.IntN(5) == 0 && len(sents) > 4 {
			keep := len(sents) - r.IntN(len(sents)*15/100+1)
			sents = sents[:keep]
		}
	}
	var body []string
	for i, p := range sents {
		if len(p) == 0 {
			continue
		}
		text := strings.Join(p, " ")
		if i == 0 {
			text = o.dateline + text
		}
		body = append(body, text)
		if edit && i > 0 && i%4 == 0 && r.IntN(2) == 0 && len(others) > 0 {
			if o := others[r.IntN(len(others))]; o.lang == st.lang {
				body = append(body, st.lang.readMore+": "+o.title)
			}
		}
	}
	if edit && r.IntN(10) == 0 { // scraped page with the body twice
		body = append(body, body...)
	}
	var page []string
	page = append(page, o.header...)
	page = append(page, st.title)
	page = append(page, body...)
	page = append(page, o.footer...)
	sep := "\n\n"
	if r.IntN(2) == 0 {
		sep = "\n"
	}
	return strings.Join(page, sep)
}

func newsCorpus(r *rand.Rand, ls []*lang, n int) []doc {
	var docs []doc
	stories := make([]*story, n)
	for i := range stories {
		stories[i] = newStory(r, pickLang(r, ls), 15+r.IntN(26))
	}
	outletsFor := map[string][]outlet{}
	for _, l := range ls {
		for i := 0; i < 12; i++ {
			outletsFor[l.code] = append(outletsFor[l.code], newOutlet(r, l, len(outletsFor)*100+i))
		}
	}
	add := func(d doc) { docs = append(docs, d) }
	for i, st := range stories {
		outs := outletsFor[st.lang.code]
		cluster := fmt.Sprintf("s%05d", i)
		// 40 % of stories are syndicated by 1-5 other outlets.
		copies := 0
		if r.IntN(10) < 4 {
			copies = 1 + r.IntN(5)
		}
		kind := "single"
		if copies > 0 {
			kind = "orig"
		}
		o := outs[r.IntN(len(outs))]
		add(doc{ID: cluster + "-0", Text: render(r, st, o, false, stories), URL: fmt.Sprintf("https://%s/news/%d", o.host, i), Language: st.lang.code, cluster: cluster, kind: kind})
		for c := 1; c <= copies; c++ {
			o := outs[r.IntN(len(outs))]
			add(doc{ID: fmt.Sprintf("%s-%d", cluster, c), Text: render(r, st, o, true, stories), URL: fmt.Sprintf("https://%s/read/%d-%d", o.host, i, c), Language: st.lang.code, cluster: cluster, kind: "copy"})
		}
	}
	// Hard negatives 1: sites whose pages share a long template around short,
	// different bodies.
	for s := 0; s < n/50+1; s++ {
		l := pickLang(r, ls)
		tmpl := newStory(r, l, 6+r.IntN(5))
		var top, bottom []string
		for i, p := range tmpl.paras {
			if i%2 == 0 {
				top = append(top, strings.Join(p, " "))
			} else {
				bottom = append(bottom, strings.Join(p, " "))
			}
		}
		for pg := 0; pg < 10; pg++ {
			body := newStory(r, l, 5+r.IntN(8))
			var parts []string
			parts = append(parts, top...)
			for _, p := range body.paras {
				parts = append(parts, strings.Join(p, " "))
			}
			parts = append(parts, bottom...)
			id := fmt.Sprintf("t%03d-%02d", s, pg)
			add(doc{ID: id, Text: strings.Join(parts, "\n"), URL: fmt.Sprintf("https://site%d.example/page/%d", s, pg), Language: l.code, cluster: id, kind: "template"})
		}
	}
	// Hard negatives 2: stories reusing another story's lead paragraph.
	for i := 0; i < n/10; i++ {
		src := stories[r.IntN(len(stories))]
		st := newStory(r, src.lang, 10+r.IntN(15))
		st.paras[0] = src.paras[0]
		st.title = "Update: " + st.title
		o := outletsFor[src.lang.code][r.IntN(12)]
		id := fmt.Sprintf("l%05d", i)
		add(doc{ID: id, Text: render(r, st, o, false, stories), URL: fmt.Sprintf("https://%s/update/%d", o.host, i), Language: src.lang.code, cluster: id, kind: "lead"})
	}
	// Syndicated copies appear anywhere in a crawl, not next to the original.
	r.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	return docs
}

func write(docs []doc, dir string) {
	f, err := os.Create(filepath.Join(dir, "corpus.jsonl"))
	if err != nil {
		log.Fatal(err)
	}
	t, err := os.Create(filepath.Join(dir, "truth.tsv"))
	if err != nil {
		log.Fatal(err)
	}
	bw, tw := bufio.NewWriter(f), bufio.NewWriter(t)
	enc := json.NewEncoder(bw)
	for _, d := range docs {
		if err := enc.Encode(d); err != nil {
			log.Fatal(err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.ID, d.cluster, d.kind)
	}
	for _, w := range []*bufio.Writer{bw, tw} {
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
	}
	f.Close()
	t.Close()
	log.Printf("%d documents in %s", len(docs), dir)
}

// writeScale writes n synthetic ~5 KB documents: random sentences of the
// languages above; 10 % of them are lightly edited copies of an earlier one.
func writeScale(r *rand.Rand, ls []*lang, n int, dir string) {
	f, err := os.Create(filepath.Join(dir, "corpus.jsonl"))
	if err != nil {
		log.Fatal(err)
	}
	t, err := os.Create(filepath.Join(dir, "truth.tsv"))
	if err != nil {
		log.Fatal(err)
	}
	bw, tw := bufio.NewWriterSize(f, 1<<20), bufio.NewWriter(t)
	enc := json.NewEncoder(bw)
	var recent []doc
	for i := 0; i < n; i++ {
		var d doc
		if i > 0 && r.IntN(10) == 0 {
			src := recent[r.IntN(len(recent))]
			w := strings.Fields(src.Text)
			for k := 0; k < len(w)/100; k++ {
				w[r.IntN(len(w))] = "x"
			}
			d = doc{ID: fmt.Sprintf("g%08d", i), Text: strings.Join(w, " "), Language: src.Language, cluster: src.cluster, kind: "copy"}
		} else {
			d = Synthetic(r, ls, i)
			d.cluster = d.ID
			d.kind = "single"
		}
		if len(recent) < 1000 {
			recent = append(recent, d)
		} else {
			recent[r.IntN(len(recent))] = d
		}
		if err := enc.Encode(d); err != nil {
			log.Fatal(err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.ID, d.cluster, d.kind)
	}
	bw.Flush()
	tw.Flush()
	f.Close()
	t.Close()
	log.Printf("%d documents in %s", n, dir)
}

// Synthetic is one ~5 KB document of sentences from one language, the
// sentences shuffled and words perturbed so that documents rarely share
// five-word shingles by chance.
func Synthetic(r *rand.Rand, ls []*lang, i int) doc {
	l := ls[r.IntN(len(ls))]
	var b strings.Builder
	for b.Len() < 5000 {
		w := strings.Fields(l.sentences[r.IntN(len(l.sentences))])
		w[r.IntN(len(w))] = l.words[r.IntN(len(l.words))]
		b.WriteString(strings.Join(w, " "))
		if r.IntN(4) == 0 {
			b.WriteString("\n")
		} else {
			b.WriteString(" ")
		}
	}
	return doc{ID: fmt.Sprintf("g%08d", i), Text: b.String(), Language: l.code}
}
