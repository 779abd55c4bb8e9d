package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// TestAgendaEditAndDelete: an edit follows the creation rules and the
// attendance rights, clears a presence when the event moves to the
// future, keeps a permanence's cancelled sessions that still fall on its
// days, and is audited by field name; deletion stops once a presence is
// recorded.
func TestAgendaEditAndDelete(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		admin := storetest.Actor(st.Admin)
		med := storetest.Actor(st.Mediator)
		coord := storetest.Actor(st.Coordinator)
		outsider := storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur))
		person := mustCreatePerson(t, db, med, newPerson("Awa", "Diallo"))

		// Now is Tuesday 10 March 2026, 10:30 in Paris.
		in := agendaInput(maillon.AgendaRendezVous, "2026-03-09", "14:30", "15:15", st.Mediator.ID)
		rdv := mustAgendaEvent(t, db, med, in)
		if err := db.SetAttendance(ctx, med, rdv.ID, maillon.AttendanceVenu); err != nil {
			t.Fatal(err)
		}

		// Rights: another structure does not see it; a mediator who is
		// not one of its mediators may not change it.
		_, _, err := db.UpdateAgendaEvent(ctx, storetest.Actor(other.Admin), rdv.ID, in)
		wantErrKind(t, "edit from another structure", err, maillon.ErrNotFound)
		err = db.DeleteAgendaEvent(ctx, storetest.Actor(other.Admin), rdv.ID)
		wantErrKind(t, "delete from another structure", err, maillon.ErrNotFound)
		_, _, err = db.UpdateAgendaEvent(ctx, outsider, rdv.ID, in)
		wantErrKind(t, "edit by a mediator of another event", err, maillon.ErrForbidden)
		err = db.DeleteAgendaEvent(ctx, outsider, rdv.ID)
		wantErrKind(t, "delete by a mediator of another event", err, maillon.ErrForbidden)

		// The creation rules apply, and the consent gate too.
		bad := in
		bad.EndTime = "14:00"
		_, _, err = db.UpdateAgendaEvent(ctx, med, rdv.ID, bad)
		if f := maillon.FieldsOf(err); f["end_time"] == "" {
			t.Errorf("invalid edit: %v", err)
		}
		noConsent := mustCreatePerson(t, db, med, newPerson("Noé", "Sansaccord"))
		if err := db.SetPersonArchived(ctx, med, noConsent.ID, true); err != nil {
			t.Fatal(err)
		}
		bad = in
		bad.PersonID = noConsent.ID
		_, _, err = db.UpdateAgendaEvent(ctx, med, rdv.ID, bad)
		if f := maillon.FieldsOf(err); !strings.Contains(f["person_id"], "accord") {
			t.Errorf("edit naming a person without consent: %v", err)
		}

		// Staying in the past keeps the presence; the coordinator may edit.
		past := in
		past.Time, past.EndTime, past.PersonID = "16:00", "17:00", person.ID
		e, cleared, err := db.UpdateAgendaEvent(ctx, coord, rdv.ID, past)
		if err != nil || cleared || e.Attendance != maillon.AttendanceVenu || e.PersonID != person.ID ||
			maillon.InParis(e.StartAt).Format("15:04") != "16:00" || !e.UpdatedAt.Equal(db.Clock.Now()) || e.Revision != 1 {
			t.Fatalf("edit in the past: %+v cleared=%v %v", e, cleared, err)
		}
		// Moving it to the future clears it.
		future := past
		future.Date = "2026-03-17"
		future.Mediators = []maillon.UserID{st.Mediator.ID, st.Coordinator.ID}
		e, cleared, err = db.UpdateAgendaEvent(ctx, med, rdv.ID, future)
		if err != nil || !cleared || e.Attendance != "" || len(e.Mediators) != 2 || e.Revision != 2 {
			t.Fatalf("edit to the future: %+v cleared=%v %v", e, cleared, err)
		}
		// The coordinator now sees it in their own week.
		week, err := db.FindAgenda(ctx, coord, maillon.AgendaQuery{From: time.Date(2026, 3, 16, 0, 0, 0, 0, maillon.Paris),
			To: time.Date(2026, 3, 23, 0, 0, 0, 0, maillon.Paris)})
		if err != nil || len(week.Occurrences) != 1 {
			t.Errorf("coordinator's week after the edit: %+v %v", week, err)
		}

		// The audit names the changed fields, never their values.
		entries, _, err := db.FindAuditEntries(ctx, admin, maillon.AuditFilter{Action: maillon.AuditAgendaUpdate, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var fields []string
		for _, a := range entries {
			if a.RecordType == "agenda_event" && a.RecordID == int64(rdv.ID) {
				fields = append(fields, a.Fields...)
			}
		}
		for _, want := range []string{"start_at", "end_at", "person_id", "mediators", "attendance_cleared"} {
			if !slices.Contains(fields, want) {
				t.Errorf("audit fields %v lack %s", fields, want)
			}
		}
		for _, f := range fields {
			if strings.Contains(f, "Diallo") || strings.Contains(f, "2026") {
				t.Errorf("audit field with a value: %q", f)
			}
		}

		// A permanence: the cancelled sessions still on its days stay.
		perm := agendaInput(maillon.AgendaPermanence, "2026-03-02", "09:00", "12:00", st.Mediator.ID)
		perm.RepeatUntil = "2026-05-04"
		p := mustAgendaEvent(t, db, med, perm)
		for _, d := range []string{"2026-03-16", "2026-04-27"} {
			if err := db.CancelOccurrence(ctx, med, p.ID, d); err != nil {
				t.Fatal(err)
			}
		}
		perm.Time, perm.EndTime, perm.RepeatUntil = "14:00", "17:00", "2026-04-20"
		e, _, err = db.UpdateAgendaEvent(ctx, med, p.ID, perm)
		if err != nil || len(e.Exceptions) != 1 || !maillon.DayOf(e.Exceptions[0]).Equal(time.Date(2026, 3, 16, 0, 0, 0, 0, maillon.Paris)) {
			t.Fatalf("permanence edit: %+v %v", e, err)
		}
		march := maillon.AgendaQuery{From: time.Date(2026, 3, 16, 0, 0, 0, 0, maillon.Paris), To: time.Date(2026, 3, 30, 0, 0, 0, 0, maillon.Paris)}
		view, err := db.FindAgenda(ctx, med, march)
		if err != nil {
			t.Fatal(err)
		}
		var starts []string
		for _, o := range view.Occurrences {
			if o.Event.ID == p.ID {
				starts = append(starts, maillon.InParis(o.StartAt).Format("01-02 15:04"))
			}
		}
		if !slices.Equal(starts, []string{"03-23 14:00"}) {
			t.Errorf("permanence sessions after the edit: %v", starts)
		}
		// Moved to Tuesdays, no cancelled session falls on its days.
		perm.Date = "2026-03-03"
		if e, _, err = db.UpdateAgendaEvent(ctx, med, p.ID, perm); err != nil || len(e.Exceptions) != 0 {
			t.Errorf("permanence moved to Tuesdays: %+v %v", e, err)
		}

		// Deletion: refused once a presence is recorded; otherwise gone.
		db.Clock.Set(time.Date(2026, 3, 17, 18, 0, 0, 0, time.UTC))
		if err := db.SetAttendance(ctx, med, rdv.ID, maillon.AttendanceAbsent); err != nil {
			t.Fatal(err)
		}
		err = db.DeleteAgendaEvent(ctx, med, rdv.ID)
		if !strings.Contains(maillon.ErrorMessage(err, ""), "annulé") {
			t.Errorf("delete with a presence: %v", err)
		}
		wantErrKind(t, "delete with a presence", err, maillon.ErrInvalid)
		if err := db.DeleteAgendaEvent(ctx, med, p.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindAgendaEvent(ctx, med, p.ID)
		wantErrKind(t, "deleted event", err, maillon.ErrNotFound)
		entries, _, err = db.FindAuditEntries(ctx, admin, maillon.AuditFilter{Action: maillon.AuditAgendaDelete, Limit: 10})
		if err != nil || len(entries) != 1 || entries[0].RecordID != int64(p.ID) {
			t.Errorf("delete audit: %+v %v", entries, err)
		}
	})
}
