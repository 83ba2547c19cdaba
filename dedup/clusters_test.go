package dedup

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/saring/saring"
)

// chainDocs plants a chain of near-copies: document i holds sentences
// [2i, 2i+20) of a pool of distinct sentences, so neighbours share 18 of 20
// sentences (Jaccard of word 5-grams about 0.8) and documents ten or more
// apart share none.
func chainDocs(links int) []saring.Document {
	sentence := func(i int) string {
		w := make([]string, 12)
		for k := range w {
			w[k] = fmt.Sprintf("s%dw%d", i, k)
		}
		return strings.Join(w, " ") + "."
	}
	var texts []string
	for i := 0; i < links; i++ {
		var b []string
		for s := 2 * i; s < 2*i+20; s++ {
			b = append(b, sentence(s))
		}
		texts = append(texts, strings.Join(b, " "))
	}
	return mkdocs(texts...)
}

func TestMinhashChainIsSplit(t *testing.T) {
	docs := chainDocs(26) // A … Z
	a, z := docs[0], docs[len(docs)-1]
	sa, na := sketchOf(t, a.Text)
	sz, nz := sketchOf(t, z.Text)
	if j, c := CompareSketches(sa, na, sz, nz); j != 0 || c != 0 {
		t.Fatalf("A and Z share shingles: J=%g C=%g", j, c)
	}

	// Without the check, verified pairs chain A to Z: the hazard.
	m := newMinhashT(t, func(o *MinhashOptions) { o.RepSimilarity = 0 }, saring.Env{})
	out := drive(t, m, docs, 2, 1)
	if out[len(out)-1].Meta["duplicate_of"] != a.ID {
		t.Fatalf("without the check Z should chain to A: %+v", out[len(out)-1])
	}
	if m.Stats.LargestCluster != len(docs) || m.Stats.Split != 0 {
		t.Fatalf("without the check: %+v", m.Stats)
	}

	// At the defaults every removed document is similar to the one it is
	// removed for, and Z is not removed as a copy of A.
	opts := DefaultMinhashOptions()
	m = newMinhashT(t, nil, saring.Env{})
	out = drive(t, m, docs, 3, 2)
	byID := map[string]string{}
	for _, d := range docs {
		byID[d.ID] = d.Text
	}
	removed := 0
	for i, o := range out {
		rep, ok := o.Meta["duplicate_of"].(string)
		if !ok {
			continue
		}
		removed++
		s1, n1 := sketchOf(t, docs[i].Text)
		s2, n2 := sketchOf(t, byID[rep])
		if j, c := CompareSketches(s1, n1, s2, n2); j < opts.RepSimilarity && c < opts.Containment {
			t.Errorf("doc %d removed as a copy of %s with J=%.2f C=%.2f", i, rep, j, c)
		}
	}
	if got := out[len(out)-1].Meta["duplicate_of"]; got == a.ID {
		t.Fatalf("Z removed as a duplicate of A")
	}
	if removed == 0 || m.Stats.Split == 0 || m.Stats.SplitOff == 0 {
		t.Fatalf("removed %d, stats %+v: the chain should be found and split", removed, m.Stats)
	}
	if m.Stats.LargestComponent != len(docs) || m.Stats.LargestCluster >= len(docs) {
		t.Fatalf("stats %+v", m.Stats)
	}

	// Same decisions whatever the order of Add calls and the memory budget
	// (sketches read from disk).
	ref := out
	for i, mem := range []int64{0, 16 << 10} {
		got := drive(t, newMinhashT(t, nil, saring.Env{MemoryBytes: mem}), docs, 4, uint64(10+i))
		for j := range got {
			if fmt.Sprint(got[j]) != fmt.Sprint(ref[j]) {
				t.Fatalf("run %d differs at doc %d: %+v vs %+v", i, j, got[j], ref[j])
			}
		}
	}
}

// Large clusters are counted and listed, largest first.
func TestMinhashLargeClusters(t *testing.T) {
	var texts []string
	for c, size := range []int{2, 5, 3, 5} {
		for k := 0; k < size; k++ {
			texts = append(texts, fmt.Sprintf("copy %d of story %d: ", k, c)+storyVariant(c))
		}
	}
	docs := mkdocs(texts...)
	m := newMinhashT(t, func(o *MinhashOptions) { o.LargeCluster = 3 }, saring.Env{})
	drive(t, m, docs, 2, 1)
	st := m.Stats
	if st.LargeClusters != 2 || st.LargeClusterLimit != 3 || st.LargestCluster != 5 || st.Clusters != 4 {
		t.Fatalf("stats %+v", st)
	}
	want := []ClusterSummary{{docs[2].ID, 5}, {docs[10].ID, 5}, {docs[7].ID, 3}, {docs[0].ID, 2}}
	if !slices.Equal(st.Largest, want) {
		t.Fatalf("largest %+v, want %+v", st.Largest, want)
	}
}

func storyVariant(c int) string {
	r := rand.New(rand.NewPCG(uint64(c), 3))
	w := strings.Fields(strings.Repeat(storyA+" ", 2))
	r.Shuffle(len(w), func(i, j int) { w[i], w[j] = w[j], w[i] })
	return strings.Join(w, " ")
}

func sketchOf(t testing.TB, text string) ([]uint32, int) {
	t.Helper()
	o := DefaultMinhashOptions()
	s, err := NewSigner(SignerConfig{Scheme: o.Scheme, Permutations: o.Permutations, Shingle: o.Shingle, N: o.N, Seed: o.Seed})
	if err != nil {
		t.Fatal(err)
	}
	_, sk, n := s.SignSketch(text, nil, nil, -1)
	return sk, n
}

func TestCompareSketches(t *testing.T) {
	s, _ := NewSigner(SignerConfig{Scheme: SchemeOPH, Permutations: 64, Shingle: "word", N: 1, Seed: 3})
	words := make([]string, 3000)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	// a: 0..999, b: 500..1999 (shared 500 of 2000: J = 0.25; containment
	// of a in b = 0.5).
	a := strings.Join(words[:1000], " ")
	b := strings.Join(words[500:2000], " ")
	_, fa, na := s.SignSketch(a, nil, nil, -1)
	_, fb, nb := s.SignSketch(b, nil, nil, -1)
	if na != 1000 || nb != 1500 || len(fa) != na {
		t.Fatalf("distinct %d %d, sketch %d", na, nb, len(fa))
	}
	if j, c := CompareSketches(fa, na, fb, nb); j != 0.25 || c != 0.5 {
		t.Errorf("exact: J=%g C=%g", j, c)
	}
	_, ka, _ := s.SignSketch(a, nil, nil, 256)
	_, kb, _ := s.SignSketch(b, nil, nil, 256)
	if len(ka) != 256 || !slices.IsSorted(ka) {
		t.Fatalf("sketch of %d values", len(ka))
	}
	if j, c := CompareSketches(ka, na, kb, nb); j < 0.18 || j > 0.32 || c < 0.4 || c > 0.6 {
		t.Errorf("bottom-256: J=%g C=%g", j, c)
	}
	// One complete sketch, one partial.
	_, kc, nc := s.SignSketch(strings.Join(words[:100], " "), nil, nil, 256)
	if j, c := CompareSketches(kc, nc, ka, na); j < 0.05 || j > 0.16 || c < 0.7 {
		t.Errorf("complete in partial: J=%g C=%g", j, c)
	}
	if j, c := CompareSketches(nil, 0, ka, na); j != 0 || c != 0 {
		t.Error("empty sketch")
	}
}
