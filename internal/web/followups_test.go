package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"maillon"
)

func TestInterventionFollowUpDoneAndUndone(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		iv := ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{FollowUpOn: "2026-03-09", NextStep: "Rappeler"})
		none := ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{})
		path := idPath("/interventions", int64(iv.ID), "")
		c := a.login(a.st.Mediator)
		show := c.get(path)
		show.wantContains("main", "en retard", "Marquer la relance comme faite")
		c.post(path+"/followup", url.Values{"done": {"1"}}).wantRedirect(path)
		show = c.get(path).wantFlash("faite")
		show.wantContains("main", "faite", "Rouvrir la relance")
		if got, _ := a.db.FindInterventionByID(bg, actorOf(a.st.Admin), iv.ID); !got.FollowUpDone {
			t.Error("follow-up not done")
		}
		c.post(path+"/followup", url.Values{"done": {"0"}, "back": {"/followups"}}).wantRedirect("/followups")
		if got, _ := a.db.FindInterventionByID(bg, actorOf(a.st.Admin), iv.ID); got.FollowUpDone {
			t.Error("follow-up still done")
		}
		c.post(path+"/followup", url.Values{"done": {"1"}, "back": {"//ailleurs.example"}}).wantRedirect("/")
		// No follow-up to mark: the page says why.
		r := c.post(idPath("/interventions", int64(none.ID), "/followup"), url.Values{"done": {"1"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantContains(`.notice--error[role="alert"]`, "pas de relance")
		checkA11y(t, "follow-up refused", r)
		c.post("/interventions/999999/followup", url.Values{"done": {"1"}}).wantStatus(http.StatusNotFound)
	})
}

func TestFollowUpsGroupedByDueDate(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newIvFixture(t, a)
		// Wednesday 11 March 2026, 10:00 in Paris.
		a.db.Clock.Set(time.Date(2026, 3, 11, 10, 0, 0, 0, maillon.Paris))
		mk := func(u *maillon.User, on, next string, persons ...maillon.PersonID) *maillon.Intervention {
			return ivMustIntervention(t, a, u, maillon.InterventionInput{Date: "2026-03-02", FollowUpOn: on, NextStep: next, Persons: persons})
		}
		mk(a.st.Mediator, "2026-03-10", "Relance en retard", fx.person.ID)
		mk(a.st.Mediator, "2026-03-11", "Relance du jour")
		mk(a.st.Mediator, "2026-03-13", "Relance de vendredi")
		mk(a.st.Mediator, "2026-03-15", "Relance de dimanche")
		mk(a.st.Mediator, "2026-03-16", "Relance de lundi prochain")
		done := mk(a.st.Mediator, "2026-03-09", "Relance faite")
		if err := a.db.SetFollowUpDone(bg, actorOf(a.st.Mediator), done.ID, true); err != nil {
			t.Fatal(err)
		}
		mk(fx.colleague, "2026-03-12", "Relance du binôme")

		group := func(r *response, id string) string { return r.text("#followups-" + id + " + ul") }
		c := a.login(a.st.Mediator)
		// The home page counts them: the done one and the colleague's
		// are left out.
		c.get("/").wantContains("main", "1 en retard, 1 pour aujourd'hui")
		r := c.get("/followups").wantStatus(http.StatusOK)
		checkA11y(t, "follow-ups", r)
		r.wantContains("h1", "Mes relances")
		for id, want := range map[string][]string{
			"late":  {"En retard", "Relance en retard", "Awa Diallo"},
			"today": {"Aujourd'hui", "Relance du jour"},
			"week":  {"Cette semaine", "Relance de vendredi", "Relance de dimanche"},
			"later": {"Plus tard", "Relance de lundi prochain"},
		} {
			r.wantContains("#followups-"+id, want[0])
			for _, w := range want[1:] {
				if !strings.Contains(group(r, id), w) {
					t.Errorf("group %s = %q, want %q", id, group(r, id), w)
				}
			}
		}
		if strings.Contains(r.body, "Relance faite") || strings.Contains(r.body, "Relance du binôme") {
			t.Error("done or others' follow-ups listed")
		}
		if strings.Contains(group(r, "week"), "lundi prochain") {
			t.Error("next Monday is in this week")
		}
		if r.find(`a[href="/people/`+ivID(fx.person.ID)+`"]`).Length() != 1 || r.find(`#followups-late + ul a[href^="/interventions/"]`).Length() != 1 {
			t.Error("follow-up does not link its intervention and person")
		}
		if r.find(`a[href="/followups?all=1"]`).Length() != 0 {
			t.Error("a mediator is offered the whole structure")
		}
		if strings.Contains(c.get("/followups?all=1").body, "Relance du binôme") {
			t.Error("a mediator sees the whole structure with ?all=1")
		}
		// Marking one done from the list comes back to the list.
		action, _ := r.find(`#followups-today + ul form`).Attr("action")
		c.post(action, ivFormValues(r, action)).wantRedirect("/followups")
		if strings.Contains(c.get("/followups").wantFlash("faite").body, "Relance du jour") {
			t.Error("follow-up done still listed")
		}

		// The coordinator switches to the whole structure.
		coord := a.login(a.st.Coordinator)
		cr := coord.get("/followups").wantStatus(http.StatusOK)
		cr.wantContains("main", "Aucune relance")
		all := coord.get("/followups?all=1").wantStatus(http.StatusOK)
		all.wantContains("h1", "Relances de la structure")
		if !strings.Contains(group(all, "week"), "Relance du binôme") || !strings.Contains(group(all, "late"), "Relance en retard") {
			t.Errorf("whole structure: week %q", group(all, "week"))
		}
		checkA11y(t, "follow-ups of the structure", all)

		// On Sunday, nothing is left of this week but today.
		a.db.Clock.Set(time.Date(2026, 3, 15, 10, 0, 0, 0, maillon.Paris))
		sun := a.login(a.st.Mediator).get("/followups") // a new session: the other one is idle since Wednesday
		if sun.find("#followups-week").Length() != 0 || !strings.Contains(group(sun, "today"), "Relance de dimanche") ||
			!strings.Contains(group(sun, "later"), "lundi prochain") {
			t.Errorf("Sunday grouping: today %q later %q", group(sun, "today"), group(sun, "later"))
		}
	})
}
