package maillon

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Collective actions ("activités support", workflow W7 of the domain):
// projects designed with inhabitants and partners, run as sessions with
// registrations and attendance, and evaluated against their objectives.

// ActiviteID identifies a collective action project.
type ActiviteID int64

// SeanceID identifies a session of a project.
type SeanceID int64

// Project statuses: idée → en préparation → validée (coordination) → en
// cours → terminée → évaluée; annulée from any open status, with a reason.
const (
	ActiviteIdee        = "idee"
	ActivitePreparation = "preparation"
	ActiviteValidee     = "validee"
	ActiviteEnCours     = "en_cours"
	ActiviteTerminee    = "terminee"
	ActiviteEvaluee     = "evaluee"
	ActiviteAnnulee     = "annulee"
)

// Objective indicators computed from attendance; any other indicator's
// achieved value is entered at evaluation.
const (
	IndicatorPresences = "presences"
	IndicatorSeances   = "seances"
	IndicatorNouveaux  = "nouveaux"
	IndicatorSaisi     = "saisi"
)

// Attendance of a registered person.
const (
	PresencePresent = "present"
	PresenceExcuse  = "excuse"
	PresenceAbsent  = "absent"
)

// Vocabularies of collective actions.
var (
	ActiviteKinds = Choices{
		{"atelier", "Atelier"}, {"cafe_rencontre", "Café-rencontre"}, {"sortie", "Sortie"},
		{"fete_quartier", "Fête de quartier"}, {"reunion_info", "Réunion d'information"},
		{"atelier_numerique", "Atelier numérique collectif"}, {"concertation", "Concertation habitants"},
		{"autre", "Autre action collective"},
	}
	ActiviteStatuses = Choices{
		{ActiviteIdee, "Idée"}, {ActivitePreparation, "En préparation"}, {ActiviteValidee, "Validée"},
		{ActiviteEnCours, "En cours"}, {ActiviteTerminee, "Terminée"}, {ActiviteEvaluee, "Évaluée"},
		{ActiviteAnnulee, "Annulée"},
	}
	// ParticipationLevels say how far inhabitants took part in the design.
	ParticipationLevels = Choices{
		{"informes", "Informés"}, {"consultes", "Consultés"}, {"co_construction", "Co-construction"},
		{"portee_habitants", "Portée par les habitants"},
	}
	// AccessibilityItems are the checklist of an accessible action.
	AccessibilityItems = Choices{
		{"plain_pied", "Lieu de plain-pied ou accessible en fauteuil"},
		{"facile_lire", "Communication facile à lire et à comprendre (FALC)"},
		{"interpretariat", "Interprétariat (langues, langue des signes)"},
		{"horaires", "Horaires adaptés au public"},
		{"garde_enfants", "Garde ou accueil des enfants"},
	}
	// CommunicationChannels say how the action is made known.
	CommunicationChannels = Choices{
		{"affiche", "Affiches et flyers"}, {"bouche_oreille", "Bouche-à-oreille, porte-à-porte"},
		{"partenaires", "Relais des partenaires"}, {"reseaux", "Réseaux sociaux, messageries"},
		{"presse", "Presse, journal municipal"},
	}
	ObjectiveIndicators = Choices{
		{IndicatorPresences, "Nombre de présences (calculé à partir des émargements)"},
		{IndicatorSeances, "Nombre de séances tenues (calculé)"},
		{IndicatorNouveaux, "Nombre de nouveaux participants (calculé)"},
		{IndicatorSaisi, "Autre indicateur (valeur saisie à l'évaluation)"},
	}
	Recurrences = Choices{
		{"", "Une seule séance"}, {"hebdo", "Chaque semaine"}, {"quinzaine", "Toutes les deux semaines"},
		{"mensuel", "Chaque mois"},
	}
	Presences = Choices{
		{PresencePresent, "Présent·e"}, {PresenceExcuse, "Excusé·e"}, {PresenceAbsent, "Absent·e"},
	}
	// Decisions close the bilan of a project.
	ActiviteDecisions = Choices{
		{"poursuivre", "Poursuivre"}, {"ajuster", "Poursuivre en ajustant"}, {"arreter", "Arrêter"},
	}
	// EditScopes say whether a change of a recurring session reaches the
	// following ones.
	EditScopes = Choices{{"une", "Cette séance seulement"}, {"suivantes", "Cette séance et les suivantes de la série"}}
	// SatisfactionScale is the pictogram scale of the questionnaire.
	SatisfactionScale = Choices{
		{"1", "Pas du tout"}, {"2", "Un peu"}, {"3", "Bien"}, {"4", "Très bien"},
	}
	// SatisfactionQuestions are asked after every session: short, in plain
	// language, with no personal data.
	SatisfactionQuestions = []string{
		"Avez-vous aimé ce moment ?",
		"Avez-vous appris quelque chose ?",
		"Avez-vous rencontré d'autres personnes ?",
		"Le lieu et l'heure vous ont-ils convenu ?",
		"Avez-vous envie de revenir ?",
	}
)

// Limits of collective actions, stated in forms.
const (
	MaxActiviteObjectives   = 12
	MaxActivitePartners     = 30
	MaxActiviteBudgetLines  = 40
	MaxSeancesPerActivite   = 400
	MaxSeriesLength         = 52
	MaxSeanceCapacity       = 1000
	MaxRegistrationCount    = 50
	MaxSatisfactionAnswers  = 1000
	MaxBudgetEuros          = 10_000_000
	MaxObjectiveTarget      = 1_000_000
	DefaultQuestionnaireDay = 30
	MaxQuestionnaireDays    = 90
	MaxTallyLines           = 8
)

// ActiviteObjective is an objective with its indicator and target.
type ActiviteObjective struct {
	ID        int64
	Label     string
	Indicator string
	Target    int
	Unit      string
	// Entered is the achieved value of an entered indicator; HasEntered
	// tells a zero from no value.
	Entered    int
	HasEntered bool
	// Achieved is filled by reads: computed for count indicators.
	Achieved    int
	HasAchieved bool
}

// Computed reports whether the indicator is counted from attendance.
func (o ActiviteObjective) Computed() bool { return o.Indicator != IndicatorSaisi }

// Percent is the achieved share of the target, capped for display.
func (o ActiviteObjective) Percent() int {
	if o.Target <= 0 || !o.HasAchieved {
		return 0
	}
	return min(o.Achieved*100/o.Target, 999)
}

// Bar is the percentage drawn by a progress bar, at most 100.
func (o ActiviteObjective) Bar() int { return min(o.Percent(), 100) }

// Reached reports whether the target is met.
func (o ActiviteObjective) Reached() bool { return o.HasAchieved && o.Achieved >= o.Target }

// ActivitePartner is a partner of the project: a structure of the
// directory or a free name, with its role.
type ActivitePartner struct {
	ID          int64
	DirectoryID DirectoryStructureID
	Name        string
	Role        string
}

// BudgetLine is a planned and actual amount, in euros, by funder.
type BudgetLine struct {
	ID      int64
	Funder  string
	Label   string
	Planned int
	Actual  int
}

// Adjustment is an entry of the adjustments log.
type Adjustment struct {
	ID         int64
	At         time.Time
	What       string
	Why        string
	AuthorName string
}

// Activite is a collective action project.
type Activite struct {
	ID              ActiviteID
	StructureID     StructureID
	Title           string
	Kind            string
	CommuneID       CommuneID
	ZoneID          ZoneID
	CommuneName     string
	ZoneName        string
	Public          string
	Need            string
	NeedSource      string
	Participation   string
	Resources       string
	Channels        []string
	Accessibility   []string
	Risks           string
	StartsOn        time.Time
	EndsOn          time.Time
	Status          string
	CancelReason    string
	TeamID          TeamID
	TeamName        string
	OwnerID         UserID
	OwnerName       string
	ValidatedByName string
	ValidatedAt     time.Time
	Effects         string
	Testimonies     string
	Lessons         string
	Decision        string
	DecisionText    string
	SeanceCount     int // kept by the store
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Objectives      []ActiviteObjective
	Partners        []ActivitePartner
	Budget          []BudgetLine
	Adjustments     []Adjustment
	Seances         []Seance
	Figures         ActiviteParticipation
	Satisfaction    Satisfaction
	SatisfactionByQ []QuestionScore
	History         []AuditEntry
}

// ActiviteParticipation sums the attendance of a project.
type ActiviteParticipation struct {
	SessionsHeld int
	Registered   int
	Present      int // registered people present
	Excused      int
	Absent       int
	Anonymous    int // tallied participants
	Newcomers    int
	ByAge        []CountLine
	ByGender     []CountLine
	ByZone       []CountLine
}

// Presences is everyone counted present: registered and tallied.
func (p ActiviteParticipation) Presences() int { return p.Present + p.Anonymous }

// CountLine is one line of a breakdown.
type CountLine struct {
	Label string
	Count int
}

// Open reports whether the project may still change.
func (a *Activite) Open() bool { return a.Status != ActiviteEvaluee && a.Status != ActiviteAnnulee }

// Validated reports whether the coordination validated the project, so
// that changes go to the adjustments log.
func (a *Activite) Validated() bool {
	return a.Status == ActiviteValidee || a.Status == ActiviteEnCours || a.Status == ActiviteTerminee
}

// AcceptsSeances reports whether sessions may be added or changed.
func (a *Activite) AcceptsSeances() bool {
	return a.Status == ActiviteIdee || a.Status == ActivitePreparation || a.Validated()
}

// VisibleTo reports whether actor may open the project: the coordination
// and administrators of its structure, its owner and its team.
func (a *Activite) VisibleTo(ac Actor) bool {
	if !ac.InStructure(a.StructureID) {
		return false
	}
	return ac.CanViewTeamData(a.StructureID) || (ac.UserID != 0 && ac.UserID == a.OwnerID) ||
		(a.TeamID != 0 && a.TeamID == ac.TeamID)
}

// CheckItem is a line of the accessibility checklist.
type CheckItem struct {
	Label string
	Done  bool
}

// AccessibilityChecklist lists every item of the checklist, done or not,
// so that what is missing shows.
func (a *Activite) AccessibilityChecklist() []CheckItem {
	var out []CheckItem
	for _, c := range AccessibilityItems {
		done := false
		for _, x := range a.Accessibility {
			done = done || x == c.Code
		}
		out = append(out, CheckItem{Label: c.Label, Done: done})
	}
	return out
}

// PlannedTotal and ActualTotal sum the budget.
func (a *Activite) PlannedTotal() int {
	n := 0
	for _, b := range a.Budget {
		n += b.Planned
	}
	return n
}

// ActualTotal sums the actual amounts.
func (a *Activite) ActualTotal() int {
	n := 0
	for _, b := range a.Budget {
		n += b.Actual
	}
	return n
}

// FunderTotals groups the budget by funder, in first-seen order.
func (a *Activite) FunderTotals() []BudgetLine {
	var out []BudgetLine
	idx := map[string]int{}
	for _, b := range a.Budget {
		i, ok := idx[b.Funder]
		if !ok {
			i = len(out)
			idx[b.Funder] = i
			out = append(out, BudgetLine{Funder: b.Funder})
		}
		out[i].Planned += b.Planned
		out[i].Actual += b.Actual
	}
	return out
}

// NextStatuses lists the moves the status machine allows from the current
// status (cancellation apart), for the forms.
func (a *Activite) NextStatuses() []string {
	switch a.Status {
	case ActiviteIdee:
		return []string{ActivitePreparation}
	case ActivitePreparation:
		return []string{ActiviteValidee}
	case ActiviteValidee:
		return []string{ActiviteEnCours}
	case ActiviteEnCours:
		return []string{ActiviteTerminee}
	case ActiviteTerminee:
		return []string{ActiviteEvaluee}
	}
	return nil
}

// Seance is a session of a project.
type Seance struct {
	ID             SeanceID
	ActiviteID     ActiviteID
	SeriesID       SeanceID // the first session of its series; itself when alone
	StartsAt       time.Time
	EndsAt         time.Time
	Place          string
	Capacity       int
	Facilitators   string
	Observations   string
	AttendanceDone bool
	Registered     int // places taken (named and counted), kept by the store
	Waiting        int
	Present        int // registered present + tallied, after attendance
	Answers        int // satisfaction answers
	// Filled when one session is read.
	Registrations []Registration
	Tallies       []Tally
	Link          *QuestionnaireLink
	Satisfaction  Satisfaction
	ByQuestion    []QuestionScore
	Comments      []string
	// Imported are the answers an import writes.
	Imported []SatisfactionAnswer
}

// Free is the number of places left.
func (s *Seance) Free() int { return max(s.Capacity-s.Registered, 0) }

// Past reports whether the session has started at now.
func (s *Seance) Past(now time.Time) bool { return !s.StartsAt.After(now) }

// Registration is a named person, or a number of people, registered to a
// session; Waiting when on the waiting list.
type Registration struct {
	ID         int64
	PersonID   PersonID
	Name       string // the person's name from the file, or "n personnes"
	Count      int
	Waiting    bool
	Attendance string
	CreatedAt  time.Time
}

// Named reports whether the registration names a person.
func (r Registration) Named() bool { return r.PersonID != 0 }

// Tally counts anonymous participants of one kind.
type Tally struct {
	AgeBand  string
	Gender   string
	ZoneID   ZoneID
	ZoneName string
	Newcomer bool
	Count    int
}

// QuestionnaireLink is the public link of a session's questionnaire.
type QuestionnaireLink struct {
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt time.Time
}

// Open reports whether the link still works at now.
func (l *QuestionnaireLink) Open(now time.Time) bool {
	return l != nil && l.RevokedAt.IsZero() && now.Before(l.ExpiresAt)
}

// Satisfaction aggregates answers: the mean score of all questions, on 4.
type Satisfaction struct {
	Answers int
	Sum     int
	Scored  int
}

// Mean is the mean score with one decimal, French style ("3,2"); "–"
// without answers.
func (s Satisfaction) Mean() string {
	if s.Scored == 0 {
		return "–"
	}
	v := (s.Sum*10 + s.Scored/2) / s.Scored
	return strconv.Itoa(v/10) + "," + strconv.Itoa(v%10)
}

// QuestionScore is the distribution of answers to one question.
type QuestionScore struct {
	Question string
	Counts   [4]int // "pas du tout" … "très bien"
	Total    int
	Sum      int
}

// Mean of one question.
func (q QuestionScore) Mean() string { return Satisfaction{Sum: q.Sum, Scored: q.Total}.Mean() }

// Percent of answers at level i (0…3).
func (q QuestionScore) Percent(i int) int {
	if q.Total == 0 || i < 0 || i > 3 {
		return 0
	}
	return (q.Counts[i]*100 + q.Total/2) / q.Total
}

// ---------------------------------------------------------------------
// Inputs.

// ActiviteInput creates or changes a project.
type ActiviteInput struct {
	Title         string
	Kind          string
	CommuneID     CommuneID
	ZoneID        ZoneID
	Public        string
	Need          string
	NeedSource    string
	Participation string
	Resources     string
	Channels      []string
	Accessibility []string
	Risks         string
	StartsOn      string
	EndsOn        string
	TeamID        TeamID
	// Why explains a change to a validated project; it goes to the
	// adjustments log.
	Why string
}

// ActiviteFields are the project form's fields, in form order.
var ActiviteFields = []string{"title", "kind", "place", "team_id", "public", "need", "need_source", "participation",
	"starts_on", "ends_on", "resources", "channels", "accessibility", "risks", "why"}

// Validate cleans the input and returns the start and end days.
func (in *ActiviteInput) Validate(now time.Time) (time.Time, time.Time, error) {
	var fe FieldErrors
	in.Title = requiredText(&fe, "title", "le titre de l'action", in.Title, MaxShortTextLen)
	if !ActiviteKinds.Valid(in.Kind) {
		fe.Add("kind", "Choisissez le type d'action dans la liste.")
	}
	if in.ZoneID != 0 && in.CommuneID == 0 {
		fe.Add("place", "Choisissez la commune du quartier.")
	}
	if in.TeamID < 0 {
		fe.Add("team_id", "Choisissez une équipe de la structure.")
	}
	in.Public = optionalText(&fe, "public", in.Public, MaxShortTextLen, false)
	in.Need = requiredText(&fe, "need", "le besoin identifié", in.Need, MaxLongTextLen)
	if v, msg := CleanText(in.Need, MaxLongTextLen, true); msg == "" {
		in.Need = v
	}
	in.NeedSource = optionalText(&fe, "need_source", in.NeedSource, MaxShortTextLen, false)
	if in.Participation != "" && !ParticipationLevels.Valid(in.Participation) {
		fe.Add("participation", "Choisissez le niveau de participation des habitants dans la liste.")
	}
	in.Resources = optionalText(&fe, "resources", in.Resources, MaxLongTextLen, true)
	in.Risks = optionalText(&fe, "risks", in.Risks, MaxLongTextLen, true)
	var unknown bool
	if in.Channels, unknown = CommunicationChannels.CleanSet(in.Channels); unknown {
		fe.Add("channels", "Choisissez les canaux dans la liste.")
	}
	if in.Accessibility, unknown = AccessibilityItems.CleanSet(in.Accessibility); unknown {
		fe.Add("accessibility", "Choisissez les points d'accessibilité dans la liste.")
	}
	in.Why = optionalText(&fe, "why", in.Why, MaxShortTextLen, false)
	var start, end time.Time
	if strings.TrimSpace(in.StartsOn) != "" {
		d, err := ParseDay(in.StartsOn, now)
		if err != nil || d.Year() < 2000 {
			fe.Add("starts_on", "Indiquez la date de début au format jj/mm/aaaa, à partir de l'an 2000.")
		} else {
			start = d
		}
	}
	if strings.TrimSpace(in.EndsOn) != "" {
		d, err := ParseDay(in.EndsOn, now)
		switch {
		case err != nil || d.Year() < 2000:
			fe.Add("ends_on", "Indiquez la date de fin au format jj/mm/aaaa, à partir de l'an 2000.")
		case !start.IsZero() && d.Before(start):
			fe.Add("ends_on", "La date de fin doit être après la date de début.")
		default:
			end = d
		}
	}
	return start, end, fe.Err()
}

// ActiviteStatusInput moves a project along its life cycle.
type ActiviteStatusInput struct {
	Status string
	Reason string // required to cancel
}

func activiteTransitionError(msg string) error {
	return &Error{Kind: ErrInvalid, Message: msg, Fields: map[string]string{"status": msg}}
}

// CheckActiviteTransition returns a French error when a project may not
// move from one status to another, or when the actor may not make the
// move (validation is the coordination's).
func CheckActiviteTransition(a *Activite, in *ActiviteStatusInput, actor Actor) error {
	from, to := a.Status, in.Status
	if !ActiviteStatuses.Valid(to) {
		return activiteTransitionError("Choisissez un statut dans la liste.")
	}
	if !a.Open() {
		return activiteTransitionError("L'action est « " + ActiviteStatuses.Label(from) + " » : son statut ne change plus.")
	}
	if from == to {
		return activiteTransitionError("L'action est déjà « " + ActiviteStatuses.Label(to) + " ».")
	}
	if to == ActiviteAnnulee {
		v, msg := CleanText(in.Reason, MaxShortTextLen, false)
		switch {
		case msg != "":
			return &Error{Kind: ErrInvalid, Message: msg, Fields: map[string]string{"reason": msg}}
		case v == "":
			msg := "Indiquez pourquoi l'action est annulée."
			return &Error{Kind: ErrInvalid, Message: msg, Fields: map[string]string{"reason": msg}}
		}
		in.Reason = v
		return nil
	}
	in.Reason = ""
	allowed := false
	for _, s := range a.NextStatuses() {
		allowed = allowed || s == to
	}
	if !allowed {
		next := a.NextStatuses()
		msg := "Passage impossible de « " + ActiviteStatuses.Label(from) + " » à « " + ActiviteStatuses.Label(to) + " »"
		if len(next) > 0 {
			msg += " : l'étape suivante est « " + ActiviteStatuses.Label(next[0]) + " »."
		} else {
			msg += "."
		}
		return activiteTransitionError(msg)
	}
	if to == ActiviteValidee && !actor.CanViewTeamData(a.StructureID) {
		return activiteTransitionError("Seule la coordination valide une action collective.")
	}
	if to == ActiviteValidee && len(a.Objectives) == 0 {
		return activiteTransitionError("Fixez au moins un objectif, avec sa cible, avant de faire valider l'action.")
	}
	if to == ActiviteEvaluee && a.Decision == "" {
		return activiteTransitionError("Enregistrez l'évaluation et la décision (poursuivre, ajuster, arrêter) avant de clore le bilan.")
	}
	return nil
}

// ObjectiveInput adds an objective.
type ObjectiveInput struct {
	Label     string
	Indicator string
	Target    string
	Unit      string
}

// ObjectiveFields are the objective form's fields.
var ObjectiveFields = []string{"objective_label", "indicator", "target", "unit"}

// Validate cleans the objective and returns its target.
func (in *ObjectiveInput) Validate() (int, error) {
	var fe FieldErrors
	in.Label = requiredText(&fe, "objective_label", "l'objectif", in.Label, MaxShortTextLen)
	if !ObjectiveIndicators.Valid(in.Indicator) || in.Indicator == "" {
		fe.Add("indicator", "Choisissez l'indicateur de l'objectif.")
	}
	in.Unit = optionalText(&fe, "unit", in.Unit, 40, false)
	target := 0
	switch v := strings.TrimSpace(in.Target); {
	case v == "":
		fe.Add("target", "Un objectif sans cible ne s'évalue pas : indiquez la valeur visée.")
	default:
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > MaxObjectiveTarget {
			fe.Add("target", "Indiquez la cible en nombre entier, entre 1 et 1 000 000.")
		}
		target = n
	}
	if in.Unit == "" && in.Indicator == IndicatorSaisi && fe["unit"] == "" {
		fe.Add("unit", "Indiquez l'unité de l'indicateur (personnes, %, partenaires…).")
	}
	if in.Unit == "" {
		in.Unit = "personnes"
		if in.Indicator == IndicatorSeances {
			in.Unit = "séances"
		}
	}
	return target, fe.Err()
}

// ActivitePartnerInput adds a partner: a directory structure or a free name.
type ActivitePartnerInput struct {
	DirectoryID DirectoryStructureID
	Name        string
	Role        string
}

// ActivitePartnerFields are the partner form's fields.
var ActivitePartnerFields = []string{"directory_id", "partner_name", "partner_role"}

// Validate cleans the partner.
func (in *ActivitePartnerInput) Validate() error {
	var fe FieldErrors
	in.Name = optionalText(&fe, "partner_name", in.Name, MaxNameLen, false)
	in.Role = requiredText(&fe, "partner_role", "le rôle du partenaire", in.Role, MaxShortTextLen)
	switch {
	case in.DirectoryID < 0:
		fe.Add("directory_id", "Choisissez une structure de l'annuaire.")
	case in.DirectoryID == 0 && in.Name == "" && fe["partner_name"] == "":
		fe.Add("partner_name", "Choisissez un partenaire de l'annuaire ou écrivez son nom.")
	case in.DirectoryID != 0:
		in.Name = ""
	}
	return fe.Err()
}

// BudgetInput adds a budget line.
type BudgetInput struct {
	Funder  string
	Label   string
	Planned string
	Actual  string
}

// BudgetFields are the budget form's fields.
var BudgetFields = []string{"funder", "budget_label", "planned", "actual"}

func parseEuros(fe *FieldErrors, field, v string, required bool) int {
	v = strings.ReplaceAll(strings.TrimSpace(v), " ", "")
	v = strings.TrimSuffix(strings.TrimSuffix(v, "€"), ",00")
	if v == "" {
		if required {
			fe.Add(field, "Indiquez le montant en euros.")
		}
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > MaxBudgetEuros {
		fe.Add(field, "Indiquez un montant en euros entiers, entre 0 et 10 000 000.")
		return 0
	}
	return n
}

// Validate cleans the line and returns the planned and actual amounts.
func (in *BudgetInput) Validate() (int, int, error) {
	var fe FieldErrors
	in.Funder = requiredText(&fe, "funder", "le financeur (ou « fonds propres »)", in.Funder, MaxNameLen)
	in.Label = requiredText(&fe, "budget_label", "la dépense ou la ressource", in.Label, MaxShortTextLen)
	planned := parseEuros(&fe, "planned", in.Planned, true)
	actual := parseEuros(&fe, "actual", in.Actual, false)
	return planned, actual, fe.Err()
}

// BudgetActualInput records the actual amounts of the budget lines.
type BudgetActualInput struct {
	Actual map[int64]string
}

// AdjustmentInput records a change made during the project, and why.
type AdjustmentInput struct {
	What string
	Why  string
}

// AdjustmentFields are the adjustment form's fields.
var AdjustmentFields = []string{"what", "adj_why"}

// Validate cleans the adjustment.
func (in *AdjustmentInput) Validate() error {
	var fe FieldErrors
	in.What = requiredText(&fe, "what", "ce qui a changé", in.What, MaxShortTextLen)
	in.Why = requiredText(&fe, "adj_why", "pourquoi", in.Why, MaxShortTextLen)
	return fe.Err()
}

// SeanceInput creates sessions, one or a series, or changes one.
type SeanceInput struct {
	Date         string // yyyy-mm-dd
	Start        string // hh:mm
	End          string // hh:mm
	Place        string
	Capacity     string
	Facilitators string
	Recurrence   string // creation only
	Count        string // sessions of the series, creation only
	Scope        string // change only: "une" or "suivantes"
}

// SeanceFields are the session form's fields.
var SeanceFields = []string{"date", "start", "end", "place", "capacity", "facilitators", "recurrence", "count", "scope"}

// SeanceSlot is a validated session.
type SeanceSlot struct {
	StartsAt, EndsAt time.Time
	Capacity         int
	Count            int // sessions to create
}

// Validate cleans the session. startsOn is the project's start day (zero
// when open); a session before it is refused.
func (in *SeanceInput) Validate(startsOn time.Time, creating bool) (SeanceSlot, error) {
	var fe FieldErrors
	var slot SeanceSlot
	day, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.Date), Paris)
	if err != nil || day.Year() < 2000 || day.Year() > 2200 {
		fe.Add("date", "Indiquez la date de la séance au format jj/mm/aaaa.")
	}
	sm, ok1 := parseClock(in.Start)
	if !ok1 {
		fe.Add("start", "Indiquez l'heure de début au format hh:mm, par exemple 14:00.")
	}
	em, ok2 := parseClock(in.End)
	if !ok2 {
		fe.Add("end", "Indiquez l'heure de fin au format hh:mm, par exemple 16:00.")
	}
	if err == nil && ok1 && ok2 {
		slot.StartsAt = time.Date(day.Year(), day.Month(), day.Day(), 0, sm, 0, 0, Paris)
		slot.EndsAt = time.Date(day.Year(), day.Month(), day.Day(), 0, em, 0, 0, Paris)
		if !slot.EndsAt.After(slot.StartsAt) {
			fe.Add("end", "L'heure de fin doit être après l'heure de début.")
		}
		if !startsOn.IsZero() && day.Before(startsOn) {
			fe.Add("date", "La séance ne peut pas avoir lieu avant le début du projet, le "+
				InParis(startsOn).Format("02/01/2006")+".")
		}
	}
	in.Place = requiredText(&fe, "place", "le lieu de la séance", in.Place, MaxShortTextLen)
	in.Facilitators = optionalText(&fe, "facilitators", in.Facilitators, MaxShortTextLen, false)
	n, err := strconv.Atoi(strings.TrimSpace(in.Capacity))
	if err != nil || n < 1 || n > MaxSeanceCapacity {
		fe.Add("capacity", "Indiquez le nombre de places, entre 1 et 1 000.")
	}
	slot.Capacity = n
	slot.Count = 1
	if creating {
		in.Scope = ""
		if !Recurrences.Valid(in.Recurrence) {
			fe.Add("recurrence", "Choisissez la fréquence dans la liste.")
		}
		if in.Recurrence != "" {
			c, err := strconv.Atoi(strings.TrimSpace(in.Count))
			if err != nil || c < 2 || c > MaxSeriesLength {
				fe.Add("count", "Indiquez le nombre de séances de la série, entre 2 et 52.")
			}
			slot.Count = c
		} else {
			in.Count = ""
		}
	} else {
		in.Recurrence, in.Count = "", ""
		if in.Scope == "" {
			in.Scope = "une"
		}
		if !EditScopes.Valid(in.Scope) {
			fe.Add("scope", "Choisissez les séances concernées.")
		}
	}
	return slot, fe.Err()
}

// SeriesStarts returns the start of each session of a series from first.
// A monthly series keeps the weekday's rank in the month ("2e mardi"),
// which is how groups remember their meeting.
func SeriesStarts(first time.Time, recurrence string, count int) []time.Time {
	out := []time.Time{first}
	p := InParis(first)
	rank := (p.Day() - 1) / 7
	for i := 1; i < count; i++ {
		var next time.Time
		switch recurrence {
		case "hebdo":
			next = time.Date(p.Year(), p.Month(), p.Day()+7*i, p.Hour(), p.Minute(), 0, 0, Paris)
		case "quinzaine":
			next = time.Date(p.Year(), p.Month(), p.Day()+14*i, p.Hour(), p.Minute(), 0, 0, Paris)
		case "mensuel":
			m := time.Date(p.Year(), p.Month()+time.Month(i), 1, p.Hour(), p.Minute(), 0, 0, Paris)
			offset := (int(p.Weekday()) - int(m.Weekday()) + 7) % 7
			d := 1 + offset + 7*rank
			if d > daysIn(m) {
				d -= 7 // a 5th weekday falls back to the last one
			}
			next = time.Date(m.Year(), m.Month(), d, p.Hour(), p.Minute(), 0, 0, Paris)
		default:
			return out
		}
		out = append(out, next)
	}
	return out
}

func daysIn(t time.Time) int { return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, Paris).Day() }

// RegistrationInput registers a named person or a number of people.
type RegistrationInput struct {
	PersonID PersonID
	Count    string
}

// RegistrationFields are the registration form's fields.
var RegistrationFields = []string{"person_id", "reg_count"}

// Validate returns the number of places asked.
func (in *RegistrationInput) Validate() (int, error) {
	var fe FieldErrors
	switch {
	case in.PersonID < 0:
		fe.Add("person_id", "Choisissez la personne dans la liste.")
	case in.PersonID > 0:
		if strings.TrimSpace(in.Count) != "" && strings.TrimSpace(in.Count) != "1" {
			fe.Add("reg_count", "Une inscription nominative compte une personne : laissez le nombre vide.")
		}
		return 1, fe.Err()
	}
	n, err := strconv.Atoi(strings.TrimSpace(in.Count))
	switch {
	case in.PersonID == 0 && strings.TrimSpace(in.Count) == "":
		fe.Add("person_id", "Choisissez une personne, ou indiquez un nombre de personnes inscrites sans les nommer.")
	case err != nil || n < 1 || n > MaxRegistrationCount:
		fe.Add("reg_count", "Indiquez un nombre de personnes entre 1 et 50.")
	}
	return n, fe.Err()
}

// AttendanceInput records who came to a session.
type AttendanceInput struct {
	Presence     map[int64]string // registration ID → Presences code
	Tallies      []TallyInput
	Observations string
}

// TallyInput is one line of anonymous participants.
type TallyInput struct {
	AgeBand  string
	Gender   string
	ZoneID   ZoneID
	Newcomer string // "nouveau" or "habitue"
	Count    string
}

// TallyField names the field of the i-th tally line.
func TallyField(i int, name string) string { return "tally" + strconv.Itoa(i+1) + "_" + name }

// Newcomers say whether a participant comes for the first time.
var Newcomers = Choices{{"nouveau", "Première venue"}, {"habitue", "Déjà venu·e"}}

// Validate cleans the attendance and returns the tallies to store.
func (in *AttendanceInput) Validate(regs []Registration) ([]Tally, error) {
	var fe FieldErrors
	known := map[int64]bool{}
	for _, r := range regs {
		if !r.Waiting {
			known[r.ID] = true
		}
	}
	for id, v := range in.Presence {
		if !known[id] {
			fe.Add("presence", "Une inscription indiquée n'existe pas pour cette séance.")
			continue
		}
		if v != "" && !Presences.Valid(v) {
			fe.Add("presence_"+strconv.FormatInt(id, 10), "Choisissez présent, excusé ou absent.")
		}
	}
	var out []Tally
	if len(in.Tallies) > MaxTallyLines {
		fe.Add(TallyField(0, "count"), "Au plus 8 lignes de participants non inscrits.")
	}
	for i, t := range in.Tallies {
		c := strings.TrimSpace(t.Count)
		if c == "" && t.AgeBand == "" && t.Gender == "" && t.ZoneID == 0 && t.Newcomer == "" {
			continue
		}
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 || n > MaxSeanceCapacity {
			fe.Add(TallyField(i, "count"), "Indiquez le nombre de participants de la ligne, entre 1 et 1 000.")
		}
		if t.AgeBand == "" {
			t.AgeBand = "non_precise"
		}
		if t.Gender == "" {
			t.Gender = "non_precise"
		}
		if !AgeBands.Valid(t.AgeBand) {
			fe.Add(TallyField(i, "age"), "Choisissez une tranche d'âge dans la liste.")
		}
		if !Genders.Valid(t.Gender) {
			fe.Add(TallyField(i, "gender"), "Choisissez un genre dans la liste.")
		}
		if t.ZoneID < 0 {
			fe.Add(TallyField(i, "zone"), "Choisissez un quartier dans la liste.")
		}
		if t.Newcomer != "" && !Newcomers.Valid(t.Newcomer) {
			fe.Add(TallyField(i, "newcomer"), "Indiquez s'il s'agit d'une première venue.")
		}
		out = append(out, Tally{AgeBand: t.AgeBand, Gender: t.Gender, ZoneID: t.ZoneID, Newcomer: t.Newcomer == "nouveau", Count: n})
	}
	in.Observations = optionalText(&fe, "observations", in.Observations, MaxLongTextLen, true)
	return out, fe.Err()
}

// SatisfactionInput is one answer to the questionnaire: a score per
// question (empty when skipped) and an open comment. No name is asked.
type SatisfactionInput struct {
	Scores  []string
	Comment string
}

// SatisfactionField names the field of question i.
func SatisfactionField(i int) string { return "q" + strconv.Itoa(i+1) }

// SatisfactionFields are the questionnaire's fields.
func SatisfactionFields() []string {
	var out []string
	for i := range SatisfactionQuestions {
		out = append(out, SatisfactionField(i))
	}
	return append(out, "comment")
}

// Validate returns the scores, 0 for a skipped question.
func (in *SatisfactionInput) Validate() ([]int, error) {
	var fe FieldErrors
	scores := make([]int, len(SatisfactionQuestions))
	answered := 0
	for i := range SatisfactionQuestions {
		v := ""
		if i < len(in.Scores) {
			v = strings.TrimSpace(in.Scores[i])
		}
		if v == "" {
			continue
		}
		if !SatisfactionScale.Valid(v) {
			fe.Add(SatisfactionField(i), "Choisissez une réponse parmi les quatre proposées.")
			continue
		}
		scores[i], _ = strconv.Atoi(v)
		answered++
	}
	in.Comment = optionalText(&fe, "comment", in.Comment, 1000, true)
	if answered == 0 && in.Comment == "" && len(fe) == 0 {
		fe.Add(SatisfactionField(0), "Répondez à au moins une question avant d'envoyer.")
	}
	return scores, fe.Err()
}

// EvaluationInput records the evaluation of a project: the entered
// values of objectives, the qualitative evaluation and the decision.
type EvaluationInput struct {
	Entered      map[int64]string
	Effects      string
	Testimonies  string
	Lessons      string
	Decision     string
	DecisionText string
}

// EvaluationFields are the evaluation form's fields.
var EvaluationFields = []string{"effects", "testimonies", "lessons", "decision", "decision_text"}

// ObjectiveField names the entered value of objective id.
func ObjectiveField(id int64) string { return "achieved_" + strconv.FormatInt(id, 10) }

// Validate cleans the evaluation and returns the entered values.
func (in *EvaluationInput) Validate(objs []ActiviteObjective) (map[int64]*int, error) {
	var fe FieldErrors
	out := map[int64]*int{}
	byID := map[int64]ActiviteObjective{}
	for _, o := range objs {
		byID[o.ID] = o
	}
	for id, v := range in.Entered {
		o, ok := byID[id]
		if !ok || o.Computed() {
			continue // computed values are not entered
		}
		v = strings.TrimSpace(v)
		if v == "" {
			out[id] = nil
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > MaxObjectiveTarget*10 {
			fe.Add(ObjectiveField(id), "Indiquez la valeur atteinte en nombre entier positif.")
			continue
		}
		out[id] = &n
	}
	in.Effects = optionalText(&fe, "effects", in.Effects, MaxLongTextLen, true)
	in.Testimonies = optionalText(&fe, "testimonies", in.Testimonies, MaxLongTextLen, true)
	in.Lessons = optionalText(&fe, "lessons", in.Lessons, MaxLongTextLen, true)
	if in.Decision != "" && !ActiviteDecisions.Valid(in.Decision) {
		fe.Add("decision", "Choisissez la décision dans la liste.")
	}
	in.DecisionText = optionalText(&fe, "decision_text", in.DecisionText, MaxLongTextLen, true)
	return out, fe.Err()
}

// ActiviteFilter selects projects.
type ActiviteFilter struct {
	Status    string
	Kind      string
	CommuneID CommuneID
	ZoneID    ZoneID
	Offset    int
	Limit     int
}

// QuestionnaireView is what the public questionnaire page shows: the
// session, never a participant.
type QuestionnaireView struct {
	Open          bool
	Expired       bool
	StructureName string
	Title         string
	StartsAt      time.Time
	Place         string
}

// ActiviteService manages collective actions. Reads of a session name the
// registered people: they are audited; a project's page names nobody.
type ActiviteService interface {
	// CreateActivite creates a project at the "idée" status (any member);
	// mediators create it for their team.
	CreateActivite(ctx context.Context, actor Actor, in ActiviteInput) (*Activite, error)
	// UpdateActivite changes a project; once validated, the change and
	// its reason (Why, then required) go to the adjustments log.
	UpdateActivite(ctx context.Context, actor Actor, id ActiviteID, in ActiviteInput) error
	// FindActivite reads a project with its objectives (achieved values
	// computed), partners, budget, adjustments, sessions and figures;
	// ErrNotFound when the actor may not see it.
	FindActivite(ctx context.Context, actor Actor, id ActiviteID) (*Activite, error)
	// FindActivites lists the projects the actor sees, newest first.
	FindActivites(ctx context.Context, actor Actor, f ActiviteFilter) ([]Activite, int, error)
	// SetActiviteStatus moves a project; ErrInvalid on a transition the
	// life cycle refuses, on validation by a mediator, on cancelling
	// without a reason.
	SetActiviteStatus(ctx context.Context, actor Actor, id ActiviteID, in ActiviteStatusInput) error
	AddObjective(ctx context.Context, actor Actor, id ActiviteID, in ObjectiveInput) error
	AddActivitePartner(ctx context.Context, actor Actor, id ActiviteID, in ActivitePartnerInput) error
	AddBudgetLine(ctx context.Context, actor Actor, id ActiviteID, in BudgetInput) error
	// SetBudgetActual records the actual amounts of the budget lines.
	SetBudgetActual(ctx context.Context, actor Actor, id ActiviteID, in BudgetActualInput) error
	AddAdjustment(ctx context.Context, actor Actor, id ActiviteID, in AdjustmentInput) error
	// SaveEvaluation records the evaluation (entered values, effects,
	// testimonies without identities, lessons, decision).
	SaveEvaluation(ctx context.Context, actor Actor, id ActiviteID, in EvaluationInput) error

	// CreateSeances creates one session or a series; ErrInvalid when a
	// session falls before the project's start.
	CreateSeances(ctx context.Context, actor Actor, id ActiviteID, in SeanceInput) ([]SeanceID, error)
	// UpdateSeance changes a session, or it and the following ones of its
	// series; ErrInvalid when the capacity falls below the registrations.
	UpdateSeance(ctx context.Context, actor Actor, id ActiviteID, sid SeanceID, in SeanceInput) error
	// FindSeance reads a session with its registrations (audited).
	FindSeance(ctx context.Context, actor Actor, id ActiviteID, sid SeanceID, print bool) (*Activite, *Seance, error)
	// Register adds a registration, on the waiting list when the session
	// is full. A named person needs an active dossier consent.
	Register(ctx context.Context, actor Actor, id ActiviteID, sid SeanceID, in RegistrationInput) (waiting bool, err error)
	// Unregister removes a registration and promotes the waiting list.
	Unregister(ctx context.Context, actor Actor, id ActiviteID, sid SeanceID, rid int64) error
	// SaveAttendance records who came, the anonymous tallies and the
	// observations.
	SaveAttendance(ctx context.Context, actor Actor, id ActiviteID, sid SeanceID, in AttendanceInput) error
	// CreateQuestionnaireLink makes the public link of a session's
	// questionnaire, replacing an older one; the token is shown once.
	CreateQuestionnaireLink(ctx context.Context, actor Actor, id ActiviteID, sid SeanceID, days int) (string, error)
	// AddPaperAnswer records an answer given on paper.
	AddPaperAnswer(ctx context.Context, actor Actor, id ActiviteID, sid SeanceID, in SatisfactionInput) error

	// FindQuestionnaire resolves a public link (no account); ErrNotFound
	// for an unknown token.
	FindQuestionnaire(ctx context.Context, token, requestID string) (*QuestionnaireView, error)
	// AnswerQuestionnaire records an anonymous answer; ErrConflict when
	// the link expired or was replaced.
	AnswerQuestionnaire(ctx context.Context, token string, in SatisfactionInput, requestID string) error
}

// Audit actions of collective actions.
const (
	AuditActiviteCreate     AuditAction = "activite.create"
	AuditActiviteUpdate     AuditAction = "activite.update"
	AuditActiviteStatus     AuditAction = "activite.status"
	AuditActiviteEvaluation AuditAction = "activite.evaluation"
	AuditSeanceCreate       AuditAction = "seance.create"
	AuditSeanceUpdate       AuditAction = "seance.update"
	AuditSeanceRead         AuditAction = "seance.read"
	AuditSeancePrint        AuditAction = "seance.print"
	AuditSeanceRegister     AuditAction = "seance.register"
	AuditSeanceUnregister   AuditAction = "seance.unregister"
	AuditSeanceAttendance   AuditAction = "seance.attendance"
	AuditQuestionnaireLink  AuditAction = "seance.questionnaire_link"
	AuditQuestionnaireAns   AuditAction = "seance.questionnaire_answer"
	AuditQuestionnaireRefus AuditAction = "seance.questionnaire_refused"
)

// init registers the module's audit actions in its own block.
func init() {
	for _, a := range []struct {
		action AuditAction
		label  string
	}{
		{AuditActiviteCreate, "Création d'une action collective"},
		{AuditActiviteUpdate, "Modification d'une action collective (objectifs, partenaires, budget, ajustements)"},
		{AuditActiviteStatus, "Changement de statut d'une action collective"},
		{AuditActiviteEvaluation, "Évaluation d'une action collective"},
		{AuditSeanceCreate, "Création de séances d'une action collective"},
		{AuditSeanceUpdate, "Modification d'une séance"},
		{AuditSeanceRead, "Consultation des inscrits d'une séance"},
		{AuditSeancePrint, "Impression de la feuille d'émargement"},
		{AuditSeanceRegister, "Inscription à une séance"},
		{AuditSeanceUnregister, "Désinscription d'une séance"},
		{AuditSeanceAttendance, "Présences d'une séance"},
		{AuditQuestionnaireLink, "Création du lien public du questionnaire de satisfaction"},
		{AuditQuestionnaireAns, "Réponse au questionnaire de satisfaction"},
		{AuditQuestionnaireRefus, "Questionnaire refusé (lien expiré ou remplacé)"},
	} {
		auditLabels[a.action] = a.label
		auditActionOrder = append(auditActionOrder, a.action)
	}
}

// SatisfactionAnswer is one imported answer: a score per question (0 when
// skipped) and the comment.
type SatisfactionAnswer struct {
	Scores  [5]int
	Comment string
}

// ActiviteImporter loads collective actions in bulk: projects with their
// objectives, partners, budget and sessions, each session with its
// registrations, tallies and answers (Seance.Imported). The store
// implements it; only the operator may call it. It is apart from
// Importer so that the module stays in its own files.
type ActiviteImporter interface {
	ImportActivites(ctx context.Context, actor Actor, as []Activite) error
}

// CheckImport checks the codes and limits of an imported project, so
// that an import cannot store what the forms would refuse.
func (a *Activite) CheckImport() error {
	var fe FieldErrors
	check := func(field, v string, cs Choices) {
		if !cs.Valid(v) {
			fe.Add(field, "Code inconnu : "+v)
		}
	}
	if a.StructureID <= 0 || a.Title == "" || a.CreatedAt.IsZero() {
		fe.Add("title", "Indiquez la structure, le titre et la date de création.")
	}
	check("kind", a.Kind, ActiviteKinds)
	check("status", a.Status, ActiviteStatuses)
	if a.Participation != "" {
		check("participation", a.Participation, ParticipationLevels)
	}
	if a.Decision != "" {
		check("decision", a.Decision, ActiviteDecisions)
	}
	for _, c := range a.Accessibility {
		check("accessibility", c, AccessibilityItems)
	}
	for _, c := range a.Channels {
		check("channels", c, CommunicationChannels)
	}
	if len(a.Objectives) > MaxActiviteObjectives || len(a.Partners) > MaxActivitePartners ||
		len(a.Budget) > MaxActiviteBudgetLines || len(a.Seances) > MaxSeancesPerActivite {
		fe.Add("seances", "Trop d'objectifs, de partenaires, de lignes de budget ou de séances.")
	}
	for _, o := range a.Objectives {
		check("objectives", o.Indicator, ObjectiveIndicators)
		if o.Target <= 0 {
			fe.Add("objectives", "Un objectif a une cible positive.")
		}
	}
	for _, s := range a.Seances {
		if s.Capacity <= 0 || !s.EndsAt.After(s.StartsAt) {
			fe.Add("seances", "Une séance a des places et finit après son début.")
		}
		for _, r := range s.Registrations {
			if r.Attendance != "" {
				check("registrations", r.Attendance, Presences)
			}
			if r.Count <= 0 {
				fe.Add("registrations", "Une inscription compte au moins une personne.")
			}
		}
		for _, t := range s.Tallies {
			check("tallies", t.AgeBand, AgeBands)
			check("tallies", t.Gender, Genders)
			if t.Count <= 0 {
				fe.Add("tallies", "Une ligne de participants compte au moins une personne.")
			}
		}
		for _, x := range s.Imported {
			for _, v := range x.Scores {
				if v < 0 || v > 4 {
					fe.Add("answers", "Une réponse vaut de 0 (sans réponse) à 4.")
				}
			}
		}
	}
	return fe.Err()
}
