package repair

// Built-in boilerplate patterns. Each rule names the words a line may start
// with (lowercased; for a line starting with a symbol, that symbol) so that
// only a few regular expressions run per line, and an expression that must
// match the whole line, trimmed, case-insensitively.
//
// The rules aim at lines that are page furniture in every context:
// related-article links, bylines with a colon, copyright notices with a year,
// share and follow prompts, cookie and newsletter notices. A line like "Baca
// juga buku ini." (no colon) is prose and does not match.

type rule struct {
	leads string // space-separated first words
	expr  string
	max   int // longest matching line in characters (0: max_line_chars)
}

// sep is what follows a label such as "Baca juga" before the linked title.
const sep = `(\s*[:：»>|\-–—]\s*.*)?`

var packCommon = []rule{
	{"copyright © (", `(copyright|©|\(c\))\s*(©|\(c\))?.*((19|20)\d\d|rights reserved|hak cipta|dilindungi|terpelihara).*`, 340},
	{"all", `all rights reserved\.?`, 0},
	{"advertisement iklan ads sponsored", `(advertisement|iklan|ads|sponsored)`, 0},
}

var packID = []rule{
	{"baca simak lihat cek tonton saksikan", `(baca|simak|lihat|cek|tonton|saksikan) (juga|pula)` + sep, 0},
	{"baca lihat simak", `(baca|lihat|simak) (berita |artikel )?(selengkapnya|lainnya)([\s:：].*)?`, 190},
	{"berita artikel", `(berita|artikel) (terkait|lainnya|pilihan|populer|terpopuler|terbaru|rekomendasi)` + sep, 0},
	{"sumber pewarta editor penulis reporter wartawan fotografer penyunting redaktur kontributor foto ilustrasi infografis grafis video",
		`(sumber|pewarta|editor|penulis|reporter|wartawan|fotografer|penyunting|redaktur|kontributor|foto|ilustrasi|infografis|grafis|video)\s*[:：]\s*.+`, 190},
	{"hak", `hak cipta (dilindungi|milik|terpelihara|©|\(c\)|(19|20)\d\d).*`, 190},
	{"dilarang", `dilarang (keras )?(mengambil|mengutip|menyalin|memperbanyak|menayangkan|mendistribusikan).*`, 340},
	{"ikuti", `ikuti (kami|kabar|berita|update|informasi|perkembangan|akun|saluran)\b.*`, 240},
	{"ikuti follow gabung join cek simak baca dapatkan", `.*\b(google news|whatsapp|telegram|instagram|twitter|facebook|tiktok|youtube)\b.*`, 280},
	{"bagikan", `bagikan( (artikel|berita|ini|ke|via|di)\b.*)?(\s*[:：].*)?`, 240},
	{"klik tap ketuk", `(klik|tap|ketuk) (di ?sini|link|tautan|tombol)\b.*`, 190},
	{"dapatkan", `dapatkan (update|informasi|berita|notifikasi|kabar|info)\b.*`, 0},
	{"baca", `baca berita (dengan|tanpa) .*`, 120},
	{"simak tonton saksikan", `(simak|tonton|saksikan) (video|juga video|videonya)\b.*`, 200},
	{"[", `\[\s*gambas\s*:.*\]`, 120},
	{"(", `\(\s*[a-z]{2,6}(\s*/\s*[a-z]{2,6}){1,3}\s*\)`, 40},
	{"download unduh", `(download|unduh) (aplikasi|app)\b.*`, 190},
	{"artikel", `artikel ini (telah|sudah) (tayang|terbit|dimuat)\b.*`, 240},
	{"scroll gulir", `(scroll|gulir)( ke bawah)? untuk (melanjutkan|membaca|lanjut).{0,60}`, 0},
	{"tag tags topik kata", `(tag|tags|topik|kata kunci)\s*[:：].*`, 240},
	{"halaman", `halaman (selanjutnya|berikutnya|sebelumnya)\b.{0,60}`, 0},
	{"selengkapnya", `selengkapnya\s*(di|:|：).*`, 190},
	{"tulis beri komentar", `((tulis|beri) )?komentar( anda)?\s*[:：]?\s*\d*`, 0},
}

var packMS = []rule{
	{"baca", `baca (juga|lagi)` + sep, 0},
	{"artikel berita", `(artikel|berita) (berkaitan|berkait|lain|terkini|popular)` + sep, 0},
	{"sumber oleh penulis wartawan gambar foto editor penyunting",
		`(sumber|oleh|penulis|wartawan|gambar|foto|editor|penyunting)\s*[:：]\s*.+`, 190},
	{"hak", `hak cipta terpelihara.*`, 190},
	{"kongsi", `kongsi( (artikel|berita|ini|ke|di)\b.*)?(\s*[:：].*)?`, 240},
	{"ikuti", `ikuti kami\b.*`, 240},
	{"sertai ikuti langgan langgani", `.*\b(telegram|whatsapp|facebook|instagram|twitter|tiktok|youtube|saluran)\b.*`, 280},
	{"klik tekan", `(klik|tekan) (di )?sini\b.*`, 190},
}

var packEN = []rule{
	{"read also see more related you recommended trending most",
		`(read more|read also|also read|see also|more reading|related( articles?| stories| posts| news| content| reading| coverage| topics)?|you (may|might) also like|recommended( for you| stories| reading)?|more from .{1,40}|trending( now| stories)?|most (read|popular|viewed))` + sep, 0},
	{"share", `share( (this|on|via|the|article|story|post)\b.*)?(\s*[:：].*)?`, 240},
	{"tweet email print facebook twitter whatsapp linkedin pinterest reddit telegram copy",
		`(tweet|email|e-mail|print|facebook|twitter|whatsapp|linkedin|pinterest|reddit|telegram|copy link)`, 0},
	{"we", `we use cookies\b.*`, 0},
	{"this", `this (web)?site uses cookies\b.*`, 0},
	{"by", `by (continuing to (use|browse)|using) (this|our) (site|website)\b.*`, 0},
	{"accept reject manage", `(accept|reject|manage)( all)?( cookies| preferences)?`, 0},
	{"cookie privacy terms", `(cookie (settings|policy|preferences)|privacy policy|terms of (use|service))(\s*[|•·].*)?`, 140},
	{"subscribe sign get", `(subscribe|sign up)( now| today)?( to| for)? (our|the) (free )?(daily |weekly )?newsletters?\b.*`, 0},
	{"subscribe sign log register", `(subscribe|sign up|log ?in|sign in|register)( now| here| today)?[!.]?`, 0},
	{"get", `get (our|the) (newsletter|app)\b.*`, 190},
	{"click tap", `(click|tap) here\b.*`, 190},
	{"advertisement scroll", `(advertisement\s*[-–—:]?\s*)?scroll (down )?to continue( with content| reading)?\.?`, 0},
	{"skip back scroll continue loading jump", `(skip to (main )?content|back to top|scroll to top|continue reading.*|loading\.{0,3}|jump to.{0,40})`, 163},
	{"tag tags filed categories topics", `(tags?|filed under|categories|topics)\s*[:：].*`, 240},
	{"posted published updated last", `(posted|published|updated|last updated)( on| at)?\s*[:：]?\s*(\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun).{0,50}`, 0},
	{"photo image picture credit source via", `(photo|image|picture|credit|source|via)\s*[:：]\s*.+`, 160},
	{"follow like join connect", `(follow|like|join|connect with) us( (on|at)\b.*)?`, 190},
	{"download", `download (our|the) app\b.*`, 190},
	{"leave", `leave a (comment|reply)\b.{0,60}`, 0},
}
