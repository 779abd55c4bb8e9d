package demo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// Ensure the demo's tournées are believable and anonymous, and that the
// coordination sees one overdue home visit once its end has passed.
func TestDemoTournees(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		ctx := context.Background()
		l := load(t, db, 1)
		svc := l.services
		var list []maillon.Tournee
		for off := 0; ; off += 200 {
			page, total, err := svc.Tournees.FindTournees(ctx, l.coord, maillon.TourneeFilter{Offset: off, Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			list = append(list, page...)
			if off+len(page) >= total {
				break
			}
		}
		min := 60
		if raceBuild {
			min = 10
		}
		if len(list) != l.sum.Tournees || len(list) < min {
			t.Fatalf("%d tournées listed, summary %d", len(list), l.sum.Tournees)
		}
		names := []string{}
		for _, u := range l.users {
			names = append(names, strings.Fields(u.DisplayName)[0])
		}
		evening, observed := 0, 0
		for _, tr := range list {
			if !tr.Ended() || tr.Minutes() < 60 || tr.Minutes() > 12*60 || len(tr.Members) < 2 || tr.ZoneID == 0 {
				t.Errorf("tournée %d: ended %v, %d min, %d members", tr.ID, tr.Ended(), tr.Minutes(), len(tr.Members))
			}
			ages, genders := 0, 0
			for _, c := range maillon.AgeBands {
				ages += tr.Count(maillon.TourneeTallyAge(c.Code))
			}
			for _, c := range maillon.Genders {
				genders += tr.Count(maillon.TourneeTallyGender(c.Code))
			}
			if ages == 0 || ages != genders || tr.Count("contacts") < ages {
				t.Errorf("tournée %d: %d contacts, %d by age, %d by gender", tr.ID, tr.Count("contacts"), ages, genders)
			}
			if tr.OutsideHours {
				evening++
			}
		}
		for _, tr := range list[:min] {
			full, err := svc.Tournees.FindTourneeByID(ctx, l.coord, tr.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range full.Observations {
				observed++
				for _, n := range names {
					if strings.Contains(o.Text, n) {
						t.Errorf("observation names %s: %q", n, o.Text)
					}
				}
			}
		}
		if evening == 0 || evening == len(list) || observed == 0 {
			t.Errorf("%d of %d tournées outside office hours, %d observations in the latest", evening, len(list), observed)
		}
		// The main courante of the evening team shows its tournées.
		var soir maillon.TeamID
		for name, tm := range l.teams {
			if strings.Contains(name, "soirée") {
				soir = tm.ID
			}
		}
		last := list[0]
		jt, err := svc.Tournees.FindJournalTournees(ctx, l.coord, maillon.JournalScope{TeamID: soir}, last.StartAt)
		if err != nil {
			t.Fatal(err)
		}
		if last.OutsideHours && !slices.ContainsFunc(jt, func(j maillon.JournalTournee) bool { return j.ID == int64(last.ID) }) {
			t.Errorf("evening tournée %d missing from its team's day: %+v", last.ID, jt)
		}

		// One home visit alone is still open; it is overdue three minutes
		// after loading.
		if late, err := svc.Safety.FindOverdueCheckIns(ctx, l.coord); err != nil || len(late) != 0 {
			t.Errorf("overdue at loading: %+v, %v", late, err)
		}
		db.Clock.Advance(3 * time.Minute)
		late, err := svc.Safety.FindOverdueCheckIns(ctx, l.coord)
		if err != nil || len(late) != 1 || late[0].Kind != "domicile" || late[0].UserName != "Yacine Haddad" {
			t.Errorf("overdue after 3 min: %+v, %v", late, err)
		}
	})
}

// fingerprintTournees describes the tournées for the determinism test.
func fingerprintTournees(t *testing.T, l *loaded) []string {
	t.Helper()
	list, _, err := l.services.Tournees.FindTournees(context.Background(), l.coord, maillon.TourneeFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tr := range list {
		out = append(out, fmt.Sprintf("tournee %s|%d|%s|%v|%v", tr.StartAt.UTC().Format(time.RFC3339), tr.Minutes(), tr.Zone(), tr.MemberNames, tr.Counts))
	}
	return out
}
