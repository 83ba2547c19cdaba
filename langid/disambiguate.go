package langid

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lid.176 often confuses close languages: of the lingua test set's Malay
// sentences it labels most Indonesian. Words that one language uses and
// the other does not settle such close calls. The lists keep only words
// whose presence is strong evidence: standard spellings that differ
// (karena/kerana, uang/wang), loanword spellings (universitas/universiti),
// month and day names, and words of daily use found in one language only.
// Words shared with a different meaning (Malay kereta "car" is Indonesian
// "train", pejabat "office" is Indonesian "official", polisi "policy" is
// Indonesian "police") are left out, and so are Malay words that Indonesian
// writing also uses (lelaki, awak, mahkamah, peringkat, cukai, kilang,
// susulan, tanggungjawab), because Indonesian must never be the language
// that loses from this.

var indonesianWords = []string{
	// spellings that differ
	"karena", "bahwa", "uang", "inggris", "yaitu", "pikir", "pikiran", "berpikir",
	"paham", "kawin", "istri", "kendaraan", "kursi", "rusak", "coba", "mencoba", "dicoba", "jembatan",
	"dokter", "proyek", "kasus", "obat", "menit", "persen", "miliar", "triliun", "parlemen", "partai",
	"tentara", "keuangan", "asuransi", "investasi", "kampanye", "bagian", "sembarang", "tanggal",
	"justru", "direktur", "manajer", "beasiswa", "fasilitas", "metode", "apotek",
	// loanwords in -itas, -si, -i
	"universitas", "kualitas", "aktivitas", "komunitas", "identitas", "kapasitas", "prioritas",
	"televisi", "telepon", "taksi", "internasional", "oposisi",
	// days and months
	"senin", "kamis", "jumat", "maret", "juni", "juli", "agustus", "desember",
	// words of daily use
	"bisa", "mau", "kamar", "mobil", "kantor", "sepeda", "toko", "sepatu", "celana", "sapi", "dingin",
	"kemarin", "besok", "sore", "pabrik", "pajak", "rapat", "layanan", "pelayanan", "dukungan",
	"mendukung", "setempat", "pria", "gratis", "berhasil", "meskipun", "kalian", "silakan", "kebijakan",
	"pengadilan", "penyidikan", "kejahatan", "kepolisian", "dosen", "pemilu", "provinsi", "kabupaten",
	"kecamatan", "bandara", "wisatawan", "pariwisata", "liburan", "situs", "unduh", "mengunduh",
	"ujarnya", "tuturnya", "berbagai",
	// place names spelled the Indonesian way
	"serikat", "tiongkok", "jepang", "belarusia", "moskow", "selandia",
	// colloquial
	"nggak", "gak", "enggak", "banget", "udah", "gimana", "bikin", "ngobrol", "gue", "sih", "dong",
	"kok", "deh", "nih",
}

var malayWords = []string{
	// spellings that differ
	"kerana", "bahawa", "wang", "inggeris", "iaitu", "fikir", "fikiran", "berfikir",
	"faham", "kahwin", "isteri", "kenderaan", "kerusi", "rosak", "cuba", "mencuba", "dicuba",
	"jambatan", "projek", "kes", "ubat", "minit", "peratus", "bilion", "trilion", "parlimen", "parti",
	"tentera", "kewangan", "insurans", "pelaburan", "kempen", "bahagian", "sebarang", "tarikh",
	"justeru", "biasiswa", "fasiliti", "kaedah", "sahaja", "mahu", "sentiasa", "pelbagai",
	// loanwords in -iti, -syen, -i
	"universiti", "kualiti", "aktiviti", "komuniti", "identiti", "kapasiti", "keutamaan",
	"televisyen", "telefon", "teksi", "antarabangsa", "pembangkang",
	// days and months
	"isnin", "khamis", "jumaat", "mac", "julai", "ogos", "disember",
	// words of daily use
	"hospital", "polis", "selepas", "berbanding", "syarikat", "kakitangan", "jawatan", "mesyuarat",
	"perkhidmatan", "sokongan", "menyokong", "tempatan", "pertubuhan", "bercakap", "lebuhraya",
	"perisian", "kongsi", "mana-mana", "sesiapa", "pasaraya", "seluar", "kasut", "percutian",
	"pelancong", "pelancongan", "membaiki", "memandangkan", "berikutan", "pensyarah", "peperiksaan",
	"yuran", "peguam", "saman", "siasatan", "jenayah", "askar", "mengundi", "pengundi", "mendedahkan",
	"penguatkuasaan", "serantau", "ianya", "makmal", "sempena", "encik", "cikgu", "basikal", "berjaya",
	// colloquial
	"jom", "sikit", "apasal",
	// place names spelled the Malay way
	"jepun",
}

// wordEvidence is a pair of close languages and the words that tell them apart.
type wordEvidence struct {
	a, b   string
	aWords map[string]bool
	bWords map[string]bool
}

func setOf(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// evidenceLists are the close pairs saring has word lists for.
var evidenceLists = []*wordEvidence{
	{a: "id", b: "ms", aWords: setOf(indonesianWords), bWords: setOf(malayWords)},
}

// evidenceFor returns the word lists for the pair {x, y}, in either order.
func evidenceFor(x, y string) (*wordEvidence, bool) {
	for _, e := range evidenceLists {
		if e.a == x && e.b == y || e.a == y && e.b == x {
			return e, true
		}
	}
	return nil, false
}

// Disambiguation is the outcome of settling a close call between the
// model's two best labels.
type Disambiguation struct {
	First, Second           string  // the model's two best labels
	FirstScore, SecondScore float64 // and their probabilities
	Chosen                  string  // the label the words point to (First when they do not decide)
	FirstWords, SecondWords []string
	FirstHits, SecondHits   int // occurrences of each language's distinctive words
	DecidedByWords          bool
}

// Changed reports whether the words overturned the model's choice.
func (d Disambiguation) Changed() bool { return d.Chosen != d.First }

// countEvidence counts the distinctive words of both languages in text.
// Words are runs of letters, marks and inner hyphens, lowercased.
func (e *wordEvidence) count(text string) (aHits, bHits int, aWords, bWords []string) {
	var buf []byte
	for i := 0; i < len(text); {
		// ASCII is decoded by hand: unicode.IsLetter and IsMark agree
		// with asciiLetter there, and this runs over whole documents.
		if c := text[i]; c < utf8.RuneSelf {
			if !asciiLetter[c] {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(text[i:]); !unicode.IsLetter(r) {
			i += size
			continue
		}
		start := i
		for i < len(text) {
			if c := text[i]; c < utf8.RuneSelf {
				if asciiLetter[c] || c == '-' && i+1 < len(text) && i > start {
					i++
					continue
				}
				break
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			if unicode.IsLetter(r) || unicode.IsMark(r) {
				i += size
				continue
			}
			break
		}
		w := strings.TrimRight(text[start:i], "-")
		if len(w) < 2 || len(w) > 24 {
			continue
		}
		if w == "Minggu" && e.a == "id" && !sentenceStart(text[:start]) {
			// Capitalized inside a sentence, Minggu is Indonesian for
			// Sunday ("pada Minggu"); Malay says Ahad, and its minggu
			// ("week") is not capitalized there.
			aHits++
			if !slices.Contains(aWords, w) {
				aWords = append(aWords, w)
			}
			continue
		}
		buf = appendLower(buf[:0], w)
		switch {
		case e.aWords[string(buf)]:
			aHits++
			if !slices.Contains(aWords, string(buf)) {
				aWords = append(aWords, string(buf))
			}
		case e.bWords[string(buf)]:
			bHits++
			if !slices.Contains(bWords, string(buf)) {
				bWords = append(bWords, string(buf))
			}
		}
	}
	return
}

// sentenceStart reports whether a word after before starts a sentence.
func sentenceStart(before string) bool {
	before = strings.TrimRightFunc(before, unicode.IsSpace)
	if before == "" {
		return true
	}
	switch before[len(before)-1] {
	case '.', '!', '?', '"', ':':
		return true
	}
	return false
}

// asciiLetter tells the ASCII letters.
var asciiLetter = func() (t [utf8.RuneSelf]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	return t
}()

func appendLower(dst []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	for _, r := range s {
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// decide settles between the model's first and second labels from the
// words of text: the language with at least minMargin more occurrences of
// its distinctive words wins; otherwise the model's choice stands.
func (e *wordEvidence) decide(text, first string, firstScore float64, second string, secondScore float64, minMargin int) Disambiguation {
	aHits, bHits, aWords, bWords := e.count(text)
	d := Disambiguation{First: first, Second: second, FirstScore: firstScore, SecondScore: secondScore, Chosen: first}
	d.FirstHits, d.SecondHits, d.FirstWords, d.SecondWords = aHits, bHits, aWords, bWords
	if first == e.b {
		d.FirstHits, d.SecondHits, d.FirstWords, d.SecondWords = bHits, aHits, bWords, aWords
	}
	switch {
	case d.SecondHits-d.FirstHits >= minMargin:
		d.Chosen, d.DecidedByWords = second, true
	case d.FirstHits-d.SecondHits >= minMargin:
		d.DecidedByWords = true // the words confirm the model's choice
	}
	return d
}

// metadata renders d for metadata.language_disambiguation.
func (d Disambiguation) metadata() map[string]any {
	return map[string]any{
		"from": d.First,
		"to":   d.Chosen,
		"evidence": map[string]any{
			d.First:  wordsAny(d.FirstWords),
			d.Second: wordsAny(d.SecondWords),
		},
	}
}

func wordsAny(ws []string) []any {
	out := make([]any, len(ws))
	for i, w := range ws {
		out[i] = w
	}
	return out
}

// checkPairs validates close_pairs.
func checkPairs(pairs [][]string) error {
	for _, p := range pairs {
		if len(p) != 2 {
			return fmt.Errorf("each pair needs two language codes, got %v", p)
		}
		if _, ok := evidenceFor(p[0], p[1]); !ok {
			return fmt.Errorf("no distinctive-word lists for %s/%s (available: id/ms)", p[0], p[1])
		}
	}
	return nil
}
