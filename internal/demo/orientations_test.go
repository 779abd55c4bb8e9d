package demo_test

import (
	"context"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// Ensure the demo has orientations with and without feedback, nominative
// and anonymous, some answered through the partner link, and follow-ups
// for the open ones.
func TestLoadOrientations(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		l := load(t, db, 42)
		ctx := context.Background()
		list, total, err := l.services.Orientations.FindOrientations(ctx, l.coord, maillon.OrientationFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if total != l.sum.Orientations || total < 6 {
			t.Fatalf("%d orientations, summary says %d", total, l.sum.Orientations)
		}
		count := map[string]int{}
		for _, o := range list {
			count[o.Status]++
			if o.Anonymous() {
				count["anonyme"]++
			}
			if o.OutcomeSource == "partenaire_lien" {
				count["lien"]++
			}
			if o.DirectoryStructureID != 0 {
				count["annuaire"]++
			}
		}
		if count["annuaire"] == 0 {
			t.Error("no demo orientation picked from the directory")
		}
		if count["anonyme"] == 0 || count["anonyme"] == total || count["lien"] == 0 ||
			count[maillon.OrientationPriseEnCharge] == 0 || count[maillon.OrientationTransmise]+count[maillon.OrientationProposee] == 0 {
			t.Errorf("orientations by kind: %v", count)
		}
		stats, err := l.services.Orientations.FindPartnerStats(ctx, l.coord, 0)
		if err != nil || len(stats) < 2 {
			t.Errorf("partner stats: %+v, %v", stats, err)
		}
		fus, err := l.services.Interventions.FindFollowUps(ctx, l.coord, maillon.FollowUpFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		open := 0
		for _, f := range fus {
			if f.OrientationID != 0 {
				open++
			}
		}
		if open != count[maillon.OrientationTransmise]+count[maillon.OrientationProposee] {
			t.Errorf("%d orientation follow-ups for %v", open, count)
		}
	})
}
