package ui

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"

	"maillon"
)

// Charts of reports, drawn on the server as SVG: no script, no inline
// style (the CSP forbids both), colours only through classes. Each chart
// is an image with a title and a description (role="img" and
// aria-labelledby); its data table follows it in the page, so the figures
// are read there. Every bar carries its label and its figure as text, and
// the segments of a stacked bar differ by hatching, so a chart reads in
// black and white. A hidden cell (small-cell suppression) draws no bar: a
// bar's length would give the figure away.

// Chart geometry, in SVG user units; the SVG scales to its container.
const (
	chartWidth  = 640
	chartLabelW = 230 // the label column of horizontal bars
	chartValueW = 90  // room for the figure after the longest bar
	chartBarH   = 22
	chartGap    = 8
)

// Chart draws the chart of a report table (nothing when the indicator has
// none, or no row has a figure). id must be unique in the page.
func Chart(id string, t maillon.ReportTable) template.HTML {
	if t.Indicator.Chart == maillon.ChartNone || len(t.Rows) == 0 {
		return ""
	}
	max := 0.0
	for _, r := range t.Rows {
		if !r.Hidden && r.Value > max {
			max = r.Value
		}
	}
	if max <= 0 {
		return ""
	}
	switch t.Indicator.Chart {
	case maillon.ChartLine:
		return lineChart(id, t, max)
	case maillon.ChartStack:
		return stackChart(id, t)
	}
	return barChart(id, t, max)
}

// open writes the <svg> element with its accessible name and description.
func openChart(b *strings.Builder, id string, height int, t maillon.ReportTable, kind string) {
	esc := html.EscapeString
	b.WriteString(`<figure class="chart">`)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" role="img" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(chartWidth) + " " + strconv.Itoa(height))
	b.WriteString(`" aria-labelledby="` + esc(id) + `-title ` + esc(id) + `-desc">`)
	b.WriteString(`<title id="` + esc(id) + `-title">` + esc(t.Indicator.Label) + `</title>`)
	b.WriteString(`<desc id="` + esc(id) + `-desc">` + esc(kind) + " : ")
	for i, r := range t.Rows {
		if i > 0 {
			b.WriteString(" ; ")
		}
		b.WriteString(esc(r.Label) + " " + esc(r.Text))
	}
	b.WriteString(`. Les mêmes chiffres sont dans le tableau qui suit.</desc>`)
}

func closeChart(b *strings.Builder) { b.WriteString(`</svg></figure>`) }

func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// truncate keeps a label within the label column.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func barChart(id string, t maillon.ReportTable, max float64) template.HTML {
	var b strings.Builder
	h := len(t.Rows)*(chartBarH+chartGap) + chartGap
	openChart(&b, id, h, t, "Diagramme en barres")
	esc := html.EscapeString
	span := float64(chartWidth - chartLabelW - chartValueW)
	for i, r := range t.Rows {
		y := chartGap + i*(chartBarH+chartGap)
		ty := strconv.Itoa(y + chartBarH*2/3)
		b.WriteString(`<text class="chart__label" x="` + strconv.Itoa(chartLabelW-6) + `" y="` + ty + `" text-anchor="end">`)
		b.WriteString(esc(truncate(r.Label, 32)) + `</text>`)
		w := 0.0
		if !r.Hidden {
			w = span * r.Value / max
			if r.Value > 0 && w < 1 {
				w = 1
			}
			b.WriteString(`<rect class="chart__bar" x="` + strconv.Itoa(chartLabelW) + `" y="` + strconv.Itoa(y) +
				`" width="` + num(w) + `" height="` + strconv.Itoa(chartBarH) + `"/>`)
		}
		b.WriteString(`<text class="chart__value" x="` + num(float64(chartLabelW)+w+6) + `" y="` + ty + `">` + esc(r.Text) + `</text>`)
	}
	closeChart(&b)
	return template.HTML(b.String())
}

func lineChart(id string, t maillon.ReportTable, max float64) template.HTML {
	const top, bottom, left, right = 24, 40, 16, 16
	const plotH = 160
	var b strings.Builder
	openChart(&b, id, top+plotH+bottom, t, "Courbe")
	esc := html.EscapeString
	n := len(t.Rows)
	step := 0.0
	if n > 1 {
		step = float64(chartWidth-left-right) / float64(n-1)
	}
	x := func(i int) float64 {
		if n == 1 {
			return chartWidth / 2
		}
		return float64(left) + step*float64(i)
	}
	y := func(v float64) float64 { return top + plotH - plotH*v/max }
	b.WriteString(`<line class="chart__axis" x1="` + strconv.Itoa(left) + `" y1="` + strconv.Itoa(top+plotH) + `" x2="` +
		strconv.Itoa(chartWidth-right) + `" y2="` + strconv.Itoa(top+plotH) + `"/>`)
	// The line breaks at hidden cells: a segment would show their value.
	var pts []string
	flush := func() {
		if len(pts) > 1 {
			b.WriteString(`<polyline class="chart__line" points="` + strings.Join(pts, " ") + `"/>`)
		}
		pts = nil
	}
	for i, r := range t.Rows {
		if r.Hidden {
			flush()
			continue
		}
		pts = append(pts, num(x(i))+","+num(y(r.Value)))
	}
	flush()
	// Labels every few points so that they do not overlap.
	every := 1
	if n > 12 {
		every = (n + 11) / 12
	}
	for i, r := range t.Rows {
		xi := num(x(i))
		if !r.Hidden {
			b.WriteString(`<circle class="chart__point" cx="` + xi + `" cy="` + num(y(r.Value)) + `" r="4"/>`)
		}
		if i%every != 0 {
			continue
		}
		vy := y(r.Value) - 8
		if r.Hidden {
			vy = top + plotH - 8
		}
		b.WriteString(`<text class="chart__value" x="` + xi + `" y="` + num(vy) + `" text-anchor="middle">` + esc(r.Text) + `</text>`)
		b.WriteString(`<text class="chart__label" x="` + xi + `" y="` + strconv.Itoa(top+plotH+18) + `" text-anchor="middle">` +
			esc(shortMonth(r.Key, r.Label)) + `</text>`)
	}
	closeChart(&b)
	return template.HTML(b.String())
}

// shortMonth shortens "novembre 2026" (key 2026-11) to "11/26".
func shortMonth(key, label string) string {
	if len(key) == 7 && key[4] == '-' {
		return key[5:] + "/" + key[2:4]
	}
	return truncate(label, 10)
}

// stackChart draws one bar split into the rows' shares, each segment with
// its own hatching and a legend giving label and figure. With a hidden
// cell, the shares would tell it: only the legend is drawn then.
func stackChart(id string, t maillon.ReportTable) template.HTML {
	total := 0.0
	hidden := false
	for _, r := range t.Rows {
		total += r.Value
		hidden = hidden || r.Hidden
	}
	const barY, barH = 8, 32
	legendY := barY + barH + 16
	h := legendY + len(t.Rows)*(chartBarH+4) + 4
	var b strings.Builder
	openChart(&b, id, h, t, "Barre empilée")
	esc := html.EscapeString
	b.WriteString(`<defs>`)
	for i := range t.Rows {
		b.WriteString(patternDef(id, i))
	}
	b.WriteString(`</defs>`)
	x := 0.0
	if !hidden && total > 0 {
		for i, r := range t.Rows {
			w := float64(chartWidth) * r.Value / total
			b.WriteString(`<rect class="chart__segment" x="` + num(x) + `" y="` + strconv.Itoa(barY) + `" width="` + num(w) +
				`" height="` + strconv.Itoa(barH) + `" fill="url(#` + esc(id) + `-p` + strconv.Itoa(i) + `)"/>`)
			x += w
		}
	}
	for i, r := range t.Rows {
		y := legendY + i*(chartBarH+4)
		b.WriteString(`<rect class="chart__segment" x="0" y="` + strconv.Itoa(y) + `" width="18" height="18" fill="url(#` +
			esc(id) + `-p` + strconv.Itoa(i) + `)"/>`)
		b.WriteString(`<text class="chart__label" x="26" y="` + strconv.Itoa(y+14) + `">` + esc(r.Label) + ` : ` + esc(r.Text) + `</text>`)
	}
	closeChart(&b)
	return template.HTML(b.String())
}

// patternDef gives segment i a hatching of its own: plain, diagonal,
// crossed, dotted…, drawn in the text colour on white.
func patternDef(id string, i int) string {
	pid := html.EscapeString(id) + "-p" + strconv.Itoa(i)
	head := `<pattern id="` + pid + `" patternUnits="userSpaceOnUse" width="8" height="8">`
	var body string
	switch i % 5 {
	case 0:
		body = `<rect class="chart__ink" width="8" height="8"/>`
	case 1:
		body = `<rect class="chart__paper" width="8" height="8"/><path class="chart__hatch" d="M0,8 L8,0"/>`
	case 2:
		body = `<rect class="chart__paper" width="8" height="8"/><path class="chart__hatch" d="M0,0 L8,8 M0,8 L8,0"/>`
	case 3:
		body = `<rect class="chart__paper" width="8" height="8"/><circle class="chart__ink" cx="4" cy="4" r="1.6"/>`
	default:
		body = `<rect class="chart__paper" width="8" height="8"/><path class="chart__hatch" d="M0,4 L8,4"/>`
	}
	return head + body + `</pattern>`
}
