package maillon

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Analysis of practice (analyse de la pratique professionnelle): a
// mediator's private reflective notes, and the team's group sessions with
// an outside facilitator. Neither names the people accompanied. The notes
// belong to their author alone: no coordinator, administrator or operator
// reads them, no export, report, search or audit detail carries them.

// PracticeNoteID identifies a practice note.
type PracticeNoteID int64

// PracticeSessionID identifies a group session of analysis of practice.
type PracticeSessionID int64

// Limits of the practice module, stated in the forms.
const (
	// MaxPracticeTextLen bounds each text of a note and a session's
	// summary.
	MaxPracticeTextLen = 10_000
	// MaxPracticeAttendees bounds a session's attendees.
	MaxPracticeAttendees = 40
)

// PracticeNote is a reflective note: the situation described without
// identities, what the author did, what it raised, what they learnt and
// the questions for supervision.
type PracticeNote struct {
	ID        PracticeNoteID
	AuthorID  UserID
	Situation string
	Action    string
	Raised    string
	Learnt    string
	Questions string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Edited reports whether the note was changed after it was written.
func (n *PracticeNote) Edited() bool { return !n.UpdatedAt.Equal(n.CreatedAt) }

// PracticeNoteInput is a note as the form sends it.
type PracticeNoteInput struct {
	Situation, Action, Raised, Learnt, Questions string
}

// PracticeNoteFields are the form fields, in form order.
var PracticeNoteFields = []string{"situation", "action", "raised", "learnt", "questions"}

// Validate cleans the input: the situation is required, every text is
// bounded.
func (in *PracticeNoteInput) Validate() error {
	var fe FieldErrors
	in.Situation = practiceText(&fe, "situation", in.Situation)
	if in.Situation == "" && fe["situation"] == "" {
		fe.Add("situation", "Décrivez la situation, sans nom ni détail qui permette de reconnaître les personnes.")
	}
	in.Action = practiceText(&fe, "action", in.Action)
	in.Raised = practiceText(&fe, "raised", in.Raised)
	in.Learnt = practiceText(&fe, "learnt", in.Learnt)
	in.Questions = practiceText(&fe, "questions", in.Questions)
	return fe.Err()
}

func practiceText(fe *FieldErrors, field, v string) string {
	return optionalText(fe, field, v, MaxPracticeTextLen, true)
}

// PracticeThemes are the usual themes of a group session; the session's
// free text names the others.
var PracticeThemes = Choices{
	{"posture", "Posture professionnelle et juste distance"},
	{"limites", "Limites de l'intervention et relais aux partenaires"},
	{"conflit", "Situations de conflit ou d'agressivité"},
	{"secret", "Secret professionnel et partage d'informations"},
	{"charge", "Charge émotionnelle et usure"},
	{"isolement", "Travail seul ou seule, sécurité"},
	{"equipe", "Fonctionnement de l'équipe"},
}

// PracticeSession is a group session of analysis of practice, visible to
// every member of the structure.
type PracticeSession struct {
	ID          PracticeSessionID
	StructureID StructureID
	HeldOn      time.Time // Paris midnight
	Facilitator string
	Themes      []string
	ThemesText  string
	Summary     string
	Attendees   []PracticeAttendee
	CreatedBy   UserID
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PracticeAttendee is an account that attended a session.
type PracticeAttendee struct {
	ID   UserID
	Name string
}

// ThemeLabels lists the French labels of the themes chosen, then the free
// text.
func (s *PracticeSession) ThemeLabels() []string {
	out := PracticeThemes.Labels(s.Themes)
	if s.ThemesText != "" {
		out = append(out, s.ThemesText)
	}
	return out
}

// Attended reports whether u attended the session.
func (s *PracticeSession) Attended(u UserID) bool {
	for _, a := range s.Attendees {
		if a.ID == u {
			return true
		}
	}
	return false
}

// PracticeSessionInput is a session as the form sends it.
type PracticeSessionInput struct {
	HeldOn      string // yyyy-mm-dd
	Facilitator string
	Themes      []string
	ThemesText  string
	Attendees   []UserID
	Summary     string
}

// PracticeSessionFields are the form fields, in form order.
var PracticeSessionFields = []string{"held_on", "facilitator", "themes", "themes_text", "attendees", "summary"}

// Validate cleans the input and returns the day of the session: from
// 2000 to a year ahead (a session may be planned).
func (in *PracticeSessionInput) Validate(now time.Time) (time.Time, error) {
	var fe FieldErrors
	var held time.Time
	d, err := ParseDay(in.HeldOn, now)
	switch {
	case strings.TrimSpace(in.HeldOn) == "":
		fe.Add("held_on", "Indiquez la date de la séance.")
	case err != nil:
		fe.Add("held_on", "Indiquez la date de la séance au format jj/mm/aaaa.")
	case d.Year() < 2000 || d.After(now.AddDate(1, 0, 0)):
		fe.Add("held_on", "La date de la séance va de l'an 2000 à un an d'ici.")
	default:
		held = d
	}
	in.Facilitator = requiredText(&fe, "facilitator", "qui a animé la séance", in.Facilitator, MaxNameLen)
	themes, unknown := PracticeThemes.CleanSet(in.Themes)
	if unknown {
		fe.Add("themes", "Choisissez les thèmes dans la liste, ou écrivez-les dans « Autres thèmes ».")
	}
	in.Themes = themes
	in.ThemesText = optionalText(&fe, "themes_text", in.ThemesText, MaxShortTextLen, false)
	if len(in.Themes) == 0 && in.ThemesText == "" && fe["themes"] == "" {
		fe.Add("themes", "Choisissez au moins un thème, ou écrivez-le dans « Autres thèmes ».")
	}
	var att []UserID
	for _, u := range in.Attendees {
		if u <= 0 {
			fe.Add("attendees", "Choisissez les participants dans la liste.")
			break
		}
		if !slices.Contains(att, u) {
			att = append(att, u)
		}
	}
	in.Attendees = att
	if len(att) > MaxPracticeAttendees {
		fe.Add("attendees", "Indiquez au plus 40 participants.")
	}
	in.Summary = practiceText(&fe, "summary", in.Summary)
	return held, fe.Err()
}

// PracticeService manages the journal of practice. The notes are their
// author's alone: any other account, whatever its role (coordinator,
// administrator, the operator), gets ErrNotFound, so that even their
// existence is not revealed. Sessions are read by every member of the
// structure; their author, coordinators and administrators change them.
type PracticeService interface {
	// FindPracticeNotes lists the actor's own notes, newest first, with
	// the total.
	FindPracticeNotes(ctx context.Context, actor Actor, offset, limit int) ([]PracticeNote, int, error)
	// FindPracticeNote reads one of the actor's notes (ErrNotFound for
	// anyone else's).
	FindPracticeNote(ctx context.Context, actor Actor, id PracticeNoteID) (*PracticeNote, error)
	// CreatePracticeNote saves a note of the actor (an account of a
	// structure; ErrForbidden for the operator).
	CreatePracticeNote(ctx context.Context, actor Actor, in PracticeNoteInput) (*PracticeNote, error)
	UpdatePracticeNote(ctx context.Context, actor Actor, id PracticeNoteID, in PracticeNoteInput) error
	// DeletePracticeNote removes the note for good; the audit keeps only
	// that the author deleted a note.
	DeletePracticeNote(ctx context.Context, actor Actor, id PracticeNoteID) error

	// FindPracticeSessions lists the structure's sessions, latest first.
	FindPracticeSessions(ctx context.Context, actor Actor, offset, limit int) ([]PracticeSession, int, error)
	FindPracticeSession(ctx context.Context, actor Actor, id PracticeSessionID) (*PracticeSession, error)
	// CreatePracticeSession records a session (any member); attendees are
	// active accounts of the structure (ErrInvalid otherwise).
	CreatePracticeSession(ctx context.Context, actor Actor, in PracticeSessionInput) (*PracticeSession, error)
	// UpdatePracticeSession changes a session (its author, coordinators,
	// administrators; ErrForbidden for other members).
	UpdatePracticeSession(ctx context.Context, actor Actor, id PracticeSessionID, in PracticeSessionInput) error
}
