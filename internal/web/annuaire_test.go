package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

const webDirectory = `[
 {"source":"dora","id":"dora--1","nom":"Épicerie Annuairemarqueur","date_maj":"2026-03-01","latitude":45.70,"longitude":4.89,
  "code_insee":"69123","commune":"Lyon","horaires_accueil":"Mo-Fr 09:00-12:00; PH off","reseaux_porteurs":["ccas-cias"]},
 {"source":"dora","id":"dora--s1","structure_id":"dora--1","nom":"Colis alimentaires","date_maj":"2026-03-01",
  "description":"Épicerie à petits prix pour les familles.","frais":"payant","publics":["familles"],
  "thematiques":["equipement-et-alimentation--alimentation"],"code_insee":"69123","horaires_accueil":"Tu 14:00-18:00"}
]`

// importWebDirectory fills a.st's directory and returns its structure.
func importWebDirectory(t *testing.T, a *app) maillon.DirectoryStructureID {
	t.Helper()
	ds, err := maillon.ParseDataInclusionJSON([]byte(webDirectory))
	if err != nil {
		t.Fatal(err)
	}
	coord := storetest.Actor(a.st.Coordinator)
	if _, err := a.db.ImportDirectory(context.Background(), coord, 0, ds, nil); err != nil {
		t.Fatal(err)
	}
	list, _, err := a.db.FindDirectoryStructures(context.Background(), coord, "", 0, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("directory: %v %v", list, err)
	}
	return list[0].ID
}

func newAzDirectoryFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	fx.dirStructure = int64(importWebDirectory(t, fx.a))
	fx.markers = append(fx.markers, "Annuairemarqueur")
}

// azDirectoryProposal makes a fresh open proposal for the close route.
func (fx *azFixtures) azDirectoryProposal() int64 {
	ctx := context.Background()
	med := storetest.Actor(fx.a.st.Mediator)
	if err := fx.a.db.ProposeDirectoryUpdate(ctx, med, maillon.DirectoryStructureID(fx.dirStructure), "Horaires changés."); err != nil {
		fx.t.Fatal(err)
	}
	ps, err := fx.a.db.FindDirectoryProposals(ctx, storetest.Actor(fx.a.st.Coordinator))
	if err != nil || len(ps) == 0 {
		fx.t.Fatalf("proposals: %v %v", ps, err)
	}
	return int64(ps[len(ps)-1].ID)
}

func TestDirectoryPages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		id := importWebDirectory(t, a)
		med, coord := a.login(a.st.Mediator), a.login(a.st.Coordinator)

		// Search, accent-insensitive, with filters and the distance.
		r := med.get("/annuaire?q=EPICERIE&thematique=equipement-et-alimentation&frais=payant").wantStatus(http.StatusOK)
		checkA11y(t, "annuaire", r)
		if !strings.Contains(r.text("table"), "Colis alimentaires") || !strings.Contains(r.text("caption"), "1 service") {
			t.Errorf("search: %s", r.text("main"))
		}
		if r.find(`a[href="/annuaire/revue"]`).Length() != 0 {
			t.Error("a mediator is offered the review queue")
		}
		r = med.get("/annuaire?q=colis&near=69123").wantStatus(http.StatusOK)
		if !strings.Contains(r.text("table"), " m") {
			t.Errorf("no distance shown: %s", r.text("table"))
		}
		r = med.get("/annuaire?q=inexistant").wantStatus(http.StatusOK)
		if !strings.Contains(r.text("main"), "Aucun service ne correspond") {
			t.Errorf("empty search: %s", r.text("main"))
		}
		// A forged filter is a 422 with the message by the field.
		r = med.get("/annuaire?thematique=pirate").wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "annuaire in error", r)
		if !strings.Contains(r.text(".error-summary"), "Thématique inconnue") {
			t.Errorf("bad filter: %s", r.text("main"))
		}

		// The structure's page: hours in French, services, no contact.
		page := "/annuaire/structures/" + strconv.FormatInt(int64(id), 10)
		r = med.get(page).wantStatus(http.StatusOK)
		checkA11y(t, "annuaire structure", r)
		for _, want := range []string{"Du lundi au vendredi : de 9 h à 12 h", "Fermé les jours fériés", "Colis alimentaires",
			"Mardi : de 14 h à 18 h", "Aucun contact nommé", "Jamais vérifiée"} {
			if !strings.Contains(r.text("main"), want) {
				t.Errorf("structure page lacks %q: %s", want, r.text("main"))
			}
		}
		if r.find(`form[action$="/verify"]`).Length() != 0 {
			t.Error("a mediator is offered the verification")
		}
		// A mediator proposes; an empty proposal is re-shown with its error.
		r = med.post(page+"/proposals", url.Values{"text": {"  "}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "annuaire proposal in error", r)
		if r.find("#f-text[aria-invalid=true]").Length() != 1 {
			t.Errorf("empty proposal: %s", r.text("main"))
		}
		med.post(page+"/proposals", url.Values{"text": {"Fermé le mardi désormais."}}).wantStatus(http.StatusSeeOther)

		// The coordinator adds a contact, a convention and a closure;
		// invalid input comes back with its message by the field.
		r = coord.post(page+"/contacts", url.Values{"name": {"Claire Martin"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "annuaire contact in error", r)
		if r.find("#f-phone[aria-invalid=true]").Length() != 1 || r.find("details[open] #f-name").Length() != 1 {
			t.Errorf("contact without phone nor e-mail: %s", r.text("main"))
		}
		coord.post(page+"/contacts", url.Values{"name": {"Claire Martin"}, "role": {"Directrice"}, "email": {"claire@partenaire.exemple.fr"}}).wantStatus(http.StatusSeeOther)
		r = coord.post(page+"/relations", url.Values{"kind": {"convention"}, "title": {"Convention"}, "date": {"hier"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "annuaire relation in error", r)
		coord.post(page+"/relations", url.Values{"kind": {"convention"}, "title": {"Convention d'orientation"}, "date": {"2026-01-15"},
			"end_date": {"2026-12-31"}, "documents": {"CONV-2026-07"}}).wantStatus(http.StatusSeeOther)
		r = coord.post(page+"/temporary", url.Values{"temp_kind": {"horaires"}, "temp_message": {"Horaires d'été"}, "temp_hours": {"le matin"},
			"temp_from": {"2026-03-01"}, "temp_until": {"2026-03-31"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "annuaire temporary in error", r)
		if r.find("#f-temp-hours[aria-invalid=true]").Length() != 1 {
			t.Errorf("bad temporary hours: %s", r.text("main"))
		}
		coord.post(page+"/temporary", url.Values{"temp_kind": {"horaires"}, "temp_message": {"Horaires d'été"}, "temp_hours": {"Mo-Fr 09:00-12:00"},
			"temp_from": {"2026-03-01"}, "temp_until": {"2026-03-31"}}).wantStatus(http.StatusSeeOther)
		r = med.get(page).wantStatus(http.StatusOK)
		for _, want := range []string{"Claire Martin, Directrice", "CONV-2026-07", "Horaires modifiés", "Horaires d'été"} {
			if !strings.Contains(r.text("main"), want) {
				t.Errorf("structure page lacks %q after the coordinator's changes: %s", want, r.text("main"))
			}
		}
		if r.find(`form[action$="/contacts"]`).Length() != 0 {
			t.Error("a mediator is offered the contact form")
		}
		if body := med.get("/annuaire/export?kind=structures&format=json").body; strings.Contains(body, "Claire") || strings.Contains(body, "CONV-") {
			t.Error("the export holds internal contacts or relations")
		}

		// The coordinator verifies and handles the proposal.
		coord.post(page+"/verify", url.Values{}).wantStatus(http.StatusSeeOther)
		r = coord.get(page).wantStatus(http.StatusOK)
		if strings.Contains(r.text("main"), "Jamais vérifiée") || !strings.Contains(r.text(".badge"), "Fiche à jour") {
			t.Errorf("after verification: %s", r.text("main"))
		}
		r = coord.get("/annuaire/revue").wantStatus(http.StatusOK)
		checkA11y(t, "annuaire review", r)
		if !strings.Contains(r.text("main"), "Fermé le mardi désormais.") {
			t.Errorf("review page: %s", r.text("main"))
		}
		action, _ := r.find(`form[action^="/annuaire/proposals/"]`).Attr("action")
		coord.post(action, url.Values{"accepted": {"1"}}).wantStatus(http.StatusSeeOther)
		if r = coord.get("/annuaire/revue"); !strings.Contains(r.text("main"), "Aucune proposition en attente") {
			t.Errorf("proposal still open: %s", r.text("main"))
		}

		// Export: v1 objects, as a download.
		r = med.get("/annuaire/export?kind=services&format=json").wantStatus(http.StatusOK)
		var objs []map[string]any
		if err := json.Unmarshal([]byte(r.body), &objs); err != nil || len(objs) != 1 || objs[0]["id"] != "dora--s1" {
			t.Errorf("services.json: %v %s", err, r.body)
		}
		if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "services.json") {
			t.Errorf("Content-Disposition = %q", cd)
		}
		r = med.get("/annuaire/export?kind=structures&format=csv").wantStatus(http.StatusOK)
		if !strings.HasPrefix(r.body, "source,id,nom") {
			t.Errorf("structures.csv: %s", r.body)
		}
		med.get("/annuaire/export?kind=contacts&format=json").wantStatus(http.StatusNotFound)
	})
}

// The orientation form picks its partner from the directory without
// script: a search, then a link that fills the partner's fields.
func TestOrientationPicksDirectoryService(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		importWebDirectory(t, a)
		med := a.login(a.st.Mediator)
		r := med.get("/orientations/new?annuaire_q=colis").wantStatus(http.StatusOK)
		checkA11y(t, "orientation form with directory results", r)
		href, ok := r.find(`section[aria-labelledby=annuaire-pick] a[href^="/orientations/new?"]`).Attr("href")
		if !ok {
			t.Fatalf("no directory result: %s", r.text("main"))
		}
		r = med.get(href).wantStatus(http.StatusOK)
		if v, _ := r.find("#f-partner-name").Attr("value"); v != "Épicerie Annuairemarqueur – Colis alimentaires" {
			t.Errorf("partner_name = %q", v)
		}
		// The orientation keeps the service it was picked from, and its
		// page links to the directory entry, even after a 422.
		svc, _ := r.find(`input[name=directory_service_id]`).Attr("value")
		if svc == "" {
			t.Fatalf("no directory service in the form: %s", r.text("main form"))
		}
		post := url.Values{"partner_name": {"Épicerie Annuairemarqueur – Colis alimentaires"}, "reason": {""}, "mode": {"personne"},
			"directory_service_id": {svc}}
		r = med.post("/orientations", post).wantStatus(http.StatusUnprocessableEntity)
		if v, _ := r.find(`input[name=directory_service_id]`).Attr("value"); v != svc {
			t.Errorf("service lost on a 422: %q", v)
		}
		post.Set("reason", "Aide alimentaire")
		r = med.post("/orientations", post).wantStatus(http.StatusSeeOther)
		r = med.get(r.header.Get("Location")).wantStatus(http.StatusOK)
		link, _ := r.find(`a[href^="/annuaire/structures/"]`).Attr("href")
		if !strings.HasSuffix(link, "#service-"+svc) {
			t.Errorf("no link to the directory entry: %q %s", link, r.text("main"))
		}
		// A forged service of no directory is dropped, not an error.
		post.Set("directory_service_id", "999999")
		r = med.post("/orientations", post).wantStatus(http.StatusSeeOther)
		if r = med.get(r.header.Get("Location")); r.find(`a[href^="/annuaire/structures/"]`).Length() != 0 {
			t.Error("a forged service is linked")
		}
		r = med.get("/orientations/new?annuaire_q=introuvable").wantStatus(http.StatusOK)
		if !strings.Contains(r.text("section[aria-labelledby=annuaire-pick]"), "Aucun service") {
			t.Errorf("no result: %s", r.text("section[aria-labelledby=annuaire-pick]"))
		}
	})
}

// azDirectoryID gives the {id} of the service and contact routes: the
// fixture structure's service, or a fresh contact to remove.
func (fx *azFixtures) azDirectoryID(key string) int64 {
	ctx := context.Background()
	coord := storetest.Actor(fx.a.st.Coordinator)
	sid := maillon.DirectoryStructureID(fx.dirStructure)
	if strings.Contains(key, "/annuaire/services/") {
		s, err := fx.a.db.FindDirectoryStructure(ctx, coord, sid)
		if err != nil || len(s.Services) == 0 {
			fx.t.Fatalf("directory service fixture: %v", err)
		}
		return int64(s.Services[0].ID)
	}
	if err := fx.a.db.AddDirectoryContact(ctx, coord, maillon.DirectoryContact{StructureID: sid, Name: "Contact à retirer", Email: "retirer@partenaire.exemple.fr"}); err != nil {
		fx.t.Fatal(err)
	}
	cs, err := fx.a.db.FindDirectoryContacts(ctx, coord, sid)
	if err != nil || len(cs) == 0 {
		fx.t.Fatalf("contacts: %v", err)
	}
	var last maillon.DirectoryContactID
	for _, c := range cs {
		last = max(last, c.ID)
	}
	return int64(last)
}
