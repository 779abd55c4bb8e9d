package demo_test

import (
	"context"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// The demo mediator has practice notes the coordinator cannot see, and the
// team has group sessions with attendees.
func TestLoadPractice(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		l := load(t, db, 42)
		ctx := context.Background()
		u := l.users["mediation@demo.maillon.test"]
		karim := maillon.Actor{UserID: u.ID, StructureID: u.StructureID, TeamID: u.TeamID, Role: u.Role, Channel: maillon.ChannelWeb}
		notes, total, err := l.services.Practice.FindPracticeNotes(ctx, karim, 0, 20)
		if err != nil || total < 3 || notes[0].Questions == "" {
			t.Fatalf("the demo mediator's notes: %d, %v", total, err)
		}
		if _, n, _ := l.services.Practice.FindPracticeNotes(ctx, l.coord, 0, 20); n != 0 {
			t.Errorf("the coordinator has %d notes", n)
		}
		if _, err := l.services.Practice.FindPracticeNote(ctx, l.coord, notes[0].ID); err == nil {
			t.Error("the coordinator reads the mediator's note")
		}
		sessions, n, err := l.services.Practice.FindPracticeSessions(ctx, karim, 0, 20)
		if err != nil || n != 2 || !sessions[0].Attended(u.ID) || !strings.Contains(sessions[0].Facilitator, "psychologue") ||
			!sessions[0].HeldOn.After(sessions[1].HeldOn) || !sessions[0].HeldOn.Before(l.today) {
			t.Errorf("sessions: %+v, %d, %v", sessions, n, err)
		}
	})
}
