package demo

import (
	"context"
	"fmt"

	"maillon"
)

// demoPartners are the partner services of the demo territory, on no
// platform: their answers come through the partner link or by phone.
var demoPartners = []struct{ name, contact, reason string }{
	{"CAF du Rhône – accueil de Vénissieux", "accueil.venissieux@caf.exemple.fr", "Ouverture des droits et rappel de prestations"},
	{"CCAS de Vénissieux", "Mme Perrin, 04 72 00 00 01", "Aide d'urgence et domiciliation"},
	{"Mission locale Sud-Est", "conseillers@missionlocale.exemple.fr", "Accompagnement vers l'emploi d'un jeune"},
	{"Point Justice de Vénissieux", "04 72 00 00 02", "Conseil juridique sur un litige de logement"},
	{"Maison France Services de Saint-Priest", "franceservices@saint-priest.exemple.fr", "Démarche ANTS à finaliser sur place"},
	{"Épicerie solidaire Les Tilleuls", "M. Bensaïd, 06 00 00 00 03", "Accès à l'aide alimentaire"},
}

// demoOutcomes is the fate of each demo orientation, in turn: answered
// by the partner through the link, reported by the person or the
// mediator, waiting with a link, transmitted, or just proposed.
var demoOutcomes = []string{"lien_pris", "lien_refus", "personne", "attente_lien", "lien_non_venue", "transmise", "proposee", "lien_pris"}

// orientations adds orientations to the main structure, with and without
// feedback: for people who agreed to share, and anonymous ones. They are
// dated the day of loading (the domain dates them itself).
func (g *gen) orientations(ctx context.Context, w *world) error {
	svc := g.svc.Orientations
	var sharing []*personPlan
	for _, p := range w.people {
		shares := false
		for _, c := range p.consents {
			shares = shares || c.scope == "partage"
		}
		if shares && !p.archive && p.withdraw == "" && p.creator != nil {
			sharing = append(sharing, p)
		}
	}
	n := min(len(sharing), len(demoOutcomes))
	day := func(in int) string {
		return maillon.InParis(w.today).AddDate(0, 0, in).Format("2006-01-02")
	}
	for i := 0; i < n+4; i++ {
		partner := demoPartners[g.rnd.IntN(len(demoPartners))]
		in := maillon.OrientationInput{PartnerName: partner.name, PartnerContact: partner.contact, Reason: partner.reason,
			Mode: maillon.OrientationModes[g.rnd.IntN(len(maillon.OrientationModes))].Code, ExpectedOn: day(7 + g.rnd.IntN(15))}
		actor := w.members["karim"].actor
		outcome := "personne"
		if i < n {
			p := sharing[(i*7)%len(sharing)]
			in.PersonID, actor, outcome = p.id, p.creator.actor, demoOutcomes[i]
			in.SharedItems = []string{"identite"}
			if g.rnd.IntN(2) == 0 {
				in.SharedItems = append(in.SharedItems, "coordonnees")
			}
		} else {
			outcome = []string{"personne", "proposee", "lien_pris", "transmise"}[i-n]
		}
		if g.rnd.IntN(3) > 0 {
			in.SharedItems = append(in.SharedItems, "situation")
			in.SharedText = "Démarche commencée avec la médiation ; la personne a ses justificatifs de ressources et une pièce d'identité."
		}
		o, err := svc.CreateOrientation(ctx, actor, in)
		if err != nil {
			return fmt.Errorf("demo orientation %d: %w", i, err)
		}
		g.sum.Orientations++
		if err := g.orientationOutcome(ctx, actor, o.ID, outcome); err != nil {
			return fmt.Errorf("demo orientation %d outcome: %w", i, err)
		}
	}
	return nil
}

func (g *gen) orientationOutcome(ctx context.Context, actor maillon.Actor, id maillon.OrientationID, outcome string) error {
	svc := g.svc.Orientations
	answer := map[string]maillon.PartnerAnswerInput{
		"lien_pris":      {Answer: "prise_en_charge"},
		"lien_refus":     {Answer: "refusee", Reason: "hors_criteres", Text: "Relève du CCAS de sa commune"},
		"lien_non_venue": {Answer: "non_venue"},
	}
	switch outcome {
	case "proposee":
		return nil
	case "transmise":
		return svc.SetOrientationStatus(ctx, actor, id, maillon.OrientationStatusInput{Status: maillon.OrientationTransmise})
	case "personne":
		return svc.SetOrientationStatus(ctx, actor, id, maillon.OrientationStatusInput{Status: maillon.OrientationPriseEnCharge, Source: "personne"})
	}
	token, err := svc.CreatePartnerLink(ctx, actor, id, maillon.DefaultLinkDays)
	if err != nil {
		return err
	}
	if a, ok := answer[outcome]; ok {
		return svc.AnswerPartnerLink(ctx, token, a, "demo")
	}
	return nil // the link waits for the partner
}
