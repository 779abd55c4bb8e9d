package ui

import (
	"strings"
	"testing"

	"maillon"
)

func chartTable(kind maillon.ChartKind, rows ...maillon.ReportRow) maillon.ReportTable {
	return maillon.ReportTable{Indicator: maillon.Indicator{ID: "x", Label: `Titre <script>alert(1)</script>`, Chart: kind, Unit: maillon.UnitPeople}, Rows: rows}
}

func TestChartEscapesAndNamesItself(t *testing.T) {
	for _, kind := range []maillon.ChartKind{maillon.ChartBars, maillon.ChartLine, maillon.ChartStack} {
		got := string(Chart(`c"1`, chartTable(kind,
			maillon.ReportRow{Key: "2026-01", Label: `<img src=x onerror=alert(1)>`, Value: 12, Text: "12"},
			maillon.ReportRow{Key: "2026-02", Label: "Deux & trois", Value: 3, Text: "3"})))
		for _, bad := range []string{"<script", "<img", `id="c"1`, "style="} {
			if strings.Contains(got, bad) {
				t.Errorf("%s: unescaped %q in %s", kind, bad, got)
			}
		}
		for _, want := range []string{`role="img"`, `aria-labelledby="c&#34;1-title c&#34;1-desc"`, `<title id="c&#34;1-title">Titre &lt;script&gt;`,
			`<desc id="c&#34;1-desc">`, "Deux &amp; trois 3", "12"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: missing %q in %s", kind, want, got)
			}
		}
	}
}

// A hidden cell draws no bar and no line point: its length would give
// the figure away.
func TestChartHidesSuppressedCells(t *testing.T) {
	rows := []maillon.ReportRow{
		{Key: "a", Label: "Petit", Value: 3, Text: "< 5", Hidden: true},
		{Key: "b", Label: "Grand", Value: 40, Text: "40"},
	}
	bars := string(Chart("c", chartTable(maillon.ChartBars, rows...)))
	if n := strings.Count(bars, `class="chart__bar"`); n != 1 {
		t.Errorf("%d bars drawn, want 1: %s", n, bars)
	}
	if !strings.Contains(bars, "&lt; 5") {
		t.Error("the hidden cell's text is not shown")
	}
	line := string(Chart("c", chartTable(maillon.ChartLine, rows...)))
	if n := strings.Count(line, "<circle"); n != 1 {
		t.Errorf("%d points drawn, want 1", n)
	}
	stack := string(Chart("c", chartTable(maillon.ChartStack, rows...)))
	if strings.Contains(stack, `y="8" width=`) {
		t.Errorf("a stacked bar with a hidden cell is drawn: %s", stack)
	}
	// Nothing to draw: no chart at all.
	if got := Chart("c", chartTable(maillon.ChartBars, maillon.ReportRow{Label: "Zéro"})); got != "" {
		t.Errorf("empty chart: %s", got)
	}
	if got := Chart("c", chartTable(maillon.ChartNone, rows...)); got != "" {
		t.Errorf("indicator without chart: %s", got)
	}
}

// Stacked segments differ by their hatching, not by colour alone.
func TestStackChartPatterns(t *testing.T) {
	got := string(Chart("s", chartTable(maillon.ChartStack,
		maillon.ReportRow{Label: "Nouvelles", Value: 10, Text: "10"},
		maillon.ReportRow{Label: "Connues", Value: 30, Text: "30"})))
	if !strings.Contains(got, `<pattern id="s-p0"`) || !strings.Contains(got, `<pattern id="s-p1"`) || !strings.Contains(got, `fill="url(#s-p1)"`) {
		t.Errorf("patterns missing: %s", got)
	}
	if !strings.Contains(got, "Nouvelles : 10") {
		t.Errorf("legend without its figure: %s", got)
	}
}
