package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// TestAgendaEditAndDelete: the edit form comes prefilled, keeps every
// value on error, says when a presence was cleared; the deletion asks
// first and is refused once a presence is recorded.
func TestAgendaEditAndDelete(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		now := a.db.Clock.Now() // Tuesday 10 March 2026, 10:30 in Paris
		p := ppPerson(t, a, a.st.Mediator, ppInput("Awa", "Diallo"))
		in := agInput(maillon.AgendaRendezVous, now.Add(-24*time.Hour), 45, a.st.Mediator.ID)
		in.PersonID = p.ID
		rdv := agMust(t, a, a.st.Mediator, in)
		loc := "/agenda/" + strconv.FormatInt(int64(rdv.ID), 10)
		med := a.login(a.st.Mediator)
		med.post(loc+"/attendance", url.Values{"attendance": {"venu"}}).wantStatus(http.StatusSeeOther)

		show := med.get(loc).wantStatus(http.StatusOK)
		for _, href := range []string{loc + "/edit", loc + "/delete"} {
			if show.find(`main a[href="`+href+`"]`).Length() != 1 {
				t.Errorf("no link to %s on the event's page", href)
			}
		}
		form := med.get(loc + "/edit").wantStatus(http.StatusOK)
		form.wantContains("h1", "Modifier l'événement")
		checkA11y(t, "agenda edit form", form)
		for sel, want := range map[string]string{"#f-date": "2026-03-09", "#f-time": "10:30", "#f-end-time": "11:15", "#f-purpose": "Dossier de retraite"} {
			if v, _ := form.find(sel).Attr("value"); v != want {
				t.Errorf("%s = %q, want %q", sel, v, want)
			}
		}
		if form.find(`input[name="person_id"][value="`+strconv.FormatInt(int64(p.ID), 10)+`"][checked]`).Length() != 1 {
			t.Error("the named person is not chosen in the edit form")
		}
		if a, _ := form.find(`main form[method="post"]`).Attr("action"); a != loc+"/edit" {
			t.Errorf("edit form posts to %q", a)
		}

		// Errors keep every value.
		mediator := strconv.FormatInt(int64(a.st.Mediator.ID), 10)
		bad := url.Values{"kind": {"rendez_vous"}, "person_id": {strconv.FormatInt(int64(p.ID), 10)}, "date": {"2026-03-17"},
			"time": {"15:00"}, "end_time": {"14:00"}, "purpose": {"Nouvel objet"}, "documents": {"RIB <b>"}, "mediators": {mediator}}
		r := med.post(loc+"/edit", bad).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("end_time", "suivre")
		checkA11y(t, "agenda edit form in error", r)
		if v, _ := r.find(`#f-documents`).Attr("value"); v != "RIB <b>" {
			t.Errorf("documents not kept: %q", v)
		}
		if r.find(`input[name="person_id"][value="`+strconv.FormatInt(int64(p.ID), 10)+`"][checked]`).Length() != 1 {
			t.Error("the chosen person is lost on error")
		}

		// A choice that does not parse is refused before the store, and
		// nothing is saved.
		badPlace := url.Values{}
		for k, v := range bad {
			badPlace[k] = v
		}
		badPlace.Set("end_time", "16:00")
		badPlace.Set("place", "x1")
		med.post(loc+"/edit", badPlace).wantStatus(http.StatusUnprocessableEntity).wantFieldError("place", "liste")
		if e, err := a.db.FindAgendaEvent(bg, actorOf(a.st.Mediator), rdv.ID); err != nil || e.Purpose != rdv.Purpose {
			t.Errorf("a refused edit was saved: %+v %v", e, err)
		}

		// Moved to the future: saved, the presence cleared, and said so.
		good := url.Values{}
		for k, v := range bad {
			good[k] = v
		}
		good.Set("end_time", "16:00")
		med.post(loc+"/edit", good).wantStatus(http.StatusSeeOther).wantRedirect(loc)
		page := med.get(loc).wantStatus(http.StatusOK)
		page.wantFlash("présence indiquée a été effacée")
		page.wantContains("main", "mardi 17 mars 2026", "Nouvel objet")
		if strings.Contains(page.text("main"), "Venu") {
			t.Error("the presence is still shown after the move to the future")
		}
		// An edit without a move keeps a plain message.
		good.Set("purpose", "Objet encore changé")
		med.post(loc+"/edit", good).wantStatus(http.StatusSeeOther)
		med.get(loc).wantFlash("L'événement a été modifié.")
		// The iCal copy carries the edits: a new SEQUENCE and the time.
		ics := med.get(loc + "/export.ics").wantStatus(http.StatusOK)
		icalParse(t, ics.body)
		for _, want := range []string{"SEQUENCE:2\r\n", "DTSTART:20260317T140000Z\r\n"} {
			if !strings.Contains(ics.body, want) {
				t.Errorf("export after two edits lacks %q:\n%s", want, ics.body)
			}
		}

		// Another mediator may read the event, not change it.
		other := a.login(storetest.MustCreateUser(t, a.db, a.st.ID, maillon.RoleMediateur))
		other.get(loc + "/edit").wantStatus(http.StatusForbidden)
		other.post(loc+"/edit", withoutToken(good)).wantStatus(http.StatusForbidden).wantContains("main", "coordination")
		// (post adds the client's form token to the values: one map each.)
		search := func() url.Values { return url.Values{"person_q": {"diallo"}, "search": {"1"}} }
		other.post(loc+"/edit", search()).wantStatus(http.StatusForbidden).wantContains("main", "coordination")
		other.post(loc+"/edit", withoutToken(badPlace)).wantStatus(http.StatusForbidden).wantContains("main", "coordination")
		stranger := a.login(a.other.Admin)
		stranger.post(loc+"/edit", search()).wantStatus(http.StatusNotFound)
		// The search works in the edit form too.
		med.post(loc+"/edit", search()).wantStatus(http.StatusOK).wantContains("main [role=status]", "1 personne trouvée")
		other.get(loc + "/delete").wantStatus(http.StatusForbidden)
		other.post(loc+"/delete", url.Values{}).wantStatus(http.StatusForbidden).wantContains("main", "coordination")

		// Deletion: a confirmation page, refused once a presence exists.
		a.db.Clock.Set(time.Date(2026, 3, 17, 17, 0, 0, 0, time.UTC))
		med = a.login(a.st.Mediator)
		med.post(loc+"/attendance", url.Values{"attendance": {"absent"}}).wantStatus(http.StatusSeeOther)
		confirm := med.get(loc + "/delete").wantStatus(http.StatusOK)
		confirm.wantContains(".notice--error", "annulé")
		checkA11y(t, "agenda delete refused", confirm)
		r = med.post(loc+"/delete", url.Values{}).wantStatus(http.StatusUnprocessableEntity)
		r.wantContains(".notice--error", "annulé")
		checkA11y(t, "agenda delete in error", r)

		fresh := agMust(t, a, a.st.Mediator, agInput(maillon.AgendaReunion, a.db.Clock.Now().Add(48*time.Hour), 60, a.st.Mediator.ID))
		floc := "/agenda/" + strconv.FormatInt(int64(fresh.ID), 10)
		confirm = med.get(floc + "/delete").wantStatus(http.StatusOK)
		confirm.wantContains("h1", "Supprimer l'événement")
		checkA11y(t, "agenda delete confirmation", confirm)
		if confirm.find(`form[action="`+floc+`/delete"] button[type="submit"]`).Length() != 1 {
			t.Error("no delete button on the confirmation page")
		}
		med.post(floc+"/delete", url.Values{}).wantStatus(http.StatusSeeOther).wantRedirect("/agenda")
		med.get("/agenda").wantFlash("supprimé")
		med.get(floc).wantStatus(http.StatusNotFound)
	})
}

// TestAgendaPersonSearch: the form's "Chercher" button brings the form
// back with the people found, every value kept, without JavaScript; the
// consent gate answers next to the field.
func TestAgendaPersonSearch(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		p := ppPerson(t, a, a.st.Mediator, ppInput("Awa", "Diallo"))
		archived := ppPerson(t, a, a.st.Mediator, ppInput("Ines", "Diallo"))
		if err := a.db.SetPersonArchived(bg, actorOf(a.st.Mediator), archived.ID, true); err != nil {
			t.Fatal(err)
		}
		med := a.login(a.st.Mediator)
		form := med.get("/agenda/new").wantStatus(http.StatusOK)
		if form.find(`#f-person-q`).Length() != 1 || form.find(`button[name="search"]`).Length() != 1 {
			t.Fatal("no person search in the agenda form")
		}
		mediator := strconv.FormatInt(int64(a.st.Mediator.ID), 10)
		v := url.Values{"kind": {"rendez_vous"}, "person_q": {"diallo"}, "search": {"1"}, "date": {"2026-03-12"}, "time": {"14:30"},
			"end_time": {"15:15"}, "purpose": {"Dossier CAF"}, "documents": {"RIB"}, "mediators": {mediator}}
		r := med.post("/agenda", v).wantStatus(http.StatusOK)
		r.wantContains("main [role=status]", "1 personne trouvée")
		checkA11y(t, "agenda form with people found", r)
		if r.find(`input[name="person_id"][value="`+strconv.FormatInt(int64(p.ID), 10)+`"]`).Length() != 1 {
			t.Errorf("the person found is not offered: %s", r.text("main"))
		}
		for sel, want := range map[string]string{"#f-purpose": "Dossier CAF", "#f-documents": "RIB", "#f-time": "14:30", "#f-person-q": "diallo"} {
			if got, _ := r.find(sel).Attr("value"); got != want {
				t.Errorf("%s = %q after the search, want %q", sel, got, want)
			}
		}
		if r.find(`input[name="mediators"][value="`+mediator+`"][checked]`).Length() != 1 {
			t.Error("the mediators are lost by the search")
		}
		// A query too long: a message next to the field, values kept.
		v.Set("person_q", strings.Repeat("a", 300))
		r = med.post("/agenda", v).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("person_q", "250")
		checkA11y(t, "agenda person search in error", r)
		// Nobody found: said so, no radio.
		v.Set("person_q", "zzzz")
		r = med.post("/agenda", v).wantStatus(http.StatusOK)
		r.wantContains("main [role=status]", "Aucune personne")
		// Choosing the one found saves the rendez-vous with their name.
		v.Del("search")
		v.Set("person_id", strconv.FormatInt(int64(p.ID), 10))
		loc := med.post("/agenda", v).wantStatus(http.StatusSeeOther).header.Get("Location")
		med.get(loc).wantContains("main", "Awa Diallo")
		// The consent gate: an archived file cannot be named.
		v.Set("person_id", strconv.FormatInt(int64(archived.ID), 10))
		r = med.post("/agenda", v).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("person_id", "accord")
		checkA11y(t, "agenda form naming a person without consent", r)
		// The search is audited as a search of people.
		entries, _, err := a.db.FindAuditEntries(bg, actorOf(a.st.Admin), maillon.AuditFilter{Action: maillon.AuditPersonSearch, Limit: 10})
		if err != nil || len(entries) < 2 {
			t.Errorf("searches audited: %d %v", len(entries), err)
		}
	})
}

// withoutToken copies a form sent by another client, without its form
// token (post adds the sender's to the map).
func withoutToken(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		if k != "csrf_token" {
			out[k] = x
		}
	}
	return out
}
