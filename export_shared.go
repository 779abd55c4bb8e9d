package maillon

import "slices"

// An export "à diffuser hors de la structure" (issue 7) goes to funders
// and partners: it leaves out every column that identifies a person or a
// member of staff or holds free text, and applies the reports'
// small-cell rule (Suppress) to every count of people. The rules are
// here, applied by the store through SharedSink so that no channel can
// forget them; docs/exports.md states them for users.

// SharedSink passes an export on to another sink as its shared variant:
// identifying columns removed, counts of people of 1 to 4 written
// TextSmall, and the cells that would let a reader recompute a hidden
// one written TextSecret. The rows of a table with a RowGroup are held
// until their group ends, so Flush must be called after the last row.
type SharedSink struct {
	next    ExportSink
	table   *ExportTable
	cols    []ExportColumn
	keep    []int
	group   int // index of the RowGroup column in cols, or -1
	full    []any
	out     []any
	pending [][]any
}

// NewSharedSink wraps next.
func NewSharedSink(next ExportSink) *SharedSink { return &SharedSink{next: next, group: -1} }

// Begin receives the non-nominative columns of a table and begins it on
// the next sink without the identifying ones.
func (s *SharedSink) Begin(t *ExportTable, cols []ExportColumn) error {
	if err := s.Flush(); err != nil {
		return err
	}
	s.table, s.cols, s.keep, s.group = t, cols, s.keep[:0], -1
	var kept []ExportColumn
	for i, c := range cols {
		if c.Name == t.RowGroup && t.RowGroup != "" {
			s.group = i
		}
		if c.Nominative || c.Identifying {
			continue
		}
		s.keep = append(s.keep, i)
		kept = append(kept, c)
	}
	s.full, s.out = make([]any, len(cols)), make([]any, len(kept))
	return s.next.Begin(t, kept)
}

// Row suppresses and passes on a row, or holds it until its group ends.
func (s *SharedSink) Row(values []any) error {
	if s.group < 0 {
		copy(s.full, values)
		SuppressExportRows(s.cols, [][]any{s.full}, false)
		return s.emit(s.full)
	}
	if len(s.pending) > 0 && s.pending[0][s.group] != values[s.group] {
		if err := s.Flush(); err != nil {
			return err
		}
	}
	s.pending = append(s.pending, slices.Clone(values))
	return nil
}

// Flush suppresses and passes on the rows of the current group.
func (s *SharedSink) Flush() error {
	if len(s.pending) == 0 {
		return nil
	}
	SuppressExportRows(s.cols, s.pending, true)
	for _, r := range s.pending {
		if err := s.emit(r); err != nil {
			return err
		}
	}
	s.pending = s.pending[:0]
	return nil
}

func (s *SharedSink) emit(full []any) error {
	for i, k := range s.keep {
		s.out[i] = full[k]
	}
	return s.next.Row(s.out)
}

// SuppressExportRows applies the small-cell rule to rows of columns cols,
// in place: a People value of 1 to 4 becomes TextSmall (0 stays 0). Within
// a row, the People columns of one Sum are a total and its breakdowns:
// each breakdown is suppressed with Suppress against the total (the total
// column, or the breakdown's own sum, which a reader also gets by adding
// up the cells); a total column larger than a breakdown's cells by 1 to 4
// people would reveal that unshown remainder, so the total is hidden
// (TextSecret); and when the total is hidden while two breakdowns or more
// count the same people, their shown cells are hidden too, since any one
// of them would give the total back. With grouped set (the rows of one
// RowGroup), the rows together are one breakdown of a total shown in
// another table, and are suppressed against their sum.
func SuppressExportRows(cols []ExportColumn, rows [][]any, grouped bool) {
	texts := make([][]string, len(rows))
	for r, row := range rows {
		texts[r] = suppressRow(cols, row)
	}
	if grouped {
		for i, c := range cols {
			if !c.People {
				continue
			}
			t := sharedPeopleTable()
			var sum float64
			for _, row := range rows {
				v := peopleValue(row[i])
				t.Rows = append(t.Rows, ReportRow{Value: v})
				sum += v
			}
			t.Total = &ReportRow{Value: sum}
			Suppress(&t)
			for r := range rows {
				if t.Rows[r].Hidden && texts[r][i] == "" {
					texts[r][i] = t.Rows[r].Text
				}
			}
		}
	}
	for r, row := range rows {
		for i, s := range texts[r] {
			if s != "" {
				row[i] = s
			}
		}
	}
}

// suppressRow gives the text replacing each hidden cell of one row.
func suppressRow(cols []ExportColumn, row []any) []string {
	texts := make([]string, len(cols))
	hide := func(i int, text string) {
		if texts[i] == "" || texts[i] == TextSecret {
			texts[i] = text
		}
	}
	var sums []string
	for i, c := range cols {
		if !c.People {
			continue
		}
		if v := peopleValue(row[i]); v > 0 && v < SmallCell {
			hide(i, TextSmall)
		}
		if c.Sum != "" && !slices.Contains(sums, c.Sum) {
			sums = append(sums, c.Sum)
		}
	}
	for _, sum := range sums {
		total := -1
		var breakdowns []string
		cells := map[string][]int{}
		for i, c := range cols {
			switch {
			case !c.People || c.Sum != sum:
			case c.Breakdown == "":
				total = i
			default:
				if _, ok := cells[c.Breakdown]; !ok {
					breakdowns = append(breakdowns, c.Breakdown)
				}
				cells[c.Breakdown] = append(cells[c.Breakdown], i)
			}
		}
		totalHidden := total >= 0 && texts[total] != ""
		for _, b := range breakdowns {
			t := sharedPeopleTable()
			var parts float64
			for _, i := range cells[b] {
				v := peopleValue(row[i])
				t.Rows = append(t.Rows, ReportRow{Value: v})
				parts += v
			}
			t.Total = &ReportRow{Value: parts}
			if total >= 0 {
				t.Total.Value = peopleValue(row[total])
				// The people the breakdown leaves out are a cell no
				// column shows.
				switch rest := t.Total.Value - parts; {
				case rest > 0 && rest < SmallCell:
					hide(total, TextSecret)
					totalHidden = true
				case rest > 0:
					t.Rows = append(t.Rows, ReportRow{Value: rest})
				}
			}
			if totalHidden {
				t.Total = nil
			}
			Suppress(&t)
			for k, i := range cells[b] {
				if t.Rows[k].Hidden {
					hide(i, t.Rows[k].Text)
				}
			}
			if t.Total != nil && t.Total.Hidden {
				totalHidden = true
				if total >= 0 {
					hide(total, t.Total.Text)
				}
			}
		}
		if totalHidden && len(breakdowns) > 1 {
			for _, b := range breakdowns {
				for _, i := range cells[b] {
					if peopleValue(row[i]) > 0 {
						hide(i, TextSecret)
					}
				}
			}
		}
	}
	return texts
}

// sharedPeopleTable is an additive table of people, the kind Suppress acts on.
func sharedPeopleTable() ReportTable {
	return ReportTable{Indicator: Indicator{Unit: UnitPeople, Additive: true}}
}

// peopleValue reads a count cell; an empty cell counts nobody.
func peopleValue(v any) float64 {
	switch v := v.(type) {
	case int64:
		return float64(v)
	case int:
		return float64(v)
	}
	return 0
}
