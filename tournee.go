package maillon

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// A tournée is a time of présence active de proximité (workflow W4): a
// team walks a quartier and counts, on a phone, what happens. It records no
// identity: counters, tallies by age band and by gender, and short
// observations written without names.

// TourneeID identifies a tournée.
type TourneeID int64

// TourneeObservationID identifies an observation or incident.
type TourneeObservationID int64

// TourneeCounters are the activity counters, in the order the counter
// screen and the main courante show them.
var TourneeCounters = Choices{
	{"contacts", "Contacts établis"},
	{"informations", "Informations données"},
	{"orientations", "Orientations"},
	{"tensions", "Tensions apaisées"},
	{"technique", "Problèmes techniques repérés"},
}

// Tally counter codes are the age band or gender code behind a prefix, so
// that every counter of a tournée is one row updated the same atomic way.
const (
	tallyAgePrefix    = "age_"
	tallyGenderPrefix = "genre_"
)

// TourneeTallyAge and TourneeTallyGender name the tally counters of an age
// band or a gender (the closed lists of anonymous counts: AgeBands,
// Genders).
func TourneeTallyAge(band string) string      { return tallyAgePrefix + band }
func TourneeTallyGender(gender string) string { return tallyGenderPrefix + gender }

// TourneeCounterCodes lists every counter of a tournée: activity counters,
// then age bands, then genders.
func TourneeCounterCodes() []string {
	out := make([]string, 0, len(TourneeCounters)+len(AgeBands)+len(Genders))
	for _, c := range TourneeCounters {
		out = append(out, c.Code)
	}
	for _, c := range AgeBands {
		out = append(out, TourneeTallyAge(c.Code))
	}
	for _, c := range Genders {
		out = append(out, TourneeTallyGender(c.Code))
	}
	return out
}

// ValidTourneeCounter reports whether code names a counter of a tournée.
func ValidTourneeCounter(code string) bool {
	switch {
	case strings.HasPrefix(code, tallyAgePrefix):
		return AgeBands.Valid(strings.TrimPrefix(code, tallyAgePrefix))
	case strings.HasPrefix(code, tallyGenderPrefix):
		return Genders.Valid(strings.TrimPrefix(code, tallyGenderPrefix))
	}
	return TourneeCounters.Valid(code)
}

// TourneeCounterLabel is the French label of a counter code.
func TourneeCounterLabel(code string) string {
	switch {
	case strings.HasPrefix(code, tallyAgePrefix):
		return AgeBands.Label(strings.TrimPrefix(code, tallyAgePrefix))
	case strings.HasPrefix(code, tallyGenderPrefix):
		return Genders.Label(strings.TrimPrefix(code, tallyGenderPrefix))
	}
	return TourneeCounters.Label(code)
}

// ObservationKinds are the kinds of short texts of a tournée.
var ObservationKinds = Choices{
	{"observation", "Observation"},
	{"incident", "Incident"},
}

// Limits of a tournée, stated in forms.
const (
	MaxTourneeCount        = 9999
	MaxTourneeDelta        = 100
	MaxObservationLen      = 500
	MaxTourneeObservations = 100
	MaxTourneeMembers      = MaxMediators
	// MaxExpectedAhead bounds an expected end: a tournée or a visit longer
	// than a working day is a typing mistake.
	MaxExpectedAhead = 14 * time.Hour
)

// TourneeCount is the value of one counter.
type TourneeCount struct {
	Code  string
	Count int
}

// TourneeObservation is an observation or incident noted during a
// tournée.
type TourneeObservation struct {
	ID         TourneeObservationID
	Kind       string
	At         time.Time
	Text       string
	AuthorName string
}

// Tournee is a time of street presence.
type Tournee struct {
	ID           TourneeID
	StructureID  StructureID
	CommuneID    CommuneID
	ZoneID       ZoneID
	CommuneName  string
	ZoneName     string
	StartAt      time.Time
	EndAt        time.Time // zero while under way
	OutsideHours bool      // computed from the structure's office hours at the start
	Members      []UserID
	MemberNames  []string
	// Counts holds every counter (TourneeCounterCodes order).
	Counts       []TourneeCount
	Observations []TourneeObservation // oldest first (filled when one tournée is read)
	// CheckInID is the lone-worker check-in of a tournée started alone.
	CheckInID CheckInID
	CreatedBy UserID
	CreatedAt time.Time
}

// Zone describes the place: "Commune – Quartier".
func (t *Tournee) Zone() string {
	if t.ZoneName == "" {
		return t.CommuneName
	}
	return t.CommuneName + " – " + t.ZoneName
}

// Ended reports whether the tournée is over.
func (t *Tournee) Ended() bool { return !t.EndAt.IsZero() }

// Count returns the value of counter code.
func (t *Tournee) Count(code string) int {
	for _, c := range t.Counts {
		if c.Code == code {
			return c.Count
		}
	}
	return 0
}

// Minutes is the length of a finished tournée, 0 while under way.
func (t *Tournee) Minutes() int {
	if !t.Ended() {
		return 0
	}
	return int(t.EndAt.Sub(t.StartAt) / time.Minute)
}

// IsMember reports whether uid is one of the team members.
func (t *Tournee) IsMember(uid UserID) bool {
	for _, m := range t.Members {
		if m == uid {
			return true
		}
	}
	return false
}

// CanViewTournee: any member of the structure may read a tournée, since
// it holds no personal data and colleagues take over each other's
// quartiers.
func (a Actor) CanViewTournee(t *Tournee) bool { return a.InStructure(t.StructureID) }

// CanChangeTournee: its team members count, note and end it;
// coordinators and administrators may correct it. Another mediator reads
// it only, so that a mistaken click on a colleague's screen cannot change
// their figures.
func (a Actor) CanChangeTournee(t *Tournee) bool {
	return a.InStructure(t.StructureID) && (t.IsMember(a.UserID) || a.CanViewTeamData(t.StructureID))
}

// TourneeInput is a new tournée as the form sends it.
type TourneeInput struct {
	ZoneID      ZoneID
	Date        string // yyyy-mm-dd
	Time        string // hh:mm
	Members     []UserID
	ExpectedEnd string // hh:mm, required when alone; the next day when before the start
}

// TourneeFields are the form fields, in form order.
var TourneeFields = []string{"zone_id", "date", "time", "members", "expected_end"}

// Validate cleans the input and returns the start and, when given, the
// expected end. A tournée may start up to 14 hours ahead (planned) and
// not before 2000. A lone tournée needs an expected end unless it started
// more than 14 hours ago (entered afterwards): then expected is zero.
func (in *TourneeInput) Validate(now time.Time) (start, expected time.Time, err error) {
	var fe FieldErrors
	if in.ZoneID <= 0 {
		fe.Add("zone_id", "Choisissez le quartier de la tournée.")
	}
	day, derr := ParseDay(in.Date, now)
	if derr != nil || strings.TrimSpace(in.Date) == "" {
		fe.Add("date", "Indiquez la date au format jj/mm/aaaa.")
	}
	clock, ok := parseClock(in.Time)
	if !ok || strings.TrimSpace(in.Time) == "" {
		fe.Add("time", "Indiquez l'heure de début, par exemple 18:30.")
	}
	if derr == nil && ok {
		start = time.Date(day.Year(), day.Month(), day.Day(), clock/60, clock%60, 0, 0, Paris)
		switch {
		case start.Year() < 2000:
			fe.Add("date", "Indiquez une date à partir de l'an 2000.")
		case start.After(now.Add(MaxExpectedAhead)):
			fe.Add("date", "Une tournée ne peut pas commencer plus de 14 heures à l'avance.")
		}
	}
	in.Members = uniqueIDs(in.Members)
	switch {
	case len(in.Members) == 0:
		fe.Add("members", "Indiquez au moins un membre de l'équipe.")
	case len(in.Members) > MaxTourneeMembers:
		fe.Add("members", "Indiquez au plus 6 membres de l'équipe.")
	}
	// A tournée that started more than MaxTourneeLength ago is entered
	// afterwards: it is over, and nobody needs to watch for its return.
	late := !start.IsZero() && start.Before(now.Add(-MaxTourneeLength))
	if !late && (strings.TrimSpace(in.ExpectedEnd) != "" || len(in.Members) == 1) {
		expected = expectedEnd(&fe, "expected_end", in.ExpectedEnd, start, now,
			"Seul ou seule en tournée : indiquez l'heure de retour prévue, pour votre sécurité.")
	}
	return start, expected, fe.Err()
}

// expectedEnd reads an expected end hh:mm after from (the next day when
// the hour is earlier than from), and checks it is ahead of now and at
// most 14 hours ahead.
func expectedEnd(fe *FieldErrors, field, v string, from, now time.Time, missing string) time.Time {
	if strings.TrimSpace(v) == "" {
		fe.Add(field, missing)
		return time.Time{}
	}
	clock, ok := parseClock(v)
	if !ok {
		fe.Add(field, "Indiquez l'heure de fin prévue, par exemple 20:30.")
		return time.Time{}
	}
	if from.IsZero() || from.Before(now) {
		from = now
	}
	p := InParis(from)
	sameDay := time.Date(p.Year(), p.Month(), p.Day(), clock/60, clock%60, 0, 0, Paris)
	end := sameDay
	if !end.After(from) {
		end = time.Date(p.Year(), p.Month(), p.Day()+1, clock/60, clock%60, 0, 0, Paris)
	}
	if end.After(now.Add(MaxExpectedAhead)) {
		// An hour earlier today is a typing slip or a late entry, not a
		// return planned for tomorrow.
		if !sameDay.After(now) {
			fe.Add(field, "L'heure de fin prévue est déjà passée.")
		} else {
			fe.Add(field, "L'heure de fin prévue doit être dans les 14 prochaines heures.")
		}
	}
	return end
}

// TourneeEndInput ends a tournée: the end hour, now when empty, and an
// optional day (a tournée entered afterwards, or by the demo).
type TourneeEndInput struct {
	Date string // yyyy-mm-dd; empty: today, or yesterday for an hour still ahead
	Time string // hh:mm
}

// MaxTourneeLength bounds a tournée: longer is a forgotten end.
const MaxTourneeLength = 14 * time.Hour

// Validate returns the end instant of a tournée started at start. Without
// a day, the hour is today's (Paris), or yesterday's when it would be ahead
// of now (a tournée ended after midnight). The end follows the start, is
// not ahead of now and comes at most 14 hours after the start.
func (in TourneeEndInput) Validate(start, now time.Time) (time.Time, error) {
	var fe FieldErrors
	end := now
	if v := strings.TrimSpace(in.Time); v != "" {
		clock, ok := parseClock(v)
		if !ok {
			fe.Add("end_time", "Indiquez l'heure de fin, par exemple 20:30.")
			return time.Time{}, fe.Err()
		}
		p := InParis(now)
		if strings.TrimSpace(in.Date) != "" {
			d, err := ParseDay(in.Date, now)
			if err != nil {
				fe.Add("end_date", "Indiquez le jour de fin au format jj/mm/aaaa.")
				return time.Time{}, fe.Err()
			}
			p = d
		}
		end = time.Date(p.Year(), p.Month(), p.Day(), clock/60, clock%60, 0, 0, Paris)
		if strings.TrimSpace(in.Date) == "" && end.After(now.Add(time.Minute)) {
			end = time.Date(p.Year(), p.Month(), p.Day()-1, clock/60, clock%60, 0, 0, Paris)
		}
	}
	switch {
	case !end.After(start):
		fe.Add("end_time", fmt.Sprintf("La fin de la tournée doit suivre son début (%02d:%02d).", InParis(start).Hour(), InParis(start).Minute()))
	case end.After(now.Add(time.Minute)):
		fe.Add("end_time", "La fin de la tournée ne peut pas être dans le futur.")
	case end.Sub(start) > MaxTourneeLength:
		fe.Add("end_time", "Une tournée dure au plus 14 heures : vérifiez l'heure de fin.")
	}
	return end, fe.Err()
}

// CheckTourneeDelta refuses a counter step the screen cannot send.
func CheckTourneeDelta(counter string, delta int) error {
	var fe FieldErrors
	if !ValidTourneeCounter(counter) {
		fe.Add("counter", "Ce compteur n'existe pas.")
	}
	if delta == 0 || delta > MaxTourneeDelta || delta < -MaxTourneeDelta {
		fe.Add("delta", "Le pas d'un compteur est compris entre -100 et 100, sans être nul.")
	}
	return fe.Err()
}

// ObservationInput is an observation or incident as the form sends it.
type ObservationInput struct {
	Kind string
	Text string
}

// Validate cleans the input.
func (in *ObservationInput) Validate() error {
	var fe FieldErrors
	if !ObservationKinds.Valid(in.Kind) {
		fe.Add("kind", "Choisissez observation ou incident.")
	}
	in.Text = requiredText(&fe, "text", "le texte de l'observation", in.Text, MaxObservationLen)
	return fe.Err()
}

// TourneeFilter selects tournées.
type TourneeFilter struct {
	MemberID UserID // zero: the whole structure
	Offset   int
	Limit    int
}

// TourneeService records tournées. Counter changes are not audited: they
// hold no personal data and come by the hundred; creation, observations
// and the end are.
type TourneeService interface {
	// CreateTournee starts a tournée (any member of the structure); its
	// members are active accounts of the structure and its zone a quartier
	// of the territory (ErrInvalid otherwise). A tournée with one member
	// opens that member's lone-worker check-in; ErrInvalid on
	// "members" if they already have one open.
	CreateTournee(ctx context.Context, actor Actor, in TourneeInput) (*Tournee, error)
	// FindTourneeByID returns a tournée of the actor's structure with its
	// counters and observations (ErrNotFound otherwise).
	FindTourneeByID(ctx context.Context, actor Actor, id TourneeID) (*Tournee, error)
	// FindTournees lists tournées, most recent start first, with the total.
	FindTournees(ctx context.Context, actor Actor, f TourneeFilter) ([]Tournee, int, error)
	// AddToTourneeCounter adds delta to a counter atomically, keeping it
	// between 0 and MaxTourneeCount, and returns the new value. Members
	// of the tournée, coordinators and administrators only
	// (ErrForbidden); ErrInvalid for an unknown counter or delta, or a
	// tournée ended more than a day ago.
	AddToTourneeCounter(ctx context.Context, actor Actor, id TourneeID, counter string, delta int) (int, error)
	// AddToTourneeCounters adds several deltas at once, in one
	// transaction, with the same rules: what a phone counted while out of
	// network, sent when it reconnects. It returns the new values.
	AddToTourneeCounters(ctx context.Context, actor Actor, id TourneeID, deltas []TourneeCount) ([]TourneeCount, error)
	// AddTourneeObservation notes an observation or incident (same rights;
	// at most MaxTourneeObservations).
	AddTourneeObservation(ctx context.Context, actor Actor, id TourneeID, in ObservationInput) error
	// EndTournee ends a tournée under way (same rights; ErrConflict when
	// already ended) and checks its lone-worker check-in out.
	EndTournee(ctx context.Context, actor Actor, id TourneeID, in TourneeEndInput) error
	// FindJournalTournees lists the tournées started on the Paris day of
	// day by the mediator of scope (as a member) or by any member of the
	// team of scope, for the main courante; rights as FindJournalDay.
	FindJournalTournees(ctx context.Context, actor Actor, scope JournalScope, day time.Time) ([]JournalTournee, error)
}

// JournalCounts returns the activity counters as the main courante shows
// them, in TourneeCounters order.
func (t *Tournee) JournalCounts() []JournalCount {
	out := make([]JournalCount, 0, len(TourneeCounters))
	for _, c := range TourneeCounters {
		out = append(out, JournalCount{Code: c.Code, Label: c.Label, Count: t.Count(c.Code)})
	}
	return out
}
