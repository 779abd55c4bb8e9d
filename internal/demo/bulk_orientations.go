package demo

import (
	"context"
	"strings"
	"time"

	"maillon"
)

// The large scale's orientations: about one and a half per person of the
// network (300,000 for 200,000 people), so that the orientation list and
// the figures per partner are measured on two years of a busy network.
// Nominative ones go to people who agreed to share (the "partage" consent,
// from the day it was given); the others are anonymous, as most
// orientations made at a reception desk or in the street are.

const (
	// orientationsPerTwoPeople is the number of orientations for two
	// people of the network.
	orientationsPerTwoPeople = 3
	orientationBatchSize     = 10_000
)

// bulkPartner is a partner service of a network structure and the
// reasons people are sent to it.
type bulkPartner struct {
	name, contact string
	reasons       []string
}

// bulkPartners lists the partners of a network structure: the local
// offices of the territory and the associations.
func bulkPartners(net *network) []bulkPartner {
	commune := "Lyon"
	if len(net.communes) > 0 {
		commune = net.communes[0].name
	}
	return []bulkPartner{
		{"CAF du Rhône – accueil de " + commune, "accueil@caf.exemple.fr",
			[]string{"Ouverture des droits et rappel de prestations", "Révision de l'aide au logement", "Prime d'activité bloquée"}},
		{"CCAS de " + commune, "04 72 00 10 01", []string{"Aide d'urgence et domiciliation", "Aide alimentaire ponctuelle"}},
		{"CPAM du Rhône", "accueil@cpam.exemple.fr", []string{"Complémentaire santé solidaire", "Carte Vitale et affiliation"}},
		{"France Travail – agence de " + commune, "04 72 00 10 02", []string{"Inscription et actualisation", "Accompagnement vers l'emploi"}},
		{"Mission locale Lyon Centre", "conseillers@missionlocale.exemple.fr", []string{"Accompagnement vers l'emploi d'un jeune", "Contrat d'engagement jeune"}},
		{"Point Justice de " + commune, "04 72 00 10 03", []string{"Conseil juridique sur un litige de logement", "Droit de la famille"}},
		{"Maison France Services de " + commune, "franceservices@exemple.fr", []string{"Démarche ANTS à finaliser sur place", "Déclaration de revenus"}},
		{"Maison de la Métropole (service social)", "mdm@exemple.fr", []string{"Accompagnement social global", "Dossier FSL (impayés de loyer)"}},
		{"ADIL du Rhône", "04 72 00 10 04", []string{"Information sur un bail ou un préavis", "Recours DALO"}},
		{"CIDFF du Rhône", "contact@cidff.exemple.fr", []string{"Information sur les droits des femmes", "Violences conjugales : accompagnement"}},
		{"Centre médico-psychologique", "04 72 00 10 05", []string{"Premier rendez-vous de soin psychique"}},
		{"Centre social des Terrasses", "accueil@cs-terrasses.exemple.fr", []string{"Atelier numérique", "Cours de français"}},
		{"Épicerie solidaire du quartier", "06 00 00 10 06", []string{"Accès à l'aide alimentaire"}},
		{"Secours populaire – comité local", "06 00 00 10 07", []string{"Aide alimentaire et vestimentaire"}},
		{"Bailleur social – agence Sud", "agence.sud@bailleur.exemple.fr", []string{"Trouble de voisinage", "Plan d'apurement de la dette locative"}},
		{"Point Conseil Budget", "pcb@exemple.fr", []string{"Dossier de surendettement", "Budget et impayés d'énergie"}},
		{"Écrivain public de la mairie", "04 72 00 10 08", []string{"Courrier de recours"}},
		{"PMI de " + commune, "04 72 00 10 09", []string{"Suivi de la grossesse et du nourrisson"}},
	}
}

// respell writes a partner's name the way a hurried colleague does: the
// figures group the spellings (partner_key).
func (b *bulkGen) respell(name string) string {
	switch b.rnd.IntN(40) {
	case 0:
		return strings.ToLower(name)
	case 1:
		return strings.ReplaceAll(name, " – ", " - ")
	}
	return name
}

// importOrientations draws the orientations of the structure's people and
// imports them; it runs after importPeople, which set the people's IDs.
func (b *bulkGen) importOrientations(ctx context.Context, op maillon.Actor) error {
	partners := bulkPartners(b.net)
	total := (len(b.people)*orientationsPerTwoPeople + 1) / 2
	return pipeline(func(emit func([]maillon.ImportOrientation) error) error {
		var cur []maillon.ImportOrientation
		add := func(o maillon.ImportOrientation) error {
			cur = append(cur, o)
			if len(cur) == orientationBatchSize {
				err := emit(cur)
				cur = nil
				return err
			}
			return nil
		}
		made := 0
		// Nominative: one to three for each person who agreed to share,
		// on days they were met once the consent was given.
		for _, p := range b.people {
			if p.sharesFrom <= 0 || made >= total {
				continue
			}
			for k := b.weightedInt(1, 50, 2, 30, 3, 20); k > 0 && made < total; k-- {
				d := p.days[b.between(p.sharesFrom, len(p.days)-1)]
				if err := add(b.orientation(partners, p, d)); err != nil {
					return err
				}
				made++
			}
		}
		for ; made < total; made++ {
			if err := add(b.orientation(partners, nil, b.rnd.IntN(len(b.days)))); err != nil {
				return err
			}
		}
		if len(cur) > 0 {
			return emit(cur)
		}
		return nil
	}, func(batch []maillon.ImportOrientation) error {
		if err := b.imp.ImportOrientations(ctx, op, batch); err != nil {
			return err
		}
		b.sum.Orientations += len(batch)
		return nil
	})
}

// orientation draws one orientation made on working day d, for p or
// anonymous (p nil), and what came of it by now.
func (b *bulkGen) orientation(partners []bulkPartner, p *bulkPerson, d int) maillon.ImportOrientation {
	partner := pick(b.world, partners)
	author := pick(b.world, b.net.members)
	o := maillon.Orientation{StructureID: b.net.st.ID, PartnerName: b.respell(partner.name), PartnerContact: partner.contact,
		Reason: pick(b.world, partner.reasons), Mode: pick(b.world, maillon.OrientationModes).Code,
		Status: maillon.OrientationProposee}
	if p != nil {
		o.PersonID = p.id
		author = b.author(p.plan)
		o.SharedItems = []string{"identite"}
		if b.chance(50) {
			o.SharedItems = append(o.SharedItems, "coordonnees")
		}
	}
	if b.chance(55) {
		o.SharedItems = append(o.SharedItems, "situation")
		o.SharedText = "Démarche commencée avec la médiation ; la personne a ses justificatifs et une pièce d'identité."
	}
	o.CreatedBy = author.user.ID
	o.CreatedAt = b.days[d].Add(time.Duration(b.between(9*60, 17*60+30)) * time.Minute)
	if b.chance(75) {
		o.ExpectedOn = day(o.CreatedAt.AddDate(0, 0, b.between(7, 21)))
	}
	out := maillon.ImportOrientation{Orientation: o}
	ob := &out.Orientation
	now := b.now
	// Most are passed on to the partner within two days; the others wait
	// for the person to make the contact.
	from := ob.CreatedAt
	// Of the last month's, some are still proposées: the person has not
	// made the contact yet (and the network's list always shows some).
	if now.Sub(ob.CreatedAt) < 30*24*time.Hour && b.chance(30) {
		return out
	}
	if b.chance(90) {
		if tr := ob.CreatedAt.Add(time.Duration(b.between(0, 48*60)) * time.Minute); tr.Before(now) {
			ob.Status, ob.TransmittedAt, from = maillon.OrientationTransmise, tr, tr
		}
	}
	var link *maillon.PartnerLink
	if ob.Status == maillon.OrientationTransmise && b.chance(35) {
		link = &maillon.PartnerLink{CreatedAt: ob.TransmittedAt, ExpiresAt: ob.TransmittedAt.AddDate(0, 0, maillon.DefaultLinkDays),
			CreatedBy: author.user.ID}
		out.Link = link
	}
	fate := b.weighted(maillon.OrientationPriseEnCharge, 55, maillon.OrientationRefusee, 12, maillon.OrientationSansSuite, 18, "", 15)
	at := from.Add(time.Duration(b.between(2*24*60, 45*24*60)) * time.Minute)
	if fate == "" && now.Sub(from) > 90*24*time.Hour {
		// Nobody leaves an orientation open for months: the mediator
		// closes it.
		fate, at = maillon.OrientationSansSuite, from.AddDate(0, 0, b.between(60, 90))
	}
	if fate == "" || !at.Before(now) {
		return out
	}
	ob.Status, ob.OutcomeAt = fate, at
	switch {
	case link != nil && at.Before(link.ExpiresAt) && b.chance(60):
		ob.OutcomeSource = "partenaire_lien"
	case ob.TransmittedAt.IsZero():
		ob.OutcomeSource = b.weighted("personne", 70, "mediation", 30)
	default:
		ob.OutcomeSource = b.weighted("partenaire", 40, "personne", 35, "mediation", 25)
	}
	switch fate {
	case maillon.OrientationRefusee:
		ob.ClosureReason = b.weighted("hors_criteres", 40, "complet", 25, "deja_suivie", 15, "mauvaise_adresse", 12, "autre", 8)
	case maillon.OrientationSansSuite:
		ob.ClosureReason = b.weighted("non_venue", 45, "renoncement", 20, "injoignable", 30, "autre", 5)
		if ob.OutcomeSource == "partenaire_lien" {
			ob.ClosureReason = "non_venue" // the partner's page answers only that
		}
	}
	if ob.ClosureReason == "autre" {
		ob.ClosureText = pick(b.world, []string{"Relève d'un autre département", "Demande déjà traitée ailleurs", "Déménagement de la personne"})
	}
	if link != nil {
		if ob.OutcomeSource == "partenaire_lien" {
			link.UsedAt = at
		} else {
			link.RevokedAt = at // a final status ends the link
		}
	}
	return out
}
