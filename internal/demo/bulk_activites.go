package demo

import (
	"context"
	"fmt"
	"time"

	"maillon"
)

// peoplePerActivite sets the number of collective actions of the large
// scale: one per ten people, 20,000 for the default 200,000 people, with
// about 210,000 sessions and 1.1 million attendance rows.
const peoplePerActivite = 10

// activiteBatchSize is the number of projects per import transaction.
const activiteBatchSize = 500

// bulkActiviteSessions is the size of the long series every hundredth
// project runs: the project-page benchmark opens one.
const bulkActiviteSessions = 50

// Words of the bulk collective actions.
var bulkActiviteTitles = map[string][]string{
	"atelier":           {"Atelier couture", "Atelier cuisine du monde", "Atelier bricolage", "Atelier écriture"},
	"cafe_rencontre":    {"Café des parents", "Café des voisins", "Café des seniors"},
	"sortie":            {"Sortie au musée", "Sortie à la mer", "Balade en forêt"},
	"fete_quartier":     {"Fête des voisins", "Fête de fin d'année", "Repas partagé"},
	"reunion_info":      {"Réunion sur les charges", "Réunion sur la rentrée scolaire", "Information énergie"},
	"atelier_numerique": {"Atelier démarches en ligne", "Atelier smartphone", "Atelier e-mail"},
	"concertation":      {"Concertation sur le square", "Concertation sur la rénovation"},
	"autre":             {"Jardin partagé", "Repair café"},
}

// importActivites draws n collective actions of the structure and imports
// them in batches.
func (b *bulkGen) importActivites(ctx context.Context, op maillon.Actor, n int) error {
	imp, ok := b.imp.(maillon.ActiviteImporter)
	if !ok || n == 0 || len(b.days) == 0 {
		return nil
	}
	var mediators []*member
	for _, m := range b.net.members {
		if m.user.Role == maillon.RoleMediateur {
			mediators = append(mediators, m)
		}
	}
	if len(mediators) == 0 {
		mediators = b.net.members
	}
	var batch []maillon.Activite
	for k := range n {
		batch = append(batch, b.drawActivite(k, pick(b.world, mediators)))
		if len(batch) == activiteBatchSize || k == n-1 {
			if err := imp.ImportActivites(ctx, op, batch); err != nil {
				return fmt.Errorf("import activites: %w", err)
			}
			b.sum.Activites += len(batch)
			batch = batch[:0]
		}
	}
	return nil
}

// drawActivite draws one project, its sessions and their attendance.
func (b *bulkGen) drawActivite(k int, owner *member) maillon.Activite {
	kind := maillon.ActiviteKinds[b.rnd.IntN(len(maillon.ActiviteKinds))].Code
	titles := bulkActiviteTitles[kind]
	a := maillon.Activite{StructureID: b.net.st.ID, Kind: kind, Title: titles[b.rnd.IntN(len(titles))],
		Public: "Habitants du quartier", Need: "Besoin repéré en tournée et en permanence.", OwnerID: owner.user.ID,
		TeamID: owner.user.TeamID, Participation: maillon.ParticipationLevels[b.rnd.IntN(4)].Code,
		Channels: []string{"affiche"}, Accessibility: []string{"plain_pied", "horaires"}}
	if len(b.zones) > 0 {
		z := b.zones[b.rnd.IntN(len(b.zones))]
		a.ZoneID, a.CommuneID = z.id, z.commune.id
		a.Title += " – " + z.name
	}
	first := b.days[b.rnd.IntN(len(b.days))]
	created := first.AddDate(0, 0, -30)
	a.CreatedAt, a.UpdatedAt, a.StartsOn = created, created, first.AddDate(0, 0, -7)
	count, step := b.between(8, 14), 7
	switch {
	case k%100 == 0:
		count = bulkActiviteSessions
	case k%3 == 1:
		step = 14
	case k%3 == 2:
		step = 28
	}
	// A few projects never ran.
	switch b.rnd.IntN(100) {
	case 0, 1:
		a.Status, a.CancelReason = maillon.ActiviteAnnulee, "Salle indisponible."
		count = 0
	case 2, 3:
		a.Status = maillon.ActiviteIdee
		count = 0
	}
	target := max(count*6, 10)
	a.Objectives = []maillon.ActiviteObjective{
		{Label: "Toucher des habitants", Indicator: maillon.IndicatorPresences, Target: target, Unit: "personnes"},
		{Label: "Tenir les séances prévues", Indicator: maillon.IndicatorSeances, Target: max(count, 1), Unit: "séances"},
		{Label: "Participants orientés", Indicator: maillon.IndicatorSaisi, Target: 5, Unit: "personnes"},
	}
	a.Partners = []maillon.ActivitePartner{{Name: "Centre social", Role: "Prête la salle"}}
	planned := 100 + 10*b.rnd.IntN(30)
	a.Budget = []maillon.BudgetLine{{Funder: "Ville", Label: "Goûter", Planned: planned}, {Funder: "CAF", Label: "Matériel", Planned: planned / 2}}
	held, future := 0, 0
	place := "Maison de quartier"
	for s := range count {
		day := first.AddDate(0, 0, s*step)
		start := time.Date(day.Year(), day.Month(), day.Day(), 14, 0, 0, 0, maillon.Paris)
		se := maillon.Seance{StartsAt: start, EndsAt: start.Add(2 * time.Hour), Place: place, Capacity: 12 + 4*b.rnd.IntN(5),
			Facilitators: owner.user.DisplayName, SeriesID: 1}
		past := start.Before(b.now)
		// Registrations: one or two named people, and a count.
		regs := 1 + b.rnd.IntN(2)
		var last maillon.PersonID
		for range regs {
			p := b.people[b.rnd.IntN(len(b.people))]
			if p.id == last {
				continue
			}
			last = p.id
			r := maillon.Registration{PersonID: p.id, Count: 1, CreatedAt: start.AddDate(0, 0, -3)}
			if past {
				r.Attendance = b.weighted(maillon.PresencePresent, 7, maillon.PresenceExcuse, 2, maillon.PresenceAbsent, 1)
			}
			se.Registrations = append(se.Registrations, r)
		}
		anon := maillon.Registration{Count: 1 + b.rnd.IntN(3), CreatedAt: start.AddDate(0, 0, -2)}
		if past {
			anon.Attendance = maillon.PresencePresent
		}
		se.Registrations = append(se.Registrations, anon)
		if past {
			held++
			se.AttendanceDone = true
			se.Observations = "Séance calme, bonne participation."
			for t := range 3 + b.rnd.IntN(2) {
				g := maillon.Tally{AgeBand: maillon.AgeBands[b.rnd.IntN(5)].Code, Gender: []string{"femme", "homme"}[t%2],
					Newcomer: b.rnd.IntN(4) == 0, Count: 1 + b.rnd.IntN(4)}
				if len(b.zones) > 0 && b.rnd.IntN(2) == 0 {
					g.ZoneID = a.ZoneID
				}
				se.Tallies = append(se.Tallies, g)
			}
			for range b.rnd.IntN(3) {
				var x maillon.SatisfactionAnswer
				for q := range x.Scores {
					x.Scores[q] = 2 + b.rnd.IntN(3)
				}
				se.Imported = append(se.Imported, x)
			}
		} else {
			future++
		}
		a.Seances = append(a.Seances, se)
	}
	if count > 0 {
		a.EndsOn = a.Seances[count-1].StartsAt
		a.ValidatedAt = created.AddDate(0, 0, 10)
		switch {
		case future == count:
			a.Status = maillon.ActiviteValidee
		case future > 0:
			a.Status = maillon.ActiviteEnCours
		case b.rnd.IntN(10) < 7:
			a.Status = maillon.ActiviteEvaluee
			a.Objectives[2].Entered, a.Objectives[2].HasEntered = b.rnd.IntN(8), true
			a.Effects = "Des liens se sont créés entre habitants."
			a.Lessons = "Prévenir la veille augmente la participation."
			a.Decision = maillon.ActiviteDecisions[b.rnd.IntN(3)].Code
			for j := range a.Budget {
				a.Budget[j].Actual = a.Budget[j].Planned - 10*b.rnd.IntN(5)
			}
		default:
			a.Status = maillon.ActiviteTerminee
		}
		if held > 4 && b.rnd.IntN(3) == 0 {
			a.Adjustments = []maillon.Adjustment{{At: a.Seances[2].StartsAt, What: "Horaire avancé à 14 h", Why: "Sortie des écoles."}}
		}
	}
	return a
}
