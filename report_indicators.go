package maillon

// The indicators of each module, one block per module: its sources (the
// date that places a record in the period, the filters it applies) and
// its indicators. docs/indicateurs.md lists the same definitions; the
// store computes each ID in internal/store/report.go. A module adding
// indicators (collective activities…) adds one such block here and its
// queries in the store.

var allFilters = []string{FilterTeam, FilterMediator, FilterPlace, FilterQPV, FilterRegistre, FilterTheme, FilterCommanditaire}

// Interventions, people reached, accompanied procedures.
func init() {
	ReportSources["interventions"] = ReportSource{Name: "Interventions",
		PeriodRule: "date et heure de début de l'intervention (heure de Paris)", Filters: allFilters}
	ReportSources["procedures"] = ReportSource{Name: "Démarches accompagnées",
		PeriodRule: "date de début de l'intervention où la démarche a été accompagnée", Filters: allFilters}
	ReportSources["autonomy"] = ReportSource{Name: "Évaluations de l'autonomie numérique",
		PeriodRule: "date de l'évaluation", Filters: []string{FilterTeam, FilterMediator}}
	RegisterIndicators(
		Indicator{ID: "interventions.nombre", Section: "Interventions", Label: "Nombre d'interventions",
			Definition: "Interventions enregistrées dont la date de début tombe dans la période, quel que soit le nombre de personnes rencontrées.",
			Source:     "interventions", Unit: UnitCount},
		Indicator{ID: "interventions.registre", Section: "Interventions", Label: "Interventions par type principal",
			Definition: "Interventions de la période, comptées une fois chacune sous leur type principal (les types secondaires ne sont pas comptés ici).",
			Source:     "interventions", Unit: UnitCount, Breakdown: "par type principal", Additive: true, Chart: ChartBars},
		Indicator{ID: "interventions.lieu", Section: "Interventions", Label: "Interventions par type de lieu",
			Definition: "Interventions de la période selon le type de lieu où elles ont eu lieu ; tout ce qui n'est pas « permanence » relève de l'aller vers.",
			Source:     "interventions", Unit: UnitCount, Breakdown: "par type de lieu", Additive: true, Chart: ChartBars},
		Indicator{ID: "interventions.thematique", Section: "Interventions", Label: "Interventions par thématique",
			Definition: "Interventions de la période portant sur chaque thématique. Une intervention peut avoir plusieurs thématiques : les lignes ne s'additionnent pas.",
			Source:     "interventions", Unit: UnitCount, Breakdown: "par thématique", Chart: ChartBars},
		Indicator{ID: "interventions.mois", Section: "Interventions", Label: "Interventions par mois",
			Definition: "Interventions de la période, par mois de leur date de début.",
			Source:     "interventions", Unit: UnitCount, Breakdown: "par mois", Additive: true, Chart: ChartLine},
		Indicator{ID: "temps.registre", Section: "Interventions", Label: "Temps d'intervention",
			Definition: "Somme des durées saisies des interventions de la période, par type principal. Une intervention en binôme compte une fois sa durée, pas une fois par personne de l'équipe.",
			Source:     "interventions", Unit: UnitMinutes, Breakdown: "par type principal", Additive: true, Chart: ChartBars},
		Indicator{ID: "interventions.hors_horaires", Section: "Interventions", Label: "Part des interventions hors horaires",
			Definition: "Interventions commencées ou finies en dehors des horaires d'ouverture de la structure (soir, week-end, jour férié) ÷ interventions de la période.",
			Source:     "interventions", Unit: UnitPercent},
		Indicator{ID: "interventions.binome", Section: "Interventions", Label: "Part des interventions en binôme",
			Definition: "Interventions de la période faites à deux personnes de l'équipe ou plus ÷ interventions de la période.",
			Source:     "interventions", Unit: UnitPercent},
		Indicator{ID: "personnes.identifiees", Section: "Personnes rencontrées", Label: "Personnes identifiées rencontrées",
			Definition: "Personnes distinctes ayant un dossier, nommées sur au moins une intervention de la période. « Nouvelles » : aucune intervention les nommant avant le début de la période ; « déjà connues » : les autres.",
			Source:     "interventions", Unit: UnitPeople, Breakdown: "nouvelles ou déjà connues", Additive: true, Chart: ChartStack},
		Indicator{ID: "personnes.anonymes", Section: "Personnes rencontrées", Label: "Personnes rencontrées sans dossier",
			Definition: "Somme des comptages anonymes des interventions de la période, par tranche d'âge. C'est une estimation : une même personne rencontrée deux fois est comptée deux fois.",
			Source:     "interventions", Unit: UnitPeople, Breakdown: "par tranche d'âge", Additive: true, Chart: ChartBars},
		Indicator{ID: "demarches.organisme", Section: "Démarches accompagnées", Label: "Démarches par organisme",
			Definition: "Démarches enregistrées sur les interventions de la période, par organisme.",
			Source:     "procedures", Unit: UnitCount, Breakdown: "par organisme", Additive: true, Chart: ChartBars},
		Indicator{ID: "demarches.mode", Section: "Démarches accompagnées", Label: "Démarches selon qui les a faites",
			Definition: "Démarches de la période selon qu'elles ont été faites par la personne seule guidée, avec elle (« faire avec ») ou pour elle (« faire pour »).",
			Source:     "procedures", Unit: UnitCount, Breakdown: "faire avec ou pour", Additive: true, Chart: ChartBars},
		Indicator{ID: "demarches.issue", Section: "Démarches accompagnées", Label: "Issue des démarches",
			Definition: "Démarches de la période selon leur issue enregistrée (réalisée, en attente, bloquée, abandonnée).",
			Source:     "procedures", Unit: UnitCount, Breakdown: "par issue", Additive: true, Chart: ChartBars},
		Indicator{ID: "demarches.obstacle", Section: "Démarches accompagnées", Label: "Obstacles rencontrés",
			Definition: "Démarches de la période où chaque obstacle a été noté. Une démarche peut en avoir plusieurs : les lignes ne s'additionnent pas.",
			Source:     "procedures", Unit: UnitCount, Breakdown: "par obstacle", Chart: ChartBars},
		Indicator{ID: "autonomie.evolution", Section: "Démarches accompagnées", Label: "Évolution de l'autonomie numérique",
			Definition: "Personnes évaluées dans la période : niveau de leur dernière évaluation de la période comparé à la dernière évaluation d'avant la période, ou, à défaut, à la première de la période. Les personnes évaluées une seule fois sans évaluation antérieure sont « stables ».",
			Source:     "autonomy", Unit: UnitPeople, Breakdown: "en hausse, stable ou en baisse", Additive: true, Chart: ChartBars},
	)
}

// Tournées (présence active de proximité).
func init() {
	ReportSources["tournees"] = ReportSource{Name: "Tournées",
		PeriodRule: "date et heure de début de la tournée", Filters: []string{FilterTeam, FilterMediator, FilterPlace, FilterQPV}}
	RegisterIndicators(
		Indicator{ID: "tournees.nombre", Section: "Présence de proximité", Label: "Nombre de tournées",
			Definition: "Tournées commencées dans la période.", Source: "tournees", Unit: UnitCount},
		Indicator{ID: "tournees.duree", Section: "Présence de proximité", Label: "Heures de présence en tournée",
			Definition: "Somme des durées des tournées terminées commencées dans la période (de leur début à leur fin), une fois par tournée.",
			Source:     "tournees", Unit: UnitMinutes},
		Indicator{ID: "tournees.comptages", Section: "Présence de proximité", Label: "Comptages des tournées",
			Definition: "Somme des compteurs tenus pendant les tournées de la période (contacts, informations, écoutes, orientations…). Ce sont des actes : une personne peut être comptée plusieurs fois.",
			Source:     "tournees", Unit: UnitCount, Breakdown: "par compteur", Chart: ChartBars},
	)
}

// Mediations.
func init() {
	mediationFilters := []string{FilterTeam, FilterMediator, FilterPlace, FilterQPV}
	ReportSources["mediations"] = ReportSource{Name: "Médiations ouvertes",
		PeriodRule: "date de saisine de la médiation", Filters: mediationFilters}
	ReportSources["mediations_closed"] = ReportSource{Name: "Médiations clôturées",
		PeriodRule: "date de clôture de la médiation", Filters: mediationFilters}
	ReportSources["mediations_open"] = ReportSource{Name: "Médiations en cours",
		PeriodRule: "état au moment du calcul (la période ne s'applique pas)", Filters: mediationFilters}
	RegisterIndicators(
		Indicator{ID: "mediations.type", Section: "Médiations", Label: "Médiations ouvertes par type",
			Definition: "Médiations dont la date de saisine tombe dans la période, par type (conflit entre personnes, personne ↔ institution).",
			Source:     "mediations", Unit: UnitCount, Breakdown: "par type", Additive: true, Chart: ChartBars},
		Indicator{ID: "mediations.issue", Section: "Médiations", Label: "Médiations clôturées par issue",
			Definition: "Médiations clôturées dans la période, par issue enregistrée à la clôture.",
			Source:     "mediations_closed", Unit: UnitCount, Breakdown: "par issue", Additive: true, Chart: ChartBars},
		Indicator{ID: "mediations.duree", Section: "Médiations", Label: "Durée moyenne des médiations clôturées",
			Definition: "Moyenne, sur les médiations clôturées dans la période, du nombre de jours entre la saisine et la clôture.",
			Source:     "mediations_closed", Unit: UnitDays},
		Indicator{ID: "mediations.ouvertes", Section: "Médiations", Label: "Médiations en cours par ancienneté",
			Definition: "Médiations non clôturées (ouvertes, en cours ou suspendues) au moment du calcul, selon l'ancienneté de leur saisine.",
			Source:     "mediations_open", Unit: UnitCount, Breakdown: "par ancienneté", Additive: true, Chart: ChartBars},
	)
}

// Orientations.
func init() {
	ReportSources["orientations"] = ReportSource{Name: "Orientations",
		PeriodRule: "date de création de l'orientation", Filters: []string{FilterTeam, FilterMediator}}
	ReportSources["orientations_open"] = ReportSource{Name: "Orientations en attente",
		PeriodRule: "état au moment du calcul (la période ne s'applique pas)", Filters: []string{FilterTeam, FilterMediator}}
	RegisterIndicators(
		Indicator{ID: "orientations.statut", Section: "Orientations", Label: "Orientations par statut",
			Definition: "Orientations créées dans la période, selon leur statut au moment du rapport.",
			Source:     "orientations", Unit: UnitCount, Breakdown: "par statut", Additive: true, Chart: ChartBars},
		Indicator{ID: "orientations.retour", Section: "Orientations", Label: "Taux de retour des orientations",
			Definition: "Orientations créées dans la période dont l'issue est connue (prise en charge, refus ou sans suite, par le partenaire ou la médiation) ÷ orientations créées dans la période.",
			Source:     "orientations", Unit: UnitPercent},
		Indicator{ID: "orientations.delai", Section: "Orientations", Label: "Délai moyen de retour",
			Definition: "Moyenne, sur les orientations de la période dont l'issue est connue, du nombre de jours entre la transmission au partenaire (ou, à défaut, la création) et l'issue.",
			Source:     "orientations", Unit: UnitDays},
		Indicator{ID: "orientations.en_attente", Section: "Orientations", Label: "Orientations en attente de retour",
			Definition: "Orientations proposées ou transmises, sans issue, au moment du calcul : celles dont la date de retour attendue est passée, et les autres.",
			Source:     "orientations_open", Unit: UnitCount, Breakdown: "selon la date de retour attendue", Additive: true, Chart: ChartBars},
	)
}

// Veille sociale et technique.
func init() {
	placed := []string{FilterTeam, FilterMediator, FilterPlace, FilterQPV}
	ReportSources["veille_observations"] = ReportSource{Name: "Observations de veille sociale",
		PeriodRule: "date de l'observation", Filters: placed}
	ReportSources["veille_risks"] = ReportSource{Name: "Signalements de risques en ligne",
		PeriodRule: "date à laquelle le contenu a été vu", Filters: []string{FilterTeam, FilterMediator}}
	ReportSources["veille_tech"] = ReportSource{Name: "Signalements techniques",
		PeriodRule: "date du signalement", Filters: placed}
	RegisterIndicators(
		Indicator{ID: "veille.observations", Section: "Veille", Label: "Observations de veille sociale par nature",
			Definition: "Observations dont la date tombe dans la période, par nature (besoin non couvert, isolement, tension…).",
			Source:     "veille_observations", Unit: UnitCount, Breakdown: "par nature", Additive: true, Chart: ChartBars},
		Indicator{ID: "veille.risques", Section: "Veille", Label: "Signalements de risques en ligne par catégorie",
			Definition: "Signalements de veille numérique dont le contenu a été vu dans la période, par catégorie.",
			Source:     "veille_risks", Unit: UnitCount, Breakdown: "par catégorie", Additive: true, Chart: ChartBars},
		Indicator{ID: "veille.technique", Section: "Veille", Label: "Signalements techniques par catégorie",
			Definition: "Signalements techniques (éclairage, ascenseur, propreté…) faits dans la période, par catégorie.",
			Source:     "veille_tech", Unit: UnitCount, Breakdown: "par catégorie", Additive: true, Chart: ChartBars},
		Indicator{ID: "veille.technique_resolus", Section: "Veille", Label: "Part des signalements techniques résolus",
			Definition: "Signalements techniques de la période marqués résolus au moment du rapport ÷ signalements techniques de la période.",
			Source:     "veille_tech", Unit: UnitPercent},
		Indicator{ID: "veille.technique_delai", Section: "Veille", Label: "Délai moyen de résolution des signalements techniques",
			Definition: "Moyenne, sur les signalements techniques de la période déjà résolus, du nombre de jours entre le signalement et la résolution.",
			Source:     "veille_tech", Unit: UnitDays},
	)
}

// The partner directory.
func init() {
	ReportSources["annuaire"] = ReportSource{Name: "Annuaire partenarial",
		PeriodRule: "état au jour du calcul du rapport (la période ne s'applique pas)"}
	RegisterIndicators(
		Indicator{ID: "annuaire.fraicheur", Section: "Annuaire", Label: "Fraîcheur des fiches de services",
			Definition: "Services de l'annuaire de la structure selon la date de leur dernière vérification ou mise à jour, avec les seuils de fraîcheur réglés par la structure (à jour, à vérifier, obsolète).",
			Source:     "annuaire", Unit: UnitCount, Breakdown: "par état", Additive: true, Chart: ChartBars},
	)
}

// Collective actions (activités support). A session belongs to one
// project; the team, mediator and place filters read the project: its
// referent (owner), its team or the referent's team, its commune or
// quartier.
func init() {
	filters := []string{FilterTeam, FilterMediator, FilterPlace, FilterQPV}
	ReportSources["activites_seances"] = ReportSource{Name: "Séances d'actions collectives",
		PeriodRule: "date et heure de début de la séance (heure de Paris)", Filters: filters}
	ReportSources["activites_objectifs"] = ReportSource{Name: "Objectifs des actions collectives",
		PeriodRule: "date de début des séances tenues : une action compte si au moins une de ses séances tenues a commencé dans la période", Filters: filters}
	ReportSources["activites_etat"] = ReportSource{Name: "Actions collectives en cours",
		PeriodRule: "état au moment du calcul (la période ne s'applique pas)", Filters: filters}
	RegisterIndicators(
		Indicator{ID: "activites.projets", Section: "Actions collectives", Label: "Actions collectives par statut",
			Definition: "Projets d'actions collectives non clos au moment du calcul (ni évalués ni annulés), selon leur statut. Pour toutes les données d'actions collectives, le filtre d'équipe retient les actions confiées à l'équipe et celles dont la ou le référent en fait partie ; le filtre médiateur ou médiatrice retient les actions dont la personne est référente ; le lieu est la commune ou le quartier du projet.",
			Source:     "activites_etat", Unit: UnitCount, Breakdown: "par statut", Additive: true, Chart: ChartBars},
		Indicator{ID: "activites.seances", Section: "Actions collectives", Label: "Séances d'actions collectives",
			Definition: "Séances dont le début tombe dans la période : « tenues » quand les présences ont été saisies, « présences à saisir » quand la séance a commencé sans que les présences soient saisies, « à venir » sinon. Les séances non tenues d'une action annulée ne sont pas comptées.",
			Source:     "activites_seances", Unit: UnitCount, Breakdown: "tenues, à saisir ou à venir", Additive: true, Chart: ChartBars},
		Indicator{ID: "activites.seances_type", Section: "Actions collectives", Label: "Séances tenues par type d'action",
			Definition: "Séances tenues (présences saisies) dont le début tombe dans la période, selon le type de leur action (atelier, café-rencontre, sortie…).",
			Source:     "activites_seances", Unit: UnitCount, Breakdown: "par type d'action", Additive: true, Chart: ChartBars},
		Indicator{ID: "activites.participations", Section: "Actions collectives", Label: "Participations aux séances",
			Definition: "Somme, sur les séances tenues de la période, des présences émargées : inscriptions marquées « présent·e » (une inscription de groupe compte pour son nombre de places) et participants non inscrits comptés sur la feuille de présence. Ce sont des participations, pas des personnes : une personne venue à trois séances compte trois fois.",
			Source:     "activites_seances", Unit: UnitCount, Breakdown: "inscrits ou non inscrits", Additive: true, Chart: ChartBars},
		Indicator{ID: "activites.participants", Section: "Actions collectives", Label: "Participants inscrits distincts",
			Definition: "Personnes distinctes ayant un dossier, inscrites nommément et marquées « présent·e » à au moins une séance tenue de la période. Les participants comptés sans inscription et les inscriptions de groupe sans nom ne sont pas comptés (voir « Participations aux séances »).",
			Source:     "activites_seances", Unit: UnitPeople},
		Indicator{ID: "activites.objectifs", Section: "Actions collectives", Label: "Objectifs des actions collectives",
			Definition: "Objectifs des actions ayant au moins une séance tenue dans la période, selon leur valeur atteinte au moment du calcul, calculée comme sur la fiche de l'action, sur toutes ses séances : présences (inscrits présents et non inscrits comptés), séances tenues, nouveaux participants (non inscrits comptés comme « première venue »), ou valeur saisie à l'évaluation. « Atteint » : valeur atteinte supérieure ou égale à la cible ; « pas (encore) atteint » : en dessous, y compris pour une action qui se poursuit ; « valeur non saisie » : indicateur saisi sans valeur enregistrée.",
			Source:     "activites_objectifs", Unit: UnitCount, Breakdown: "atteints ou non", Additive: true, Chart: ChartBars},
		Indicator{ID: "activites.questionnaires", Section: "Actions collectives", Label: "Questionnaires de satisfaction reçus",
			Definition: "Questionnaires de satisfaction reçus pour les séances dont le début tombe dans la période, selon qu'ils ont été remplis en ligne (lien public) ou sur papier. Aucun nom n'est demandé : une même personne peut répondre pour plusieurs séances.",
			Source:     "activites_seances", Unit: UnitCount, Breakdown: "en ligne ou sur papier", Additive: true, Chart: ChartBars},
		Indicator{ID: "activites.satisfaction", Section: "Actions collectives", Label: "Réponses de satisfaction par niveau",
			Definition: "Réponses aux cinq questions du questionnaire de satisfaction des séances de la période, par niveau de l'échelle (pas du tout, un peu, bien, très bien). Chaque question répondue compte une réponse : un questionnaire en compte jusqu'à cinq ; une question laissée sans réponse n'est pas comptée.",
			Source:     "activites_seances", Unit: UnitCount, Breakdown: "par niveau", Additive: true, Chart: ChartBars},
		Indicator{ID: "activites.satisfaction_positive", Section: "Actions collectives", Label: "Part des réponses de satisfaction positives",
			Definition: "Réponses « bien » ou « très bien » ÷ réponses données aux questions du questionnaire de satisfaction des séances de la période (mêmes réponses que « Réponses de satisfaction par niveau »).",
			Source:     "activites_seances", Unit: UnitPercent},
	)
}
