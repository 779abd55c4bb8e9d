package demo

import (
	"context"
	"fmt"

	"maillon"
)

// demoCase is a mediation of the demo: what it is about, the other party,
// and where it stands.
type demoCase struct {
	kind, topic, subject, origin string
	other                        maillon.PartyInput
	// path is where the case ends: a status, or "relais" (outside
	// mediation at opening), or the outcome of a closed case.
	path string
}

// demoCases cover both kinds at every status, and every outcome.
var demoCases = []demoCase{
	{maillon.MediationConflit, "voisinage", "Bruit le soir dans l'escalier B", "bailleur",
		maillon.PartyInput{Kind: maillon.PartyDescribed, Label: "Voisin du 3e"}, maillon.MediationEnCours},
	{maillon.MediationConflit, "espace_public", "Occupation du hall de la tour 5", "mairie",
		maillon.PartyInput{Kind: maillon.PartyGroup, Label: "Jeunes du hall"}, maillon.MediationOuverte},
	{maillon.MediationConflit, "famille", "Tensions entre une mère et sa fille majeure", "habitant",
		maillon.PartyInput{Kind: maillon.PartyDescribed, Label: "Sa fille"}, maillon.MediationSuspendue},
	{maillon.MediationConflit, "voisinage", "Stationnement devant un garage", "auto_saisine",
		maillon.PartyInput{Kind: maillon.PartyDescribed, Label: "Voisin du pavillon 12"}, "accord"},
	{maillon.MediationConflit, "scolaire", "Dispute entre deux familles à la sortie de l'école", "ecole",
		maillon.PartyInput{Kind: maillon.PartyDescribed, Label: "Famille K."}, "apaisement"},
	{maillon.MediationConflit, "usagers", "Altercation au guichet de la médiathèque", "partenaire",
		maillon.PartyInput{Kind: maillon.PartyInstitution, Label: "Médiathèque municipale"}, "echec"},
	{maillon.MediationConflit, "voisinage", "Menaces répétées entre voisins", "police_municipale",
		maillon.PartyInput{Kind: maillon.PartyDescribed, Label: "Voisine du rez-de-chaussée"}, maillon.OutcomeRelais},
	{maillon.MediationInstitution, "caf_indu", "Indu CAF contesté", "habitant",
		maillon.PartyInput{Kind: maillon.PartyInstitution, Label: "CAF du Rhône"}, maillon.MediationEnCours},
	{maillon.MediationInstitution, "bailleur_impayes", "Impayés de loyer : reprendre contact avec le bailleur", "bailleur",
		maillon.PartyInput{Kind: maillon.PartyInstitution, Label: "Bailleur social"}, maillon.MediationOuverte},
	{maillon.MediationInstitution, "ecole", "Rétablir le dialogue avec le collège", "ecole",
		maillon.PartyInput{Kind: maillon.PartyInstitution, Label: "Collège Paul-Éluard"}, maillon.MediationSuspendue},
	{maillon.MediationInstitution, "energie", "Coupure d'électricité annoncée", "auto_saisine",
		maillon.PartyInput{Kind: maillon.PartyInstitution, Label: "Fournisseur d'énergie"}, "accord_partiel"},
	{maillon.MediationInstitution, "administration", "Dossier CPAM bloqué depuis six mois", "partenaire",
		maillon.PartyInput{Kind: maillon.PartyInstitution, Label: "CPAM du Rhône"}, "refus"},
}

// demoCommitments are the commitments of the demo's agreements.
var demoCommitments = []string{
	"Ne plus stationner devant la porte du garage, même pour quelques minutes.",
	"Prévenir la veille en cas de livraison ou de déménagement.",
	"Échelonner la dette en 12 mensualités de 45 €.",
	"Suspendre la coupure le temps de l'échéancier.",
}

// eligible reports whether a person of the plan may be an identified
// party: an open file whose consents stand.
func (p *personPlan) eligible() bool { return p.id != 0 && !p.archive && p.withdraw == "" }

// mediations opens the demo's cases in the main structure through the
// service, each started from one of the mediators' conflict or
// institution interventions, which becomes its first step.
func (g *gen) mediations(ctx context.Context, w *world) error {
	byRegistre := map[string][]*ivPlan{}
	for _, iv := range w.ivs {
		if iv.id == 0 || len(iv.persons) == 0 || !iv.persons[0].eligible() {
			continue
		}
		byRegistre[iv.registre] = append(byRegistre[iv.registre], iv)
	}
	fallback := append(byRegistre["acces_droits"], byRegistre["accueil"]...)
	for i, c := range demoCases {
		pool := byRegistre["conflit"]
		if c.kind == maillon.MediationInstitution {
			pool = byRegistre["mediation_institution"]
		}
		if len(pool) == 0 {
			pool = fallback
		}
		if len(pool) == 0 {
			return fmt.Errorf("demo mediation %d: no intervention to start from", i)
		}
		iv := pool[(i*5)%len(pool)]
		if err := g.mediation(ctx, w, c, iv); err != nil {
			return fmt.Errorf("demo mediation %d: %w", i, err)
		}
		g.sum.Mediations++
	}
	return nil
}

func (g *gen) mediation(ctx context.Context, w *world, c demoCase, iv *ivPlan) error {
	svc := g.svc.Mediations
	actor := iv.mediators[0].actor
	day := iv.start.Format("2006-01-02")
	first := maillon.PartyInput{Kind: maillon.PartyPerson, PersonID: iv.persons[0].id, ConsentMethod: "oral", ConsentOn: day}
	other := c.other
	if c.kind == maillon.MediationConflit && len(iv.persons) > 1 && iv.persons[1].eligible() {
		other = maillon.PartyInput{Kind: maillon.PartyPerson, PersonID: iv.persons[1].id}
	}
	other.ConsentMethod, other.ConsentOn = "ecrit", day
	// Cases that started have every consent; an open one waits for the
	// other party's.
	started := c.path != maillon.MediationOuverte && c.path != maillon.OutcomeRelais && c.path != "refus"
	first.Consent, other.Consent = c.path != "refus", started
	in := maillon.MediationInput{Kind: c.kind, Topic: c.topic, Subject: c.subject, Origin: c.origin, OriginOn: day,
		TeamID: actor.TeamID, Parties: []maillon.PartyInput{first, other},
		Notes: "Premier contact lors d'une intervention. Les deux parties sont de bonne foi."}
	if iv.commune != nil {
		in.CommuneID = iv.commune.id
		if iv.zone != nil {
			in.ZoneID = iv.zone.id
		}
	}
	if c.path == maillon.OutcomeRelais {
		in.ScopeIssues, in.RelayTarget, in.RelayReason = []string{"violence"}, "police", "Menaces de mort rapportées par la voisine"
	}
	m, err := svc.CreateMediation(ctx, actor, in)
	if err != nil {
		return err
	}
	if c.path == maillon.OutcomeRelais {
		return nil
	}
	kind := map[string]string{"domicile": "visite", "telephone": "telephone", "partenaire": "rencontre"}[iv.placeType]
	step := maillon.StepInput{Kind: kind, InterventionID: iv.id}
	if kind == "" {
		step.Kind, step.PartyID = "entretien", m.Parties[0].ID
	}
	if err := svc.AddMediationStep(ctx, actor, m.ID, step); err != nil {
		return err
	}
	if c.path == maillon.MediationOuverte {
		return nil
	}
	status := func(in maillon.MediationStatusInput) error { return svc.SetMediationStatus(ctx, actor, m.ID, in) }
	if started {
		if err := status(maillon.MediationStatusInput{Status: maillon.MediationEnCours}); err != nil {
			return err
		}
	}
	switch c.path {
	case maillon.MediationEnCours:
		return nil
	case maillon.MediationSuspendue:
		return status(maillon.MediationStatusInput{Status: maillon.MediationSuspendue})
	case "accord", "accord_partiel":
		parties := m.Parties
		if c.path == "accord_partiel" {
			parties = parties[1:]
		}
		for j, p := range parties {
			text := demoCommitments[j]
			if c.kind == maillon.MediationInstitution {
				text = demoCommitments[2+j]
			}
			if err := svc.AddCommitment(ctx, actor, m.ID, maillon.CommitmentInput{PartyID: p.ID, Text: text}); err != nil {
				return err
			}
		}
	}
	close := maillon.MediationStatusInput{Status: maillon.MediationCloturee, Outcome: c.path}
	if c.path == "accord" || c.path == "accord_partiel" || c.path == "apaisement" {
		close.FollowUpOn = maillon.InParis(w.today).AddDate(0, 0, 10+g.rnd.IntN(20)).Format("2006-01-02")
	}
	return status(close)
}
