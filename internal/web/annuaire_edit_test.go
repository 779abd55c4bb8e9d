package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The upload page: admins only, the size limit stated, counts and the
// line-numbered rejected rows on the result; an unreadable file is a 422
// with its line.
func TestDirectoryImportPage(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		admin, coord := a.login(a.st.Admin), a.login(a.st.Coordinator)
		coord.get("/annuaire/import").wantStatus(http.StatusForbidden)
		if r := coord.get("/annuaire"); r.find(`a[href="/annuaire/import"]`).Length() != 0 {
			t.Error("a coordinator is offered the upload page")
		}
		r := admin.get("/annuaire").wantStatus(http.StatusOK)
		if r.find(`a[href="/annuaire/import"]`).Length() != 1 {
			t.Error("no link to the upload page for the admin")
		}
		r = admin.get("/annuaire/import").wantStatus(http.StatusOK)
		checkA11y(t, "annuaire import", r)
		if !strings.Contains(r.text("main"), "Taille maximale du fichier : 8 Mo") {
			t.Errorf("no size limit: %s", r.text("main"))
		}

		// Without a file, then with a broken one: 422, nothing imported.
		r = admin.postFile("/annuaire/import", "file", "vide.json", nil, url.Values{"format": {"json"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("file", "Choisissez le fichier")
		r = admin.postFile("/annuaire/import", "file", "casse.json", []byte("[\n{\"source\": \"dora\",\n\"id\": }\n]"), url.Values{"format": {"json"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "annuaire import in error", r)
		r.wantFieldError("file", "Ligne 3")
		r = admin.postFile("/annuaire/import", "file", "x.json", []byte("[]"), url.Values{"format": {"xml"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("format", "JSON ou CSV")

		// A valid file with one bad row: the rest is imported, the row
		// listed with its line.
		file := webDirectory[:strings.LastIndex(webDirectory, "]")] + `,
 {"source":"dora","id":"dora--s9","structure_id":"dora--1","nom":"Ok","description":"Non.","date_maj":"2026-03-01"}
]`
		r = admin.postFile("/annuaire/import", "file", "annuaire.json", []byte(file), url.Values{"format": {"json"}})
		r.wantStatus(http.StatusOK)
		checkA11y(t, "annuaire import result", r)
		res := r.text("section[aria-labelledby=resultat]")
		for _, want := range []string{"1 structure créée", "1 service créé", "1 ligne rejetée", "dora--s9"} {
			if !strings.Contains(res, want) {
				t.Errorf("result lacks %q: %s", want, res)
			}
		}
		if line := r.text("#rejected-caption ~ tbody td:first-child"); line != "8" {
			t.Errorf("rejected line = %q", line)
		}
		// Again, as CSV: the same entries are updated.
		csv := "source;id;nom;date_maj;code_insee\ndora;dora--1;Épicerie Annuairemarqueur;2026-03-02;69123\ndora;;Sans identifiant;2026-03-02;69123\n"
		r = admin.postFile("/annuaire/import", "file", "structures.csv", []byte(csv), url.Values{"format": {"csv"}})
		r.wantStatus(http.StatusOK)
		if res := r.text("section[aria-labelledby=resultat]"); !strings.Contains(res, "1 structure mise à jour") || !strings.Contains(res, "1 ligne rejetée") {
			t.Errorf("csv result: %s", res)
		}
	})
}

// Coordinators type and correct entries; enumerations are checkbox
// groups; the opening hours are read back in French; bad input comes
// back by its field.
func TestDirectoryEditForms(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		id := importWebDirectory(t, a)
		page := "/annuaire/structures/" + strconv.FormatInt(int64(id), 10)
		med, coord := a.login(a.st.Mediator), a.login(a.st.Coordinator)
		med.get(page + "/edit").wantStatus(http.StatusForbidden)
		if r := med.get(page); r.find(`a[href="`+page+`/edit"]`).Length() != 0 {
			t.Error("a mediator is offered the edit form")
		}

		// A new structure, first with errors.
		r := coord.get("/annuaire/structures/new").wantStatus(http.StatusOK)
		checkA11y(t, "annuaire new structure", r)
		r = coord.post("/annuaire/structures", url.Values{"nom": {"AB"}, "latitude": {"nord"}, "horaires_accueil": {"le matin"},
			"reseaux_porteurs": {"pirate"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "annuaire new structure in error", r)
		r.wantFieldError("nom", "au moins 3")
		r.wantFieldError("latitude", "nombre décimal")
		r.wantFieldError("horaires_accueil", "")
		r.wantFieldError("reseaux_porteurs", "pirate")
		r = coord.post("/annuaire/structures", url.Values{"nom": {"Maison France services"}, "horaires_accueil": {"Mo-Fr 09:00-12:00"},
			"reseaux_porteurs": {"france-service"}, "code_insee": {"69123"}, "latitude": {"45,76"}, "longitude": {"4,85"}})
		r.wantStatus(http.StatusSeeOther)
		loc := r.header.Get("Location")
		r = coord.get(loc).wantStatus(http.StatusOK)
		if !strings.Contains(r.text("main"), "Du lundi au vendredi : de 9 h à 12 h") {
			t.Errorf("new structure page: %s", r.text("main"))
		}

		// Editing the imported one shows its hours in French.
		r = coord.get(page + "/edit").wantStatus(http.StatusOK)
		checkA11y(t, "annuaire edit structure", r)
		if !strings.Contains(r.text("#hours-french"), "Fermé les jours fériés") {
			t.Errorf("hours not read back: %s", r.text("main"))
		}
		if v, _ := r.find("#f-nom").Attr("value"); v != "Épicerie Annuairemarqueur" {
			t.Errorf("nom = %q", v)
		}

		// A service: the form, an error, then saved with its codes.
		r = coord.get(page + "/services/new").wantStatus(http.StatusOK)
		checkA11y(t, "annuaire new service", r)
		r = coord.post(page+"/services", url.Values{"nom": {"Aide numérique"}, "nombre_semaines": {"beaucoup"},
			"thematiques": {"numerique--pirate"}, "volume_horaire_hebdomadaire": {"-3"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "annuaire new service in error", r)
		r.wantFieldError("description", "Décrivez")
		r.wantFieldError("nombre_semaines", "entier")
		r.wantFieldError("thematiques", "numerique--pirate")
		r.wantFieldError("volume_horaire_hebdomadaire", "168")
		coord.post(page+"/services", url.Values{"nom": {"Aide numérique"}, "description": {"Aide aux démarches en ligne."},
			"thematiques": {"numerique--acceder-a-des-services-en-ligne"}, "publics": {"familles", "seniors"}, "frais": {"gratuit"},
			"modes_accueil": {"en-presentiel"}, "zone_eligibilite": {"69123, 69"}, "horaires_accueil": {"Tu 14:00-17:00"}}).
			wantRedirect(page + "#services")
		r = coord.get(page).wantStatus(http.StatusOK)
		if !strings.Contains(r.text("#services ~ article"), "Aide numérique") && !strings.Contains(r.text("main"), "Aide numérique") {
			t.Errorf("service missing: %s", r.text("main"))
		}
		href, ok := r.find(`a[href^="/annuaire/services/"][href$="/edit"]:contains("Aide numérique")`).Attr("href")
		if !ok {
			t.Fatalf("no service edit link: %s", r.text("main"))
		}
		r = coord.get(href).wantStatus(http.StatusOK)
		checkA11y(t, "annuaire edit service", r)
		if r.find(`input[name=publics][value=seniors][checked]`).Length() != 1 || r.find(`input[name=thematiques][checked]`).Length() != 1 {
			t.Errorf("service codes not checked: %s", r.text("main form"))
		}
		action, _ := r.find("main form[method=post]").Attr("action")
		coord.post(action, url.Values{"nom": {"Aide numérique renommée"}, "description": {"Aide aux démarches en ligne."}}).
			wantRedirect(page + "#services")
		if !strings.Contains(coord.get(page).text("main"), "Aide numérique renommée") {
			t.Error("service not renamed")
		}

		// Contacts are removed from the structure's page.
		coord.post(page+"/contacts", url.Values{"name": {"Claire Martin"}, "email": {"claire@partenaire.exemple.fr"}}).wantStatus(http.StatusSeeOther)
		r = coord.get(page)
		del, ok := r.find(`form[action^="/annuaire/contacts/"]`).Attr("action")
		if !ok {
			t.Fatalf("no contact removal: %s", r.text("#contacts ~ ul"))
		}
		med.post(del, url.Values{"structure": {strconv.FormatInt(int64(id), 10)}}).wantStatus(http.StatusForbidden)
		coord.post(del, url.Values{"structure": {strconv.FormatInt(int64(id), 10)}}).wantRedirect(page + "#contacts")
		if strings.Contains(coord.get(page).text("main"), "Claire Martin") {
			t.Error("contact still shown")
		}
		coord.post(del, url.Values{}).wantStatus(http.StatusNotFound)

		// The thresholds, on the review page.
		r = coord.post("/annuaire/settings", url.Values{"to_check_months": {"12"}, "obsolete_months": {"6"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "annuaire settings in error", r)
		r.wantFieldError("obsolete_months", "dépasse")
		r = coord.post("/annuaire/settings", url.Values{"to_check_months": {"trois"}, "obsolete_months": {"12"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("to_check_months", "nombre de mois")
		coord.post("/annuaire/settings", url.Values{"to_check_months": {"3"}, "obsolete_months": {"9"}}).wantRedirect("/annuaire/revue")
		if r = coord.get("/annuaire/revue"); !strings.Contains(r.text("main"), "« à vérifier » 3 mois") {
			t.Errorf("thresholds not saved: %s", r.text(".hint"))
		}
	})
}
