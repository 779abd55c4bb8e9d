package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

func activiteInput() maillon.ActiviteInput {
	return maillon.ActiviteInput{Title: "Café des parents", Kind: "cafe_rencontre", Public: "Parents du quartier",
		Need: "Des parents isolés, repérés en tournée, ne connaissent pas l'école.", Participation: "consultes",
		StartsOn: "2026-03-16", EndsOn: "2026-06-30", Accessibility: []string{"plain_pied", "garde_enfants"},
		Channels: []string{"affiche"}}
}

func seanceInput(date string) maillon.SeanceInput {
	return maillon.SeanceInput{Date: date, Start: "14:00", End: "16:00", Place: "Salle du centre social", Capacity: "3"}
}

func mustActivite(t *testing.T, db *storetest.DB, actor maillon.Actor) *maillon.Activite {
	t.Helper()
	a, err := db.CreateActivite(ctx, actor, activiteInput())
	if err != nil {
		t.Fatalf("CreateActivite: %v", err)
	}
	return a
}

func mustReadActivite(t *testing.T, db *storetest.DB, actor maillon.Actor, id maillon.ActiviteID) *maillon.Activite {
	t.Helper()
	a, err := db.FindActivite(ctx, actor, id)
	if err != nil {
		t.Fatalf("FindActivite(%d): %v", id, err)
	}
	return a
}

func TestActiviteLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Actions")
		med := storetest.Actor(st.Mediator)
		coord := storetest.Actor(st.Coordinator)
		a := mustActivite(t, db, med)
		if a.Status != maillon.ActiviteIdee || a.OwnerID != st.Mediator.ID {
			t.Fatalf("created %+v", a)
		}

		// Bad input: an objective without target, a transition skipping
		// a step, validation by a mediator, cancelling without reason.
		err := db.AddObjective(ctx, med, a.ID, maillon.ObjectiveInput{Label: "Faire venir des parents", Indicator: maillon.IndicatorPresences})
		wantField(t, "objective without target", err, "target", "sans cible")
		err = db.SetActiviteStatus(ctx, med, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteEnCours})
		wantField(t, "skip", err, "status", "Passage impossible")
		if err := db.SetActiviteStatus(ctx, med, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActivitePreparation}); err != nil {
			t.Fatal(err)
		}
		err = db.SetActiviteStatus(ctx, coord, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteValidee})
		wantField(t, "validation without objective", err, "status", "objectif")
		for _, o := range []maillon.ObjectiveInput{
			{Label: "Réunir des parents", Indicator: maillon.IndicatorPresences, Target: "10"},
			{Label: "Tenir les séances", Indicator: maillon.IndicatorSeances, Target: "4"},
			{Label: "Parents qui contactent l'école", Indicator: maillon.IndicatorSaisi, Target: "5", Unit: "parents"},
		} {
			if err := db.AddObjective(ctx, med, a.ID, o); err != nil {
				t.Fatal(err)
			}
		}
		err = db.SetActiviteStatus(ctx, med, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteValidee})
		wantField(t, "mediator validates", err, "status", "coordination")
		if err := db.SetActiviteStatus(ctx, coord, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteValidee}); err != nil {
			t.Fatal(err)
		}
		// Changing a validated project needs a reason, logged.
		in := activiteInput()
		in.Title = "Café des parents du mardi"
		wantField(t, "change without why", db.UpdateActivite(ctx, med, a.ID, in), "why", "pourquoi")
		in.Why = "Les parents préfèrent le mardi."
		if err := db.UpdateActivite(ctx, med, a.ID, in); err != nil {
			t.Fatal(err)
		}
		if err := db.AddBudgetLine(ctx, med, a.ID, maillon.BudgetInput{Funder: "CAF", Label: "Goûter", Planned: "300"}); err != nil {
			t.Fatal(err)
		}
		wantField(t, "bad amount", db.AddBudgetLine(ctx, med, a.ID, maillon.BudgetInput{Funder: "CAF", Label: "x", Planned: "-3"}), "planned", "euros")
		if err := db.AddActivitePartner(ctx, med, a.ID, maillon.ActivitePartnerInput{Name: "École Jules Ferry", Role: "Accueil des parents"}); err != nil {
			t.Fatal(err)
		}
		wantField(t, "unknown directory entry", db.AddActivitePartner(ctx, med, a.ID,
			maillon.ActivitePartnerInput{DirectoryID: 99999, Role: "x"}), "directory_id", "annuaire")

		// Sessions: before the start refused; a weekly series of 4.
		_, err = db.CreateSeances(ctx, med, a.ID, seanceInput("2026-03-02"))
		wantField(t, "before start", err, "date", "avant le début du projet")
		in2 := seanceInput("2026-03-17")
		in2.Recurrence, in2.Count = "hebdo", "4"
		ids, err := db.CreateSeances(ctx, med, a.ID, in2)
		if err != nil || len(ids) != 4 {
			t.Fatalf("series: %v %v", ids, err)
		}
		got := mustReadActivite(t, db, coord, a.ID)
		if len(got.Seances) != 4 || !maillon.InParis(got.Seances[3].StartsAt).Equal(time.Date(2026, 4, 7, 14, 0, 0, 0, maillon.Paris)) {
			t.Fatalf("seances %+v", got.Seances)
		}
		if len(got.Adjustments) != 1 || got.Adjustments[0].Why != "Les parents préfèrent le mardi." || !strings.Contains(got.Adjustments[0].What, "titre") {
			t.Errorf("adjustments %+v", got.Adjustments)
		}

		// Registrations: named with consent, waiting list, promotion.
		p1 := mustCreatePerson(t, db, med, newPerson("Awa", "Diallo"))
		noConsent := newPerson("Sans", "Accord")
		noConsent.ConsentGiven = false
		p2, err := db.CreatePerson(ctx, med, noConsent)
		if err == nil {
			_, err = db.Register(ctx, med, a.ID, ids[0], maillon.RegistrationInput{PersonID: p2.ID})
			wantField(t, "no consent", err, "person_id", "accord")
		}
		if w, err := db.Register(ctx, med, a.ID, ids[0], maillon.RegistrationInput{PersonID: p1.ID}); err != nil || w {
			t.Fatalf("register: %v %v", w, err)
		}
		if _, err := db.Register(ctx, med, a.ID, ids[0], maillon.RegistrationInput{PersonID: p1.ID}); err == nil {
			t.Error("registered twice")
		}
		if w, err := db.Register(ctx, med, a.ID, ids[0], maillon.RegistrationInput{Count: "2"}); err != nil || w {
			t.Fatalf("count: %v %v", w, err)
		}
		if w, err := db.Register(ctx, med, a.ID, ids[0], maillon.RegistrationInput{Count: "1"}); err != nil || !w {
			t.Fatalf("full session must put on the waiting list: %v %v", w, err)
		}
		// Capacity below the registrations.
		up := seanceInput("2026-03-17")
		up.Capacity = "2"
		wantField(t, "capacity", db.UpdateSeance(ctx, med, a.ID, ids[0], up), "capacity", "inférieure au nombre d'inscrits")
		_, se, err := db.FindSeance(ctx, med, a.ID, ids[0], false)
		if err != nil || se.Registered != 3 || se.Waiting != 1 || len(se.Registrations) != 3 || se.Registrations[0].Name == "" {
			t.Fatalf("seance %+v %v", se, err)
		}
		// Unregistering the named person promotes the waiting one.
		if err := db.Unregister(ctx, med, a.ID, ids[0], se.Registrations[0].ID); err != nil {
			t.Fatal(err)
		}
		_, se, _ = db.FindSeance(ctx, med, a.ID, ids[0], false)
		if se.Registered != 3 || se.Waiting != 0 {
			t.Errorf("after unregister: registered %d waiting %d", se.Registered, se.Waiting)
		}
		// Editing "this and the following" changes the hours of the rest.
		up = seanceInput("2026-03-17")
		up.Start, up.End, up.Capacity, up.Scope = "15:00", "17:00", "12", "suivantes"
		if err := db.UpdateSeance(ctx, med, a.ID, ids[1], up); err != nil {
			t.Fatal(err)
		}
		got = mustReadActivite(t, db, coord, a.ID)
		if h := maillon.InParis(got.Seances[3].StartsAt); h.Hour() != 15 || h.Day() != 7 || got.Seances[3].Capacity != 12 || got.Seances[0].Capacity != 3 {
			t.Errorf("following: %v cap %d / first cap %d", h, got.Seances[3].Capacity, got.Seances[0].Capacity)
		}

		// Attendance only after the session.
		_, se, _ = db.FindSeance(ctx, med, a.ID, ids[0], false)
		att := maillon.AttendanceInput{Presence: map[int64]string{}, Tallies: []maillon.TallyInput{
			{AgeBand: "26_44", Gender: "femme", Newcomer: "nouveau", Count: "4"}, {Count: "2", Newcomer: "habitue"}},
			Observations: "Bonne ambiance."}
		for _, r := range se.Registrations {
			att.Presence[r.ID] = maillon.PresencePresent
		}
		err = db.SaveAttendance(ctx, med, a.ID, ids[0], att)
		if !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("attendance before the session: %v", err)
		}
		db.Clock.Set(time.Date(2026, 3, 17, 18, 0, 0, 0, maillon.Paris))
		if err := db.SetActiviteStatus(ctx, med, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteEnCours}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveAttendance(ctx, med, a.ID, ids[0], att); err != nil {
			t.Fatal(err)
		}

		// Questionnaire: public link, anonymous answer, expiry.
		token, err := db.CreateQuestionnaireLink(ctx, med, a.ID, ids[0], 7)
		if err != nil || len(token) < 20 {
			t.Fatalf("link: %q %v", token, err)
		}
		v, err := db.FindQuestionnaire(ctx, token, "r1")
		if err != nil || !v.Open || v.Title != "Café des parents du mardi" {
			t.Fatalf("questionnaire %+v %v", v, err)
		}
		wantField(t, "empty answer", db.AnswerQuestionnaire(ctx, token, maillon.SatisfactionInput{}, "r1"), "q1", "au moins une")
		wantField(t, "bad score", db.AnswerQuestionnaire(ctx, token, maillon.SatisfactionInput{Scores: []string{"9"}}, "r1"), "q1", "quatre")
		if err := db.AnswerQuestionnaire(ctx, token, maillon.SatisfactionInput{Scores: []string{"4", "3", "4", "", "4"}, Comment: "Merci"}, "r1"); err != nil {
			t.Fatal(err)
		}
		if err := db.AddPaperAnswer(ctx, med, a.ID, ids[0], maillon.SatisfactionInput{Scores: []string{"2", "2", "2", "2", "2"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindQuestionnaire(ctx, "x"+token[1:], "r1"); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("unknown token: %v", err)
		}
		db.Clock.Advance(8 * 24 * time.Hour)
		if err := db.AnswerQuestionnaire(ctx, token, maillon.SatisfactionInput{Scores: []string{"4"}}, "r1"); !errors.Is(err, maillon.ErrConflict) ||
			!strings.Contains(err.Error(), "expiré") {
			t.Errorf("expired link: %v", err)
		}

		// Evaluation: computed counts, entered value, decision; the bilan
		// figures.
		if err := db.SetActiviteStatus(ctx, med, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteTerminee}); err != nil {
			t.Fatal(err)
		}
		wantField(t, "evaluee without decision", db.SetActiviteStatus(ctx, med, a.ID,
			maillon.ActiviteStatusInput{Status: maillon.ActiviteEvaluee}), "status", "décision")
		got = mustReadActivite(t, db, coord, a.ID)
		ev := maillon.EvaluationInput{Entered: map[int64]string{got.Objectives[2].ID: "6"}, Effects: "Des parents se parlent.",
			Decision: "poursuivre"}
		if err := db.SaveEvaluation(ctx, med, a.ID, ev); err != nil {
			t.Fatal(err)
		}
		if err := db.SetActiviteStatus(ctx, med, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteEvaluee}); err != nil {
			t.Fatal(err)
		}
		got = mustReadActivite(t, db, coord, a.ID)
		f := got.Figures
		if f.Present != 3 || f.Anonymous != 6 || f.Newcomers != 4 || f.SessionsHeld != 1 {
			t.Errorf("figures %+v", f)
		}
		if o := got.Objectives; o[0].Achieved != 9 || o[1].Achieved != 1 || o[2].Achieved != 6 || !o[2].Reached() || o[0].Reached() {
			t.Errorf("objectives %+v", o)
		}
		if got.Satisfaction.Answers != 2 || got.Satisfaction.Mean() != "2,8" || got.SatisfactionByQ[0].Counts[3] != 1 {
			t.Errorf("satisfaction %+v %s %+v", got.Satisfaction, got.Satisfaction.Mean(), got.SatisfactionByQ)
		}
		if got.PlannedTotal() != 300 || len(got.Partners) != 1 || got.Partners[0].Name != "École Jules Ferry" {
			t.Errorf("budget/partners %+v %+v", got.Budget, got.Partners)
		}
		// An evaluated project is final.
		if err := db.AddAdjustment(ctx, med, a.ID, maillon.AdjustmentInput{What: "x", Why: "y"}); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("change after evaluation: %v", err)
		}
		if err := db.SetActiviteStatus(ctx, med, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteAnnulee, Reason: "x"}); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("cancel after evaluation: %v", err)
		}
		// The audit trail holds the reads of the registrations.
		entries, _, err := db.FindAuditEntries(ctx, storetest.Actor(st.Admin), maillon.AuditFilter{Action: maillon.AuditSeanceRead, Limit: 10})
		if err != nil || len(entries) == 0 {
			t.Errorf("no audited read: %v", err)
		}
	})
}

func TestActiviteAccess(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Actions A")
		other := storetest.MustCreateStructure(t, db, "Actions B")
		med := storetest.Actor(st.Mediator)
		a := mustActivite(t, db, med)
		// Another structure's admin and a mediator of another team see
		// nothing; the coordination sees all.
		outsider := storetest.Actor(other.Admin)
		if _, err := db.FindActivite(ctx, outsider, a.ID); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("other structure: %v", err)
		}
		if err := db.AddAdjustment(ctx, outsider, a.ID, maillon.AdjustmentInput{What: "x", Why: "y"}); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("other structure change: %v", err)
		}
		med2 := storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)
		if _, err := db.FindActivite(ctx, storetest.Actor(med2), a.ID); !errors.Is(err, maillon.ErrNotFound) && st.Mediator.TeamID == 0 {
			t.Errorf("a mediator without the team: %v", err)
		}
		list, total, err := db.FindActivites(ctx, storetest.Actor(st.Coordinator), maillon.ActiviteFilter{Status: maillon.ActiviteIdee})
		if err != nil || total != 1 || len(list) != 1 {
			t.Errorf("coordination list: %d %v", total, err)
		}
		_, total, _ = db.FindActivites(ctx, outsider, maillon.ActiviteFilter{})
		if total != 0 {
			t.Errorf("other structure lists %d", total)
		}
		if err := db.SetActiviteStatus(ctx, med, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteAnnulee}); maillon.FieldsOf(err)["reason"] == "" {
			t.Errorf("cancel without reason: %v", err)
		}
		if err := db.SetActiviteStatus(ctx, med, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteAnnulee, Reason: "Salle indisponible"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSeances(ctx, med, a.ID, seanceInput("2026-04-01")); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("session on a cancelled project: %v", err)
		}
	})
}

func TestSeriesStartsMonthly(t *testing.T) {
	first := time.Date(2026, 1, 13, 18, 0, 0, 0, maillon.Paris) // 2nd Tuesday
	got := maillon.SeriesStarts(first, "mensuel", 3)
	want := []int{13, 10, 10} // 2nd Tuesdays of January, February, March 2026
	for i, d := range want {
		if got[i].Day() != d || got[i].Weekday() != time.Tuesday || got[i].Hour() != 18 {
			t.Errorf("session %d: %v", i, got[i])
		}
	}
}
