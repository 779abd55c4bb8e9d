package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// journalFixture is a structure with a team of two mediators (the
// fixture's mediator and a colleague) and a mediator outside the team.
type journalFixture struct {
	st                            *storetest.Structure
	admin, coord                  maillon.Actor
	med, colleague, outsider      maillon.Actor
	medName, colleagueName        string
	team                          *maillon.Team
	teamScope, medScope, outScope maillon.JournalScope
}

func newJournalFixture(t *testing.T, db *storetest.DB) *journalFixture {
	t.Helper()
	st := storetest.MustCreateStructure(t, db, "Médiation Journal")
	fx := &journalFixture{st: st, admin: storetest.Actor(st.Admin), coord: storetest.Actor(st.Coordinator)}
	tm, err := db.CreateTeam(ctx, fx.admin, maillon.TeamInput{Name: "Équipe Nord"})
	if err != nil {
		t.Fatal(err)
	}
	fx.team = tm
	colleague := storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)
	for _, u := range []*maillon.User{st.Mediator, colleague} {
		if err := db.UpdateUser(ctx, fx.admin, u.ID, maillon.UserUpdate{TeamID: &tm.ID}); err != nil {
			t.Fatal(err)
		}
		u.TeamID = tm.ID
	}
	fx.med, fx.colleague = storetest.Actor(st.Mediator), storetest.Actor(colleague)
	fx.medName, fx.colleagueName = st.Mediator.DisplayName, colleague.DisplayName
	fx.outsider = storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur))
	fx.teamScope = maillon.JournalScope{TeamID: tm.ID}
	fx.medScope = maillon.JournalScope{MediatorID: st.Mediator.ID}
	fx.outScope = maillon.JournalScope{MediatorID: fx.outsider.UserID}
	return fx
}

func journalDay(s string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", s, maillon.Paris)
	if err != nil {
		panic(err)
	}
	return d
}

func mustJournalDay(t *testing.T, db *storetest.DB, actor maillon.Actor, scope maillon.JournalScope, day string) *maillon.JournalDay {
	t.Helper()
	jd, err := db.FindJournalDay(ctx, actor, scope, journalDay(day))
	if err != nil {
		t.Fatalf("FindJournalDay(%+v, %s): %v", scope, day, err)
	}
	return jd
}

func journalIDs(jd *maillon.JournalDay) []maillon.InterventionID {
	out := []maillon.InterventionID{}
	for _, e := range jd.Entries {
		out = append(out, e.InterventionID)
	}
	return out
}

func TestJournalDayContentsAndTotals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newJournalFixture(t, db)
		awa := mustCreatePerson(t, db, fx.med, newPerson("Awa", "Diallo"))
		paul := mustCreatePerson(t, db, fx.med, newPerson("Paul", "Martin"))
		if err := db.AddNote(ctx, fx.med, awa.ID, maillon.NoteInput{Text: "Note privée très confidentielle", Private: true}); err != nil {
			t.Fatal(err)
		}
		iv := func(actor maillon.Actor, day, clock, minutes string, people ...maillon.PersonID) maillon.InterventionInput {
			in := intervention(actor, day, clock, "personne", people...)
			in.Minutes = minutes
			return in
		}
		// Monday 9 March 2026: a binôme of the team in the morning, with
		// two procedures…
		binome := iv(fx.med, "2026-03-09", "10:00", "30", awa.ID)
		binome.Mediators = append(binome.Mediators, fx.colleague.UserID)
		binome.Anonymous = []maillon.AnonymousCount{{AgeBand: "26_44", Gender: "femme", Count: 2}}
		binome.Procedures = []maillon.ProcedureInput{
			{Organisme: "caf", Label: "Prime d'activité", Channel: "en_ligne", Mode: "faire_avec", Obstacles: []string{"email", "connexion"}},
			{Organisme: "cpam", Label: "Carte Vitale", Channel: "guichet", Mode: "seule_guidee"},
		}
		a := mustIntervention(t, db, fx.med, binome)
		// …the colleague alone in the afternoon, the mediator alone in the
		// evening (outside office hours), someone outside the team, and
		// the mediator just before and just after the day.
		c := mustIntervention(t, db, fx.colleague, iv(fx.colleague, "2026-03-09", "14:00", "60", paul.ID))
		evening := iv(fx.med, "2026-03-09", "20:00", "45", awa.ID)
		evening.Anonymous = []maillon.AnonymousCount{{AgeBand: "65_plus", Gender: "homme", Count: 1}}
		b := mustIntervention(t, db, fx.med, evening)
		d := mustIntervention(t, db, fx.outsider, iv(fx.outsider, "2026-03-09", "11:00", "20"))
		mustIntervention(t, db, fx.med, iv(fx.med, "2026-03-08", "23:59", "30"))
		mustIntervention(t, db, fx.med, iv(fx.med, "2026-03-10", "00:00", "30"))

		team := mustJournalDay(t, db, fx.coord, fx.teamScope, "2026-03-09")
		if got, want := journalIDs(team), []maillon.InterventionID{a.ID, c.ID, b.ID}; !reflect.DeepEqual(got, want) {
			t.Fatalf("team day = %v, want %v (binôme once, in time order)", got, want)
		}
		if team.Name != "Équipe Nord" || !team.Day.Equal(journalDay("2026-03-09")) || team.StructureID != fx.st.ID {
			t.Errorf("team day: name %q, day %v, structure %d", team.Name, team.Day, team.StructureID)
		}
		first := team.Entries[0]
		wantNames := []string{fx.medName, fx.colleagueName}
		if wantNames[0] > wantNames[1] {
			wantNames[0], wantNames[1] = wantNames[1], wantNames[0]
		}
		if !reflect.DeepEqual(first.Mediators, wantNames) || len(first.Persons) != 1 || first.Persons[0].ID != awa.ID ||
			first.Persons[0].Name != awa.DisplayName() || first.Anonymous != 2 || first.People() != 3 || first.Procedures != 2 ||
			!reflect.DeepEqual(first.Obstacles, []string{"connexion", "email"}) || first.Minutes != 30 || first.OutsideHours ||
			first.Registre != "accueil" || first.PlaceType != "permanence" {
			t.Errorf("binôme entry = %+v", first)
		}
		if !team.Entries[2].OutsideHours || team.Entries[1].OutsideHours {
			t.Errorf("outside hours: %v, %v", team.Entries[1].OutsideHours, team.Entries[2].OutsideHours)
		}
		tot := team.Totals
		want := maillon.JournalTotals{Interventions: 3, InterventionMinutes: 135, OutsideHours: 1, OutsideMinutes: 45,
			PersonsNamed: 2, Anonymous: 3, Procedures: 2, ObstacleTotal: 2,
			Obstacles: []maillon.JournalCount{{Code: "connexion", Label: "Pas de connexion", Count: 1}, {Code: "email", Label: "Pas d'adresse e-mail", Count: 1}}}
		if !reflect.DeepEqual(tot, want) {
			t.Errorf("team totals = %+v\nwant %+v", tot, want)
		}
		if strings.Contains(fmt.Sprintf("%+v", team), "confidentielle") {
			t.Error("a private note appears in the main courante")
		}

		// The mediator's own day: their two interventions; the colleague's,
		// read by the coordinator: theirs, the binôme included.
		own := mustJournalDay(t, db, fx.med, fx.medScope, "2026-03-09")
		if got := journalIDs(own); !reflect.DeepEqual(got, []maillon.InterventionID{a.ID, b.ID}) || own.Totals.InterventionMinutes != 75 ||
			own.Totals.PersonsNamed != 1 || own.Name != fx.medName {
			t.Errorf("mediator day = %v, totals %+v, name %q", got, own.Totals, own.Name)
		}
		col := mustJournalDay(t, db, fx.coord, maillon.JournalScope{MediatorID: fx.colleague.UserID}, "2026-03-09")
		if got := journalIDs(col); !reflect.DeepEqual(got, []maillon.InterventionID{a.ID, c.ID}) {
			t.Errorf("colleague day = %v", got)
		}
		out := mustJournalDay(t, db, fx.admin, fx.outScope, "2026-03-09")
		if got := journalIDs(out); !reflect.DeepEqual(got, []maillon.InterventionID{d.ID}) {
			t.Errorf("outsider day = %v", got)
		}
		// An empty day has zero totals and no comment.
		empty := mustJournalDay(t, db, fx.med, fx.teamScope, "2026-03-07")
		if len(empty.Entries) != 0 || empty.Totals.Interventions != 0 || empty.Comment.ID != 0 {
			t.Errorf("empty day = %+v", empty)
		}
	})
}

// A day runs from Paris midnight to Paris midnight: 23 hours when clocks
// go forward, 25 when they go back.
func TestJournalDayFollowsParisTimeAcrossDST(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newJournalFixture(t, db)
		db.Clock.Set(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
		mk := func(day, clock string) maillon.InterventionID {
			return mustIntervention(t, db, fx.med, intervention(fx.med, day, clock, "personne")).ID
		}
		for _, tc := range []struct{ day, before, after string }{
			{"2026-03-29", "2026-03-28", "2026-03-30"}, // 23 hours
			{"2026-10-25", "2026-10-24", "2026-10-26"}, // 25 hours
		} {
			mk(tc.before, "23:50")
			early, late := mk(tc.day, "00:10"), mk(tc.day, "23:40")
			mk(tc.after, "00:00")
			jd := mustJournalDay(t, db, fx.med, fx.teamScope, tc.day)
			if got := journalIDs(jd); !reflect.DeepEqual(got, []maillon.InterventionID{early, late}) {
				t.Errorf("%s: day = %v, want %v", tc.day, got, []maillon.InterventionID{early, late})
			}
		}
		from, to := maillon.JournalBounds(journalDay("2026-03-29"))
		if to.Sub(from) != 23*time.Hour {
			t.Errorf("29 March lasts %v", to.Sub(from))
		}
		from, to = maillon.JournalBounds(journalDay("2026-10-25"))
		if to.Sub(from) != 25*time.Hour {
			t.Errorf("25 October lasts %v", to.Sub(from))
		}
	})
}

func TestJournalDayAccess(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newJournalFixture(t, db)
		other := storetest.MustCreateStructure(t, db, "Autre structure")
		otherAdmin := storetest.Actor(other.Admin)
		otherTeam, err := db.CreateTeam(ctx, otherAdmin, maillon.TeamInput{Name: "Équipe Sud"})
		if err != nil {
			t.Fatal(err)
		}
		day := journalDay("2026-03-09")
		for _, tc := range []struct {
			name  string
			actor maillon.Actor
			scope maillon.JournalScope
			day   time.Time
			want  error // nil: allowed
		}{
			{"mediator, own day", fx.med, fx.medScope, day, nil},
			{"mediator, own team", fx.med, fx.teamScope, day, nil},
			{"mediator, a colleague", fx.med, maillon.JournalScope{MediatorID: fx.colleague.UserID}, day, maillon.ErrForbidden},
			{"mediator, a mediator outside the team", fx.med, fx.outScope, day, maillon.ErrForbidden},
			{"mediator without team, a team", fx.outsider, fx.teamScope, day, maillon.ErrForbidden},
			{"coordinator, a mediator", fx.coord, fx.outScope, day, nil},
			{"coordinator, a team", fx.coord, fx.teamScope, day, nil},
			{"admin, the coordinator", fx.admin, maillon.JournalScope{MediatorID: fx.coord.UserID}, day, nil},
			{"other structure's admin, a team", otherAdmin, fx.teamScope, day, maillon.ErrNotFound},
			{"other structure's admin, a mediator", otherAdmin, fx.medScope, day, maillon.ErrNotFound},
			{"mediator, another structure's team", fx.med, maillon.JournalScope{TeamID: otherTeam.ID}, day, maillon.ErrNotFound},
			{"coordinator, another structure's mediator", fx.coord, maillon.JournalScope{MediatorID: other.Mediator.ID}, day, maillon.ErrNotFound},
			{"coordinator, unknown team", fx.coord, maillon.JournalScope{TeamID: 987654}, day, maillon.ErrNotFound},
			{"both scopes", fx.coord, maillon.JournalScope{TeamID: fx.team.ID, MediatorID: fx.med.UserID}, day, maillon.ErrInvalid},
			{"no scope", fx.coord, maillon.JournalScope{}, day, maillon.ErrInvalid},
			{"zero day", fx.coord, fx.teamScope, time.Time{}, maillon.ErrInvalid},
			{"before 2000", fx.coord, fx.teamScope, journalDay("1999-12-31"), maillon.ErrInvalid},
			{"tomorrow", fx.coord, fx.teamScope, journalDay("2026-03-11"), nil},
			{"after tomorrow", fx.coord, fx.teamScope, journalDay("2026-03-12"), maillon.ErrInvalid},
			{"anonymous", maillon.Actor{Channel: maillon.ChannelWeb}, fx.teamScope, day, maillon.ErrUnauthenticated},
		} {
			_, err := db.FindJournalDay(ctx, tc.actor, tc.scope, tc.day)
			switch {
			case tc.want == nil && err != nil:
				t.Errorf("%s: %v, want success", tc.name, err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			}
		}
		_, err = db.FindJournalDay(ctx, fx.coord, fx.teamScope, journalDay("2026-03-12"))
		if f := maillon.FieldsOf(err); f["day"] == "" {
			t.Errorf("a day refused has no message on the day field: %v", err)
		}
	})
}

func TestJournalComment(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newJournalFixture(t, db)
		day := journalDay("2026-03-09")
		comment := func(actor maillon.Actor, scope maillon.JournalScope) maillon.JournalComment {
			t.Helper()
			return mustJournalDay(t, db, actor, scope, "2026-03-09").Comment
		}
		audited := func() int {
			t.Helper()
			return len(auditEntries(t, db, fx.admin, maillon.AuditFilter{Action: maillon.AuditJournalComment, Limit: 100}))
		}
		set := func(actor maillon.Actor, scope maillon.JournalScope, text string) error {
			return db.SetJournalComment(ctx, actor, scope, day, text)
		}

		if err := set(fx.coord, fx.teamScope, "  Journée calme,\nune orientation vers la CAF.  "); err != nil {
			t.Fatal(err)
		}
		c := comment(fx.med, fx.teamScope)
		if c.Text != "Journée calme,\nune orientation vers la CAF." || c.AuthorID != fx.coord.UserID ||
			c.AuthorName != fx.st.Coordinator.DisplayName || !c.UpdatedAt.Equal(db.Clock.Now()) || c.ID == 0 {
			t.Errorf("comment = %+v", c)
		}
		if n := audited(); n != 1 {
			t.Errorf("%d audit entries after the first comment, want 1", n)
		}
		entries := auditEntries(t, db, fx.admin, maillon.AuditFilter{Action: maillon.AuditJournalComment, Limit: 1})
		if e := entries[0]; e.ActorID != fx.coord.UserID || e.RecordType != "journal_comment" || e.RecordID != int64(c.ID) {
			t.Errorf("audit entry = %+v", e)
		}
		// The same text again changes nothing and leaves no trace.
		db.Clock.Advance(time.Hour)
		if err := set(fx.admin, fx.teamScope, "Journée calme,\nune orientation vers la CAF."); err != nil {
			t.Fatal(err)
		}
		if got := comment(fx.coord, fx.teamScope); got != c || audited() != 1 {
			t.Errorf("unchanged text rewrote the comment: %+v, %d audit entries", got, audited())
		}
		// Another day, and the mediator's own day, have their own comment.
		if got := mustJournalDay(t, db, fx.coord, fx.teamScope, "2026-03-08").Comment; got.Text != "" {
			t.Errorf("the comment shows on the day before: %+v", got)
		}
		if got := comment(fx.med, fx.medScope); got.Text != "" {
			t.Errorf("the team's comment shows on the mediator's day: %+v", got)
		}
		// Replaced by the administrator.
		if err := set(fx.admin, fx.teamScope, "Relu par l'administration."); err != nil {
			t.Fatal(err)
		}
		if got := comment(fx.coord, fx.teamScope); got.Text != "Relu par l'administration." || got.AuthorID != fx.admin.UserID ||
			got.ID != c.ID || !got.UpdatedAt.Equal(db.Clock.Now()) || audited() != 2 {
			t.Errorf("replaced comment = %+v, %d audit entries", got, audited())
		}
		if err := set(fx.coord, fx.medScope, "Bonne journée de terrain."); err != nil {
			t.Fatal(err)
		}
		if got := comment(fx.med, fx.medScope); got.Text != "Bonne journée de terrain." || audited() != 3 {
			t.Errorf("mediator day comment = %+v, %d audit entries", got, audited())
		}

		// Refusals leave everything as it was.
		other := storetest.MustCreateStructure(t, db, "Autre structure")
		tooLong := strings.Repeat("a", maillon.MaxLongTextLen+1)
		for _, tc := range []struct {
			name  string
			actor maillon.Actor
			scope maillon.JournalScope
			day   time.Time
			text  string
			want  error
			field string
		}{
			{"mediator", fx.med, fx.teamScope, day, "Pirate", maillon.ErrForbidden, ""},
			{"mediator, own day", fx.med, fx.medScope, day, "Pirate", maillon.ErrForbidden, ""},
			{"other structure's admin", storetest.Actor(other.Admin), fx.teamScope, day, "Pirate", maillon.ErrNotFound, ""},
			{"unknown team", fx.coord, maillon.JournalScope{TeamID: 987654}, day, "Pirate", maillon.ErrNotFound, ""},
			{"too long", fx.coord, fx.teamScope, day, tooLong, maillon.ErrInvalid, "comment"},
			{"tomorrow", fx.coord, fx.teamScope, journalDay("2026-03-11"), "Demain", maillon.ErrInvalid, "day"},
			{"zero day", fx.coord, fx.teamScope, time.Time{}, "Jamais", maillon.ErrInvalid, "day"},
			{"both scopes", fx.coord, maillon.JournalScope{TeamID: fx.team.ID, MediatorID: fx.med.UserID}, day, "Les deux", maillon.ErrInvalid, ""},
			{"anonymous", maillon.Actor{Channel: maillon.ChannelWeb}, fx.teamScope, day, "Pirate", maillon.ErrUnauthenticated, ""},
		} {
			err := db.SetJournalComment(ctx, tc.actor, tc.scope, tc.day, tc.text)
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			}
			if tc.field != "" && maillon.FieldsOf(err)[tc.field] == "" {
				t.Errorf("%s: no message on field %s: %v", tc.name, tc.field, err)
			}
		}
		if got := comment(fx.coord, fx.teamScope); got.Text != "Relu par l'administration." || audited() != 3 {
			t.Errorf("refusals changed the comment: %+v, %d audit entries", got, audited())
		}

		// An empty text clears the comment, once.
		if err := set(fx.coord, fx.teamScope, "  \n "); err != nil {
			t.Fatal(err)
		}
		if got := comment(fx.coord, fx.teamScope); got != (maillon.JournalComment{}) || audited() != 4 {
			t.Errorf("cleared comment = %+v, %d audit entries", got, audited())
		}
		if err := set(fx.coord, fx.teamScope, ""); err != nil {
			t.Fatal(err)
		}
		if audited() != 4 {
			t.Errorf("clearing an absent comment was audited")
		}
		// A new comment after clearing is a new row.
		if err := set(fx.coord, fx.teamScope, "De nouveau."); err != nil {
			t.Fatal(err)
		}
		if got := comment(fx.coord, fx.teamScope); got.Text != "De nouveau." || got.ID == c.ID || audited() != 5 {
			t.Errorf("comment after clearing = %+v, %d audit entries", got, audited())
		}
	})
}
