package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"maillon"
)

// writeReportXLSX writes a template's report as a workbook: a first sheet
// naming the report, a sheet per table (the figures as numbers, the
// suppressed cells as their text), and the definitions.
func writeReportXLSX(w http.ResponseWriter, rt *maillon.ReportTemplate, rep *maillon.Report) error {
	x := excelize.NewFile()
	defer x.Close()
	const first = "Bilan"
	if err := x.SetSheetName("Sheet1", first); err != nil {
		return err
	}
	set := func(sheet, cell string, v any) {
		// Errors here are programming errors (bad cell names): the
		// workbook is written whole below and its error returned.
		_ = x.SetCellValue(sheet, cell, v)
	}
	set(first, "A1", rt.Title)
	set(first, "A2", "Période : "+rep.Filter.Period.Label())
	set(first, "A3", "Périmètre : "+rep.Scope)
	set(first, "A4", "Calculé le "+maillon.InParis(rep.GeneratedAt).Format("02/01/2006 15:04"))
	row := 5
	if rep.Filter.External {
		set(first, "A5", "À diffuser hors de la structure : un effectif de 1 à 4 personnes est écrit « < 5 », « secret » masque un chiffre qui permettrait de le retrouver.")
		row++
	}
	if rt.Intro != "" {
		set(first, "A"+strconv.Itoa(row+1), rt.Intro)
	}
	used := map[string]bool{first: true, "Définitions": true}
	for i, t := range rep.Tables {
		name := sheetName(strconv.Itoa(i+1)+" "+t.Indicator.Label, used)
		if _, err := x.NewSheet(name); err != nil {
			return err
		}
		heading := t.Indicator.Label
		if s := rt.Section(t.Indicator.ID); s != nil {
			if s.Heading != "" {
				heading = s.Heading
			}
			if s.Text != "" {
				set(name, "A2", s.Text)
			}
		}
		set(name, "A1", heading)
		set(name, "A4", "Catégorie")
		set(name, "B4", "Valeur ("+string(t.Indicator.Unit)+")")
		set(name, "C4", "Texte")
		r := 5
		put := func(label string, row maillon.ReportRow) {
			set(name, "A"+strconv.Itoa(r), label)
			if !row.Hidden {
				set(name, "B"+strconv.Itoa(r), xlsxValue(t.Indicator.Unit, row))
			}
			set(name, "C"+strconv.Itoa(r), row.Text)
			r++
		}
		for _, row := range t.Rows {
			put(row.Label, row)
		}
		if t.Total != nil {
			put("Total", *t.Total)
		}
		_ = x.SetColWidth(name, "A", "A", 45)
		_ = x.SetColWidth(name, "B", "C", 18)
	}
	const defs = "Définitions"
	if _, err := x.NewSheet(defs); err != nil {
		return err
	}
	for i, h := range []string{"Identifiant", "Indicateur", "Définition", "Source", "Date retenue", "Unité"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		set(defs, cell, h)
	}
	for i, t := range rep.Tables {
		ind := t.Indicator
		for j, v := range []string{ind.ID, ind.Label, ind.Definition, ind.SourceInfo().Name, ind.SourceInfo().PeriodRule, string(ind.Unit)} {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			set(defs, cell, v)
		}
	}
	_ = x.SetColWidth(defs, "C", "C", 80)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="bilan-`+strconv.FormatInt(int64(rt.ID), 10)+`.xlsx"`)
	w.Header().Set("Cache-Control", "no-store")
	return x.Write(w)
}

// xlsxValue is a figure as a spreadsheet number: hours for durations,
// percent and days with their decimals.
func xlsxValue(u maillon.ReportUnit, row maillon.ReportRow) any {
	switch u {
	case maillon.UnitMinutes:
		return float64(int64(row.Value*100/60)) / 100
	case maillon.UnitPercent, maillon.UnitDays:
		if row.Of == 0 {
			return ""
		}
		return float64(int64(row.Value*10+0.5)) / 10
	}
	return int64(row.Value)
}

// sheetName makes a valid, unique sheet name (31 characters, none of
// []:*?/\).
func sheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return ' '
		}
		return r
	}, s)
	r := []rune(s)
	if len(r) > 31 {
		r = r[:31]
	}
	name := strings.TrimSpace(string(r))
	for i := 2; used[name]; i++ {
		suffix := " " + strconv.Itoa(i)
		rr := []rune(name)
		if len(rr)+len(suffix) > 31 {
			rr = rr[:31-len(suffix)]
		}
		name = string(rr) + suffix
	}
	used[name] = true
	return name
}
