package maillon

import (
	"context"
	"sort"
	"strings"
	"time"
)

// AgendaEventID identifies an agenda event.
type AgendaEventID int64

// Agenda event kinds. A permanence may repeat every week; the others are
// single events.
const (
	AgendaRendezVous = "rendez_vous"
	AgendaPermanence = "permanence"
	AgendaTournee    = "tournee"
	AgendaReunion    = "reunion"
)

// Attendance statuses of an appointment. "annule" may be set at any time,
// the others once the start time is past.
const (
	AttendanceVenu   = "venu"
	AttendanceExcuse = "excuse"
	AttendanceAbsent = "absent"
	AttendanceAnnule = "annule"
)

// Vocabularies of the agenda.
var (
	AgendaKinds = Choices{
		{AgendaRendezVous, "Rendez-vous avec une personne"},
		{AgendaPermanence, "Permanence"},
		{AgendaTournee, "Tournée prévue"},
		{AgendaReunion, "Réunion avec un partenaire"},
	}
	Attendances = Choices{
		{AttendanceVenu, "Venu(e)"}, {AttendanceExcuse, "Excusé(e)"}, {AttendanceAbsent, "Absent(e)"}, {AttendanceAnnule, "Annulé"},
	}
)

// Limits of the agenda, stated in forms.
const (
	MaxAgendaMinutes     = 12 * 60
	MaxAgendaYearsAhead  = 2
	MaxAgendaRangeDays   = 31 // a view covers at most a month
	FeedMonthsBack       = 3
	FeedMonthsAhead      = 12
	MaxAgendaOccurrences = 2000 // bounds the expansion of one view
)

// AgendaEvent is one planned event: an appointment with a person, a
// permanence (possibly weekly), a planned tournée or a partner meeting.
type AgendaEvent struct {
	ID            AgendaEventID
	StructureID   StructureID
	Kind          string
	StartAt       time.Time
	EndAt         time.Time
	RepeatUntil   time.Time // a weekly permanence's last day (Paris midnight); zero: one event
	Mediators     []UserID
	MediatorNames []string
	TeamID        TeamID
	TeamName      string
	PersonID      PersonID // rendez-vous only; zero when nobody is named
	PersonName    string   // filled by queries
	Initials      string   // the person's initials, for the iCal feed
	CommuneID     CommuneID
	ZoneID        ZoneID
	CommuneName   string
	ZoneName      string
	PlaceLabel    string // the address or the room
	Theme         string // a Themes code, optional: the purpose category
	Purpose       string
	Documents     string // what the person should bring
	Attendance    string
	Exceptions    []time.Time // cancelled occurrences of a permanence, Paris midnight
	CreatedBy     UserID
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Revision      int // bumped by each edit: the iCal SEQUENCE
}

// Recurring reports whether the event repeats every week.
func (e *AgendaEvent) Recurring() bool { return !e.RepeatUntil.IsZero() }

// Minutes is the event's duration.
func (e *AgendaEvent) Minutes() int { return int(e.EndAt.Sub(e.StartAt) / time.Minute) }

// PlaceName describes the place in a few words: label, quartier, commune.
func (e *AgendaEvent) PlaceName() string {
	var parts []string
	for _, s := range []string{e.PlaceLabel, e.ZoneName, e.CommuneName} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// AttendanceLabel is the French label of the attendance, or "" when not
// yet recorded.
func (e *AgendaEvent) AttendanceLabel() string {
	if e.Attendance == "" {
		return ""
	}
	return Attendances.Label(e.Attendance)
}

// Involves reports whether user is one of the event's mediators.
func (e *AgendaEvent) Involves(user UserID) bool {
	for _, u := range e.Mediators {
		if u == user {
			return true
		}
	}
	return false
}

// CanEdit reports whether actor may record attendance or cancel: the
// event's mediators, its author, coordinators and administrators.
func (e *AgendaEvent) CanEdit(actor Actor) bool {
	return actor.InStructure(e.StructureID) &&
		(e.Involves(actor.UserID) || e.CreatedBy == actor.UserID || actor.CanViewTeamData(e.StructureID))
}

// Initials gives "A. B." for a first and a last name: how the iCal feed
// names a person without naming them.
func Initials(first, last string) string {
	var out []string
	for _, s := range []string{first, last} {
		for _, r := range strings.TrimSpace(s) {
			out = append(out, strings.ToUpper(string(r))+".")
			break
		}
	}
	return strings.Join(out, " ")
}

// AgendaOccurrence is one occurrence of an event in a view.
type AgendaOccurrence struct {
	Event   *AgendaEvent
	StartAt time.Time
	EndAt   time.Time
}

// Day is the occurrence's Paris day.
func (o AgendaOccurrence) Day() time.Time { return DayOf(o.StartAt) }

// DayOf is the Paris midnight of t's day.
func DayOf(t time.Time) time.Time {
	p := InParis(t)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, Paris)
}

// Occurrences lists the occurrences of e that overlap [from, to). A
// weekly permanence repeats at the same Paris wall-clock time (so across
// daylight-saving changes); cancelled days and public holidays of cal are
// skipped: a permanence does not open on a jour férié.
func (e *AgendaEvent) Occurrences(cal HolidayCalendar, from, to time.Time) []AgendaOccurrence {
	if !e.Recurring() {
		if e.StartAt.Before(to) && e.EndAt.After(from) {
			return []AgendaOccurrence{{Event: e, StartAt: e.StartAt, EndAt: e.EndAt}}
		}
		return nil
	}
	var out []AgendaOccurrence
	dur := e.EndAt.Sub(e.StartAt)
	first := InParis(e.StartAt)
	last := DayOf(e.RepeatUntil).AddDate(0, 0, 1)
	// Jump close to from, then walk week by week.
	k := 0
	if gap := from.Sub(e.StartAt); gap > 0 {
		k = int(gap/(7*24*time.Hour)) - 1
		k = max(k, 0)
	}
	for ; ; k++ {
		s := time.Date(first.Year(), first.Month(), first.Day()+7*k, first.Hour(), first.Minute(), 0, 0, Paris)
		if !s.Before(to) || !s.Before(last) {
			break
		}
		end := s.Add(dur)
		if !end.After(from) || e.Cancelled(s) || cal.IsHoliday(s) {
			continue
		}
		out = append(out, AgendaOccurrence{Event: e, StartAt: s.UTC(), EndAt: end.UTC()})
		if len(out) >= MaxAgendaOccurrences {
			break
		}
	}
	return out
}

// Cancelled reports whether the occurrence starting at s was cancelled.
func (e *AgendaEvent) Cancelled(s time.Time) bool {
	d := DayOf(s)
	for _, x := range e.Exceptions {
		if DayOf(x).Equal(d) {
			return true
		}
	}
	return false
}

// SkippedDays lists the days, within the repetition, on which a weekly
// permanence does not take place: cancelled occurrences and public
// holidays. The iCal feed writes them as EXDATE.
func (e *AgendaEvent) SkippedDays(cal HolidayCalendar) []time.Time {
	if !e.Recurring() {
		return nil
	}
	var out []time.Time
	first := InParis(e.StartAt)
	last := DayOf(e.RepeatUntil).AddDate(0, 0, 1)
	for k := 0; ; k++ {
		s := time.Date(first.Year(), first.Month(), first.Day()+7*k, first.Hour(), first.Minute(), 0, 0, Paris)
		if !s.Before(last) || k > 53*MaxAgendaYearsAhead+1 {
			break
		}
		if e.Cancelled(s) || cal.IsHoliday(s) {
			out = append(out, s)
		}
	}
	return out
}

// ExpandAgenda lists the occurrences of events within [from, to), by start
// time.
func ExpandAgenda(events []AgendaEvent, cal HolidayCalendar, from, to time.Time) []AgendaOccurrence {
	var out []AgendaOccurrence
	for i := range events {
		out = append(out, events[i].Occurrences(cal, from, to)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].StartAt.Equal(out[j].StartAt) {
			return out[i].StartAt.Before(out[j].StartAt)
		}
		return out[i].Event.ID < out[j].Event.ID
	})
	return out
}

// WeekStart is the Monday (Paris midnight) of t's week.
func WeekStart(t time.Time) time.Time {
	d := DayOf(t)
	offset := (int(d.Weekday()) + 6) % 7
	return d.AddDate(0, 0, -offset)
}

// AgendaInput is a new event as the form sends it.
type AgendaInput struct {
	Kind        string
	Date        string // yyyy-mm-dd
	Time        string // hh:mm
	EndTime     string // hh:mm, the same day
	RepeatUntil string // yyyy-mm-dd; permanence only, empty: once
	Mediators   []UserID
	TeamID      TeamID // zero: the first mediator's team
	PersonID    PersonID
	CommuneID   CommuneID
	ZoneID      ZoneID
	PlaceLabel  string
	Theme       string
	Purpose     string
	Documents   string
}

// AgendaFields are the form fields, in form order.
var AgendaFields = []string{"kind", "person_id", "date", "time", "end_time", "repeat_until", "mediators", "team_id",
	"place", "place_label", "theme", "purpose", "documents"}

// AgendaTimes are the validated instants of an input.
type AgendaTimes struct {
	Start, End, RepeatUntil time.Time
}

// Validate cleans the input against now and returns its instants. Events
// may be planned from 2000 up to two years ahead (past ones are recorded
// afterwards, as happens on paper).
func (in *AgendaInput) Validate(now time.Time) (AgendaTimes, error) {
	var fe FieldErrors
	var out AgendaTimes
	if !AgendaKinds.Valid(in.Kind) {
		fe.Add("kind", "Choisissez le type d'événement.")
	}
	day, err := ParseDay(in.Date, now)
	if err != nil || strings.TrimSpace(in.Date) == "" {
		fe.Add("date", "Indiquez la date au format jj/mm/aaaa.")
	}
	startMin, okStart := parseClock(in.Time)
	if !okStart || strings.TrimSpace(in.Time) == "" || startMin >= 24*60 {
		fe.Add("time", "Indiquez l'heure de début, par exemple 14:30.")
		okStart = false
	}
	endMin, okEnd := parseClock(in.EndTime)
	if !okEnd || strings.TrimSpace(in.EndTime) == "" {
		fe.Add("end_time", "Indiquez l'heure de fin, par exemple 15:30.")
		okEnd = false
	}
	if err == nil && strings.TrimSpace(in.Date) != "" {
		switch {
		case day.Year() < 2000:
			fe.Add("date", "Indiquez une date à partir de l'an 2000.")
		case day.After(now.AddDate(MaxAgendaYearsAhead, 0, 0)):
			fe.Add("date", "Un événement se prévoit au plus deux ans à l'avance.")
		}
		if okStart && okEnd {
			out.Start = time.Date(day.Year(), day.Month(), day.Day(), startMin/60, startMin%60, 0, 0, Paris).UTC()
			out.End = time.Date(day.Year(), day.Month(), day.Day(), endMin/60, endMin%60, 0, 0, Paris).UTC()
			switch {
			case !out.End.After(out.Start):
				fe.Add("end_time", "L'heure de fin doit suivre l'heure de début, le même jour.")
			case out.End.Sub(out.Start) > MaxAgendaMinutes*time.Minute:
				fe.Add("end_time", "Un événement dure au plus 12 heures.")
			}
		}
	}
	if strings.TrimSpace(in.RepeatUntil) != "" {
		until, uerr := ParseDay(in.RepeatUntil, now)
		switch {
		case in.Kind != AgendaPermanence:
			fe.Add("repeat_until", "Seule une permanence se répète chaque semaine : videz ce champ.")
		case uerr != nil:
			fe.Add("repeat_until", "Indiquez la dernière date au format jj/mm/aaaa.")
		case err == nil && !until.After(day):
			fe.Add("repeat_until", "La dernière date doit suivre la première.")
		case err == nil && until.After(day.AddDate(MaxAgendaYearsAhead, 0, 0)):
			fe.Add("repeat_until", "Une permanence se prévoit sur deux ans au plus : recréez-la ensuite.")
		default:
			out.RepeatUntil = until
		}
	}
	in.Mediators = uniqueIDs(in.Mediators)
	if len(in.Mediators) == 0 {
		fe.Add("mediators", "Indiquez au moins un médiateur ou une médiatrice.")
	} else if len(in.Mediators) > MaxMediators {
		fe.Add("mediators", "Indiquez au plus 6 personnes de l'équipe.")
	}
	if in.PersonID < 0 {
		fe.Add("person_id", "Choisissez la personne dans la liste.")
	}
	if in.PersonID != 0 && in.Kind != AgendaRendezVous {
		fe.Add("person_id", "Seul un rendez-vous nomme une personne.")
	}
	if in.ZoneID != 0 && in.CommuneID == 0 {
		fe.Add("place", "Choisissez la commune du quartier.")
	}
	in.PlaceLabel = optionalText(&fe, "place_label", in.PlaceLabel, MaxShortTextLen, false)
	if in.Theme != "" && !Themes.Valid(in.Theme) {
		fe.Add("theme", "Choisissez la thématique dans la liste.")
	}
	in.Purpose = requiredText(&fe, "purpose", "l'objet", in.Purpose, MaxShortTextLen)
	in.Documents = optionalText(&fe, "documents", in.Documents, MaxShortTextLen, false)
	return out, fe.Err()
}

// CheckAttendance returns a French error when status may not be recorded
// on e at now: a permanence's occurrences are cancelled one by one, and
// only "annulé" may be recorded before the start time.
func CheckAttendance(e *AgendaEvent, status string, now time.Time) error {
	var fe FieldErrors
	switch {
	case !Attendances.Valid(status):
		fe.Add("attendance", "Choisissez : venu(e), excusé(e), absent(e) ou annulé.")
	case e.Recurring():
		fe.Add("attendance", "Une permanence se répète : annulez une séance précise plutôt que toute la série.")
	case status != AttendanceAnnule && now.Before(e.StartAt):
		fe.Add("attendance", "La présence s'indique une fois l'heure du rendez-vous passée ; avant, seule l'annulation est possible.")
	}
	return fe.Err()
}

// AttendanceStaysValid reports whether a recorded presence survives an
// edit that moves the event to start (a recurring one when recurring):
// "annulé" always does; venu, excusé and absent only while the start
// stays in the past, and never on a weekly permanence.
func AttendanceStaysValid(status string, start time.Time, recurring bool, now time.Time) bool {
	switch {
	case status == "" || status == AttendanceAnnule && !recurring:
		return true
	case recurring:
		return false
	}
	return !now.Before(start)
}

// AgendaQuery selects a view: one mediator's or one team's events.
type AgendaQuery struct {
	UserID UserID // the mediator; zero with TeamID
	TeamID TeamID
	From   time.Time
	To     time.Time
}

// Agenda is a view: the occurrences between From and To.
type Agenda struct {
	Query       AgendaQuery
	Occurrences []AgendaOccurrence
	Holidays    HolidayCalendar
}

// AgendaFeed is the state of a user's iCal subscription.
type AgendaFeed struct {
	CreatedAt  time.Time // zero: no feed
	LastUsedAt time.Time
}

// Active reports whether the user has a feed.
func (f AgendaFeed) Active() bool { return !f.CreatedAt.IsZero() }

// FeedData is what the iCal feed publishes: one mediator's events around
// now, with the holiday calendar that skips permanence occurrences.
type FeedData struct {
	UserID   UserID
	Events   []AgendaEvent
	Holidays HolidayCalendar
	Now      time.Time
}

// AgendaCard is what the printed appointment card shows: no internal
// note, the mediator's first name, the structure's address and phone.
type AgendaCard struct {
	Event            AgendaEvent
	MediatorFirst    string
	StructureName    string
	StructureAddress Address
	StructurePhone   string
}

// AgendaService manages the agenda and the iCal feeds.
type AgendaService interface {
	// CreateAgendaEvent plans an event (any member). A person named
	// must have an active "dossier" consent and an open file; mediators
	// must be active members. ErrInvalid with per-field messages.
	CreateAgendaEvent(ctx context.Context, actor Actor, in AgendaInput) (*AgendaEvent, error)
	// FindAgendaEvent reads one event of the actor's structure (any
	// member); reading one that names a person is audited.
	FindAgendaEvent(ctx context.Context, actor Actor, id AgendaEventID) (*AgendaEvent, error)
	// FindAgendaCard reads a rendez-vous for its printed card, audited as
	// a print; ErrNotFound for other kinds.
	FindAgendaCard(ctx context.Context, actor Actor, id AgendaEventID) (*AgendaCard, error)
	// FindAgenda builds a view. A mediator sees their own agenda and
	// their team's; coordinators and administrators any mediator's or
	// team's of the structure (ErrForbidden otherwise, ErrNotFound for
	// another structure's user or team). ErrInvalid for a range over 31
	// days.
	FindAgenda(ctx context.Context, actor Actor, q AgendaQuery) (*Agenda, error)
	// SetAttendance records venu, excusé, absent or annulé (see
	// CheckAttendance); the event's mediators, author, coordinators
	// and administrators.
	SetAttendance(ctx context.Context, actor Actor, id AgendaEventID, status string) error
	// UpdateAgendaEvent changes an event with the creation rules (same
	// rights as SetAttendance). A recorded presence is cleared when the
	// event moves to the future (cleared is then true); a permanence's
	// change applies to all its sessions, keeping the cancelled ones that
	// still fall on its days. Audited with the changed field names.
	UpdateAgendaEvent(ctx context.Context, actor Actor, id AgendaEventID, in AgendaInput) (e *AgendaEvent, cleared bool, err error)
	// DeleteAgendaEvent removes an event planned by mistake (same rights
	// as SetAttendance); ErrInvalid once a presence is recorded: it is
	// then marked "annulé" instead. Audited.
	DeleteAgendaEvent(ctx context.Context, actor Actor, id AgendaEventID) error
	// CancelOccurrence cancels one day of a weekly permanence; ErrInvalid
	// when the day is not one of its occurrences.
	CancelOccurrence(ctx context.Context, actor Actor, id AgendaEventID, day string) error
	// FindAgendaFeed says whether the actor has an iCal feed.
	FindAgendaFeed(ctx context.Context, actor Actor) (AgendaFeed, error)
	// CreateAgendaFeed makes (or replaces) the actor's feed and returns
	// its token: shown once, only its SHA-256 is stored. Audited.
	CreateAgendaFeed(ctx context.Context, actor Actor) (string, error)
	// RevokeAgendaFeed ends the actor's feed; ErrInvalid when none.
	// Audited.
	RevokeAgendaFeed(ctx context.Context, actor Actor) error
	// FindFeedData resolves a feed token (no actor: the token is the
	// credential) to the mediator's events from 3 months back to 12
	// months ahead. Unknown or revoked tokens are ErrNotFound; an
	// inactive account's feed too.
	FindFeedData(ctx context.Context, token string) (*FeedData, error)
}
