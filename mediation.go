package maillon

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// MediationID identifies a mediation (a case followed over several steps).
type MediationID int64

// MediationPartyID identifies a party of a mediation.
type MediationPartyID int64

// Mediation kinds: a conflict between people or groups, or the restoring
// of communication between a person and an institution.
const (
	MediationConflit     = "conflit"
	MediationInstitution = "institution"
)

// Mediation statuses: ouverte → en cours ⇄ suspendue → clôturée. A closed
// mediation is final; its follow-up checks that the agreement holds.
const (
	MediationOuverte   = "ouverte"
	MediationEnCours   = "en_cours"
	MediationSuspendue = "suspendue"
	MediationCloturee  = "cloturee"
)

// Party kinds. Only an identified party names a person's file; the others
// are described in words the parties accept ("voisin du 3e").
const (
	PartyPerson      = "personne"
	PartyDescribed   = "decrite"
	PartyGroup       = "groupe"
	PartyInstitution = "institution"
)

// OutcomeRelais is the closure of a case handed over to someone else
// (police, emergency services, social worker, conciliateur de justice…).
const OutcomeRelais = "relais"

// Vocabularies of mediations.
var (
	MediationKinds = Choices{
		{MediationConflit, "Conflit entre personnes ou groupes"},
		{MediationInstitution, "Personne ↔ institution (rétablir la communication)"},
	}
	// ConflictTopics say where a conflict lies.
	ConflictTopics = Choices{
		{"voisinage", "Voisinage"}, {"famille", "Famille"}, {"espace_public", "Espace public"},
		{"scolaire", "Scolaire"}, {"usagers", "Usagers d'un service"}, {"autre", "Autre conflit"},
	}
	// InstitutionTopics say what broke the communication with an
	// institution.
	InstitutionTopics = Choices{
		{"caf_indu", "CAF : indu, trop-perçu ou rappel"}, {"bailleur_impayes", "Bailleur : impayés de loyer"},
		{"bailleur_autre", "Bailleur : autre litige"}, {"ecole", "École, collège ou lycée"},
		{"energie", "Énergie ou eau : facture, coupure"}, {"administration", "Autre administration (CPAM, France Travail, mairie…)"},
		{"autre_institution", "Autre institution"},
	}
	// MediationOrigins say who brought the case (the saisine).
	MediationOrigins = Choices{
		{"habitant", "Un habitant ou une habitante"}, {"bailleur", "Le bailleur"}, {"mairie", "La mairie"},
		{"ecole", "Un établissement scolaire"}, {"police_municipale", "La police municipale"},
		{"partenaire", "Un partenaire"}, {"auto_saisine", "Auto-saisine (observation de terrain)"},
	}
	MediationStatuses = Choices{
		{MediationOuverte, "Ouverte"}, {MediationEnCours, "En cours"}, {MediationSuspendue, "Suspendue"},
		{MediationCloturee, "Clôturée"},
	}
	// MediationOutcomes close a mediation.
	MediationOutcomes = Choices{
		{"apaisement", "Apaisement"}, {"accord", "Accord"}, {"accord_partiel", "Accord partiel"},
		{"echec", "Échec"}, {"refus", "Refus d'une partie"}, {OutcomeRelais, "Relais vers un autre intervenant"},
	}
	// ScopeIssues are what puts a case outside mediation at opening: the
	// mediator hands it over instead (charte de référence de la
	// médiation sociale: no mediation under violence or when a court is
	// seized).
	ScopeIssues = Choices{
		{"violence", "Des violences sont en cours"},
		{"procedure", "Une procédure judiciaire est en cours"},
		{"danger", "Une personne est en danger"},
	}
	// RelayTargets are who a case is handed over to.
	RelayTargets = Choices{
		{"police", "Police ou gendarmerie"}, {"secours", "Services de secours"},
		{"travailleur_social", "Travailleur social"}, {"conciliateur", "Conciliateur de justice"},
		{"bailleur", "Bailleur"}, {"autre", "Autre intervenant"},
	}
	PartyKinds = Choices{
		{PartyPerson, "Personne identifiée (avec un dossier)"},
		{PartyDescribed, "Personne décrite sans identité"},
		{PartyGroup, "Groupe"},
		{PartyInstitution, "Institution"},
	}
	// StepKinds are the steps of a mediation; each is an intervention.
	StepKinds = Choices{
		{"entretien", "Entretien individuel avec une partie"}, {"navette", "Navette entre les parties"},
		{"rencontre", "Rencontre commune ou table ronde"}, {"telephone", "Appel téléphonique"},
		{"courrier", "Courrier"}, {"visite", "Visite"},
	}
	// FollowUpResults say, after closing, whether the agreement holds.
	FollowUpResults = Choices{
		{"tenu", "L'accord tient"}, {"partiel", "L'accord tient en partie"}, {"rompu", "L'accord n'a pas tenu"},
	}
	// MediationAges filter cases by how long ago they were brought.
	MediationAges = Choices{
		{"moins_1m", "Saisie il y a moins d'un mois"}, {"1_3m", "Saisie il y a 1 à 3 mois"},
		{"3_12m", "Saisie il y a 3 à 12 mois"}, {"plus_12m", "Saisie il y a plus d'un an"},
	}
)

// Limits of a mediation, stated in forms.
const (
	MaxMediationParties = 10
	MaxCommitmentLen    = 500
	// MaxMediationSteps bounds the steps and commitments of one case.
	MaxMediationSteps = 200
)

// MediationTopics returns the topics of a kind.
func MediationTopics(kind string) Choices {
	if kind == MediationInstitution {
		return InstitutionTopics
	}
	return ConflictTopics
}

// MediationParty is one side of a mediation, with its consent to take
// part: given on a day and how, revocable.
type MediationParty struct {
	ID       MediationPartyID
	Kind     string
	PersonID PersonID // identified parties only
	// Label is the name or description the party agreed to; for an
	// identified party without one, the person's name, read from the
	// file (never copied).
	Label       string
	ConsentOn   time.Time
	Method      string // ConsentMethods code; empty without consent
	WithdrawnAt time.Time
	CreatedAt   time.Time
}

// Consenting reports whether the party's consent to take part is in force.
// An institution takes part by its function, without consent.
func (p MediationParty) Consenting() bool {
	return p.Kind == PartyInstitution || (!p.ConsentOn.IsZero() && p.WithdrawnAt.IsZero())
}

// Name is how the party is named on the case and the agreement.
func (p MediationParty) Name() string {
	if p.Label != "" {
		return p.Label
	}
	return "Partie n° " + strconv.FormatInt(int64(p.ID), 10)
}

// MediationStep is one step of a mediation, recorded as an intervention.
type MediationStep struct {
	ID             int64
	Kind           string
	InterventionID InterventionID
	At             time.Time // the intervention's start
	PartyID        MediationPartyID
	Note           string
	CreatedByName  string
}

// Commitment is what one party commits to in the agreement.
type Commitment struct {
	ID       int64
	PartyID  MediationPartyID
	Text     string
	AgreedOn time.Time
}

// Mediation is a case of mediation: a conflict between parties, or a
// person and an institution that no longer understand each other.
type Mediation struct {
	ID             MediationID
	StructureID    StructureID
	Kind           string
	Topic          string
	Subject        string
	Origin         string
	OriginOn       time.Time // the day the case was brought, Paris midnight
	TeamID         TeamID
	TeamName       string
	MediatorID     UserID
	MediatorName   string
	CommuneID      CommuneID
	ZoneID         ZoneID
	CommuneName    string
	ZoneName       string
	ScopeIssues    []string
	Notes          string // internal: never on the agreement
	Status         string
	Outcome        string
	OutcomeText    string
	RelayTarget    string
	RelayReason    string
	ClosedAt       time.Time
	FollowUpOn     time.Time
	FollowUpDone   bool
	FollowUpResult string
	PartyCount     int // filled by lists
	CreatedBy      UserID
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Filled when one mediation is read.
	Parties     []MediationParty
	Steps       []MediationStep // oldest first
	Commitments []Commitment
	History     []AuditEntry
}

// Closed reports whether the case is closed.
func (m *Mediation) Closed() bool { return m.Status == MediationCloturee }

// TopicLabel is the French label of the topic, in the kind's list.
func (m *Mediation) TopicLabel() string { return MediationTopics(m.Kind).Label(m.Topic) }

// Party returns the party id, or nil.
func (m *Mediation) Party(id MediationPartyID) *MediationParty {
	for i := range m.Parties {
		if m.Parties[i].ID == id {
			return &m.Parties[i]
		}
	}
	return nil
}

// VisibleTo reports whether actor may open the case: coordinators and
// administrators of its structure, its mediator, and the members of its
// team. A mediator of another team does not see it.
func (m *Mediation) VisibleTo(a Actor) bool {
	if !a.InStructure(m.StructureID) {
		return false
	}
	return a.CanViewTeamData(m.StructureID) || (a.UserID != 0 && a.UserID == m.MediatorID) ||
		(m.TeamID != 0 && m.TeamID == a.TeamID)
}

// StartProblem explains why the mediation may not be "en cours" with its
// parties, or returns "". A conflict needs two parties whose consent to
// take part is in force; a person ↔ institution mediation needs an
// institution and one other party who consents.
func (m *Mediation) StartProblem() string {
	consenting, institutions := 0, 0
	for _, p := range m.Parties {
		switch {
		case p.Kind == PartyInstitution:
			institutions++
		case p.Consenting():
			consenting++
		}
	}
	if m.Kind == MediationInstitution {
		switch {
		case institutions == 0:
			return "Ajoutez l'institution concernée parmi les parties avant de commencer la médiation."
		case consenting == 0:
			return "La personne doit avoir donné son accord pour participer : enregistrez-le avant de commencer la médiation."
		}
		return ""
	}
	if consenting+institutions < 2 || consenting == 0 {
		return "Un conflit se médie avec au moins deux parties qui ont donné leur accord pour participer : " +
			"enregistrez leur accord (ou ajoutez la partie manquante) avant de commencer."
	}
	return ""
}

// PartyInput is a party as a form sends it.
type PartyInput struct {
	Kind          string
	PersonID      PersonID
	Label         string
	Consent       bool // the party agreed to take part
	ConsentMethod string
	ConsentOn     string // yyyy-mm-dd; empty is today
}

// PartyField names the form field of the i-th party of the opening form
// (party1_…, party2_…).
func PartyField(i int, name string) string { return "party" + strconv.Itoa(i+1) + "_" + name }

// empty reports whether the party's lines were left blank.
func (in *PartyInput) empty() bool {
	return in.Kind == "" && in.PersonID == 0 && strings.TrimSpace(in.Label) == ""
}

// validate cleans the party; field names the form field of a name.
func (in *PartyInput) validate(fe *FieldErrors, now time.Time, field func(string) string) time.Time {
	// On a phone, choosing the person or typing a description is enough.
	if in.Kind == "" && in.PersonID > 0 {
		in.Kind = PartyPerson
	} else if in.Kind == "" && strings.TrimSpace(in.Label) != "" {
		in.Kind = PartyDescribed
	}
	if !PartyKinds.Valid(in.Kind) {
		fe.Add(field("kind"), "Choisissez le type de partie.")
	}
	in.Label = optionalText(fe, field("label"), in.Label, MaxNameLen, false)
	switch {
	case in.Kind == PartyPerson && in.PersonID <= 0:
		fe.Add(field("person_id"), "Choisissez la personne, ou décrivez-la sans l'identifier.")
	case in.Kind != PartyPerson:
		in.PersonID = 0
		if in.Label == "" && (*fe)[field("label")] == "" {
			fe.Add(field("label"), "Nommez ou décrivez la partie, par exemple « voisin du 3e » ou « CAF du Rhône ».")
		}
	}
	if in.Kind == PartyInstitution || !in.Consent {
		in.Consent, in.ConsentMethod = false, ""
		return time.Time{}
	}
	if !ConsentMethods.Valid(in.ConsentMethod) {
		fe.Add(field("consent_method"), "Indiquez comment l'accord pour participer a été donné : à l'oral ou par écrit.")
	}
	on, err := ParseDay(in.ConsentOn, now)
	switch {
	case err != nil:
		fe.Add(field("consent_on"), "Indiquez la date de l'accord au format jj/mm/aaaa.")
	case on.After(now):
		fe.Add(field("consent_on"), "La date de l'accord ne peut pas être dans le futur.")
	}
	return on
}

// Validate cleans a party added to an open case and returns the day of its
// consent (zero without).
func (in *PartyInput) Validate(now time.Time) (time.Time, error) {
	var fe FieldErrors
	on := in.validate(&fe, now, func(s string) string { return s })
	return on, fe.Err()
}

// MediationInput opens a mediation, with its first parties.
type MediationInput struct {
	Kind        string
	Topic       string
	Subject     string
	Origin      string
	OriginOn    string // yyyy-mm-dd; empty is today
	TeamID      TeamID // coordinators and administrators choose; others: their own
	CommuneID   CommuneID
	ZoneID      ZoneID
	Notes       string
	ScopeIssues []string
	RelayTarget string
	RelayReason string
	Parties     []PartyInput
}

// MediationFields are the opening form's fields, in form order.
var MediationFields = []string{"kind", "topic", "subject", "origin", "origin_on", "team_id", "place",
	"party1_kind", "party1_person_id", "party1_label", "party1_consent", "party1_consent_method", "party1_consent_on",
	"party2_kind", "party2_person_id", "party2_label", "party2_consent", "party2_consent_method", "party2_consent_on",
	"scope_issues", "relay_target", "relay_reason", "notes"}

// Relayed reports whether the opening found the case outside mediation.
func (in *MediationInput) Relayed() bool { return len(in.ScopeIssues) > 0 }

// Validate cleans the input and returns the day the case was brought and
// the consent day of each party.
func (in *MediationInput) Validate(now time.Time) (time.Time, []time.Time, error) {
	var fe FieldErrors
	if !MediationKinds.Valid(in.Kind) {
		fe.Add("kind", "Choisissez le type de médiation.")
	} else if !MediationTopics(in.Kind).Valid(in.Topic) {
		fe.Add("topic", "Choisissez le domaine dans la liste qui correspond au type de médiation.")
	}
	in.Subject = requiredText(&fe, "subject", "l'objet de la médiation en quelques mots", in.Subject, MaxShortTextLen)
	if !MediationOrigins.Valid(in.Origin) {
		fe.Add("origin", "Indiquez qui a saisi la médiation.")
	}
	originOn, err := ParseDay(in.OriginOn, now)
	switch {
	case err != nil:
		fe.Add("origin_on", "Indiquez la date de la saisine au format jj/mm/aaaa.")
	case originOn.After(now):
		fe.Add("origin_on", "La date de la saisine ne peut pas être dans le futur.")
	case originOn.Year() < 2000:
		fe.Add("origin_on", "Indiquez une date à partir de l'an 2000.")
	}
	if in.ZoneID != 0 && in.CommuneID == 0 {
		fe.Add("place", "Choisissez la commune du quartier.")
	}
	if in.TeamID < 0 {
		fe.Add("team_id", "Choisissez une équipe de la structure.")
	}
	in.Notes = optionalText(&fe, "notes", in.Notes, MaxLongTextLen, true)
	issues, unknown := ScopeIssues.CleanSet(in.ScopeIssues)
	if unknown {
		fe.Add("scope_issues", "Choisissez les situations dans la liste.")
	}
	in.ScopeIssues = issues
	in.RelayReason = optionalText(&fe, "relay_reason", in.RelayReason, MaxShortTextLen, false)
	if in.Relayed() {
		if !RelayTargets.Valid(in.RelayTarget) {
			fe.Add("relay_target", "La situation sort du cadre de la médiation : indiquez vers qui vous passez le relais.")
		}
		if in.RelayReason == "" && fe["relay_reason"] == "" {
			fe.Add("relay_reason", "Indiquez en quelques mots la raison du relais.")
		}
	} else if in.RelayTarget != "" || in.RelayReason != "" {
		fe.Add("scope_issues", "Un relais suppose une situation hors du cadre de la médiation : cochez laquelle, ou videz les champs du relais.")
	}
	// The opening form has two party blocks; blank ones are left out.
	var parties []PartyInput
	var days []time.Time
	for i := range in.Parties {
		p := in.Parties[i]
		if p.empty() {
			continue
		}
		days = append(days, p.validate(&fe, now, func(s string) string { return PartyField(i, s) }))
		parties = append(parties, p)
	}
	in.Parties = parties
	if len(parties) > MaxMediationParties {
		fe.Add("party1_kind", "Une médiation compte au plus 10 parties.")
	}
	if !in.Relayed() && MediationKinds.Valid(in.Kind) {
		in.checkParties(&fe)
	}
	return originOn, days, fe.Err()
}

// checkParties applies the rule of each kind at opening: two parties for a
// conflict; the person and the institution for the other kind. A case
// handed over at once may name fewer.
func (in *MediationInput) checkParties(fe *FieldErrors) {
	institutions, others := 0, 0
	for _, p := range in.Parties {
		if p.Kind == PartyInstitution {
			institutions++
		} else if PartyKinds.Valid(p.Kind) {
			others++
		}
	}
	if in.Kind == MediationConflit {
		switch len(in.Parties) {
		case 0:
			fe.Add("party1_kind", "Indiquez la première partie du conflit.")
			fe.Add("party2_kind", "Un conflit oppose au moins deux parties : indiquez la deuxième "+
				"(une description suffit, par exemple « voisin du 3e »).")
		case 1:
			fe.Add("party2_kind", "Un conflit oppose au moins deux parties : indiquez la deuxième "+
				"(une description suffit, par exemple « voisin du 3e »).")
		}
		return
	}
	if others == 0 {
		fe.Add("party1_kind", "Indiquez la personne (ou le groupe) qui a un différend avec l'institution.")
	}
	if institutions == 0 {
		fe.Add("party2_kind", "Indiquez l'institution concernée (type de partie « Institution »).")
	}
}

// MediationStatusInput moves a mediation along its statuses.
type MediationStatusInput struct {
	Status      string
	Outcome     string
	OutcomeText string
	RelayTarget string
	RelayReason string
	FollowUpOn  string // yyyy-mm-dd, optional, on closing
}

// MediationStatusFields are the closing form's fields.
var MediationStatusFields = []string{"outcome", "outcome_text", "relay_target", "relay_reason", "follow_up_on"}

func mediationTransitionError(msg string) error {
	return &Error{Kind: ErrInvalid, Message: msg, Fields: map[string]string{"status": msg}}
}

// CheckMediationTransition returns a French error when a mediation in
// status from may not move to status to.
func CheckMediationTransition(from, to string) error {
	switch {
	case !MediationStatuses.Valid(to):
		return mediationTransitionError("Choisissez un statut dans la liste.")
	case from == to:
		return mediationTransitionError("La médiation est déjà « " + MediationStatuses.Label(to) + " ».")
	case from == MediationCloturee:
		return mediationTransitionError("La médiation est clôturée : elle ne peut plus changer de statut.")
	case to == MediationOuverte:
		return mediationTransitionError("Une médiation commencée ne peut pas redevenir « ouverte » : suspendez-la si besoin.")
	case from == MediationOuverte && to == MediationSuspendue:
		return mediationTransitionError("Une médiation qui n'a pas commencé ne peut pas être suspendue : clôturez-la ou commencez-la.")
	}
	return nil
}

// Validate checks the move of m and returns the follow-up day (zero if
// none).
func (in *MediationStatusInput) Validate(m *Mediation, now time.Time) (time.Time, error) {
	if err := CheckMediationTransition(m.Status, in.Status); err != nil {
		return time.Time{}, err
	}
	if in.Status == MediationEnCours {
		if msg := m.StartProblem(); msg != "" {
			return time.Time{}, mediationTransitionError(msg)
		}
	}
	if in.Status != MediationCloturee {
		*in = MediationStatusInput{Status: in.Status}
		return time.Time{}, nil
	}
	var fe FieldErrors
	if !MediationOutcomes.Valid(in.Outcome) {
		fe.Add("outcome", "Choisissez l'issue de la médiation : elle ne se clôt pas sans issue.")
	}
	in.OutcomeText = optionalText(&fe, "outcome_text", in.OutcomeText, MaxShortTextLen, false)
	in.RelayReason = optionalText(&fe, "relay_reason", in.RelayReason, MaxShortTextLen, false)
	if in.Outcome == OutcomeRelais {
		if !RelayTargets.Valid(in.RelayTarget) {
			fe.Add("relay_target", "Indiquez vers qui vous passez le relais.")
		}
		if in.RelayReason == "" && fe["relay_reason"] == "" {
			fe.Add("relay_reason", "Indiquez en quelques mots la raison du relais.")
		}
	} else {
		in.RelayTarget, in.RelayReason = "", ""
	}
	if (in.Outcome == "accord" || in.Outcome == "accord_partiel") && len(m.Commitments) == 0 {
		fe.Add("outcome", "Enregistrez les engagements des parties avant de clore sur un accord.")
	}
	var followUp time.Time
	if strings.TrimSpace(in.FollowUpOn) != "" {
		d, err := ParseDay(in.FollowUpOn, now)
		today, _ := ParseDay("", now)
		switch {
		case err != nil:
			fe.Add("follow_up_on", "Indiquez la date de suivi au format jj/mm/aaaa.")
		case !d.After(today):
			fe.Add("follow_up_on", "La date de suivi doit être après aujourd'hui.")
		case d.After(now.AddDate(1, 0, 0)):
			fe.Add("follow_up_on", "La date de suivi doit être dans l'année.")
		case in.Outcome != "apaisement" && in.Outcome != "accord" && in.Outcome != "accord_partiel":
			fe.Add("follow_up_on", "Un suivi vérifie qu'un accord ou un apaisement tient : laissez la date vide pour cette issue.")
		default:
			followUp = d
		}
	}
	return followUp, fe.Err()
}

// PartyConsentInput gives or withdraws a party's consent to take part.
type PartyConsentInput struct {
	Withdraw bool
	Method   string
	On       string // yyyy-mm-dd; empty is today
}

// Validate returns the day the consent was given (when given).
func (in *PartyConsentInput) Validate(now time.Time) (time.Time, error) {
	if in.Withdraw {
		return time.Time{}, nil
	}
	var fe FieldErrors
	p := PartyInput{Kind: PartyDescribed, Label: "-", Consent: true, ConsentMethod: in.Method, ConsentOn: in.On}
	on := p.validate(&fe, now, func(s string) string { return strings.TrimPrefix(s, "consent_") })
	return on, fe.Err()
}

// StepInput records a step of a mediation.
type StepInput struct {
	Kind           string
	InterventionID InterventionID
	PartyID        MediationPartyID // for an interview with one party
	Note           string
}

// StepFields are the step form's fields.
var StepFields = []string{"step_kind", "intervention_id", "party_id", "step_note"}

// Validate cleans the step.
func (in *StepInput) Validate() error {
	var fe FieldErrors
	if !StepKinds.Valid(in.Kind) {
		fe.Add("step_kind", "Choisissez le type d'étape.")
	}
	if in.InterventionID <= 0 {
		fe.Add("intervention_id", "Choisissez l'intervention qui correspond à cette étape (ou saisissez-la d'abord).")
	}
	if in.PartyID < 0 {
		fe.Add("party_id", "Choisissez une partie de la médiation.")
	}
	if in.Kind == "entretien" && in.PartyID == 0 {
		fe.Add("party_id", "Un entretien individuel se tient avec une partie : choisissez laquelle.")
	}
	in.Note = optionalText(&fe, "step_note", in.Note, MaxShortTextLen, false)
	return fe.Err()
}

// CommitmentInput records what a party commits to.
type CommitmentInput struct {
	PartyID  MediationPartyID
	Text     string
	AgreedOn string // yyyy-mm-dd; empty is today
}

// CommitmentFields are the commitment form's fields.
var CommitmentFields = []string{"commitment_party_id", "commitment_text", "agreed_on"}

// Validate cleans the commitment and returns its day.
func (in *CommitmentInput) Validate(now time.Time) (time.Time, error) {
	var fe FieldErrors
	if in.PartyID <= 0 {
		fe.Add("commitment_party_id", "Choisissez la partie qui s'engage.")
	}
	in.Text = requiredText(&fe, "commitment_text", "l'engagement, dans les mots des parties", in.Text, MaxCommitmentLen)
	on, err := ParseDay(in.AgreedOn, now)
	switch {
	case err != nil:
		fe.Add("agreed_on", "Indiquez la date de l'accord au format jj/mm/aaaa.")
	case on.After(now):
		fe.Add("agreed_on", "La date de l'accord ne peut pas être dans le futur.")
	}
	return on, fe.Err()
}

// MediationFilter selects mediations.
type MediationFilter struct {
	Kind      string
	Status    string
	TeamID    TeamID
	CommuneID CommuneID
	ZoneID    ZoneID
	Age       string // a MediationAges code
	PersonID  PersonID
	Offset    int
	Limit     int
}

// AgeBounds turns an age code into bounds on the day the case was
// brought: from inclusive, to exclusive, zero when open.
func (f MediationFilter) AgeBounds(now time.Time) (from, to time.Time) {
	today, _ := ParseDay("", now)
	switch f.Age {
	case "moins_1m":
		return today.AddDate(0, -1, 0), time.Time{}
	case "1_3m":
		return today.AddDate(0, -3, 0), today.AddDate(0, -1, 0)
	case "3_12m":
		return today.AddDate(-1, 0, 0), today.AddDate(0, -3, 0)
	case "plus_12m":
		return time.Time{}, today.AddDate(-1, 0, 0)
	}
	return time.Time{}, time.Time{}
}

// MediationService manages mediations. Every read of a case is audited:
// it holds the parties' personal data.
type MediationService interface {
	// CreateMediation opens a case (any member). An identified party
	// needs the person's active dossier consent; otherwise ErrInvalid on
	// the party, to be described without identity. A case outside
	// mediation (violence, court, danger) is created closed with the
	// outcome "relais".
	CreateMediation(ctx context.Context, actor Actor, in MediationInput) (*Mediation, error)
	// FindMediationByID reads a case with its parties, steps,
	// commitments and history; ErrNotFound when the actor may not see it
	// (Mediation.VisibleTo).
	FindMediationByID(ctx context.Context, actor Actor, id MediationID) (*Mediation, error)
	// FindMediationAgreement reads the case to print its agreement,
	// audited as a print.
	FindMediationAgreement(ctx context.Context, actor Actor, id MediationID) (*Mediation, error)
	// FindMediations lists the cases the actor may see, newest first.
	FindMediations(ctx context.Context, actor Actor, f MediationFilter) ([]Mediation, int, error)
	// SetMediationStatus moves a case; ErrInvalid on a transition the
	// status machine refuses, on "en cours" without the consents
	// (StartProblem) and on closing without an outcome.
	SetMediationStatus(ctx context.Context, actor Actor, id MediationID, in MediationStatusInput) error
	// AddMediationParty adds a party to a case not closed.
	AddMediationParty(ctx context.Context, actor Actor, id MediationID, in PartyInput) error
	// SetPartyConsent records or withdraws a party's consent to take
	// part. A withdrawal that leaves a case "en cours" without the
	// consents it needs suspends it.
	SetPartyConsent(ctx context.Context, actor Actor, id MediationID, party MediationPartyID, in PartyConsentInput) error
	// AddMediationStep links an intervention of the structure to the case.
	AddMediationStep(ctx context.Context, actor Actor, id MediationID, in StepInput) error
	// AddCommitment records a party's commitment in the agreement.
	AddCommitment(ctx context.Context, actor Actor, id MediationID, in CommitmentInput) error
	// SetMediationFollowUp records, after closing, whether the agreement
	// holds; the follow-up is then done.
	SetMediationFollowUp(ctx context.Context, actor Actor, id MediationID, result string) error
}

// CheckImport checks the codes of an imported mediation, so that an import
// cannot store what the forms would refuse.
func (m *Mediation) CheckImport() error {
	var fe FieldErrors
	if m.StructureID <= 0 {
		fe.Add("structure_id", "Indiquez la structure.")
	}
	check := func(field, v string, cs Choices) {
		if !cs.Valid(v) {
			fe.Add(field, "Code inconnu : "+v)
		}
	}
	check("kind", m.Kind, MediationKinds)
	check("topic", m.Topic, MediationTopics(m.Kind))
	check("origin", m.Origin, MediationOrigins)
	check("status", m.Status, MediationStatuses)
	if m.Closed() {
		check("outcome", m.Outcome, MediationOutcomes)
	} else if m.Outcome != "" {
		fe.Add("outcome", "Une médiation non clôturée n'a pas d'issue.")
	}
	if m.Outcome == OutcomeRelais {
		check("relay_target", m.RelayTarget, RelayTargets)
	}
	for _, s := range m.ScopeIssues {
		check("scope_issues", s, ScopeIssues)
	}
	if m.OriginOn.IsZero() || m.Subject == "" {
		fe.Add("subject", "Indiquez l'objet et la date de saisine.")
	}
	if len(m.Parties) > MaxMediationParties || len(m.Steps) > MaxMediationSteps || len(m.Commitments) > MaxMediationSteps {
		fe.Add("parties", "Trop de parties, d'étapes ou d'engagements.")
	}
	for _, p := range m.Parties {
		check("parties", p.Kind, PartyKinds)
		if p.Method != "" {
			check("parties", p.Method, ConsentMethods)
		}
		if (p.Kind == PartyPerson) != (p.PersonID != 0) {
			fe.Add("parties", "Seule une partie identifiée nomme un dossier.")
		}
	}
	for _, s := range m.Steps {
		check("steps", s.Kind, StepKinds)
		if s.InterventionID <= 0 {
			fe.Add("steps", "Chaque étape est une intervention.")
		}
	}
	for _, c := range m.Commitments {
		if c.PartyID <= 0 || int(c.PartyID) > len(m.Parties) {
			fe.Add("commitments", "Un engagement désigne une partie par son rang (1, 2…).")
		}
	}
	return fe.Err()
}
