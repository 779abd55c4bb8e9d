package demo_test

import (
	"context"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// Ensure the demo agenda fills the views: the demo mediator's day and
// weeks, the teams' permanences, and the attendance of past appointments.
func TestDemoAgenda(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		ctx := context.Background()
		l := load(t, db, 1)
		if l.sum.Agenda < 100 {
			t.Fatalf("%d agenda events", l.sum.Agenda)
		}
		u := l.users["mediation@demo.maillon.test"]
		karim := maillon.Actor{UserID: u.ID, StructureID: u.StructureID, TeamID: u.TeamID, Role: u.Role, Channel: maillon.ChannelWeb}
		today, err := l.services.Agenda.FindAgenda(ctx, karim, maillon.AgendaQuery{From: l.today, To: l.today.AddDate(0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if !l.today.Equal(maillon.DayOf(l.today)) || (len(today.Occurrences) < 3 && !maillon.HolidaysMetropole.IsHoliday(l.today)) {
			t.Errorf("the demo mediator's day: %d events", len(today.Occurrences))
		}
		week := maillon.WeekStart(l.today)
		kinds := map[string]int{}
		attended, pastRdv := 0, 0
		for _, from := range []int{-14, -7, 0, 7} {
			ag, err := l.services.Agenda.FindAgenda(ctx, karim, maillon.AgendaQuery{TeamID: u.TeamID,
				From: week.AddDate(0, 0, from), To: week.AddDate(0, 0, from+7)})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range ag.Occurrences {
				kinds[o.Event.Kind]++
				if o.Event.Kind == maillon.AgendaRendezVous && o.EndAt.Before(l.today) {
					pastRdv++
					if o.Event.Attendance != "" {
						attended++
					}
				}
			}
		}
		for _, k := range []string{maillon.AgendaRendezVous, maillon.AgendaPermanence, maillon.AgendaReunion} {
			if kinds[k] == 0 {
				t.Errorf("no %s in the team's four weeks: %v", k, kinds)
			}
		}
		if pastRdv == 0 || attended != pastRdv {
			t.Errorf("attendance of past appointments: %d of %d", attended, pastRdv)
		}
	})
}
