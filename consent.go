package maillon

import "time"

// ConsentID identifies a consent record.
type ConsentID int64

// Consent scopes. Each is given freely and revocable at any time (charte
// de référence de la médiation sociale, 2001); a withdrawal takes effect at
// once.
var ConsentScopes = Choices{
	{"dossier", "Tenue d'un dossier nominatif"},
	{"partage", "Partage avec un partenaire pour une orientation"},
	{"institution", "Contact d'une institution en son nom"},
}

// ConsentDossier is the scope without which no nominative file exists.
const ConsentDossier = "dossier"

// ConsentMethods say how a consent was given.
var ConsentMethods = Choices{{"oral", "À l'oral"}, {"ecrit", "Par écrit"}}

// Consent is the record of a person's agreement to one scope.
type Consent struct {
	ID             ConsentID
	PersonID       PersonID
	Scope          string
	Method         string
	GivenAt        time.Time // the day it was given, Paris midnight
	RecordedBy     UserID
	RecordedByName string // filled by queries
	RecordedAt     time.Time
	WithdrawnAt    time.Time // zero while in force
	WithdrawnBy    UserID
}

// Active reports whether the consent is in force.
func (c Consent) Active() bool { return c.WithdrawnAt.IsZero() }

// ConsentInput records a new consent.
type ConsentInput struct {
	Scope  string
	Method string
	Date   string // yyyy-mm-dd; empty is today
}

// Validate cleans the input and returns the day it was given.
func (in *ConsentInput) Validate(now time.Time) (time.Time, error) {
	var fe FieldErrors
	if !ConsentScopes.Valid(in.Scope) {
		fe.Add("scope", "Choisissez l'objet de l'accord dans la liste.")
	}
	if !ConsentMethods.Valid(in.Method) {
		fe.Add("method", "Indiquez comment l'accord a été donné : à l'oral ou par écrit.")
	}
	at, err := ParseDay(in.Date, now)
	switch {
	case err != nil:
		fe.Add("date", "Indiquez la date au format jj/mm/aaaa.")
	case at.After(now):
		fe.Add("date", "La date de l'accord ne peut pas être dans le futur.")
	}
	return at, fe.Err()
}

// HasConsent reports whether consents hold an active one for scope.
func HasConsent(consents []Consent, scope string) bool {
	for _, c := range consents {
		if c.Scope == scope && c.Active() {
			return true
		}
	}
	return false
}
