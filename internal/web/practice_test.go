package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"maillon"
)

func prNote(t testing.TB, a *app, u *maillon.User, situation string) *maillon.PracticeNote {
	t.Helper()
	n, err := a.db.CreatePracticeNote(bg, actorOf(u), maillon.PracticeNoteInput{Situation: situation,
		Questions: "Comment tenir le cadre ?"})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func prSession(t testing.TB, a *app, u *maillon.User, facilitator string, attendees ...maillon.UserID) *maillon.PracticeSession {
	t.Helper()
	s, err := a.db.CreatePracticeSession(bg, actorOf(u), maillon.PracticeSessionInput{HeldOn: "2026-03-03", Facilitator: facilitator,
		Themes: []string{"posture"}, Attendees: attendees, Summary: "Pistes de travail pour l'équipe."})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newAzPracticeFixtures adds a note of a.st's mediator (theirs alone) and
// a session of a.st recorded by the mediator.
func newAzPracticeFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	fx.practiceAuthor = fx.a.st.Mediator
	fx.practiceNote = int64(prNote(t, fx.a, fx.a.st.Mediator, "Note Marqueur-Pratique : un échange tendu.").ID)
	fx.practiceSession = int64(prSession(t, fx.a, fx.a.st.Mediator, "Animatrice Marqueur-Pratique", fx.a.st.Mediator.ID).ID)
	fx.markers = append(fx.markers, "Marqueur-Pratique")
}

// azPracticeID returns the note or the session of a route's {id}: a
// fresh note of the mediator for the delete route.
func (fx *azFixtures) azPracticeID(key string, fresh bool) int64 {
	if strings.Contains(key, "/seances/") {
		return fx.practiceSession
	}
	if fresh {
		return int64(prNote(fx.t, fx.a, fx.practiceAuthor, "Une note à supprimer.").ID)
	}
	return fx.practiceNote
}

// practiceAsAuthor makes u the author of the fixture notes, for tests that
// send every form as one user: a note answers its author only.
func (fx *azFixtures) practiceAsAuthor(u *maillon.User) {
	fx.practiceAuthor = u
	fx.practiceNote = int64(prNote(fx.t, fx.a, u, "Une note de l'auteur des requêtes.").ID)
}

func (fx *azFixtures) azPracticeForm(key string) url.Values {
	if strings.Contains(key, "/seances") {
		return url.Values{"held_on": {"2026-03-02"}, "facilitator": {"M. Petit, psychologue"}, "themes": {"secret"},
			"attendees": {strconv.FormatInt(int64(fx.a.st.Mediator.ID), 10)}}
	}
	return url.Values{"situation": {"Une situation décrite sans identité."}}
}

func TestPracticeNotes(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Mediator)
		empty := c.get("/pratique").wantStatus(http.StatusOK)
		empty.wantContains("main", "Vous seul(e) pouvez les lire", "Vous n'avez pas encore écrit de note")
		if empty.find(`.user-menu a[href="/pratique"][aria-current="page"]`).Length() != 1 {
			t.Error("the user menu does not lead to the journal of practice, marked current")
		}
		form := c.get("/pratique/notes/new").wantStatus(http.StatusOK)
		form.wantContains("#f-situation-hint", "Sans nom", "10 000 caractères")
		if m, _ := form.find("#f-questions").Attr("maxlength"); m != "10000" {
			t.Errorf("questions maxlength %q", m)
		}

		// The error state keeps what was written.
		bad := c.post("/pratique/notes", url.Values{"situation": {" "}, "learnt": {"Garder ceci"}}).wantStatus(http.StatusUnprocessableEntity)
		bad.wantFieldError("situation", "Décrivez la situation")
		if bad.text("#f-learnt") != "Garder ceci" {
			t.Errorf("learnt not kept: %q", bad.text("#f-learnt"))
		}
		long := c.post("/pratique/notes", url.Values{"situation": {strings.Repeat("a", maillon.MaxPracticeTextLen+1)}}).
			wantStatus(http.StatusUnprocessableEntity)
		long.wantFieldError("situation", "10")

		r := c.post("/pratique/notes", url.Values{"situation": {"Un échange tendu à l'accueil\nsur un refus de la CAF."},
			"action": {"J'ai reformulé."}, "questions": {"Jusqu'où aller ?"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/pratique/notes/") {
			t.Fatalf("create: %d %q", r.status, r.header.Get("Location"))
		}
		noteURL := r.header.Get("Location")
		show := c.get(noteURL).wantStatus(http.StatusOK)
		show.wantContains("main", "Un échange tendu", "J'ai reformulé.", "Jusqu'où aller ?")
		if strings.Contains(show.text("main"), "Ce que j'en retiens") {
			t.Error("an empty part is shown")
		}
		c.get("/pratique").wantStatus(http.StatusOK).wantContains(".practice-notes", "Un échange tendu")

		edit := c.get(noteURL + "/edit").wantStatus(http.StatusOK)
		if !strings.Contains(edit.text("#f-situation"), "refus de la CAF") {
			t.Errorf("edit form: %q", edit.text("#f-situation"))
		}
		c.post(noteURL, url.Values{"situation": {""}}).wantStatus(http.StatusUnprocessableEntity).wantFieldError("situation", "Décrivez")
		c.post(noteURL, url.Values{"situation": {"Situation reprise."}}).wantRedirect(noteURL)
		c.get(noteURL).wantStatus(http.StatusOK).wantContains("main", "Situation reprise.")

		// Nobody else: the coordinator and the administrator of the
		// structure get "not found", and their journal is empty.
		for _, u := range []*maillon.User{a.st.Coordinator, a.st.Admin} {
			o := a.login(u)
			o.get(noteURL).wantStatus(http.StatusNotFound)
			o.get(noteURL + "/edit").wantStatus(http.StatusNotFound)
			o.get(noteURL + "/delete").wantStatus(http.StatusNotFound)
			o.post(noteURL, url.Values{"situation": {"Réécrite"}}).wantStatus(http.StatusNotFound)
			o.post(noteURL+"/delete", url.Values{}).wantStatus(http.StatusNotFound)
			if strings.Contains(o.get("/pratique").body, "Situation reprise") {
				t.Errorf("%s sees the mediator's note", u.Role)
			}
		}
		c.get(noteURL).wantStatus(http.StatusOK).wantContains("main", "Situation reprise.")

		// Delete: a confirmation page without script, then a real delete.
		confirm := c.get(noteURL + "/delete").wantStatus(http.StatusOK)
		confirm.wantContains("main", "supprimée définitivement", "Situation reprise.")
		if confirm.find(`form[action="`+noteURL+`/delete"] button[type="submit"]`).Length() != 1 {
			t.Error("no delete button on the confirmation page")
		}
		c.post(noteURL+"/delete", url.Values{}).wantRedirect("/pratique")
		c.get("/pratique").wantStatus(http.StatusOK).wantFlash("supprimée")
		c.get(noteURL).wantStatus(http.StatusNotFound)

		// The audit page shows the actions, nothing of the notes.
		audit := a.login(a.st.Admin).get("/admin/audit").wantStatus(http.StatusOK)
		audit.wantContains("main", "Note de pratique supprimée", "Note de pratique écrite")
		for _, s := range []string{"Situation reprise", "échange tendu", noteURL} {
			if strings.Contains(audit.body, s) {
				t.Errorf("the audit page shows %q", s)
			}
		}
	})
}

func TestPracticeSessionsPages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Mediator)
		c.get("/pratique/seances").wantStatus(http.StatusOK).wantContains("main", "Aucune séance")
		form := c.get("/pratique/seances/new").wantStatus(http.StatusOK)
		form.wantContains("#f-summary-hint", "sans données sur les personnes accompagnées")
		if form.find(`#f-attendees input[type="checkbox"]`).Length() < 3 {
			t.Error("the colleagues are not offered as attendees")
		}
		bad := c.post("/pratique/seances", url.Values{"held_on": {"2026-02-30"}, "facilitator": {"Mme Roux"},
			"summary": {"Gardée"}}).wantStatus(http.StatusUnprocessableEntity)
		bad.wantFieldError("held_on", "jj/mm/aaaa")
		bad.wantFieldError("themes", "au moins un thème")
		if bad.text("#f-summary") != "Gardée" {
			t.Errorf("summary not kept: %q", bad.text("#f-summary"))
		}
		other := strconv.FormatInt(int64(a.other.Mediator.ID), 10)
		c.post("/pratique/seances", url.Values{"held_on": {"2026-03-02"}, "facilitator": {"Mme Roux"}, "themes": {"posture"},
			"attendees": {other}}).wantStatus(http.StatusUnprocessableEntity).wantFieldError("attendees", "comptes de la structure")

		c.post("/pratique/seances", url.Values{"held_on": {"2026-03-02"}, "facilitator": {"Mme Roux, psychologue"},
			"themes": {"posture", "secret"}, "themes_text": {"Fins d'accompagnement"},
			"attendees": {strconv.FormatInt(int64(a.st.Mediator.ID), 10), strconv.FormatInt(int64(a.st.Coordinator.ID), 10)},
			"summary":   {"Travail sur la juste distance."}}).wantRedirect("/pratique/seances")
		list := a.login(a.st.Admin).get("/pratique/seances").wantStatus(http.StatusOK)
		list.wantContains(".practice-session", "Mme Roux, psychologue", "Secret professionnel", "Fins d'accompagnement",
			a.st.Coordinator.DisplayName, "juste distance")
		if strings.Contains(a.login(a.other.Admin).get("/pratique/seances").body, "Mme Roux") {
			t.Error("another structure sees the session")
		}

		// Another mediator reads it but does not change it.
		s := prSession(t, a, a.st.Coordinator, "M. Petit")
		id := strconv.FormatInt(int64(s.ID), 10)
		m := a.login(a.st.Mediator)
		m.get("/pratique/seances/" + id + "/edit").wantStatus(http.StatusForbidden)
		m.post("/pratique/seances/"+id, url.Values{"held_on": {"2026-03-02"}, "facilitator": {"X"}, "themes": {"posture"}}).
			wantStatus(http.StatusForbidden)
		co := a.login(a.st.Coordinator)
		edit := co.get("/pratique/seances/" + id + "/edit").wantStatus(http.StatusOK)
		if v, _ := edit.find("#f-facilitator").Attr("value"); v != "M. Petit" {
			t.Errorf("edit form facilitator %q", v)
		}
		co.post("/pratique/seances/"+id, url.Values{"held_on": {"2026-03-02"}, "facilitator": {""}, "themes": {"posture"}}).
			wantStatus(http.StatusUnprocessableEntity).wantFieldError("facilitator", "Indiquez")
		co.post("/pratique/seances/"+id, url.Values{"held_on": {"2026-03-04"}, "facilitator": {"M. Petit, psychologue"},
			"themes": {"charge"}}).wantRedirect("/pratique/seances")
		co.get("/pratique/seances").wantStatus(http.StatusOK).wantContains("main", "M. Petit, psychologue", "Charge émotionnelle")
	})
}

// Every page of the journal of practice, its paginated list and its error
// states meet the accessibility basics.
func TestPracticeAccessibility(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		var first *maillon.PracticeNote
		for i := range 22 {
			n := prNote(t, a, a.st.Mediator, "Situation n° "+strconv.Itoa(i)+" décrite sans identité.\nSur deux lignes.")
			if first == nil {
				first = n
			}
		}
		s := prSession(t, a, a.st.Mediator, "Mme Roux", a.st.Mediator.ID, a.st.Coordinator.ID)
		c := a.login(a.st.Mediator)
		visited := crawl(t, c, "mediator", false, "/pratique", "/pratique/seances")
		noteURL := "/pratique/notes/" + strconv.FormatInt(int64(first.ID), 10)
		sessionEdit := "/pratique/seances/" + strconv.FormatInt(int64(s.ID), 10) + "/edit"
		for _, p := range []string{"/pratique/notes/new", "/pratique?page=2", noteURL, noteURL + "/edit", noteURL + "/delete",
			"/pratique/seances/new", sessionEdit} {
			if !slices.Contains(visited, p) {
				t.Errorf("%s not reached from the journal of practice", p)
			}
		}
		if !slices.Contains(crawl(t, a.login(a.st.Admin), "admin", false, "/"), "/pratique") {
			t.Error("the journal of practice is not reachable from the header")
		}
		for _, tc := range []struct {
			path string
			form url.Values
		}{
			{"/pratique/notes", url.Values{"situation": {""}, "raised": {strings.Repeat("x", maillon.MaxPracticeTextLen+1)}}},
			{noteURL, url.Values{"situation": {""}}},
			{"/pratique/seances", url.Values{"held_on": {"hier"}, "themes": {"inconnu"}}},
			{"/pratique/seances/" + strconv.FormatInt(int64(s.ID), 10), url.Values{"facilitator": {""}, "attendees": {"abc"}}},
		} {
			r := c.post(tc.path, tc.form).wantStatus(http.StatusUnprocessableEntity)
			checkA11y(t, "POST "+tc.path, r)
			if r.find(".error-summary").Length() != 1 {
				t.Errorf("POST %s: no error summary", tc.path)
			}
		}
		checkA11y(t, "another's note", a.login(a.st.Coordinator).get(noteURL).wantStatus(http.StatusNotFound))
	})
}

// malCheckStoredPractice checks the journal of practice after the
// malformed requests: the administrator's notes (they sent them) and the
// structures' sessions.
func malCheckStoredPractice(t *testing.T, a *app, sts []maillon.Structure, text func(what, v string, max int, required bool)) {
	t.Helper()
	notes, _, err := a.db.FindPracticeNotes(bg, actorOf(a.st.Admin), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		text("practice situation", n.Situation, maillon.MaxPracticeTextLen, true)
		for _, v := range []string{n.Action, n.Raised, n.Learnt, n.Questions} {
			text("practice note text", v, maillon.MaxPracticeTextLen, false)
		}
	}
	for _, st := range sts {
		op := maillon.OperatorActor()
		op.StructureID = st.ID
		sessions, _, err := a.db.FindPracticeSessions(bg, op, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sessions {
			text("session facilitator", s.Facilitator, maillon.MaxNameLen, true)
			text("session themes", s.ThemesText, maillon.MaxShortTextLen, false)
			text("session summary", s.Summary, maillon.MaxPracticeTextLen, false)
			if th, unknown := maillon.PracticeThemes.CleanSet(s.Themes); unknown || len(th) != len(s.Themes) || len(th)+len(s.ThemesText) == 0 {
				t.Errorf("session %d stored with themes %v %q", s.ID, s.Themes, s.ThemesText)
			}
			if len(s.Attendees) > maillon.MaxPracticeAttendees || s.HeldOn.Year() < 2000 {
				t.Errorf("session %d stored with %d attendees on %v", s.ID, len(s.Attendees), s.HeldOn)
			}
		}
	}
}
