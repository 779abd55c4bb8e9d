package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

func agendaInput(kind string, date, from, to string, mediators ...maillon.UserID) maillon.AgendaInput {
	return maillon.AgendaInput{Kind: kind, Date: date, Time: from, EndTime: to, Mediators: mediators,
		Purpose: "Dossier de retraite", Documents: "Avis d'imposition, RIB", PlaceLabel: "Maison de quartier, 3 rue Haute"}
}

func mustAgendaEvent(t *testing.T, db *storetest.DB, actor maillon.Actor, in maillon.AgendaInput) *maillon.AgendaEvent {
	t.Helper()
	e, err := db.CreateAgendaEvent(ctx, actor, in)
	if err != nil {
		t.Fatalf("CreateAgendaEvent(%+v): %v", in, err)
	}
	return e
}

// TestAgendaEventsAndViews: a rendez-vous needs the dossier consent, a
// weekly permanence repeats in views but not on holidays or cancelled
// days, and the views follow the rights of each role.
func TestAgendaEventsAndViews(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		admin := storetest.Actor(st.Admin)
		team, err := db.CreateTeam(ctx, admin, maillon.TeamInput{Name: "Équipe Nord"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateUser(ctx, admin, st.Mediator.ID, maillon.UserUpdate{TeamID: &team.ID}); err != nil {
			t.Fatal(err)
		}
		med := storetest.Actor(st.Mediator)
		med.TeamID = team.ID
		coord := storetest.Actor(st.Coordinator)
		person := mustCreatePerson(t, db, med, newPerson("Awa", "Diallo"))

		// The consent gate and the form's checks.
		in := agendaInput(maillon.AgendaRendezVous, "2026-03-12", "14:30", "15:15", st.Mediator.ID)
		in.PersonID = person.ID
		rdv := mustAgendaEvent(t, db, med, in)
		if rdv.PersonName != "Awa Diallo" || rdv.Initials != "A. D." || rdv.TeamID != team.ID || len(rdv.Mediators) != 1 {
			t.Errorf("rendez-vous: %+v", rdv)
		}
		if got := maillon.InParis(rdv.StartAt).Format("2006-01-02 15:04"); got != "2026-03-12 14:30" {
			t.Errorf("start %s", got)
		}
		theirs := mustCreatePerson(t, db, storetest.Actor(other.Mediator), newPerson("Lina", "Ailleurs"))
		bad := agendaInput(maillon.AgendaRendezVous, "2026-03-12", "16:00", "15:00", st.Mediator.ID, other.Mediator.ID)
		bad.PersonID = theirs.ID
		_, err = db.CreateAgendaEvent(ctx, med, bad)
		f := maillon.FieldsOf(err)
		if !errors.Is(err, maillon.ErrInvalid) || f["end_time"] == "" || f["mediators"] == "" || f["person_id"] == "" {
			t.Errorf("invalid input: %v %v", err, f)
		}
		if err := db.SetPersonArchived(ctx, med, person.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateAgendaEvent(ctx, med, in)
		if f := maillon.FieldsOf(err); !strings.Contains(f["person_id"], "accord") {
			t.Errorf("archived person: %v", err)
		}
		if err := db.SetPersonArchived(ctx, med, person.ID, false); err != nil {
			t.Fatal(err)
		}

		// A weekly permanence from Monday 2 March to 4 May 2026: Easter
		// Monday (6 April) is skipped, and so is a cancelled day.
		perm := agendaInput(maillon.AgendaPermanence, "2026-03-02", "09:00", "12:00", st.Mediator.ID)
		perm.RepeatUntil = "2026-05-04"
		p := mustAgendaEvent(t, db, med, perm)
		if err := db.CancelOccurrence(ctx, med, p.ID, "2026-03-16"); err != nil {
			t.Fatal(err)
		}
		err = db.CancelOccurrence(ctx, med, p.ID, "2026-03-17")
		if f := maillon.FieldsOf(err); f["day"] == "" {
			t.Errorf("cancel a day without session: %v", err)
		}
		month := func(q maillon.AgendaQuery) []maillon.AgendaOccurrence {
			t.Helper()
			q.From = time.Date(2026, 3, 30, 0, 0, 0, 0, maillon.Paris)
			q.To = q.From.AddDate(0, 0, 14)
			a, err := db.FindAgenda(ctx, med, q)
			if err != nil {
				t.Fatal(err)
			}
			return a.Occurrences
		}
		occ := month(maillon.AgendaQuery{})
		if len(occ) != 1 || maillon.InParis(occ[0].StartAt).Format("01-02 15:04") != "03-30 09:00" {
			t.Errorf("two weeks with Easter Monday: %+v", occ)
		}
		week, err := db.FindAgenda(ctx, med, maillon.AgendaQuery{From: time.Date(2026, 3, 9, 0, 0, 0, 0, maillon.Paris),
			To: time.Date(2026, 3, 23, 0, 0, 0, 0, maillon.Paris)})
		if err != nil {
			t.Fatal(err)
		}
		var days []string
		for _, o := range week.Occurrences {
			days = append(days, maillon.InParis(o.StartAt).Format("01-02"))
		}
		if strings.Join(days, ",") != "03-09,03-12" {
			t.Errorf("weeks of 9 and 16 March: %v", days)
		}
		// The team view shows the team's events; the coordination may
		// open any mediator's agenda, a mediator only their own.
		if occ := month(maillon.AgendaQuery{TeamID: team.ID}); len(occ) != 1 {
			t.Errorf("team view: %d", len(occ))
		}
		_, err = db.FindAgenda(ctx, med, maillon.AgendaQuery{UserID: st.Coordinator.ID, From: week.Query.From, To: week.Query.To})
		wantErrKind(t, "mediator opening a colleague's agenda", err, maillon.ErrForbidden)
		if _, err := db.FindAgenda(ctx, coord, maillon.AgendaQuery{UserID: st.Mediator.ID, From: week.Query.From, To: week.Query.To}); err != nil {
			t.Errorf("coordinator opening a mediator's agenda: %v", err)
		}
		_, err = db.FindAgenda(ctx, storetest.Actor(other.Admin), maillon.AgendaQuery{TeamID: team.ID, From: week.Query.From, To: week.Query.To})
		wantErrKind(t, "another structure's team", err, maillon.ErrNotFound)
		_, err = db.FindAgenda(ctx, med, maillon.AgendaQuery{From: week.Query.From, To: week.Query.From.AddDate(0, 2, 0)})
		wantErrKind(t, "two months", err, maillon.ErrInvalid)

		// Attendance: only "annulé" before the time; then the others.
		err = db.SetAttendance(ctx, med, rdv.ID, maillon.AttendanceVenu)
		if f := maillon.FieldsOf(err); f["attendance"] == "" {
			t.Errorf("attendance before the time: %v", err)
		}
		db.Clock.Set(rdv.EndAt)
		if err := db.SetAttendance(ctx, med, rdv.ID, maillon.AttendanceAbsent); err != nil {
			t.Fatal(err)
		}
		err = db.SetAttendance(ctx, med, p.ID, maillon.AttendanceAnnule)
		wantErrKind(t, "attendance of a permanence", err, maillon.ErrInvalid)
		err = db.SetAttendance(ctx, storetest.Actor(other.Admin), rdv.ID, maillon.AttendanceVenu)
		wantErrKind(t, "attendance by another structure", err, maillon.ErrNotFound)
		outsider := storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur))
		err = db.SetAttendance(ctx, outsider, rdv.ID, maillon.AttendanceVenu)
		wantErrKind(t, "attendance by a mediator of another event", err, maillon.ErrForbidden)

		// The person's file lists the appointment, in the timeline too.
		file := mustFile(t, db, med, person.ID)
		if len(file.Appointments) != 1 || file.Appointments[0].Attendance != maillon.AttendanceAbsent {
			t.Errorf("appointments: %+v", file.Appointments)
		}
		found := false
		for _, e := range file.Timeline {
			found = found || (e.Kind == "appointment" && strings.Contains(e.Detail, "Absent"))
		}
		if !found {
			t.Errorf("timeline without the appointment: %+v", file.Timeline)
		}

		// The card and the reading are audited; another structure sees
		// nothing.
		card, err := db.FindAgendaCard(ctx, med, rdv.ID)
		if err != nil || card.StructureName != "Médiation" || card.MediatorFirst == "" {
			t.Errorf("card: %+v %v", card, err)
		}
		_, err = db.FindAgendaCard(ctx, med, p.ID)
		wantErrKind(t, "card of a permanence", err, maillon.ErrNotFound)
		_, err = db.FindAgendaEvent(ctx, storetest.Actor(other.Admin), rdv.ID)
		wantErrKind(t, "FindAgendaEvent by another structure", err, maillon.ErrNotFound)
		if _, err := db.FindAgendaEvent(ctx, med, rdv.ID); err != nil {
			t.Fatal(err)
		}
		entries, _, err := db.FindAuditEntries(ctx, admin, maillon.AuditFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[maillon.AuditAction]bool{}
		for _, e := range entries {
			seen[e.Action] = true
		}
		for _, a := range []maillon.AuditAction{maillon.AuditAgendaCreate, maillon.AuditAgendaRead, maillon.AuditAgendaPrint,
			maillon.AuditAgendaAttendance, maillon.AuditAgendaCancel} {
			if !seen[a] {
				t.Errorf("no audit entry %s", a)
			}
		}
	})
}

// TestAgendaFeed: the token is shown once, stored hashed, replaced and
// revoked; the feed covers three months back and a year ahead.
func TestAgendaFeed(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		med := storetest.Actor(st.Mediator)
		mustAgendaEvent(t, db, med, agendaInput(maillon.AgendaReunion, "2026-03-20", "10:00", "11:00", st.Mediator.ID))
		mustAgendaEvent(t, db, med, agendaInput(maillon.AgendaReunion, "2025-11-20", "10:00", "11:00", st.Mediator.ID))
		mustAgendaEvent(t, db, storetest.Actor(st.Coordinator), agendaInput(maillon.AgendaReunion, "2026-03-21", "10:00", "11:00", st.Coordinator.ID))

		if f, err := db.FindAgendaFeed(ctx, med); err != nil || f.Active() {
			t.Fatalf("feed before creation: %+v %v", f, err)
		}
		wantErrKind(t, "revoke without feed", db.RevokeAgendaFeed(ctx, med), maillon.ErrInvalid)
		tok, err := db.CreateAgendaFeed(ctx, med)
		if err != nil || len(tok) < 43 {
			t.Fatalf("token %q: %v", tok, err)
		}
		d, err := db.FindFeedData(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Events) != 1 || d.UserID != st.Mediator.ID {
			t.Errorf("feed events: %+v", d.Events)
		}
		if f, _ := db.FindAgendaFeed(ctx, med); !f.Active() || f.LastUsedAt.IsZero() {
			t.Errorf("feed state after use: %+v", f)
		}
		again, err := db.CreateAgendaFeed(ctx, med)
		if err != nil || again == tok {
			t.Fatalf("regenerate: %v", err)
		}
		_, err = db.FindFeedData(ctx, tok)
		wantErrKind(t, "replaced token", err, maillon.ErrNotFound)
		if err := db.RevokeAgendaFeed(ctx, med); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindFeedData(ctx, again)
		wantErrKind(t, "revoked token", err, maillon.ErrNotFound)
		_, err = db.FindFeedData(ctx, "court")
		wantErrKind(t, "short token", err, maillon.ErrNotFound)
		// A deactivated account's feed stops.
		tok, _ = db.CreateAgendaFeed(ctx, med)
		if err := db.SetUserActive(ctx, storetest.Actor(st.Admin), st.Mediator.ID, false); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindFeedData(ctx, tok)
		wantErrKind(t, "inactive account", err, maillon.ErrNotFound)
	})
}
