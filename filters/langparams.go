package filters

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/saring/saring"
)

//go:generate go run ./params/gen.go -src ../../shared/data/fineweb2-filter-configs -out params/fineweb2.json.gz

// lpData is FineWeb 2's per-language filter thresholds and stop words
// (huggingface/fineweb-2, configs/, Apache-2.0; see params/NOTICE).
//
//go:embed params/fineweb2.json.gz
var lpData []byte

// NGramFrac is a threshold that applies to n-grams of one length.
type NGramFrac struct {
	N    int
	Frac float64
}

// LangParams holds FineWeb 2's filter thresholds for one language/script
// pair. They were tuned on GlotLID labels; Key names the pair ("ind_Latn").
type LangParams struct {
	Key                   string
	DupLineFrac           float64
	DupNGrams             []NGramFrac // duplicate n-gram character fraction, n = 5..10
	TopNGrams             []NGramFrac // top n-gram character fraction, n = 2..4
	LanguageScore         float64
	LinePunctThr          float64
	MinAvgWordLength      float64
	MaxAvgWordLength      float64
	MaxNonAlphaWordsRatio float64
	NewLineRatio          float64
	StopWords             []string
}

// lpRaw is the embedded file's layout (see params/gen.go).
type lpRaw struct {
	DupLineFrac           float64     `json:"dup_line_frac"`
	DupNGrams             [][]float64 `json:"dup_n_grams"`
	TopNGrams             [][]float64 `json:"top_n_grams"`
	LanguageScore         float64     `json:"language_score"`
	LinePunctThr          float64     `json:"line_punct_thr"`
	MinAvgWordLength      float64     `json:"min_avg_word_length"`
	MaxAvgWordLength      float64     `json:"max_avg_word_length"`
	MaxNonAlphaWordsRatio float64     `json:"max_non_alpha_words_ratio"`
	NewLineRatio          float64     `json:"new_line_ratio"`
	Stopwords             []string    `json:"stopwords"`
}

// lpTable decodes the embedded file once; entries are parsed on first use
// so that a run touching two languages does not build 1,929 structs.
var lpTable = sync.OnceValues(func() (map[string]json.RawMessage, error) {
	zr, err := gzip.NewReader(bytes.NewReader(lpData))
	if err != nil {
		return nil, fmt.Errorf("embedded fineweb2 params: %w (rebuild with go generate ./filters)", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("embedded fineweb2 params: %w (rebuild with go generate ./filters)", err)
	}
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("embedded fineweb2 params: %w (rebuild with go generate ./filters)", err)
	}
	return m, nil
})

var lpCache sync.Map // key -> *LangParams

// lpKeys returns the FineWeb 2 keys, sorted.
var lpKeys = sync.OnceValue(func() []string {
	m, err := lpTable()
	if err != nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
})

// lpKeyFor maps a language label to a FineWeb 2 key. It accepts lid.176
// codes ("id", "ceb"), GlotLID keys ("ind_Latn", "__label__ind_Latn") and
// bare ISO 639-3 codes ("ind").
func lpKeyFor(lang string) (string, bool) {
	lang = strings.TrimPrefix(strings.TrimSpace(lang), "__label__")
	if lang == "" {
		return "", false
	}
	m, err := lpTable()
	if err != nil {
		return "", false
	}
	if strings.Contains(lang, "_") {
		_, ok := m[lang]
		return lang, ok
	}
	lang = strings.ToLower(lang)
	if k, ok := lpLid176[lang]; ok {
		if k == "" {
			return "", false
		}
		_, ok := m[k]
		return k, ok
	}
	// A 639-3 code lid.176 does not know: take its only script, or Latin.
	var found []string
	keys := lpKeys()
	i := sort.SearchStrings(keys, lang+"_")
	for ; i < len(keys) && strings.HasPrefix(keys[i], lang+"_"); i++ {
		found = append(found, keys[i])
	}
	switch {
	case len(found) == 1:
		return found[0], true
	case len(found) > 1:
		for _, k := range found {
			if strings.HasSuffix(k, "_Latn") {
				return k, true
			}
		}
		return found[0], true
	}
	return "", false
}

// langParams returns FineWeb 2's thresholds for lang (see lpKeyFor for the
// accepted labels). It is safe for concurrent use.
func langParams(lang string) (*LangParams, bool) {
	key, ok := lpKeyFor(lang)
	if !ok {
		return nil, false
	}
	if p, ok := lpCache.Load(key); ok {
		return p.(*LangParams), true
	}
	m, err := lpTable()
	if err != nil {
		return nil, false
	}
	var r lpRaw
	if err := json.Unmarshal(m[key], &r); err != nil {
		return nil, false
	}
	p := &LangParams{
		Key:                   key,
		DupLineFrac:           r.DupLineFrac,
		DupNGrams:             lpNGrams(r.DupNGrams),
		TopNGrams:             lpNGrams(r.TopNGrams),
		LanguageScore:         r.LanguageScore,
		LinePunctThr:          r.LinePunctThr,
		MinAvgWordLength:      r.MinAvgWordLength,
		MaxAvgWordLength:      r.MaxAvgWordLength,
		MaxNonAlphaWordsRatio: r.MaxNonAlphaWordsRatio,
		NewLineRatio:          r.NewLineRatio,
		StopWords:             r.Stopwords,
	}
	actual, _ := lpCache.LoadOrStore(key, p)
	return actual.(*LangParams), true
}

func lpNGrams(in [][]float64) []NGramFrac {
	out := make([]NGramFrac, 0, len(in))
	for _, e := range in {
		if len(e) == 2 {
			out = append(out, NGramFrac{N: int(e[0]), Frac: e[1]})
		}
	}
	return out
}

// LanguageParams returns a copy of FineWeb 2's thresholds for lang, for
// tools that show them (saring explain). lang may be a lid.176 code, a
// GlotLID key or an ISO 639-3 code.
func LanguageParams(lang string) (LangParams, bool) {
	p, ok := langParams(lang)
	if !ok {
		return LangParams{}, false
	}
	c := *p
	c.DupNGrams = append([]NGramFrac(nil), p.DupNGrams...)
	c.TopNGrams = append([]NGramFrac(nil), p.TopNGrams...)
	c.StopWords = append([]string(nil), p.StopWords...)
	return c, true
}

// lpParamsMode is the language_params option shared by the steps that can
// take FineWeb 2's per-language thresholds.
const (
	lpModeNone = "none"
	lpModeAuto = "auto"
)

// docLangParams returns FineWeb 2's thresholds for doc's language under
// language_params mode: none unless the mode is auto and the table has the
// language.
func docLangParams(mode string, doc *saring.Document) (*LangParams, bool) {
	if mode != lpModeAuto {
		return nil, false
	}
	return langParams(doc.Language())
}

// lpValidMode reports whether s is a valid language_params value.
func lpValidMode(s string) bool { return s == lpModeNone || s == lpModeAuto }

// lpNote is Explain's note on where the bounds FineWeb 2's table can set
// came from, for language_params mode: the table (key), or, when it has
// none for the document's language, what the step took instead
// (fallback); without language_params: auto, def.
func lpNote(mode, key string, doc *saring.Document, def, fallback string) string {
	switch {
	case mode != lpModeAuto:
		return def
	case key != "":
		return "FineWeb 2 " + key
	}
	return fmt.Sprintf("no FineWeb 2 parameters for language %q: %s", doc.Language(), fallback)
}

// lpLid176 maps each of lid.176's 176 labels to a FineWeb 2 key. Macrolanguages
// map to the individual language FineWeb 2 has data for (ar -> arb, fa -> fas,
// ms -> zsm, zh -> cmn), and languages written in several scripts to their main
// one (sr -> Cyrl). lid.176's "als" is Alemannic (gsw), not Tosk Albanian; "sh"
// (Serbo-Croatian in Latin script) takes Croatian's thresholds. "" means FineWeb 2
// has no parameters for the language (English was not part of it).
var lpLid176 = map[string]string{
	"af": "afr_Latn", "als": "gsw_Latn", "am": "amh_Ethi", "an": "arg_Latn", "ar": "arb_Arab",
	"arz": "arz_Arab", "as": "asm_Beng", "ast": "ast_Latn", "av": "ava_Cyrl", "az": "azj_Latn",
	"azb": "azb_Arab", "ba": "bak_Cyrl", "bar": "bar_Latn", "bcl": "bcl_Latn", "be": "bel_Cyrl",
	"bg": "bul_Cyrl", "bh": "bho_Deva", "bn": "ben_Beng", "bo": "bod_Tibt", "bpy": "bpy_Beng",
	"br": "bre_Latn", "bs": "bos_Latn", "bxr": "bxr_Cyrl", "ca": "cat_Latn", "cbk": "cbk_Latn",
	"ce": "che_Cyrl", "ceb": "ceb_Latn", "ckb": "ckb_Arab", "co": "cos_Latn", "cs": "ces_Latn",
	"cv": "chv_Cyrl", "cy": "cym_Latn", "da": "dan_Latn", "de": "deu_Latn", "diq": "diq_Latn",
	"dsb": "dsb_Latn", "dty": "dty_Deva", "dv": "div_Thaa", "el": "ell_Grek", "eml": "eml_Latn",
	"en": "", "eo": "epo_Latn", "es": "spa_Latn", "et": "ekk_Latn", "eu": "eus_Latn",
	"fa": "fas_Arab", "fi": "fin_Latn", "fr": "fra_Latn", "frr": "frr_Latn", "fy": "fry_Latn",
	"ga": "gle_Latn", "gd": "gla_Latn", "gl": "glg_Latn", "gn": "gug_Latn", "gom": "gom_Deva",
	"gu": "guj_Gujr", "gv": "glv_Latn", "he": "heb_Hebr", "hi": "hin_Deva", "hif": "hif_Latn",
	"hr": "hrv_Latn", "hsb": "hsb_Latn", "ht": "hat_Latn", "hu": "hun_Latn", "hy": "hye_Armn",
	"ia": "ina_Latn", "id": "ind_Latn", "ie": "ile_Latn", "ilo": "ilo_Latn", "io": "ido_Latn",
	"is": "isl_Latn", "it": "ita_Latn", "ja": "jpn_Jpan", "jbo": "jbo_Latn", "jv": "jav_Latn",
	"ka": "kat_Geor", "kk": "kaz_Cyrl", "km": "khm_Khmr", "kn": "kan_Knda", "ko": "kor_Hang",
	"krc": "krc_Cyrl", "ku": "kmr_Latn", "kv": "kpv_Cyrl", "kw": "cor_Latn", "ky": "kir_Cyrl",
	"la": "lat_Latn", "lb": "ltz_Latn", "lez": "lez_Cyrl", "li": "lim_Latn", "lmo": "lmo_Latn",
	"lo": "lao_Laoo", "lrc": "lrc_Arab", "lt": "lit_Latn", "lv": "lvs_Latn", "mai": "mai_Deva",
	"mg": "plt_Latn", "mhr": "mhr_Cyrl", "min": "min_Latn", "mk": "mkd_Cyrl", "ml": "mal_Mlym",
	"mn": "khk_Cyrl", "mr": "mar_Deva", "mrj": "mrj_Cyrl", "ms": "zsm_Latn", "mt": "mlt_Latn",
	"mwl": "mwl_Latn", "my": "mya_Mymr", "myv": "myv_Cyrl", "mzn": "mzn_Arab", "nah": "nah_Latn",
	"nap": "nap_Latn", "nds": "nds_Latn", "ne": "npi_Deva", "new": "new_Deva", "nl": "nld_Latn",
	"nn": "nno_Latn", "no": "nob_Latn", "oc": "oci_Latn", "or": "ory_Orya", "os": "oss_Cyrl",
	"pa": "pan_Guru", "pam": "pam_Latn", "pfl": "pfl_Latn", "pl": "pol_Latn", "pms": "pms_Latn",
	"pnb": "pnb_Arab", "ps": "pbt_Arab", "pt": "por_Latn", "qu": "quy_Latn", "rm": "roh_Latn",
	"ro": "ron_Latn", "ru": "rus_Cyrl", "rue": "rue_Cyrl", "sa": "san_Deva", "sah": "sah_Cyrl",
	"sc": "srd_Latn", "scn": "scn_Latn", "sco": "sco_Latn", "sd": "snd_Arab", "sh": "hrv_Latn",
	"si": "sin_Sinh", "sk": "slk_Latn", "sl": "slv_Latn", "so": "som_Latn", "sq": "als_Latn",
	"sr": "srp_Cyrl", "su": "sun_Latn", "sv": "swe_Latn", "sw": "swh_Latn", "ta": "tam_Taml",
	"te": "tel_Telu", "tg": "tgk_Cyrl", "th": "tha_Thai", "tk": "tuk_Latn", "tl": "fil_Latn",
	"tr": "tur_Latn", "tt": "tat_Cyrl", "tyv": "tyv_Cyrl", "ug": "uig_Arab", "uk": "ukr_Cyrl",
	"ur": "urd_Arab", "uz": "uzn_Latn", "vec": "vec_Latn", "vep": "vep_Latn", "vi": "vie_Latn",
	"vls": "vls_Latn", "vo": "vol_Latn", "wa": "wln_Latn", "war": "war_Latn", "wuu": "wuu_Hani",
	"xal": "xal_Cyrl", "xmf": "xmf_Geor", "yi": "ydd_Hebr", "yo": "yor_Latn", "yue": "yue_Hani",
	"zh": "cmn_Hani",
}
