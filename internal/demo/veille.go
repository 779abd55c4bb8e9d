package demo

import (
	"context"
	"fmt"

	"maillon"
)

// demoObservations are the veille sociale's observations: one or more of
// every type, written as mediators write them, without a name.
var demoObservations = []struct {
	kind, theme, source, reliability, status, text, followUp string
	daysAgo                                                  int
}{
	{"besoin", "numerique", "terrain", "verifiee", "en_suivi",
		"Beaucoup de demandes d'aide pour les démarches ANTS le samedi matin, alors qu'aucun lieu n'ouvre ce jour-là.",
		"Proposé à la Maison France Services d'ouvrir une permanence le samedi un mois sur deux.", 40},
	{"isolement", "sante", "habitant", "a_confirmer", "nouvelle",
		"Une voisine s'inquiète pour une personne âgée du bâtiment B qui ne descend plus depuis plusieurs semaines.", "", 3},
	{"tension", "voisinage", "terrain", "verifiee", "en_suivi",
		"Regroupements tardifs et bruyants devant le hall du 12, tensions avec les habitants qui rentrent du travail.",
		"Présence de l'équipe du soir renforcée le vendredi ; point avec le bailleur prévu.", 12},
	{"tendance", "budget", "partenaire", "verifiee", "close",
		"L'épicerie solidaire voit arriver davantage de jeunes actifs depuis la rentrée.",
		"Transmis au CCAS pour l'analyse des besoins sociaux.", 75},
	{"service", "droits_sociaux", "terrain", "verifiee", "nouvelle",
		"L'accueil physique de la CAF ne reçoit plus sans rendez-vous ; des personnes repartent sans réponse.", "", 9},
	{"demarche_en_ligne", "papiers", "terrain", "verifiee", "en_suivi",
		"Le dépôt des pièces sur le site de l'ANEF échoue pour les fichiers de plus de 2 Mo : les personnes ne savent pas les réduire.",
		"Fiche pratique préparée pour l'équipe ; signalé dans la remontée trimestrielle.", 28},
	{"risque_en_ligne", "education", "reseaux", "a_confirmer", "nouvelle",
		"Une rumeur circule parmi les collégiens sur une « descente » prévue entre deux quartiers.", "", 1},
	{"besoin", "mobilite", "habitant", "a_confirmer", "nouvelle",
		"Pas de bus après 21 h vers la zone d'activités : des personnes renoncent à des emplois du soir.", "", 20},
}

// demoRisks are public online risks seen by the team, none with a profile.
var demoRisks = []struct {
	platform, category, public, seriousness, status, text string
	minors                                                bool
	actions                                               []string
	daysAgo                                               int
}{
	{"snapchat", "cyberharcelement", "mineurs", "3", "signale",
		"Vidéo humiliante d'un élève de 4e partagée dans un groupe de classe.", true, nil, 1},
	{"tiktok", "rumeur", "jeunes", "2", "en_cours",
		"Rumeur d'un enlèvement près de la gare, reprise par plusieurs comptes du secteur.", false, []string{"partenaire"}, 6},
	{"instagram", "appel_rassemblement", "habitants", "2", "clos",
		"Appel à se rassembler devant la mairie après un accident de scooter.", false, []string{"police", "partenaire"}, 30},
	{"messagerie", "violence_annoncee", "mineurs", "4", "en_cours",
		"Message annonçant une bagarre à la sortie du collège vendredi.", true, []string{"3018", "etablissement", "police", "parents"}, 4},
}

// demoTech are technical reports with their fate: days to acknowledgement
// and to resolution after the report, -1 when not yet.
var demoTech = []struct {
	category, location, text, partner, kind string
	daysAgo, ack, res                       int
}{
	{"ascenseur", "Bâtiment C, 12 avenue des Tilleuls", "Ascenseur en panne, des personnes âgées bloquées au 9e étage.", "Lyon Métropole Habitat", "bailleur", 45, 1, 12},
	{"eclairage", "Allée des Roses", "Trois lampadaires éteints sur le chemin de l'école.", "Mairie de Vénissieux", "mairie", 30, 4, 16},
	{"proprete", "Square central", "Dépôts sauvages d'encombrants près des jeux d'enfants.", "Mairie de Vénissieux", "mairie", 10, 2, -1},
	{"securite", "Arrêt Minguettes – Léo Lagrange", "Abri de bus vandalisé, vitres brisées au sol.", "TCL – Keolis Lyon", "transport", 8, 3, 5},
	{"degradation", "Hall du 5 rue Gambetta", "Porte d'entrée forcée, interphone arraché.", "Lyon Métropole Habitat", "bailleur", 20, 6, -1},
	{"ascenseur", "Tour 4, place du Marché", "Ascenseur à l'arrêt depuis le week-end.", "Lyon Métropole Habitat", "bailleur", 3, -1, -1},
	{"eclairage", "Passage sous la voie ferrée", "Éclairage du passage piéton hors service.", "SNCF Réseau", "autre", 60, 10, 35},
	{"proprete", "Parking de la résidence Les Acacias", "Conteneurs à ordures non vidés depuis une semaine.", "Alliade Habitat", "bailleur", 15, -1, -1},
}

// veille adds the veille sociale of the main structure, through the
// services: observations of every type, risk reports, technical reports
// at every status with their delays, and one remontées report.
func (g *gen) veille(ctx context.Context, w *world) error {
	svc := g.svc.Veille
	coord := w.coord.actor
	mediators := []*member{w.members["karim"], w.members["sophie"], w.members["yacine"], w.members["moussa"]}
	day := func(ago int) string { return w.today.AddDate(0, 0, -ago).Format("2006-01-02") }
	var zones []maillon.ZoneID
	for _, c := range w.communes {
		for _, z := range c.zones {
			zones = append(zones, z.id)
		}
	}
	for i, d := range demoObservations {
		in := maillon.VeilleObservationInput{ObservedOn: day(d.daysAgo), Theme: d.theme, Kind: d.kind, Description: d.text,
			Source: d.source, Reliability: d.reliability}
		if len(zones) > 0 && i%3 != 2 {
			in.ZoneID = zones[i%len(zones)]
		}
		o, err := svc.CreateObservation(ctx, mediators[i%len(mediators)].actor, in)
		if err != nil {
			return fmt.Errorf("demo observation %d: %w", i, err)
		}
		if d.status == "nouvelle" {
			continue
		}
		in.Status, in.FollowUp = "en_suivi", d.followUp
		if err := svc.UpdateObservation(ctx, coord, o.ID, in); err != nil {
			return fmt.Errorf("demo observation %d follow-up: %w", i, err)
		}
		if d.status == "close" {
			in.Status = "close"
			if err := svc.UpdateObservation(ctx, coord, o.ID, in); err != nil {
				return fmt.Errorf("demo observation %d closing: %w", i, err)
			}
		}
	}
	for i, d := range demoRisks {
		r, err := svc.CreateRiskReport(ctx, mediators[(i+1)%len(mediators)].actor, maillon.RiskReportInput{SeenOn: day(d.daysAgo),
			Platform: d.platform, Category: d.category, Seriousness: d.seriousness, Public: d.public, MinorsInvolved: d.minors,
			Description: d.text})
		if err != nil {
			return fmt.Errorf("demo risk %d: %w", i, err)
		}
		for _, status := range []string{"en_cours", "clos"} {
			if d.status == "signale" || (status == "clos" && d.status != "clos") {
				break
			}
			if err := svc.SetRiskReportStatus(ctx, coord, r.ID, maillon.RiskStatusInput{Status: status, Actions: d.actions}); err != nil {
				return fmt.Errorf("demo risk %d status: %w", i, err)
			}
		}
	}
	for i, d := range demoTech {
		in := maillon.TechReportInput{Category: d.category, Location: d.location, Description: d.text, PartnerName: d.partner,
			PartnerKind: d.kind, ReportedOn: day(d.daysAgo)}
		if len(zones) > 0 {
			in.ZoneID = zones[(i+1)%len(zones)]
		}
		r, err := svc.CreateTechReport(ctx, mediators[i%len(mediators)].actor, in)
		if err != nil {
			return fmt.Errorf("demo technical report %d: %w", i, err)
		}
		if d.ack >= 0 {
			if err := svc.SetTechReportStatus(ctx, coord, r.ID, maillon.TechStatusInput{Status: "pris_en_compte", On: day(d.daysAgo - d.ack)}); err != nil {
				return fmt.Errorf("demo technical report %d acknowledged: %w", i, err)
			}
		}
		if d.res >= 0 {
			if err := svc.SetTechReportStatus(ctx, coord, r.ID, maillon.TechStatusInput{Status: "resolu", On: day(d.daysAgo - d.res),
				Note: "Constaté réparé lors de la tournée."}); err != nil {
				return fmt.Errorf("demo technical report %d resolved: %w", i, err)
			}
		}
	}
	// The quarterly report to the CAF, over the last three months.
	from := w.today.AddDate(0, -3, 0)
	if _, err := svc.CreateRemonteeReport(ctx, coord, maillon.RemonteeReportInput{
		RemonteeFilter: maillon.RemonteeFilter{From: from.Format("2006-01-02"), To: w.today.AddDate(0, 0, -1).Format("2006-01-02"), Organisme: "caf"},
		Comment: "L'identification (FranceConnect, code perdu) reste le premier obstacle des démarches CAF accompagnées. " +
			"Nous demandons un interlocuteur dédié pour débloquer les comptes et le retour de l'accueil sans rendez-vous un matin par semaine.",
	}); err != nil {
		return fmt.Errorf("demo remontée: %w", err)
	}
	return nil
}
