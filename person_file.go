package maillon

import (
	"context"
	"time"
)

// PersonFile is everything a person's page shows: the file, its consents,
// the autonomy trajectory, the notes the actor may read, the timeline and
// the follow-ups due. Reading it is audited.
type PersonFile struct {
	Person    Person
	Consents  []Consent
	Autonomy  []Autonomy // oldest first: the trajectory
	Notes     []Note     // newest first; private notes of others left out
	Timeline  []TimelineEntry
	FollowUps []FollowUp
	// Appointments are the person's rendez-vous, upcoming first then
	// recent (one indexed query).
	Appointments []AgendaEvent
	History      []AuditEntry // changes to the file, newest first
}

// HasConsent reports whether the file holds an active consent for scope.
func (f *PersonFile) HasConsent(scope string) bool { return HasConsent(f.Consents, scope) }

// TimelineEntry is one event of a person's timeline, newest first.
type TimelineEntry struct {
	At      time.Time
	Kind    string // "intervention", "procedure", "orientation", "mediation", "consent", "autonomy", "note", "appointment"
	Title   string
	Detail  string
	URL     string
	Private bool
}

// FollowUp is a next step with a date, from an intervention or, for the
// expected feedback of an orientation, from an orientation.
type FollowUp struct {
	InterventionID InterventionID
	OrientationID  OrientationID // set for an orientation's expected feedback
	MediationID    MediationID   // set for the follow-up of a closed mediation
	On             time.Time
	NextStep       string
	Documents      string
	Persons        []PersonRef
	Done           bool
}

// URL is the page where the follow-up is handled.
func (f FollowUp) URL() string {
	if f.OrientationID != 0 {
		return "/orientations/" + itoa64(int64(f.OrientationID))
	}
	if f.MediationID != 0 {
		return "/mediations/" + itoa64(int64(f.MediationID))
	}
	return "/interventions/" + itoa64(int64(f.InterventionID))
}

// Overdue reports whether the follow-up is late on day today (Paris
// midnight).
func (f FollowUp) Overdue(today time.Time) bool { return !f.Done && f.On.Before(today) }

// PersonService manages people's files. Every method that reads, searches,
// changes or merges people writes an audit entry in the same transaction.
type PersonService interface {
	// FindPersons searches the structure's people (any member).
	FindPersons(ctx context.Context, actor Actor, f PersonFilter) ([]Person, int, error)
	// FindPersonFile opens a person's file (any member); ErrNotFound for
	// another structure's person.
	FindPersonFile(ctx context.Context, actor Actor, id PersonID) (*PersonFile, error)
	// FindPersonSummary reads the file to print the person's summary,
	// audited as a print.
	FindPersonSummary(ctx context.Context, actor Actor, id PersonID) (*PersonFile, error)
	// FindDuplicates lists people with the same name and birth year, or
	// the same name in the same commune.
	FindDuplicates(ctx context.Context, actor Actor, in PersonInput) ([]DuplicateCandidate, error)
	// CreatePerson creates a file with its dossier consent (ErrInvalid
	// without it).
	CreatePerson(ctx context.Context, actor Actor, in PersonInput) (*Person, error)
	// UpdatePerson changes the file; the audit entry names the fields.
	UpdatePerson(ctx context.Context, actor Actor, id PersonID, in PersonInput) error
	// SetPersonArchived archives or restores a file.
	SetPersonArchived(ctx context.Context, actor Actor, id PersonID, archived bool) error
	// MergePersons moves everything of remove into keep and deletes
	// remove; coordinators and administrators only.
	MergePersons(ctx context.Context, actor Actor, keep, remove PersonID) error
	// AddConsent records a consent; WithdrawConsent ends one. Withdrawing
	// the dossier consent archives the file.
	AddConsent(ctx context.Context, actor Actor, id PersonID, in ConsentInput) error
	WithdrawConsent(ctx context.Context, actor Actor, id ConsentID) error
	// AddAutonomy records a dated autonomy profile.
	AddAutonomy(ctx context.Context, actor Actor, id PersonID, in AutonomyInput) error
	// AddNote adds a note; a private one is readable by its author only.
	AddNote(ctx context.Context, actor Actor, id PersonID, in NoteInput) error
}
