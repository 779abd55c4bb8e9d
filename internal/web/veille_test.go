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

// newAzVeilleFixtures adds an observation, a risk report concerning
// minors, a technical report and a remontées report to a.st, with texts
// no other structure's page may show.
func newAzVeilleFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	ctx := context.Background()
	med, coord := storetest.Actor(fx.a.st.Mediator), storetest.Actor(fx.a.st.Coordinator)
	o, err := fx.a.db.CreateObservation(ctx, med, veilleObservation("Tension devant le local marqueurveille-obs."))
	if err != nil {
		t.Fatal(err)
	}
	fx.veilleObs = int64(o.ID)
	fx.veilleRisk = fx.azVeilleID("/veille/reseaux/", true)
	fx.veilleTech = fx.azVeilleID("/veille/technique/", true)
	r, err := fx.a.db.CreateRemonteeReport(ctx, coord, maillon.RemonteeReportInput{Comment: "Commentaire marqueurveille-remontee."})
	if err != nil {
		t.Fatal(err)
	}
	fx.veilleRemontee = int64(r.ID)
	fx.markers = append(fx.markers, "marqueurveille-obs", "marqueurveille-risque", "marqueurveille-tech", "marqueurveille-remontee")
}

func veilleObservation(text string) maillon.VeilleObservationInput {
	return maillon.VeilleObservationInput{Theme: "voisinage", Kind: "tension", Description: text, Source: "terrain",
		Reliability: "a_confirmer"}
}

// azVeilleID returns the record of a veille route: the shared one, or a
// fresh one for the routes that move a status.
func (fx *azFixtures) azVeilleID(key string, fresh bool) int64 {
	ctx := context.Background()
	med := storetest.Actor(fx.a.st.Mediator)
	switch {
	case strings.Contains(key, "/veille/observations/"):
		if !fresh {
			return fx.veilleObs
		}
		o, err := fx.a.db.CreateObservation(ctx, med, veilleObservation("Observation fraîche."))
		if err != nil {
			fx.t.Fatal(err)
		}
		return int64(o.ID)
	case strings.Contains(key, "/veille/reseaux/"):
		if !fresh {
			return fx.veilleRisk
		}
		r, err := fx.a.db.CreateRiskReport(ctx, med, maillon.RiskReportInput{Platform: "tiktok", Category: "rumeur",
			Seriousness: "2", Public: "mineurs", Description: "Rumeur visant un collège, marqueurveille-risque."})
		if err != nil {
			fx.t.Fatal(err)
		}
		return int64(r.ID)
	case strings.Contains(key, "/veille/technique/"):
		if !fresh {
			return fx.veilleTech
		}
		r, err := fx.a.db.CreateTechReport(ctx, med, maillon.TechReportInput{Category: "eclairage", Location: "Allée marqueurveille-tech",
			Description: "Trois lampadaires éteints.", PartnerName: "Bailleur Test", PartnerKind: "bailleur"})
		if err != nil {
			fx.t.Fatal(err)
		}
		return int64(r.ID)
	case strings.Contains(key, "/veille/remontees/"):
		return fx.veilleRemontee
	}
	fx.t.Fatalf("no veille fixture for %s", key)
	return 0
}

// azVeilleForm is a valid form for each veille POST route.
func azVeilleForm(key string) url.Values {
	switch key {
	case "POST /veille/observations", "POST /veille/observations/{id}":
		return url.Values{"theme": {"logement"}, "kind": {"besoin"}, "description": {"Pas de permanence logement le samedi."},
			"source": {"habitant"}, "reliability": {"verifiee"}, "status": {"en_suivi"}}
	case "POST /veille/reseaux":
		return url.Values{"platform": {"instagram"}, "category": {"appel_rassemblement"}, "seriousness": {"1"},
			"public": {"habitants"}, "description": {"Appel à se retrouver au parc samedi soir."}}
	case "POST /veille/reseaux/{id}/status":
		return url.Values{"status": {"en_cours"}, "actions": {"3018"}}
	case "POST /veille/technique":
		return url.Values{"category": {"proprete"}, "location": {"Square central"}, "description": {"Dépôts sauvages."},
			"partner_name": {"Mairie"}, "partner_kind": {"mairie"}}
	case "POST /veille/technique/{id}/status":
		return url.Values{"status": {"pris_en_compte"}}
	case "POST /veille/remontees":
		return url.Values{"comment": {"Les démarches CAF bloquent sur l'identification."}}
	}
	return url.Values{}
}

func TestVeilleObservationPages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		med, coord := a.login(a.st.Mediator), a.login(a.st.Coordinator)
		home := med.get("/").wantStatus(http.StatusOK)
		if home.find(`nav a[href="/veille"]`).Length() != 1 {
			t.Error("no Veille entry in the navigation")
		}
		med.get("/veille/observations/new").wantStatus(http.StatusOK)
		form := url.Values{"observed_on": {"2026-03-09"}, "theme": {"voisinage"}, "kind": {"isolement"},
			"description": {"Une voisine signale que Mme Martin ne sort plus, son numéro : 06 12 34 56 78."},
			"source":      {"habitant"}, "reliability": {"a_confirmer"}}
		r := med.post("/veille/observations", form).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("description", "téléphone")
		r.wantFieldError(maillon.VeilleConfirmField, "cochez")
		if v := r.find("#f-description").Text(); !strings.Contains(v, "Mme Martin") {
			t.Errorf("input lost: %q", v)
		}
		// Missing fields: French messages, no confirmation box.
		r = med.post("/veille/observations", url.Values{"observed_on": {"2026-03-09"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("kind", "type")
		r.wantFieldError("description", "Indiquez")
		if r.find("#f-confirm-no-personal-data").Length() != 0 {
			t.Error("confirmation box shown without a warning")
		}
		form.Set("description", "Une personne âgée isolée ne sort plus depuis l'hiver, bâtiment B.")
		r = med.post("/veille/observations", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.status, r.text("main"))
		}
		loc := r.header.Get("Location")
		show := med.get(loc).wantStatus(http.StatusOK)
		if !strings.Contains(show.text("main"), "Isolement") || show.find(`a[href$="/edit"]`).Length() != 0 {
			t.Errorf("mediator show: %s", show.text("main"))
		}
		med.get(loc + "/edit").wantStatus(http.StatusForbidden)
		edit := coord.get(loc + "/edit").wantStatus(http.StatusOK)
		if v, _ := edit.find("#f-observed-on").Attr("value"); v != "2026-03-09" {
			t.Errorf("edit form day %q", v)
		}
		form.Del("csrf_token") // the mediator's
		form.Set("status", "close")
		form.Set("follow_up", "Signalé au CCAS, visite prévue.")
		coord.post(loc, form).wantRedirect(loc)
		form.Set("status", "en_suivi")
		coord.post(loc, form).wantStatus(http.StatusUnprocessableEntity).wantFieldError("status", "close")
		list := med.get("/veille?status=close").wantStatus(http.StatusOK)
		if list.find("table tbody tr").Length() != 1 {
			t.Errorf("filtered list: %s", list.text("main"))
		}
		med.get("/veille?kind=inconnu").wantStatus(http.StatusUnprocessableEntity).wantFieldError("kind", "liste")
	})
}

func TestVeilleRiskPages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		med, coord := a.login(a.st.Mediator), a.login(a.st.Coordinator)
		page := med.get("/veille/reseaux").wantStatus(http.StatusOK)
		for _, want := range []string{"PHAROS", "3018", "Aucun profil", "capture d'écran"} {
			if !strings.Contains(page.text("main"), want) {
				t.Errorf("rules do not mention %q", want)
			}
		}
		if page.find("#to-handle").Length() != 0 {
			t.Error("mediators see the coordination's list")
		}
		med.get("/veille/reseaux/new").wantStatus(http.StatusOK)
		r := med.post("/veille/reseaux", url.Values{"seriousness": {"7"}, "description": {"Écrire à harceleur@exemple.fr"}}).
			wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("seriousness", "1 (faible) à 4")
		r.wantFieldError("platform", "plateforme")
		form := url.Values{"seen_on": {"2026-03-10"}, "platform": {"snapchat"}, "category": {"cyberharcelement"}, "seriousness": {"3"},
			"public": {"jeunes"}, "minors_involved": {"on"}, "description": {"Vidéo humiliante d'un élève partagée dans un groupe."}}
		r = med.post("/veille/reseaux", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.status, r.text("main"))
		}
		loc := r.header.Get("Location")
		if flash := med.get(loc).text("main"); !strings.Contains(flash, "3018") {
			t.Errorf("no 3018 reminder: %s", flash)
		}
		todo := coord.get("/veille/reseaux").wantStatus(http.StatusOK)
		if todo.find(`#to-handle ~ ul a[href="`+loc+`"]`).Length() != 1 {
			t.Errorf("not in the coordination's list: %s", todo.text("main"))
		}
		med.post(loc+"/status", url.Values{"status": {"clos"}}).wantStatus(http.StatusForbidden)
		coord.post(loc+"/status", url.Values{"status": {"clos"}}).wantStatus(http.StatusUnprocessableEntity).
			wantFieldError("note", "Avant de clore")
		coord.post(loc+"/status", url.Values{"status": {"en_cours"}, "actions": {"3018", "etablissement"}}).wantRedirect(loc)
		if coord.get("/veille/reseaux").find(`#to-handle ~ ul a`).Length() != 0 {
			t.Error("still to handle after being taken in hand")
		}
	})
}

func TestVeilleTechPages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		med, coord := a.login(a.st.Mediator), a.login(a.st.Coordinator)
		med.get("/veille/technique/new").wantStatus(http.StatusOK)
		r := med.post("/veille/technique", url.Values{"category": {"ascenseur"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("partner_name", "partenaire")
		r.wantFieldError("location", "lieu")
		form := url.Values{"category": {"ascenseur"}, "location": {"Bâtiment C"}, "description": {"En panne."},
			"partner_name": {"Lyon Métropole Habitat"}, "partner_kind": {"bailleur"}, "reported_on": {"2026-03-02"}}
		r = med.post("/veille/technique", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.status, r.text("main"))
		}
		loc := r.header.Get("Location")
		med.post(loc+"/status", url.Values{"status": {"resolu"}}).wantStatus(http.StatusForbidden)
		coord.post(loc+"/status", url.Values{"status": {"resolu"}, "on": {"2026-03-01"}}).wantStatus(http.StatusUnprocessableEntity).
			wantFieldError("on", "précéder")
		coord.post(loc+"/status", url.Values{"status": {"pris_en_compte"}, "on": {"2026-03-04"}}).wantRedirect(loc)
		coord.post(loc+"/status", url.Values{"status": {"resolu"}, "on": {"2026-03-09"}}).wantRedirect(loc)
		show := med.get(loc).wantStatus(http.StatusOK)
		if !strings.Contains(show.text("main"), "7 jours après le signalement") {
			t.Errorf("delay not shown: %s", show.text("main"))
		}
		page := med.get("/veille/technique?partner=habitat&from=2026-03-01&to=2026-03-31").wantStatus(http.StatusOK)
		row := page.find(`#delays ~ .table-wrap tbody tr`)
		if row.Length() != 1 || !strings.Contains(row.Text(), "2 jours") || !strings.Contains(row.Text(), "7 jours") {
			t.Errorf("delays row: %q", row.Text())
		}
		med.get("/veille/technique?from=hier").wantStatus(http.StatusUnprocessableEntity).wantFieldError("from", "jj/mm/aaaa")
		med.get("/veille/technique?from=2026-03-10&to=2026-03-01").wantStatus(http.StatusUnprocessableEntity).wantFieldError("to", "précéder")
	})
}

// The report form finds the partner in the directory without a script:
// the search button brings the form back with the structures found and
// everything typed; the report then links to the directory entry.
func TestVeilleTechDirectoryPicker(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		id := importWebDirectory(t, a)
		med := a.login(a.st.Mediator)
		form := url.Values{"category": {"ascenseur"}, "location": {"Bâtiment C"}, "description": {"En panne."},
			"partner_kind": {"bailleur"}, "reported_on": {"2026-03-02"}, "dir_q": {"annuairemarqueur"}, "dir_search": {"1"}}
		r := med.post("/veille/technique", form).wantStatus(http.StatusOK)
		opt := r.find(`select[name="directory_structure_id"] option[value="` + strconv.FormatInt(int64(id), 10) + `"]`)
		if opt.Length() != 1 || !strings.Contains(opt.Text(), "Annuairemarqueur") {
			t.Fatalf("the search offers %q", r.find(`select[name="directory_structure_id"]`).Text())
		}
		if v, _ := r.find(`input[name="location"]`).Attr("value"); v != "Bâtiment C" {
			t.Errorf("the location typed was lost: %q", v)
		}
		form.Del("dir_search")
		form.Set("directory_structure_id", strconv.FormatInt(int64(id), 10))
		r = med.post("/veille/technique", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.status, r.text("main"))
		}
		show := med.get(r.header.Get("Location")).wantStatus(http.StatusOK)
		link := show.find(`a[href="/annuaire/structures/` + strconv.FormatInt(int64(id), 10) + `"]`)
		if link.Length() != 1 || !strings.Contains(link.Text(), "Annuairemarqueur") {
			t.Errorf("no link to the directory entry: %s", show.text("main"))
		}
		form.Set("directory_structure_id", "999999")
		med.post("/veille/technique", form).wantStatus(http.StatusUnprocessableEntity).wantFieldError("directory_structure_id", "annuaire")
	})
}

func TestVeilleRemonteePages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		med, coord := a.login(a.st.Mediator), a.login(a.st.Coordinator)
		p := ppPerson(t, a, a.st.Mediator, ppInput("Awa", "Remontée"))
		for i := 0; i < 6; i++ {
			in := maillon.InterventionInput{Date: "2026-03-02", Time: "10:" + strconv.Itoa(10+i), Minutes: "30",
				Mediators: []maillon.UserID{a.st.Mediator.ID}, PlaceType: "permanence", Registre: "acces_droits", Initiative: "personne",
				Persons: []maillon.PersonID{p.ID}, Procedures: []maillon.ProcedureInput{{PersonID: p.ID, Organisme: "caf", Label: "Prime",
					Channel: "en_ligne", Mode: "faire_avec", Obstacles: []string{"identification"}, Outcome: "attente"}}}
			if i == 0 {
				in.Procedures[0].Obstacles = append(in.Procedures[0].Obstacles, "langue")
			}
			if _, err := a.db.CreateIntervention(bg, actorOf(a.st.Mediator), in); err != nil {
				t.Fatal(err)
			}
		}
		page := med.get("/veille/remontees").wantStatus(http.StatusOK)
		if page.find(`form[method="post"][action="/veille/remontees"]`).Length() != 0 {
			t.Error("mediators are offered the report form")
		}
		if rows := page.find("#figures ~ .table-wrap tbody tr, #figures + p + .table-wrap tbody tr"); rows.Length() == 0 {
			t.Errorf("no figures: %s", page.text("main"))
		}
		med.get("/veille/remontees?from=2026-03-31&to=2026-03-01").wantStatus(http.StatusUnprocessableEntity).wantFieldError("to", "précéder")
		coord.get("/veille/remontees?from=2026-03-01&to=2026-03-31&organisme=caf").wantStatus(http.StatusOK)
		r := coord.post("/veille/remontees", url.Values{"from": {"2026-03-01"}, "to": {"2026-03-31"}, "organisme": {"caf"}}).
			wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("comment", "commentaire")
		r = coord.post("/veille/remontees", url.Values{"from": {"2026-03-01"}, "to": {"2026-03-31"}, "organisme": {"caf"},
			"comment": {"L'identification bloque les demandes de prime."}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create report: %d %s", r.status, r.text("main"))
		}
		rep := med.get(r.header.Get("Location")).wantStatus(http.StatusOK)
		body := rep.text("main")
		if !strings.Contains(body, "L'identification bloque") || !strings.Contains(body, "< 5") {
			t.Errorf("report: %s", body)
		}
		cells := rep.find("tbody td.num")
		if cells.Length() != 2 || strings.TrimSpace(cells.Eq(0).Text()) != "6" || strings.TrimSpace(cells.Eq(1).Text()) != "< 5" {
			t.Errorf("report cells: %q", cells.Text())
		}
	})
}

func TestVeilleAccessibilityBasics(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a11yFixture(t, a)
		med, coord := storetest.Actor(a.st.Mediator), storetest.Actor(a.st.Coordinator)
		o, err := a.db.CreateObservation(ctx, med, veilleObservation("Tension le soir près de l'arrêt de bus."))
		if err != nil {
			t.Fatal(err)
		}
		risk, err := a.db.CreateRiskReport(ctx, med, maillon.RiskReportInput{Platform: "tiktok", Category: "rumeur", Seriousness: "4",
			Public: "mineurs", Description: "Rumeur d'une bagarre organisée à la sortie du collège."})
		if err != nil {
			t.Fatal(err)
		}
		tech, err := a.db.CreateTechReport(ctx, med, maillon.TechReportInput{Category: "eclairage", Location: "Allée des Roses",
			Description: "Lampadaires éteints.", PartnerName: "Mairie", PartnerKind: "mairie"})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := a.db.CreateRemonteeReport(ctx, coord, maillon.RemonteeReportInput{Comment: "Rien de notable ce mois-ci."})
		if err != nil {
			t.Fatal(err)
		}
		c := a.login(a.st.Coordinator)
		for _, p := range []string{"/veille", "/veille/observations/new", idPath("/veille/observations", int64(o.ID), ""),
			idPath("/veille/observations", int64(o.ID), "/edit"), "/veille/reseaux", "/veille/reseaux/new",
			idPath("/veille/reseaux", int64(risk.ID), ""), "/veille/technique", "/veille/technique/new",
			idPath("/veille/technique", int64(tech.ID), ""), "/veille/remontees", idPath("/veille/remontees", int64(rep.ID), "")} {
			checkA11y(t, "coordinator "+p, c.get(p).wantStatus(http.StatusOK))
		}
		// The error states, the personal-data warning included.
		for _, f := range []struct{ path string }{{"/veille/observations"}, {"/veille/reseaux"}, {"/veille/technique"},
			{idPath("/veille/reseaux", int64(risk.ID), "/status")}, {idPath("/veille/technique", int64(tech.ID), "/status")},
			{"/veille/remontees"}, {idPath("/veille/observations", int64(o.ID), "")}} {
			r := c.post(f.path, url.Values{"description": {"Voir Karim Benali au 06 12 34 56 78."}}).wantStatus(http.StatusUnprocessableEntity)
			checkA11y(t, "coordinator error state of "+f.path, r)
		}
		for _, p := range []string{"/veille?kind=x", "/veille/reseaux?status=x", "/veille/technique?from=x", "/veille/remontees?to=x"} {
			checkA11y(t, "coordinator "+p, c.get(p).wantStatus(http.StatusUnprocessableEntity))
		}
	})
}
