package maillon

import (
	"strconv"
	"strings"
	"time"
)

// PersonID identifies a person accompanied by a structure.
type PersonID int64

// Closed lists describing a person. They hold coarse categories only:
// CNIL délibération 2021-028 asks for the minimum needed to accompany
// someone, and nationality only as Française / UE / hors UE.
var (
	Genders = Choices{
		{"femme", "Femme"}, {"homme", "Homme"}, {"autre", "Autre"}, {"non_precise", "Non précisé"},
	}
	AgeBands = Choices{
		{"moins_16", "Moins de 16 ans"}, {"16_25", "16 à 25 ans"}, {"26_44", "26 à 44 ans"},
		{"45_64", "45 à 64 ans"}, {"65_plus", "65 ans et plus"}, {"non_precise", "Âge non précisé"},
	}
	AccessNeeds = Choices{
		{"moteur", "Handicap moteur"}, {"visuel", "Handicap visuel"}, {"auditif", "Handicap auditif"},
		{"psychique", "Handicap psychique"}, {"cognitif", "Handicap cognitif ou mental"}, {"autre", "Autre besoin"},
	}
	Households = Choices{
		{"seul", "Personne seule"}, {"couple", "Couple sans enfant"}, {"couple_enfants", "Couple avec enfant(s)"},
		{"monoparentale", "Famille monoparentale"}, {"autre", "Autre situation"}, {"non_precise", "Non précisé"},
	}
	Housings = Choices{
		{"social", "Locataire du parc social"}, {"prive", "Locataire du parc privé"}, {"proprietaire", "Propriétaire"},
		{"heberge", "Hébergé·e par un tiers"}, {"hebergement", "Hébergement d'urgence, foyer ou résidence sociale"},
		{"sans_domicile", "Sans domicile"}, {"autre", "Autre"}, {"non_precise", "Non précisé"},
	}
	Activities = Choices{
		{"emploi", "En emploi"}, {"recherche", "En recherche d'emploi"}, {"formation", "En formation ou études"},
		{"retraite", "Retraité·e"}, {"sans_activite", "Sans activité professionnelle"}, {"autre", "Autre"},
		{"non_precise", "Non précisé"},
	}
	Nationalities = Choices{
		{"francaise", "Française"}, {"ue", "Union européenne"}, {"hors_ue", "Hors Union européenne"},
		{"non_precise", "Non précisée"},
	}
)

// AgeBandOf returns the age band of someone born in birthYear, at date at.
func AgeBandOf(birthYear int, at time.Time) string {
	if birthYear == 0 {
		return "non_precise"
	}
	age := InParis(at).Year() - birthYear
	switch {
	case age < 16:
		return "moins_16"
	case age <= 25:
		return "16_25"
	case age <= 44:
		return "26_44"
	case age <= 64:
		return "45_64"
	}
	return "65_plus"
}

// Person is someone accompanied by the structure, with a nominative file.
// The file exists only with the person's consent (ConsentDossier); people
// who do not consent are counted anonymously on interventions instead.
type Person struct {
	ID          PersonID
	StructureID StructureID
	FirstName   string
	LastName    string
	// Pseudonym replaces the name of someone who does not want to be
	// named (initials, a nickname).
	Pseudonym         string
	BirthYear         int    // 0 when unknown
	AgeBand           string // from BirthYear when known, else as declared
	Gender            string
	Phone             string
	Email             string
	CommuneID         CommuneID
	ZoneID            ZoneID
	CommuneName       string // filled by queries
	ZoneName          string // filled by queries
	Languages         string // languages spoken, as written
	InterpreterNeeded bool
	AccessNeeds       []string
	AccessText        string
	Household         string
	Housing           string
	Activity          string
	Nationality       string
	ReferentID        UserID
	ReferentName      string // filled by queries
	TeamID            TeamID
	TeamName          string // filled by queries
	Archived          bool
	// LastContactAt is the last interaction initiated by the person; the
	// retention period (two years, CNIL délibération 2023-095) runs from
	// it.
	LastContactAt time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// DisplayName is how lists and headings name the person.
func (p *Person) DisplayName() string {
	if p.FirstName == "" && p.LastName == "" {
		if p.Pseudonym != "" {
			return p.Pseudonym
		}
		return "Personne n° " + strconv.FormatInt(int64(p.ID), 10)
	}
	return strings.TrimSpace(p.FirstName + " " + p.LastName)
}

// PersonInput holds the fields of a person's file as forms and the API
// send them. On creation it also carries the dossier consent.
type PersonInput struct {
	FirstName         string
	LastName          string
	Pseudonym         string
	BirthYear         string
	AgeBand           string
	Gender            string
	Phone             string
	Email             string
	CommuneID         CommuneID
	ZoneID            ZoneID
	Languages         string
	InterpreterNeeded bool
	AccessNeeds       []string
	AccessText        string
	Household         string
	Housing           string
	Activity          string
	Nationality       string
	ReferentID        UserID
	TeamID            TeamID

	// On creation only: the person agreed to a nominative file.
	ConsentGiven  bool
	ConsentMethod string
	ConsentDate   string // yyyy-mm-dd, Paris; empty means today
}

// PersonFields are the form field names of PersonInput, in form order.
var PersonFields = []string{"first_name", "last_name", "pseudonym", "birth_year", "age_band", "gender", "phone", "email",
	"commune_id", "zone_id", "languages", "interpreter_needed", "access_needs", "access_text", "household", "housing",
	"activity", "nationality", "referent_id", "team_id", "consent_given", "consent_method", "consent_date"}

// Validate cleans the input; creating adds the consent checks. now is used
// for the birth year and the consent date.
func (in *PersonInput) Validate(creating bool, now time.Time) (birthYear int, consentAt time.Time, err error) {
	var fe FieldErrors
	in.FirstName = optionalText(&fe, "first_name", in.FirstName, MaxNameLen, false)
	in.LastName = optionalText(&fe, "last_name", in.LastName, MaxNameLen, false)
	in.Pseudonym = optionalText(&fe, "pseudonym", in.Pseudonym, 60, false)
	if in.FirstName == "" && in.LastName == "" && in.Pseudonym == "" && fe["first_name"] == "" && fe["last_name"] == "" {
		fe.Add("last_name", "Indiquez un nom ou un prénom, ou un pseudonyme si la personne ne souhaite pas être nommée.")
	}
	year := InParis(now).Year()
	if s := strings.TrimSpace(in.BirthYear); s != "" {
		n, convErr := strconv.Atoi(s)
		switch {
		case convErr != nil || len(s) != 4:
			fe.Add("birth_year", "Indiquez l'année de naissance sur 4 chiffres, par exemple 1978.")
		case n < year-120 || n > year:
			fe.Add("birth_year", "L'année de naissance doit être comprise entre "+strconv.Itoa(year-120)+" et "+strconv.Itoa(year)+".")
		default:
			birthYear = n
		}
	}
	if birthYear != 0 {
		in.AgeBand = AgeBandOf(birthYear, now)
	} else if in.AgeBand == "" {
		in.AgeBand = "non_precise"
	} else if !AgeBands.Valid(in.AgeBand) {
		fe.Add("age_band", "Choisissez une tranche d'âge dans la liste.")
	}
	in.Gender = choiceOrUnknown(&fe, "gender", in.Gender, Genders, "Choisissez une valeur dans la liste.")
	in.Phone = optionalText(&fe, "phone", in.Phone, 25, false)
	if in.Phone != "" {
		if msg := ValidatePhone(in.Phone); msg != "" {
			fe.Add("phone", msg)
		}
	}
	in.Email = NormalizeEmail(in.Email)
	if in.Email != "" {
		if msg := ValidateEmail(in.Email); msg != "" {
			fe.Add("email", msg)
		}
	}
	if in.ZoneID != 0 && in.CommuneID == 0 {
		fe.Add("commune_id", "Choisissez la commune du quartier.")
	}
	in.Languages = optionalText(&fe, "languages", in.Languages, MaxShortTextLen, false)
	needs, unknown := AccessNeeds.CleanSet(in.AccessNeeds)
	if unknown {
		fe.Add("access_needs", "Choisissez les besoins dans la liste.")
	}
	in.AccessNeeds = needs
	in.AccessText = optionalText(&fe, "access_text", in.AccessText, MaxShortTextLen, false)
	in.Household = choiceOrUnknown(&fe, "household", in.Household, Households, "Choisissez une situation dans la liste.")
	in.Housing = choiceOrUnknown(&fe, "housing", in.Housing, Housings, "Choisissez un logement dans la liste.")
	in.Activity = choiceOrUnknown(&fe, "activity", in.Activity, Activities, "Choisissez une activité dans la liste.")
	in.Nationality = choiceOrUnknown(&fe, "nationality", in.Nationality, Nationalities, "Choisissez une valeur dans la liste.")
	if in.ReferentID < 0 {
		fe.Add("referent_id", "Choisissez un médiateur ou une médiatrice de la structure.")
	}
	if in.TeamID < 0 {
		fe.Add("team_id", "Choisissez une équipe de la structure.")
	}
	if creating {
		if !in.ConsentGiven {
			fe.Add("consent_given", "Sans l'accord de la personne, ne créez pas de dossier : enregistrez le contact de façon anonyme dans une intervention.")
		}
		if !ConsentMethods.Valid(in.ConsentMethod) {
			fe.Add("consent_method", "Indiquez comment l'accord a été donné : à l'oral ou par écrit.")
		}
		consentAt, err = ParseDay(in.ConsentDate, now)
		switch {
		case err != nil:
			fe.Add("consent_date", "Indiquez la date au format jj/mm/aaaa.")
		case consentAt.After(now):
			fe.Add("consent_date", "La date de l'accord ne peut pas être dans le futur.")
		}
	}
	return birthYear, consentAt, fe.Err()
}

// choiceOrUnknown validates an optional closed-list value; empty means
// "non_precise".
func choiceOrUnknown(fe *FieldErrors, field, v string, cs Choices, msg string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return "non_precise"
	}
	if !cs.Valid(v) {
		fe.Add(field, msg)
	}
	return v
}

// ParseDay reads a yyyy-mm-dd date (the value of <input type="date">) as
// the start of that day in Paris; an empty string is today.
func ParseDay(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		p := InParis(now)
		return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, Paris), nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, Paris)
	if err != nil {
		return time.Time{}, err
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, ErrInvalid
	}
	return t, nil
}

// PersonFilter selects people in lists and searches.
type PersonFilter struct {
	Query      string // part of a name, pseudonym, phone or e-mail
	ReferentID UserID
	TeamID     TeamID
	ZoneID     ZoneID
	Archived   bool // archived people instead of active ones
	Sort       string
	Offset     int
	Limit      int
}

// PersonSorts are the orders of the people list.
var PersonSorts = Choices{
	{"nom", "Nom"}, {"contact", "Dernier contact (récent d'abord)"}, {"creation", "Date de création (récent d'abord)"},
}

// DuplicateCandidate is an existing person who looks like the one being
// created.
type DuplicateCandidate struct {
	ID          PersonID
	DisplayName string
	BirthYear   int
	CommuneName string
}
