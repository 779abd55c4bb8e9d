package demo

import (
	"context"
	"time"

	"maillon"
)

// peoplePerMediation sets the number of mediations of the large scale:
// one per four people, 50,000 for the default 200,000 people.
const peoplePerMediation = 4

// mediationBatchSize is the number of mediations per import transaction.
const mediationBatchSize = 10_000

// namedRef is an imported intervention naming a person: what a mediation
// step needs of it.
type namedRef struct {
	id        maillon.InterventionID
	start     time.Time
	mediator  maillon.UserID
	commune   maillon.CommuneID
	zone      maillon.ZoneID
	institute string // the institutions named, if any
}

// recordNamed keeps the interventions naming one person.
func (b *bulkGen) recordNamed(iv maillon.Intervention) {
	if len(iv.Persons) != 1 || len(iv.Mediators) == 0 {
		return
	}
	if b.named == nil {
		b.named = map[maillon.PersonID][]namedRef{}
	}
	id := iv.Persons[0].ID
	b.named[id] = append(b.named[id], namedRef{id: iv.ID, start: iv.StartAt, mediator: iv.Mediators[0], commune: iv.CommuneID,
		zone: iv.ZoneID, institute: iv.Institutions})
}

// Words of the bulk mediations.
var (
	bulkConflictSubjects = map[string][]string{
		"voisinage":     {"Bruit le soir", "Odeurs de cuisine et de tabac", "Stationnement gênant", "Dégât des eaux entre étages", "Animaux bruyants"},
		"famille":       {"Tensions entre parents et adolescent", "Désaccord sur la garde des enfants", "Conflit entre frères et sœurs"},
		"espace_public": {"Occupation d'un hall d'immeuble", "Rodéos de scooters", "Conflit autour du city-stade"},
		"scolaire":      {"Dispute entre familles à la sortie de l'école", "Harcèlement entre élèves signalé par les parents"},
		"usagers":       {"Altercation dans le bus", "Tension au guichet de la mairie annexe"},
		"autre":         {"Conflit entre commerçant et riverains"},
	}
	bulkOthers = []maillon.PartyInput{
		{Kind: maillon.PartyDescribed, Label: "Voisin du dessus"}, {Kind: maillon.PartyDescribed, Label: "Voisine du 3e"},
		{Kind: maillon.PartyDescribed, Label: "Famille du 2e gauche"}, {Kind: maillon.PartyGroup, Label: "Jeunes du square"},
		{Kind: maillon.PartyDescribed, Label: "Gérant du commerce d'en face"}, {Kind: maillon.PartyGroup, Label: "Parents d'élèves"},
	}
	bulkInstitutions = map[string]string{
		"caf_indu": "CAF", "bailleur_impayes": "Bailleur social", "bailleur_autre": "Bailleur social", "ecole": "Collège du secteur",
		"energie": "Fournisseur d'énergie", "administration": "CPAM", "autre_institution": "Service municipal",
	}
	bulkInstitutionSubjects = map[string]string{
		"caf_indu": "Indu CAF à expliquer et échelonner", "bailleur_impayes": "Impayés de loyer : renouer le dialogue",
		"bailleur_autre": "Travaux non faits dans le logement", "ecole": "Rétablir le dialogue avec l'établissement",
		"energie": "Menace de coupure d'énergie", "administration": "Dossier bloqué depuis des mois",
		"autre_institution": "Incompréhension avec un service municipal",
	}
)

// importMediations draws n mediations of the structure from its people's
// interventions (their first steps) and imports them in batches.
func (b *bulkGen) importMediations(ctx context.Context, op maillon.Actor, n int) error {
	teams := map[maillon.UserID]maillon.TeamID{}
	for _, m := range b.net.members {
		teams[m.user.ID] = m.user.TeamID
	}
	var batch []maillon.Mediation
	for made, tries := 0, 0; made < n && tries < 20*n; tries++ {
		p := pick(b.world, b.people)
		refs := b.named[p.id]
		if len(refs) == 0 {
			continue
		}
		start := b.rnd.IntN(len(refs))
		m := b.mediation(p, refs[start:min(len(refs), start+3)], teams)
		batch = append(batch, m)
		made++
		if len(batch) == mediationBatchSize {
			if err := b.imp.ImportMediations(ctx, op, batch); err != nil {
				return err
			}
			b.sum.Mediations += len(batch)
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		if err := b.imp.ImportMediations(ctx, op, batch); err != nil {
			return err
		}
		b.sum.Mediations += len(batch)
	}
	b.named = nil
	return nil
}

// mediation draws one case started at refs[0], with refs as its steps.
func (b *bulkGen) mediation(p *bulkPerson, refs []namedRef, teams map[maillon.UserID]maillon.TeamID) maillon.Mediation {
	first := refs[0]
	day := maillon.InParis(first.start)
	origin := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, maillon.Paris)
	m := maillon.Mediation{StructureID: b.net.st.ID, OriginOn: origin, MediatorID: first.mediator, TeamID: teams[first.mediator],
		CommuneID: first.commune, ZoneID: first.zone, CreatedBy: first.mediator, CreatedAt: first.start.Add(2 * time.Hour),
		Origin: maillon.MediationOrigins[b.rnd.IntN(len(maillon.MediationOrigins))].Code}
	// Named from the person's file when read.
	self := maillon.MediationParty{Kind: maillon.PartyPerson, PersonID: p.id, ConsentOn: origin, Method: "oral"}
	var other maillon.MediationParty
	if b.chance(70) {
		m.Kind = maillon.MediationConflit
		m.Topic = b.weighted("voisinage", 50, "famille", 12, "espace_public", 15, "scolaire", 10, "usagers", 8, "autre", 5)
		m.Subject = pick(b.world, bulkConflictSubjects[m.Topic])
		o := pick(b.world, bulkOthers)
		other = maillon.MediationParty{Kind: o.Kind, Label: o.Label, ConsentOn: origin.AddDate(0, 0, b.between(1, 10)), Method: "oral"}
	} else {
		m.Kind = maillon.MediationInstitution
		m.Topic = b.weighted("caf_indu", 30, "bailleur_impayes", 25, "bailleur_autre", 10, "ecole", 10, "energie", 12,
			"administration", 10, "autre_institution", 3)
		m.Subject = bulkInstitutionSubjects[m.Topic]
		other = maillon.MediationParty{Kind: maillon.PartyInstitution, Label: bulkInstitutions[m.Topic]}
	}
	m.Parties = []maillon.MediationParty{self, other}
	kinds := []string{"entretien", "navette", "rencontre"}
	last := first.start
	for i, r := range refs {
		st := maillon.MediationStep{Kind: kinds[i], InterventionID: r.id, At: r.start}
		if i == 0 {
			st.PartyID = 1
		}
		m.Steps = append(m.Steps, st)
		last = r.start
	}
	// Cases opened long ago are mostly closed; recent ones still run.
	age := b.now.Sub(first.start)
	closedShare := 30
	if age > 180*24*time.Hour {
		closedShare = 92
	}
	switch n := b.rnd.IntN(100); {
	case n < closedShare:
		m.Status = maillon.MediationCloturee
	case n < closedShare+(100-closedShare)/3:
		m.Status = maillon.MediationOuverte
		m.Parties[1].ConsentOn, m.Parties[1].Method = time.Time{}, ""
		m.Steps = m.Steps[:1]
	case n < closedShare+(100-closedShare)*4/5:
		m.Status = maillon.MediationEnCours
	default:
		m.Status = maillon.MediationSuspendue
	}
	m.UpdatedAt = m.Steps[len(m.Steps)-1].At
	if m.Status != maillon.MediationCloturee {
		return m
	}
	m.Outcome = b.weighted("accord", 30, "accord_partiel", 15, "apaisement", 25, "echec", 12, "refus", 10, "relais", 8)
	m.ClosedAt = last.Add(time.Duration(b.between(1, 20)*24) * time.Hour)
	if m.ClosedAt.After(b.now) {
		m.ClosedAt = b.now
	}
	m.UpdatedAt = m.ClosedAt
	switch m.Outcome {
	case maillon.OutcomeRelais:
		m.RelayTarget = b.weighted("police", 30, "travailleur_social", 35, "conciliateur", 20, "bailleur", 10, "secours", 5)
		m.RelayReason = "Situation hors du cadre de la médiation"
		if b.chance(50) {
			// Found at opening: handed over at once, without steps.
			m.ScopeIssues = []string{b.weighted("violence", 40, "procedure", 40, "danger", 20)}
			m.Steps, m.ClosedAt, m.UpdatedAt = nil, m.CreatedAt, m.CreatedAt
		}
	case "accord", "accord_partiel":
		on := m.ClosedAt.Add(-24 * time.Hour)
		m.Commitments = append(m.Commitments, maillon.Commitment{PartyID: 2, Text: "Prévenir avant tout changement et répondre aux appels.", AgreedOn: on})
		if m.Outcome == "accord" {
			m.Commitments = append(m.Commitments, maillon.Commitment{PartyID: 1, Text: "Respecter les horaires convenus ensemble.", AgreedOn: on})
		}
		fallthrough
	case "apaisement":
		fu := maillon.InParis(m.ClosedAt).AddDate(0, 1, 0)
		m.FollowUpOn = time.Date(fu.Year(), fu.Month(), fu.Day(), 0, 0, 0, 0, maillon.Paris)
		if m.FollowUpOn.Before(b.now.AddDate(0, 0, -7)) {
			m.FollowUpDone = true
			m.FollowUpResult = b.weighted("tenu", 65, "partiel", 20, "rompu", 15)
		}
	}
	return m
}
