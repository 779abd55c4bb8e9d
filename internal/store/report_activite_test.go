package store_test

import (
	"errors"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// actFixture holds collective actions in and around March 2026, whose
// figures the tests know by heart: team Nord's café (mediator) and team
// Sud's outing (med2).
type actFixture struct {
	st        *storetest.Structure
	med, med2 maillon.Actor
	nord, sud maillon.TeamID
}

// actSeance creates a session of a project and, when presences is not
// nil, registers its people and saves the attendance: presences maps
// a person (0: a group of groupCount places, unnamed) to its attendance.
type actSeance struct {
	date, start, end string
	named            map[maillon.PersonID]string
	group            int
	tallies          []maillon.TallyInput
	done             bool
}

func mustActSeance(t *testing.T, db *storetest.DB, actor maillon.Actor, id maillon.ActiviteID, s actSeance) maillon.SeanceID {
	t.Helper()
	ids, err := db.CreateSeances(ctx, actor, id, maillon.SeanceInput{Date: s.date, Start: s.start, End: s.end, Place: "Salle", Capacity: "30"})
	if err != nil {
		t.Fatalf("CreateSeances %s: %v", s.date, err)
	}
	sid := ids[0]
	for pid := range s.named {
		if _, err := db.Register(ctx, actor, id, sid, maillon.RegistrationInput{PersonID: pid}); err != nil {
			t.Fatalf("Register: %v", err)
		}
	}
	if s.group > 0 {
		if _, err := db.Register(ctx, actor, id, sid, maillon.RegistrationInput{Count: itoa(s.group)}); err != nil {
			t.Fatalf("Register group: %v", err)
		}
	}
	if !s.done {
		return sid
	}
	_, se, err := db.FindSeance(ctx, actor, id, sid, false)
	if err != nil {
		t.Fatal(err)
	}
	att := maillon.AttendanceInput{Presence: map[int64]string{}, Tallies: s.tallies}
	for _, r := range se.Registrations {
		if r.PersonID == 0 {
			att.Presence[r.ID] = maillon.PresencePresent
		} else {
			att.Presence[r.ID] = s.named[r.PersonID]
		}
	}
	if err := db.SaveAttendance(ctx, actor, id, sid, att); err != nil {
		t.Fatalf("SaveAttendance %s: %v", s.date, err)
	}
	return sid
}

// mustRunningActivite creates a project with objectives and brings it to
// "en cours".
func mustRunningActivite(t *testing.T, db *storetest.DB, actor, coord maillon.Actor, title, kind string, objs ...maillon.ObjectiveInput) maillon.ActiviteID {
	t.Helper()
	in := activiteInput()
	in.Title, in.Kind, in.StartsOn = title, kind, "2026-02-01"
	a, err := db.CreateActivite(ctx, actor, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if err := db.AddObjective(ctx, actor, a.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []struct {
		who    maillon.Actor
		status string
	}{{actor, maillon.ActivitePreparation}, {coord, maillon.ActiviteValidee}, {actor, maillon.ActiviteEnCours}} {
		if err := db.SetActiviteStatus(ctx, s.who, a.ID, maillon.ActiviteStatusInput{Status: s.status}); err != nil {
			t.Fatalf("%s: %v", s.status, err)
		}
	}
	return a.ID
}

func newActFixture(t *testing.T, db *storetest.DB) *actFixture {
	t.Helper()
	st := storetest.MustCreateStructure(t, db, "Médiation Nord")
	admin, coord := storetest.Actor(st.Admin), storetest.Actor(st.Coordinator)
	fx := &actFixture{st: st}
	med2 := storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)
	for _, x := range []struct {
		name string
		id   *maillon.TeamID
		user *maillon.User
	}{{"Équipe Nord", &fx.nord, st.Mediator}, {"Équipe Sud", &fx.sud, med2}} {
		team, err := db.CreateTeam(ctx, admin, maillon.TeamInput{Name: x.name})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateUser(ctx, admin, x.user.ID, maillon.UserUpdate{TeamID: &team.ID}); err != nil {
			t.Fatal(err)
		}
		*x.id = team.ID
	}
	fx.med, fx.med2 = storetest.Actor(st.Mediator), storetest.Actor(med2)
	fx.med.TeamID, fx.med2.TeamID = fx.nord, fx.sud
	p1 := mustCreatePerson(t, db, fx.med, newPerson("Awa", "Diallo"))
	p2 := mustCreatePerson(t, db, fx.med, newPerson("Bruno", "Martin"))
	p3 := mustCreatePerson(t, db, fx.med, newPerson("Chloé", "Petit"))

	// Team Nord's café: four objectives, sessions from February to April.
	cafe := mustRunningActivite(t, db, fx.med, coord, "Café des parents", "cafe_rencontre",
		maillon.ObjectiveInput{Label: "Présences", Indicator: maillon.IndicatorPresences, Target: "10"},
		maillon.ObjectiveInput{Label: "Séances", Indicator: maillon.IndicatorSeances, Target: "5"},
		maillon.ObjectiveInput{Label: "Nouveaux", Indicator: maillon.IndicatorNouveaux, Target: "6"},
		maillon.ObjectiveInput{Label: "Orientés", Indicator: maillon.IndicatorSaisi, Target: "5", Unit: "personnes"})
	// 28 February, 22:00 in Paris: before the period.
	feb := mustActSeance(t, db, fx.med, cafe, actSeance{date: "2026-02-28", start: "22:00", end: "23:30", done: true,
		named:   map[maillon.PersonID]string{p1.ID: maillon.PresencePresent, p3.ID: maillon.PresencePresent},
		tallies: []maillon.TallyInput{{Newcomer: "nouveau", Count: "2"}}})
	// 1 March at midnight in Paris (28 February, 23:00 UTC): inside.
	first := mustActSeance(t, db, fx.med, cafe, actSeance{date: "2026-03-01", start: "00:00", end: "01:00", done: true,
		named: map[maillon.PersonID]string{p1.ID: maillon.PresencePresent, p2.ID: maillon.PresencePresent}, group: 3,
		tallies: []maillon.TallyInput{{Newcomer: "nouveau", Count: "4"}, {Newcomer: "habitue", Count: "1"}}})
	second := mustActSeance(t, db, fx.med, cafe, actSeance{date: "2026-03-03", start: "14:00", end: "16:00", done: true,
		named:   map[maillon.PersonID]string{p1.ID: maillon.PresencePresent, p2.ID: maillon.PresenceAbsent},
		tallies: []maillon.TallyInput{{Newcomer: "habitue", Count: "2"}}})
	mustActSeance(t, db, fx.med, cafe, actSeance{date: "2026-03-09", start: "14:00", end: "16:00"}) // attendance not saved
	mustActSeance(t, db, fx.med, cafe, actSeance{date: "2026-03-24", start: "14:00", end: "16:00"}) // to come
	mustActSeance(t, db, fx.med, cafe, actSeance{date: "2026-04-01", start: "14:00", end: "16:00"}) // after the period

	// Satisfaction: two paper answers on 1 March, one through the link on
	// 3 March, one in February (not counted).
	for _, a := range []struct {
		sid    maillon.SeanceID
		scores []string
	}{{first, []string{"4", "4", "3", "", "4"}}, {first, []string{"1", "2"}}, {feb, []string{"1", "1", "1", "1", "1"}}} {
		if err := db.AddPaperAnswer(ctx, fx.med, cafe, a.sid, maillon.SatisfactionInput{Scores: a.scores}); err != nil {
			t.Fatal(err)
		}
	}
	token, err := db.CreateQuestionnaireLink(ctx, fx.med, cafe, second, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AnswerQuestionnaire(ctx, token, maillon.SatisfactionInput{Scores: []string{"3", "3", "3", "3", "3"}}, "r1"); err != nil {
		t.Fatal(err)
	}

	// Team Sud's outing: one session on 5 March, three newcomers tallied.
	sortie := mustRunningActivite(t, db, fx.med2, coord, "Sortie au parc", "sortie",
		maillon.ObjectiveInput{Label: "Présences", Indicator: maillon.IndicatorPresences, Target: "3"})
	mustActSeance(t, db, fx.med2, sortie, actSeance{date: "2026-03-05", start: "10:00", end: "12:00", done: true,
		tallies: []maillon.TallyInput{{Newcomer: "nouveau", Count: "3"}}})

	// An idea without team, and a cancelled project: only the idea is open.
	if _, err := db.CreateActivite(ctx, coord, activiteInput()); err != nil {
		t.Fatal(err)
	}
	cancelled, err := db.CreateActivite(ctx, coord, activiteInput())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetActiviteStatus(ctx, coord, cancelled.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteAnnulee, Reason: "Salle indisponible"}); err != nil {
		t.Fatal(err)
	}

	// Another structure's session in March counts only for it.
	other := storetest.MustCreateStructure(t, db, "Médiation Sud")
	om := storetest.Actor(other.Mediator)
	oa := mustRunningActivite(t, db, om, storetest.Actor(other.Coordinator), "Atelier", "atelier",
		maillon.ObjectiveInput{Label: "Présences", Indicator: maillon.IndicatorPresences, Target: "3"})
	mustActSeance(t, db, om, oa, actSeance{date: "2026-03-04", start: "10:00", end: "12:00", done: true,
		tallies: []maillon.TallyInput{{Count: "7"}}})
	return fx
}

var activiteIndicators = []string{"activites.projets", "activites.seances", "activites.seances_type", "activites.participations",
	"activites.participants", "activites.objectifs", "activites.questionnaires", "activites.satisfaction", "activites.satisfaction_positive"}

type wantFigure struct {
	id, key string
	v       float64
}

func checkFigures(t *testing.T, r *maillon.Report, want []wantFigure) {
	t.Helper()
	for _, w := range want {
		if got := figure(t, r, w.id, w.key); got != w.v {
			t.Errorf("%s: %s/%s = %v, want %v", r.Scope, w.id, w.key, got, w.v)
		}
	}
}

func TestActivityReportCollectiveActions(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newActFixture(t, db)
		coord := storetest.Actor(fx.st.Coordinator)
		r := mustReport(t, db, coord, maillon.ReportFilter{Period: march(), Indicators: activiteIndicators})
		checkFigures(t, r, []wantFigure{
			{"activites.projets", "idee", 1},
			{"activites.projets", "en_cours", 2},
			{"activites.projets", "", 3},
			// 1 March at midnight is in; 28 February and 1 April are out.
			{"activites.seances", "tenues", 3},
			{"activites.seances", "a_saisir", 1},
			{"activites.seances", "a_venir", 1},
			{"activites.seances", "", 5},
			{"activites.seances_type", "cafe_rencontre", 2},
			{"activites.seances_type", "sortie", 1},
			{"activites.seances_type", "", 3},
			// Registered present: Awa, Bruno, a group of 3, then Awa; tallied 5 + 2 + 3.
			{"activites.participations", "inscrits", 6},
			{"activites.participations", "non_inscrits", 10},
			{"activites.participations", "", 16},
			// Awa and Bruno; Chloé came in February only.
			{"activites.participants", "", 2},
			// The café: 16 presences ≥ 10, 3 sessions < 5, 6 newcomers ≥ 6,
			// an entered indicator without value; the outing: 3 ≥ 3.
			{"activites.objectifs", "atteint", 3},
			{"activites.objectifs", "non_atteint", 1},
			{"activites.objectifs", "non_saisi", 1},
			{"activites.questionnaires", "papier", 2},
			{"activites.questionnaires", "lien", 1},
			{"activites.satisfaction", "1", 1},
			{"activites.satisfaction", "2", 1},
			{"activites.satisfaction", "3", 6},
			{"activites.satisfaction", "4", 3},
			{"activites.satisfaction", "", 11},
		})
		if got := r.Table("activites.satisfaction_positive").Rows[0]; got.Count != 9 || got.Of != 11 || got.Text != "81,8 % (9 sur 11)" {
			t.Errorf("positive satisfaction %+v", got)
		}

		// February: the session of the 28th, and the objectives of the
		// café only, computed over all its sessions all the same.
		feb := mustReport(t, db, coord, maillon.ReportFilter{Period: march().Previous(), Indicators: activiteIndicators})
		checkFigures(t, feb, []wantFigure{
			{"activites.seances", "tenues", 1},
			{"activites.seances", "", 1},
			{"activites.participations", "inscrits", 2},
			{"activites.participations", "non_inscrits", 2},
			{"activites.participants", "", 2},
			{"activites.objectifs", "atteint", 2},
			{"activites.objectifs", "non_atteint", 1},
			{"activites.objectifs", "non_saisi", 1},
			{"activites.satisfaction", "1", 5},
			{"activites.satisfaction", "", 5},
		})

		// A filter by referent, the QPV filter, a filter the source cannot apply.
		r = mustReport(t, db, coord, maillon.ReportFilter{Period: march(), MediatorID: fx.med2.UserID, Indicators: activiteIndicators})
		checkFigures(t, r, []wantFigure{{"activites.seances", "", 1}, {"activites.participations", "non_inscrits", 3}, {"activites.projets", "", 1}})
		r = mustReport(t, db, coord, maillon.ReportFilter{Period: march(), QPVOnly: true, Theme: "logement", Indicators: []string{"activites.seances"}})
		if figure(t, r, "activites.seances", "") != 0 || len(r.Tables[0].NotApplied) != 1 || r.Tables[0].NotApplied[0] != "Thématique" {
			t.Errorf("QPV only: %v sessions, not applied %v", figure(t, r, "activites.seances", ""), r.Tables[0].NotApplied)
		}
	})
}

// A mediator counts their team's actions only, and may not ask for
// another team's.
func TestActivityReportCollectiveActionsScope(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newActFixture(t, db)
		r := mustReport(t, db, fx.med, maillon.ReportFilter{Period: march(), Indicators: activiteIndicators})
		if r.Scope != "équipe Équipe Nord" {
			t.Errorf("scope %q", r.Scope)
		}
		checkFigures(t, r, []wantFigure{
			{"activites.projets", "en_cours", 1},
			{"activites.projets", "", 1},
			{"activites.seances", "tenues", 2},
			{"activites.seances", "", 4},
			{"activites.seances_type", "sortie", 0},
			{"activites.participations", "inscrits", 6},
			{"activites.participations", "non_inscrits", 7},
			{"activites.objectifs", "atteint", 2},
			{"activites.objectifs", "", 4},
		})
		if _, err := db.ActivityReport(ctx, fx.med, maillon.ReportFilter{Period: march(), TeamID: fx.sud, Indicators: activiteIndicators}); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("another team's actions: %v", err)
		}
		if _, err := db.ActivityReport(ctx, fx.med, maillon.ReportFilter{Period: march(), MediatorID: fx.med2.UserID, Indicators: activiteIndicators}); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("another team's mediator: %v", err)
		}
		r = mustReport(t, db, fx.med2, maillon.ReportFilter{Period: march(), Indicators: activiteIndicators})
		checkFigures(t, r, []wantFigure{{"activites.seances", "", 1}, {"activites.participants", "", 0}, {"activites.questionnaires", "", 0}})
	})
}

// Shared outside the structure, the distinct participants (people) are
// suppressed; participations (acts) are not.
func TestActivityReportCollectiveActionsExternal(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newActFixture(t, db)
		r := mustReport(t, db, storetest.Actor(fx.st.Admin), maillon.ReportFilter{Period: march(), External: true, Indicators: activiteIndicators})
		if row := r.Table("activites.participants").Rows[0]; !row.Hidden || row.Text != maillon.TextSmall || row.Value != 2 {
			t.Errorf("distinct participants shown: %+v", row)
		}
		if tab := r.Table("activites.participations"); tab.Total.Text != "16" || tab.Rows[0].Hidden {
			t.Errorf("participations are acts, not people: %+v total %+v", tab.Rows, tab.Total)
		}
	})
}
