package demo

import (
	"context"
	"fmt"

	"maillon"
)

// directoryLinks adds orientations picked from the partner directory, so
// that the orientation pages show their link to a directory entry. They
// come after the directory, which is loaded last.
func (g *gen) directoryLinks(ctx context.Context, w *world) error {
	karim := w.members["karim"].actor
	picks := []struct{ query, reason string }{
		{"alimentaire", "Aide alimentaire pour la famille en attendant l'ouverture des droits"},
		{"numérique", "Accompagnement aux démarches en ligne sur plusieurs séances"},
		{"logement", "Recherche d'un logement adapté"},
	}
	day := maillon.InParis(w.today).AddDate(0, 0, 10).Format("2006-01-02")
	for _, p := range picks {
		found, _, err := g.svc.Directory.SearchDirectory(ctx, karim, maillon.DirectoryFilter{Query: p.query, Limit: 1})
		if err != nil {
			return err
		}
		if len(found) == 0 {
			continue
		}
		sv := found[0]
		name := sv.StructureName + " – " + sv.Nom
		if r := []rune(name); len(r) > maillon.MaxNameLen {
			name = string(r[:maillon.MaxNameLen])
		}
		in := maillon.OrientationInput{PartnerName: name, PartnerContact: sv.Telephone, Reason: p.reason,
			Mode: "personne", ExpectedOn: day, DirectoryServiceID: sv.ID}
		if _, err := g.svc.Orientations.CreateOrientation(ctx, karim, in); err != nil {
			return fmt.Errorf("demo orientation from the directory: %w", err)
		}
		g.sum.Orientations++
	}
	return nil
}
