package maillon

import (
	"context"
	"time"
)

// A bulk import writes records already made (a demonstration or benchmark
// dataset, later a migration from another tool) without going through the
// forms one record at a time: the per-record services would take hours for
// a million interventions. The records are domain values; the import checks
// their codes and structure, and the store derives what it derives for the
// services (outside office hours, last contact, search text).

// ImportPerson is a person's file as an import writes it: the person and
// the consents and autonomy profiles recorded over time.
type ImportPerson struct {
	// Person.ID is set by the import; StructureID, CreatedAt and the
	// fields of the file are read. LastContactAt is derived by
	// FinishImport from the interventions.
	Person   Person
	Consents []Consent // GivenAt, Scope, Method, RecordedBy; WithdrawnAt if withdrawn
	Autonomy []Autonomy
	// CreatedBy is the account that opened the file.
	CreatedBy UserID
}

// Importer loads records in bulk. Only the operator may call it, and only
// on a database no one else writes to (the demo claims it first): it takes
// IDs in large blocks. Each call is one transaction.
type Importer interface {
	// ImportPeople inserts people with their consents and autonomy
	// profiles, and sets Person.ID. ErrForbidden unless operator;
	// ErrInvalid for an unknown code or a missing structure.
	ImportPeople(ctx context.Context, actor Actor, people []ImportPerson) error
	// ImportInterventions inserts interventions with their mediators,
	// types, themes, people (Persons[].ID), anonymous counts and
	// procedures (with their obstacles; an observed autonomy level adds a
	// profile, as when a form is saved), and sets the IDs. StructureID,
	// StartAt, CreatedBy and CreatedAt are read; OutsideHours is computed.
	// ErrForbidden unless operator; ErrInvalid for an unknown code.
	ImportInterventions(ctx context.Context, actor Actor, ivs []Intervention) error
	// ImportOrientations inserts orientations with their latest partner
	// link (a fresh token, of which only the hash is kept) and sets the
	// IDs. ErrForbidden unless operator; ErrInvalid for an unknown code
	// or an inconsistent status.
	ImportOrientations(ctx context.Context, actor Actor, os []ImportOrientation) error
	// ImportAgenda inserts agenda events with their mediators and sets
	// the IDs. StructureID, Kind, StartAt, EndAt, RepeatUntil, the
	// attendance, CreatedBy and CreatedAt are read. ErrForbidden unless
	// operator; ErrInvalid for an unknown code.
	ImportAgenda(ctx context.Context, actor Actor, events []AgendaEvent) error
	// ImportMediations inserts mediations with their parties, steps
	// (InterventionID of imported interventions) and commitments, and
	// sets the IDs; a step's or commitment's PartyID is the party's rank
	// (1, 2…) in Parties. ErrForbidden unless operator; ErrInvalid for an
	// unknown code.
	ImportMediations(ctx context.Context, actor Actor, ms []Mediation) error
	// FinishImport derives what depends on several records (the last
	// contact each person started) and refreshes the planner's
	// statistics. ErrForbidden unless operator.
	FinishImport(ctx context.Context, actor Actor) error
}

// CheckImport checks the codes of an imported person, so that an import
// cannot store what a form would refuse.
func (p *ImportPerson) CheckImport() error {
	var fe FieldErrors
	in := &p.Person
	if in.StructureID <= 0 {
		fe.Add("structure_id", "Indiquez la structure.")
	}
	if in.FirstName == "" && in.LastName == "" && in.Pseudonym == "" {
		fe.Add("last_name", "Indiquez un nom ou un prénom, ou un pseudonyme.")
	}
	check := func(field, v string, cs Choices) {
		if !cs.Valid(v) {
			fe.Add(field, "Code inconnu : "+v)
		}
	}
	check("age_band", in.AgeBand, AgeBands)
	check("gender", in.Gender, Genders)
	check("household", in.Household, Households)
	check("housing", in.Housing, Housings)
	check("activity", in.Activity, Activities)
	check("nationality", in.Nationality, Nationalities)
	for _, n := range in.AccessNeeds {
		check("access_needs", n, AccessNeeds)
	}
	if !HasConsent(p.Consents, ConsentDossier) && !in.Archived {
		fe.Add("consent_given", "Un dossier actif suppose l'accord de la personne.")
	}
	for _, c := range p.Consents {
		check("consent_scope", c.Scope, ConsentScopes)
		check("consent_method", c.Method, ConsentMethods)
	}
	for _, a := range p.Autonomy {
		if a.Level < 1 || a.Level > 3 {
			fe.Add("level", "Le niveau d'autonomie va de 1 à 3.")
		}
	}
	return fe.Err()
}

// CheckImport checks the codes and limits of an imported intervention.
func (iv *Intervention) CheckImport() error {
	var fe FieldErrors
	if iv.StructureID <= 0 {
		fe.Add("structure_id", "Indiquez la structure.")
	}
	if iv.StartAt.IsZero() || iv.StartAt.Year() < 2000 {
		fe.Add("date", "Indiquez une date à partir de l'an 2000.")
	}
	if iv.Minutes <= 0 || iv.Minutes > MaxInterventionMinutes {
		fe.Add("minutes", "La durée va de 1 à 720 minutes.")
	}
	if len(iv.Mediators) == 0 || len(iv.Mediators) > MaxMediators {
		fe.Add("mediators", "Indiquez de 1 à 6 médiateurs.")
	}
	if len(iv.Persons) > MaxPersonsPerRecord {
		fe.Add("persons", "Indiquez au plus 20 personnes.")
	}
	check := func(field, v string, cs Choices) {
		if !cs.Valid(v) {
			fe.Add(field, "Code inconnu : "+v)
		}
	}
	check("place_type", iv.PlaceType, PlaceTypes)
	check("registre", iv.Registre, Registres)
	for _, r := range iv.Registres {
		check("registres", r, Registres)
	}
	for _, t := range iv.Themes {
		check("themes", t, Themes)
	}
	check("initiative", iv.Initiative, Initiatives)
	check("outcome", iv.Outcome, Outcomes)
	for _, a := range iv.Anonymous {
		check("anonymous", a.AgeBand, AgeBands)
		check("anonymous", a.Gender, Genders)
		if a.Count < 1 || a.Count > MaxAnonymousPerLine {
			fe.Add("anonymous", "Chaque nombre de personnes est compris entre 1 et 500.")
		}
	}
	for _, p := range iv.Procedures {
		check("procedures", p.Organisme, Organismes)
		check("procedures", p.Channel, Channels)
		check("procedures", p.Mode, ProcedureModes)
		check("procedures", p.Outcome, ProcedureOutcomes)
		for _, o := range p.Obstacles {
			check("procedures", o, Obstacles)
		}
		if p.AutonomyLevel < 0 || p.AutonomyLevel > 3 {
			fe.Add("procedures", "Le niveau d'autonomie va de 0 à 3.")
		}
	}
	return fe.Err()
}

// CheckImport checks the codes and limits of an imported agenda event.
func (e *AgendaEvent) CheckImport() error {
	var fe FieldErrors
	if e.StructureID <= 0 {
		fe.Add("structure_id", "Indiquez la structure.")
	}
	if !AgendaKinds.Valid(e.Kind) {
		fe.Add("kind", "Code inconnu : "+e.Kind)
	}
	if e.StartAt.IsZero() || e.StartAt.Year() < 2000 {
		fe.Add("date", "Indiquez une date à partir de l'an 2000.")
	}
	if !e.EndAt.After(e.StartAt) || e.EndAt.Sub(e.StartAt) > MaxAgendaMinutes*time.Minute {
		fe.Add("end_time", "Un événement dure de 1 minute à 12 heures.")
	}
	if e.Recurring() && (e.Kind != AgendaPermanence || !e.RepeatUntil.After(e.StartAt)) {
		fe.Add("repeat_until", "Seule une permanence se répète, jusqu'à une date qui suit son début.")
	}
	if e.Attendance != "" && !Attendances.Valid(e.Attendance) {
		fe.Add("attendance", "Code inconnu : "+e.Attendance)
	}
	if e.Theme != "" && !Themes.Valid(e.Theme) {
		fe.Add("theme", "Code inconnu : "+e.Theme)
	}
	if e.PersonID != 0 && e.Kind != AgendaRendezVous {
		fe.Add("person_id", "Seul un rendez-vous nomme une personne.")
	}
	if len(e.Mediators) == 0 || len(e.Mediators) > MaxMediators {
		fe.Add("mediators", "Indiquez de 1 à 6 médiateurs.")
	}
	return fe.Err()
}
