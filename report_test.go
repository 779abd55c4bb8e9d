package maillon

import (
	"strings"
	"testing"
	"time"
)

func peopleTable(additive bool, total float64, values ...float64) *ReportTable {
	t := &ReportTable{Indicator: Indicator{ID: "x", Unit: UnitPeople, Additive: additive}}
	for i, v := range values {
		t.Rows = append(t.Rows, ReportRow{Key: string(rune('a' + i)), Value: v, Text: FormatInt(int64(v))})
	}
	if total >= 0 {
		t.Total = &ReportRow{Value: total, Text: FormatInt(int64(total))}
	}
	return t
}

func texts(t *ReportTable) string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, r.Text)
	}
	if t.Total != nil {
		out = append(out, "total="+t.Total.Text)
	}
	return strings.Join(out, "|")
}

func TestSuppress(t *testing.T) {
	for _, c := range []struct {
		name     string
		additive bool
		total    float64
		values   []float64
		want     string
	}{
		{"nothing small", true, 30, []float64{10, 20}, "10|20|total=30"},
		{"zero stays", true, 30, []float64{0, 30}, "0|30|total=30"},
		// One small cell: the total minus the others would give it, so
		// the smallest other cell is hidden too.
		{"one small cell hides its complement", true, 40, []float64{3, 12, 25}, "< 5|secret|25|total=40"},
		{"complement is the smallest visible", true, 40, []float64{25, 3, 12}, "25|< 5|secret|total=40"},
		// Two small cells summing to less than 5: their sum would still
		// be known to be 1+1, 1+2… so one more is hidden.
		{"small cells summing under 5", true, 30, []float64{1, 2, 27}, "< 5|< 5|secret|total=30"},
		// Two small cells of 3 and 4: 7 shared between two cells of 1 to 4
		// leaves 3+4 or 4+3: each unknown; nothing more to hide.
		{"two small cells summing over 5", true, 37, []float64{3, 4, 30}, "< 5|< 5|30|total=37"},
		// All ones: sum equals count, each is known to be 1.
		{"all ones are deducible", true, 12, []float64{1, 1, 10}, "< 5|< 5|secret|total=12"},
		{"all fours are deducible", true, 18, []float64{4, 4, 10}, "< 5|< 5|secret|total=18"},
		// The only other cells are zero: the total would tell; hide it.
		{"two small cells of 3 and 4 with zeros", true, 7, []float64{3, 0, 4}, "< 5|0|< 5|total=7"},
		{"single hidden cell and zeros", true, 6, []float64{1, 1, 1, 1, 1, 1}, "< 5|< 5|< 5|< 5|< 5|< 5|total=secret"},
		{"small total", true, 4, []float64{4, 0}, "< 5|0|total=< 5"},
		// Overlapping breakdowns do not sum to the total: only primary
		// suppression.
		{"not additive", false, 40, []float64{3, 12, 25}, "< 5|12|25|total=40"},
		{"no total", true, -1, []float64{3, 12}, "< 5|12"},
	} {
		tab := peopleTable(c.additive, c.total, c.values...)
		Suppress(tab)
		if got := texts(tab); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		// Whatever is hidden, no visible cell or total is below 5 people.
		for _, r := range tab.Rows {
			if !r.Hidden && r.Value > 0 && r.Value < SmallCell {
				t.Errorf("%s: cell %s of %v visible", c.name, r.Key, r.Value)
			}
		}
	}
}

func TestSuppressLeavesOtherUnits(t *testing.T) {
	tab := peopleTable(true, 5, 2, 3)
	tab.Indicator.Unit = UnitCount
	Suppress(tab)
	if got := texts(tab); got != "2|3|total=5" {
		t.Errorf("counts of acts are not suppressed: %q", got)
	}
}

// An external report suppresses through Format; an internal one shows
// every figure.
func TestReportFormatExternal(t *testing.T) {
	for _, external := range []bool{false, true} {
		r := &Report{Filter: ReportFilter{External: external}, Tables: []ReportTable{*peopleTable(true, 40, 3, 12, 25)}}
		r.Format()
		got := texts(&r.Tables[0])
		want := "3|12|25|total=40"
		if external {
			want = "< 5|secret|25|total=40"
		}
		if got != want {
			t.Errorf("external=%v: got %q, want %q", external, got, want)
		}
	}
}

func TestFormatFigure(t *testing.T) {
	for _, c := range []struct {
		unit ReportUnit
		row  ReportRow
		want string
	}{
		{UnitCount, ReportRow{Value: 1234567}, "1\u202f234\u202f567"},
		{UnitMinutes, ReportRow{Value: 45}, "45 min"},
		{UnitMinutes, ReportRow{Value: 125}, "2 h 05"},
		{UnitMinutes, ReportRow{Value: 120}, "2 h"},
		{UnitPercent, Percent("", "", 1, 3), "33,3 % (1 sur 3)"},
		{UnitPercent, Percent("", "", 0, 0), "–"},
		{UnitDays, ReportRow{Value: 12.25, Of: 4}, "12,3 j"},
	} {
		if got := FormatFigure(c.unit, c.row); got != c.want {
			t.Errorf("FormatFigure(%s, %v) = %q, want %q", c.unit, c.row.Value, got, c.want)
		}
	}
}

func TestPeriodInput(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, Paris)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, Paris) }
	for _, c := range []struct {
		in       PeriodInput
		from, to time.Time
		label    string
		errField string
	}{
		{PeriodInput{}, day(2026, 11, 1), day(2026, 12, 1), "novembre 2026", ""},
		{PeriodInput{Kind: "month", Month: "2026-03"}, day(2026, 3, 1), day(2026, 4, 1), "mars 2026", ""},
		{PeriodInput{Kind: "quarter"}, day(2026, 10, 1), day(2027, 1, 1), "4ᵉ trimestre 2026", ""},
		{PeriodInput{Kind: "quarter", Quarter: "2026-t1"}, day(2026, 1, 1), day(2026, 4, 1), "1ᵉʳ trimestre 2026", ""},
		{PeriodInput{Kind: "year", Year: "2025"}, day(2025, 1, 1), day(2026, 1, 1), "année 2025", ""},
		{PeriodInput{Kind: "custom", From: "2026-02-10", To: "2026-02-20"}, day(2026, 2, 10), day(2026, 2, 21), "du 10/02/2026 au 20/02/2026", ""},
		{PeriodInput{Kind: "custom", From: "2026-02-10", To: "2026-02-09"}, time.Time{}, time.Time{}, "", "to"},
		{PeriodInput{Kind: "custom", From: "2000-01-01", To: "2026-02-09"}, time.Time{}, time.Time{}, "", "to"},
		{PeriodInput{Kind: "custom", From: "abc"}, time.Time{}, time.Time{}, "", "from"},
		{PeriodInput{Kind: "month", Month: "2026-13"}, time.Time{}, time.Time{}, "", "month"},
		{PeriodInput{Kind: "quarter", Quarter: "2026-T5"}, time.Time{}, time.Time{}, "", "quarter"},
		{PeriodInput{Kind: "year", Year: "-5"}, time.Time{}, time.Time{}, "", "year"},
		{PeriodInput{Kind: "decade"}, time.Time{}, time.Time{}, "", "period"},
	} {
		p, fe := c.in.Parse(now)
		if c.errField != "" {
			if fe[c.errField] == "" {
				t.Errorf("%+v: want an error on %s, got %v", c.in, c.errField, fe)
			}
			continue
		}
		if fe != nil || !p.From.Equal(c.from) || !p.To.Equal(c.to) || p.Label() != c.label {
			t.Errorf("%+v: got %v–%v %q %v", c.in, p.From, p.To, p.Label(), fe)
		}
	}
	// The month across the autumn clock change is still [1st, 1st).
	p := MonthPeriod(time.Date(2026, 10, 25, 12, 0, 0, 0, time.UTC))
	if p.To.Sub(p.From) != (31*24+1)*time.Hour {
		t.Errorf("October 2026 lasts %v", p.To.Sub(p.From))
	}
	if prev := p.Previous(); !prev.From.Equal(day(2026, 9, 1)) || !prev.To.Equal(p.From) {
		t.Errorf("previous of October: %v–%v", prev.From, prev.To)
	}
}

func TestIndicatorRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, ind := range Indicators() {
		if seen[ind.ID] {
			t.Errorf("duplicate %s", ind.ID)
		}
		seen[ind.ID] = true
		if ind.Label == "" || ind.Definition == "" || ind.Section == "" || ind.Unit == "" {
			t.Errorf("%s: incomplete definition", ind.ID)
		}
		if ind.SourceInfo().PeriodRule == "" {
			t.Errorf("%s: source without a period rule", ind.ID)
		}
		if ind.Additive && ind.Unit == UnitPercent {
			t.Errorf("%s: a percentage cannot be additive", ind.ID)
		}
	}
	if len(seen) < 20 {
		t.Errorf("only %d indicators", len(seen))
	}
}

// Every section of a shipped example names a registered indicator (an
// unknown one would make the template's report fail), and the annual
// and contrat de ville examples report the collective actions.
func TestTemplateExamplesIndicators(t *testing.T) {
	for _, ex := range TemplateExamples {
		collective := false
		for _, s := range ex.Sections {
			ind, ok := IndicatorByID(s.Indicator)
			if !ok {
				t.Errorf("%s: unknown indicator %s", ex.Key, s.Indicator)
			}
			collective = collective || ind.Section == "Actions collectives"
		}
		if (ex.Key == "annuel" || ex.Key == "contrat_de_ville") && !collective {
			t.Errorf("%s: no collective actions", ex.Key)
		}
	}
}
