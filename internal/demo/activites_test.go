package demo_test

import (
	"context"
	"testing"

	"maillon"
	"maillon/internal/demo"
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

// The large scale imports one collective action per ten people, each
// with its sessions and attendance; every hundredth runs 50 sessions.
func TestLoadLargeActivites(t *testing.T) {
	if raceBuild {
		t.Skip("loads the large dataset")
	}
	const people = 2000
	db := storetest.Open(t, "sqlite")
	sum, err := demo.Load(context.Background(), db.Services(), demo.Options{Scale: demo.Large, Seed: 1, People: people})
	if err != nil {
		t.Fatal(err)
	}
	if want := people/10 + 13; sum.Activites != want {
		t.Errorf("%d projects, want %d", sum.Activites, want)
	}
	ctx := context.Background()
	a := networkActor(t, db.Services())
	a.Role = maillon.RoleCoordinateur
	list, total, err := db.FindActivites(ctx, a, maillon.ActiviteFilter{Limit: 500})
	if err != nil || total != people/10/4 {
		t.Fatalf("first structure: %d projects, %v", total, err)
	}
	long, sessions := 0, 0
	for _, x := range list {
		sessions += x.SeanceCount
		if x.SeanceCount == 50 {
			long++
			full, err := db.FindActivite(ctx, a, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if full.Figures.SessionsHeld == 0 && full.Status != maillon.ActiviteValidee {
				t.Errorf("long project %q: %+v", full.Title, full.Figures)
			}
		}
	}
	if long == 0 || sessions < total*10 {
		t.Errorf("%d long projects, %d sessions for %d projects", long, sessions, total)
	}
}
