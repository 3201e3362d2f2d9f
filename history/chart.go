package history

import (
	"fmt"
	"html/template"
	"strings"
)

// A barChart is a stacked bar chart of counts per run, drawn as inline
// SVG: no script, no external file, so it renders under the report's
// Content-Security-Policy. It is drawn twice: with a column per run for
// wide screens (Columns), and with a row per run for narrow ones (Rows);
// the style sheet shows one.
type barChart struct {
	// ID prefixes the ids of the chart's title and description.
	ID string
	// Title names the chart.
	Title string
	// Desc says what it shows, for screen readers.
	Desc string
	// Runs label the bars, oldest first: the run's number in the runs
	// table and its date.
	Runs []runLabel
	// Series are the stacked parts, bottom (or left) first; the legend
	// lists them in this order.
	Series []series
}

// A runLabel labels one run's bar.
type runLabel struct {
	// Number is the run's number in the runs table, from 1.
	Number int
	// Date is the run's start, short: "11-05".
	Date string
	// Long names the run in full for the bar's tooltip.
	Long string
	// Unfinished is true for a run that did not finish (still running,
	// killed, interrupted): its bar is drawn paler.
	Unfinished bool
}

// A series is one part of every bar.
type series struct {
	// Name is the legend's word for it.
	Name string
	// Class is the CSS class that colours it.
	Class string
	// Values are its counts, one a run.
	Values []int
}

// totals returns each bar's total.
func (c *barChart) totals() []int {
	t := make([]int, len(c.Runs))
	for _, s := range c.Series {
		for i, v := range s.Values {
			t[i] += v
		}
	}
	return t
}

// scale returns the axis maximum and the tick step for counts up to top:
// a step of 1, 2 or 5 times a power of ten giving at most five ticks.
func scale(top int) (axis, step int) {
	if top <= 0 {
		return 1, 1
	}
	for mag := 1; ; mag *= 10 {
		for _, m := range []int{1, 2, 5} {
			step = m * mag
			if top <= 5*step {
				return (top + step - 1) / step * step, step
			}
		}
	}
}

// Geometry of the wide chart, in SVG units.
const (
	wideW, wideH                             = 960, 380
	wideLeft, wideRight, wideTop, wideBottom = 64, 16, 24, 64
)

// Geometry of the narrow chart, in SVG units: a row is narrowRow high,
// or narrowRowMany when there are more than 20 runs.
const (
	narrowW                                          = 360
	narrowRow, narrowRowMany                         = 30, 22
	narrowLeft, narrowRight, narrowTop, narrowBottom = 96, 40, 16, 44
)

// f formats an SVG coordinate with at most one decimal.
func f(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

// esc escapes text for SVG content and attributes.
func esc(s string) string { return template.HTMLEscapeString(s) }

// open writes the svg element and its title and description.
func (c *barChart) open(b *strings.Builder, kind string, w, h int) {
	id := c.ID + "-" + kind
	fmt.Fprintf(b, `<svg class="chart chart-%s" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc">`, kind, w, h, id, id)
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(c.Title), id, esc(c.Desc))
}

// segmentTitle is a bar part's tooltip.
func (c *barChart) segmentTitle(i int, s series, total int) string {
	t := fmt.Sprintf("run #%d, %s: %d %s of %d", c.Runs[i].Number, c.Runs[i].Long, s.Values[i], s.Name, total)
	if c.Runs[i].Unfinished {
		t += " (the run did not finish)"
	}
	return t
}

// openBar starts the group of run i's bar, paler for an unfinished run.
func (c *barChart) openBar(b *strings.Builder, i int) {
	if c.Runs[i].Unfinished {
		b.WriteString(`<g class="unfinished">`)
	} else {
		b.WriteString(`<g>`)
	}
}

// Columns draws the chart with a column per run, runs left to right.
func (c *barChart) Columns() template.HTML {
	var b strings.Builder
	c.open(&b, "wide", wideW, wideH)
	totals := c.totals()
	axis, step := scale(maxOf(totals))
	plotW, plotH := float64(wideW-wideLeft-wideRight), float64(wideH-wideTop-wideBottom)
	y := func(v int) float64 { return float64(wideTop) + plotH - plotH*float64(v)/float64(axis) }
	// Grid and the y axis's labels.
	for v := 0; v <= axis; v += step {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%s" y2="%s"/>`, wideLeft, wideW-wideRight, f(y(v)), f(y(v)))
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%d</text>`, wideLeft-8, f(y(v)), v)
	}
	fmt.Fprintf(&b, `<text class="axis-label" transform="translate(16 %s) rotate(-90)" text-anchor="middle">violations</text>`, f(float64(wideTop)+plotH/2))
	slot := plotW / float64(len(c.Runs))
	barW := min(slot*0.7, 56)
	// Label every run when there is room, else every few.
	every := 1
	for slot*float64(every) < 60 {
		every++
	}
	for i := range c.Runs {
		x := float64(wideLeft) + slot*float64(i) + (slot-barW)/2
		base := 0
		c.openBar(&b, i)
		for _, s := range c.Series {
			v := s.Values[i]
			if v == 0 {
				continue
			}
			fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s"><title>%s</title></rect>`,
				s.Class, f(x), f(y(base+v)), f(barW), f(y(base)-y(base+v)), esc(c.segmentTitle(i, s, totals[i])))
			base += v
		}
		b.WriteString(`</g>`)
		cx := x + barW/2
		// Counted from the last run, which is always labelled.
		labelled := (len(c.Runs)-1-i)%every == 0
		if slot >= 28 || labelled {
			fmt.Fprintf(&b, `<text class="total" x="%s" y="%s" text-anchor="middle">%d</text>`, f(cx), f(y(totals[i])-6), totals[i])
		}
		if labelled {
			fmt.Fprintf(&b, `<text class="tick" x="%s" y="%d" text-anchor="middle">#%d</text>`, f(cx), wideH-wideBottom+20, c.Runs[i].Number)
			fmt.Fprintf(&b, `<text class="tick" x="%s" y="%d" text-anchor="middle">%s</text>`, f(cx), wideH-wideBottom+38, esc(c.Runs[i].Date))
		}
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%s" y2="%s"/>`, wideLeft, wideW-wideRight, f(y(0)), f(y(0)))
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%d" y2="%s"/>`, wideLeft, wideLeft, wideTop, f(y(0)))
	fmt.Fprintf(&b, `<text class="axis-label" x="%s" y="%d" text-anchor="middle">run (number and date, UTC)</text>`, f(float64(wideLeft)+plotW/2), wideH-6)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Rows draws the chart with a row per run, oldest at the top, for narrow
// screens.
func (c *barChart) Rows() template.HTML {
	var b strings.Builder
	narrowRow := narrowRow
	if len(c.Runs) > 20 {
		narrowRow = narrowRowMany
	}
	h := narrowTop + narrowRow*len(c.Runs) + narrowBottom
	c.open(&b, "narrow", narrowW, h)
	totals := c.totals()
	axis, step := scale(maxOf(totals))
	plotW := float64(narrowW - narrowLeft - narrowRight)
	x := func(v int) float64 { return float64(narrowLeft) + plotW*float64(v)/float64(axis) }
	bottom := narrowTop + narrowRow*len(c.Runs)
	for v := 0; v <= axis; v += step {
		fmt.Fprintf(&b, `<line class="grid" x1="%s" x2="%s" y1="%d" y2="%d"/>`, f(x(v)), f(x(v)), narrowTop, bottom)
		fmt.Fprintf(&b, `<text class="tick" x="%s" y="%d" text-anchor="middle">%d</text>`, f(x(v)), bottom+18, v)
	}
	fmt.Fprintf(&b, `<text class="axis-label" x="%s" y="%d" text-anchor="middle">violations</text>`, f(float64(narrowLeft)+plotW/2), h-6)
	barH := float64(narrowRow) * 0.66
	for i := range c.Runs {
		top := float64(narrowTop+narrowRow*i) + (float64(narrowRow)-barH)/2
		mid := float64(narrowTop+narrowRow*i) + float64(narrowRow)/2
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%s" text-anchor="end" dominant-baseline="middle">#%d %s</text>`, narrowLeft-8, f(mid), c.Runs[i].Number, esc(c.Runs[i].Date))
		base := 0
		c.openBar(&b, i)
		for _, s := range c.Series {
			v := s.Values[i]
			if v == 0 {
				continue
			}
			fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s"><title>%s</title></rect>`,
				s.Class, f(x(base)), f(top), f(x(base+v)-x(base)), f(barH), esc(c.segmentTitle(i, s, totals[i])))
			base += v
		}
		b.WriteString(`</g>`)
		fmt.Fprintf(&b, `<text class="total" x="%s" y="%s" dominant-baseline="middle">%d</text>`, f(x(totals[i])+4), f(mid), totals[i])
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%d" y2="%d"/>`, narrowLeft, narrowLeft, narrowTop, bottom)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%d" y2="%d"/>`, narrowLeft, narrowW-narrowRight, bottom, bottom)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// maxOf returns the largest of xs, or 0.
func maxOf(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
