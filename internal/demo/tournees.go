package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"maillon"
)

// Tournées and lone-worker check-ins of the main structure. Each street
// presence the plan recorded as an intervention in binôme is also a
// tournée with its counter screen filled in, as the team would have
// counted it on the phone. They use their own random stream, drawn once
// from the plan's, so that the rest of the dataset stays as it was.

var tourneeObservations = []string{
	"Groupe d'adolescents inquiets de la fermeture du city-stade le soir : à remonter au conseil citoyen.",
	"Plusieurs habitants âgés disent ne plus sortir après 18 h faute d'éclairage sur le cheminement.",
	"Beaucoup de questions sur la nouvelle ligne de bus et les horaires du samedi.",
	"Dépôt sauvage de meubles au pied de l'immeuble depuis plusieurs jours.",
	"Ascenseur en panne signalé par des locataires, personnes à mobilité réduite bloquées dans les étages.",
	"Parents demandent des informations sur l'aide aux devoirs : orientés vers le centre social.",
	"Présence d'un groupe sur le parking souterrain, échanges calmes, pas d'inquiétude exprimée.",
	"Jeux d'enfants dégradés dans le square : signalement à faire aux services de la ville.",
}

var tourneeIncidents = []string{
	"Altercation verbale entre deux groupes devant la galerie commerciale : échanges séparés, retour au calme.",
	"Conflit de voisinage au sujet du bruit dans la cour : chacun écouté, rendez-vous proposé en médiation.",
	"Tension à l'arrêt de bus après un retard important : rappel des règles, situation apaisée.",
	"Scooter tournant dans le square, riverains excédés : échange avec les jeunes, départ sans heurt.",
}

// createTournees turns the plan's street presences into tournées, closes
// a few lone home visits and leaves one overdue, so that the
// coordination's dashboard shows the alert.
func (w *world) createTournees(ctx context.Context, svc maillon.Services, sum *Summary) error {
	rnd := rand.New(rand.NewPCG(w.rnd.Uint64(), 0x746f75726e6565))
	between := func(lo, hi int) int { return lo + rnd.IntN(hi-lo+1) }
	for _, iv := range w.ivs {
		// A presence alone in the past cannot be a tournée: its
		// expected end, required alone, would be in the past.
		if iv.registre != "presence" || iv.zone == nil || len(iv.mediators) < 2 {
			continue
		}
		a := iv.mediators[0].actor
		in := maillon.TourneeInput{ZoneID: iv.zone.id, Date: ymd(iv.start), Time: iv.start.Format("15:04")}
		for _, m := range iv.mediators {
			in.Members = append(in.Members, m.user.ID)
		}
		tr, err := svc.Tournees.CreateTournee(ctx, a, in)
		if err != nil {
			return fmt.Errorf("demo tournée %s: %w", iv.start, err)
		}
		counts := map[string]int{}
		met := 0
		for _, c := range iv.anonymous {
			counts[maillon.TourneeTallyAge(c.AgeBand)] += c.Count
			counts[maillon.TourneeTallyGender(c.Gender)] += c.Count
			met += c.Count
		}
		counts["contacts"] = met + between(1, 6)
		counts["informations"] = between(met/3, met*2/3+1)
		has := func(r string) bool {
			for _, x := range iv.registres {
				if x == r {
					return true
				}
			}
			return false
		}
		var texts []maillon.ObservationInput
		if has("orientation") {
			counts["orientations"] = 2
		} else if rnd.IntN(3) == 0 {
			counts["orientations"] = 1
		}
		if has("conflit") {
			counts["tensions"] = between(1, 2)
			texts = append(texts, maillon.ObservationInput{Kind: "incident", Text: tourneeIncidents[rnd.IntN(len(tourneeIncidents))]})
		}
		if has("veille_technique") {
			counts["technique"] = 1
		}
		if rnd.IntN(3) == 0 {
			texts = append(texts, maillon.ObservationInput{Kind: "observation", Text: tourneeObservations[rnd.IntN(len(tourneeObservations))]})
		}
		// The day's counts in one go, as a phone back in network sends
		// them.
		var deltas []maillon.TourneeCount
		for _, code := range maillon.TourneeCounterCodes() {
			if n := counts[code]; n > 0 {
				deltas = append(deltas, maillon.TourneeCount{Code: code, Count: min(n, maillon.MaxTourneeDelta)})
			}
		}
		if _, err := svc.Tournees.AddToTourneeCounters(ctx, a, tr.ID, deltas); err != nil {
			return fmt.Errorf("demo tournée counters: %w", err)
		}
		for _, o := range texts {
			if err := svc.Tournees.AddTourneeObservation(ctx, a, tr.ID, o); err != nil {
				return fmt.Errorf("demo tournée observation: %w", err)
			}
		}
		end := iv.start.Add(time.Duration(iv.minutes) * time.Minute)
		if err := svc.Tournees.EndTournee(ctx, a, tr.ID, maillon.TourneeEndInput{Date: ymd(end), Time: end.Format("15:04")}); err != nil {
			return fmt.Errorf("demo tournée end: %w", err)
		}
		sum.Tournees++
	}
	return w.demoCheckIns(ctx, svc, rnd)
}

// demoCheckIns records home visits alone: two done and checked out, and
// one of Yacine Haddad whose expected end passes a minute or two after
// loading, which the coordination sees as overdue until someone marks
// him reached.
func (w *world) demoCheckIns(ctx context.Context, svc maillon.Services, rnd *rand.Rand) error {
	now := w.loadedAt
	visit := func(key string, ahead time.Duration, label string) (*maillon.CheckIn, error) {
		m := w.members[key]
		zones := w.teamZones(m.team)
		z := zones[rnd.IntN(len(zones))]
		c, err := svc.Safety.StartHomeVisit(ctx, m.actor, maillon.HomeVisitInput{CommuneID: z.commune.id, ZoneID: z.id,
			PlaceLabel: label, ExpectedEnd: maillon.InParis(now.Add(ahead)).Format("15:04")})
		if err != nil {
			return nil, fmt.Errorf("demo home visit of %s: %w", key, err)
		}
		return c, nil
	}
	for _, key := range []string{"sophie", "lea"} {
		c, err := visit(key, 3*time.Hour, "")
		if err != nil {
			return err
		}
		if err := svc.Safety.CheckOut(ctx, w.members[key].actor, c.ID); err != nil {
			return fmt.Errorf("demo check-out: %w", err)
		}
		// The store's time now, loading may have taken a while.
		now = c.StartedAt
	}
	_, err := visit("yacine", 2*time.Minute, "Résidence Les Acacias")
	return err
}
