package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// The report and the coordination's dashboard show the collective
// actions: a running project whose session of 9 March was held (one
// registered person present, three tallied) and whose session of 20
// March is to come.
func TestReportCollectiveActions(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		f := actMust(t, a, true)
		ctx := context.Background()
		med := storetest.Actor(a.st.Mediator)
		_, se, err := a.db.FindSeance(ctx, med, maillon.ActiviteID(f.id), maillon.SeanceID(f.past), false)
		if err != nil {
			t.Fatal(err)
		}
		att := maillon.AttendanceInput{Presence: map[int64]string{se.Registrations[0].ID: maillon.PresencePresent},
			Tallies: []maillon.TallyInput{{Newcomer: "nouveau", Count: "3"}}}
		if err := a.db.SaveAttendance(ctx, med, maillon.ActiviteID(f.id), maillon.SeanceID(f.past), att); err != nil {
			t.Fatal(err)
		}

		c := a.login(a.st.Coordinator)
		r := c.get("/rapports/activite?period=month&month=2026-03").wantStatus(http.StatusOK)
		checkA11y(t, "report with collective actions", r)
		if r.find(`main h2:contains("Actions collectives")`).Length() != 1 {
			t.Error("no section of collective actions")
		}
		r.wantContains("main", "Participations aux séances", "Participants inscrits distincts", "date et heure de début de la séance")
		for sel, want := range map[string]string{
			"#ind-activites-seances-h ~ .table-wrap tfoot td":        "2",
			"#ind-activites-participations-h ~ .table-wrap tfoot td": "4",
			"#ind-activites-participants-h ~ .table-wrap tbody td":   "1",
		} {
			if got := strings.TrimSpace(r.text(sel)); got != want {
				t.Errorf("%s: %q, want %q", sel, got, want)
			}
		}
		// The theme filter does not apply to collective actions.
		r = c.get("/rapports/activite?period=month&month=2026-03&theme=logement").wantStatus(http.StatusOK)
		r.wantContains("#ind-activites-seances-h ~ p.hint", "Thématique")
		// Shared outside: one participant is "< 5"; participations are acts.
		r = c.get("/rapports/activite?period=month&month=2026-03&external=on").wantStatus(http.StatusOK)
		r.wantContains("#ind-activites-participants-h ~ .table-wrap", "< 5")
		if got := strings.TrimSpace(r.text("#ind-activites-participations-h ~ .table-wrap tfoot td")); got != "4" {
			t.Errorf("participations shared outside: %q", got)
		}

		d := c.get("/tableau-de-bord").wantStatus(http.StatusOK)
		checkA11y(t, "coordinator's dashboard with collective actions", d)
		if got := strings.TrimSpace(d.text("#dash-activites-projets .dashboard-figure")); got != "1" {
			t.Errorf("projects in progress: %q", got)
		}
		d.wantContains("#dash-activites-seances", "2", "tenues : 1", "à venir : 1")
		if d.find(`#dash-activites a[href="/activites?status=en_cours"]`).Length() != 1 {
			t.Error("no link to the projects in progress")
		}
	})
}
