package maillon_test

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"maillon"
)

// Ensure the tables keep the shape the writers and spreadsheets rely on,
// and that docs/exports.md documents every column.
func TestExportTables(t *testing.T) {
	doc, err := os.ReadFile("docs/exports.md")
	if err != nil {
		t.Fatal(err)
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	for _, tb := range maillon.ExportTables {
		if len([]rune(tb.Label)) > 31 || tb.Fact == "" || tb.Period == "" {
			t.Errorf("%s: label %q (XLSX sheets take 31 characters), fact or period missing", tb.Kind, tb.Label)
		}
		if !strings.Contains(string(doc), "### "+tb.Label+" (`"+tb.Kind+"`)") {
			t.Errorf("docs/exports.md has no section for %s", tb.Kind)
		}
		seen := map[string]bool{}
		nominative := false
		for _, c := range tb.Columns {
			if !snake.MatchString(c.Name) || seen[c.Name] || c.Definition == "" {
				t.Errorf("%s.%s: not snake_case, repeated or without definition", tb.Kind, c.Name)
			}
			seen[c.Name] = true
			if !strings.Contains(string(doc), "| `"+c.Name+"` |") {
				t.Errorf("docs/exports.md does not document %s.%s", tb.Kind, c.Name)
			}
			// The last cell says what a shared export does with it.
			shared := " |"
			switch {
			case c.Identifying || c.Nominative:
				shared = " retirée |"
			case c.People:
				shared = " effectif |"
			}
			if !docRow(string(doc), tb.Kind, c.Name, shared) {
				t.Errorf("docs/exports.md: the row of %s.%s does not end with %q", tb.Kind, c.Name, shared)
			}
			// Nominative columns come last, so that the others keep their
			// place in both kinds of export.
			if nominative && !c.Nominative {
				t.Errorf("%s.%s: a plain column after a nominative one", tb.Kind, c.Name)
			}
			nominative = nominative || c.Nominative
		}
		if n := len(tb.ColumnsFor(false)); n == len(tb.Columns) && nominative {
			t.Errorf("%s: ColumnsFor(false) keeps the nominative columns", tb.Kind)
		}
	}
}

// docRow reports whether the row of column name in the section of table
// kind ends with end.
func docRow(doc, kind, name, end string) bool {
	i := strings.Index(doc, "(`"+kind+"`)")
	if i < 0 {
		return false
	}
	section := doc[i:]
	if j := strings.Index(section[1:], "\n### "); j >= 0 {
		section = section[:j+1]
	}
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| `"+name+"` |") {
			return strings.HasSuffix(line, "|"+end)
		}
	}
	return false
}

func TestExportInputValidate(t *testing.T) {
	o, err := maillon.ExportInput{Kind: "interventions", From: "2026-01-01", To: "2027-01-01", Separator: ","}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if o.Format != "csv" || o.Separator != ',' || len(o.Tables) != 1 ||
		!o.From.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, maillon.Paris)) || o.To.Sub(o.From) != 365*24*time.Hour {
		t.Errorf("options = %+v", o)
	}
	if got := o.FileName(); got != "maillon-interventions-2026-01-01-2027-01-01.csv" {
		t.Errorf("FileName = %s", got)
	}
	o.Nominative, o.TeamID = true, 3
	if got := strings.Join(o.AuditFields(), ","); got != "type=interventions,du=2026-01-01,au=2027-01-01,format=csv,equipe=3,nominatif" {
		t.Errorf("AuditFields = %s", got)
	}
	for _, tc := range []struct {
		in     maillon.ExportInput
		fields []string
	}{
		{maillon.ExportInput{}, []string{"kind", "from", "to"}},
		{maillon.ExportInput{Kind: "personnes", From: "2026-01-01", To: "2027-01-01"}, []string{"kind"}},
		{maillon.ExportInput{Kind: "toutes", From: "2026-01-01", To: "2027-01-01"}, []string{"kind"}},
		{maillon.ExportInput{Kind: "mediations", From: "2026-02-30", To: "2027-01-01"}, []string{"from"}},
		{maillon.ExportInput{Kind: "mediations", From: "2026-01-01", To: "2026-01-01"}, []string{"to"}},
		{maillon.ExportInput{Kind: "mediations", From: "1900-01-01", To: "2026-01-01"}, []string{"from"}},
		{maillon.ExportInput{Kind: "mediations", From: "2026-01-01", To: "2027-01-01", Format: "pdf", Separator: "\t"}, []string{"format", "separator"}},
		{maillon.ExportInput{Kind: "mediations", From: "2026-01-01", To: "2027-01-01", TeamID: -1, MediatorID: -1}, []string{"team_id", "mediator_id"}},
	} {
		_, err := tc.in.Validate()
		fe := maillon.FieldsOf(err)
		if !errors.Is(err, maillon.ErrInvalid) || len(fe) != len(tc.fields) {
			t.Errorf("%+v: %v, want errors on %v", tc.in, err, tc.fields)
			continue
		}
		for _, f := range tc.fields {
			if fe[f] == "" {
				t.Errorf("%+v: no error on %s (%v)", tc.in, f, fe)
			}
		}
	}
	all, err := maillon.ExportInput{Kind: "toutes", From: "2026-01-01", To: "2027-01-01", Format: "xlsx"}.Validate()
	if err != nil || len(all.Tables) != len(maillon.ExportTables) || all.Kinds() != "toutes" {
		t.Errorf("toutes = %+v, %v", all, err)
	}
	if !maillon.AuditExport.Valid() {
		t.Error("the export audit action has no label")
	}
}

func TestExportRights(t *testing.T) {
	med := maillon.Actor{UserID: 1, StructureID: 2, Role: maillon.RoleMediateur}
	coord := maillon.Actor{UserID: 3, StructureID: 2, Role: maillon.RoleCoordinateur}
	if !med.CanExport(2) || med.CanExport(3) || med.ExportScopeAll(2) || med.CanExportNominative(2) {
		t.Error("mediator rights")
	}
	if !coord.ExportScopeAll(2) || !coord.CanExportNominative(2) || coord.CanExportNominative(3) {
		t.Error("coordinator rights")
	}
	if (maillon.Actor{}).CanExport(0) {
		t.Error("anonymous may export")
	}
}
