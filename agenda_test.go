package maillon_test

import (
	"strings"
	"testing"
	"time"

	"maillon"
)

func TestAgendaInputValidate(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	valid := func() maillon.AgendaInput {
		return maillon.AgendaInput{Kind: maillon.AgendaRendezVous, Date: "2026-03-12", Time: "14:30", EndTime: "15:15",
			Mediators: []maillon.UserID{1, 1}, Purpose: "  Dossier de retraite "}
	}
	in := valid()
	times, err := in.Validate(now)
	if err != nil {
		t.Fatal(err)
	}
	if got := maillon.InParis(times.Start).Format("2006-01-02 15:04"); got != "2026-03-12 14:30" || times.End.Sub(times.Start) != 45*time.Minute {
		t.Errorf("times %v %v", times.Start, times.End)
	}
	if len(in.Mediators) != 1 || in.Purpose != "Dossier de retraite" {
		t.Errorf("cleaned input %+v", in)
	}
	for _, tc := range []struct {
		name, field string
		change      func(*maillon.AgendaInput)
	}{
		{"unknown kind", "kind", func(in *maillon.AgendaInput) { in.Kind = "fete" }},
		{"impossible date", "date", func(in *maillon.AgendaInput) { in.Date = "2026-02-30" }},
		{"too far ahead", "date", func(in *maillon.AgendaInput) { in.Date = "2028-06-01" }},
		{"before 2000", "date", func(in *maillon.AgendaInput) { in.Date = "1999-12-31" }},
		{"no time", "time", func(in *maillon.AgendaInput) { in.Time = "" }},
		{"24:00 start", "time", func(in *maillon.AgendaInput) { in.Time = "24:00" }},
		{"end before start", "end_time", func(in *maillon.AgendaInput) { in.EndTime = "14:00" }},
		{"repeat of a rendez-vous", "repeat_until", func(in *maillon.AgendaInput) { in.RepeatUntil = "2026-04-30" }},
		{"no mediator", "mediators", func(in *maillon.AgendaInput) { in.Mediators = nil }},
		{"seven mediators", "mediators", func(in *maillon.AgendaInput) { in.Mediators = []maillon.UserID{1, 2, 3, 4, 5, 6, 7} }},
		{"person at a meeting", "person_id", func(in *maillon.AgendaInput) { in.Kind, in.PersonID = maillon.AgendaReunion, 4 }},
		{"zone without commune", "place", func(in *maillon.AgendaInput) { in.ZoneID = 3 }},
		{"unknown theme", "theme", func(in *maillon.AgendaInput) { in.Theme = "astrologie" }},
		{"no purpose", "purpose", func(in *maillon.AgendaInput) { in.Purpose = " " }},
		{"control character", "documents", func(in *maillon.AgendaInput) { in.Documents = "RIB\x00" }},
		{"long purpose", "purpose", func(in *maillon.AgendaInput) { in.Purpose = strings.Repeat("é", 251) }},
	} {
		in := valid()
		tc.change(&in)
		_, err := in.Validate(now)
		if f := maillon.FieldsOf(err); f[tc.field] == "" {
			t.Errorf("%s: fields %v, want an error on %s", tc.name, f, tc.field)
		}
	}
	perm := valid()
	perm.Kind, perm.RepeatUntil = maillon.AgendaPermanence, "2026-12-31"
	if times, err := perm.Validate(now); err != nil || times.RepeatUntil.IsZero() {
		t.Errorf("permanence: %v %v", times, err)
	}
	perm.RepeatUntil = "2028-12-31"
	if _, err := perm.Validate(now); maillon.FieldsOf(err)["repeat_until"] == "" {
		t.Error("a permanence over more than two years")
	}
}

// TestAgendaOccurrences: a weekly permanence keeps its Paris time across
// the change to summer time, skips holidays and cancelled days, and a
// view sees only what overlaps it.
func TestAgendaOccurrences(t *testing.T) {
	start := time.Date(2026, 3, 23, 9, 0, 0, 0, maillon.Paris) // Monday; summer time begins on the 29th
	e := maillon.AgendaEvent{ID: 1, Kind: maillon.AgendaPermanence, StartAt: start.UTC(), EndAt: start.Add(3 * time.Hour).UTC(),
		RepeatUntil: time.Date(2026, 5, 4, 0, 0, 0, 0, maillon.Paris),
		Exceptions:  []time.Time{time.Date(2026, 4, 20, 0, 0, 0, 0, maillon.Paris)}}
	occ := e.Occurrences(maillon.HolidaysMetropole, start.AddDate(0, 0, -3), start.AddDate(0, 3, 0))
	var got []string
	for _, o := range occ {
		got = append(got, maillon.InParis(o.StartAt).Format("01-02 15:04"))
	}
	// 6 April is Easter Monday, 20 April cancelled; 4 May is the last.
	if strings.Join(got, ",") != "03-23 09:00,03-30 09:00,04-13 09:00,04-27 09:00,05-04 09:00" {
		t.Errorf("occurrences %v", got)
	}
	skipped := e.SkippedDays(maillon.HolidaysMetropole)
	if len(skipped) != 2 || maillon.InParis(skipped[0]).Format("01-02 15:04") != "04-06 09:00" {
		t.Errorf("skipped %v", skipped)
	}
	// A view starting mid-session still shows it; one ending at its start
	// does not.
	if n := len(e.Occurrences(maillon.HolidaysMetropole, start.Add(time.Hour), start.Add(2*time.Hour))); n != 1 {
		t.Errorf("mid-session view: %d", n)
	}
	if n := len(e.Occurrences(maillon.HolidaysMetropole, start.Add(-time.Hour), start)); n != 0 {
		t.Errorf("view ending at the start: %d", n)
	}
	one := maillon.AgendaEvent{ID: 2, StartAt: start.Add(24 * time.Hour), EndAt: start.Add(25 * time.Hour)}
	all := maillon.ExpandAgenda([]maillon.AgendaEvent{one, e}, maillon.HolidaysMetropole, start, start.AddDate(0, 0, 7))
	if len(all) != 2 || all[0].Event.ID != 1 || all[1].Event.ID != 2 {
		t.Errorf("expanded %+v", all)
	}
	if w := maillon.WeekStart(time.Date(2026, 3, 29, 23, 30, 0, 0, maillon.Paris)); w.Format("2006-01-02") != "2026-03-23" {
		t.Errorf("week of Sunday 29 March starts %v", w)
	}
}

func TestCheckAttendance(t *testing.T) {
	start := time.Date(2026, 3, 12, 13, 30, 0, 0, time.UTC)
	e := &maillon.AgendaEvent{Kind: maillon.AgendaRendezVous, StartAt: start, EndAt: start.Add(time.Hour)}
	before, after := start.Add(-time.Hour), start.Add(time.Minute)
	for _, tc := range []struct {
		status string
		now    time.Time
		ok     bool
	}{
		{maillon.AttendanceAnnule, before, true}, {maillon.AttendanceVenu, before, false},
		{maillon.AttendanceVenu, after, true}, {maillon.AttendanceAbsent, after, true}, {maillon.AttendanceExcuse, after, true},
		{"", after, false}, {"peut-etre", after, false},
	} {
		if err := maillon.CheckAttendance(e, tc.status, tc.now); (err == nil) != tc.ok {
			t.Errorf("%q at %v: %v", tc.status, tc.now, err)
		}
	}
	e.RepeatUntil = start.AddDate(0, 1, 0)
	if maillon.CheckAttendance(e, maillon.AttendanceAnnule, after) == nil {
		t.Error("attendance of a weekly permanence")
	}
	if got := maillon.Initials(" élodie", "da Silva"); got != "É. D." {
		t.Errorf("initials %q", got)
	}
}

// TestAttendanceStaysValid: an edit keeps a presence only while the
// event stays in the past; "annulé" stays, but not on a permanence.
func TestAttendanceStaysValid(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	for _, c := range []struct {
		status    string
		start     time.Time
		recurring bool
		want      bool
	}{
		{"", future, false, true},
		{maillon.AttendanceVenu, past, false, true},
		{maillon.AttendanceVenu, now, false, true},
		{maillon.AttendanceAbsent, future, false, false},
		{maillon.AttendanceExcuse, future, false, false},
		{maillon.AttendanceAnnule, future, false, true},
		{maillon.AttendanceAnnule, past, true, false},
		{maillon.AttendanceVenu, past, true, false},
	} {
		if got := maillon.AttendanceStaysValid(c.status, c.start, c.recurring, now); got != c.want {
			t.Errorf("AttendanceStaysValid(%q, %v, %v) = %v", c.status, c.start, c.recurring, got)
		}
	}
}
