package web_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"maillon"
)

// Ensure the form offers the export to share outside the structure,
// refuses it with names next to its checkbox, and downloads a file
// without names and with small counts written "< 5".
func TestExportsShared(t *testing.T) {
	run(t, func(t *testing.T, a *app) {
		med, coord := a.login(a.st.Mediator), a.login(a.st.Coordinator)
		in := maillon.InterventionInput{Date: "2026-03-09", Time: "10:00", Minutes: "45", Mediators: []maillon.UserID{a.st.Mediator.ID},
			PlaceType: "permanence", Registre: "acces_droits", Commanditaire: "Bailleur Marqueur",
			Anonymous: []maillon.AnonymousCount{{AgeBand: "26_44", Gender: "femme", Count: 3}}}
		if _, err := a.db.CreateIntervention(bg, actorOf(a.st.Mediator), in); err != nil {
			t.Fatal(err)
		}
		in.Date, in.Anonymous = "2026-03-10", []maillon.AnonymousCount{{AgeBand: "16_25", Gender: "homme", Count: 7}}
		if _, err := a.db.CreateIntervention(bg, actorOf(a.st.Mediator), in); err != nil {
			t.Fatal(err)
		}

		p := med.get("/exports").wantStatus(http.StatusOK)
		box := p.find(`input[type=checkbox]#f-external[name=external]`)
		if box.Length() != 1 || !strings.Contains(p.text(`label[for=f-external]`), "À diffuser hors de la structure") ||
			!strings.Contains(p.text(`form[action="/exports"]`), "« < 5 »") {
			t.Errorf("no shared option on the form: %s", p.text(`form[action="/exports"]`))
		}

		// With the nominative option: refused, the message next to the box.
		f := exportForm("interventions", "csv")
		f.Set("nominative", "on")
		f.Set("external", "on")
		coord.get("/exports")
		r := coord.post("/exports", f).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("external", "ne peut pas être nominatif")
		if _, on := r.find(`#f-external`).Attr("checked"); !on {
			t.Error("the refused form lost the checked box")
		}

		// The CSV: marked in its name, no staff names nor free text, 3
		// written "< 5" and 7 as it is.
		f.Del("nominative")
		r = coord.post("/exports", f).wantStatus(http.StatusOK)
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="maillon-interventions-2026-03-01-2026-04-01-diffusion.csv"` {
			t.Errorf("Content-Disposition = %q", cd)
		}
		recs := readCSV(t, r)
		if len(recs) != 3 || slices.Contains(recs[0], "mediateurs") || slices.Contains(recs[0], "commanditaire") {
			t.Fatalf("CSV = %q", recs)
		}
		col := slices.Index(recs[0], "nb_personnes_anonymes")
		if col < 0 || recs[1][col] != "< 5" || recs[2][col] != "7" {
			t.Errorf("nb_personnes_anonymes = %q / %q", recs[1][col], recs[2][col])
		}
		if strings.Contains(r.body, "Marqueur") || strings.Contains(r.body, a.st.Mediator.DisplayName) {
			t.Error("the shared CSV names someone or holds free text")
		}
		entries, _, err := a.db.FindAuditEntries(bg, actorOf(a.st.Admin), maillon.AuditFilter{Action: maillon.AuditExport})
		if err != nil || len(entries) != 1 || !slices.Contains(entries[0].Fields, "diffusion") {
			t.Errorf("audit = %+v, %v", entries, err)
		}

		// The XLSX, by a mediator: "< 5" is text, and the definitions say
		// what the file is.
		f = exportForm("interventions", "xlsx")
		f.Set("external", "on")
		r = med.post("/exports", f).wantStatus(http.StatusOK)
		x, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, _ := x.GetRows("Interventions")
		col = slices.Index(rows[0], "nb_personnes_anonymes")
		if len(rows) != 3 || col < 0 || rows[1][col] != "< 5" || rows[2][col] != "7" {
			t.Errorf("Interventions sheet = %q", rows)
		}
		defs, _ := x.GetRows("Définitions")
		var flat []string
		for _, d := range defs {
			flat = append(flat, strings.Join(d, "|"))
		}
		all := strings.Join(flat, "\n")
		for _, want := range []string{"À diffuser hors de la structure|oui", "Colonnes retirées|Interventions : commanditaire, institutions, mediateurs"} {
			if !strings.Contains(all, want) {
				t.Errorf("definitions lack %q:\n%s", want, all)
			}
		}
	})
}
