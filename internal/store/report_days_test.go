package store_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/storetest"
)

// The daily summary (report_days.go) must give the figures of the
// records: each test computes reports twice, from the summary and from
// the records (DetailedReportForTest), and compares every row.

// sameReport compares a report read from the summary with the same report
// read from the records, and checks that the summary was read.
func sameReport(t *testing.T, db *storetest.DB, actor maillon.Actor, f maillon.ReportFilter) *maillon.Report {
	t.Helper()
	c := context.Background()
	got, stmts, err := db.ReportSQLForTest(c, actor, f)
	if err != nil {
		t.Fatalf("report %s: %v", f.Period.Label(), err)
	}
	read := false
	for _, st := range stmts {
		read = read || strings.Contains(st.String(), "report_daily")
	}
	if !read {
		t.Fatalf("report %s: the summary was not read", f.Period.Label())
	}
	want, err := db.DetailedReportForTest(c, actor, f)
	if err != nil {
		t.Fatalf("detailed report %s: %v", f.Period.Label(), err)
	}
	if len(got.Tables) != len(want.Tables) {
		t.Fatalf("%s: %d tables, want %d", f.Period.Label(), len(got.Tables), len(want.Tables))
	}
	for i, wt := range want.Tables {
		gt := got.Tables[i]
		if len(gt.Rows) != len(wt.Rows) {
			t.Errorf("%s, %s: %d rows, want %d", f.Period.Label(), wt.Indicator.ID, len(gt.Rows), len(wt.Rows))
			continue
		}
		for j, wr := range wt.Rows {
			gr := gt.Rows[j]
			if gr.Key != wr.Key || gr.Count != wr.Count || gr.Of != wr.Of || math.Abs(gr.Value-wr.Value) > 1e-9*math.Max(1, math.Abs(wr.Value)) {
				t.Errorf("%s, %s, row %q: summary %v (%d of %d), records %v (%d of %d)", f.Period.Label(), wt.Indicator.ID,
					wr.Label, gr.Value, gr.Count, gr.Of, wr.Value, wr.Count, wr.Of)
			}
		}
	}
	return got
}

func parisDate(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, maillon.Paris)
}

func TestReportSummaryAgreesWithRecords(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		c := context.Background()
		if _, err := demo.Load(c, db.Services(), demo.Options{Scale: demo.Small, Seed: 1}); err != nil {
			t.Fatalf("demo: %v", err)
		}
		u, err := db.FindUserByEmail(c, maillon.OperatorActor(), "coordination@demo.maillon.test")
		if err != nil {
			t.Fatal(err)
		}
		coord := storetest.Actor(u)
		for _, p := range []maillon.Period{
			maillon.MonthPeriod(storetest.Start),
			maillon.MonthPeriod(storetest.Start).Previous(),
			maillon.YearPeriod(2025),
			maillon.YearPeriod(2026),
			{Kind: "quarter", From: parisDate(2025, 10, 1), To: parisDate(2026, 1, 1)},
			// Across the change to summer time, and the whole history
			// (counted by year beyond ten years).
			{Kind: "custom", From: parisDate(2026, 3, 20), To: parisDate(2026, 4, 5)},
			{Kind: "custom", From: parisDate(2000, 1, 1), To: parisDate(2027, 1, 1)},
		} {
			sameReport(t, db, coord, maillon.ReportFilter{Period: p})
		}
		// Filters read the records: no summary, same code as before.
		rep, stmts, err := db.ReportSQLForTest(c, coord, maillon.ReportFilter{Period: maillon.YearPeriod(2025), Registre: "accueil"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range stmts {
			if strings.Contains(st.String(), "report_daily") && !st.Reads("orientation") {
				t.Errorf("a report filtered on the registre read the summary: %s", st)
			}
		}
		if v, _ := rep.Value("interventions.nombre", ""); v == 0 {
			t.Error("no intervention of type accueil in the demo's 2025")
		}
	})
}

func TestReportSummaryFollowsChanges(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newReportFixture(t, db)
		coord := storetest.Actor(fx.st.Coordinator)
		med := storetest.Actor(fx.st.Mediator)
		feb := maillon.Period{Kind: "month", From: parisDate(2026, 2, 1), To: parisDate(2026, 3, 1)}
		count := func(p maillon.Period) float64 {
			t.Helper()
			return figure(t, sameReport(t, db, coord, maillon.ReportFilter{Period: p}), "interventions.nombre", "")
		}
		if n := count(march()); n != 3 {
			t.Fatalf("March: %v interventions, want 3", n)
		}
		if n := count(feb); n != 1 {
			t.Fatalf("February: %v interventions, want 1", n)
		}

		// 00:30 in Paris on 1 March is 23:30 UTC on 28 February: the
		// summary places it on its Paris day.
		p := mustCreatePerson(t, db, med, newPerson("Chloé", "Petit"))
		in := intervention(med, "2026-03-01", "00:30", "personne", p.ID)
		in.Themes = []string{"emploi"}
		in.Anonymous = []maillon.AnonymousCount{{AgeBand: "65_plus", Gender: "homme", Count: 2}}
		in.Procedures = []maillon.ProcedureInput{{PersonID: p.ID, Organisme: "france_travail", Label: "Inscription", Channel: "en_ligne",
			Mode: "faire_pour", Obstacles: []string{"identification"}, Outcome: "attente"}}
		iv := mustIntervention(t, db, med, in)
		if n := count(march()); n != 4 {
			t.Errorf("March after a new intervention at 00:30: %v, want 4", n)
		}
		if n := count(feb); n != 1 {
			t.Errorf("February after an intervention of 1 March 00:30: %v, want 1", n)
		}

		// Moved to the evening of 28 February, with other themes.
		in.Date, in.Time, in.Themes, in.Registre = "2026-02-28", "23:30", []string{"sante"}, "suivi"
		if err := db.UpdateIntervention(ctx, med, iv.ID, in); err != nil {
			t.Fatal(err)
		}
		if n := count(march()); n != 3 {
			t.Errorf("March after moving the intervention out: %v, want 3", n)
		}
		rep := sameReport(t, db, coord, maillon.ReportFilter{Period: feb})
		if v := figure(t, rep, "interventions.registre", "suivi"); v != 1 {
			t.Errorf("February, suivi: %v, want 1", v)
		}
		if v := figure(t, rep, "demarches.obstacle", "identification"); v != 1 {
			t.Errorf("February, obstacle identifiants: %v, want 1", v)
		}

		// An orientation of March, then its outcome.
		o := mustOrientation(t, db, med, orientationInput(0, "CAF", "situation"))
		if v := figure(t, sameReport(t, db, coord, maillon.ReportFilter{Period: march()}), "orientations.statut", "proposee"); v != 1 {
			t.Errorf("March, orientations proposées: %v, want 1", v)
		}
		if err := db.SetOrientationStatus(ctx, med, o.ID, maillon.OrientationStatusInput{Status: maillon.OrientationPriseEnCharge, Source: "mediation"}); err != nil {
			t.Fatal(err)
		}
		rep = sameReport(t, db, coord, maillon.ReportFilter{Period: march()})
		if v := figure(t, rep, "orientations.statut", maillon.OrientationPriseEnCharge); v != 1 {
			t.Errorf("March, orientations prises en charge: %v, want 1", v)
		}

		// Rows removed underneath (a person's erasure cascades the same
		// way): a theme, then the intervention itself.
		if _, err := db.ExecForTest(ctx, "delete from intervention_themes where intervention_id = ?", iv.ID); err != nil {
			t.Fatal(err)
		}
		if v := figure(t, sameReport(t, db, coord, maillon.ReportFilter{Period: feb}), "interventions.thematique", "sante"); v != 0 {
			t.Errorf("February, santé after removing the theme: %v, want 0", v)
		}
		if _, err := db.ExecForTest(ctx, "delete from interventions where id = ?", iv.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(feb); n != 1 {
			t.Errorf("February after deleting the intervention: %v, want 1", n)
		}

		// A bulk import marks its days itself, and FinishImport leaves
		// nothing to recompute.
		op := maillon.OperatorActor()
		at := time.Date(2026, 3, 20, 18, 0, 0, 0, maillon.Paris)
		err := db.ImportInterventions(ctx, op, []maillon.Intervention{{StructureID: fx.st.ID, StartAt: at, Minutes: 20,
			Mediators: []maillon.UserID{fx.st.Mediator.ID, fx.med2.ID}, PlaceType: "permanence", Registre: "accueil",
			Initiative: "personne", Outcome: "en_attente", Themes: []string{"emploi"}, Persons: []maillon.PersonRef{{ID: p.ID}}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.FinishImport(ctx, op); err != nil {
			t.Fatal(err)
		}
		if n, err := db.CountForTest(ctx, "select count(*) from report_dirty"); err != nil || n != 0 {
			t.Errorf("marks left after FinishImport: %d (%v)", n, err)
		}
		rep = sameReport(t, db, coord, maillon.ReportFilter{Period: march()})
		if v := figure(t, rep, "interventions.nombre", ""); v != 4 {
			t.Errorf("March after the import: %v, want 4", v)
		}
		if v := figure(t, rep, "interventions.thematique", "emploi"); v != 1 {
			t.Errorf("March after the import, emploi: %v, want 1", v)
		}
		// The import's pause is over: a new intervention is counted.
		mustIntervention(t, db, med, intervention(med, "2026-03-09", "16:00", "personne"))
		if n := count(march()); n != 5 {
			t.Errorf("March after an intervention following the import: %v, want 5", n)
		}
	})
}

// TestAutonomyEvolution checks each person's trajectory over March: the
// last level of the period against the last one before it, or the first
// of the period; people assessed only before the period are not counted.
func TestAutonomyEvolution(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Est")
		med := storetest.Actor(st.Mediator)
		other := storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)
		oth := storetest.Actor(other)
		coord := storetest.Actor(st.Coordinator)
		assess := func(a maillon.Actor, first, last string, levels ...string) {
			t.Helper()
			p := mustCreatePerson(t, db, a, newPerson(first, last))
			for i, l := range levels {
				if l == "" {
					continue
				}
				day := []string{"2026-02-10", "2026-03-02", "2026-03-09"}[i]
				if err := db.AddAutonomy(ctx, a, p.ID, maillon.AutonomyInput{Date: day, Level: l}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Levels in February, early March, late March.
		assess(med, "Up", "Avant", "1", "", "3")    // up against February
		assess(med, "Down", "Mars", "", "3", "2")   // down within March
		assess(med, "Same", "Avant", "2", "2", "")  // stable
		assess(med, "Once", "Mars", "", "1", "")    // once, nothing before: stable
		assess(oth, "Only", "Fevrier", "3", "", "") // not assessed in March: not counted
		assess(oth, "Up", "Autre", "", "1", "2")    // up, recorded by the other mediator
		rep := mustReport(t, db, coord, maillon.ReportFilter{Period: march(), Indicators: []string{"autonomie.evolution"}})
		for key, want := range map[string]float64{"hausse": 2, "stable": 2, "baisse": 1} {
			if v := figure(t, rep, "autonomie.evolution", key); v != want {
				t.Errorf("structure, %s: %v, want %v", key, v, want)
			}
		}
		// From before the first assessment: every assessment is in the
		// period (read in one pass); February's only one is now stable.
		q1 := maillon.Period{Kind: "custom", From: parisDate(2026, 1, 1), To: parisDate(2026, 4, 1)}
		rep = mustReport(t, db, coord, maillon.ReportFilter{Period: q1, Indicators: []string{"autonomie.evolution"}})
		for key, want := range map[string]float64{"hausse": 2, "stable": 3, "baisse": 1} {
			if v := figure(t, rep, "autonomie.evolution", key); v != want {
				t.Errorf("first quarter, %s: %v, want %v", key, v, want)
			}
		}
		rep = mustReport(t, db, coord, maillon.ReportFilter{Period: march(), MediatorID: other.ID, Indicators: []string{"autonomie.evolution"}})
		for key, want := range map[string]float64{"hausse": 1, "stable": 0, "baisse": 0} {
			if v := figure(t, rep, "autonomie.evolution", key); v != want {
				t.Errorf("mediator filter, %s: %v, want %v", key, v, want)
			}
		}
	})
}

// TestReportSummarySessionsToday: the summary counts sessions per day, so
// today's sessions not yet held are split at the present instant from
// the sessions themselves; a cancelled project's are left out, and a
// change of the project's status reaches the summary.
func TestReportSummarySessionsToday(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Ouest")
		med, coord := storetest.Actor(st.Mediator), storetest.Actor(st.Coordinator)
		id := mustRunningActivite(t, db, med, coord, "Atelier numérique", "atelier_numerique",
			maillon.ObjectiveInput{Label: "Séances", Indicator: maillon.IndicatorSeances, Target: "4"})
		// The clock says 10 March 2026, 10:30 in Paris.
		mustActSeance(t, db, med, id, actSeance{date: "2026-03-10", start: "08:00", end: "09:00"})
		mustActSeance(t, db, med, id, actSeance{date: "2026-03-10", start: "14:00", end: "15:00"})
		mustActSeance(t, db, med, id, actSeance{date: "2026-03-10", start: "18:00", end: "19:00"})
		mustActSeance(t, db, med, id, actSeance{date: "2026-03-02", start: "14:00", end: "15:00"})
		want := map[string]float64{"tenues": 0, "a_saisir": 2, "a_venir": 2}
		rep := sameReport(t, db, coord, maillon.ReportFilter{Period: march()})
		for key, v := range want {
			if got := figure(t, rep, "activites.seances", key); got != v {
				t.Errorf("%s: %v, want %v", key, got, v)
			}
		}
		if err := db.SetActiviteStatus(ctx, coord, id, maillon.ActiviteStatusInput{Status: maillon.ActiviteAnnulee, Reason: "Salle indisponible"}); err != nil {
			t.Fatal(err)
		}
		rep = sameReport(t, db, coord, maillon.ReportFilter{Period: march()})
		if got, _ := rep.Value("activites.seances", ""); got != 0 {
			t.Errorf("sessions of a cancelled project: %v, want 0", got)
		}
	})
}

// TestReportSummaryProjectTotals: an objective is checked against its
// project's totals, which follow the sessions held and removed.
func TestReportSummaryProjectTotals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Centre")
		med, coord := storetest.Actor(st.Mediator), storetest.Actor(st.Coordinator)
		id := mustRunningActivite(t, db, med, coord, "Café des habitants", "cafe_rencontre",
			maillon.ObjectiveInput{Label: "Séances", Indicator: maillon.IndicatorSeances, Target: "2"})
		mustActSeance(t, db, med, id, actSeance{date: "2026-02-20", start: "14:00", end: "15:00", done: true, group: 3})
		second := mustActSeance(t, db, med, id, actSeance{date: "2026-03-03", start: "14:00", end: "15:00", done: true, group: 2})
		objectives := func(key string) float64 {
			t.Helper()
			return figure(t, sameReport(t, db, coord, maillon.ReportFilter{Period: march()}), "activites.objectifs", key)
		}
		if v := objectives("atteint"); v != 1 {
			t.Fatalf("objective reached with two sessions held: %v, want 1", v)
		}
		// February's session goes: one session held in all.
		if _, err := db.ExecForTest(ctx, "delete from seances where activite_id = ? and id <> ?", id, second); err != nil {
			t.Fatal(err)
		}
		if v := objectives("non_atteint"); v != 1 {
			t.Errorf("objective after removing a session: %v not reached, want 1", v)
		}
	})
}
