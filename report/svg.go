package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"sort"
	"strings"

	"github.com/saring/saring/outdir"
)

// Charts are drawn as inline SVG strings built here, so the report needs no
// script and no network. Every label passes through esc: step names, reasons
// and languages come from the run and are not trusted.

func esc(s string) string { return html.EscapeString(s) }

// Seg is one coloured part of a bar.
type Seg struct {
	Value float64
	Class string // CSS class: pass, rm, in, out, bar
	Tip   string // tooltip
}

// Bar is one row of a horizontal bar chart.
type Bar struct {
	Label string
	Segs  []Seg
	Note  string // printed right of the bar
}

// Legend names a CSS class.
type Legend struct{ Class, Label string }

// HBarChart draws labelled horizontal bars (stacked when a bar has several
// segments) against a value axis.
func HBarChart(title, axis string, bars []Bar, legend []Legend, fmtAxis func(float64) string) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	const width, labelW, noteW, rowH, top = 880.0, 230.0, 190.0, 24.0, 46.0
	plotW := width - labelW - noteW
	var max float64
	for _, b := range bars {
		var t float64
		for _, s := range b.Segs {
			t += math.Max(s.Value, 0)
		}
		max = math.Max(max, t)
	}
	ticks := niceTicks(max, 5)
	scale := ticks[len(ticks)-1]
	height := top + rowH*float64(len(bars)) + 44
	var w strings.Builder
	fmt.Fprintf(&w, `<svg class="chart" role="img" viewBox="0 0 %g %g" width="%g" height="%g" aria-label="%s">`, width, height, width, height, esc(title))
	fmt.Fprintf(&w, `<title>%s</title><text class="ctitle" x="0" y="18">%s</text>`, esc(title), esc(title))
	legendAt(&w, legend, labelW, 36)
	y0, y1 := top, top+rowH*float64(len(bars))
	for _, t := range ticks {
		x := labelW + plotW*t/scale
		fmt.Fprintf(&w, `<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x, y0, x, y1)
		fmt.Fprintf(&w, `<text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x, y1+14, esc(fmtAxis(t)))
	}
	fmt.Fprintf(&w, `<text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, labelW+plotW/2, y1+34, esc(axis))
	for i, b := range bars {
		y := top + rowH*float64(i)
		fmt.Fprintf(&w, `<text class="label" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, labelW-8, y+rowH/2+4, esc(clip(b.Label, 32)))
		x := labelW
		for _, s := range b.Segs {
			bw := plotW * math.Max(s.Value, 0) / scale
			if bw > 0 {
				fmt.Fprintf(&w, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`,
					esc(s.Class), x, y+3, math.Max(bw, 0.8), rowH-6, esc(s.Tip))
			}
			x += bw
		}
		fmt.Fprintf(&w, `<text class="note" x="%.1f" y="%.1f">%s</text>`, labelW+plotW+8, y+rowH/2+4, esc(b.Note))
	}
	w.WriteString(`</svg>`)
	return template.HTML(w.String())
}

func legendAt(w *strings.Builder, legend []Legend, x, y float64) {
	for _, l := range legend {
		fmt.Fprintf(w, `<rect class="%s" x="%.1f" y="%.1f" width="10" height="10"/><text class="legend" x="%.1f" y="%.1f">%s</text>`,
			esc(l.Class), x, y-9, x+14, y, esc(l.Label))
		x += 22 + 7*float64(len(l.Label))
	}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Series is one histogram drawn over shared bins.
type Series struct {
	Name   string
	Class  string
	Counts []float64 // one per bin (overflow as the last bin when present)
}

// HistChart draws one or more series over the same bins as overlapping bars.
// labels[i] names the lower edge of bin i; last is the upper edge of the
// last bin (empty for an open overflow bin).
func HistChart(title, xAxis, yAxis string, labels []string, last string, series []Series, wide bool, labelAt map[int]bool) template.HTML {
	if len(labels) == 0 || len(series) == 0 {
		return ""
	}
	width := 420.0
	if wide {
		width = 880
	}
	const height, left, right, top, bottom = 250.0, 52.0, 14.0, 44.0, 54.0
	plotW, plotH := width-left-right, height-top-bottom
	var max float64
	for _, s := range series {
		for _, c := range s.Counts {
			max = math.Max(max, c)
		}
	}
	ticks := niceTicks(max, 4)
	scale := ticks[len(ticks)-1]
	n := len(labels)
	bw := plotW / float64(n)
	var w strings.Builder
	fmt.Fprintf(&w, `<svg class="chart" role="img" viewBox="0 0 %g %g" width="%g" height="%g" aria-label="%s">`, width, height, width, height, esc(title))
	fmt.Fprintf(&w, `<title>%s</title><text class="ctitle" x="0" y="18">%s</text>`, esc(title), esc(clip(title, int(width/7.5))))
	if len(series) > 1 {
		var lg []Legend
		for _, s := range series {
			lg = append(lg, Legend{s.Class, s.Name})
		}
		legendAt(&w, lg, left, 36)
	}
	for _, t := range ticks {
		y := top + plotH - plotH*t/scale
		fmt.Fprintf(&w, `<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, left, y, left+plotW, y)
		fmt.Fprintf(&w, `<text class="tick" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, left-4, y+4, esc(Compact(t)))
	}
	for si, s := range series {
		inset := 0.0
		if len(series) > 1 {
			inset = float64(si) * bw * 0.18
		}
		for i, c := range s.Counts {
			if i >= n || c <= 0 {
				continue
			}
			h := plotH * c / scale
			hi := last
			if i+1 < n {
				hi = labels[i+1]
			}
			tip := fmt.Sprintf("%s: [%s, %s) %s", s.Name, labels[i], hi, Int(c))
			if hi == "" {
				tip = fmt.Sprintf("%s: ≥ %s %s", s.Name, labels[i], Int(c))
			}
			fmt.Fprintf(&w, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`,
				esc(s.Class), left+bw*float64(i)+inset+0.5, top+plotH-h, math.Max(bw-1-inset, 0.8), math.Max(h, 0.8), esc(tip))
		}
	}
	fmt.Fprintf(&w, `<line class="axisline" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, left, top+plotH, left+plotW, top+plotH)
	// Label at most ~8 edges so they stay readable.
	every := (n + 7) / 8
	if every < 1 {
		every = 1
	}
	for i := 0; i <= n; i++ {
		if labelAt != nil && !labelAt[i] || labelAt == nil && i%every != 0 {
			continue
		}
		lab := last
		if i < n {
			lab = labels[i]
		}
		x := left + bw*float64(i)
		fmt.Fprintf(&w, `<line class="axisline" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x, top+plotH, x, top+plotH+4)
		fmt.Fprintf(&w, `<text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x, top+plotH+16, esc(lab))
	}
	fmt.Fprintf(&w, `<text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, left+plotW/2, height-10, esc(xAxis))
	fmt.Fprintf(&w, `<text class="axis" transform="translate(12 %.1f) rotate(-90)" text-anchor="middle">%s</text>`, top+plotH/2, esc(yAxis))
	w.WriteString(`</svg>`)
	return template.HTML(w.String())
}

// HistFromStats draws histograms of the same quantity (before/after) on one
// chart when their bins line up: identical edges, or edges that are runs of
// one shared list (`saring run` trims each histogram's empty tails from
// outdir.HistEdges). Others are drawn one chart each.
func HistFromStats(title, xAxis string, names, classes []string, hs []*outdir.Histogram, wide bool) []template.HTML {
	var keep []int
	for i, h := range hs {
		if lo, _, _ := bins(h); len(lo) > 0 {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	if edges, counts, ok := alignHists(hs, keep); ok {
		var series []Series
		for j, i := range keep {
			series = append(series, Series{Name: names[i], Class: classes[i], Counts: counts[j]})
		}
		return []template.HTML{histChartEdges(title, xAxis, edges, series, wide)}
	}
	var out []template.HTML
	for _, i := range keep {
		lo, hi, counts := bins(hs[i])
		edges := append(append([]float64{}, lo...), hi[len(hi)-1])
		out = append(out, histChartEdges(title, xAxis, edges, []Series{{Name: names[i], Class: classes[i], Counts: counts}}, wide))
	}
	return out
}

// alignHists puts histograms on common edges, or reports that it cannot.
func alignHists(hs []*outdir.Histogram, keep []int) ([]float64, [][]float64, bool) {
	var union []float64
	seen := map[float64]bool{}
	for _, i := range keep {
		lo, hi, _ := bins(hs[i])
		for _, e := range append(lo, hi[len(hi)-1]) {
			if !seen[e] && !math.IsNaN(e) {
				seen[e] = true
				union = append(union, e)
			}
		}
	}
	sort.Float64s(union)
	pos := make(map[float64]int, len(union))
	for i, e := range union {
		pos[e] = i
	}
	if len(union) > 400 || len(union) < 2 {
		return nil, nil, false
	}
	var counts [][]float64
	for _, i := range keep {
		lo, hi, cs := bins(hs[i])
		c := make([]float64, len(union)-1)
		for k := range lo {
			a, b := pos[lo[k]], pos[hi[k]]
			if b != a+1 {
				return nil, nil, false
			}
			c[a] += cs[k]
		}
		counts = append(counts, c)
	}
	return union, counts, true
}

// histChartEdges labels bins by their edges.
func histChartEdges(title, xAxis string, edges []float64, series []Series, wide bool) template.HTML {
	n := len(edges) - 1
	labels := make([]string, n)
	for i := range labels {
		labels[i] = Compact(edges[i])
	}
	return HistChart(title, xAxis, "documents", labels, Compact(edges[len(edges)-1]), series, wide || n > 24, roundEdges(edges))
}

// roundEdges picks which edges to label when there are many: powers of two
// and tenths read best. nil means "every k-th".
func roundEdges(edges []float64) map[int]bool {
	if len(edges) <= 10 {
		return nil
	}
	pick := map[int]bool{}
	for i, e := range edges {
		if e <= 0 {
			continue
		}
		l := math.Log2(e)
		if e >= 1 && math.Abs(l-math.Round(l)) < 1e-9 {
			pick[i] = true
		} else if e < 1 && math.Abs(e*10-math.Round(e*10)) < 1e-9 && int(math.Round(e*10))%2 == 0 {
			pick[i] = true
		}
	}
	if len(pick) < 3 {
		return nil
	}
	for len(pick) > 14 { // too many powers of two: keep every other one
		i := 0
		for _, k := range sortedInts(pick) {
			if i%2 == 1 {
				delete(pick, k)
			}
			i++
		}
	}
	return pick
}

func sortedInts(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
