package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"maillon"
)

func exportForm(kind, format string) url.Values {
	return url.Values{"kind": {kind}, "from": {"2026-03-01"}, "to": {"2026-04-01"}, "format": {format}, "separator": {";"}}
}

// readCSV parses a downloaded CSV, checking its byte-order mark.
func readCSV(t *testing.T, r *response) [][]string {
	t.Helper()
	if !strings.HasPrefix(r.body, "\uFEFF") {
		t.Fatalf("CSV without a byte-order mark: %.100q", r.body)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\uFEFF")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestExports(t *testing.T) {
	run(t, func(t *testing.T, a *app) {
		med, coord := a.login(a.st.Mediator), a.login(a.st.Coordinator)
		person := ivMustPerson(t, a, a.st.Mediator, "Lina", "Marqueur")
		in := maillon.InterventionInput{Date: "2026-03-09", Time: "10:00", Minutes: "45", Mediators: []maillon.UserID{a.st.Mediator.ID},
			PlaceType: "permanence", Registre: "acces_droits", Themes: []string{"logement"}, Persons: []maillon.PersonID{person.ID},
			Description: "=Texte libre Marqueur"}
		if _, err := a.db.CreateIntervention(bg, actorOf(a.st.Mediator), in); err != nil {
			t.Fatal(err)
		}

		// The form: a mediator is told the scope and gets no nominative
		// option; a coordinator gets it.
		p := med.get("/exports").wantStatus(http.StatusOK)
		if p.find(`#f-nominative`).Length() != 0 || !strings.Contains(p.text("main"), "celles de votre équipe") {
			t.Errorf("mediator's form: %s", p.text("main"))
		}
		if p.find(`nav a[href="/exports"]`).Length() != 1 {
			t.Error("no Exports entry in the navigation")
		}
		if v, _ := p.find(`#f-from`).Attr("value"); v != "2026-01-01" {
			t.Errorf("default from = %q", v)
		}
		if coord.get("/exports").find(`#f-nominative`).Length() != 1 {
			t.Error("no nominative checkbox for the coordinator")
		}
		// A report links to the export of its period.
		p = med.get("/exports?kind=mediations&from=2026-02-01&to=2026-03-01&nominative=on")
		if v, _ := p.find(`#f-kind option[selected]`).Attr("value"); v != "mediations" {
			t.Errorf("prefilled kind = %q", v)
		}
		if v, _ := p.find(`#f-to`).Attr("value"); v != "2026-03-01" {
			t.Errorf("prefilled to = %q", v)
		}

		// CSV: one row per intervention, without names nor free text.
		r := coord.post("/exports", exportForm("interventions", "csv")).wantStatus(http.StatusOK)
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="maillon-interventions-2026-03-01-2026-04-01.csv"` {
			t.Errorf("Content-Disposition = %q", cd)
		}
		recs := readCSV(t, r)
		if len(recs) != 2 || recs[0][0] != "intervention_id" || slices.Contains(recs[0], "personnes") {
			t.Fatalf("CSV = %q", recs)
		}
		if strings.Contains(r.body, "Marqueur") {
			t.Error("a non-nominative export holds a name or free text")
		}

		// Nominative, by the coordinator: names, and the free text guarded.
		f := exportForm("interventions", "csv")
		f.Set("nominative", "on")
		recs = readCSV(t, coord.post("/exports", f).wantStatus(http.StatusOK))
		row := map[string]string{}
		for i, c := range recs[0] {
			row[c] = recs[1][i]
		}
		if row["personnes"] != "Lina Marqueur" || row["description"] != "'=Texte libre Marqueur" || row["thematiques"] != "logement" {
			t.Errorf("nominative row = %v", row)
		}
		entries, _, err := a.db.FindAuditEntries(bg, actorOf(a.st.Admin), maillon.AuditFilter{Action: maillon.AuditExport})
		if err != nil || len(entries) != 2 || !slices.Contains(entries[0].Fields, "nominatif") {
			t.Errorf("audit = %+v, %v", entries, err)
		}
		// A mediator cannot ask for names, even by crafting the form.
		med.get("/exports")
		med.post("/exports", f).wantStatus(http.StatusForbidden)

		// XLSX: a sheet per table and the definitions.
		r = med.post("/exports", exportForm(maillon.ExportAll, "xlsx")).wantStatus(http.StatusOK)
		if ct := r.header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Errorf("Content-Type = %q", ct)
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if got := strings.Join(x.GetSheetList(), ","); got != "Interventions,Démarches,Tournées,Médiations,Orientations,Séances,Participants anonymes,Définitions" {
			t.Errorf("sheets = %s", got)
		}
		rows, _ := x.GetRows("Interventions")
		if len(rows) != 2 || rows[1][1] != "2026-03-09" {
			t.Errorf("Interventions sheet = %q", rows)
		}

		// Bad input: the form again, with the errors next to the fields.
		bad := exportForm(maillon.ExportAll, "csv")
		bad.Set("to", "2026-02-01")
		r = coord.post("/exports", bad).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("to", "suivre la date de début")
		r.wantFieldError("kind", "format XLSX")
	})
}
