package demo_test

import (
	"context"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// Ensure the demo has collective actions at every stage, with recurring
// sessions, attendance, questionnaire answers and evaluated bilans.
func TestLoadActivites(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		l := load(t, db, 42)
		ctx := context.Background()
		list, total, err := l.services.Activites.FindActivites(ctx, l.coord, maillon.ActiviteFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if total != l.sum.Activites || total < 12 {
			t.Fatalf("%d projects, summary says %d", total, l.sum.Activites)
		}
		seen := map[string]bool{}
		for _, a := range list {
			seen[a.Status] = true
		}
		for _, st := range maillon.ActiviteStatuses {
			if !seen[st.Code] {
				t.Errorf("no project %s", st.Code)
			}
		}
		evaluated := 0
		for _, a := range list {
			if a.Status != maillon.ActiviteEvaluee {
				continue
			}
			full, err := l.services.Activites.FindActivite(ctx, l.coord, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			evaluated++
			if len(full.Seances) < 2 || full.Figures.SessionsHeld == 0 || full.Figures.Presences() == 0 ||
				full.Satisfaction.Answers == 0 || full.Decision == "" || full.ActualTotal() == 0 || len(full.Partners) == 0 {
				t.Errorf("evaluated project %q is thin: %d sessions, %+v, %d answers, decision %q", full.Title,
					len(full.Seances), full.Figures, full.Satisfaction.Answers, full.Decision)
			}
		}
		if evaluated < 2 {
			t.Errorf("%d evaluated projects", evaluated)
		}
	})
}
