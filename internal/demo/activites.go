package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"maillon"
)

// demoProject is a collective action of the demo and the stage it
// reaches.
type demoProject struct {
	title, kind, public, need, status string
	owner                             string // member key
	recurrence                        string
	sessions                          int
	startDays                         int // first session, in days from today (negative: past)
	capacity                          int
	access                            []string
	participation                     string
}

// demoProjects cover every stage of the life cycle and every kind.
var demoProjects = []demoProject{
	{"Café des parents de l'école Jules-Ferry", "cafe_rencontre", "Parents d'élèves de maternelle et d'élémentaire",
		"Des parents arrivés récemment ne viennent jamais à l'école ; plusieurs l'ont dit en tournée.", maillon.ActiviteEvaluee,
		"karim", "hebdo", 10, -120, 15, []string{"plain_pied", "garde_enfants", "horaires"}, "co_construction"},
	{"Atelier « Mes démarches CAF en ligne »", "atelier_numerique", "Allocataires peu à l'aise avec le numérique",
		"Beaucoup de demandes individuelles sur l'espace CAF en ligne aux permanences d'accès aux droits.", maillon.ActiviteEvaluee,
		"yacine", "quinzaine", 6, -100, 8, []string{"plain_pied", "facile_lire"}, "consultes"},
	{"Fête de quartier des Minguettes", "fete_quartier", "Tous les habitants du quartier",
		"Tensions entre générations sur la place ; les habitants demandent un moment partagé.", maillon.ActiviteTerminee,
		"moussa", "", 1, -20, 300, []string{"plain_pied", "horaires", "interpretariat"}, "portee_habitants"},
	{"Balades seniors du mardi", "sortie", "Personnes âgées isolées",
		"Isolement des seniors repéré lors des visites à domicile.", maillon.ActiviteTerminee,
		"lea", "mensuel", 4, -110, 12, []string{"horaires"}, "consultes"},
	{"Café-rencontre du samedi", "cafe_rencontre", "Habitants du quartier des Vignes",
		"Peu de lieux pour se rencontrer le week-end ; demande du conseil citoyen.", maillon.ActiviteEnCours,
		"sophie", "hebdo", 12, -42, 20, []string{"plain_pied", "facile_lire"}, "co_construction"},
	{"Réunion d'information sur les charges locatives", "reunion_info", "Locataires du bailleur social",
		"Incompréhension des régularisations de charges ; conflits au guichet du bailleur.", maillon.ActiviteEnCours,
		"karim", "mensuel", 3, -35, 40, []string{"plain_pied", "interpretariat"}, "informes"},
	{"Atelier numérique collectif des jeunes", "atelier_numerique", "Jeunes de 16 à 25 ans",
		"Jeunes sans accès à un ordinateur pour leurs candidatures.", maillon.ActiviteEnCours,
		"ines", "quinzaine", 8, -30, 10, []string{"horaires"}, "consultes"},
	{"Concertation sur le réaménagement du square", "concertation", "Riverains du square Renoir",
		"Le square va être réaménagé ; les habitants veulent être entendus.", maillon.ActiviteValidee,
		"yacine", "hebdo", 3, 10, 30, []string{"plain_pied", "facile_lire", "garde_enfants"}, "co_construction"},
	{"Sortie familles au parc de la Tête d'Or", "sortie", "Familles monoparentales",
		"Des familles ne quittent jamais le quartier pendant les vacances.", maillon.ActivitePreparation,
		"ines", "", 1, 25, 25, []string{"horaires"}, "consultes"},
	{"Atelier cuisine et santé", "atelier", "Habitants du quartier",
		"Questions fréquentes sur l'alimentation à petit budget.", maillon.ActivitePreparation,
		"sophie", "", 0, 0, 0, nil, ""},
	{"Repair café", "atelier", "Tous publics",
		"Des habitants proposent de réparer ensemble les petits appareils.", maillon.ActiviteIdee,
		"moussa", "", 0, 0, 0, nil, "portee_habitants"},
	{"Jardin partagé au pied des tours", "autre", "Locataires des tours 3 et 5",
		"Une parcelle à l'abandon, des habitants intéressés.", maillon.ActiviteIdee,
		"lea", "", 0, 0, 0, nil, ""},
	{"Tournoi de foot inter-quartiers", "fete_quartier", "Jeunes de 12 à 18 ans",
		"Rivalités entre deux quartiers voisins.", maillon.ActiviteAnnulee,
		"moussa", "", 1, 15, 60, nil, "consultes"},
}

// demoAnswers are the open comments of the questionnaires.
var demoAnswers = []string{"Très bon moment, merci !", "J'ai rencontré mes voisins.", "Trop court.",
	"J'aimerais que ça continue.", "Le lieu était difficile à trouver.", "", "", ""}

// activites creates the demo's collective actions through the service,
// with their sessions, registrations, attendance and answers.
func (g *gen) activites(ctx context.Context, w *world) error {
	svc := g.svc.Activites
	var people []*personPlan
	for _, p := range w.people {
		if p.eligible() {
			people = append(people, p)
		}
	}
	dirs, _, err := g.svc.Directory.FindDirectoryStructures(ctx, w.coord.actor, "", 0, 10)
	if err != nil {
		return err
	}
	for i, d := range demoProjects {
		if err := g.activite(ctx, w, svc, i, d, people, dirs); err != nil {
			return fmt.Errorf("demo activite %d: %w", i, err)
		}
		g.sum.Activites++
	}
	return nil
}

func (g *gen) activite(ctx context.Context, w *world, svc maillon.ActiviteService, i int, d demoProject,
	people []*personPlan, dirs []maillon.DirectoryStructure) error {
	owner := w.members[d.owner]
	actor, coord := owner.actor, w.coord.actor
	day := func(days int) string { return w.today.AddDate(0, 0, days).Format("2006-01-02") }
	in := maillon.ActiviteInput{Title: d.title, Kind: d.kind, Public: d.public, Need: d.need, Participation: d.participation,
		Accessibility: d.access, Channels: []string{"affiche", "bouche_oreille"}, NeedSource: "Observations de tournée et de permanence",
		Resources: "Salle prêtée par un partenaire, deux médiateurs par séance.",
		Risks:     "Faible mobilisation les premières semaines : relance en porte-à-porte."}
	if d.sessions > 0 {
		in.StartsOn = day(d.startDays - 7)
	}
	if len(w.communes) > 0 {
		c := w.communes[i%len(w.communes)]
		in.CommuneID = c.id
		if len(c.zones) > 0 {
			in.ZoneID = c.zones[i%len(c.zones)].id
		}
	}
	a, err := svc.CreateActivite(ctx, actor, in)
	if err != nil {
		return err
	}
	status := func(s, reason string) error {
		who := actor
		if s == maillon.ActiviteValidee {
			who = coord
		}
		return svc.SetActiviteStatus(ctx, who, a.ID, maillon.ActiviteStatusInput{Status: s, Reason: reason})
	}
	rank := map[string]int{maillon.ActiviteIdee: 0, maillon.ActivitePreparation: 1, maillon.ActiviteValidee: 2,
		maillon.ActiviteEnCours: 3, maillon.ActiviteTerminee: 4, maillon.ActiviteEvaluee: 5, maillon.ActiviteAnnulee: 1}[d.status]
	if d.status == maillon.ActiviteIdee {
		return nil
	}
	// Objectives, partners and budget are set in preparation.
	target := max(d.sessions*d.capacity*2/3, 10)
	for _, o := range []maillon.ObjectiveInput{
		{Label: "Toucher des habitants", Indicator: maillon.IndicatorPresences, Target: strconv.Itoa(target)},
		{Label: "Tenir les séances prévues", Indicator: maillon.IndicatorSeances, Target: strconv.Itoa(max(d.sessions, 1))},
		{Label: "Faire venir de nouvelles personnes", Indicator: maillon.IndicatorNouveaux, Target: strconv.Itoa(max(target/3, 3))},
		{Label: "Participants orientés vers un partenaire", Indicator: maillon.IndicatorSaisi, Target: "5", Unit: "personnes"},
	} {
		if err := svc.AddObjective(ctx, actor, a.ID, o); err != nil {
			return err
		}
	}
	if len(dirs) > 0 {
		p := maillon.ActivitePartnerInput{DirectoryID: dirs[i%len(dirs)].ID, Role: "Prête la salle et relaie l'information"}
		if err := svc.AddActivitePartner(ctx, actor, a.ID, p); err != nil {
			return err
		}
	}
	if err := svc.AddActivitePartner(ctx, actor, a.ID, maillon.ActivitePartnerInput{Name: "Conseil citoyen", Role: "Co-construit le programme"}); err != nil {
		return err
	}
	planned := 150 + 50*(i%5)
	for _, b := range []maillon.BudgetInput{
		{Funder: "Ville", Label: "Goûter et boissons", Planned: strconv.Itoa(planned)},
		{Funder: "CAF", Label: "Matériel et impression", Planned: strconv.Itoa(planned / 2)},
	} {
		if err := svc.AddBudgetLine(ctx, actor, a.ID, b); err != nil {
			return err
		}
	}
	if err := status(maillon.ActivitePreparation, ""); err != nil {
		return err
	}
	if d.status == maillon.ActiviteAnnulee {
		return status(maillon.ActiviteAnnulee, "Le terrain prévu n'est plus disponible à cette date.")
	}
	var ids []maillon.SeanceID
	if d.sessions > 0 {
		start := w.today.AddDate(0, 0, d.startDays)
		in := maillon.SeanceInput{Date: start.Format("2006-01-02"), Start: "14:00", End: "16:00",
			Place: "Maison de quartier, salle " + strconv.Itoa(1+i%3), Capacity: strconv.Itoa(d.capacity),
			Facilitators: owner.user.DisplayName + " et un partenaire", Recurrence: d.recurrence}
		if d.recurrence != "" {
			in.Count = strconv.Itoa(d.sessions)
		}
		if ids, err = svc.CreateSeances(ctx, actor, a.ID, in); err != nil {
			return err
		}
	}
	if rank < 2 {
		return nil
	}
	if err := status(maillon.ActiviteValidee, ""); err != nil {
		return err
	}
	if rank < 3 {
		return nil
	}
	if err := status(maillon.ActiviteEnCours, ""); err != nil {
		return err
	}
	now := w.loadedAt
	for k, sid := range ids {
		if err := g.seance(ctx, w, svc, actor, a.ID, sid, k, d, people, now); err != nil {
			return err
		}
	}
	if i%3 == 0 {
		if err := svc.AddAdjustment(ctx, actor, a.ID, maillon.AdjustmentInput{What: "Séances avancées à 14 h",
			Why: "Les parents récupèrent les enfants à 16 h 30."}); err != nil {
			return err
		}
	}
	if rank < 4 {
		return nil
	}
	actual := map[int64]string{}
	full, err := svc.FindActivite(ctx, actor, a.ID)
	if err != nil {
		return err
	}
	for j, b := range full.Budget {
		actual[b.ID] = strconv.Itoa(b.Planned - 20*j + 10*(i%3))
	}
	if err := svc.SetBudgetActual(ctx, actor, a.ID, maillon.BudgetActualInput{Actual: actual}); err != nil {
		return err
	}
	if err := status(maillon.ActiviteTerminee, ""); err != nil {
		return err
	}
	ev := maillon.EvaluationInput{Entered: map[int64]string{full.Objectives[3].ID: strconv.Itoa(3 + i%5)},
		Effects:     "Des habitants qui ne se parlaient pas se saluent ; plusieurs reviennent d'une séance à l'autre.",
		Testimonies: "« Je ne connaissais personne dans l'immeuble, maintenant j'ai des voisines à qui parler. »",
		Lessons:     "Annoncer les séances en porte-à-porte la veille double la participation.",
		Decision:    []string{"poursuivre", "ajuster", "arreter"}[i%3], DecisionText: "Décidé en réunion d'équipe avec les partenaires."}
	if rank == 4 && i%2 == 0 {
		return nil // a finished project not evaluated yet
	}
	if err := svc.SaveEvaluation(ctx, actor, a.ID, ev); err != nil {
		return err
	}
	if rank < 5 {
		return nil
	}
	return status(maillon.ActiviteEvaluee, "")
}

// seance fills a session: registrations, then, once it happened,
// attendance and questionnaire answers (on paper and through the link).
func (g *gen) seance(ctx context.Context, w *world, svc maillon.ActiviteService, actor maillon.Actor, id maillon.ActiviteID,
	sid maillon.SeanceID, k int, d demoProject, people []*personPlan, now time.Time) error {
	_, se, err := svc.FindSeance(ctx, actor, id, sid, false)
	if err != nil {
		return err
	}
	named := min(len(people), 2+w.rnd.IntN(4))
	for j := range named {
		p := people[(k*3+j*7+len(d.title))%len(people)]
		if _, err := svc.Register(ctx, actor, id, sid, maillon.RegistrationInput{PersonID: p.id}); err != nil && !alreadyRegistered(err) {
			return err
		}
	}
	if _, err := svc.Register(ctx, actor, id, sid, maillon.RegistrationInput{Count: strconv.Itoa(1 + w.rnd.IntN(3))}); err != nil {
		return err
	}
	if se.StartsAt.After(now) {
		return nil
	}
	_, se, err = svc.FindSeance(ctx, actor, id, sid, false)
	if err != nil {
		return err
	}
	att := maillon.AttendanceInput{Presence: map[int64]string{}, Observations: "Bonne ambiance ; des échanges entre habitants de tours différentes."}
	for _, r := range se.Registrations {
		if !r.Waiting {
			att.Presence[r.ID] = w.weighted(maillon.PresencePresent, 7, maillon.PresenceExcuse, 2, maillon.PresenceAbsent, 1)
		}
	}
	ages := []string{"16_25", "26_44", "45_64", "65_plus", "moins_16"}
	for j := range 1 + w.rnd.IntN(3) {
		tl := maillon.TallyInput{AgeBand: ages[(k+j)%len(ages)], Gender: []string{"femme", "homme"}[j%2],
			Count: strconv.Itoa(min(1+w.rnd.IntN(max(d.capacity/4, 2)), d.capacity)), Newcomer: []string{"nouveau", "habitue", "habitue"}[(k+j)%3]}
		att.Tallies = append(att.Tallies, tl)
	}
	if err := svc.SaveAttendance(ctx, actor, id, sid, att); err != nil {
		return err
	}
	for j := range 2 + w.rnd.IntN(4) {
		var scores []string
		for range maillon.SatisfactionQuestions {
			scores = append(scores, w.weighted("4", 5, "3", 4, "2", 1, "1", 1))
		}
		in := maillon.SatisfactionInput{Scores: scores, Comment: demoAnswers[(k+j)%len(demoAnswers)]}
		if err := svc.AddPaperAnswer(ctx, actor, id, sid, in); err != nil {
			return err
		}
	}
	// The latest held session has its public link, with one answer
	// through it.
	if se.StartsAt.After(now.AddDate(0, 0, -15)) {
		token, err := svc.CreateQuestionnaireLink(ctx, actor, id, sid, maillon.DefaultQuestionnaireDay)
		if err != nil {
			return err
		}
		in := maillon.SatisfactionInput{Scores: []string{"4", "4", "3", "4", "4"}, Comment: "Merci pour l'accueil."}
		if err := svc.AnswerQuestionnaire(ctx, token, in, "demo"); err != nil {
			return err
		}
	}
	return nil
}

// alreadyRegistered tells a person registered twice by the plan's
// rotation apart from a real failure.
func alreadyRegistered(err error) bool {
	return maillon.FieldsOf(err)["person_id"] != ""
}
