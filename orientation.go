package maillon

import (
	"context"
	"strings"
	"time"
)

// OrientationID identifies an orientation (mise en relation).
type OrientationID int64

// Orientation statuses. An orientation is proposed to the person, then
// transmitted to the partner, and ends taken in charge, refused or without
// follow-up. The closed list is what the "taux de retour" counts.
const (
	OrientationProposee      = "proposee"
	OrientationTransmise     = "transmise"
	OrientationPriseEnCharge = "prise_en_charge"
	OrientationRefusee       = "refusee"
	OrientationSansSuite     = "sans_suite"
)

// Vocabularies of orientations.
var (
	OrientationStatuses = Choices{
		{OrientationProposee, "Proposée"}, {OrientationTransmise, "Transmise au partenaire"},
		{OrientationPriseEnCharge, "Prise en charge"}, {OrientationRefusee, "Refusée par le partenaire"},
		{OrientationSansSuite, "Sans suite"},
	}
	// OrientationModes say who makes the contact with the partner.
	OrientationModes = Choices{
		{"personne", "La personne contacte le partenaire"},
		{"mediation", "La médiation contacte le partenaire"},
		{"rendez_vous", "Un rendez-vous a été pris"},
		{"accompagnement", "Accompagnement physique de la personne"},
	}
	// SharedItems is the closed list of what may be passed on to a
	// partner: the minimum, chosen item by item (secret partagé, CASF
	// L. 226-2-2 and CNIL délibération 2021-028). Identity and contact
	// details come from the file; the others are the message written
	// for the partner.
	SharedItems = Choices{
		{"identite", "Identité (nom et prénom ou pseudonyme)"},
		{"coordonnees", "Coordonnées (téléphone, e-mail)"},
		{"situation", "Situation résumée"},
		{"demarche", "Démarche en cours"},
		{"documents", "Documents déjà réunis"},
	}
	// RefusalReasons explain a partner's refusal.
	RefusalReasons = Choices{
		{"hors_criteres", "Ne correspond pas aux critères du service"},
		{"complet", "Plus de place ou délai trop long"},
		{"deja_suivie", "Déjà accompagnée par un autre service"},
		{"mauvaise_adresse", "Pas le bon interlocuteur"},
		{"autre", "Autre motif"},
	}
	// NoFollowReasons explain an orientation without follow-up.
	NoFollowReasons = Choices{
		{"non_venue", "La personne ne s'est pas présentée"},
		{"renoncement", "La personne a renoncé"},
		{"injoignable", "Partenaire ou personne injoignable"},
		{"autre", "Autre raison"},
	}
	// OutcomeSources say who reported the outcome. The "taux de retour"
	// counts the outcomes reported by the partner.
	OutcomeSources = Choices{
		{"partenaire_lien", "Le partenaire, par le lien de réponse"},
		{"partenaire", "Le partenaire (téléphone, e-mail, courrier)"},
		{"personne", "La personne"},
		{"mediation", "La médiation"},
	}
	// PartnerAnswers are the answers of the partner's page.
	PartnerAnswers = Choices{
		{"prise_en_charge", "La personne est prise en charge"},
		{"refusee", "Nous ne pouvons pas la prendre en charge"},
		{"non_venue", "La personne n'est pas venue"},
	}
)

// Limits of an orientation, stated in forms.
const (
	MaxPartnerContactLen  = MaxShortTextLen
	MaxSharedTextLen      = 1000
	DefaultLinkDays       = 30
	MinLinkDays           = 1
	MaxLinkDays           = 90
	DefaultExpectedInDays = 15
)

// PartnerLinkID identifies a partner link.
type PartnerLinkID int64

// PartnerLink lets a partner that uses no platform answer one orientation
// without an account. Only a hash of its token is stored.
type PartnerLink struct {
	ID        PartnerLinkID
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt time.Time // zero while not revoked
	UsedAt    time.Time // when the partner answered; zero before
	CreatedBy UserID
}

// Partner link states, as the partner's page shows them.
const (
	LinkOpen     = "ouvert"
	LinkAnswered = "repondu"
	LinkExpired  = "expire"
	LinkRevoked  = "retire"
)

// State is the link's state at now.
func (l *PartnerLink) State(now time.Time) string {
	switch {
	case !l.UsedAt.IsZero():
		return LinkAnswered
	case !l.RevokedAt.IsZero():
		return LinkRevoked
	case !now.Before(l.ExpiresAt):
		return LinkExpired
	}
	return LinkOpen
}

// Orientation connects a person (or someone anonymous) with a partner
// service, with what is shared, how, and what came of it.
type Orientation struct {
	ID             OrientationID
	StructureID    StructureID
	PersonID       PersonID // zero: anonymous
	PersonName     string   // filled by queries
	InterventionID InterventionID
	PartnerName    string
	PartnerContact string
	Reason         string
	SharedItems    []string
	SharedText     string
	Mode           string
	Status         string
	ClosureReason  string // a RefusalReasons or NoFollowReasons code
	ClosureText    string
	ExpectedOn     time.Time // expected feedback, Paris midnight; zero if none
	TransmittedAt  time.Time
	OutcomeAt      time.Time
	OutcomeSource  string
	CreatedBy      UserID
	CreatedByName  string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Link is the latest partner link, nil when none was made.
	Link *PartnerLink
	// History lists the changes, newest first (one orientation read).
	History []AuditEntry

	// DirectoryServiceID is the directory service the partner was
	// picked from (zero: typed by hand, or the entry is gone), and
	// DirectoryStructureID its structure, for the link to the entry.
	DirectoryServiceID   DirectoryServiceID
	DirectoryStructureID DirectoryStructureID
}

// Anonymous reports whether the orientation names nobody.
func (o *Orientation) Anonymous() bool { return o.PersonID == 0 }

// Closed reports whether the outcome is known.
func (o *Orientation) Closed() bool { return OrientationClosed(o.Status) }

// Shares reports whether item is shared with the partner.
func (o *Orientation) Shares(item string) bool {
	for _, s := range o.SharedItems {
		if s == item {
			return true
		}
	}
	return false
}

// ClosureLabel is the French label of the refusal or no-follow-up reason.
func (o *Orientation) ClosureLabel() string {
	switch o.Status {
	case OrientationRefusee:
		return RefusalReasons.Label(o.ClosureReason)
	case OrientationSansSuite:
		return NoFollowReasons.Label(o.ClosureReason)
	}
	return ""
}

// OrientationClosed reports whether status is a final one.
func OrientationClosed(status string) bool {
	return status == OrientationPriseEnCharge || status == OrientationRefusee || status == OrientationSansSuite
}

// textItems are the shared items the message to the partner carries.
var textItems = []string{"situation", "demarche", "documents"}

// OrientationInput is a new orientation as a form sends it.
type OrientationInput struct {
	PersonID       PersonID // zero: anonymous
	InterventionID InterventionID
	PartnerName    string
	PartnerContact string
	Reason         string
	SharedItems    []string
	SharedText     string
	Mode           string
	ExpectedOn     string // yyyy-mm-dd; empty: no feedback date

	// DirectoryServiceID is the directory service picked, if any; a
	// service not in the actor's directory is dropped.
	DirectoryServiceID DirectoryServiceID
}

// OrientationFields are the form fields, in form order.
var OrientationFields = []string{"person_id", "partner_name", "partner_contact", "reason", "mode", "shared_items",
	"shared_text", "expected_on"}

// Validate cleans the input and returns the expected feedback day.
func (in *OrientationInput) Validate(now time.Time) (time.Time, error) {
	var fe FieldErrors
	in.PartnerName = requiredText(&fe, "partner_name", "le partenaire (service ou structure)", in.PartnerName, MaxNameLen)
	in.PartnerContact = optionalText(&fe, "partner_contact", in.PartnerContact, MaxPartnerContactLen, false)
	in.Reason = requiredText(&fe, "reason", "le motif de l'orientation", in.Reason, MaxShortTextLen)
	if !OrientationModes.Valid(in.Mode) {
		fe.Add("mode", "Choisissez qui prend contact avec le partenaire.")
	}
	items, unknown := SharedItems.CleanSet(in.SharedItems)
	if unknown {
		fe.Add("shared_items", "Choisissez les informations partagées dans la liste.")
	}
	in.SharedItems = items
	if in.PersonID == 0 {
		for _, it := range items {
			if it == "identite" || it == "coordonnees" {
				fe.Add("shared_items", "Une orientation anonyme ne peut partager ni identité ni coordonnées.")
			}
		}
	}
	in.SharedText = optionalText(&fe, "shared_text", in.SharedText, MaxSharedTextLen, true)
	withText := false
	for _, it := range items {
		for _, t := range textItems {
			withText = withText || it == t
		}
	}
	switch {
	case withText && in.SharedText == "":
		fe.Add("shared_text", "Écrivez le message au partenaire : il contient la situation, la démarche ou les documents cochés.")
	case !withText && in.SharedText != "":
		fe.Add("shared_text", "Cochez ce que contient le message (situation, démarche ou documents), ou videz-le : rien n'est partagé sans être coché.")
	}
	var expected time.Time
	if strings.TrimSpace(in.ExpectedOn) != "" {
		d, err := ParseDay(in.ExpectedOn, now)
		today, _ := ParseDay("", now)
		switch {
		case err != nil:
			fe.Add("expected_on", "Indiquez la date de retour attendue au format jj/mm/aaaa.")
		case d.Before(today):
			fe.Add("expected_on", "La date de retour attendue ne peut pas être passée.")
		case d.After(now.AddDate(1, 0, 0)):
			fe.Add("expected_on", "La date de retour attendue doit être dans l'année.")
		default:
			expected = d
		}
	}
	return expected, fe.Err()
}

// OrientationStatusInput moves an orientation along its statuses.
type OrientationStatusInput struct {
	Status string
	Reason string // refusal or no-follow-up reason
	Text   string // details, optional unless the reason is "autre"
	Source string // who reported the outcome; required for final statuses
}

// CheckTransition returns a French error when an orientation in status
// from may not move to status to: proposée → transmise → prise en charge,
// refusée or sans suite. The outcome may be recorded from "proposée" too
// (the person contacted the partner themselves); a final status is final.
func CheckTransition(from, to string) error {
	switch {
	case !OrientationStatuses.Valid(to):
		return transitionError("Choisissez un statut dans la liste.")
	case from == to:
		return transitionError("L'orientation est déjà « " + OrientationStatuses.Label(to) + " » : choisissez une autre étape.")
	case OrientationClosed(from):
		return transitionError("L'orientation est close (« " + OrientationStatuses.Label(from) + " ») : son issue ne peut pas être modifiée.")
	case to == OrientationProposee:
		return transitionError("Une orientation ne peut pas redevenir « proposée » : choisissez une autre étape.")
	}
	return nil
}

func transitionError(msg string) error {
	return &Error{Kind: ErrInvalid, Message: msg, Fields: map[string]string{"status": msg}}
}

// Validate checks the input against the current status.
func (in *OrientationStatusInput) Validate(from string) error {
	if err := CheckTransition(from, in.Status); err != nil {
		return err
	}
	var fe FieldErrors
	switch in.Status {
	case OrientationRefusee:
		if !RefusalReasons.Valid(in.Reason) {
			fe.Add("reason", "Choisissez le motif du refus.")
		}
	case OrientationSansSuite:
		if !NoFollowReasons.Valid(in.Reason) {
			fe.Add("reason", "Choisissez pourquoi l'orientation est restée sans suite.")
		}
	default:
		in.Reason = ""
	}
	in.Text = optionalText(&fe, "text", in.Text, MaxShortTextLen, false)
	if in.Reason == "autre" && in.Text == "" {
		fe.Add("text", "Précisez le motif en quelques mots.")
	}
	if OrientationClosed(in.Status) {
		if in.Source == "partenaire_lien" || !OutcomeSources.Valid(in.Source) {
			fe.Add("source", "Indiquez qui a rapporté l'issue.")
		}
	} else {
		in.Source = ""
	}
	return fe.Err()
}

// PartnerAnswerInput is the partner's answer through the link.
type PartnerAnswerInput struct {
	Answer string // a PartnerAnswers code
	Reason string // RefusalReasons code when refused
	Text   string
}

// PartnerAnswerFields are the fields of the partner's form.
var PartnerAnswerFields = []string{"answer", "reason", "text"}

// Status turns the validated answer into a status input.
func (in *PartnerAnswerInput) Status() OrientationStatusInput {
	out := OrientationStatusInput{Status: in.Answer, Reason: in.Reason, Text: in.Text, Source: "partenaire_lien"}
	if in.Answer == "non_venue" {
		out.Status, out.Reason = OrientationSansSuite, "non_venue"
	}
	return out
}

// Validate cleans the answer.
func (in *PartnerAnswerInput) Validate() error {
	var fe FieldErrors
	if !PartnerAnswers.Valid(in.Answer) {
		fe.Add("answer", "Choisissez votre réponse.")
	}
	if in.Answer == OrientationRefusee {
		if !RefusalReasons.Valid(in.Reason) {
			fe.Add("reason", "Choisissez le motif du refus.")
		}
	} else {
		in.Reason = ""
	}
	in.Text = optionalText(&fe, "text", in.Text, MaxShortTextLen, false)
	if in.Reason == "autre" && in.Text == "" {
		fe.Add("text", "Précisez le motif en quelques mots.")
	}
	return fe.Err()
}

// PartnerView is what a partner link reveals: the structure, the reason,
// the mode and only the items shared. In any state but open it holds the
// state and the structure's name only.
type PartnerView struct {
	State         string
	StructureName string
	PartnerName   string
	Reason        string
	Mode          string
	OrientedOn    time.Time
	ExpiresAt     time.Time
	AnsweredAt    time.Time
	PersonName    string // when identity is shared
	Phone, Email  string // when contact details are shared
	SharedItems   []string
	SharedText    string
}

// OrientationFilter selects orientations.
type OrientationFilter struct {
	Status    string
	Partner   string // part of the partner's name
	CreatedBy UserID
	PersonID  PersonID
	Offset    int
	Limit     int
}

// PartnerStats are the figures of one partner: how many orientations,
// how many outcomes known and reported by the partner, and the median
// delay from transmission to outcome.
type PartnerStats struct {
	Partner      string
	Orientations int
	Outcomes     int // outcome known, whoever reported it
	Feedback     int // reported by the partner
	MedianDays   int // -1 when no outcome
}

// FeedbackRate is the "taux de retour" in percent: outcomes reported by the
// partner ÷ orientations transmitted or closed.
func (s PartnerStats) FeedbackRate() int {
	if s.Orientations == 0 {
		return 0
	}
	return (s.Feedback*100 + s.Orientations/2) / s.Orientations
}

// OrientationService manages orientations and the partner links.
type OrientationService interface {
	// CreateOrientation records an orientation (any member). A person
	// named must have an active "partage" consent and an open file;
	// otherwise ErrInvalid on person_id, and the orientation is to be
	// made anonymously.
	CreateOrientation(ctx context.Context, actor Actor, in OrientationInput) (*Orientation, error)
	// FindOrientationByID reads one (any member); reading a nominative
	// one is audited.
	FindOrientationByID(ctx context.Context, actor Actor, id OrientationID) (*Orientation, error)
	FindOrientations(ctx context.Context, actor Actor, f OrientationFilter) ([]Orientation, int, error)
	// FindPartnerStats gives the figures per partner of the structure,
	// or of the orientations createdBy made when not zero.
	FindPartnerStats(ctx context.Context, actor Actor, createdBy UserID) ([]PartnerStats, error)
	// SetOrientationStatus moves an orientation (its author,
	// coordinators and administrators); ErrInvalid on a transition the
	// status machine refuses. A final status revokes the partner link.
	SetOrientationStatus(ctx context.Context, actor Actor, id OrientationID, in OrientationStatusInput) error
	// CreatePartnerLink makes a new link valid for days (1 to 90),
	// revoking the previous one, and returns its token: shown once,
	// never stored. A proposed orientation becomes transmitted.
	CreatePartnerLink(ctx context.Context, actor Actor, id OrientationID, days int) (string, error)
	// RevokePartnerLink ends the current link.
	RevokePartnerLink(ctx context.Context, actor Actor, id OrientationID) error
	// FindPartnerView resolves a token for the partner's page (no
	// actor: the token is the credential). Unknown tokens are
	// ErrNotFound. An open link's reading is audited.
	FindPartnerView(ctx context.Context, token string, requestID string) (*PartnerView, error)
	// AnswerPartnerLink records the partner's answer once; ErrConflict
	// when the link is no longer open (answered, expired, revoked).
	AnswerPartnerLink(ctx context.Context, token string, in PartnerAnswerInput, requestID string) error
}
