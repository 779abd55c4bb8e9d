package store_test

import (
	"errors"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

func practiceNote(situation string) maillon.PracticeNoteInput {
	return maillon.PracticeNoteInput{Situation: situation, Action: "J'ai proposé un rendez-vous au calme.",
		Raised: "De la colère, la mienne aussi.", Learnt: "Poser le cadre plus tôt.", Questions: "Comment dire non sans rompre ?"}
}

func TestPracticeNotesAreTheAuthorsAlone(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		med := storetest.Actor(st.Mediator)
		n, err := db.CreatePracticeNote(ctx, med, practiceNote("Un homme âgé très en colère à la permanence, zéphyrin."))
		if err != nil {
			t.Fatal(err)
		}
		if n.AuthorID != st.Mediator.ID || n.Questions == "" || n.CreatedAt.IsZero() {
			t.Errorf("created note: %+v", n)
		}
		mine, total, err := db.FindPracticeNotes(ctx, med, 0, 20)
		if err != nil || total != 1 || len(mine) != 1 || mine[0].ID != n.ID {
			t.Fatalf("author's list: %v, %d, %v", mine, total, err)
		}
		// Nobody else, whatever the role, sees or touches it: not found,
		// so that even its existence is not revealed.
		others := map[string]maillon.Actor{"coordinator": storetest.Actor(st.Coordinator), "admin": storetest.Actor(st.Admin),
			"operator": maillon.OperatorActor()}
		for name, a := range others {
			_, err := db.FindPracticeNote(ctx, a, n.ID)
			wantErrKind(t, name+" FindPracticeNote", err, maillon.ErrNotFound)
			wantErrKind(t, name+" UpdatePracticeNote", db.UpdatePracticeNote(ctx, a, n.ID, practiceNote("Réécrite")), maillon.ErrNotFound)
			wantErrKind(t, name+" DeletePracticeNote", db.DeletePracticeNote(ctx, a, n.ID), maillon.ErrNotFound)
		}
		for _, name := range []string{"coordinator", "admin"} {
			list, total, err := db.FindPracticeNotes(ctx, others[name], 0, 20)
			if err != nil || total != 0 || len(list) != 0 {
				t.Errorf("%s's list: %v, %d, %v", name, list, total, err)
			}
		}
		_, _, err = db.FindPracticeNotes(ctx, maillon.OperatorActor(), 0, 20)
		wantErrKind(t, "operator FindPracticeNotes", err, maillon.ErrForbidden)
		_, err = db.CreatePracticeNote(ctx, maillon.OperatorActor(), practiceNote("Sans auteur"))
		wantErrKind(t, "operator CreatePracticeNote", err, maillon.ErrForbidden)

		got, err := db.FindPracticeNote(ctx, med, n.ID)
		if err != nil || got.Situation != n.Situation {
			t.Fatalf("author reads: %+v, %v", got, err)
		}
		in := practiceNote("Situation reprise, zéphyrin.")
		in.Questions = ""
		if err := db.UpdatePracticeNote(ctx, med, n.ID, in); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindPracticeNote(ctx, med, n.ID); got.Situation != in.Situation || got.Questions != "" {
			t.Errorf("updated note: %+v", got)
		}
		// Nowhere else: a search of people does not reach the notes.
		found, _, err := db.FindPersons(ctx, storetest.Actor(st.Admin), maillon.PersonFilter{Query: "zéphyrin"})
		if err != nil || len(found) != 0 {
			t.Errorf("a person search found %v, %v", found, err)
		}

		if err := db.DeletePracticeNote(ctx, med, n.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindPracticeNote(ctx, med, n.ID)
		wantErrKind(t, "FindPracticeNote after delete", err, maillon.ErrNotFound)
		wantErrKind(t, "second delete", db.DeletePracticeNote(ctx, med, n.ID), maillon.ErrNotFound)
		if _, total, _ := db.FindPracticeNotes(ctx, med, 0, 20); total != 0 {
			t.Errorf("%d notes left after delete", total)
		}

		// The audit says who wrote, changed and deleted a note, and
		// nothing of the note: no record ID, no field.
		entries, _, err := db.FindAuditEntries(ctx, storetest.Actor(st.Admin), maillon.AuditFilter{ActorID: st.Mediator.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			if strings.HasPrefix(string(e.Action), "practice_note.") {
				actions = append(actions, string(e.Action))
				if e.RecordID != 0 || len(e.Fields) != 0 || e.ActorID != st.Mediator.ID {
					t.Errorf("audit entry of a note carries %+v", e)
				}
			}
		}
		if strings.Join(actions, " ") != "practice_note.delete practice_note.update practice_note.create" {
			t.Errorf("audit actions %v", actions)
		}
		if maillon.AuditPracticeNoteDelete.Label() != "Note de pratique supprimée" {
			t.Errorf("delete label %q", maillon.AuditPracticeNoteDelete.Label())
		}
	})
}

func TestPracticeNoteValidation(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		med := storetest.Actor(st.Mediator)
		_, err := db.CreatePracticeNote(ctx, med, maillon.PracticeNoteInput{Situation: "  ", Learnt: "x"})
		if f := maillon.FieldsOf(err); !errors.Is(err, maillon.ErrInvalid) || f["situation"] == "" {
			t.Errorf("empty situation: %v", err)
		}
		in := practiceNote(strings.Repeat("é", maillon.MaxPracticeTextLen))
		in.Raised = strings.Repeat("a", maillon.MaxPracticeTextLen+1)
		_, err = db.CreatePracticeNote(ctx, med, in)
		if f := maillon.FieldsOf(err); f["raised"] == "" || f["situation"] != "" {
			t.Errorf("10,000 characters and one more: %v", err)
		}
		if _, total, _ := db.FindPracticeNotes(ctx, med, 0, 20); total != 0 {
			t.Errorf("an invalid note was saved")
		}
	})
}

func sessionInput(attendees ...maillon.UserID) maillon.PracticeSessionInput {
	return maillon.PracticeSessionInput{HeldOn: "2026-03-05", Facilitator: "Mme Roux, psychologue", Themes: []string{"posture", "charge"},
		ThemesText: "Fin d'accompagnement", Attendees: attendees, Summary: "Travail sur la juste distance."}
}

func TestPracticeSessions(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		med := storetest.Actor(st.Mediator)
		second := storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)
		ps, err := db.CreatePracticeSession(ctx, med, sessionInput(st.Mediator.ID, second.ID, second.ID))
		if err != nil {
			t.Fatal(err)
		}
		if len(ps.Attendees) != 2 || !ps.Attended(second.ID) || maillon.InParis(ps.HeldOn).Format("2006-01-02") != "2026-03-05" ||
			strings.Join(ps.ThemeLabels(), "|") != "Posture professionnelle et juste distance|Charge émotionnelle et usure|Fin d'accompagnement" {
			t.Errorf("session: %+v", ps)
		}
		// Every member of the structure reads it; another structure does not.
		list, total, err := db.FindPracticeSessions(ctx, storetest.Actor(second), 0, 20)
		if err != nil || total != 1 || len(list[0].Attendees) != 2 {
			t.Errorf("team list: %+v, %d, %v", list, total, err)
		}
		oa := storetest.Actor(other.Admin)
		if list, _, _ := db.FindPracticeSessions(ctx, oa, 0, 20); len(list) != 0 {
			t.Errorf("another structure lists %v", list)
		}
		_, err = db.FindPracticeSession(ctx, oa, ps.ID)
		wantErrKind(t, "FindPracticeSession by another structure", err, maillon.ErrNotFound)
		wantErrKind(t, "UpdatePracticeSession by another structure", db.UpdatePracticeSession(ctx, oa, ps.ID, sessionInput()), maillon.ErrNotFound)

		// Attendees are accounts of the structure.
		_, err = db.CreatePracticeSession(ctx, med, sessionInput(other.Mediator.ID))
		if f := maillon.FieldsOf(err); f["attendees"] == "" {
			t.Errorf("attendee of another structure: %v", err)
		}
		bad := sessionInput()
		bad.HeldOn, bad.Facilitator, bad.Themes, bad.ThemesText = "2026-13-40", "", nil, ""
		_, err = db.CreatePracticeSession(ctx, med, bad)
		if f := maillon.FieldsOf(err); f["held_on"] == "" || f["facilitator"] == "" || f["themes"] == "" {
			t.Errorf("invalid session: %v", err)
		}

		// Its author, coordinators and administrators change it; another
		// mediator does not.
		wantErrKind(t, "update by another mediator", db.UpdatePracticeSession(ctx, storetest.Actor(second), ps.ID, sessionInput()), maillon.ErrForbidden)
		in := sessionInput(second.ID)
		in.Summary = ""
		if err := db.UpdatePracticeSession(ctx, storetest.Actor(st.Coordinator), ps.ID, in); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindPracticeSession(ctx, med, ps.ID)
		if err != nil || len(got.Attendees) != 1 || got.Attendees[0].ID != second.ID || got.Summary != "" {
			t.Errorf("updated session: %+v, %v", got, err)
		}
		entries, _, err := db.FindAuditEntries(ctx, storetest.Actor(st.Admin), maillon.AuditFilter{Action: maillon.AuditPracticeSessionUpdate})
		if err != nil || len(entries) != 1 || strings.Join(entries[0].Fields, ",") != "attendees,summary" {
			t.Errorf("audit of the update: %+v, %v", entries, err)
		}
	})
}
