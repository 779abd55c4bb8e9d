package demo

import (
	"context"
	"fmt"

	"maillon"
)

// demoPracticeNotes are the demo mediator's reflective notes: situations
// told without anyone's identity, as the form asks.
var demoPracticeNotes = []maillon.PracticeNoteInput{
	{
		Situation: "À la permanence, une personne âgée revient pour la troisième fois sur le même courrier de la caisse de retraite. Elle s'énerve quand je lui propose de le relire ensemble et finit par partir avant la fin.",
		Action:    "J'ai gardé un ton calme, proposé une pause et un autre rendez-vous. Je n'ai pas insisté quand elle est partie.",
		Raised:    "Un sentiment d'échec, et l'impression de ne pas avoir compris ce qu'elle attendait vraiment : peut-être être rassurée plus qu'aidée pour le courrier.",
		Learnt:    "Demander au début de l'entretien ce que la personne attend de la rencontre, avant de proposer une démarche.",
		Questions: "Comment repérer qu'une demande administrative en cache une autre ? Jusqu'où aller quand la personne refuse l'aide proposée ?",
	},
	{
		Situation: "Lors d'une tournée en soirée, un groupe de jeunes me demande d'intervenir auprès du bailleur pour un local fermé. Un habitant présent nous interpelle en disant que la médiation « prend toujours le parti des jeunes ».",
		Action:    "J'ai rappelé le rôle de la médiation (tiers, sans parti pris) et proposé une rencontre avec les deux parties et le bailleur.",
		Raised:    "La difficulté de rester neutre quand on connaît mieux un des groupes. De la fatigue en fin de soirée.",
		Learnt:    "Présenter plus souvent le cadre de la médiation, même aux personnes que l'on croise régulièrement.",
		Questions: "Comment garder la juste distance avec un public que l'on suit depuis longtemps ?",
	},
	{
		Situation: "Un partenaire m'appelle pour avoir des nouvelles d'une personne que nous avons orientée vers lui, et me pose des questions sur sa situation familiale.",
		Action:    "J'ai répondu que je ne pouvais rien dire sans l'accord de la personne, et proposé de lui transmettre sa demande.",
		Learnt:    "Le secret partagé ne vaut que pour ce qui est utile à l'accompagnement, et avec l'accord de la personne.",
		Questions: "Que répondre quand le partenaire insiste au nom de l'intérêt de la personne ?",
	},
}

// practice adds the journal of practice of the main structure: a few notes
// of the demo mediator, and two group sessions with an outside
// psychologist, recorded by the coordinator. It draws nothing from the
// seeded generator, so the rest of the dataset does not depend on it.
func (g *gen) practice(ctx context.Context, w *world) error {
	karim := w.members["karim"]
	for i, in := range demoPracticeNotes {
		if _, err := g.svc.Practice.CreatePracticeNote(ctx, karim.actor, in); err != nil {
			return fmt.Errorf("demo practice note %d: %w", i, err)
		}
	}
	coord := w.members["nadia"]
	var team []maillon.UserID
	for _, key := range []string{"nadia", "karim", "sophie", "yacine", "lea"} {
		team = append(team, w.members[key].user.ID)
	}
	today := maillon.InParis(w.today)
	sessions := []maillon.PracticeSessionInput{
		{HeldOn: today.AddDate(0, 0, -45).Format("2006-01-02"), Facilitator: "Mme Claire Lambert, psychologue clinicienne",
			Themes: []string{"posture", "charge"}, Attendees: team,
			Summary: "Retour sur les situations d'agressivité à l'accueil et la fatigue de fin d'année. Pistes : se relayer sur les permanences chargées, débriefer à deux après un entretien difficile."},
		{HeldOn: today.AddDate(0, 0, -14).Format("2006-01-02"), Facilitator: "Mme Claire Lambert, psychologue clinicienne",
			Themes: []string{"secret", "limites"}, ThemesText: "Relations avec les bailleurs", Attendees: team[:4],
			Summary: "Ce que l'on peut dire à un partenaire, et comment. L'équipe propose une fiche commune sur le partage d'informations, à relire avec la coordination."},
	}
	for i, in := range sessions {
		if _, err := g.svc.Practice.CreatePracticeSession(ctx, coord.actor, in); err != nil {
			return fmt.Errorf("demo practice session %d: %w", i, err)
		}
	}
	return nil
}
