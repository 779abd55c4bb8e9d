package demo_test

import (
	"context"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// Ensure the demo has mediations of both kinds at every status, each with
// a step, agreements with their follow-up, and a relais at opening.
func TestLoadMediations(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		l := load(t, db, 42)
		ctx := context.Background()
		list, total, err := l.services.Mediations.FindMediations(ctx, l.coord, maillon.MediationFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if total != l.sum.Mediations || total < 12 {
			t.Fatalf("%d mediations, summary says %d", total, l.sum.Mediations)
		}
		seen := map[string]bool{}
		for _, m := range list {
			seen[m.Kind+":"+m.Status] = true
			seen[m.Outcome] = true
			if m.PartyCount < 2 {
				t.Errorf("case %q has %d parties", m.Subject, m.PartyCount)
			}
		}
		for _, kind := range []string{maillon.MediationConflit, maillon.MediationInstitution} {
			for _, st := range maillon.MediationStatuses {
				if !seen[kind+":"+st.Code] {
					t.Errorf("no %s mediation %s", kind, st.Code)
				}
			}
		}
		for _, o := range maillon.MediationOutcomes {
			if !seen[o.Code] {
				t.Errorf("no mediation closed with %s", o.Code)
			}
		}
		m, err := l.services.Mediations.FindMediationByID(ctx, l.coord, list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Outcome != maillon.OutcomeRelais && len(m.Steps) == 0 {
			t.Errorf("case %q has no step", m.Subject)
		}
		fus, err := l.services.Interventions.FindFollowUps(ctx, l.coord, maillon.FollowUpFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range fus {
			if f.MediationID != 0 {
				n++
			}
		}
		if n != 3 {
			t.Errorf("%d mediation follow-ups, want 3 (accord, accord partiel, apaisement)", n)
		}
	})
}
