package words

import (
	"regexp"
	"strings"
	"testing"

	"github.com/saring/saring/internal/testenv"
)

// benchNews builds about 1 MB of news-like English: a few paragraphs with
// contractions, numbers, quotes, abbreviations and a URL, repeated with
// variations.
func benchNews(size int) string {
	paras := []string{
		"The city council voted on Tuesday to expand the bus network, adding three routes that will connect the northern suburbs with the hospital and the university. Officials said the plan, which has been discussed for two years, would cost about $12.5 million and be paid for with state grants.",
		"\"We don't think the traffic will get worse,\" said Mayor Jane O'Neill, 54, at a news conference. \"It's the opposite: people who can't drive today will finally have a choice.\" Critics weren't convinced; a petition signed by 1,200 residents asks for a referendum.",
		"According to the U.S. Census Bureau, the county's population grew 4.3% between 2010 and 2020, faster than the state average. Dr. Alan Smith of the university's transport institute (see www.example.edu/transport) said the new routes were \"long overdue\".",
		"Construction of the first stops will begin in March and the routes should be running by the end of the year. The council will publish weekly updates on its website, e-mail newsletters and social-media accounts - including a live map of the works.",
	}
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		b.WriteString(paras[i%len(paras)])
		if i%3 == 2 {
			b.WriteString("\n\n")
		} else {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// benchBerita is Indonesian news-like text.
func benchBerita(size int) string {
	paras := []string{
		"Presiden Joko Widodo meresmikan jalan tol baru sepanjang 45 km di Jawa Tengah pada Senin (24/7), yang diharapkan memangkas waktu tempuh hingga dua jam. Proyek senilai Rp12,5 triliun itu dikerjakan oleh BUMN karya sejak 2021.",
		"\"Kami berharap jalan ini mempercepat distribusi barang-barang kebutuhan pokok,\" ujar Presiden kepada wartawan. Menurutnya, anak-anak muda di daerah juga akan mendapat lebih banyak lapangan kerja.",
		"Baca juga: Pemerintah siapkan anggaran untuk perbaikan jalan di 10 provinsi. Data Kementerian PUPR menunjukkan 30% jalan nasional masih dalam kondisi rusak ringan.",
	}
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		b.WriteString(paras[i%len(paras)])
		b.WriteString("\n")
	}
	return b.String()
}

// BenchmarkSplitEnglish splits 1 MiB of generated English news prose.
//
//	go test ./words -run '^$' -bench 'SplitEnglish$' -benchmem -benchtime 2s -cpu 1 -count 3
func BenchmarkSplitEnglish(b *testing.B) {
	text := benchNews(1 << 20)
	t := For("en")
	buf := make([]string, 0, 300000)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	start := testenv.CPUTime()
	for i := 0; i < b.N; i++ {
		buf = t.AppendWords(buf[:0], text)
	}
	testenv.ReportMBPerCPUSecond(b, start, int64(len(text)))
}

// BenchmarkSplitIndonesian splits 1 MiB of generated Indonesian news prose.
//
//	go test ./words -run '^$' -bench 'SplitIndonesian$' -benchmem -benchtime 2s -cpu 1 -count 3
func BenchmarkSplitIndonesian(b *testing.B) {
	text := benchBerita(1 << 20)
	t := For("id")
	buf := make([]string, 0, 300000)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	start := testenv.CPUTime()
	for i := 0; i < b.N; i++ {
		buf = t.AppendWords(buf[:0], text)
	}
	testenv.ReportMBPerCPUSecond(b, start, int64(len(text)))
}

// BenchmarkSplitEnglishDocs splits the English text as documents of 5 kB,
// as filters see them.
//
//	go test ./words -run '^$' -bench 'SplitEnglishDocs$' -benchmem -benchtime 2s -cpu 1 -count 3
func BenchmarkSplitEnglishDocs(b *testing.B) {
	text := benchNews(1 << 20)
	var docs []string
	for i := 0; i+5000 <= len(text); i += 5000 {
		docs = append(docs, text[i:i+5000])
	}
	t := For("en")
	buf := make([]string, 0, 3000)
	b.SetBytes(int64(len(docs) * 5000))
	b.ResetTimer()
	start := testenv.CPUTime()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			buf = t.AppendWords(buf[:0], d)
		}
	}
	testenv.ReportMBPerCPUSecond(b, start, int64(len(docs)*5000))
}

// BenchmarkSentencesEnglish cuts the English text into sentences.
//
//	go test ./words -run '^$' -bench 'SentencesEnglish$' -benchmem -benchtime 2s -cpu 1 -count 3
func BenchmarkSentencesEnglish(b *testing.B) {
	text := benchNews(1 << 20)
	t := For("en")
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	start := testenv.CPUTime()
	for i := 0; i < b.N; i++ {
		_ = t.Sentences(text)
	}
	testenv.ReportMBPerCPUSecond(b, start, int64(len(text)))
}

// BenchmarkSplitRegexpBaseline is the plain-regex word split of the
// datatrove parity note (\w+(?:'\w+)?|[^\w\s]) with Go's regexp, on the same
// text: a baseline for what rule-exact splitting costs.
//
//	go test ./words -run '^$' -bench 'SplitRegexpBaseline$' -benchmem -benchtime 2s -cpu 1 -count 3
func BenchmarkSplitRegexpBaseline(b *testing.B) {
	text := benchNews(1 << 20)
	re := regexp.MustCompile(`\w+(?:'\w+)?|[^\w\s]`)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	start := testenv.CPUTime()
	for i := 0; i < b.N; i++ {
		_ = re.FindAllString(text, -1)
	}
	testenv.ReportMBPerCPUSecond(b, start, int64(len(text)))
}
