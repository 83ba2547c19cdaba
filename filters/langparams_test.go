package filters

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestLangParams(t *testing.T) {
	p, ok := langParams("id")
	if !ok || p.Key != "ind_Latn" {
		t.Fatalf("id: %+v %v", p, ok)
	}
	// values from fineweb-2 configs/ind_Latn.yml
	if p.LinePunctThr != 0.111 || p.NewLineRatio != 0.157 || p.DupLineFrac != 0.241 || p.LanguageScore != 0.685 ||
		p.MinAvgWordLength != 3 || p.MaxAvgWordLength != 12 || p.MaxNonAlphaWordsRatio != 0.805 {
		t.Errorf("ind_Latn thresholds: %+v", p)
	}
	if len(p.DupNGrams) != 6 || p.DupNGrams[0] != (NGramFrac{5, 0.166}) || p.DupNGrams[5] != (NGramFrac{10, 0.111}) {
		t.Errorf("dup_n_grams %v", p.DupNGrams)
	}
	if len(p.TopNGrams) != 3 || p.TopNGrams[0] != (NGramFrac{2, 0.194}) || p.TopNGrams[2] != (NGramFrac{4, 0.145}) {
		t.Errorf("top_n_grams %v", p.TopNGrams)
	}
	if strings.Join(p.StopWords[:4], " ") != "dan yang di pada" {
		t.Errorf("stop words %v", p.StopWords[:4])
	}
	for _, tt := range []struct{ in, key string }{
		{"ind_Latn", "ind_Latn"},
		{"__label__ind_Latn", "ind_Latn"},
		{"ID", "ind_Latn"},
		{"ind", "ind_Latn"},
		{"ceb", "ceb_Latn"},
		{"ms", "zsm_Latn"},
		{"jv", "jav_Latn"},
		{"su", "sun_Latn"},
		{"min", "min_Latn"},
		{"zh", "cmn_Hani"},
		{"sr", "srp_Cyrl"},
		{"ar", "arb_Arab"},
		{"fa", "fas_Arab"},
		{"als", "gsw_Latn"},
		{"sq", "als_Latn"},
		{"tl", "fil_Latn"},
		{"uz", "uzn_Latn"},
		{"hi", "hin_Deva"},
		{"kmr", "kmr_Latn"}, // 639-3, several scripts: Latin
		{"srp_Latn", "srp_Latn"},
		{"en", ""}, // FineWeb 2 has no English parameters
		{"eng_Latn", ""},
		{"xx", ""},
		{"", ""},
		{"ind_Zzzz", ""},
	} {
		p, ok := langParams(tt.in)
		got := ""
		if ok {
			got = p.Key
		}
		if got != tt.key {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.key)
		}
	}
}

func TestLangParamsLid176(t *testing.T) {
	if len(lpLid176) != 176 {
		t.Fatalf("%d lid.176 labels, want 176", len(lpLid176))
	}
	for code, key := range lpLid176 {
		if key == "" {
			continue
		}
		if p, ok := langParams(code); !ok || p.Key != key {
			t.Errorf("%s -> %s: not in the embedded table", code, key)
		}
	}
	if n := len(lpKeys()); n != 1929 {
		t.Errorf("%d FineWeb 2 keys, want 1929", n)
	}
}

func TestLangParamsConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, l := range []string{"id", "ms", "jv", "ceb", fmt.Sprint([]string{"fr", "de"}[i%2])} {
				if _, ok := langParams(l); !ok {
					t.Errorf("%s missing", l)
				}
			}
		}()
	}
	wg.Wait()
}

func TestLanguageParamsCopy(t *testing.T) {
	a, _ := LanguageParams("id")
	a.StopWords[0] = "changed"
	b, _ := LanguageParams("id")
	if b.StopWords[0] != "dan" {
		t.Error("LanguageParams shares its stop words with the cache")
	}
}

func ExampleLanguageParams() {
	p, _ := LanguageParams("id")
	fmt.Println(p.Key, p.LinePunctThr, p.NewLineRatio, p.StopWords[:3])
	// Output: ind_Latn 0.111 0.157 [dan yang di]
}
