package maillon

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// InterventionID identifies an intervention.
type InterventionID int64

// Vocabularies of interventions, the unit of a mediator's activity.
var (
	// PlaceTypes say where the intervention happened; "aller vers" is
	// the share outside the permanence.
	PlaceTypes = Choices{
		{"permanence", "Permanence"}, {"domicile", "Domicile"}, {"espace_public", "Espace public"},
		{"etablissement_scolaire", "Établissement scolaire"}, {"transport", "Transports"},
		{"partenaire", "Locaux d'un partenaire"}, {"telephone", "Téléphone"}, {"distance", "Visio ou à distance"},
	}
	// Registres are the types of intervention; one is main, others may
	// be added.
	Registres = Choices{
		{"accueil", "Accueil et information"},
		{"acces_droits", "Accompagnement aux droits et aux démarches"},
		{"mediation_institution", "Médiation personne ↔ institution"},
		{"conflit", "Gestion d'un conflit entre personnes"},
		{"orientation", "Orientation, mise en relation"},
		{"presence", "Présence active de proximité"},
		{"veille_technique", "Veille technique"},
		{"suivi", "Suivi"},
	}
	Themes = Choices{
		{"droits_sociaux", "Droits sociaux et prestations"}, {"logement", "Logement"}, {"sante", "Santé"},
		{"emploi", "Emploi et formation"}, {"education", "Éducation et scolarité"}, {"energie", "Énergie"},
		{"numerique", "Numérique"}, {"justice", "Justice et droit"}, {"mobilite", "Mobilité et transport"},
		{"famille", "Famille"}, {"papiers", "Titres et papiers"}, {"budget", "Budget et dettes"},
		{"voisinage", "Tranquillité et voisinage"}, {"etrangers", "Étrangers"}, {"loisirs", "Loisirs et culture"},
	}
	Outcomes = Choices{
		{"resolu", "Résolu"}, {"partiel", "Partiellement résolu"}, {"non_resolu", "Non résolu"},
		{"oriente", "Orienté vers un partenaire"}, {"en_attente", "En attente"}, {"abandonne", "Abandonné"},
	}
	// Initiatives say who started the contact. Only contacts started by
	// the person move their last-contact date, from which the retention
	// period runs.
	Initiatives = Choices{
		{"personne", "La personne"}, {"mediation", "La médiation (aller vers)"},
		{"partenaire", "Un partenaire ou une institution"},
	}
)

// AnonymousCount is a number of people met without a nominative file.
type AnonymousCount struct {
	AgeBand string
	Gender  string
	Count   int
}

// Intervention is one act of mediation work: who, when, where, what for,
// with whom, and with what result.
type Intervention struct {
	ID            InterventionID
	StructureID   StructureID
	StartAt       time.Time
	Minutes       int
	OutsideHours  bool // computed from the structure's office hours
	Mediators     []UserID
	MediatorNames []string
	PlaceType     string
	CommuneID     CommuneID
	ZoneID        ZoneID
	ZoneName      string
	CommuneName   string
	PlaceLabel    string
	Registre      string   // the main type
	Registres     []string // other types
	Themes        []string
	Initiative    string
	Persons       []PersonRef
	Anonymous     []AnonymousCount
	Institutions  string
	Commanditaire string
	Description   string
	Outcome       string
	NextStep      string
	Documents     string    // documents the person should bring next time
	FollowUpOn    time.Time // a day, Paris midnight; zero if none
	FollowUpDone  bool
	Procedures    []Procedure
	CreatedBy     UserID
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// History lists the changes, newest first (filled when one
	// intervention is read).
	History []AuditEntry

	// Directory is the partner structure of the directory involved
	// (zero ID: none), filled when one intervention is read.
	Directory DirectoryRef
}

// DirectoryRef names a structure of the partner directory on another
// record.
type DirectoryRef struct {
	ID   DirectoryStructureID
	Name string
}

// PersonRef names a person on another record.
type PersonRef struct {
	ID   PersonID
	Name string
}

// AnonymousTotal counts the anonymous people.
func (iv *Intervention) AnonymousTotal() int {
	n := 0
	for _, a := range iv.Anonymous {
		n += a.Count
	}
	return n
}

// EndAt is when the intervention ended.
func (iv *Intervention) EndAt() time.Time {
	return iv.StartAt.Add(time.Duration(iv.Minutes) * time.Minute)
}

// Limits of an intervention, stated in forms.
const (
	MaxInterventionMinutes = 12 * 60
	MaxAnonymousPerLine    = 500
	MaxMediators           = 6
	MaxPersonsPerRecord    = 20
)

// InterventionInput is an intervention as a form sends it.
type InterventionInput struct {
	Date          string // yyyy-mm-dd
	Time          string // hh:mm
	Minutes       string
	Mediators     []UserID
	PlaceType     string
	CommuneID     CommuneID
	ZoneID        ZoneID
	PlaceLabel    string
	Registre      string
	Registres     []string
	Themes        []string
	Initiative    string
	Persons       []PersonID
	Anonymous     []AnonymousCount
	Institutions  string
	Commanditaire string
	Description   string
	Outcome       string
	NextStep      string
	Documents     string
	FollowUpOn    string
	Procedures    []ProcedureInput

	// DirectoryStructureID is the partner structure of the directory
	// involved, if any; one not in the actor's directory is dropped.
	DirectoryStructureID DirectoryStructureID
}

// InterventionFields are the form fields, in form order.
var InterventionFields = []string{"date", "time", "minutes", "mediators", "place_type", "commune_id", "zone_id",
	"place_label", "registre", "registres", "themes", "initiative", "persons", "anonymous", "institutions",
	"commanditaire", "description", "outcome", "next_step", "documents", "follow_up_on"}

// Validate cleans the input and returns the start instant and duration.
// It allows dates up to one day ahead (a late evening entered after
// midnight) and not before 2000.
func (in *InterventionInput) Validate(now time.Time) (time.Time, int, time.Time, error) {
	var fe FieldErrors
	var start time.Time
	day, err := ParseDay(in.Date, now)
	if err != nil || strings.TrimSpace(in.Date) == "" {
		fe.Add("date", "Indiquez la date au format jj/mm/aaaa.")
	}
	clock, ok := parseClock(in.Time)
	if !ok || strings.TrimSpace(in.Time) == "" {
		fe.Add("time", "Indiquez l'heure de début, par exemple 14:30.")
	}
	if err == nil && ok {
		start = time.Date(day.Year(), day.Month(), day.Day(), clock/60, clock%60, 0, 0, Paris)
		switch {
		case start.After(now.Add(24 * time.Hour)):
			fe.Add("date", "L'intervention ne peut pas commencer plus d'un jour après aujourd'hui.")
		case start.Year() < 2000:
			fe.Add("date", "Indiquez une date à partir de l'an 2000.")
		}
	}
	minutes, convErr := strconv.Atoi(strings.TrimSpace(in.Minutes))
	switch {
	case convErr != nil:
		fe.Add("minutes", "Indiquez la durée en minutes, par exemple 30.")
	case minutes <= 0:
		fe.Add("minutes", "La durée doit être d'au moins une minute.")
	case minutes > MaxInterventionMinutes:
		fe.Add("minutes", "La durée ne peut pas dépasser 12 heures (720 minutes) : découpez en plusieurs interventions.")
	}
	in.Mediators = uniqueIDs(in.Mediators)
	if len(in.Mediators) == 0 {
		fe.Add("mediators", "Indiquez au moins un médiateur ou une médiatrice.")
	} else if len(in.Mediators) > MaxMediators {
		fe.Add("mediators", "Indiquez au plus 6 personnes de l'équipe.")
	}
	if !PlaceTypes.Valid(in.PlaceType) {
		fe.Add("place_type", "Choisissez le type de lieu.")
	}
	if in.ZoneID != 0 && in.CommuneID == 0 {
		fe.Add("commune_id", "Choisissez la commune du quartier.")
	}
	in.PlaceLabel = optionalText(&fe, "place_label", in.PlaceLabel, MaxShortTextLen, false)
	if !Registres.Valid(in.Registre) {
		fe.Add("registre", "Choisissez le type principal d'intervention.")
	}
	others, unknown := Registres.CleanSet(in.Registres)
	if unknown {
		fe.Add("registres", "Choisissez les autres types dans la liste.")
	}
	in.Registres = without(others, in.Registre)
	themes, unknown := Themes.CleanSet(in.Themes)
	if unknown {
		fe.Add("themes", "Choisissez les thématiques dans la liste.")
	}
	in.Themes = themes
	if in.Initiative == "" {
		in.Initiative = "personne"
	}
	if !Initiatives.Valid(in.Initiative) {
		fe.Add("initiative", "Choisissez qui est à l'origine du contact.")
	}
	in.Persons = uniqueIDs(in.Persons)
	if len(in.Persons) > MaxPersonsPerRecord {
		fe.Add("persons", "Indiquez au plus 20 personnes ; comptez les autres de façon anonyme.")
	}
	var anon []AnonymousCount
	for _, a := range in.Anonymous {
		if a.Count == 0 {
			continue
		}
		if a.Count < 0 || a.Count > MaxAnonymousPerLine {
			fe.Add("anonymous", "Chaque nombre de personnes est compris entre 0 et 500.")
			continue
		}
		if !AgeBands.Valid(a.AgeBand) || !Genders.Valid(a.Gender) {
			fe.Add("anonymous", "Choisissez la tranche d'âge et le genre dans les listes.")
			continue
		}
		anon = mergeCount(anon, a)
	}
	in.Anonymous = anon
	in.Institutions = optionalText(&fe, "institutions", in.Institutions, MaxShortTextLen, false)
	in.Commanditaire = optionalText(&fe, "commanditaire", in.Commanditaire, MaxShortTextLen, false)
	in.Description = optionalText(&fe, "description", in.Description, MaxLongTextLen, true)
	if in.Outcome == "" {
		in.Outcome = "en_attente"
	}
	if !Outcomes.Valid(in.Outcome) {
		fe.Add("outcome", "Choisissez le résultat dans la liste.")
	}
	in.NextStep = optionalText(&fe, "next_step", in.NextStep, MaxShortTextLen, false)
	in.Documents = optionalText(&fe, "documents", in.Documents, MaxShortTextLen, false)
	var followUp time.Time
	if strings.TrimSpace(in.FollowUpOn) != "" {
		f, err := ParseDay(in.FollowUpOn, now)
		switch {
		case err != nil:
			fe.Add("follow_up_on", "Indiquez la date de relance au format jj/mm/aaaa.")
		case !start.IsZero() && f.Before(time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, Paris)):
			fe.Add("follow_up_on", "La relance ne peut pas précéder l'intervention.")
		case f.After(now.AddDate(2, 0, 0)):
			fe.Add("follow_up_on", "La relance doit avoir lieu dans les deux ans.")
		default:
			followUp = f
		}
	}
	if len(in.Procedures) > 5 {
		fe.Add("procedures", "Enregistrez au plus 5 démarches par intervention.")
	}
	for i := range in.Procedures {
		in.Procedures[i].validate(&fe, i)
	}
	return start, minutes, followUp, fe.Err()
}

func mergeCount(list []AnonymousCount, a AnonymousCount) []AnonymousCount {
	for i := range list {
		if list[i].AgeBand == a.AgeBand && list[i].Gender == a.Gender {
			list[i].Count += a.Count
			return list
		}
	}
	return append(list, a)
}

func without(list []string, v string) []string {
	out := list[:0:0]
	for _, s := range list {
		if s != v {
			out = append(out, s)
		}
	}
	return out
}

func uniqueIDs[T ~int64](ids []T) []T {
	seen := map[T]bool{}
	var out []T
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// InterventionFilter selects interventions.
type InterventionFilter struct {
	MediatorID UserID
	TeamID     TeamID
	PersonID   PersonID
	From, To   time.Time // From inclusive, To exclusive
	Offset     int
	Limit      int
}

// ActivitySummary sums interventions.
type ActivitySummary struct {
	Interventions int
	Minutes       int
	OutsideHours  int // interventions outside office hours
}

// Hours is the time spent, rounded down to whole hours.
func (a ActivitySummary) Hours() int { return a.Minutes / 60 }

// FollowUpFilter selects follow-ups due.
type FollowUpFilter struct {
	MediatorID UserID // zero: the whole structure
	Until      time.Time
	Limit      int
}

// FollowUpCounts is what a dashboard shows of the follow-ups: how many
// are late, how many are due today.
type FollowUpCounts struct {
	Overdue int
	Today   int
}

// InterventionService records the mediators' activity. Interventions that
// name people write person audit entries in the same transaction.
type InterventionService interface {
	// CreateIntervention records an intervention (any member); people
	// named must have an active dossier consent.
	CreateIntervention(ctx context.Context, actor Actor, in InterventionInput) (*Intervention, error)
	// UpdateIntervention changes one; its mediators, coordinators and
	// administrators may.
	UpdateIntervention(ctx context.Context, actor Actor, id InterventionID, in InterventionInput) error
	FindInterventionByID(ctx context.Context, actor Actor, id InterventionID) (*Intervention, error)
	FindInterventions(ctx context.Context, actor Actor, f InterventionFilter) ([]Intervention, int, error)
	// SummarizeInterventions counts interventions, time spent and the
	// share outside office hours for the filter (no people data).
	SummarizeInterventions(ctx context.Context, actor Actor, f InterventionFilter) (ActivitySummary, error)
	// FindFollowUps lists follow-ups not done, due until f.Until: those
	// of interventions and the expected feedbacks of open orientations
	// (for f.MediatorID, the orientations they made).
	FindFollowUps(ctx context.Context, actor Actor, f FollowUpFilter) ([]FollowUp, error)
	// CountFollowUps counts the follow-ups FindFollowUps would list for
	// mediatorID (zero: the whole structure): due before today (Paris
	// midnight), and due today. It reads no names, so the home page
	// costs two aggregate queries.
	CountFollowUps(ctx context.Context, actor Actor, mediatorID UserID, today time.Time) (FollowUpCounts, error)
	// SetFollowUpDone marks a follow-up done or not.
	SetFollowUpDone(ctx context.Context, actor Actor, id InterventionID, done bool) error
	// FindProcedureTypes lists the catalogue (any member); activeOnly
	// leaves out retired entries.
	FindProcedureTypes(ctx context.Context, actor Actor, activeOnly bool) ([]ProcedureType, error)
	// AddProcedureType and SetProcedureTypeActive edit the catalogue;
	// administrators only.
	AddProcedureType(ctx context.Context, actor Actor, organisme, label string) (*ProcedureType, error)
	SetProcedureTypeActive(ctx context.Context, actor Actor, id ProcedureTypeID, active bool) error
}
