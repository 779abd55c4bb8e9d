package demo

import "strings"

// Texts of the demo records. They follow the wording a structure would
// ask of its mediators: facts, no judgement, nothing unrelated to the
// accompaniment (CNIL délibération 2021-028), no names in descriptions.

// need is a reason to be accompanied, tied to a procedure of the
// catalogue (or to a free label with organisme "autre"), with the texts of
// each step of its accompaniment.
type need struct {
	key       string
	organisme string
	typ       string // label of the catalogue entry (DefaultProcedureTypes)
	label     string // free text when the catalogue has no entry
	channel   string // usual channel when not online
	online    bool
	themes    []string
	inst      string // institution concerned
	docs      string // documents to bring
	prepare   []string
	do        []string
	follow    []string
	next      []string
	mediate   []string // médiation personne ↔ institution (W2), optional
	eligible  func(p *personPlan) bool
	weight    int
}

func anyone(p *personPlan) bool { return true }

var needs = []*need{
	{key: "caf-prime", organisme: "caf", typ: "Prime d'activité", online: true, themes: []string{"droits_sociaux"}, inst: "CAF",
		docs: "Bulletins de salaire des trois derniers mois",
		prepare: []string{"Simulation de la prime d'activité sur caf.fr avec la personne : un droit semble ouvert. Liste des pièces remise.",
			"Explication du calcul de la prime d'activité et des déclarations trimestrielles ; la personne apportera ses bulletins de salaire."},
		do: []string{"Demande de prime d'activité déposée en ligne ; la personne a saisi elle-même ses ressources, relecture faite ensemble.",
			"Demande de prime d'activité faite ensemble sur l'application de la CAF, depuis le téléphone de la personne."},
		follow: []string{"Point de suivi : la CAF a notifié le droit, premier versement annoncé pour le mois prochain.",
			"Suivi : la demande est toujours en cours d'instruction à la CAF, rien à faire pour l'instant."},
		next:     []string{"Vérifier la réponse de la CAF dans l'espace en ligne", "Faire la première déclaration trimestrielle ensemble"},
		eligible: func(p *personPlan) bool { return p.in.Activity == "emploi" }, weight: 6},
	{key: "caf-logement", organisme: "caf", typ: "Aide au logement", online: true, themes: []string{"logement", "droits_sociaux"}, inst: "CAF",
		docs: "Bail signé, attestation de loyer remplie par le bailleur, RIB",
		prepare: []string{"Explication de l'aide au logement et de ses conditions ; l'attestation de loyer est à faire remplir par le bailleur.",
			"Vérification des pièces pour la demande d'aide au logement : il manque l'attestation de loyer."},
		do: []string{"Demande d'aide au logement saisie sur caf.fr ; bail et RIB numérisés avec le téléphone de la personne.",
			"Demande d'aide au logement complétée ensemble ; l'attestation de loyer du bailleur a été jointe."},
		follow: []string{"La CAF demande une pièce complémentaire (avis d'imposition) : envoi fait ensemble depuis l'espace en ligne.",
			"Point de suivi : l'aide au logement est accordée et versée directement au bailleur."},
		next: []string{"Vérifier la notification de l'aide au logement", "Envoyer la pièce demandée par la CAF"},
		mediate: []string{"Appel à la CAF avec la personne pour comprendre la suspension de l'aide au logement : un justificatif manquait, il est transmis le jour même.",
			"Échange avec la conseillère de la CAF au sujet d'un trop-perçu d'aide au logement : l'origine de la dette est expliquée, une demande de remise de dette est préparée."},
		eligible: func(p *personPlan) bool { return p.in.Housing == "prive" || p.in.Housing == "social" }, weight: 7},
	{key: "caf-trimestrielle", organisme: "caf", typ: "Déclaration trimestrielle", online: true, themes: []string{"droits_sociaux"}, inst: "CAF",
		docs: "Montants des ressources des trois derniers mois",
		do: []string{"Déclaration trimestrielle de ressources faite en ligne ; la personne a retrouvé seule le bon menu.",
			"Déclaration trimestrielle faite ensemble sur l'application de la CAF ; explication de la rubrique des revenus du conjoint."},
		follow: []string{"Suivi : la déclaration a bien été prise en compte, le versement est maintenu."},
		next:   []string{"Prochaine déclaration trimestrielle à faire"},
		eligible: func(p *personPlan) bool {
			return p.in.Activity == "recherche" || p.in.Activity == "sans_activite"
		}, weight: 5},
	{key: "caf-rsa", organisme: "caf", typ: "Demande de RSA", online: true, themes: []string{"droits_sociaux"}, inst: "CAF",
		docs: "Pièce d'identité, RIB, justificatifs de ressources des trois derniers mois",
		prepare: []string{"Information sur le RSA et ses conditions ; simulation faite : un droit est possible.",
			"Point sur les ressources du foyer avant la demande de RSA ; la personne apportera ses justificatifs."},
		do:     []string{"Demande de RSA déposée en ligne avec la personne ; un rendez-vous d'orientation avec le Département suivra."},
		follow: []string{"La personne a reçu la convocation du Département pour son orientation RSA ; lecture du courrier ensemble."},
		next:   []string{"Vérifier l'ouverture du droit au RSA", "Préparer le rendez-vous d'orientation RSA"},
		eligible: func(p *personPlan) bool {
			return (p.in.Activity == "recherche" || p.in.Activity == "sans_activite") && p.age >= 25 && p.age < 65
		}, weight: 5},
	{key: "caf-compte", organisme: "caf", typ: "Création du compte en ligne", online: true, themes: []string{"droits_sociaux", "numerique"}, inst: "CAF",
		docs: "Numéro d'allocataire, téléphone portable",
		do: []string{"Création du compte en ligne caf.fr avec la personne ; elle a choisi son mot de passe et le garde elle-même.",
			"Accès au compte CAF rétabli : réinitialisation du mot de passe faite par la personne, guidée pas à pas."},
		follow:   []string{"La personne s'est connectée seule à son compte CAF pour consulter ses paiements."},
		next:     []string{"Vérifier que la personne se connecte seule à son compte"},
		eligible: anyone, weight: 4},
	{key: "cpam-css", organisme: "cpam", typ: "Complémentaire santé solidaire", online: true, themes: []string{"sante", "droits_sociaux"}, inst: "CPAM",
		docs: "Avis d'imposition, ressources des douze derniers mois",
		prepare: []string{"Vérification des ressources des douze derniers mois : la personne semble pouvoir bénéficier de la complémentaire santé solidaire sans participation.",
			"Information sur la complémentaire santé solidaire ; la personne n'avait pas demandé le renouvellement."},
		do:     []string{"Demande de complémentaire santé solidaire faite en ligne depuis le compte ameli de la personne."},
		follow: []string{"L'attestation de complémentaire santé solidaire est disponible ; la personne l'a téléchargée seule depuis son compte."},
		next:   []string{"Vérifier l'attestation de complémentaire santé solidaire"},
		mediate: []string{"Appel à la CPAM avec la personne : le dossier de complémentaire santé solidaire était incomplet sans qu'elle le sache ; la pièce manquante est envoyée.",
			"Échange avec la conseillère de la CPAM, à l'accueil, au sujet de droits fermés à tort : la situation est rétablie, une attestation est remise à la personne."},
		eligible: anyone, weight: 6},
	{key: "cpam-vitale", organisme: "cpam", typ: "Carte Vitale", online: true, themes: []string{"sante"}, inst: "CPAM",
		docs:     "Photo d'identité, pièce d'identité",
		do:       []string{"Commande de la carte Vitale depuis le compte ameli ; photo prise et envoyée avec le smartphone de la personne."},
		follow:   []string{"La carte Vitale est arrivée ; mise à jour faite en pharmacie par la personne."},
		next:     []string{"Vérifier la réception de la carte Vitale"},
		eligible: anyone, weight: 3},
	{key: "cpam-ameli", organisme: "cpam", typ: "Création du compte ameli", online: true, themes: []string{"sante", "numerique"}, inst: "CPAM",
		docs:     "Carte Vitale, RIB, téléphone portable",
		prepare:  []string{"Demande du code provisoire ameli : il arrivera par courrier sous quelques jours."},
		do:       []string{"Création du compte ameli avec le code provisoire reçu par courrier ; la personne a choisi son mot de passe."},
		follow:   []string{"La personne a téléchargé seule une attestation de droits depuis son compte ameli."},
		next:     []string{"Créer le compte ameli avec le code reçu"},
		eligible: anyone, weight: 4},
	{key: "cpam-medecin", organisme: "cpam", typ: "Déclaration de médecin traitant", channel: "telephone", themes: []string{"sante"}, inst: "CPAM",
		do:       []string{"Recherche d'un médecin traitant acceptant de nouveaux patients ; trois cabinets appelés avec la personne, un rendez-vous est pris."},
		follow:   []string{"La déclaration de médecin traitant a été faite par le médecin lors du premier rendez-vous."},
		next:     []string{"Vérifier la déclaration de médecin traitant"},
		eligible: anyone, weight: 2},
	{key: "ft-inscription", organisme: "france_travail", typ: "Inscription", online: true, themes: []string{"emploi", "numerique"}, inst: "France Travail",
		docs:     "CV, pièce d'identité, RIB",
		prepare:  []string{"Explication des étapes de l'inscription à France Travail ; CV mis à jour ensemble sur papier."},
		do:       []string{"Inscription à France Travail faite en ligne avec la personne ; l'agence a fixé un premier entretien."},
		follow:   []string{"Premier entretien à France Travail effectué ; la personne a reçu son identifiant et l'a noté dans son carnet."},
		next:     []string{"Préparer l'entretien à France Travail"},
		eligible: func(p *personPlan) bool { return p.in.Activity == "recherche" && p.age < 62 }, weight: 5},
	{key: "ft-actualisation", organisme: "france_travail", typ: "Actualisation mensuelle", online: true, themes: []string{"emploi"}, inst: "France Travail",
		do: []string{"Actualisation mensuelle faite sur l'application France Travail ; la personne a répondu seule aux questions.",
			"Actualisation mensuelle faite ensemble ; explication de la déclaration des heures travaillées."},
		follow:   []string{"La personne confirme s'être actualisée seule ce mois-ci."},
		next:     []string{"Actualisation du mois prochain"},
		eligible: func(p *personPlan) bool { return p.in.Activity == "recherche" }, weight: 4},
	{key: "impots-declaration", organisme: "impots", typ: "Déclaration de revenus", online: true, themes: []string{"budget", "numerique"}, inst: "Centre des finances publiques",
		docs:     "Avis d'imposition de l'an dernier, attestations de revenus",
		do:       []string{"Déclaration de revenus vérifiée et validée en ligne avec la personne ; les montants préremplis étaient justes."},
		follow:   []string{"L'avis d'imposition est disponible dans l'espace particulier ; la personne l'a imprimé à la permanence."},
		next:     []string{"Télécharger l'avis d'imposition"},
		eligible: anyone, weight: 3},
	{key: "impots-avis", organisme: "impots", typ: "Avis d'imposition", online: true, themes: []string{"budget"}, inst: "Centre des finances publiques",
		do:       []string{"Téléchargement de l'avis d'imposition depuis l'espace particulier, demandé par le bailleur."},
		next:     []string{"Transmettre l'avis d'imposition au bailleur"},
		eligible: anyone, weight: 3},
	{key: "impots-espace", organisme: "impots", typ: "Création de l'espace particulier", online: true, themes: []string{"numerique", "budget"}, inst: "Centre des finances publiques",
		docs:     "Numéro fiscal (sur un ancien avis), dernier revenu fiscal de référence",
		do:       []string{"Création de l'espace particulier sur impots.gouv.fr avec la personne ; le numéro fiscal figurait sur un ancien avis."},
		next:     []string{"Se connecter ensemble à l'espace particulier"},
		eligible: anyone, weight: 2},
	{key: "ants-cni", organisme: "ants", typ: "Carte d'identité ou passeport (pré-demande)", online: true, themes: []string{"papiers"}, inst: "Mairie (service des titres)",
		docs:     "Photo d'identité récente, justificatif de domicile de moins d'un an, ancienne carte",
		prepare:  []string{"Explication de la pré-demande en ligne et des rendez-vous en mairie pour la carte d'identité."},
		do:       []string{"Pré-demande de carte d'identité faite en ligne ; rendez-vous pris en mairie pour le dépôt et les empreintes."},
		follow:   []string{"La personne a déposé son dossier en mairie ; la carte sera disponible sous quelques semaines."},
		next:     []string{"Vérifier le dépôt du dossier en mairie"},
		eligible: func(p *personPlan) bool { return p.in.Nationality != "hors_ue" }, weight: 4},
	{key: "ants-permis", organisme: "ants", typ: "Permis de conduire", online: true, themes: []string{"papiers", "mobilite"}, inst: "ANTS",
		docs:     "Photo d'identité numérique avec code, pièce d'identité",
		do:       []string{"Demande de renouvellement du permis de conduire sur le site de l'ANTS ; photo numérique avec code obtenue en cabine."},
		follow:   []string{"La demande de permis est en cours d'instruction ; la personne suit l'avancement seule."},
		next:     []string{"Suivre la demande de permis de conduire"},
		eligible: func(p *personPlan) bool { return p.age >= 20 && p.age < 75 }, weight: 2},
	{key: "pref-renouvellement", organisme: "prefecture", typ: "Renouvellement de titre de séjour", online: true, themes: []string{"etrangers", "papiers"}, inst: "Préfecture (ANEF)",
		docs: "Passeport, titre de séjour en cours, justificatif de domicile, photos d'identité",
		prepare: []string{"Vérification de la liste des pièces pour le renouvellement du titre de séjour ; le titre expire dans deux mois.",
			"Information sur la demande de renouvellement en ligne (ANEF) et les délais ; les pièces seront numérisées à la prochaine permanence."},
		do: []string{"Demande de renouvellement déposée sur l'ANEF ; attestation de prolongation d'instruction téléchargée et imprimée pour la personne.",
			"Pièces numérisées et demande complétée sur l'ANEF ; dépôt confirmé par courriel."},
		follow: []string{"L'attestation de prolongation d'instruction a été renouvelée ; la demande est toujours en cours.",
			"La préfecture demande une pièce complémentaire ; envoi fait ensemble sur l'ANEF."},
		next:     []string{"Vérifier l'avancement de la demande sur l'ANEF", "Télécharger la nouvelle attestation de prolongation"},
		eligible: func(p *personPlan) bool { return p.in.Nationality == "hors_ue" }, weight: 8},
	{key: "pref-titre", organisme: "prefecture", typ: "Titre de séjour (ANEF)", online: true, themes: []string{"etrangers", "papiers"}, inst: "Préfecture (ANEF)",
		docs:     "Passeport, justificatif de domicile, attestation de la structure d'hébergement",
		prepare:  []string{"Point sur la situation administrative et les pièces à réunir pour une première demande de titre de séjour ; orientation juridique proposée."},
		do:       []string{"Première demande de titre de séjour déposée sur l'ANEF avec la personne ; récépissé de dépôt imprimé."},
		follow:   []string{"La demande est en instruction ; la personne a reçu une convocation pour les empreintes."},
		next:     []string{"Préparer le rendez-vous en préfecture"},
		eligible: func(p *personPlan) bool { return p.in.Nationality == "hors_ue" }, weight: 3},
	{key: "bailleur-apurement", organisme: "bailleur", typ: "Plan d'apurement", channel: "telephone", themes: []string{"logement", "budget"}, inst: "Bailleur (service recouvrement)",
		docs:    "Derniers avis d'échéance, justificatifs de ressources",
		prepare: []string{"Point sur la dette de loyer à partir des avis d'échéance ; une proposition de remboursement compatible avec le budget est préparée avec la personne."},
		do:      []string{"Appel au service recouvrement du bailleur avec la personne : un plan d'apurement de 40 € par mois est accepté, confirmation écrite attendue."},
		follow:  []string{"Le bailleur a confirmé le plan d'apurement par courrier ; les deux premières échéances sont payées."},
		next:    []string{"Vérifier la confirmation écrite du bailleur"},
		mediate: []string{"Rendez-vous à l'agence du bailleur avec la personne et la chargée de recouvrement : la situation est expliquée de part et d'autre, un plan d'apurement est signé.",
			"Échange téléphonique avec le bailleur au sujet du commandement de payer reçu : la procédure est suspendue le temps de la demande d'aide au FSL."},
		eligible: func(p *personPlan) bool { return p.in.Housing == "social" }, weight: 5},
	{key: "bailleur-demande", organisme: "bailleur", typ: "Demande de logement social", online: true, themes: []string{"logement"}, inst: "Bailleur social",
		docs:    "Pièce d'identité, avis d'imposition, justificatifs de ressources",
		prepare: []string{"Information sur la demande de logement social, le numéro unique et le renouvellement annuel."},
		do:      []string{"Demande de logement social enregistrée en ligne ; le numéro unique est noté sur le récapitulatif remis à la personne."},
		follow:  []string{"Rappel du renouvellement annuel de la demande de logement social ; la personne l'a noté dans son agenda."},
		next:    []string{"Vérifier l'enregistrement de la demande de logement"},
		eligible: func(p *personPlan) bool {
			return p.in.Housing == "heberge" || p.in.Housing == "prive" || p.in.Housing == "hebergement"
		}, weight: 5},
	{key: "bailleur-mutation", organisme: "bailleur", typ: "Demande de mutation", channel: "guichet", themes: []string{"logement", "famille"}, inst: "Bailleur social",
		docs:     "Livret de famille, avis d'imposition",
		do:       []string{"Dépôt de la demande de mutation à l'agence du bailleur avec la personne ; dossier complet remis."},
		next:     []string{"Appeler l'agence pour suivre la demande de mutation"},
		mediate:  []string{"Rencontre avec la chargée de clientèle du bailleur au sujet de la demande de mutation : les critères d'attribution sont expliqués à la famille."},
		eligible: func(p *personPlan) bool { return p.in.Housing == "social" && p.in.Household == "couple_enfants" }, weight: 3},
	{key: "energie-cheque", organisme: "energie", typ: "Chèque énergie", online: true, themes: []string{"energie"}, inst: "Fournisseur d'énergie",
		do:       []string{"Utilisation du chèque énergie en ligne auprès du fournisseur pour la facture d'électricité."},
		next:     []string{"Vérifier la déduction sur la prochaine facture"},
		eligible: anyone, weight: 3},
	{key: "energie-echeancier", organisme: "energie", typ: "Échéancier de paiement", channel: "telephone", themes: []string{"energie", "budget"}, inst: "Fournisseur d'énergie",
		docs:     "Dernière facture d'électricité, courrier de relance",
		do:       []string{"Appel au fournisseur d'énergie avec la personne : un échéancier de paiement sur six mois est accordé, la coupure est évitée."},
		follow:   []string{"Les premières échéances sont payées ; le fournisseur n'a pas renvoyé de relance."},
		next:     []string{"Vérifier le courrier de confirmation de l'échéancier"},
		mediate:  []string{"Échange avec le service clients du fournisseur d'énergie au sujet d'une facture de régularisation élevée : un relevé de compteur est demandé, la facture sera recalculée."},
		eligible: anyone, weight: 3},
	{key: "ecole-inscription", organisme: "ecole", typ: "Inscription scolaire", channel: "guichet", themes: []string{"education", "famille"}, inst: "Mairie (service scolaire)",
		docs:     "Livret de famille, justificatif de domicile, carnet de vaccination",
		do:       []string{"Inscription scolaire préparée et déposée en mairie avec le parent ; certificat d'inscription remis."},
		next:     []string{"Vérifier l'affectation dans l'école"},
		eligible: hasChildren, weight: 3},
	{key: "ecole-cantine", organisme: "ecole", typ: "Cantine et périscolaire", online: true, themes: []string{"education", "famille"}, inst: "Mairie (portail famille)",
		docs:     "Attestation de quotient familial de la CAF",
		do:       []string{"Inscription à la cantine et au périscolaire sur le portail famille de la commune ; le quotient familial est pris en compte."},
		next:     []string{"Vérifier la facture de cantine du mois"},
		eligible: hasChildren, weight: 3},
	{key: "ecole-bourse", organisme: "ecole", typ: "Bourse", online: true, themes: []string{"education"}, inst: "Collège",
		docs:     "Avis d'imposition, identifiants ÉduConnect",
		do:       []string{"Demande de bourse de collège faite en ligne avec le parent, depuis ses identifiants ÉduConnect."},
		next:     []string{"Vérifier la notification de bourse"},
		eligible: hasChildren, weight: 2},
	{key: "ecole-dialogue", organisme: "", themes: []string{"education", "famille"}, inst: "Collège",
		mediate: []string{"Rencontre au collège avec le parent et le conseiller principal d'éducation au sujet des absences : chacun a pu exposer son point de vue, un point hebdomadaire est convenu.",
			"Appel à l'école avec le parent pour organiser un rendez-vous avec l'enseignante ; le parent souhaitait être accompagné pour la première rencontre."},
		follow:   []string{"Le parent indique que les échanges avec l'établissement se passent mieux ; pas de nouvelle difficulté signalée."},
		next:     []string{"Faire le point avec le parent après le rendez-vous"},
		eligible: hasChildren, weight: 2},
	{key: "ccas-aide", organisme: "mairie", typ: "Aide du CCAS", channel: "guichet", themes: []string{"budget"}, inst: "CCAS",
		docs:     "Justificatifs de ressources et de charges, facture concernée",
		do:       []string{"Dossier de demande d'aide facultative du CCAS complété et déposé au guichet avec la personne."},
		follow:   []string{"Le CCAS a accordé une aide ponctuelle pour la facture d'eau."},
		next:     []string{"Appeler le CCAS pour connaître la décision"},
		eligible: anyone, weight: 3},
	{key: "ccas-domiciliation", organisme: "mairie", typ: "Domiciliation", channel: "guichet", themes: []string{"droits_sociaux"}, inst: "CCAS",
		docs:     "Pièce d'identité",
		do:       []string{"Demande d'élection de domicile au CCAS déposée ; l'attestation est remise à la personne, qui pourra recevoir son courrier."},
		next:     []string{"Récupérer l'attestation de domiciliation"},
		eligible: func(p *personPlan) bool { return p.in.Housing == "sans_domicile" || p.in.Housing == "hebergement" }, weight: 6},
	{key: "retraite-demande", organisme: "retraite", typ: "Demande de retraite", online: true, themes: []string{"droits_sociaux"}, inst: "Caisse de retraite",
		docs:     "Relevé de carrière, pièce d'identité, RIB",
		prepare:  []string{"Consultation du relevé de carrière avec la personne avant la demande de retraite ; deux périodes d'emploi sont à vérifier."},
		do:       []string{"Demande de retraite en ligne unique faite sur info-retraite.fr avec la personne."},
		follow:   []string{"La caisse de retraite a accusé réception de la demande ; le premier versement est attendu dans trois mois."},
		next:     []string{"Suivre la demande de retraite"},
		eligible: func(p *personPlan) bool { return p.age >= 60 && p.age < 70 }, weight: 5},
	{key: "retraite-releve", organisme: "retraite", typ: "Relevé de carrière", online: true, themes: []string{"droits_sociaux"}, inst: "Caisse de retraite",
		docs:     "Bulletins de salaire ou certificats de travail des périodes manquantes",
		do:       []string{"Consultation du relevé de carrière : deux périodes d'emploi manquent, la demande de régularisation est envoyée en ligne."},
		next:     []string{"Vérifier la régularisation du relevé de carrière"},
		eligible: func(p *personPlan) bool { return p.age >= 55 && p.age < 67 }, weight: 2},
	{key: "msa", organisme: "msa", typ: "Prestations familiales MSA", online: true, themes: []string{"droits_sociaux", "famille"}, inst: "MSA",
		do:       []string{"Déclaration de changement de situation faite sur le site de la MSA avec la personne, salariée agricole."},
		next:     []string{"Vérifier la prise en compte par la MSA"},
		eligible: func(p *personPlan) bool { return hasChildren(p) && p.in.Activity == "emploi" }, weight: 1},
	{key: "banque", organisme: "autre", label: "Ouverture d'un compte bancaire (droit au compte)", channel: "guichet", themes: []string{"budget"}, inst: "Banque",
		docs:     "Pièce d'identité, justificatif de domicile, lettre de refus de la banque",
		do:       []string{"Accompagnement à la banque pour la procédure de droit au compte ; la lettre de refus est jointe à la demande auprès de la Banque de France."},
		next:     []string{"Vérifier la désignation d'une banque par la Banque de France"},
		eligible: anyone, weight: 2},
	{key: "transport", organisme: "autre", label: "Tarification solidaire des transports en commun", online: true, themes: []string{"mobilite"}, inst: "Transporteur",
		docs:     "Attestation de quotient familial ou de droits CSS",
		do:       []string{"Demande de tarification solidaire des transports en commun déposée en ligne ; la carte sera rechargée au tarif réduit."},
		next:     []string{"Vérifier la mise à jour de l'abonnement"},
		eligible: anyone, weight: 3},
}

func hasChildren(p *personPlan) bool {
	return p.in.Household == "couple_enfants" || p.in.Household == "monoparentale"
}

// orientations (W1 step 8), each with its themes; they need the
// "partage" consent.
var orientations = []struct {
	text   string
	themes []string
	inst   string
}{
	{"Orientation vers le point-justice pour un litige avec un ancien employeur ; coordonnées transmises avec l'accord de la personne.", []string{"justice", "emploi"}, "Point-justice"},
	{"Mise en relation avec l'épicerie sociale du quartier ; fiche de liaison remplie avec la personne.", []string{"budget"}, "Épicerie sociale"},
	{"Orientation vers l'assistante sociale de secteur pour une demande d'aide financière ; la personne a accepté que sa situation soit transmise.", []string{"droits_sociaux", "budget"}, "Maison de la Métropole (service social)"},
	{"Orientation vers l'atelier numérique hebdomadaire de la médiathèque pour apprendre à utiliser la messagerie.", []string{"numerique"}, "Médiathèque"},
	{"Orientation vers le point conseil budget pour un accompagnement sur les dettes ; premier rendez-vous pris ensemble.", []string{"budget"}, "Point conseil budget"},
	{"Mise en relation avec l'association de cours de français du quartier (mardi et jeudi matin).", []string{"etrangers", "education"}, "Association d'apprentissage du français"},
	{"Orientation vers le centre de santé du quartier, avec prise de rendez-vous pour un bilan.", []string{"sante"}, "Centre de santé"},
	{"Orientation vers l'ADIL pour une question sur la restitution du dépôt de garantie.", []string{"logement", "justice"}, "ADIL"},
	{"Orientation vers le conciliateur de justice pour le différend avec le propriétaire ; la personne prendra rendez-vous.", []string{"justice", "logement"}, "Conciliateur de justice"},
	{"Orientation vers la Mission locale pour un accompagnement vers l'emploi ; premier rendez-vous fixé.", []string{"emploi"}, "Mission locale"},
}

// Anonymous reception at the permanence or on the phone.
var accueilTexts = []struct {
	text   string
	themes []string
}{
	{"Demande d'information sur les pièces à fournir pour une demande d'aide au logement ; informations données et liste remise.", []string{"logement", "droits_sociaux"}},
	{"Question sur un courrier de la CPAM : lecture et explication du courrier, aucune démarche à faire.", []string{"sante"}},
	{"Information sur les permanences d'accès au droit et d'écrivain public du quartier.", []string{"justice"}},
	{"Demande d'aide pour imprimer une attestation et un billet de train ; impression faite.", []string{"numerique", "mobilite"}},
	{"Renseignements sur les activités de loisirs pour les enfants pendant les vacances scolaires.", []string{"loisirs", "famille"}},
	{"Signalement d'une fuite d'eau dans le hall ; information sur le numéro d'urgence du bailleur.", []string{"logement"}},
	{"Question sur le chèque énergie reçu par courrier : explication de son utilisation.", []string{"energie"}},
	{"Perte de papiers : explication de la déclaration de perte et de la pré-demande de carte d'identité.", []string{"papiers"}},
	{"Demande des horaires d'ouverture de la CAF et du centre des finances publiques ; informations données.", []string{"droits_sociaux"}},
	{"Question sur la résiliation d'un abonnement téléphonique ; modèle de lettre remis.", []string{"budget"}},
	{"Demande d'information sur l'inscription à la cantine scolaire ; explication du portail famille.", []string{"education"}},
	{"Question sur la carte de transport à tarif réduit ; conditions expliquées.", []string{"mobilite"}},
	{"Demande d'aide pour lire un avis d'échéance du bailleur : explication des montants et du solde.", []string{"logement", "budget"}},
	{"Question sur un SMS reçu au nom de l'Assurance maladie : il s'agit d'une tentative d'hameçonnage, conseils donnés.", []string{"numerique", "sante"}},
	{"Demande de renseignements sur les cours de français pour adultes du quartier.", []string{"etrangers", "education"}},
	{"Question sur une amende de transport reçue par courrier : explication des voies de contestation.", []string{"mobilite", "justice"}},
}

var phoneAccueilTexts = []string{
	"Appel pour connaître les jours de permanence et les pièces à apporter ; informations données.",
	"Appel au sujet d'un courrier de relance reçu ; rendez-vous proposé à la permanence.",
	"Appel pour savoir si la médiation peut aider à remplir un dossier de retraite ; rendez-vous proposé.",
	"Appel au sujet du bruit dans la cage d'escalier ; explication de la démarche de médiation entre voisins.",
}

// Street presence (tournées), each text with the place it names. In the
// texts, {a} is "à" with the zone ("aux Érables"), {de} is "de" with the
// zone ("des Érables") and {quartier} names it ("le quartier des Érables").
type placeText struct{ label, text string }

var tourneeDayTexts = []placeText{
	{"Abords du collège", "Tournée à pied {a} : abords du marché et du collège à la sortie des cours. Échanges avec des habitants et des commerçants ; information sur la permanence du mardi."},
	{"Pieds d'immeubles", "Présence en pied d'immeubles {a} : échanges avec des locataires sur les travaux en cours dans les halls."},
	{"Parc et aires de jeux", "Tournée au parc et aux aires de jeux {de}. Ambiance calme ; deux familles informées des activités du centre social."},
	{"Place du marché", "Présence sur la place {de} pendant le marché : échanges avec des habitants âgés sur l'isolement et les visites de convivialité."},
	{"Galerie commerciale", "Présence à la galerie commerciale {de} : échanges avec les commerçants sur les regroupements en fin de journée, information sur la médiation de soirée."},
}

var tourneeEveningTexts = []placeText{
	{"Place centrale et arrêt de tram", "Présence en soirée {a}, autour de la place et de l'arrêt de tram. Échanges avec un groupe de jeunes près du city-stade sur les horaires du gymnase."},
	{"Pieds d'immeubles", "Tournée en soirée {a} : échanges avec des habitants en bas des immeubles, rappel des horaires de la permanence."},
	{"Galerie commerciale", "Présence en fin de journée aux abords de la galerie commerciale {de} ; échanges avec les commerçants, ambiance calme."},
	{"City-stade", "Présence au city-stade {de} en soirée : échanges avec des jeunes sur les activités des vacances et les horaires du gymnase."},
}

var tourneeSaturdayTexts = []placeText{
	{"Parc et city-stade", "Présence le samedi {a} : échanges avec des parents au parc et avec des jeunes au city-stade."},
	{"Galerie commerciale", "Présence le samedi après-midi à la galerie commerciale {de} : échanges avec des commerçants et des jeunes, ambiance calme."},
}

var tourneeSundayTexts = []placeText{
	{"Place centrale", "Tournée du dimanche {a} : peu de monde, échanges avec des habitants âgés sur les bancs de la place."},
	{"Parc et aires de jeux", "Présence le dimanche après-midi au parc {de} : échanges avec des familles, ambiance calme."},
}

var transportTexts = []placeText{
	{"Ligne de tram", "Présence sur la ligne de tram entre {quartier} et la gare : discussions avec des voyageurs, pas d'incident."},
	{"Pôle d'échanges de la gare", "Présence au pôle d'échanges : aide à des voyageurs pour les horaires et les correspondances ; rappel des règles dans les bus."},
	{"Arrêt de bus du quartier", "Présence à l'arrêt de bus {de} à la sortie des cours : échanges avec des collégiens et un conducteur, ambiance calme."},
}

var schoolTourTexts = []placeText{
	{"Abords du groupe scolaire", "Présence à la sortie des classes devant le groupe scolaire {de} : échanges avec des parents, rappel des règles de stationnement devant l'école."},
}

// zoneText fills the zone into a text with French contractions.
func zoneText(text, zone string) string {
	a, de := "à "+zone, "de "+zone
	switch {
	case strings.HasPrefix(zone, "Les "):
		a, de = "aux "+zone[4:], "des "+zone[4:]
	case strings.HasPrefix(zone, "Le "):
		a, de = "au "+zone[3:], "du "+zone[3:]
	case strings.HasPrefix(zone, "La "):
		a, de = "à la "+zone[3:], "de la "+zone[3:]
	case zone == "Centre-ville":
		a, de = "au centre-ville", "du centre-ville"
	}
	return strings.NewReplacer("{a}", a, "{de}", de, "{quartier}", "le quartier "+de).Replace(text)
}

// Tensions defused during a tournée (registre conflit in addition).
var tensionTexts = []string{
	"Tension entre deux groupes de jeunes devant la galerie commerciale : échange avec chacun, la situation s'est apaisée.",
	"Altercation verbale entre un conducteur et un voyageur à l'arrêt de bus : échange avec chacun, rappel des règles, retour au calme.",
	"Désaccord entre des jeunes et des riverains au sujet du bruit au city-stade : échange sur place, accord pour finir avant 22 h.",
}

// Technical dysfunctions spotted (veille technique), with the partner
// alerted.
var veilleTexts = []struct {
	text, inst, label string
}{
	{"Porte du hall du bâtiment C bloquée en position ouverte et interphone hors service : signalement fait au bailleur.", "Bailleur", "Bâtiment C"},
	{"Éclairage public en panne sur le cheminement piéton entre l'arrêt de bus et les immeubles : signalement fait aux services de la Métropole.", "Métropole (éclairage public)", "Cheminement piéton"},
	{"Ascenseur du bâtiment 12 en panne depuis trois jours ; des locataires âgés ne peuvent plus descendre : signalement au bailleur.", "Bailleur", "Bâtiment 12"},
	{"Dépôt d'encombrants au pied du bâtiment : signalement au service propreté de la commune.", "Mairie (propreté)", "Pieds d'immeubles"},
	{"Abribus endommagé, vitre brisée : signalement au transporteur.", "Transporteur", "Arrêt de bus"},
	{"Jeux pour enfants du square abîmés (toboggan cassé) : signalement aux services techniques de la commune.", "Mairie (services techniques)", "Square"},
	{"Fuite d'eau dans la cave du bâtiment A, constatée avec le gardien : signalement au bailleur.", "Bailleur", "Bâtiment A"},
}

// Conflicts between people, anonymous (W3), with the place they were
// met.
var conflitTexts = []struct{ place, label, text string }{
	{"domicile", "", "Différend entre deux voisins au sujet du bruit en soirée : rencontre de chacun à son domicile, accord pour une rencontre commune."},
	{"etablissement_scolaire", "Abords du groupe scolaire", "Conflit de stationnement devant l'école entre des parents : échanges sur place, la situation s'est apaisée."},
	{"domicile", "", "Conflit entre voisins au sujet d'odeurs et d'aération : navette entre les deux logements, chacun a exposé son point de vue."},
	{"partenaire", "Salle du centre social", "Désaccord entre des locataires sur l'usage du local à vélos : réunion avec les personnes concernées, proposition d'un règlement affiché."},
	{"domicile", "", "Différend entre une locataire et son voisin au sujet d'un chien laissé seul : rencontre de chacun, engagement à trouver une solution de garde."},
	{"espace_public", "Pieds d'immeubles", "Tension entre des habitants et des jeunes regroupés dans le hall : échange avec chacun, accord pour laisser le passage libre."},
	{"partenaire", "Salle du centre social", "Rencontre entre deux familles en désaccord après une dispute entre enfants : chacune a pu s'exprimer, les parents se sont entendus sur la suite."},
}

// Conflicts between named neighbours (W3), step by step.
var conflitCase = struct {
	first, second, joint, follow string
}{
	first:  "Rencontre de la personne à son domicile au sujet du différend avec un voisin (bruit la nuit) ; elle a expliqué la situation et accepte une médiation.",
	second: "Rencontre de l'autre personne concernée à son domicile : elle ignorait la gêne et explique ses horaires de travail de nuit ; elle accepte une rencontre commune.",
	joint:  "Rencontre commune dans une salle du centre social : chacun a exprimé ses besoins ; accord sur des horaires et sur un mot à laisser en cas de gêne.",
	follow: "Appel de suivi un mois après la rencontre : la situation s'est apaisée, l'accord est respecté.",
}

// Notes on people's files: factual, useful to the accompaniment.
var publicNotes = []string{
	"Préfère un contact par SMS ; ne pas laisser de message vocal.",
	"Lit difficilement les courriers administratifs : prévoir du temps pour les relire ensemble.",
	"Souhaite apprendre à faire ses démarches sans aide sur son téléphone ; l'atelier numérique du jeudi lui a été proposé.",
	"Disponible uniquement le matin (travail en horaires décalés).",
	"Garde ses identifiants de comptes en ligne dans un carnet personnel ; la médiation n'en conserve aucune copie.",
	"Pièce d'identité et justificatif de domicile vérifiés : à jour.",
	"N'a pas d'imprimante : imprimer les attestations à la permanence.",
	"Joignable plus facilement en fin d'après-midi.",
}

// needNotes are notes tied to a need of the person.
var needNotes = map[string]string{
	"caf-prime":           "Un courrier de la CAF est attendu ; la personne apportera la réponse dès réception.",
	"caf-logement":        "L'attestation de loyer est à faire remplir par le bailleur avant la demande.",
	"caf-rsa":             "A reçu la liste des pièces pour la demande de RSA ; il manque l'avis d'imposition.",
	"bailleur-demande":    "Demande de logement social à renouveler avant la date anniversaire.",
	"bailleur-apurement":  "Plan d'apurement : échéances le 10 de chaque mois, après le versement des prestations.",
	"ants-cni":            "Rendez-vous en mairie pour le dépôt du dossier : la personne s'y rend seule.",
	"pref-renouvellement": "Titre de séjour : commencer la demande de renouvellement deux mois avant l'expiration.",
	"retraite-demande":    "Relevé de carrière vérifié ensemble ; deux périodes d'emploi à faire régulariser.",
}

var interpreterNote = "Un proche traduit parfois ; la personne souhaite un interprète professionnel pour les rendez-vous officiels."

var accessNotes = map[string]string{
	"moteur":   "Se déplace en fauteuil : recevoir la personne à la permanence de plain-pied ou à domicile.",
	"visuel":   "Imprimer les récapitulatifs en gros caractères (demande de la personne).",
	"auditif":  "Communication plus facile par écrit ou par SMS (demande de la personne).",
	"cognitif": "Reformuler les étapes et remettre un récapitulatif écrit à chaque rendez-vous (demande de la personne).",
}

var privateNotes = []string{
	"À reprendre lors d'un prochain rendez-vous : la personne n'a pas souhaité parler de la dette de loyer en présence de son enfant.",
	"Me rappeler de lui proposer le créneau du jeudi, plus pratique avec ses horaires.",
	"Questions à préparer pour le prochain rendez-vous : ressources du foyer, date d'entrée dans le logement.",
	"Vérifier avec la coordination si la convention avec le bailleur couvre la visite à domicile demandée.",
}

var archiveNote = "Déménagement hors du territoire de la structure ; la personne a été informée de l'archivage de son dossier."

// Places of the territory.
var permanences = map[string]string{
	"Les Érables":    "Maison de quartier des Érables",
	"Parilly-Nord":   "Local de médiation de Parilly-Nord",
	"Centre-ville":   "Locaux de la structure, 12 rue des Tilleuls",
	"La Garenne":     "Centre social de la Garenne",
	"Le Clos Fleuri": "Salle associative du Clos Fleuri",
	"Les Vergers":    "Centre social des Vergers",
	"Bel-Air":        "Maison des services de Bel-Air",
}

// partnerPlaces are the premises where a procedure is done at the
// counter, by organisme.
var partnerPlaces = map[string]string{
	"caf": "Accueil de la CAF", "cpam": "Accueil de la CPAM", "france_travail": "Agence France Travail",
	"impots": "Centre des finances publiques", "ants": "Mairie (service des titres)", "prefecture": "Préfecture",
	"bailleur": "Agence du bailleur", "energie": "Agence du fournisseur d'énergie", "ecole": "Mairie (service scolaire)",
	"mairie": "CCAS", "retraite": "Agence de la caisse de retraite", "msa": "Agence de la MSA", "autre": "Agence bancaire",
}

// hostPlaces are partners' premises where the mediation holds a
// permanence.
var hostPlaces = []string{"Maison de la Métropole", "Mission locale", "Centre social", "Médiathèque"}

// Steps towards a procedure, without doing it: %[1]s is the procedure,
// %[2]s the institution.
var informTexts = []string{
	"Lecture avec la personne d'un courrier reçu (%[2]s) au sujet de la démarche « %[1]s » : explication de ce qui est demandé et des délais.",
	"Préparation de la démarche « %[1]s » (%[2]s) : pièces réunies et numérisées avec le téléphone de la personne ; la démarche sera faite au prochain rendez-vous.",
	"Vérification des conditions pour la démarche « %[1]s » (%[2]s) ; la liste des pièces manquantes est remise à la personne.",
	"Point sur la situation et les échéances avant la démarche « %[1]s » (%[2]s) ; la personne apportera les pièces demandées.",
}

var genericFollow = []string{
	"Point sur l'avancement de la démarche : la réponse de l'organisme est toujours attendue.",
	"La personne passe à la permanence avec le courrier de réponse : lecture ensemble, rien d'autre à faire pour l'instant.",
	"Point de suivi : la personne confirme que la démarche a abouti.",
}

// Partners who send people to the mediation.
var referrers = []string{"l'assistante sociale de secteur", "le bailleur", "le CCAS", "la Mission locale", "le centre social"}
