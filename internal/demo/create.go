package demo

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"maillon"
)

// activity plans then creates the people and the six months of activity
// of the main structure, through the services, as the mediators would
// have entered them.
func (g *gen) activity(ctx context.Context, st *maillon.Structure, communes []*communeRef, users map[string]*maillon.User) error {
	// The store's clock: the real time in production, the fixed clock of
	// tests. Every date is computed from it.
	w := newWorld(g.rnd, st.CreatedAt, st.Holidays)
	w.loadedAt = st.CreatedAt
	w.communes = communes
	for key, u := range users {
		m := &member{key: key, user: u, actor: maillon.Actor{UserID: u.ID, StructureID: u.StructureID, TeamID: u.TeamID,
			Role: u.Role, Channel: maillon.ChannelWeb}}
		w.members[key] = m
	}
	for _, k := range []string{"karim", "sophie", "yacine", "lea", "moussa", "ines"} {
		m := w.members[k]
		m.team = map[string]string{"karim": "ven", "sophie": "ven", "yacine": "sfsp", "lea": "sfsp", "moussa": "soir", "ines": "soir"}[k]
		w.teams[m.team] = append(w.teams[m.team], m)
	}
	w.coord = w.members["nadia"]

	people := 80
	if raceBuild {
		people = 24
	}
	w.planTeamActivity()
	w.planPeople(people)
	for _, p := range w.people {
		if !p.follower {
			w.planStory(p)
		}
	}
	w.planConflicts()
	w.ensureRecent(w.members["karim"]) // mediation@demo.maillon.test
	w.finish()
	if err := w.create(ctx, g.svc, g.sum); err != nil {
		return err
	}
	if err := w.createJournal(ctx, g.svc); err != nil {
		return err
	}
	if err := g.orientations(ctx, w); err != nil {
		return err
	}
	if err := g.practice(ctx, w); err != nil {
		return err
	}
	if err := g.agenda(ctx, w); err != nil {
		return err
	}
	if err := g.mediations(ctx, w); err != nil {
		return err
	}
	if err := g.veille(ctx, w); err != nil {
		return err
	}
	if err := w.createTournees(ctx, g.svc, g.sum); err != nil {
		return err
	}
	if err := g.territoire(ctx, st, w); err != nil {
		return err
	}
	if err := g.directory(ctx, w.coord.actor, w.members["karim"].actor, w.today); err != nil {
		return err
	}
	// Directory links (annuaire2): orientations picked from the directory.
	if err := g.directoryLinks(ctx, w); err != nil {
		return err
	}
	// Collective actions, after the directory: their partners come from
	// it.
	return g.activites(ctx, w)
}

func (w *world) create(ctx context.Context, svc maillon.Services, sum *Summary) error {
	// Catalogue entries by organisme and label.
	types, err := svc.Interventions.FindProcedureTypes(ctx, w.members["karim"].actor, true)
	if err != nil {
		return fmt.Errorf("demo procedure types: %w", err)
	}
	typeID := map[string]maillon.ProcedureTypeID{}
	for _, t := range types {
		typeID[t.Organisme+"|"+t.Label] = t.ID
	}

	// People, in the order they were met.
	people := append([]*personPlan(nil), w.people...)
	sort.SliceStable(people, func(i, j int) bool { return people[i].firstSeen.Before(people[j].firstSeen) })
	for _, p := range people {
		p.in.ConsentDate = ymd(p.firstSeen)
		created, err := svc.People.CreatePerson(ctx, p.creator.actor, p.in)
		if err != nil {
			return fmt.Errorf("demo person %d: %w", p.idx, err)
		}
		p.id = created.ID
		sum.People++
		for _, c := range p.consents {
			if err := svc.People.AddConsent(ctx, p.creator.actor, p.id, maillon.ConsentInput{Scope: c.scope, Method: c.method, Date: ymd(c.day)}); err != nil {
				return fmt.Errorf("demo consent of person %d: %w", p.idx, err)
			}
		}
		for _, a := range p.profiles {
			if err := svc.People.AddAutonomy(ctx, p.creator.actor, p.id, a); err != nil {
				return fmt.Errorf("demo autonomy of person %d: %w", p.idx, err)
			}
		}
	}

	// Interventions, oldest first.
	sort.SliceStable(w.ivs, func(i, j int) bool { return w.ivs[i].start.Before(w.ivs[j].start) })
	var done []*ivPlan
	for _, iv := range w.ivs {
		in := iv.input(typeID)
		created, err := svc.Interventions.CreateIntervention(ctx, iv.mediators[0].actor, in)
		if err != nil {
			return fmt.Errorf("demo intervention of %s: %w", iv.start.Format("2006-01-02 15:04"), err)
		}
		iv.id = created.ID
		sum.Interventions++
		sum.Procedures += len(iv.procs)
		if !iv.followUp.IsZero() {
			sum.FollowUps++
			if iv.followDone {
				done = append(done, iv)
			}
		}
	}
	for _, iv := range done {
		if err := svc.Interventions.SetFollowUpDone(ctx, iv.mediators[0].actor, iv.id, true); err != nil {
			return fmt.Errorf("demo follow-up: %w", err)
		}
	}

	// Notes, then the consents withdrawn and the files archived.
	for _, p := range people {
		for _, n := range p.notes {
			if err := svc.People.AddNote(ctx, n.author.actor, p.id, maillon.NoteInput{Text: n.text, Private: n.private}); err != nil {
				return fmt.Errorf("demo note: %w", err)
			}
			sum.Notes++
		}
	}
	for _, p := range people {
		actor := w.noteAuthor(p).actor
		if p.withdraw != "" {
			f, err := svc.People.FindPersonFile(ctx, actor, p.id)
			if err != nil {
				return fmt.Errorf("demo person file: %w", err)
			}
			for _, c := range f.Consents {
				if c.Scope == p.withdraw && c.Active() {
					if err := svc.People.WithdrawConsent(ctx, actor, c.ID); err != nil {
						return fmt.Errorf("demo consent withdrawal: %w", err)
					}
				}
			}
		}
		if p.archive {
			if err := svc.People.SetPersonArchived(ctx, actor, p.id, true); err != nil {
				return fmt.Errorf("demo archive: %w", err)
			}
		}
	}
	return nil
}

// input is the form an intervention would have been entered with.
func (iv *ivPlan) input(typeID map[string]maillon.ProcedureTypeID) maillon.InterventionInput {
	in := maillon.InterventionInput{
		Date: ymd(iv.start), Time: maillon.InParis(iv.start).Format("15:04"), Minutes: strconv.Itoa(iv.minutes),
		PlaceType: iv.placeType, PlaceLabel: iv.label, Registre: iv.registre, Registres: iv.registres, Themes: iv.themes,
		Initiative: iv.initiative, Anonymous: iv.anonymous, Institutions: iv.institutions, Commanditaire: iv.commanditaire,
		Description: iv.description, Outcome: iv.outcome, NextStep: iv.nextStep, Documents: iv.documents,
	}
	for _, m := range iv.mediators {
		in.Mediators = append(in.Mediators, m.user.ID)
	}
	if iv.commune != nil {
		in.CommuneID = iv.commune.id
	}
	if iv.zone != nil {
		in.ZoneID = iv.zone.id
	}
	for _, p := range iv.persons {
		in.Persons = append(in.Persons, p.id)
	}
	if !iv.followUp.IsZero() {
		in.FollowUpOn = ymd(iv.followUp)
	}
	for _, pr := range iv.procs {
		pi := maillon.ProcedureInput{PersonID: pr.person.id, Organisme: pr.need.organisme, Label: pr.need.label,
			Channel: pr.channel, Mode: pr.mode, Mandate: pr.mandate, Obstacles: pr.obstacles, Outcome: pr.outcome}
		if id, ok := typeID[pr.need.organisme+"|"+pr.need.typ]; ok && pr.need.typ != "" {
			pi.TypeID = id
		} else if pi.Label == "" {
			pi.Label = pr.need.typ // the entry was retired: free text
		}
		if pr.level > 0 {
			pi.AutonomyLevel = strconv.Itoa(pr.level)
		}
		in.Procedures = append(in.Procedures, pi)
	}
	return in
}
