package store_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// tourneeTerritory gives a structure a commune and a quartier.
func tourneeTerritory(t *testing.T, db *storetest.DB, st *storetest.Structure, insee, zone string) *maillon.Zone {
	t.Helper()
	admin := storetest.Actor(st.Admin)
	c, err := db.AddCommune(ctx, admin, st.ID, maillon.CommuneInput{INSEE: insee, Name: "Commune " + insee})
	if err != nil {
		t.Fatal(err)
	}
	z, err := db.AddZone(ctx, admin, maillon.ZoneInput{CommuneID: c.ID, Name: zone})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// tourneeAt is a valid input: zone, start at hh:mm on day, members.
func tourneeAt(z *maillon.Zone, day, clock, expected string, members ...maillon.UserID) maillon.TourneeInput {
	return maillon.TourneeInput{ZoneID: z.ID, Date: day, Time: clock, Members: members, ExpectedEnd: expected}
}

func mustTournee(t *testing.T, db *storetest.DB, actor maillon.Actor, in maillon.TourneeInput) *maillon.Tournee {
	t.Helper()
	tr, err := db.CreateTournee(ctx, actor, in)
	if err != nil {
		t.Fatalf("CreateTournee(%+v): %v", in, err)
	}
	return tr
}

func TestCreateTourneeValidatesAndOpensTheLoneWorkerCheckIn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		z := tourneeTerritory(t, db, st, "69123", "Les Buers")
		oz := tourneeTerritory(t, db, other, "38185", "Villeneuve")
		med := storetest.Actor(st.Mediator)
		// storetest.Start is 10:30 in Paris, on 10 March 2026.
		cases := []struct {
			name  string
			in    maillon.TourneeInput
			field string
		}{
			{"no zone", maillon.TourneeInput{Date: "2026-03-10", Time: "10:00", Members: []maillon.UserID{st.Mediator.ID, st.Coordinator.ID}}, "zone_id"},
			{"other structure's zone", tourneeAt(oz, "2026-03-10", "10:00", "", st.Mediator.ID, st.Coordinator.ID), "zone_id"},
			{"no member", tourneeAt(z, "2026-03-10", "10:00", ""), "members"},
			{"other structure's member", tourneeAt(z, "2026-03-10", "10:00", "", st.Mediator.ID, other.Mediator.ID), "members"},
			{"alone without expected end", tourneeAt(z, "2026-03-10", "10:00", "", st.Mediator.ID), "expected_end"},
			{"expected end passed", tourneeAt(z, "2026-03-10", "08:00", "09:00", st.Mediator.ID), "expected_end"},
			{"expected end too far", maillon.TourneeInput{ZoneID: z.ID, Date: "2026-03-10", Time: "10:00", Members: []maillon.UserID{st.Mediator.ID}, ExpectedEnd: "10:00"}, "expected_end"},
			{"bad hour", tourneeAt(z, "2026-03-10", "25:00", "", st.Mediator.ID, st.Coordinator.ID), "time"},
			{"too early", tourneeAt(z, "2026-03-11", "06:00", "", st.Mediator.ID, st.Coordinator.ID), "date"},
		}
		for _, c := range cases {
			_, err := db.CreateTournee(ctx, med, c.in)
			if !errors.Is(err, maillon.ErrInvalid) || maillon.FieldsOf(err)[c.field] == "" {
				t.Errorf("%s: err = %v (fields %v), want a message on %s", c.name, err, maillon.FieldsOf(err), c.field)
			}
		}
		if got, _, _ := db.FindTournees(ctx, med, maillon.TourneeFilter{}); len(got) != 0 {
			t.Fatalf("refused tournées were stored: %+v", got)
		}

		team := mustTournee(t, db, med, tourneeAt(z, "2026-03-10", "10:00", "", st.Mediator.ID, st.Coordinator.ID))
		if team.CheckInID != 0 || team.Zone() != "Commune 69123 – Les Buers" || len(team.MemberNames) != 2 || team.Ended() {
			t.Errorf("team tournée = %+v", team)
		}
		if c, err := db.FindOpenCheckIn(ctx, med); err != nil || c != nil {
			t.Errorf("a team tournée opened a check-in: %+v, %v", c, err)
		}
		alone := mustTournee(t, db, med, tourneeAt(z, "2026-03-10", "10:15", "12:30", st.Mediator.ID))
		c, err := db.FindOpenCheckIn(ctx, med)
		if err != nil || c == nil || c.ID != alone.CheckInID || c.Kind != "tournee" || c.TourneeID != alone.ID ||
			maillon.InParis(c.ExpectedEndAt).Format("15:04") != "12:30" || c.ZoneName != "Les Buers" {
			t.Fatalf("check-in of a lone tournée = %+v, %v", c, err)
		}
		// One open check-in per person.
		_, err = db.CreateTournee(ctx, med, tourneeAt(z, "2026-03-10", "10:20", "12:30", st.Mediator.ID))
		if maillon.FieldsOf(err)["members"] == "" {
			t.Errorf("second lone departure: %v", err)
		}
		if _, err := db.StartHomeVisit(ctx, med, maillon.HomeVisitInput{CommuneID: z.CommuneID, ExpectedEnd: "11:30"}); !errors.Is(err, maillon.ErrConflict) {
			t.Errorf("home visit during a lone tournée: %v, want ErrConflict", err)
		}
		// Ending the tournée checks its mediator out.
		db.Clock.Advance(time.Hour)
		if err := db.EndTournee(ctx, med, alone.ID, maillon.TourneeEndInput{}); err != nil {
			t.Fatal(err)
		}
		if c, err := db.FindOpenCheckIn(ctx, med); err != nil || c != nil {
			t.Errorf("check-in still open after the end: %+v, %v", c, err)
		}
		// A lone tournée of the day before, entered afterwards: no
		// return to watch, no check-in.
		late := mustTournee(t, db, med, tourneeAt(z, "2026-03-09", "17:00", "", st.Mediator.ID))
		if c, err := db.FindOpenCheckIn(ctx, med); err != nil || c != nil || late.CheckInID != 0 {
			t.Errorf("a lone tournée entered afterwards opened a check-in: %+v, %v", c, err)
		}
		entries, _, err := db.FindAuditEntries(ctx, storetest.Actor(st.Admin), maillon.AuditFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var actions []maillon.AuditAction
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		for _, want := range []maillon.AuditAction{maillon.AuditTourneeCreate, maillon.AuditCheckInStart, maillon.AuditTourneeEnd, maillon.AuditCheckOut} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit lacks %s: %v", want, actions)
			}
		}
	})
}

func TestTourneeCountersAreAtomicAndBounded(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		z := tourneeTerritory(t, db, st, "69123", "Les Buers")
		med, coord := storetest.Actor(st.Mediator), storetest.Actor(st.Coordinator)
		tr := mustTournee(t, db, med, tourneeAt(z, "2026-03-10", "10:00", "", st.Mediator.ID, st.Coordinator.ID))
		// Two phones click at once: no click is lost.
		const clicks = 25
		var wg sync.WaitGroup
		errs := make(chan error, 2*clicks)
		for _, a := range []maillon.Actor{med, coord} {
			wg.Add(1)
			go func(a maillon.Actor) {
				defer wg.Done()
				for range clicks {
					if _, err := db.AddToTourneeCounter(ctx, a, tr.ID, "contacts", 1); err != nil {
						errs <- err
					}
				}
			}(a)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		got, err := db.FindTourneeByID(ctx, med, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := got.Count("contacts"); n != 2*clicks {
			t.Errorf("contacts = %d after %d clicks", n, 2*clicks)
		}
		// Never below zero, never above the limit.
		if n, err := db.AddToTourneeCounter(ctx, med, tr.ID, "tensions", -1); err != nil || n != 0 {
			t.Errorf("minus on an empty counter: %d, %v", n, err)
		}
		if n, err := db.AddToTourneeCounter(ctx, med, tr.ID, "contacts", -100); err != nil || n != 0 {
			t.Errorf("contacts minus 100: %d, %v", n, err)
		}
		for range 100 {
			if _, err := db.AddToTourneeCounter(ctx, med, tr.ID, "informations", 100); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.AddToTourneeCounter(ctx, med, tr.ID, "informations", 1); err != nil || n != maillon.MaxTourneeCount {
			t.Errorf("informations at the limit: %d, %v", n, err)
		}
		// Tallies by age band and gender are counters too.
		age := maillon.TourneeTallyAge("16_25")
		if n, err := db.AddToTourneeCounter(ctx, med, tr.ID, age, 1); err != nil || n != 1 {
			t.Errorf("tally: %d, %v", n, err)
		}
		for _, bad := range []struct {
			counter string
			delta   int
		}{{"nom", 1}, {"age_99", 1}, {"contacts", 0}, {"contacts", 101}, {"contacts", -101}} {
			if _, err := db.AddToTourneeCounter(ctx, med, tr.ID, bad.counter, bad.delta); !errors.Is(err, maillon.ErrInvalid) {
				t.Errorf("counter %q delta %d: %v, want ErrInvalid", bad.counter, bad.delta, err)
			}
		}
		// Several at once (a phone back in network), all or nothing.
		batch, err := db.AddToTourneeCounters(ctx, med, tr.ID, []maillon.TourneeCount{{Code: "orientations", Count: 3}, {Code: age, Count: 2}})
		if err != nil || len(batch) != 2 || batch[0].Count != 3 || batch[1].Count != 3 {
			t.Errorf("batch: %+v, %v", batch, err)
		}
		if _, err := db.AddToTourneeCounters(ctx, med, tr.ID, []maillon.TourneeCount{{Code: "orientations", Count: 1}, {Code: "nom", Count: 1}}); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("batch with an unknown counter: %v", err)
		}
		if _, err := db.AddToTourneeCounters(ctx, med, tr.ID, nil); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("empty batch: %v", err)
		}
		if _, err := db.AddToTourneeCounters(ctx, colleagueOf(t, db, st), tr.ID, []maillon.TourneeCount{{Code: "contacts", Count: 1}}); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("batch by a colleague outside the tournée: %v", err)
		}
		got, _ = db.FindTourneeByID(ctx, med, tr.ID)
		if got.Count("orientations") != 3 {
			t.Errorf("orientations = %d after a refused batch", got.Count("orientations"))
		}
		if got.Count(age) != 3 || got.Count("tensions") != 0 || len(got.Counts) != len(maillon.TourneeCounterCodes()) {
			t.Errorf("counts = %+v", got.Counts)
		}
		// Counters may be corrected the next day, not later.
		if err := db.EndTournee(ctx, med, tr.ID, maillon.TourneeEndInput{}); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(23 * time.Hour)
		if _, err := db.AddToTourneeCounter(ctx, med, tr.ID, "contacts", 1); err != nil {
			t.Errorf("the next morning: %v", err)
		}
		db.Clock.Advance(2 * time.Hour)
		if _, err := db.AddToTourneeCounter(ctx, med, tr.ID, "contacts", 1); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("two days later: %v, want ErrInvalid", err)
		}
	})
}

// Any member of the structure may read a tournée; its members,
// coordinators and administrators change it; another structure sees
// nothing.
func TestTourneeRights(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		z := tourneeTerritory(t, db, st, "69123", "Les Buers")
		med := storetest.Actor(st.Mediator)
		colleague := storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur))
		tr := mustTournee(t, db, med, tourneeAt(z, "2026-03-10", "10:00", "", st.Mediator.ID, st.Admin.ID))
		obs := maillon.ObservationInput{Kind: "observation", Text: "Éclairage en panne sous le porche"}

		for _, a := range []maillon.Actor{storetest.Actor(other.Admin), storetest.Actor(other.Mediator)} {
			if _, err := db.FindTourneeByID(ctx, a, tr.ID); !errors.Is(err, maillon.ErrNotFound) {
				t.Errorf("read from another structure: %v", err)
			}
			if _, err := db.AddToTourneeCounter(ctx, a, tr.ID, "contacts", 1); !errors.Is(err, maillon.ErrNotFound) {
				t.Errorf("count from another structure: %v", err)
			}
			if _, err := db.AddToTourneeCounters(ctx, a, tr.ID, []maillon.TourneeCount{{Code: "contacts", Count: 1}}); !errors.Is(err, maillon.ErrNotFound) {
				t.Errorf("batch from another structure: %v", err)
			}
			if err := db.AddTourneeObservation(ctx, a, tr.ID, obs); !errors.Is(err, maillon.ErrNotFound) {
				t.Errorf("observe from another structure: %v", err)
			}
			if err := db.EndTournee(ctx, a, tr.ID, maillon.TourneeEndInput{}); !errors.Is(err, maillon.ErrNotFound) {
				t.Errorf("end from another structure: %v", err)
			}
			if list, n, err := db.FindTournees(ctx, a, maillon.TourneeFilter{}); err != nil || n != 0 || len(list) != 0 {
				t.Errorf("list from another structure: %d, %v", n, err)
			}
		}
		if _, err := db.FindTourneeByID(ctx, colleague, tr.ID); err != nil {
			t.Errorf("a colleague cannot read: %v", err)
		}
		if _, err := db.AddToTourneeCounter(ctx, colleague, tr.ID, "contacts", 1); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("a colleague outside the tournée counts: %v", err)
		}
		if err := db.AddTourneeObservation(ctx, colleague, tr.ID, obs); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("a colleague outside the tournée notes: %v", err)
		}
		if err := db.EndTournee(ctx, colleague, tr.ID, maillon.TourneeEndInput{}); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("a colleague outside the tournée ends it: %v", err)
		}
		if _, err := db.AddToTourneeCounter(ctx, storetest.Actor(st.Coordinator), tr.ID, "contacts", 1); err != nil {
			t.Errorf("the coordination cannot correct: %v", err)
		}
		if err := db.AddTourneeObservation(ctx, med, tr.ID, obs); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindTourneeByID(ctx, colleague, tr.ID)
		if got.Count("contacts") != 1 || len(got.Observations) != 1 || got.Observations[0].Text != obs.Text ||
			got.Observations[0].AuthorName != st.Mediator.DisplayName {
			t.Errorf("tournée = %+v", got)
		}
		mine, n, err := db.FindTournees(ctx, colleague, maillon.TourneeFilter{MemberID: colleague.UserID})
		if err != nil || n != 0 || len(mine) != 0 {
			t.Errorf("colleague's own tournées: %d, %v", n, err)
		}
		all, n, err := db.FindTournees(ctx, colleague, maillon.TourneeFilter{})
		if err != nil || n != 1 || all[0].ID != tr.ID || all[0].Count("contacts") != 1 {
			t.Errorf("structure's tournées: %+v, %d, %v", all, n, err)
		}
	})
}

func TestTourneeObservationsAndEnd(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		z := tourneeTerritory(t, db, st, "69123", "Les Buers")
		med := storetest.Actor(st.Mediator)
		tr := mustTournee(t, db, med, tourneeAt(z, "2026-03-10", "10:00", "", st.Mediator.ID, st.Coordinator.ID))
		for _, bad := range []struct {
			in    maillon.ObservationInput
			field string
		}{
			{maillon.ObservationInput{Kind: "rumeur", Text: "Texte"}, "kind"},
			{maillon.ObservationInput{Kind: "incident", Text: "  "}, "text"},
			{maillon.ObservationInput{Kind: "incident", Text: strings.Repeat("é", 501)}, "text"},
			{maillon.ObservationInput{Kind: "incident", Text: "deux\nlignes"}, "text"},
		} {
			if err := db.AddTourneeObservation(ctx, med, tr.ID, bad.in); maillon.FieldsOf(err)[bad.field] == "" {
				t.Errorf("observation %+v: %v", bad.in, err)
			}
		}
		for range maillon.MaxTourneeObservations {
			if err := db.AddTourneeObservation(ctx, med, tr.ID, maillon.ObservationInput{Kind: "incident", Text: strings.Repeat("a", 500)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AddTourneeObservation(ctx, med, tr.ID, maillon.ObservationInput{Kind: "incident", Text: "Une de trop"}); maillon.FieldsOf(err)["text"] == "" {
			t.Errorf("observation 101: %v", err)
		}
		// The end must follow the start; an hour ahead of now is
		// yesterday's.
		for _, bad := range []string{"09:59", "10:00", "ab", "11:00"} {
			if err := db.EndTournee(ctx, med, tr.ID, maillon.TourneeEndInput{Time: bad}); maillon.FieldsOf(err)["end_time"] == "" {
				t.Errorf("end at %q: %v", bad, err)
			}
		}
		if err := db.EndTournee(ctx, med, tr.ID, maillon.TourneeEndInput{Time: "10:25"}); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindTourneeByID(ctx, med, tr.ID)
		if !got.Ended() || got.Minutes() != 25 || len(got.Observations) != maillon.MaxTourneeObservations {
			t.Errorf("ended tournée: end %v, %d min, %d observations", got.EndAt, got.Minutes(), len(got.Observations))
		}
		if err := db.EndTournee(ctx, med, tr.ID, maillon.TourneeEndInput{}); !errors.Is(err, maillon.ErrConflict) {
			t.Errorf("second end: %v, want ErrConflict", err)
		}
	})
}

// The main courante lists the tournées started in the Paris day, for a
// mediator (as a member) or a team, including on the days clocks change.
func TestFindJournalTournees(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		z := tourneeTerritory(t, db, st, "69123", "Les Buers")
		admin, med := storetest.Actor(st.Admin), storetest.Actor(st.Mediator)
		team, err := db.CreateTeam(ctx, admin, maillon.TeamInput{Name: "Nord"})
		if err != nil {
			t.Fatal(err)
		}
		partner := storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)
		if err := db.UpdateUser(ctx, admin, partner.ID, maillon.UserUpdate{TeamID: &team.ID}); err != nil {
			t.Fatal(err)
		}
		// 29 March 2026: clocks go forward at 02:00, the day lasts 23 h.
		at := func(paris string) {
			p, err := time.ParseInLocation("2006-01-02 15:04", paris, maillon.Paris)
			if err != nil {
				t.Fatal(err)
			}
			db.Clock.Set(p)
		}
		at("2026-03-29 00:30")
		first := mustTournee(t, db, med, tourneeAt(z, "2026-03-29", "00:05", "", st.Mediator.ID, st.Coordinator.ID))
		if _, err := db.AddToTourneeCounter(ctx, med, first.ID, "orientations", 3); err != nil {
			t.Fatal(err)
		}
		at("2026-03-29 23:40")
		last := mustTournee(t, db, med, tourneeAt(z, "2026-03-29", "23:30", "", st.Mediator.ID, partner.ID))
		at("2026-03-30 00:20")
		mustTournee(t, db, med, tourneeAt(z, "2026-03-30", "00:10", "", st.Mediator.ID, partner.ID)) // the next day
		at("2026-03-28 23:50")
		mustTournee(t, db, storetest.Actor(st.Coordinator), tourneeAt(z, "2026-03-28", "23:55", "", st.Coordinator.ID, st.Admin.ID))
		at("2026-03-30 09:00")
		day := time.Date(2026, 3, 29, 12, 0, 0, 0, maillon.Paris)

		list, err := db.FindJournalTournees(ctx, med, maillon.JournalScope{MediatorID: st.Mediator.ID}, day)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != int64(first.ID) || list[1].ID != int64(last.ID) {
			t.Fatalf("mediator's day = %+v", list)
		}
		c := list[0].Counts
		if len(c) != len(maillon.TourneeCounters) || c[0].Code != "contacts" || c[2].Code != "orientations" || c[2].Count != 3 ||
			c[2].Label != "Orientations" {
			t.Errorf("counts = %+v", c)
		}
		if list[0].Zone != "Commune 69123 – Les Buers" || len(list[0].Members) != 2 || !list[0].OutsideHours {
			t.Errorf("first = %+v", list[0])
		}
		list, err = db.FindJournalTournees(ctx, admin, maillon.JournalScope{TeamID: team.ID}, day)
		if err != nil || len(list) != 1 || list[0].ID != int64(last.ID) {
			t.Errorf("team's day = %+v, %v", list, err)
		}
		// Rights: those of the main courante.
		if _, err := db.FindJournalTournees(ctx, med, maillon.JournalScope{MediatorID: partner.ID}, day); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("a mediator reads a colleague's day: %v", err)
		}
		if _, err := db.FindJournalTournees(ctx, storetest.Actor(other.Admin), maillon.JournalScope{MediatorID: st.Mediator.ID}, day); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("another structure reads the day: %v", err)
		}
		if _, err := db.FindJournalTournees(ctx, med, maillon.JournalScope{}, day); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("empty scope: %v", err)
		}
	})
}

func TestLoneWorkerCheckIns(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		z := tourneeTerritory(t, db, st, "69123", "Les Buers")
		oz := tourneeTerritory(t, db, other, "38185", "Villeneuve")
		med, coord := storetest.Actor(st.Mediator), storetest.Actor(st.Coordinator)
		for _, bad := range []struct {
			in    maillon.HomeVisitInput
			field string
		}{
			{maillon.HomeVisitInput{CommuneID: z.CommuneID}, "expected_end"},
			{maillon.HomeVisitInput{CommuneID: z.CommuneID, ExpectedEnd: "10:30"}, "expected_end"},
			{maillon.HomeVisitInput{ExpectedEnd: "11:30"}, "commune_id"},
			{maillon.HomeVisitInput{CommuneID: oz.CommuneID, ExpectedEnd: "11:30"}, "commune_id"},
			{maillon.HomeVisitInput{CommuneID: z.CommuneID, ZoneID: oz.ID, ExpectedEnd: "11:30"}, "zone_id"},
			{maillon.HomeVisitInput{CommuneID: z.CommuneID, ExpectedEnd: "11:30", PlaceLabel: strings.Repeat("x", 81)}, "place_label"},
		} {
			if _, err := db.StartHomeVisit(ctx, med, bad.in); maillon.FieldsOf(err)[bad.field] == "" {
				t.Errorf("home visit %+v: %v", bad.in, err)
			}
		}
		c, err := db.StartHomeVisit(ctx, med, maillon.HomeVisitInput{CommuneID: z.CommuneID, ZoneID: z.ID, PlaceLabel: "Bât. C", ExpectedEnd: "11:30"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Kind != "domicile" || c.Place() != "Commune 69123 – Les Buers, Bât. C" || !c.Open() {
			t.Errorf("check-in = %+v", c)
		}
		// Not overdue yet; a mediator cannot read the alert list.
		if list, err := db.FindOverdueCheckIns(ctx, coord); err != nil || len(list) != 0 {
			t.Errorf("overdue before the end: %+v, %v", list, err)
		}
		if _, err := db.FindOverdueCheckIns(ctx, med); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("mediator reads the alerts: %v", err)
		}
		// Extending moves the end 30 min later.
		if err := db.ExtendCheckIn(ctx, med, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.ExtendCheckIn(ctx, coord, c.ID); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("someone else extends: %v", err)
		}
		db.Clock.Advance(90 * time.Minute) // 12:00, expected 12:00 after the extension
		if list, _ := db.FindOverdueCheckIns(ctx, coord); len(list) != 0 {
			t.Errorf("overdue at the extended end: %+v", list)
		}
		db.Clock.Advance(25 * time.Minute)
		list, err := db.FindOverdueCheckIns(ctx, coord)
		if err != nil || len(list) != 1 || list[0].ID != c.ID || list[0].LateMinutes(db.Clock.Now()) != 25 || list[0].UserName != st.Mediator.DisplayName {
			t.Fatalf("overdue = %+v, %v", list, err)
		}
		if list, err := db.FindOverdueCheckIns(ctx, storetest.Actor(other.Coordinator)); err != nil || len(list) != 0 {
			t.Errorf("another structure sees the alert: %+v, %v", list, err)
		}
		for name, call := range map[string]func(maillon.Actor) error{
			"AcknowledgeCheckIn": func(a maillon.Actor) error { return db.AcknowledgeCheckIn(ctx, a, c.ID) },
			"CheckOut":           func(a maillon.Actor) error { return db.CheckOut(ctx, a, c.ID) },
			"ExtendCheckIn":      func(a maillon.Actor) error { return db.ExtendCheckIn(ctx, a, c.ID) },
		} {
			if err := call(storetest.Actor(other.Admin)); !errors.Is(err, maillon.ErrNotFound) {
				t.Errorf("%s from another structure: %v", name, err)
			}
		}
		if err := db.AcknowledgeCheckIn(ctx, storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)), c.ID); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("a mediator closes a colleague's: %v", err)
		}
		if err := db.AcknowledgeCheckIn(ctx, coord, c.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.FindOverdueCheckIns(ctx, coord); len(list) != 0 {
			t.Errorf("still overdue once reached: %+v", list)
		}
		if err := db.AcknowledgeCheckIn(ctx, coord, c.ID); !errors.Is(err, maillon.ErrConflict) {
			t.Errorf("second acknowledgement: %v", err)
		}
		if err := db.CheckOut(ctx, med, c.ID); !errors.Is(err, maillon.ErrConflict) {
			t.Errorf("check-out after the coordination closed it: %v", err)
		}
		entries, _, _ := db.FindAuditEntries(ctx, storetest.Actor(st.Admin), maillon.AuditFilter{Action: maillon.AuditCheckInAcknowledge, Limit: 5})
		if len(entries) != 1 || entries[0].ActorID != st.Coordinator.ID || entries[0].RecordID != int64(c.ID) {
			t.Errorf("acknowledgement audit = %+v", entries)
		}
		// A new visit, checked out by the mediator.
		c2, err := db.StartHomeVisit(ctx, med, maillon.HomeVisitInput{CommuneID: z.CommuneID, ExpectedEnd: "13:30"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CheckOut(ctx, coord, c2.ID); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("someone else checks out: %v", err)
		}
		if err := db.CheckOut(ctx, med, c2.ID); err != nil {
			t.Fatal(err)
		}
		if open, err := db.FindOpenCheckIn(ctx, med); err != nil || open != nil {
			t.Errorf("open after check-out: %+v, %v", open, err)
		}
	})
}

// The main courante shows the day's tournées and counts them in its
// totals.
func TestJournalDayShowsTournees(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		z := tourneeTerritory(t, db, st, "69123", "Les Buers")
		med := storetest.Actor(st.Mediator)
		tr := mustTournee(t, db, med, tourneeAt(z, "2026-03-10", "08:30", "", st.Mediator.ID, st.Coordinator.ID))
		if _, err := db.AddToTourneeCounter(ctx, med, tr.ID, "contacts", 7); err != nil {
			t.Fatal(err)
		}
		if err := db.EndTournee(ctx, med, tr.ID, maillon.TourneeEndInput{Time: "10:00"}); err != nil {
			t.Fatal(err)
		}
		mustTournee(t, db, storetest.Actor(st.Coordinator), tourneeAt(z, "2026-03-10", "09:00", "", st.Coordinator.ID, st.Admin.ID))
		jd, err := db.FindJournalDay(ctx, med, maillon.JournalScope{MediatorID: st.Mediator.ID}, storetest.Start)
		if err != nil {
			t.Fatal(err)
		}
		if len(jd.Tournees) != 1 || jd.Tournees[0].ID != int64(tr.ID) || jd.Tournees[0].Minutes() != 90 {
			t.Fatalf("tournées of the day: %+v", jd.Tournees)
		}
		tot := jd.Totals
		if tot.Tournees != 1 || tot.TourneeMinutes != 90 || tot.Minutes() != 90 || len(tot.TourneeCounts) != len(maillon.TourneeCounters) ||
			tot.TourneeCounts[0].Label != "Contacts établis" || tot.TourneeCounts[0].Count != 7 || tot.OutsideHours != 1 {
			t.Errorf("totals: %+v", tot)
		}
		coord, err := db.FindJournalDay(ctx, storetest.Actor(st.Coordinator), maillon.JournalScope{MediatorID: st.Coordinator.ID}, storetest.Start)
		if err != nil || len(coord.Tournees) != 2 || coord.Totals.Tournees != 2 {
			t.Errorf("coordinator's day: %+v, %v", coord, err)
		}
	})
}

// colleagueOf is a mediator of st who is on no tournée.
func colleagueOf(t *testing.T, db *storetest.DB, st *storetest.Structure) maillon.Actor {
	t.Helper()
	return storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur))
}
