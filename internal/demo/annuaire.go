package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"maillon"
)

// The partner directory of the demo: about 150 fictional structures and
// 400 services in the communes around the demo territory, built as a
// data·inclusion dataset and loaded through the domain's import like a
// file, then given contacts, relations and verifications through the
// services. DirectoryDataset draws the same kind of entries at any size
// for the benchmarks (100,000 services).

// dirCommune is a commune of the demo directory with its centre.
type dirCommune struct {
	insee, postal, name string
	lat, lon            float64
}

var dirCommunes = []dirCommune{
	{"69259", "69200", "Vénissieux", 45.6975, 4.8867},
	{"69199", "69190", "Saint-Fons", 45.7086, 4.8533},
	{"69290", "69800", "Saint-Priest", 45.6960, 4.9440},
	{"69029", "69500", "Bron", 45.7386, 4.9131},
	{"69273", "69960", "Corbas", 45.6681, 4.9019},
	{"69276", "69320", "Feyzin", 45.6728, 4.8589},
	{"69283", "69780", "Mions", 45.6631, 4.9533},
	{"69388", "69008", "Lyon 8e Arrondissement", 45.7347, 4.8694},
	{"69387", "69007", "Lyon 7e Arrondissement", 45.7457, 4.8421},
}

// dirKind is a kind of partner structure and the services it offers.
type dirKind struct {
	name     string // the structure's name pattern, %s the commune
	reseau   string // a réseau porteur, or ""
	hours    string
	services []dirServiceTemplate
}

type dirServiceTemplate struct {
	nom, description, typ, frais string
	thematiques, publics         []string
	accueil, mobilisation        []string
}

var (
	allPublics = []string{"tous-publics"}
	presentiel = []string{"en-presentiel"}
	both       = []string{"en-presentiel", "a-distance"}
)

var dirKinds = []dirKind{
	{"CCAS de %s", "ccas-cias", "Mo-Fr 08:30-12:00,13:30-17:00; PH off", []dirServiceTemplate{
		{"Aide sociale facultative", "Secours d'urgence, aides ponctuelles pour l'énergie ou la cantine, sur rendez-vous avec un travailleur social.", "aide-financiere", "gratuit",
			[]string{"difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere"}, allPublics, presentiel, []string{"telephoner", "se-presenter"}},
		{"Domiciliation administrative", "Adresse postale pour les personnes sans domicile stable, retrait du courrier aux heures d'ouverture.", "accompagnement", "gratuit",
			[]string{"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"}, []string{"personnes-en-situation-durgence"}, presentiel, []string{"se-presenter"}},
		{"Instruction des demandes de RSA", "Dépôt et suivi des demandes de RSA, orientation vers le référent de parcours.", "accompagnement", "gratuit",
			[]string{"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"}, []string{"beneficiaires-des-minimas-sociaux"}, presentiel, []string{"telephoner"}},
	}},
	{"Centre social %s", "fcsf", "Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00", []dirServiceTemplate{
		{"Atelier numérique", "Apprendre à utiliser un ordinateur, sa messagerie et les sites des administrations, en petits groupes.", "formation", "gratuit",
			[]string{"numerique--maitriser-les-fondamentaux-du-numerique", "numerique--acceder-a-des-services-en-ligne"}, allPublics, presentiel, []string{"se-presenter", "telephoner"}},
		{"Permanence écrivain public", "Aide à la rédaction de courriers administratifs et à la compréhension des documents reçus.", "accompagnement", "gratuit",
			[]string{"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"}, allPublics, presentiel, []string{"se-presenter"}},
		{"Soutien à la parentalité", "Rencontres entre parents, accompagnement à la scolarité et sorties familiales.", "atelier", "payant",
			[]string{"famille--soutien-a-la-parentalite-et-a-leducation"}, []string{"familles"}, presentiel, []string{"se-presenter", "telephoner"}},
	}},
	{"Espace France services de %s", "france-service", "Mo-Fr 09:00-12:30,13:30-17:00", []dirServiceTemplate{
		{"Accompagnement aux démarches en ligne", "Aide pour les démarches CAF, CPAM, retraite, impôts, ANTS et France Travail, avec un conseiller formé.", "accompagnement", "gratuit",
			[]string{"numerique--acceder-a-des-services-en-ligne", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"}, allPublics, both, []string{"telephoner", "se-presenter"}},
		{"Point numérique en libre accès", "Ordinateurs, imprimante et scanner en libre accès pour les démarches administratives.", "information", "gratuit",
			[]string{"numerique--acceder-a-une-connexion-internet"}, allPublics, presentiel, []string{"se-presenter"}},
	}},
	{"Mission locale antenne de %s", "mission-locale", "Mo-Fr 09:00-12:00,13:30-17:30", []dirServiceTemplate{
		{"Accompagnement des jeunes vers l'emploi", "Un conseiller suit le jeune de 16 à 25 ans dans son projet : formation, emploi, logement, santé.", "accompagnement", "gratuit",
			[]string{"trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs", "choisir-un-metier--identifier-ses-points-forts-et-ses-competences"}, []string{"jeunes"}, presentiel, []string{"telephoner", "envoyer-un-courriel"}},
		{"Contrat d'engagement jeune", "Parcours intensif de 15 à 20 heures par semaine avec une allocation selon les ressources.", "accompagnement", "gratuit",
			[]string{"trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs"}, []string{"jeunes"}, presentiel, []string{"telephoner"}},
	}},
	{"Épicerie solidaire de %s", "", "Tu,Th 14:00-18:00; Sa 09:00-12:00", []dirServiceTemplate{
		{"Épicerie à petits prix", "Produits alimentaires et d'hygiène à 10 à 30 % du prix, sur orientation d'un travailleur social.", "aide-materielle", "payant",
			[]string{"equipement-et-alimentation--alimentation"}, []string{"familles", "beneficiaires-des-minimas-sociaux"}, presentiel, []string{"telephoner"}},
	}},
	{"Restos solidaires %s", "", "Mo,We,Fr 09:30-11:30", []dirServiceTemplate{
		{"Distribution de colis alimentaires", "Colis hebdomadaires sur inscription, selon le reste à vivre du foyer.", "aide-materielle", "gratuit",
			[]string{"equipement-et-alimentation--alimentation"}, allPublics, presentiel, []string{"se-presenter"}},
		{"Vestiaire solidaire", "Vêtements pour enfants et adultes, à petit prix ou gratuits sur orientation.", "aide-materielle", "gratuit",
			[]string{"equipement-et-alimentation--habillement"}, allPublics, presentiel, []string{"se-presenter"}},
	}},
	{"Point justice de %s", "", "Tu,Th 09:00-12:00", []dirServiceTemplate{
		{"Consultation juridique gratuite", "Un avocat ou un juriste informe sur vos droits : logement, famille, travail, dettes.", "information", "gratuit",
			[]string{"difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire"}, allPublics, presentiel, []string{"telephoner"}},
	}},
	{"Association Logis Solidaire %s", "", "Mo-Fr 09:00-17:00", []dirServiceTemplate{
		{"Prévention des expulsions", "Accompagnement des locataires en impayés de loyer : plan d'apurement, FSL, lien avec le bailleur.", "accompagnement", "gratuit",
			[]string{"logement-hebergement--reduire-les-impayes-de-loyer", "logement-hebergement--se-maintenir-dans-le-logement"}, allPublics, presentiel, []string{"telephoner", "envoyer-un-courriel"}},
		{"Aide à la recherche de logement", "Constitution du dossier de demande de logement social et suivi auprès des bailleurs.", "accompagnement", "gratuit",
			[]string{"logement-hebergement--louer-un-logement"}, allPublics, presentiel, []string{"telephoner"}},
	}},
	{"Centre médico-social de %s", "", "Mo-Fr 08:30-12:00,13:30-17:00", []dirServiceTemplate{
		{"Permanence d'assistante sociale", "Accueil, écoute et accompagnement social global, sur rendez-vous.", "accompagnement", "gratuit",
			[]string{"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"}, allPublics, presentiel, []string{"telephoner"}},
		{"Consultation PMI", "Suivi médical des enfants de 0 à 6 ans et accompagnement des futurs parents.", "accompagnement", "gratuit",
			[]string{"famille--soutien-a-la-parentalite-et-a-leducation"}, []string{"familles"}, presentiel, []string{"telephoner"}},
	}},
	{"Atelier mobilité %s", "", "Mo-Th 09:00-17:00", []dirServiceTemplate{
		{"Location solidaire de vélos et scooters", "Location à petit prix pour se rendre au travail ou en formation, sur prescription.", "aide-materielle", "payant",
			[]string{"mobilite--acceder-a-un-vehicule"}, []string{"demandeurs-emploi"}, presentiel, []string{"telephoner", "envoyer-un-courriel"}},
		{"Code de la route accompagné", "Préparation au code en groupe pour les personnes en insertion.", "formation", "payant",
			[]string{"mobilite--preparer-un-permis"}, allPublics, presentiel, []string{"telephoner"}},
	}},
	{"Maison des femmes de %s", "cidff", "Mo-Fr 09:00-17:00", []dirServiceTemplate{
		{"Écoute et accompagnement des victimes de violences", "Accueil confidentiel, information juridique et orientation vers un hébergement si besoin.", "accompagnement", "gratuit",
			[]string{"famille--surmonter-conflits-separation-violence"}, []string{"femmes"}, both, []string{"telephoner", "se-presenter"}},
	}},
	{"Cours de français %s", "", "Mo,Tu,Th 14:00-16:00", []dirServiceTemplate{
		{"Ateliers sociolinguistiques", "Apprendre le français de la vie quotidienne : rendez-vous médicaux, école, administrations.", "formation", "gratuit",
			[]string{"lecture-ecriture-calcul--maitriser-le-francais"}, allPublics, presentiel, []string{"se-presenter"}},
	}},
}

// dirStreets make the addresses.
var dirStreets = []string{"rue Gabriel Péri", "avenue Jean Jaurès", "rue Paul Bert", "place Léon Sublet", "rue de la République",
	"boulevard Ambroise Croizat", "rue Victor Hugo", "chemin des Vergers", "rue du Moulin", "avenue de la Division Leclerc"}

// dirRoles are the contacts' roles.
var dirRoles = []string{"Directrice", "Coordinateur", "Travailleuse sociale", "Chargé d'accueil", "Conseillère", "Responsable de l'antenne"}

// directoryRows draws n structures and their services (about 2.7 each)
// with date_maj spread over 20 months before today. maxServices caps the
// services (0: no cap).
func directoryRows(rnd *rand.Rand, structures int, maxServices int, today time.Time) *maillon.DirectoryDataset {
	ds := &maillon.DirectoryDataset{}
	for i := 0; i < structures; i++ {
		c := dirCommunes[i%len(dirCommunes)]
		k := dirKinds[(i/len(dirCommunes)+i)%len(dirKinds)]
		nom := fmt.Sprintf(k.name, c.name)
		if i >= len(dirCommunes)*len(dirKinds) {
			nom += " – site " + strconv.Itoa(i/(len(dirCommunes)*len(dirKinds))+1)
		}
		lat, lon := c.lat+(rnd.Float64()-0.5)*0.03, c.lon+(rnd.Float64()-0.5)*0.04
		maj := today.AddDate(0, -rnd.IntN(20), -rnd.IntN(28))
		sid := "demo--" + strconv.Itoa(i+1)
		st := maillon.DirectoryStructure{Source: "demo", DIID: sid, Nom: nom,
			Telephone: fmt.Sprintf("04 7%d %02d %02d %02d", 2+i%2, rnd.IntN(100), rnd.IntN(100), rnd.IntN(100)),
			Courriel:  fmt.Sprintf("contact%d@partenaire.exemple.fr", i+1), HorairesAccueil: k.hours,
			Description: "Structure partenaire de " + c.name + " (fictive, jeu de démonstration).",
			Adresse:     fmt.Sprintf("%d %s", 1+rnd.IntN(120), dirStreets[rnd.IntN(len(dirStreets))]),
			Commune:     c.name, CodePostal: c.postal, CodeInsee: c.insee, Latitude: &lat, Longitude: &lon, DateMaj: maj}
		if k.reseau != "" {
			st.ReseauxPorteurs = []string{k.reseau}
		}
		ds.Structures = append(ds.Structures, st)
		ds.StructureLines = append(ds.StructureLines, i+1)
		// Every structure also welcomes and informs.
		templates := append(k.services[:len(k.services):len(k.services)], dirServiceTemplate{
			"Accueil, information et orientation", "Accueil sans rendez-vous pour présenter les services de la structure et orienter vers le bon interlocuteur.",
			"information", "gratuit", k.services[0].thematiques, allPublics, presentiel, []string{"se-presenter", "telephoner"}})
		for j, t := range templates {
			if maxServices > 0 && len(ds.Services) >= maxServices {
				break
			}
			sv := maillon.DirectoryService{Source: "demo", DIID: sid + "-" + strconv.Itoa(j+1), DIStructureID: sid, Nom: t.nom,
				Description: t.description, Type: t.typ, Frais: t.frais, Thematiques: t.thematiques, Publics: t.publics,
				ModesAccueil: t.accueil, ModesMobilisation: t.mobilisation, MobilisablePar: []string{"professionnels", "usagers"},
				ZoneEligibilite: []string{c.insee}, Commune: c.name, CodePostal: c.postal, CodeInsee: c.insee, Adresse: st.Adresse,
				Telephone: st.Telephone, DateMaj: maj}
			if t.frais == "payant" {
				sv.FraisPrecisions = "Participation selon les ressources."
			}
			ds.Services = append(ds.Services, sv)
			ds.ServiceLines = append(ds.ServiceLines, i+1)
		}
	}
	return ds
}

// DirectoryDataset draws a directory of about services services, for the
// benchmarks' large scale.
func DirectoryDataset(services int, seed uint64, today time.Time) *maillon.DirectoryDataset {
	rnd := rand.New(rand.NewPCG(seed, seed^0x616e6e75))
	return directoryRows(rnd, services*10/25+1, services, today)
}

// directory loads the demo directory of the main structure as its
// coordinator: 150 structures, 400 services, then contacts, relations,
// verifications and a proposal.
func (g *gen) directory(ctx context.Context, coord, mediator maillon.Actor, today time.Time) error {
	svc := g.svc.Directory
	// A generator of its own, so that the rest of the dataset does not
	// depend on the directory.
	rnd := rand.New(rand.NewPCG(0x616e6e75, 0x6169726500))
	ds := directoryRows(rnd, 150, 400, today)
	for _, s := range ds.Structures {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("demo directory %s: %w (%v)", s.Nom, err, maillon.FieldsOf(err))
		}
	}
	rep, err := svc.ImportDirectory(ctx, coord, 0, ds, nil)
	if err != nil {
		return fmt.Errorf("demo directory: %w", err)
	}
	if len(rep.Rejected) > 0 {
		return fmt.Errorf("demo directory: %d rows rejected, first: %+v", len(rep.Rejected), rep.Rejected[0])
	}
	list, _, err := svc.FindDirectoryStructures(ctx, coord, "", 0, 200)
	if err != nil {
		return err
	}
	for i, s := range list {
		if i%3 == 0 {
			first, last := firstNames[rnd.IntN(len(firstNames))], lastNames[rnd.IntN(len(lastNames))]
			if err := svc.AddDirectoryContact(ctx, coord, maillon.DirectoryContact{StructureID: s.ID, Name: first + " " + last,
				Role: dirRoles[rnd.IntN(len(dirRoles))], Phone: s.Telephone,
				Email: strings.ToLower(maillon.FoldText(first)) + ".contact@partenaire.exemple.fr"}); err != nil {
				return err
			}
		}
		if i%5 == 0 {
			day := maillon.InParis(today).AddDate(0, -rnd.IntN(10), -rnd.IntN(28)).Format("2006-01-02")
			in := maillon.DirectoryRelationInput{Kind: maillon.RelationMeeting, Title: "Rencontre de présentation des services",
				Date: day, Participants: "Médiation Sud-Est : Nadia Benali, Karim Diallo\n" + s.Nom + " : l'équipe d'accueil",
				Decisions: "Orientations par téléphone avec le nom du médiateur ; fiche de liaison commune.",
				FollowUps: "Envoyer la plaquette de la médiation ; revoir les créneaux de permanence en juin."}
			if i%15 == 0 {
				in = maillon.DirectoryRelationInput{Kind: maillon.RelationAgreement, Title: "Convention de partenariat pour les orientations",
					Date: day, EndDate: maillon.InParis(today).AddDate(1, 0, 0).Format("2006-01-02"),
					Participants: "Médiation Sud-Est ; " + s.Nom, Documents: "CONV-" + strconv.Itoa(2026) + "-" + strconv.Itoa(i+1)}
			}
			if err := svc.AddDirectoryRelation(ctx, coord, s.ID, in); err != nil {
				return err
			}
		}
		if i%4 == 0 {
			if err := svc.VerifyDirectoryStructure(ctx, coord, s.ID); err != nil {
				return err
			}
		}
	}
	if len(list) > 0 {
		if err := svc.ProposeDirectoryUpdate(ctx, mediator, list[1].ID,
			"La permanence du mardi après-midi est supprimée depuis la rentrée (vu sur place)."); err != nil {
			return err
		}
	}
	return nil
}
