//go:build unix

package store_test

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/storetest"
)

// BenchmarkSession measures Store.Session, the lookup every logged-in
// request makes, on the demo dataset, from several goroutines. PostgreSQL
// runs when MAILLON_TEST_POSTGRES is set, as for the tests.
//
//	go test ./internal/store -run '^$' -bench Session -benchmem
func BenchmarkSession(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(engine, func(b *testing.B) {
			bctx := context.Background()
			db := storetest.Open(b, engine)
			svc := db.Services()
			if _, err := demo.Load(bctx, svc, demo.Options{Scale: demo.Small, Seed: 1}); err != nil {
				b.Fatalf("demo: %v", err)
			}
			sess, _, err := svc.Auth.Login(bctx, maillon.LoginInput{Email: "mediation@demo.maillon.test",
				Password: demo.Password, ClientIP: "127.0.0.1", Channel: maillon.ChannelWeb})
			if err != nil {
				b.Fatalf("login: %v", err)
			}
			// The clock stands still: last_seen_at is never due for an
			// update, as for all but one request a minute per session.
			if _, err := db.Session(bctx, sess.Token); err != nil {
				b.Fatalf("session: %v", err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := benchCPUTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					cs, err := db.Session(bctx, sess.Token)
					if err != nil || cs.User.Email != "mediation@demo.maillon.test" {
						b.Errorf("session: %v", err)
						return
					}
				}
			})
			// Process CPU time (all threads) per lookup: steadier than
			// ns/op when the machine is busy with something else. On
			// PostgreSQL the server's own CPU is not included.
			b.ReportMetric(float64(benchCPUTime()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}

func benchCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// The benchmarks below run on the large dataset (SQLite; built on first
// use, see storetest.OpenLarge) and report the median and the 95th
// percentile of one operation, the figures of docs/performance.md:
//
//	go test ./internal/store -run '^$' -bench 'PersonSearch|CreateIntervention' -benchtime 2000x

// BenchmarkPersonSearch measures a partial, accent-insensitive name search
// through PersonService, as a mediator types it: the start of a last name
// and of a first name, in capitals, without accents.
func BenchmarkPersonSearch(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenLarge(b)
	a, _, _, _ := db.NetworkMediator(b)
	// Names spread over the whole list: a page every 12.
	var people []maillon.Person
	for off := 0; len(people) < 200; off += 12 * 25 {
		page, _, err := db.FindPersons(ctx, a, maillon.PersonFilter{Offset: off, Limit: 25})
		if err != nil {
			b.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		people = append(people, page...)
	}
	var queries []string
	for _, p := range people {
		if p.LastName == "" || p.FirstName == "" {
			continue
		}
		last, first := []rune(maillon.FoldText(p.LastName)), []rune(maillon.FoldText(p.FirstName))
		queries = append(queries, strings.ToUpper(string(last[:min(5, len(last))])+" "+string(first[:min(3, len(first))])))
	}
	var pct storetest.Percentiles
	found := 0
	b.ResetTimer()
	cpu := benchCPUTime()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		start := time.Now()
		people, _, err := db.FindPersons(ctx, a, maillon.PersonFilter{Query: q})
		pct.Add(time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		found += len(people)
	}
	b.StopTimer()
	b.ReportMetric(float64(benchCPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	if found < b.N {
		b.Errorf("%d results for %d searches of existing people", found, b.N)
	}
	pct.Report(b)
}

// BenchmarkCreateIntervention measures saving an intervention through
// InterventionService: a mediator, a person, two themes, a procedure with
// an obstacle and an observed autonomy level, a follow-up.
func BenchmarkCreateIntervention(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenLarge(b)
	a, u, ids, _ := db.NetworkMediator(b)
	day := maillon.InParis(db.Clock.Now()).AddDate(0, 0, -1)
	var pct storetest.Percentiles
	b.ResetTimer()
	cpu := benchCPUTime()
	for i := 0; i < b.N; i++ {
		pid := ids[i%len(ids)]
		in := maillon.InterventionInput{Date: day.Format("2006-01-02"), Time: fmt.Sprintf("%02d:%02d", 9+i%9, i%60),
			Minutes: "45", Mediators: []maillon.UserID{u.ID}, PlaceType: "permanence", Registre: "acces_droits",
			Themes: []string{"droits_sociaux", "numerique"}, Persons: []maillon.PersonID{pid},
			Description: "Demande d'aide au logement faite en ligne avec la personne.", Outcome: "partiel",
			FollowUpOn: day.AddDate(0, 0, 14).Format("2006-01-02"),
			Procedures: []maillon.ProcedureInput{{PersonID: pid, Organisme: "caf", Label: "Aide au logement", Channel: "en_ligne",
				Mode: "faire_avec", Obstacles: []string{"identification"}, Outcome: "attente", AutonomyLevel: "2"}}}
		start := time.Now()
		_, err := db.CreateIntervention(ctx, a, in)
		pct.Add(time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(benchCPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	pct.Report(b)
}

// BenchmarkJournalTeamDay measures the main courante of a team-day
// through JournalService.FindJournalDay, read by a mediator of the team,
// over the working days of the last year in turn.
func BenchmarkJournalTeamDay(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenLarge(b)
	a, _, _, _ := db.NetworkMediator(b)
	if a.TeamID == 0 {
		b.Fatal("the network mediator has no team")
	}
	var days []time.Time
	for d := maillon.JournalDate(db.Clock.Now()).AddDate(0, 0, -1); len(days) < 250; d = d.AddDate(0, 0, -1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			days = append(days, d)
		}
	}
	var pct storetest.Percentiles
	entries := 0
	b.ResetTimer()
	cpu := benchCPUTime()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		day, err := db.FindJournalDay(ctx, a, maillon.JournalScope{TeamID: a.TeamID}, days[i%len(days)])
		pct.Add(time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		entries += len(day.Entries)
	}
	b.StopTimer()
	b.ReportMetric(float64(benchCPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	if entries == 0 {
		b.Fatal("every team-day was empty")
	}
	b.ReportMetric(float64(entries)/float64(b.N), "entries/day")
	pct.Report(b)
}

// BenchmarkOrientationList measures the orientation list through
// OrientationService.FindOrientations, a page of 50 as the list page asks
// it, with the filters a coordinator uses in turn: none, a status, part of
// a partner's name, a mediator's own orientations, a person's.
func BenchmarkOrientationList(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenLarge(b)
	a, u, _, _ := db.NetworkMediator(b)
	coord := a
	coord.Role = maillon.RoleCoordinateur
	// People with orientations, from the latest page.
	latest, _, err := db.FindOrientations(ctx, coord, maillon.OrientationFilter{Limit: 500})
	if err != nil {
		b.Fatal(err)
	}
	var people []maillon.PersonID
	for _, o := range latest {
		if !o.Anonymous() && len(people) < 50 {
			people = append(people, o.PersonID)
		}
	}
	if len(people) == 0 {
		b.Fatal("no nominative orientation in the large dataset")
	}
	filters := []maillon.OrientationFilter{
		{},
		{Status: maillon.OrientationTransmise},
		{Status: maillon.OrientationRefusee},
		{Partner: "caf"},
		{Partner: "ccas", Status: maillon.OrientationPriseEnCharge},
		{CreatedBy: u.ID},
		{Offset: 500},
	}
	var pct storetest.Percentiles
	rows := 0
	b.ResetTimer()
	cpu := benchCPUTime()
	for i := 0; i < b.N; i++ {
		var f maillon.OrientationFilter
		if k := i % (len(filters) + 1); k < len(filters) {
			f = filters[k]
		} else {
			f = maillon.OrientationFilter{PersonID: people[i%len(people)]}
		}
		f.Limit = 50
		start := time.Now()
		list, _, err := db.FindOrientations(ctx, coord, f)
		pct.Add(time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		rows += len(list)
	}
	b.StopTimer()
	b.ReportMetric(float64(benchCPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	if rows == 0 {
		b.Fatal("every list was empty")
	}
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
	pct.Report(b)
}

// BenchmarkPartnerStats measures the figures per partner of a network
// structure (OrientationService.FindPartnerStats), for the whole
// structure and for one mediator, in turn.
func BenchmarkPartnerStats(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenLarge(b)
	a, u, _, _ := db.NetworkMediator(b)
	var pct storetest.Percentiles
	b.ResetTimer()
	cpu := benchCPUTime()
	for i := 0; i < b.N; i++ {
		var by maillon.UserID
		if i%2 == 1 {
			by = u.ID
		}
		start := time.Now()
		stats, err := db.FindPartnerStats(ctx, a, by)
		pct.Add(time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if len(stats) == 0 {
			b.Fatal("no partner figures")
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(benchCPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	pct.Report(b)
}

// BenchmarkTerritoryArea measures a territory page's read through
// TerritoryService.FindArea for each commune and quartier of the network
// structure in turn: its key figures and diagnostic, and the twelve
// months' totals of interventions, people met and tournées of the area.
func BenchmarkTerritoryArea(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenLarge(b)
	a, _, _, _ := db.NetworkMediator(b)
	terr, err := db.FindTerritory(ctx, a, a.StructureID)
	if err != nil {
		b.Fatal(err)
	}
	var refs []maillon.AreaRef
	for _, c := range terr.Communes {
		refs = append(refs, maillon.AreaRef{CommuneID: c.ID})
		for _, z := range c.Zones {
			refs = append(refs, maillon.AreaRef{ZoneID: z.ID})
		}
	}
	if len(refs) == 0 {
		b.Fatal("the network structure has no territory")
	}
	var pct storetest.Percentiles
	interventions := 0
	b.ResetTimer()
	cpu := benchCPUTime()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		area, err := db.FindArea(ctx, a, refs[i%len(refs)])
		pct.Add(time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		interventions += area.Activity.Interventions
	}
	b.StopTimer()
	b.ReportMetric(float64(benchCPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(interventions)/float64(b.N), "interventions/area")
	pct.Report(b)
}

// BenchmarkMediationList measures the mediations list through
// MediationService.FindMediations with its filters, as a coordinator (the
// whole structure, about 12,500 cases) and as a mediator (their team's),
// over a cycle of filter combinations and pages.
func BenchmarkMediationList(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenLarge(b)
	med, _, _, _ := db.NetworkMediator(b)
	u, err := db.FindUserByEmail(ctx, maillon.OperatorActor(), "s1.m7@demo.maillon.test")
	if err != nil {
		b.Fatal(err)
	}
	coord := maillon.Actor{UserID: u.ID, StructureID: u.StructureID, TeamID: u.TeamID, Role: u.Role, Channel: maillon.ChannelWeb}
	if coord.Role != maillon.RoleCoordinateur {
		b.Fatalf("%s is %s, not a coordinator", u.Email, u.Role)
	}
	terr, err := db.FindTerritory(ctx, coord, coord.StructureID)
	if err != nil || len(terr.Communes) == 0 || len(terr.Communes[0].Zones) == 0 {
		b.Fatalf("territory: %v", err)
	}
	zone := terr.Communes[0].Zones[0].ID
	filters := []maillon.MediationFilter{
		{},
		{Status: maillon.MediationEnCours},
		{Kind: maillon.MediationConflit, Status: maillon.MediationCloturee},
		{Kind: maillon.MediationInstitution},
		{TeamID: med.TeamID},
		{ZoneID: zone, Status: maillon.MediationOuverte},
		{Age: "1_3m"},
		{Kind: maillon.MediationInstitution, Status: maillon.MediationSuspendue, Age: "3_12m"},
		{Status: maillon.MediationCloturee, Offset: 500},
		{Kind: maillon.MediationConflit, ZoneID: zone, Age: "plus_12m", Offset: 50},
	}
	actors := []maillon.Actor{coord, med}
	var pct storetest.Percentiles
	rows, empty := 0, 0
	b.ResetTimer()
	cpu := benchCPUTime()
	for i := 0; i < b.N; i++ {
		f := filters[i%len(filters)]
		f.Limit = 50
		a := actors[(i/len(filters))%len(actors)]
		start := time.Now()
		list, total, err := db.FindMediations(ctx, a, f)
		pct.Add(time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		rows += len(list)
		if total == 0 {
			empty++
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(benchCPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
	if empty > b.N/3 {
		b.Errorf("%d of %d lists were empty: the filters do not match the dataset", empty, b.N)
	}
	pct.Report(b)
}

// BenchmarkRemonteeYear measures the remontées of one year (the default
// period: the last twelve months) for a network structure of the large
// dataset, all organismes, through VeilleService.FindRemontee. The issue
// asks for less than 200 ms.
func BenchmarkRemonteeYear(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenLarge(b)
	a, _, _, _ := db.NetworkMediator(b)
	var pct storetest.Percentiles
	rows, procedures := 0, 0
	b.ResetTimer()
	cpu := benchCPUTime()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		rem, err := db.FindRemontee(ctx, a, maillon.RemonteeFilter{})
		pct.Add(time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		rows, procedures = len(rem.Rows), rem.Procedures
	}
	b.StopTimer()
	b.ReportMetric(float64(benchCPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	if rows == 0 {
		b.Fatal("no obstacle in the year")
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(procedures), "procedures")
	pct.Report(b)
}
