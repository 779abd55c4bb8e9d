package maillon

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The main courante (daily log) is built from the records, never typed
// twice: the interventions of one mediator or one team on one day (Paris
// time), their totals, the tournées of the day, and a
// comment by the coordination (workflow W8).

// JournalCommentID identifies the coordination's comment on a day.
type JournalCommentID int64

// JournalScope names whose main courante is read: one mediator (any
// account of the structure) or one team, never both.
type JournalScope struct {
	MediatorID UserID
	TeamID     TeamID
}

// Valid reports whether exactly one of the two is set.
func (s JournalScope) Valid() bool {
	return (s.MediatorID > 0) != (s.TeamID > 0)
}

// CanViewJournal reports whether the actor may read the main courante of
// scope in structure sid: coordinators and administrators read any
// mediator or team of their structure; a mediator reads their own days and
// those of their own team.
func (a Actor) CanViewJournal(sid StructureID, scope JournalScope) bool {
	switch {
	case !a.InStructure(sid) || !scope.Valid():
		return false
	case a.CanViewTeamData(sid):
		return true
	case scope.MediatorID != 0:
		return scope.MediatorID == a.UserID
	default:
		return a.TeamID != 0 && scope.TeamID == a.TeamID
	}
}

// CanCommentJournal reports whether the actor may write the comment of a
// day in structure sid: coordinators and administrators only.
func (a Actor) CanCommentJournal(sid StructureID) bool { return a.CanViewTeamData(sid) }

// JournalDate is Paris midnight of the Paris day of t.
func JournalDate(t time.Time) time.Time {
	p := InParis(t)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, Paris)
}

// JournalBounds returns the instants a day starts (inclusive) and ends
// (exclusive): Paris midnights, so the day lasts 23 hours when clocks go
// forward and 25 hours when they go back.
func JournalBounds(day time.Time) (from, to time.Time) {
	p := InParis(day)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, Paris),
		time.Date(p.Year(), p.Month(), p.Day()+1, 0, 0, 0, 0, Paris)
}

// CheckJournalDay refuses days the main courante cannot show: before
// 2000, or after tomorrow (an intervention may be entered up to a day
// ahead). The error is ErrInvalid on field "day".
func CheckJournalDay(day, now time.Time) error {
	var fe FieldErrors
	switch d := JournalDate(day); {
	case day.IsZero():
		fe.Add("day", "Indiquez le jour au format jj/mm/aaaa.")
	case d.Year() < 2000:
		fe.Add("day", "Choisissez un jour à partir de l'an 2000.")
	case d.After(JournalDate(now).AddDate(0, 0, 1)):
		fe.Add("day", "La main courante d'un jour à venir est vide : choisissez aujourd'hui ou un jour passé.")
	}
	return fe.Err()
}

// ParseJournalDay reads a day written yyyy-mm-dd (the value of a date
// input); an empty value is today. Errors are ErrInvalid on field "day".
func ParseJournalDay(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return JournalDate(now), nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, Paris)
	if err != nil {
		var fe FieldErrors
		fe.Add("day", "Indiquez le jour au format jj/mm/aaaa.")
		return time.Time{}, fe.Err()
	}
	if err := CheckJournalDay(t, now); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// JournalEntry is an intervention as the main courante lists it.
type JournalEntry struct {
	InterventionID InterventionID
	StartAt        time.Time
	Minutes        int
	OutsideHours   bool
	Registre       string // the main type
	PlaceType      string
	CommuneName    string
	ZoneName       string
	PlaceLabel     string
	Mediators      []string // names, in name order
	// Persons are the people named, with a nominative file of the
	// actor's structure (the only one the actor may read).
	Persons    []PersonRef
	Anonymous  int // people met without a nominative file
	Outcome    string
	Procedures int
	// Obstacles lists the obstacle codes of every procedure, one per
	// procedure and obstacle.
	Obstacles []string
}

// People counts the people met: named and anonymous.
func (e JournalEntry) People() int { return len(e.Persons) + e.Anonymous }

// EndAt is when the intervention ended.
func (e JournalEntry) EndAt() time.Time { return e.StartAt.Add(time.Duration(e.Minutes) * time.Minute) }

// JournalCount is a labelled number of a total.
type JournalCount struct {
	Code  string
	Label string
	Count int
}

// JournalTournee is a tournée (street presence) as the main courante shows
// it. It is the main courante's own view: the tournées module fills it
// from its records, so that the two modules can change apart.
type JournalTournee struct {
	ID           int64
	StartAt      time.Time
	EndAt        time.Time // zero while the tournée is under way
	Zone         string
	Members      []string
	OutsideHours bool
	// Counts are the tournée's counters (contacts, information given,
	// orientations…) in the module's order.
	Counts []JournalCount
}

// Minutes is the length of a finished tournée, 0 while under way.
func (t JournalTournee) Minutes() int {
	if t.EndAt.IsZero() || !t.EndAt.After(t.StartAt) {
		return 0
	}
	return int(t.EndAt.Sub(t.StartAt) / time.Minute)
}

// JournalTotals sums a day. An intervention in binôme counts once in a
// team's day, and once in the day of each of its mediators.
type JournalTotals struct {
	Interventions       int
	InterventionMinutes int
	Tournees            int
	TourneeMinutes      int
	// OutsideHours counts the interventions and tournées outside the
	// structure's office hours, OutsideMinutes their time.
	OutsideHours   int
	OutsideMinutes int
	// PersonsNamed counts distinct people named; Anonymous sums the
	// people met without a file (possibly the same person twice).
	PersonsNamed int
	Anonymous    int
	Procedures   int
	// Obstacles counts the obstacles met in procedures, by obstacle, in
	// the order of the Obstacles list; ObstacleTotal is their sum.
	Obstacles     []JournalCount
	ObstacleTotal int
	// TourneeCounts sums the tournées' counters by label.
	TourneeCounts []JournalCount
}

// Minutes is the time of the day's activity: interventions and tournées.
func (t JournalTotals) Minutes() int { return t.InterventionMinutes + t.TourneeMinutes }

// JournalComment is the coordination's comment on a day. Changes are
// written to the audit log.
type JournalComment struct {
	ID         JournalCommentID
	Text       string // empty when there is no comment
	AuthorID   UserID // who wrote the current text
	AuthorName string
	UpdatedAt  time.Time
}

// JournalDay is the main courante of one mediator or one team for one
// day.
type JournalDay struct {
	StructureID StructureID
	Scope       JournalScope
	Name        string    // the mediator's or the team's name
	Day         time.Time // Paris midnight
	Entries     []JournalEntry
	Tournees    []JournalTournee
	Totals      JournalTotals
	Comment     JournalComment
}

// Summarize computes the totals from the entries and tournées.
func (d *JournalDay) Summarize() {
	var t JournalTotals
	named := map[PersonID]bool{}
	obstacles := map[string]int{}
	for _, e := range d.Entries {
		t.Interventions++
		t.InterventionMinutes += e.Minutes
		if e.OutsideHours {
			t.OutsideHours++
			t.OutsideMinutes += e.Minutes
		}
		for _, p := range e.Persons {
			named[p.ID] = true
		}
		t.Anonymous += e.Anonymous
		t.Procedures += e.Procedures
		for _, o := range e.Obstacles {
			obstacles[o]++
			t.ObstacleTotal++
		}
	}
	t.PersonsNamed = len(named)
	for _, c := range Obstacles {
		if n := obstacles[c.Code]; n > 0 {
			t.Obstacles = append(t.Obstacles, JournalCount{Code: c.Code, Label: c.Label, Count: n})
		}
	}
	for _, tr := range d.Tournees {
		t.Tournees++
		t.TourneeMinutes += tr.Minutes()
		if tr.OutsideHours {
			t.OutsideHours++
			t.OutsideMinutes += tr.Minutes()
		}
		for _, c := range tr.Counts {
			i := slices.IndexFunc(t.TourneeCounts, func(x JournalCount) bool { return x.Label == c.Label })
			if i < 0 {
				t.TourneeCounts = append(t.TourneeCounts, JournalCount{Code: c.Code, Label: c.Label})
				i = len(t.TourneeCounts) - 1
			}
			t.TourneeCounts[i].Count += c.Count
		}
	}
	d.Totals = t
}

// AddTournees puts the tournées of the day in the main courante, in start
// order, and counts them in the totals. It is the seam through which the
// tournées module joins the main courante.
func (d *JournalDay) AddTournees(list []JournalTournee) {
	d.Tournees = append(d.Tournees, list...)
	slices.SortStableFunc(d.Tournees, func(a, b JournalTournee) int {
		if c := a.StartAt.Compare(b.StartAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	d.Summarize()
}

// CleanJournalComment checks a comment's text: optional (empty removes
// the comment), several lines, at most MaxLongTextLen characters. Errors
// are ErrInvalid on field "comment".
func CleanJournalComment(text string) (string, error) {
	var fe FieldErrors
	v := optionalText(&fe, "comment", text, MaxLongTextLen, true)
	return v, fe.Err()
}

// JournalService builds the main courante. Reading it names people of
// the actor's structure, as the list of interventions does.
type JournalService interface {
	// FindJournalDay returns the day of scope (a mediator or a team of
	// the actor's structure) containing day, in Paris time. Mediators
	// read their own days and their team's (ErrForbidden otherwise);
	// coordinators and administrators any mediator or team of their
	// structure. A scope outside the structure, or unknown, is
	// ErrNotFound; a scope naming both or neither, or a day refused by
	// CheckJournalDay, is ErrInvalid.
	FindJournalDay(ctx context.Context, actor Actor, scope JournalScope, day time.Time) (*JournalDay, error)
	// SetJournalComment writes (or, with an empty text, clears) the
	// comment of a day; coordinators and administrators only
	// (ErrForbidden), on a day CheckJournalDay accepts and not after
	// today. The change is audited. ErrInvalid on field "comment" for a
	// text CleanJournalComment refuses. Saving the text already there
	// changes nothing and leaves no audit entry.
	SetJournalComment(ctx context.Context, actor Actor, scope JournalScope, day time.Time, text string) error
}
