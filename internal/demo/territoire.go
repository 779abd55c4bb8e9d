package demo

import (
	"context"
	"fmt"

	"maillon"
)

// territoire gives the demo's territory its pages: the communes' official
// data as a COG import would bring them, key figures of two QPV and a
// commune, a diagnostic in two versions, and information items at every
// confidentiality level (a mediator's new item and proposed update, one
// past its validity, one due for review). The figures are illustrative, in the orders of
// magnitude of the real communes.
func (g *gen) territoire(ctx context.Context, st *maillon.Structure, w *world) error {
	op := maillon.OperatorActor()
	if _, err := g.svc.Territory.ImportCommunes(ctx, op, st.ID, []maillon.CommuneRecord{
		{INSEE: "69259", Name: "Vénissieux", Department: "69", Population: 66506},
		{INSEE: "69199", Name: "Saint-Fons", Department: "69", Population: 19290},
		{INSEE: "69290", Name: "Saint-Priest", Department: "69", Population: 47983},
	}); err != nil {
		return fmt.Errorf("demo communes import: %w", err)
	}
	zone := func(commune, name string) maillon.AreaRef {
		for _, c := range w.communes {
			for _, z := range c.zones {
				if c.name == commune && z.name == name {
					return maillon.AreaRef{ZoneID: z.id}
				}
			}
		}
		return maillon.AreaRef{}
	}
	commune := func(name string) maillon.AreaRef {
		for _, c := range w.communes {
			if c.name == name {
				return maillon.AreaRef{CommuneID: c.id}
			}
		}
		return maillon.AreaRef{}
	}
	nadia, karim := w.members["nadia"].actor, w.members["karim"].actor
	erables, garenne, venissieux := zone("Vénissieux", "Les Érables"), zone("Saint-Fons", "La Garenne"), commune("Vénissieux")
	figures := []struct {
		area maillon.AreaRef
		in   maillon.KeyFigureInput
	}{
		{venissieux, maillon.KeyFigureInput{Label: "Taux de pauvreté", Value: "29", Unit: "%", Source: "INSEE Filosofi", On: "2021"}},
		{venissieux, maillon.KeyFigureInput{Label: "Part des ménages locataires HLM", Value: "41", Unit: "%", Source: "INSEE RP", On: "2020"}},
		{erables, maillon.KeyFigureInput{Label: "Population du quartier", Value: "8 400", Unit: "habitants", Source: "ANCT, fiche QPV", On: "2020"}},
		{erables, maillon.KeyFigureInput{Label: "Taux de pauvreté", Value: "46,5", Unit: "%", Source: "INSEE Filosofi, données carroyées", On: "2021"}},
		{erables, maillon.KeyFigureInput{Label: "Part des moins de 25 ans", Value: "38", Unit: "%", Source: "INSEE RP", On: "2020"}},
		{erables, maillon.KeyFigureInput{Label: "Demandeurs d'emploi de catégorie A", Value: "910", Unit: "personnes", Source: "France Travail", On: "31/12/2023"}},
		{garenne, maillon.KeyFigureInput{Label: "Population du quartier", Value: "3 900", Unit: "habitants", Source: "ANCT, fiche QPV", On: "2020"}},
		{garenne, maillon.KeyFigureInput{Label: "Allocataires CAF à bas revenus", Value: "52", Unit: "%", Source: "CAF du Rhône", On: "2022"}},
	}
	for _, f := range figures {
		if _, err := g.svc.Territory.AddKeyFigure(ctx, nadia, f.area, f.in); err != nil {
			return fmt.Errorf("demo key figure %q: %w", f.in.Label, err)
		}
	}
	for _, d := range []maillon.DiagnosticInput{{
		Needs:     "Accès aux droits (CAF, CPAM) bloqué par la dématérialisation ; isolement de personnes âgées dans les tours.",
		Resources: "Maison France Services du centre-ville, centre social des Érables, amicale de locataires active.",
		Issues:    "Tranquillité des halls en soirée ; relais d'information entre bailleur et habitants.",
	}, {
		Needs: "Accès aux droits bloqué par la dématérialisation, en particulier pour les retraités ; isolement de personnes âgées " +
			"dans les tours ; demandes liées à l'énergie (factures, chèque énergie) en hausse depuis l'hiver.",
		Resources: "Maison France Services du centre-ville, centre social des Érables, amicale de locataires active, " +
			"permanence numérique de la médiathèque le mercredi.",
		Issues: "Tranquillité des halls en soirée ; relogements du programme de renouvellement urbain à accompagner ; " +
			"relais d'information entre bailleur et habitants.",
	}} {
		if _, err := g.svc.Territory.SaveDiagnostic(ctx, nadia, erables, d); err != nil {
			return fmt.Errorf("demo diagnostic: %w", err)
		}
	}

	today := ymd(w.loadedAt)
	inDays := func(n int) string { return ymd(w.loadedAt.AddDate(0, 0, n)) }
	items := []struct {
		actor maillon.Actor
		in    maillon.InfoInput
	}{
		{nadia, maillon.InfoInput{Title: "Consignes de la tournée du soir", Level: maillon.InfoEquipe, Area: erables,
			Content: "Tournée en binôme uniquement. Point de départ au local de l'amicale ; appel de fin de tournée à la coordination avant 22 h 30.",
			Themes:  []string{"voisinage"}, ReviewOn: inDays(90)}},
		{nadia, maillon.InfoInput{Title: "Permanence CAF sans rendez-vous", Level: maillon.InfoStructure, Area: venissieux,
			Content: "La CAF tient une permanence sans rendez-vous le mardi de 9 h à 12 h à la Maison France Services. " +
				"Venir avec le numéro d'allocataire et une pièce d'identité.",
			Source: "Accueil de la Maison France Services, par téléphone", Themes: []string{"droits_sociaux", "famille"}, ReviewOn: today}},
		{nadia, maillon.InfoInput{Title: "Chèque énergie : réclamation en ligne", Level: maillon.InfoReseau,
			Content: "Un ménage qui pense avoir droit au chèque énergie sans l'avoir reçu peut faire une réclamation en ligne. " +
				"Les médiateurs accompagnent la démarche sur rendez-vous.",
			Source: "Ministère de la transition énergétique", Link: "https://chequeenergie.gouv.fr",
			Themes: []string{"energie", "droits_sociaux"}, ValidUntil: inDays(120), ReviewOn: inDays(60)}},
		{nadia, maillon.InfoInput{Title: "Fermeture estivale du centre social des Érables", Level: maillon.InfoPublic, Area: erables,
			Content: "Le centre social des Érables ferme trois semaines en août. La médiation reste joignable au numéro habituel.",
			Source:  "Centre social des Érables", Themes: []string{"loisirs"}, ValidFrom: inDays(-10), ValidUntil: inDays(200)}},
		{nadia, maillon.InfoInput{Title: "Atelier numérique de la médiathèque", Level: maillon.InfoPublic, Area: garenne,
			Content: "Atelier gratuit le mercredi de 14 h à 16 h : créer une adresse e-mail, se connecter à ses comptes en ligne.",
			Source:  "Médiathèque de Saint-Fons", Themes: []string{"numerique"}}},
		{nadia, maillon.InfoInput{Title: "Ancien horaire de la permanence logement", Level: maillon.InfoStructure,
			Content: "Permanence du bailleur le jeudi matin (remplacée depuis par une permanence sur rendez-vous).",
			Themes:  []string{"logement"}, ValidUntil: inDays(-30)}},
		{karim, maillon.InfoInput{Title: "Nouvelle permanence de l'écrivain public", Level: maillon.InfoStructure, Area: venissieux,
			Content: "Un écrivain public reçoit le vendredi après-midi au centre social, sans rendez-vous.",
			Source:  "Affiche du centre social", Themes: []string{"papiers"}}},
	}
	var atelier maillon.InfoID
	for _, it := range items {
		created, err := g.svc.Infos.CreateInfo(ctx, it.actor, it.in)
		if err != nil {
			return fmt.Errorf("demo information item %q: %w", it.in.Title, err)
		}
		if it.in.Title == "Atelier numérique de la médiathèque" {
			atelier = created.ID
		}
	}
	// A mediator's proposed update of a published item, waiting for the
	// coordination.
	update := items[4].in
	update.Content = "Atelier gratuit le mercredi de 14 h à 16 h et, depuis ce mois-ci, le samedi de 10 h à 12 h : " +
		"créer une adresse e-mail, se connecter à ses comptes en ligne."
	update.Replaces = atelier
	if _, err := g.svc.Infos.CreateInfo(ctx, karim, update); err != nil {
		return fmt.Errorf("demo proposed update: %w", err)
	}
	return nil
}
