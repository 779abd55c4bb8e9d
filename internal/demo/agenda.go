package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"maillon"
)

// The agenda of the demo: weekly permanences of each team, planned
// tournées of the evening team, partner meetings, and the appointments of
// the day mediators over the past and coming two weeks, with the
// attendance filled in for the past ones. Everything goes through the
// services, as the mediators would have entered it.

// demoAppointments are the purposes of the demo appointments, with their
// theme and what to bring.
var demoAppointments = []struct{ purpose, theme, documents string }{
	{"Finir la demande de prime d'activité", "droits_sociaux", "Trois derniers bulletins de salaire, RIB"},
	{"Dossier de logement social à mettre à jour", "logement", "Avis d'imposition, pièce d'identité, quittance de loyer"},
	{"Renouvellement de la complémentaire santé solidaire", "sante", "Carte Vitale, justificatifs de ressources"},
	{"Demande de titre de séjour : préparer le rendez-vous en préfecture", "etrangers", "Passeport, titre actuel, justificatif de domicile"},
	{"Échéancier avec le fournisseur d'énergie", "energie", "Dernière facture, courrier de relance"},
	{"Créer son espace France Travail", "emploi", "Pièce d'identité, adresse e-mail, CV s'il existe"},
	{"Inscription à la cantine et aux activités périscolaires", "education", "Avis d'imposition, carnet de santé de l'enfant"},
	{"Faire le point sur le budget et les dettes", "budget", "Relevés de compte, courriers des créanciers"},
	{"Demande de carte d'identité (ANTS)", "papiers", "Photo d'identité, justificatif de domicile, ancienne carte"},
}

// demoPermanences are the weekly permanences of the day teams.
var demoPermanences = []struct {
	team, commune, zone, label, purpose string
	weekday                             time.Weekday
	from, to                            string
	members                             []string
}{
	{"ven", "Vénissieux", "Les Érables", "Centre social des Érables, 4 place Jean-Jaurès", "Permanence d'accès aux droits",
		time.Monday, "09:00", "12:00", []string{"karim", "sophie"}},
	{"ven", "Vénissieux", "Parilly-Nord", "Mairie annexe de Parilly, salle 2", "Permanence numérique et démarches en ligne",
		time.Thursday, "14:00", "17:00", []string{"sophie"}},
	{"sfsp", "Saint-Fons", "La Garenne", "Centre social de la Garenne, 10 rue Carnot", "Permanence d'accès aux droits",
		time.Tuesday, "09:00", "12:00", []string{"yacine"}},
	{"sfsp", "Saint-Priest", "Bel-Air", "Maison France Services, 2 place Charles-Ottina", "Permanence logement et énergie",
		time.Friday, "14:00", "17:00", []string{"lea"}},
}

// demoMeetings are the partner meetings of each team, once a week.
var demoMeetings = map[string][]string{
	"ven":  {"Point mensuel avec le bailleur Est Métropole Habitat", "Réunion de quartier avec la police municipale", "Comité de suivi avec le CCAS"},
	"sfsp": {"Réunion avec la Maison France Services", "Point avec l'assistante sociale du Département", "Réunion inter-partenaires du quartier"},
	"soir": {"Point avec les animateurs de la MJC", "Réunion avec les gardiens d'immeubles"},
}

// agendaWindow is how far the demo agenda reaches on each side of today.
const agendaWindow = 14

// agenda creates the demo agenda of the main structure.
func (g *gen) agenda(ctx context.Context, w *world) error {
	svc := g.svc.Agenda
	zone := func(commune, name string) (maillon.CommuneID, maillon.ZoneID) {
		for _, c := range w.communes {
			if c.name != commune {
				continue
			}
			for _, z := range c.zones {
				if z.name == name {
					return c.id, z.id
				}
			}
			return c.id, 0
		}
		return 0, 0
	}
	create := func(actor maillon.Actor, in maillon.AgendaInput) (*maillon.AgendaEvent, error) {
		e, err := svc.CreateAgendaEvent(ctx, actor, in)
		if err != nil {
			return nil, fmt.Errorf("demo agenda %q on %s: %w", in.Purpose, in.Date, err)
		}
		g.sum.Agenda++
		return e, nil
	}
	monday := maillon.WeekStart(w.today)
	for _, p := range demoPermanences {
		first := monday.AddDate(0, 0, -42+(int(p.weekday)+6)%7)
		in := maillon.AgendaInput{Kind: maillon.AgendaPermanence, Date: ymd(first), Time: p.from, EndTime: p.to,
			RepeatUntil: ymd(first.AddDate(0, 4, 0)), PlaceLabel: p.label, Purpose: p.purpose, Theme: "droits_sociaux"}
		in.CommuneID, in.ZoneID = zone(p.commune, p.zone)
		for _, k := range p.members {
			in.Mediators = append(in.Mediators, w.members[k].user.ID)
		}
		e, err := create(w.members[p.members[0]].actor, in)
		if err != nil {
			return err
		}
		// The session of the coming week is cancelled (training day).
		next := e.Occurrences(w.holidays, monday.AddDate(0, 0, 7), monday.AddDate(0, 0, 14))
		if len(next) > 0 && p.team == "ven" {
			if err := svc.CancelOccurrence(ctx, w.members[p.members[0]].actor, e.ID, ymd(next[0].StartAt)); err != nil {
				return fmt.Errorf("demo agenda cancel: %w", err)
			}
		}
	}
	// People each team may give an appointment to: open files.
	byTeam := map[string][]*personPlan{}
	for _, p := range w.people {
		if p.id != 0 && !p.archive && p.withdraw == "" {
			byTeam[p.team] = append(byTeam[p.team], p)
		}
	}
	slots := []string{"10:30", "14:00", "15:30", "16:30"}
	for d := w.today.AddDate(0, 0, -agendaWindow); d.Before(w.today.AddDate(0, 0, agendaWindow+1)); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || w.holidays.IsHoliday(d) {
			continue
		}
		for _, k := range []string{"karim", "sophie", "yacine", "lea"} {
			m := w.members[k]
			n := w.between(1, 2)
			if k == "karim" && d.Equal(w.today) {
				n = 3 // the demo's mediator has a full day today
			}
			first := w.rnd.IntN(len(slots) - n + 1)
			for _, slot := range slots[first : first+n] {
				a := demoAppointments[w.rnd.IntN(len(demoAppointments))]
				in := maillon.AgendaInput{Kind: maillon.AgendaRendezVous, Date: ymd(d), Time: slot,
					EndTime: addMinutes(slot, 45), Mediators: []maillon.UserID{m.user.ID}, Purpose: a.purpose, Theme: a.theme,
					Documents: a.documents, PlaceLabel: "Locaux de la médiation, 12 rue des Tilleuls, Vénissieux"}
				if people := byTeam[m.team]; len(people) > 0 && w.chance(85) {
					in.PersonID = people[w.rnd.IntN(len(people))].id
				}
				e, err := create(m.actor, in)
				if err != nil {
					return err
				}
				if d.Before(w.today) {
					status := w.weighted(maillon.AttendanceVenu, 72, maillon.AttendanceExcuse, 10, maillon.AttendanceAbsent, 13,
						maillon.AttendanceAnnule, 5)
					if err := svc.SetAttendance(ctx, m.actor, e.ID, status); err != nil {
						return fmt.Errorf("demo agenda attendance: %w", err)
					}
				}
			}
		}
		// A partner meeting per team on Wednesdays; the evening team's
		// tournées on Tuesdays and Fridays.
		if d.Weekday() == time.Wednesday {
			// A slice, not a map: the draws must come in the same order
			// for a seed.
			for _, tm := range []struct {
				team string
				ms   []string
			}{{"ven", []string{"karim", "nadia"}}, {"sfsp", []string{"yacine", "lea"}}, {"soir", []string{"moussa", "ines"}}} {
				team, ms := tm.team, tm.ms
				in := maillon.AgendaInput{Kind: maillon.AgendaReunion, Date: ymd(d), Time: "09:00", EndTime: "10:00",
					Purpose: pick(w, demoMeetings[team]), PlaceLabel: "Salle de réunion partenaire"}
				for _, k := range ms {
					in.Mediators = append(in.Mediators, w.members[k].user.ID)
				}
				if _, err := create(w.members[ms[0]].actor, in); err != nil {
					return err
				}
			}
		}
		if d.Weekday() == time.Tuesday || d.Weekday() == time.Friday {
			z := pick(w, w.communes[0].zones)
			in := maillon.AgendaInput{Kind: maillon.AgendaTournee, Date: ymd(d), Time: "18:00", EndTime: "21:00",
				Mediators: []maillon.UserID{w.members["moussa"].user.ID, w.members["ines"].user.ID},
				CommuneID: z.commune.id, ZoneID: z.id, Purpose: "Présence de soirée autour des commerces et des halls"}
			if _, err := create(w.members["moussa"].actor, in); err != nil {
				return err
			}
		}
	}
	return nil
}

// addMinutes adds minutes to a "15:04" time of day.
func addMinutes(clock string, minutes int) string {
	t, err := time.Parse("15:04", clock)
	if err != nil {
		return clock
	}
	return t.Add(time.Duration(minutes) * time.Minute).Format("15:04")
}

// ---------------------------------------------------------------------
// The large scale: two years of appointments and the permanences of each
// team of the network structures, through the bulk import.

const (
	// agendaAhead is how far ahead the network's agenda is planned.
	agendaAhead = 90
	// agendaPerDay is the average number of appointments of a mediator
	// per working day (2 to 4).
	agendaPerDay    = 3
	agendaBatchSize = 10_000
)

// importAgenda draws the agenda of one network structure: for each
// mediator, 2 to 4 appointments per working day over the two years of
// activity and the coming three months (attendance filled for the past
// ones), and two weekly permanences per team. A reduced network (share of
// the default people below 1) gets that share of the mediator-days.
func (b *bulkGen) importAgenda(ctx context.Context, op maillon.Actor, share float64) error {
	sid := b.net.st.ID
	days := slices.Clone(b.days)
	for d := b.world.today; d.Before(b.world.today.AddDate(0, 0, agendaAhead)); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !b.holidays.IsHoliday(d) {
			days = append(days, d)
		}
	}
	teams := map[maillon.TeamID][]*member{}
	var teamOrder []maillon.TeamID
	var mediators []*member
	for _, m := range b.net.members {
		if m.user.Role != maillon.RoleMediateur {
			continue
		}
		mediators = append(mediators, m)
		if len(teams[m.user.TeamID]) == 0 {
			teamOrder = append(teamOrder, m.user.TeamID)
		}
		teams[m.user.TeamID] = append(teams[m.user.TeamID], m)
	}
	var batch []maillon.AgendaEvent
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := b.imp.ImportAgenda(ctx, op, batch); err != nil {
			return err
		}
		b.sum.Agenda += len(batch)
		batch = batch[:0]
		return nil
	}
	add := func(e maillon.AgendaEvent) error {
		batch = append(batch, e)
		if len(batch) == agendaBatchSize {
			return flush()
		}
		return nil
	}
	at := func(d time.Time, minutes int) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), minutes/60, minutes%60, 0, 0, maillon.Paris).UTC()
	}
	// Two permanences per team, over the whole period.
	for ti, tid := range teamOrder {
		ms := teams[tid]
		for k := range 2 {
			z := b.zones[(ti*2+k)%len(b.zones)]
			first := days[0]
			for first.Weekday() != time.Weekday(1+(ti+k*2)%5) {
				first = first.AddDate(0, 0, 1)
			}
			start := at(first, 9*60+k*5*60)
			e := maillon.AgendaEvent{StructureID: sid, Kind: maillon.AgendaPermanence, StartAt: start,
				EndAt: start.Add(3 * time.Hour), RepeatUntil: days[len(days)-1], TeamID: tid, CommuneID: z.commune.id,
				ZoneID: z.id, PlaceLabel: "Centre social – " + z.name, Purpose: "Permanence d'accès aux droits",
				Theme: "droits_sociaux", Mediators: []maillon.UserID{ms[k%len(ms)].user.ID}, CreatedBy: ms[0].user.ID,
				CreatedAt: start.Add(-7 * 24 * time.Hour)}
			if err := add(e); err != nil {
				return err
			}
		}
	}
	slots := []int{9*60 + 30, 10*60 + 45, 14 * 60, 15*60 + 15, 16*60 + 30}
	for _, d := range days {
		past := d.Before(b.world.today)
		for _, m := range mediators {
			// Drawn only for a reduced network, so that the default
			// size keeps its dataset.
			if share < 1 && b.rnd.Float64() >= share {
				continue
			}
			n := b.between(agendaPerDay-1, agendaPerDay+1)
			first := b.rnd.IntN(len(slots) - n + 1)
			for _, slot := range slots[first : first+n] {
				start := at(d, slot)
				e := maillon.AgendaEvent{StructureID: sid, Kind: maillon.AgendaRendezVous, StartAt: start,
					EndAt: start.Add(time.Duration(b.between(3, 6)*10) * time.Minute), TeamID: m.user.TeamID,
					Mediators: []maillon.UserID{m.user.ID}, CreatedBy: m.user.ID, CreatedAt: start.Add(-time.Duration(b.between(1, 20)) * 24 * time.Hour)}
				switch b.weighted("rdv", 85, "reunion", 8, "tournee", 7) {
				case "rdv":
					a := demoAppointments[b.rnd.IntN(len(demoAppointments))]
					e.Purpose, e.Theme, e.Documents = a.purpose, a.theme, a.documents
					e.PlaceLabel = "Locaux de la médiation"
					if b.chance(85) && len(b.people) > 0 {
						e.PersonID = b.people[b.rnd.IntN(len(b.people))].id
					}
				case "reunion":
					e.Kind, e.Purpose, e.PlaceLabel = maillon.AgendaReunion, "Réunion avec un partenaire du quartier", "Chez le partenaire"
				default:
					z := b.zones[b.rnd.IntN(len(b.zones))]
					e.Kind, e.Purpose, e.CommuneID, e.ZoneID = maillon.AgendaTournee, "Tournée de présence", z.commune.id, z.id
				}
				if past && e.Kind == maillon.AgendaRendezVous {
					e.Attendance = b.weighted(maillon.AttendanceVenu, 72, maillon.AttendanceExcuse, 10, maillon.AttendanceAbsent, 13,
						maillon.AttendanceAnnule, 5)
				}
				if e.CreatedAt.After(b.now) {
					e.CreatedAt = b.now
				}
				if err := add(e); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}
