package maillon

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Lone-worker safety (workflow W5): a mediator going alone into a home or
// on a tournée declares when they expect to be back. If they have not
// checked out in time, the coordination sees an alert on its dashboard and
// calls them. The record names a quartier or a commune, never an address.

// CheckInID identifies a lone-worker check-in.
type CheckInID int64

// CheckInKinds say what the mediator left alone for.
var CheckInKinds = Choices{
	{"tournee", "Tournée seul ou seule"},
	{"domicile", "Visite à domicile seul ou seule"},
}

// ExtendMinutes is the step of "Prolonger de 30 min".
const ExtendMinutes = 30

// CheckIn is a lone-worker check-in, open until checked out.
type CheckIn struct {
	ID            CheckInID
	StructureID   StructureID
	UserID        UserID
	UserName      string
	Kind          string
	TourneeID     TourneeID // for a tournée
	StartedAt     time.Time
	ExpectedEndAt time.Time
	CheckedOutAt  time.Time // zero while open
	// ClosedByID is who closed it when not the mediator: a coordinator
	// who reached them ("joint(e), tout va bien").
	ClosedByID   UserID
	ClosedByName string
	CommuneID    CommuneID
	ZoneID       ZoneID
	CommuneName  string
	ZoneName     string
	PlaceLabel   string
}

// Open reports whether the mediator has not checked out yet.
func (c *CheckIn) Open() bool { return c.CheckedOutAt.IsZero() }

// Overdue reports whether an open check-in is past its expected end.
func (c *CheckIn) Overdue(now time.Time) bool { return c.Open() && now.After(c.ExpectedEndAt) }

// LateMinutes is how many whole minutes an open check-in is late.
func (c *CheckIn) LateMinutes(now time.Time) int {
	if !c.Overdue(now) {
		return 0
	}
	return int(now.Sub(c.ExpectedEndAt) / time.Minute)
}

// LateText says how late an open check-in is, in words that stay short
// when nobody closed it for days: "25 min", "2 h 05", "3 j".
func (c *CheckIn) LateText(now time.Time) string {
	m := c.LateMinutes(now)
	switch {
	case m < 60:
		return strconv.Itoa(m) + " min"
	case m < 48*60:
		return fmt.Sprintf("%d h %02d", m/60, m%60)
	}
	return strconv.Itoa(m/(24*60)) + " j"
}

// Place describes where the mediator went: commune, quartier and label.
func (c *CheckIn) Place() string {
	s := c.CommuneName
	if c.ZoneName != "" {
		s += " – " + c.ZoneName
	}
	if c.PlaceLabel != "" {
		if s != "" {
			s += ", "
		}
		s += c.PlaceLabel
	}
	return s
}

// CanAcknowledgeCheckIn: coordinators and administrators close a
// colleague's check-in once they have reached them.
func (a Actor) CanAcknowledgeCheckIn(c *CheckIn) bool { return a.CanViewTeamData(c.StructureID) }

// CanCheckOut: the mediator closes or extends their own check-in.
func (a Actor) CanCheckOut(c *CheckIn) bool {
	return a.InStructure(c.StructureID) && a.UserID == c.UserID
}

// HomeVisitInput is the "Je pars en visite à domicile" form.
type HomeVisitInput struct {
	CommuneID   CommuneID
	ZoneID      ZoneID
	PlaceLabel  string // a short label, never an address
	ExpectedEnd string // hh:mm
}

// HomeVisitFields are the form fields, in form order.
var HomeVisitFields = []string{"expected_end", "place", "place_label"}

// Validate cleans the input and returns the expected end.
func (in *HomeVisitInput) Validate(now time.Time) (time.Time, error) {
	var fe FieldErrors
	end := expectedEnd(&fe, "expected_end", in.ExpectedEnd, now, now, "Indiquez l'heure de retour prévue.")
	if in.CommuneID <= 0 {
		fe.Add("commune_id", "Choisissez la commune ou le quartier de la visite.")
	}
	in.PlaceLabel = optionalText(&fe, "place_label", in.PlaceLabel, 80, false)
	return end, fe.Err()
}

// SafetyService keeps the lone-worker check-ins.
type SafetyService interface {
	// StartHomeVisit opens the actor's check-in for a home visit alone.
	// ErrConflict when the actor already has one open; ErrInvalid for a
	// place outside the territory or a refused expected end.
	StartHomeVisit(ctx context.Context, actor Actor, in HomeVisitInput) (*CheckIn, error)
	// FindOpenCheckIn returns the actor's open check-in, or nil.
	FindOpenCheckIn(ctx context.Context, actor Actor) (*CheckIn, error)
	// CheckOut closes the actor's own check-in (ErrForbidden for
	// another's; ErrConflict when already closed). A tournée's check-in
	// closes with it, the tournée staying under way.
	CheckOut(ctx context.Context, actor Actor, id CheckInID) error
	// ExtendCheckIn moves the expected end of the actor's own open
	// check-in ExtendMinutes later than the later of now and the current
	// expected end, within 14 hours (ErrConflict beyond).
	ExtendCheckIn(ctx context.Context, actor Actor, id CheckInID) error
	// FindOverdueCheckIns lists the open check-ins of the actor's
	// structure past their expected end, the latest first; coordinators
	// and administrators only (ErrForbidden).
	FindOverdueCheckIns(ctx context.Context, actor Actor) ([]CheckIn, error)
	// AcknowledgeCheckIn closes a colleague's check-in once reached
	// ("joint(e), tout va bien"); coordinators and administrators only.
	// Audited with who and when.
	AcknowledgeCheckIn(ctx context.Context, actor Actor, id CheckInID) error
}
