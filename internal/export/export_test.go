package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"maillon"
)

var testTable = &maillon.ExportTable{Kind: "essai", Label: "Essai", Fact: "un essai", Period: "la date", Columns: []maillon.ExportColumn{
	{Name: "id", Type: maillon.ExportInt}, {Name: "date", Type: maillon.ExportDate}, {Name: "debut", Type: maillon.ExportDateTime},
	{Name: "texte"}, {Name: "fait", Type: maillon.ExportBool}, {Name: "nom", Nominative: true},
}}

// 23:30 UTC on 28 February is 1 March in Paris.
var (
	instant = time.Date(2026, 2, 28, 23, 30, 0, 0, time.UTC)
	day     = time.Date(2026, 3, 1, 0, 0, 0, 0, maillon.Paris)
)

func testRows() [][]any {
	return [][]any{
		{int64(1), day, instant, "=HYPERLINK(\"http://x\")", true, "Awa Diallo"},
		{int64(-2), nil, nil, "a;b,\"c\"\nd", false, "-moins"},
		{int64(3), day, instant, "@cmd +1 -1", nil, ""},
	}
}

func write(t *testing.T, o maillon.ExportOptions, tables ...*maillon.ExportTable) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(&buf, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if err := w.Begin(tb, tb.ColumnsFor(o.Nominative)); err != nil {
			t.Fatal(err)
		}
		for _, r := range testRows() {
			if !o.Nominative {
				r = r[:5]
			}
			if err := w.Row(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Rows() != 3*len(tables) {
		t.Errorf("Rows() = %d", w.Rows())
	}
	return buf.Bytes()
}

func TestCSV(t *testing.T) {
	out := write(t, maillon.ExportOptions{Format: "csv", Separator: ';', Nominative: true}, testTable)
	if !bytes.HasPrefix(out, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no byte-order mark")
	}
	if !bytes.Contains(out, []byte("\r\n")) {
		t.Error("lines do not end with CRLF")
	}
	r := csv.NewReader(bytes.NewReader(out[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"id", "date", "debut", "texte", "fait", "nom"},
		{"1", "2026-03-01", "2026-03-01T00:30:00+01:00", "'=HYPERLINK(\"http://x\")", "oui", "Awa Diallo"},
		{"-2", "", "", "a;b,\"c\"\nd", "non", "'-moins"},
		{"3", "2026-03-01", "2026-03-01T00:30:00+01:00", "'@cmd +1 -1", "", ""},
	}
	for i := range want {
		if strings.Join(recs[i], "¦") != strings.Join(want[i], "¦") {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}
	// The comma separator, without the nominative column.
	out = write(t, maillon.ExportOptions{Format: "csv", Separator: ','}, testTable)
	if !strings.HasPrefix(string(out[3:]), "id,date,debut,texte,fait\r\n1,2026-03-01,") {
		t.Errorf("comma CSV = %q", out[:60])
	}
	// One table per CSV file.
	w, _ := New(&bytes.Buffer{}, maillon.ExportOptions{Format: "csv"})
	w.Begin(testTable, testTable.Columns)
	if err := w.Begin(testTable, testTable.Columns); !errors.Is(err, errOneTable) {
		t.Errorf("second table = %v", err)
	}
}

func TestGuard(t *testing.T) {
	for in, want := range map[string]string{"": "", "=1+1": "'=1+1", "+33 6": "'+33 6", "-": "'-", "@x": "'@x",
		"\tx": "'\tx", "a=b": "a=b", "Élodie": "Élodie"} {
		if got := Guard(in); got != want {
			t.Errorf("Guard(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestXLSX(t *testing.T) {
	second := *testTable
	second.Kind, second.Label = "autre", "Autre table"
	out := write(t, maillon.ExportOptions{Format: "xlsx", From: day, To: day.AddDate(0, 1, 0)}, testTable, &second)
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Essai,Autre table,Définitions" {
		t.Fatalf("sheets = %s", got)
	}
	rows, err := f.GetRows("Autre table")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != "id,date,debut,texte,fait" {
		t.Fatalf("rows = %q", rows)
	}
	// Text is stored as text, never as a formula; dates are dates.
	if rows[1][3] != "=HYPERLINK(\"http://x\")" || rows[1][4] != "oui" || rows[1][1] != "2026-03-01" || rows[1][2] != "2026-03-01 00:30" {
		t.Errorf("row 1 = %q", rows[1])
	}
	if formula, _ := f.GetCellFormula("Essai", "D2"); formula != "" {
		t.Errorf("D2 holds the formula %q", formula)
	}
	if v, _ := f.GetCellValue("Essai", "A3"); v != "-2" {
		t.Errorf("A3 = %q", v)
	}
	defs, _ := f.GetRows("Définitions")
	var flat []string
	for _, r := range defs {
		flat = append(flat, strings.Join(r, "|"))
	}
	all := strings.Join(flat, "\n")
	for _, want := range []string{"du 2026-03-01 inclus au 2026-04-01 exclu", "autre|debut|date et heure", "Une ligne = un essai."} {
		if !strings.Contains(all, want) {
			t.Errorf("definitions lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "|nom|") {
		t.Error("definitions list the nominative column of a non-nominative export")
	}
}

// Ensure the definitions of a shared workbook say it is to be shared,
// which columns were left out, and the rule on each count of people; and
// that a suppressed count is a text cell.
func TestXLSXShared(t *testing.T) {
	tb := &maillon.ExportTable{Kind: "essai", Label: "Essai", Fact: "un essai", Period: "la date", Columns: []maillon.ExportColumn{
		{Name: "id", Type: maillon.ExportInt}, {Name: "equipe", Identifying: true},
		{Name: "nombre", Type: maillon.ExportInt, People: true, Definition: "Participants."},
	}}
	o := maillon.ExportOptions{Format: "xlsx", From: day, To: day.AddDate(0, 1, 0), Shared: true}
	var buf bytes.Buffer
	w, _ := New(&buf, o)
	if err := w.Begin(tb, o.Columns(tb)); err != nil {
		t.Fatal(err)
	}
	for _, r := range [][]any{{int64(1), maillon.TextSmall}, {int64(2), int64(7)}} {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if typ, _ := f.GetCellType("Essai", "B2"); typ == excelize.CellTypeNumber {
		t.Error("\"< 5\" stored as a number")
	}
	rows, _ := f.GetRows("Essai")
	if strings.Join(rows[0], ",") != "id,nombre" || rows[1][1] != "< 5" || rows[2][1] != "7" {
		t.Errorf("rows = %q", rows)
	}
	defs, _ := f.GetRows("Définitions")
	var flat []string
	for _, r := range defs {
		flat = append(flat, strings.Join(r, "|"))
	}
	all := strings.Join(flat, "\n")
	for _, want := range []string{"À diffuser hors de la structure|oui", "Colonnes retirées|Essai : equipe",
		"essai|nombre|nombre|Participants. Export à diffuser : « < 5 »"} {
		if !strings.Contains(all, want) {
			t.Errorf("definitions lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "|equipe|") {
		t.Error("definitions list a column left out")
	}
}
