package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"maillon"
)

// jnFixture puts the structure's mediator in the team of the intervention
// fixture and records a day of activity: Tuesday 10 March 2026 (the
// clock's day) and the evening before.
type jnFixture struct {
	*ivFixture
	binome, alone, evening *maillon.Intervention
	team                   string // the team's ID
}

func newJnFixture(t *testing.T, a *app) *jnFixture {
	t.Helper()
	fx := &jnFixture{ivFixture: newIvFixture(t, a)}
	fx.team = ivID(fx.ivFixture.team.ID)
	if err := a.db.UpdateUser(bg, actorOf(a.st.Admin), a.st.Mediator.ID, maillon.UserUpdate{TeamID: &fx.ivFixture.team.ID}); err != nil {
		t.Fatal(err)
	}
	fx.binome = ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Date: "2026-03-10", Time: "09:00", Minutes: "90",
		Mediators: []maillon.UserID{a.st.Mediator.ID, fx.colleague.ID}, Persons: []maillon.PersonID{fx.person.ID},
		PlaceType: "domicile", CommuneID: fx.commune.ID, ZoneID: fx.zone.ID, PlaceLabel: "Bâtiment B",
		Anonymous: []maillon.AnonymousCount{{AgeBand: "26_44", Gender: "femme", Count: 2}},
		Procedures: []maillon.ProcedureInput{{Organisme: "caf", TypeID: fx.rsa, Channel: "en_ligne", Mode: "faire_avec",
			Obstacles: []string{"connexion"}}}})
	fx.alone = ivMustIntervention(t, a, fx.colleague, maillon.InterventionInput{Date: "2026-03-10", Time: "10:00"})
	fx.evening = ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Date: "2026-03-09", Time: "20:00", Minutes: "45"})
	return fx
}

func TestJournalOfAMediator(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newJnFixture(t, a)
		med := ivID(a.st.Mediator.ID)
		c := a.login(a.st.Mediator)
		r := c.get("/journal").wantStatus(http.StatusOK)
		checkA11y(t, "main courante of a mediator", r)
		r.wantContains("h1", "Main courante", a.st.Mediator.DisplayName, "mardi 10 mars 2026")
		r.wantContains(`.main-nav a[aria-current="page"]`, "Main courante")
		if v := ivSelected(r, "scope"); v != "m"+med {
			t.Errorf("scope selected = %q, want m%s", v, med)
		}
		r.wantContains("#journal-totals + ul", "1 1 h 30 min d'intervention", "0 tout dans les horaires", "3 1 avec dossier, 2 sans dossier",
			"1 1 obstacle rencontré", "Pas de connexion : 1")
		r.wantContains("#journal-entries-caption", "1 intervention dans l'ordre de la journée")
		row := r.text("#journal-entries-caption ~ tbody tr")
		for _, w := range []string{"9 h 00", "1 h 30 min", "Accueil", "Domicile", "Minguettes, Bâtiment B", "Karim Binôme", "Awa Diallo", "2 sans dossier"} {
			if !strings.Contains(row, w) {
				t.Errorf("row = %q, want %q", row, w)
			}
		}
		if r.find(`a[href="/interventions/`+ivID(fx.binome.ID)+`"]`).Length() != 1 || r.find(`a[href="/people/`+ivID(fx.person.ID)+`"]`).Length() != 1 {
			t.Error("the entry does not link to its intervention and person")
		}
		if got, _ := r.find(`a[rel="prev"]`).Attr("href"); got != "/journal?day=2026-03-09&mediator="+med {
			t.Errorf("previous day = %q", got)
		}
		if r.find(`a[rel="next"]`).Length() != 0 {
			t.Error("a next day is offered beyond today")
		}
		if r.find(`form[action="/journal/comment"]`).Length() != 0 {
			t.Error("a mediator is offered the comment form")
		}
		r.wantContains("#journal-comment + p", "Pas de commentaire")
		// The day before: the evening outside office hours, and a way
		// back to today.
		r = c.get("/journal?day=2026-03-09&mediator=" + med).wantStatus(http.StatusOK)
		r.wantContains("h1", "lundi 9 mars 2026")
		r.wantContains("#journal-entries-caption ~ tbody", "20 h 00", "Hors horaires")
		r.wantContains("#journal-totals + ul", "1 45 min hors des horaires")
		if got, _ := r.find(`a[rel="next"]`).Attr("href"); got != "/journal?day=2026-03-10&mediator="+med {
			t.Errorf("next day = %q", got)
		}
		// Their team: the binôme once, and the colleague's intervention.
		r = c.get("/journal?team=" + fx.team).wantStatus(http.StatusOK)
		r.wantContains("h1", "Équipe Nord")
		r.wantContains("#journal-entries-caption", "2 interventions de l'équipe")
		if v := ivSelected(r, "scope"); v != "t"+fx.team {
			t.Errorf("scope selected = %q", v)
		}
		opts := r.text("#f-scope")
		if !strings.Contains(opts, "Ma journée") || !strings.Contains(opts, "Mon équipe (Équipe Nord)") || strings.Contains(opts, "Karim") {
			t.Errorf("a mediator may choose %q", opts)
		}
		// The form's select reads the same.
		c.get("/journal?day=2026-03-10&scope=t"+fx.team).wantStatus(http.StatusOK).wantContains("h1", "Équipe Nord")
		// Nobody else's day, and no comment.
		c.get("/journal?mediator=" + ivID(fx.colleague.ID)).wantStatus(http.StatusForbidden)
		c.get("/journal?team=" + ivID(mustTeam(t, a, a.other.Admin, "Équipe Ailleurs").ID)).wantStatus(http.StatusNotFound)
		c.post("/journal/comment", url.Values{"day": {"2026-03-10"}, "team": {fx.team}, "comment": {"Pirate"}}).wantStatus(http.StatusForbidden)

		// Another structure's administrator opens their own team's day,
		// and nothing of this one.
		o := a.login(a.other.Admin)
		r = o.get("/journal").wantStatus(http.StatusOK)
		r.wantContains("h1", "Équipe Ailleurs")
		o.get("/journal?team=" + fx.team).wantStatus(http.StatusNotFound)
		o.get("/journal?mediator=" + med).wantStatus(http.StatusNotFound)
	})
}

func TestJournalCommentByTheCoordination(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newJnFixture(t, a)
		c := a.login(a.st.Coordinator)
		// Without a team of their own, the coordinator opens the first
		// team's day.
		r := c.get("/journal").wantStatus(http.StatusOK)
		r.wantContains("h1", "Équipe Nord")
		checkA11y(t, "main courante of a team, for the coordination", r)
		opts := r.text("#f-scope")
		for _, w := range []string{"Équipe Nord", "Karim Binôme", a.st.Coordinator.DisplayName + " (moi)"} {
			if !strings.Contains(opts, w) {
				t.Errorf("scopes %q, want %q", opts, w)
			}
		}
		back := "/journal?day=2026-03-10&team=" + fx.team
		form := url.Values{"day": {"2026-03-10"}, "team": {fx.team}, "comment": {"  Matinée chargée au Minguettes.\nRelais CAF à prévoir.  "}}
		c.post("/journal/comment", form).wantRedirect(back)
		r = c.get(back).wantFlash("enregistré")
		r.wantContains(".note", "Matinée chargée au Minguettes.", a.st.Coordinator.DisplayName, "10 mars 2026")
		if got := r.find("#f-comment").Text(); got != "Matinée chargée au Minguettes.\nRelais CAF à prévoir." {
			t.Errorf("comment field = %q", got)
		}
		if r.find(`form[action="/journal/comment"] input[name="clear"]`).Length() != 1 {
			t.Error("no button to clear the comment")
		}
		// The team's mediator reads it, without the form.
		m := a.login(a.st.Mediator)
		r = m.get(back).wantStatus(http.StatusOK)
		r.wantContains(".note", "Relais CAF à prévoir.")
		if r.find(`form[action="/journal/comment"]`).Length() != 0 {
			t.Error("the mediator is offered the comment form")
		}

		// Refusals: the message next to the field, the page in French.
		long := url.Values{"day": {"2026-03-10"}, "team": {fx.team}, "comment": {strings.Repeat("a", maillon.MaxLongTextLen+1)}}
		r = c.post("/journal/comment", long).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("comment", "5")
		checkA11y(t, "comment too long", r)
		r.wantContains("title", "Erreur")
		r = c.post("/journal/comment", url.Values{"day": {"2026-03-11"}, "team": {fx.team}, "comment": {"Demain"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("day", "jour à venir")
		r = c.post("/journal/comment", url.Values{"day": {"10/03/2026"}, "team": {fx.team}, "comment": {"Format"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("day", "jj/mm/aaaa")
		r = c.post("/journal/comment", url.Values{"day": {"2026-03-10"}, "comment": {"Sans portée"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("scope", "Choisissez")
		c.post("/journal/comment", url.Values{"day": {"2026-03-10"}, "team": {"987654"}, "comment": {"Inconnue"}}).wantStatus(http.StatusNotFound)
		if got, _ := a.db.FindJournalDay(bg, actorOf(a.st.Admin), maillon.JournalScope{TeamID: fx.ivFixture.team.ID}, a.db.Clock.Now()); got.Comment.Text != "Matinée chargée au Minguettes.\nRelais CAF à prévoir." {
			t.Errorf("refusals changed the comment: %q", got.Comment.Text)
		}

		// A mediator's own day has its own comment; an empty text clears.
		mback := "/journal?day=2026-03-09&mediator=" + ivID(a.st.Mediator.ID)
		c.post("/journal/comment", url.Values{"day": {"2026-03-09"}, "mediator": {ivID(a.st.Mediator.ID)}, "comment": {"Soirée hors horaires."}}).wantRedirect(mback)
		m.get(mback).wantStatus(http.StatusOK).wantContains(".note", "Soirée hors horaires.")
		// An emptied field is refused; the clear button clears.
		r = c.post("/journal/comment", url.Values{"day": {"2026-03-10"}, "team": {fx.team}, "comment": {"  \n "}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("comment", "Effacer le commentaire")
		r.wantContains(".note", "Relais CAF à prévoir.")
		c.post("/journal/comment", url.Values{"day": {"2026-03-10"}, "team": {fx.team}, "clear": {"1"}, "comment": {"ignoré"}}).wantRedirect(back)
		r = c.get(back).wantFlash("effacé")
		if r.find(".note").Length() != 0 {
			t.Error("the cleared comment is still shown")
		}
		r.wantContains("#journal-comment + p", "Pas de commentaire")
		if r.find(`input[name="clear"]`).Length() != 0 {
			t.Error("a button clears a comment that does not exist")
		}

		// A deactivated account keeps its past days in the list.
		if err := a.db.SetUserActive(bg, actorOf(a.st.Admin), fx.colleague.ID, false); err != nil {
			t.Fatal(err)
		}
		r = c.get("/journal?day=2026-03-10&mediator=" + ivID(fx.colleague.ID)).wantStatus(http.StatusOK)
		r.wantContains("#f-scope", "Karim Binôme (compte désactivé)")
		r.wantContains("#journal-entries-caption", "2 interventions dans l'ordre")
	})
}

func TestJournalRefusesBadDaysAndScopes(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newJnFixture(t, a)
		c := a.login(a.st.Admin)
		for _, tc := range []struct{ query, field, msg string }{
			{"day=2026-13-45", "day", "jj/mm/aaaa"},
			{"day=hier", "day", "jj/mm/aaaa"},
			{"day=2026-03-12", "day", "jour à venir"},
			{"day=1999-12-31", "day", "an 2000"},
			{"team=abc", "scope", "Choisissez"},
			{"mediator=-5", "scope", "Choisissez"},
			{"mediator=1&team=" + fx.team, "scope", "Choisissez"},
			{"scope=x" + fx.team, "scope", "Choisissez"},
			{"scope=t", "scope", "Choisissez"},
		} {
			r := c.get("/journal?" + tc.query)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", tc.query, r.status)
				continue
			}
			r.wantFieldError(tc.field, tc.msg)
			if r.find("#journal-totals").Length() != 0 {
				t.Errorf("%s: a day is shown", tc.query)
			}
		}
		r := c.get("/journal?day=2026-13-45")
		checkA11y(t, "main courante, bad day", r)
		// Tomorrow may already hold interventions: it shows, without a
		// comment form nor a next day.
		r = c.get("/journal?day=2026-03-11&team=" + fx.team).wantStatus(http.StatusOK)
		if r.find(`form[action="/journal/comment"]`).Length() != 0 || r.find(`a[rel="next"]`).Length() != 0 {
			t.Error("tomorrow offers a comment or a next day")
		}
		c.get("/journal?team=987654").wantStatus(http.StatusNotFound)
		// The first day shown has no day before.
		r = c.get("/journal?day=2000-01-01&team=" + fx.team).wantStatus(http.StatusOK)
		if r.find(`a[rel="prev"]`).Length() != 0 || r.find(`a[rel="next"]`).Length() != 1 {
			t.Error("1 January 2000 offers a day before, or no day after")
		}
	})
}
