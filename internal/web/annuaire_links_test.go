package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// A commune's page lists the directory's partners located there and the
// latest observations of its quartiers; a quartier's page its own.
func TestTerritoryShowsPartnersAndObservations(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		admin, med := storetest.Actor(a.st.Admin), storetest.Actor(a.st.Mediator)
		importWebDirectory(t, a) // its structure is in 69123
		c, err := a.db.AddCommune(ctx, admin, a.st.ID, maillon.CommuneInput{INSEE: "69123", Name: "Lyon"})
		if err != nil {
			t.Fatal(err)
		}
		z1, err := a.db.AddZone(ctx, admin, maillon.ZoneInput{CommuneID: c.ID, Name: "Pentes"})
		if err != nil {
			t.Fatal(err)
		}
		z2, err := a.db.AddZone(ctx, admin, maillon.ZoneInput{CommuneID: c.ID, Name: "Presqu'île"})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range []struct {
			zone maillon.ZoneID
			text string
		}{{z1.ID, "Attroupement le soir aux Pentes."}, {z2.ID, "Boîte aux lettres du bailleur hors service."}, {0, "Hausse des demandes d'aide alimentaire."}} {
			in := veilleObservation(o.text)
			in.ZoneID = o.zone
			if _, err := a.db.CreateObservation(ctx, med, in); err != nil {
				t.Fatal(err)
			}
		}
		cl := a.login(a.st.Mediator)
		r := cl.get("/territoire/communes/" + strconv.FormatInt(int64(c.ID), 10)).wantStatus(http.StatusOK)
		checkA11y(t, "commune page with partners", r)
		if r.find(`section[aria-labelledby=partenaires] a[href^="/annuaire/structures/"]`).Length() != 1 ||
			!strings.Contains(r.text("section[aria-labelledby=partenaires]"), "Épicerie Annuairemarqueur") {
			t.Errorf("partners: %s", r.text("section[aria-labelledby=partenaires]"))
		}
		if n := r.find(`section[aria-labelledby=observations] tbody tr`).Length(); n != 2 {
			t.Errorf("commune observations = %d: %s", n, r.text("section[aria-labelledby=observations]"))
		}
		r = cl.get("/territoire/zones/" + strconv.FormatInt(int64(z1.ID), 10)).wantStatus(http.StatusOK)
		if n := r.find(`section[aria-labelledby=observations] tbody tr`).Length(); n != 1 {
			t.Errorf("zone observations = %d", n)
		}
		href, _ := r.find(`a[href^="/veille?place="]`).Attr("href")
		if href != "/veille?place=z"+strconv.FormatInt(int64(z1.ID), 10) {
			t.Errorf("link to the list = %q", href)
		}

		// The list's place and period filters.
		r = cl.get(href).wantStatus(http.StatusOK)
		if n := r.find(`#observations-caption ~ tbody tr`).Length(); n != 1 {
			t.Errorf("list for the quartier = %d rows", n)
		}
		r = cl.get("/veille?place=c" + strconv.FormatInt(int64(c.ID), 10)).wantStatus(http.StatusOK)
		if n := r.find(`#observations-caption ~ tbody tr`).Length(); n != 2 {
			t.Errorf("list for the commune = %d rows", n)
		}
		r = cl.get("/veille?from=2000-01-01&to=2000-12-31").wantStatus(http.StatusOK)
		if r.find(`#observations-caption`).Length() != 0 {
			t.Errorf("a period without observations lists some: %s", r.text("main"))
		}
		r = cl.get("/veille?place=z999999&from=31/02/2026&to=2026-01-01&from=").wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "veille filters in error", r)
		r.wantFieldError("place", "dans la liste")
		r.wantFieldError("from", "jj/mm/aaaa")
		r = cl.get("/veille?from=2026-03-01&to=2026-01-01").wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("to", "suivre")
	})
}

// Technical reports and information items warn about personal data like
// observations do: a 422 with the confirmation box, then saved once the
// box is ticked.
func TestPersonalDataWarningOnReportsAndInfos(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		med := a.login(a.st.Mediator)
		med.get("/veille/technique/new")
		tech := url.Values{"category": {"proprete"}, "location": {"Square central"}, "partner_name": {"Mairie"}, "partner_kind": {"mairie"},
			"description": {"Dépôts sauvages signalés par Karim Benali, joignable au 06 12 34 56 78."}}
		r := med.post("/veille/technique", tech).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "tech report with personal data", r)
		r.wantFieldError("description", "numéro de téléphone")
		if r.find("#f-confirm-no-personal-data").Length() != 1 {
			t.Fatalf("no confirmation box: %s", r.text("main form"))
		}
		tech.Set("confirm_no_personal_data", "on")
		med.post("/veille/technique", tech).wantStatus(http.StatusSeeOther)

		med.get("/infos/new")
		info := url.Values{"title": {"Permanence logement"}, "level": {"structure"},
			"content": {"Écrire à jean.dupont@exemple.fr pour un rendez-vous."}}
		r = med.post("/infos", info).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "info item with personal data", r)
		r.wantFieldError("content", "adresse e-mail")
		if r.find("#f-confirm-no-personal-data").Length() != 1 {
			t.Fatalf("no confirmation box: %s", r.text("main form"))
		}
		info.Set("content", "Le mardi de 14 h à 17 h, sans rendez-vous.")
		info.Set("title", "Permanence de Sophie Marchand")
		r = med.post("/infos", info).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("title", "Sophie Marchand")
		info.Set("confirm_no_personal_data", "1")
		med.post("/infos", info).wantStatus(http.StatusSeeOther)
	})
}

// An intervention and its procedures reference directory structures
// picked with a search that posts the form back, nothing typed lost.
func TestInterventionPicksDirectoryStructure(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		sid := strconv.FormatInt(int64(importWebDirectory(t, a)), 10)
		med := a.login(a.st.Mediator)
		med.get("/interventions/new")
		form := url.Values{"date": {"2026-03-09"}, "time": {"15:00"}, "minutes": {"45"},
			"mediators": {strconv.FormatInt(int64(a.st.Mediator.ID), 10)}, "place_type": {"permanence"}, "registre": {"acces_droits"},
			"description":     {"Accompagnement à l'épicerie."},
			"proc0_organisme": {"caf"}, "proc0_label": {"Demande"}, "proc0_channel": {"guichet"}, "proc0_mode": {"faire_avec"},
			"dir_q": {"epicerie"}, "dir_search": {"1"}}
		r := med.post("/interventions", form).wantStatus(http.StatusOK)
		checkA11y(t, "intervention form with directory results", r)
		if !strings.Contains(r.text("#annuaire-picker [role=status]"), "1 structure trouvée") {
			t.Errorf("search: %s", r.text("#annuaire-picker"))
		}
		if r.find(`#f-directory-structure-id option[value="`+sid+`"]`).Length() != 1 ||
			r.find(`#f-proc0-directory-structure-id option[value="`+sid+`"]`).Length() != 1 {
			t.Fatalf("no choice offered: %s", r.text("main form"))
		}
		if v, _ := r.find("#f-description").Html(); !strings.Contains(v, "Accompagnement") {
			t.Errorf("typed values lost: %q", v)
		}
		// Too long a search is a 422 by its field.
		form.Set("dir_q", strings.Repeat("x", 251))
		r = med.post("/interventions", form).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("dir_q", "250")

		form.Del("dir_search")
		form.Set("dir_q", "")
		form.Set("directory_structure_id", sid)
		form.Set("proc0_directory_structure_id", sid)
		r = med.post("/interventions", form).wantStatus(http.StatusSeeOther)
		page := r.header.Get("Location")
		r = med.get(page).wantStatus(http.StatusOK)
		if n := r.find(`a[href="/annuaire/structures/` + sid + `"]`).Length(); n != 2 {
			t.Errorf("links to the directory entry = %d: %s", n, r.text("main"))
		}
		// The edit form keeps both choices; a forged ID is dropped.
		r = med.get(page + "/edit").wantStatus(http.StatusOK)
		if v, _ := r.find(`#f-proc0-directory-structure-id option[selected]`).Attr("value"); v != sid {
			t.Errorf("procedure's structure on edit = %q", v)
		}
		form.Set("directory_structure_id", "999999")
		med.post(page, form).wantStatus(http.StatusSeeOther)
		if n := med.get(page).find(`a[href^="/annuaire/structures/"]`).Length(); n != 1 {
			t.Errorf("links after a forged ID = %d", n)
		}
	})
}
