package export

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"maillon"
)

// xlsxWriter writes a workbook: one sheet per table, streamed, then a
// "Définitions" sheet listing every column with its meaning. Text cells
// are stored as strings, which spreadsheets never evaluate, so they need
// no guard. Dates carry a date format; times are Paris wall-clock times,
// as spreadsheets have no time zones.
type xlsxWriter struct {
	out    io.Writer
	o      maillon.ExportOptions
	f      *excelize.File
	sw     *excelize.StreamWriter
	cols   []maillon.ExportColumn
	tables []*maillon.ExportTable
	// header, day and instant are style IDs.
	header, day, instant int
	row                  []any
	sheetRows            int
	rows                 int
}

func newXLSX(w io.Writer, o maillon.ExportOptions) *xlsxWriter {
	return &xlsxWriter{out: w, o: o}
}

// TooManyRows is the error of a table beyond what a sheet holds.
func TooManyRows(label string) error {
	return maillon.Errorf(maillon.ErrInvalid, "La table « %s » dépasse %d lignes, le maximum d'une feuille XLSX : "+
		"choisissez une période plus courte ou le format CSV.", label, maillon.MaxXLSXRows)
}

func (x *xlsxWriter) init() error {
	x.f = excelize.NewFile()
	var err error
	if x.header, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return err
	}
	dayFmt, timeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	if x.day, err = x.f.NewStyle(&excelize.Style{CustomNumFmt: &dayFmt}); err != nil {
		return err
	}
	x.instant, err = x.f.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt})
	return err
}

func (x *xlsxWriter) Begin(t *maillon.ExportTable, cols []maillon.ExportColumn) error {
	if x.f == nil {
		if err := x.init(); err != nil {
			return err
		}
		if err := x.f.SetSheetName("Sheet1", t.Label); err != nil {
			return err
		}
	} else {
		if err := x.sw.Flush(); err != nil {
			return err
		}
		if _, err := x.f.NewSheet(t.Label); err != nil {
			return err
		}
	}
	sw, err := x.f.NewStreamWriter(t.Label)
	if err != nil {
		return err
	}
	x.sw, x.cols, x.sheetRows = sw, cols, 0
	x.tables = append(x.tables, t)
	x.row = make([]any, len(cols))
	for i, c := range cols {
		x.row[i] = excelize.Cell{StyleID: x.header, Value: c.Name}
		width := 14.0
		if c.Type == maillon.ExportDateTime {
			width = 18
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return sw.SetRow("A1", x.row)
}

func (x *xlsxWriter) Row(values []any) error {
	if x.sheetRows >= maillon.MaxXLSXRows {
		return TooManyRows(x.tables[len(x.tables)-1].Label)
	}
	x.sheetRows++
	x.rows++
	for i, c := range x.cols {
		switch v := values[i].(type) {
		case time.Time:
			p := maillon.InParis(v)
			wall := time.Date(p.Year(), p.Month(), p.Day(), p.Hour(), p.Minute(), p.Second(), 0, time.UTC)
			style := x.instant
			if c.Type == maillon.ExportDate {
				style = x.day
			}
			x.row[i] = excelize.Cell{StyleID: style, Value: wall}
		case bool:
			x.row[i] = yesNo(v)
		default:
			x.row[i] = v
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.sheetRows+1)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.row)
}

func (x *xlsxWriter) Rows() int { return x.rows }

// Close adds the definitions sheet and writes the workbook.
func (x *xlsxWriter) Close() error {
	if x.f == nil {
		return fmt.Errorf("export: no table written")
	}
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	if err := x.definitions(); err != nil {
		return err
	}
	// excelize zips the workbook into a buffer before writing it (about
	// 90 bytes per row); its zip writer, opened on the output instead,
	// streams each part, the sheets from the stream writers' temporary
	// files. The buffer then stays empty. (It would patch the headers
	// of parts over 4 GB, which a sheet of 1,048,575 rows never reaches.)
	x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(x.out) })
	_, err := x.f.WriteTo(x.out)
	return err
}

// definitions writes the "Définitions" sheet: the export's options, then
// for each table what a row is, which date the period applies to, and
// each column's name, type and meaning.
func (x *xlsxWriter) definitions() error {
	const sheet = "Définitions"
	if _, err := x.f.NewSheet(sheet); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, w := range []float64{22, 28, 12, 100} {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	n := 0
	add := func(values ...any) error {
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, values)
	}
	bold := func(s string) excelize.Cell { return excelize.Cell{StyleID: x.header, Value: s} }
	period := fmt.Sprintf("du %s inclus au %s exclu (dates de Paris)", maillon.InParis(x.o.From).Format(dayLayout),
		maillon.InParis(x.o.To).Format(dayLayout))
	if err := add(bold("Période"), period); err != nil {
		return err
	}
	nominative := "non : aucune colonne nominative"
	if x.o.Nominative {
		nominative = "oui : noms et textes libres inclus — document confidentiel"
	}
	if err := add(bold("Export nominatif"), nominative); err != nil {
		return err
	}
	if x.o.Shared {
		if err := add(bold("À diffuser hors de la structure"), SharedNotice); err != nil {
			return err
		}
		for _, t := range x.tables {
			if hidden := HiddenColumns(t); hidden != "" {
				if err := add(bold("Colonnes retirées"), t.Label+" : "+hidden); err != nil {
					return err
				}
			}
		}
	}
	if err := add(bold("Documentation"), "docs/exports.md (noms de colonnes stables) et docs/indicateurs.md"); err != nil {
		return err
	}
	for _, t := range x.tables {
		if err := add(); err != nil {
			return err
		}
		if err := add(bold("Feuille « "+t.Label+" »"), "Une ligne = "+t.Fact+".", "", "Période appliquée à "+t.Period+"."); err != nil {
			return err
		}
		if err := add(bold("Table"), bold("Colonne"), bold("Type"), bold("Définition")); err != nil {
			return err
		}
		for _, c := range x.o.Columns(t) {
			def := c.Definition
			if x.o.Shared && c.People {
				def += " " + SharedPeopleNote
			}
			if err := add(t.Kind, c.Name, TypeLabel(c.Type), def); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}

// The texts that tell readers of a shared export what was hidden.
const (
	SharedNotice = "oui : export à diffuser hors de la structure. Les colonnes qui identifient une personne ou un membre " +
		"de l'équipe et les textes libres sont retirées ; un effectif de 1 à 4 personnes est écrit « < 5 » (0 reste 0), " +
		"et « secret » remplace un effectif qui permettrait de recalculer une cellule masquée (docs/exports.md)."
	SharedPeopleNote = "Export à diffuser : « < 5 » pour 1 à 4 personnes, « secret » pour un effectif qui permettrait de recalculer une cellule masquée."
)

// HiddenColumns lists the columns a shared export leaves out of table t,
// separated by commas.
func HiddenColumns(t *maillon.ExportTable) string {
	var names []string
	for _, c := range t.Columns {
		if c.Identifying {
			names = append(names, c.Name)
		}
	}
	return strings.Join(names, ", ")
}

// TypeLabel names a column type in French, for the definitions.
func TypeLabel(t maillon.ExportColumnType) string {
	switch t {
	case maillon.ExportInt:
		return "nombre"
	case maillon.ExportBool:
		return "oui / non"
	case maillon.ExportDate:
		return "date"
	case maillon.ExportDateTime:
		return "date et heure"
	}
	return "texte"
}
