package maillon_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"maillon"
)

// Ensure the shared variant cannot be combined with names, and marks the
// file and the audit entry.
func TestExportSharedValidate(t *testing.T) {
	in := maillon.ExportInput{Kind: "seances", From: "2026-01-01", To: "2027-01-01", Shared: true, Nominative: true}
	_, err := in.Validate()
	if fe := maillon.FieldsOf(err); !errors.Is(err, maillon.ErrInvalid) || len(fe) != 1 || !strings.Contains(fe["external"], "nominatif") {
		t.Errorf("shared and nominative: %v %v", err, fe)
	}
	in.Nominative = false
	o, err := in.Validate()
	if err != nil || !o.Shared {
		t.Fatalf("shared: %+v %v", o, err)
	}
	if got := o.FileName(); got != "maillon-seances-2026-01-01-2027-01-01-diffusion.csv" {
		t.Errorf("FileName = %s", got)
	}
	if got := strings.Join(o.AuditFields(), ","); got != "type=seances,du=2026-01-01,au=2027-01-01,format=csv,diffusion" {
		t.Errorf("AuditFields = %s", got)
	}
}

// Ensure the shared columns leave out people's and staff's names and
// free text, keep the counts, and that the marks stay coherent.
func TestExportSharedColumns(t *testing.T) {
	names := func(kind string) []string {
		tb, _ := maillon.ExportTableOf(kind)
		var out []string
		for _, c := range tb.SharedColumns() {
			out = append(out, c.Name)
		}
		return out
	}
	for kind, gone := range map[string][]string{
		"interventions": {"mediateurs", "commanditaire", "institutions", "personnes", "description"},
		"demarches":     {"precision", "mediateurs", "personne"},
		"tournees":      {"membres"},
		"mediations":    {"mediateur", "objet", "parties"},
		"orientations":  {"partenaire", "auteur", "personne", "motif"},
		"seances":       {"action", "lieu"},
	} {
		got := names(kind)
		for _, g := range gone {
			if slices.Contains(got, g) {
				t.Errorf("%s: shared export keeps %s", kind, g)
			}
		}
	}
	if got := names("interventions"); !slices.Contains(got, "nb_personnes_anonymes") || !slices.Contains(got, "intervention_id") {
		t.Errorf("interventions lost their counts: %v", got)
	}
	o := maillon.ExportOptions{Shared: true}
	for _, tb := range maillon.ExportTables {
		if len(o.Columns(tb)) != len(tb.SharedColumns()) {
			t.Errorf("%s: Options.Columns ignores Shared", tb.Kind)
		}
		totals := map[string]int{}
		for _, c := range tb.Columns {
			if c.People && c.Type != maillon.ExportInt || (c.Sum != "" || c.Breakdown != "") && !c.People || c.People && c.Identifying {
				t.Errorf("%s.%s: a count of people must be a kept number", tb.Kind, c.Name)
			}
			if c.Sum != "" && c.Breakdown == "" {
				totals[c.Sum]++
			}
		}
		for sum, n := range totals {
			if n > 1 {
				t.Errorf("%s: %d totals of %s", tb.Kind, n, sum)
			}
		}
	}
	seances, _ := maillon.ExportTableOf("seances")
	tallies, _ := maillon.ExportTableOf("participants_anonymes")
	if tallies.RowGroup != "seance_id" || seances.Columns[0].Name != "seance_id" {
		t.Error("the anonymous tallies are not grouped by séance")
	}
}

// rowOf builds a row of cols from name=value pairs (missing: zero).
func rowOf(cols []maillon.ExportColumn, vals map[string]int64) []any {
	row := make([]any, len(cols))
	for i, c := range cols {
		if c.Type == maillon.ExportInt {
			row[i] = vals[c.Name]
		}
	}
	return row
}

func cell(cols []maillon.ExportColumn, row []any, name string) string {
	for i, c := range cols {
		if c.Name == name {
			return fmt.Sprint(row[i])
		}
	}
	return "absent"
}

// Ensure the small-cell rule within a row: 1 to 4 become "< 5", 0 stays,
// and the complement of a hidden cell is hidden where it would give the
// cell back.
func TestSuppressExportRows(t *testing.T) {
	tournees, _ := maillon.ExportTableOf("tournees")
	seances, _ := maillon.ExportTableOf("seances")
	for _, tc := range []struct {
		name  string
		table *maillon.ExportTable
		in    map[string]int64
		want  map[string]string
	}{
		{"nothing small", tournees, map[string]int64{"contacts": 3, "age_16_25": 6, "age_26_44": 7, "genre_femme": 13},
			map[string]string{"contacts": "3", "age_16_25": "6", "age_26_44": "7", "age_65_plus": "0", "genre_femme": "13"}},
		// 3 and 8 by age band, 11 women: the 3 alone would be 11 − 8.
		{"one small cell", tournees, map[string]int64{"age_16_25": 3, "age_26_44": 8, "genre_femme": 11},
			map[string]string{"age_16_25": "< 5", "age_26_44": "secret", "genre_femme": "11", "genre_homme": "0"}},
		// Two small cells of 3 and 3: 14 − 8 tells their sum, 6, which
		// 2 + 4, 3 + 3 and 4 + 2 all give: nothing more to hide.
		{"two small cells", tournees, map[string]int64{"age_16_25": 3, "age_26_44": 3, "age_45_64": 8, "genre_femme": 7, "genre_homme": 7},
			map[string]string{"age_16_25": "< 5", "age_26_44": "< 5", "age_45_64": "8", "genre_femme": "7", "genre_homme": "7"}},
		// 4 + 4 would be known exactly from the total 8 (twice four):
		// the total must go, so the other breakdown hides its cells.
		{"deducible total", tournees, map[string]int64{"age_16_25": 4, "age_26_44": 4, "genre_femme": 8},
			map[string]string{"age_16_25": "< 5", "age_26_44": "< 5", "genre_femme": "secret", "genre_homme": "0"}},
		{"small total", tournees, map[string]int64{"age_16_25": 2, "genre_homme": 2},
			map[string]string{"age_16_25": "< 5", "genre_homme": "< 5"}},
		// Séances: 12 present of whom 3 counted without a name.
		{"small part", seances, map[string]int64{"presents": 12, "presents_anonymes": 3, "inscrits": 9, "capacite": 2},
			map[string]string{"presents": "12", "presents_anonymes": "< 5", "inscrits": "9", "capacite": "2"}},
		// 12 present of whom 10 without a name: the 2 named present
		// would be 12 − 10, so the total goes.
		{"small remainder", seances, map[string]int64{"presents": 12, "presents_anonymes": 10, "liste_attente": 1, "reponses_questionnaire": 0},
			map[string]string{"presents": "secret", "presents_anonymes": "10", "liste_attente": "< 5", "reponses_questionnaire": "0"}},
		{"all named", seances, map[string]int64{"presents": 7, "presents_anonymes": 0},
			map[string]string{"presents": "7", "presents_anonymes": "0"}},
	} {
		cols := tc.table.ColumnsFor(false)
		row := rowOf(cols, tc.in)
		maillon.SuppressExportRows(cols, [][]any{row}, false)
		for name, want := range tc.want {
			if got := cell(cols, row, name); got != want {
				t.Errorf("%s: %s = %s, want %s", tc.name, name, got, want)
			}
		}
	}
}

// collect is a sink keeping copies of the rows it gets.
type collect struct {
	cols []string
	rows [][]any
}

func (c *collect) Begin(_ *maillon.ExportTable, cols []maillon.ExportColumn) error {
	c.cols = nil
	for _, col := range cols {
		c.cols = append(c.cols, col.Name)
	}
	return nil
}

func (c *collect) Row(v []any) error {
	c.rows = append(c.rows, slices.Clone(v))
	return nil
}

// Ensure the sink removes the identifying columns and suppresses the
// anonymous tallies of one séance together: they add up to the séance's
// presents_anonymes, shown in the other table.
func TestSharedSink(t *testing.T) {
	var got collect
	s := maillon.NewSharedSink(&got)
	tallies, _ := maillon.ExportTableOf("participants_anonymes")
	cols := tallies.ColumnsFor(false)
	if err := s.Begin(tallies, cols); err != nil {
		t.Fatal(err)
	}
	src := [][]any{
		// Séance 1: 3 and 9, the 3 alone would be (12 − 9).
		{int64(1), int64(5), nil, "26_44", "femme", "", true, int64(3)},
		{int64(1), int64(5), nil, "16_25", "homme", "", false, int64(9)},
		// Séance 2: 7, 6 and 0 are shown as they are.
		{int64(2), int64(5), nil, "26_44", "femme", "", true, int64(7)},
		{int64(2), int64(5), nil, "45_64", "femme", "", false, int64(6)},
		{int64(2), int64(5), nil, "65_plus", "homme", "", false, int64(0)},
		// Séance 3: one group of 2.
		{int64(3), int64(6), nil, "26_44", "autre", "", true, int64(2)},
	}
	row := make([]any, len(cols))
	for _, r := range src {
		copy(row, r) // the store reuses its slice
		if err := s.Row(row); err != nil {
			t.Fatal(err)
		}
	}
	if len(got.rows) != 5 {
		t.Fatalf("rows before Flush = %d, want the two first séances", len(got.rows))
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	var nombres []string
	for _, r := range got.rows {
		nombres = append(nombres, fmt.Sprint(r[len(r)-1]))
	}
	if strings.Join(nombres, ",") != "< 5,secret,7,6,0,< 5" {
		t.Errorf("nombre = %v", nombres)
	}

	// Identifying columns are gone from the header and the rows.
	got = collect{}
	s = maillon.NewSharedSink(&got)
	seances, _ := maillon.ExportTableOf("seances")
	cols = seances.ColumnsFor(false)
	if err := s.Begin(seances, cols); err != nil {
		t.Fatal(err)
	}
	r := rowOf(cols, map[string]int64{"seance_id": 1, "presents": 9, "presents_anonymes": 9})
	for i, c := range cols {
		if c.Name == "action" || c.Name == "lieu" {
			r[i] = "Atelier chez Mme Marqueur"
		}
	}
	if err := s.Row(r); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(got.cols, "action") || slices.Contains(got.cols, "lieu") || len(got.rows[0]) != len(got.cols) ||
		len(got.cols) != len(seances.SharedColumns()) {
		t.Errorf("columns = %v, row %v", got.cols, got.rows[0])
	}
	if strings.Contains(fmt.Sprint(got.rows[0]...), "Marqueur") {
		t.Errorf("row = %v", got.rows[0])
	}
}
