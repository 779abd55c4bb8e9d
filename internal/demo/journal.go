package demo

import (
	"context"
	"fmt"
	"time"

	"maillon"
)

// The coordination's comments on the main courante of the last days: a
// few per team and one on a mediator's day, so that the demonstration
// shows a commented day. They are planned after everything else, so that
// the rest of the dataset does not depend on them.

// dayComments are what a coordinator writes after reading a day, by team.
var dayComments = map[string][]string{
	"ven": {
		"Permanence des Érables très fréquentée le matin : beaucoup de renouvellements de prime d'activité. Prévoir un second poste l'après-midi.",
		"Plusieurs personnes orientées vers la CAF pour des indus. Faire le point avec le partenaire CAF jeudi.",
		"Journée calme ; le temps libre a servi à relancer les démarches en attente.",
	},
	"sfsp": {
		"Centre social de la Garenne : forte demande d'aide pour les dossiers ANTS, les rendez-vous manquent.",
		"Bonne présence aux Vergers. Deux situations de logement à reprendre en réunion d'équipe.",
		"Coupure de connexion au centre social en fin de matinée : démarches reportées, personnes rappelées.",
	},
	"soir": {
		"Soirée tranquille sur Parilly-Nord, échanges avec les jeunes devant le gymnase.",
		"Tension apaisée en binôme près de l'arrêt de tram ; à signaler au bailleur demain.",
		"Beaucoup de passage en fin de soirée : horaires à revoir avec la coordination.",
	},
}

// mediatorComments are comments on a mediator's own day.
var mediatorComments = []string{
	"Merci pour le suivi des relances en attente ; bien noter les obstacles rencontrés en ligne.",
	"Journée chargée : pense à compléter les démarches restées en attente.",
}

type commentPlan struct {
	scope maillon.JournalScope
	day   time.Time
	text  string
}

// planJournal picks, for each team, its two last working days before
// today, and the last working day of mediation@demo.maillon.test.
func (w *world) planJournal() []commentPlan {
	var out []commentPlan
	for _, team := range []string{"ven", "sfsp", "soir"} {
		members := w.teams[team]
		if len(members) == 0 {
			continue
		}
		scope := maillon.JournalScope{TeamID: members[0].user.TeamID}
		n := 0
		for k := 1; k <= 10 && n < 2; k++ {
			d := w.today.AddDate(0, 0, -k)
			if !w.works(team, d) || !w.chance(80) {
				continue
			}
			out = append(out, commentPlan{scope: scope, day: d, text: pick(w, dayComments[team])})
			n++
		}
	}
	karim := w.members["karim"]
	for k := 1; k <= 10; k++ {
		if d := w.today.AddDate(0, 0, -k); w.works(karim.team, d) {
			out = append(out, commentPlan{scope: maillon.JournalScope{MediatorID: karim.user.ID}, day: d, text: pick(w, mediatorComments)})
			break
		}
	}
	return out
}

// createJournal writes the comments as the coordinator.
func (w *world) createJournal(ctx context.Context, svc maillon.Services) error {
	for _, c := range w.planJournal() {
		if err := svc.Journal.SetJournalComment(ctx, w.coord.actor, c.scope, c.day, c.text); err != nil {
			return fmt.Errorf("demo main courante comment of %s: %w", ymd(c.day), err)
		}
	}
	return nil
}
