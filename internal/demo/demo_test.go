package demo_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/storetest"
)

// loaded is a demo dataset read back through the services.
type loaded struct {
	sum      demo.Summary
	elapsed  time.Duration
	coord    maillon.Actor
	users    map[string]maillon.User // by e-mail
	teams    map[string]maillon.Team // by name
	people   []maillon.Person        // active then archived
	files    map[maillon.PersonID]*maillon.PersonFile
	ivs      []maillon.Intervention // newest first
	today    time.Time              // Paris midnight of the store's clock
	services maillon.Services
}

func load(t *testing.T, db *storetest.DB, seed uint64) *loaded {
	t.Helper()
	ctx := context.Background()
	svc := db.Services()
	start := time.Now()
	sum, err := demo.Load(ctx, svc, demo.Options{Scale: demo.Small, Seed: seed})
	if err != nil {
		t.Fatalf("%s: load: %v", db.Engine, err)
	}
	l := &loaded{sum: sum, elapsed: time.Since(start), services: svc, users: map[string]maillon.User{},
		teams: map[string]maillon.Team{}, files: map[maillon.PersonID]*maillon.PersonFile{}}
	p := maillon.InParis(db.Clock.Now())
	l.today = time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, maillon.Paris)

	op := maillon.OperatorActor()
	structures, err := svc.Structures.FindStructures(ctx, op)
	if err != nil || len(structures) != 1 {
		t.Fatalf("structures: %v (%d)", err, len(structures))
	}
	op.StructureID = structures[0].ID
	users, _, err := svc.Users.FindUsers(ctx, op, maillon.UserFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		l.users[u.Email] = u
	}
	c := l.users["coordination@demo.maillon.test"]
	l.coord = maillon.Actor{UserID: c.ID, StructureID: c.StructureID, TeamID: c.TeamID, Role: c.Role, Channel: maillon.ChannelWeb}
	teams, err := svc.Teams.FindTeams(ctx, l.coord)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams {
		l.teams[tm.Name] = tm
	}
	for _, archived := range []bool{false, true} {
		for off := 0; ; off += 200 {
			list, total, err := svc.People.FindPersons(ctx, l.coord, maillon.PersonFilter{Archived: archived, Offset: off, Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			l.people = append(l.people, list...)
			if off+len(list) >= total {
				break
			}
		}
	}
	for _, p := range l.people {
		f, err := svc.People.FindPersonFile(ctx, l.coord, p.ID)
		if err != nil {
			t.Fatalf("file of %s: %v", p.DisplayName(), err)
		}
		l.files[p.ID] = f
	}
	for off := 0; ; off += 500 {
		list, total, err := svc.Interventions.FindInterventions(ctx, l.coord, maillon.InterventionFilter{Offset: off, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		l.ivs = append(l.ivs, list...)
		if off+len(list) >= total {
			break
		}
	}
	return l
}

// Ensure the small dataset fills the mediation record believably: people
// with consents and autonomy trajectories, six months of every kind of
// activity, follow-ups in each bucket; and that it loads once only.
func TestLoad(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		ctx := context.Background()
		l := load(t, db, 1)
		t.Logf("%s: loaded in %v: %s; %s", db.Engine, l.elapsed.Round(time.Millisecond), l.sum, l.sum.Activity())

		// Counts.
		if l.sum.Structures != 1 || l.sum.Users != 8 || l.sum.Teams != 3 {
			t.Errorf("summary: %s", l.sum)
		}
		people, ivs, notes, margin := 80, 600, 20, 15
		if raceBuild {
			people, ivs, notes, margin = 24, 180, 5, 25 // see race.go
		}
		if n := l.sum.People; n < people*9/10 || n > people*11/10 || len(l.people) != n {
			t.Errorf("people: summary %d, found %d; want about %d", n, len(l.people), people)
		}
		if n := l.sum.Interventions; n < ivs*(100-margin)/100 || n > ivs*(100+margin)/100 || len(l.ivs) != n {
			t.Errorf("interventions: summary %d, found %d; want about %d", n, len(l.ivs), ivs)
		}
		if l.sum.Notes < notes {
			t.Errorf("only %d notes", l.sum.Notes)
		}
		visible := 0
		for _, f := range l.files {
			visible += len(f.Notes)
		}
		if visible >= l.sum.Notes {
			t.Errorf("the coordinator reads all %d notes: none is private", visible)
		}

		// Recent days of each team, and of the demo mediator, carry a
		// comment of the coordination.
		comments := strings.Join(journalComments(l), "\n")
		for name := range l.teams {
			if !strings.Contains(comments, "comment "+name+"|") {
				t.Errorf("no comment on the main courante of %s:\n%s", name, comments)
			}
		}
		if !strings.Contains(comments, "comment mediation@demo.maillon.test|") || !strings.Contains(comments, "|Nadia Benali|") {
			t.Errorf("main courante comments:\n%s", comments)
		}

		l.checkPeople(t)
		l.checkActivity(t)
		l.checkProcedures(t)
		l.checkFollowUps(t, ctx)

		// A second load is refused and changes nothing.
		_, err := demo.Load(ctx, l.services, demo.Options{Seed: 1})
		if !errors.Is(err, demo.ErrNotEmpty) {
			t.Errorf("second load: got %v, want ErrNotEmpty", err)
		}
		if _, total, err := l.services.Interventions.FindInterventions(ctx, l.coord, maillon.InterventionFilter{Limit: 1}); err != nil || total != len(l.ivs) {
			t.Errorf("the refused load changed the interventions: %d then %d (%v)", len(l.ivs), total, err)
		}
	})
}

func (l *loaded) checkPeople(t *testing.T) {
	t.Helper()
	var archived, withdrawnDossier, withdrawnOther, pseudonyms, noBirthYear, phones, emails, interpreters, access, rising, profiles, private int
	genders := map[string]int{}
	zones := map[string]bool{}
	for _, p := range l.people {
		f := l.files[p.ID]
		if p.Archived {
			archived++
		}
		if p.Pseudonym != "" && p.FirstName == "" && p.LastName == "" {
			pseudonyms++
		}
		if p.BirthYear == 0 {
			noBirthYear++
		}
		if p.Phone != "" {
			phones++
		}
		if p.Email != "" {
			emails++
			if !strings.HasSuffix(p.Email, ".org") && !strings.HasSuffix(p.Email, ".net") && !strings.HasSuffix(p.Email, ".com") {
				t.Errorf("%s: e-mail %s outside the documentation domains", p.DisplayName(), p.Email)
			}
		}
		if p.InterpreterNeeded {
			interpreters++
		}
		if len(p.AccessNeeds) > 0 {
			access++
		}
		genders[p.Gender]++
		zones[p.ZoneName] = true

		// Every file rests on a dossier consent, given in the past,
		// in force or withdrawn (then the file is archived).
		var dossier *maillon.Consent
		for i, c := range f.Consents {
			if c.Scope == maillon.ConsentDossier {
				dossier = &f.Consents[i]
			}
			if !c.GivenAt.Before(l.today.AddDate(0, 0, 1)) {
				t.Errorf("%s: consent %s given in the future (%s)", p.DisplayName(), c.Scope, c.GivenAt)
			}
			if !c.Active() && c.Scope != maillon.ConsentDossier {
				withdrawnOther++
			}
		}
		switch {
		case dossier == nil:
			t.Errorf("%s has no dossier consent", p.DisplayName())
		case !dossier.Active():
			withdrawnDossier++
			if !p.Archived {
				t.Errorf("%s withdrew the dossier consent but the file is not archived", p.DisplayName())
			}
		}
		// The trajectory: levels oldest first.
		var levels []int
		for _, a := range f.Autonomy {
			levels = append(levels, a.Level)
			if a.ProcedureID == 0 {
				profiles++
			}
		}
		if len(levels) >= 3 && levels[0] == 1 && levels[len(levels)-1] == 3 && slices.IsSorted(levels) {
			rising++
		}
		for _, n := range f.Notes {
			if n.Private {
				private++
			}
		}
		// Every person appears in at least one intervention.
		found := false
		for _, e := range f.Timeline {
			found = found || e.Kind == "intervention"
		}
		if !found {
			t.Errorf("%s has no intervention", p.DisplayName())
		}
	}
	n := len(l.people)
	t.Logf("people: %d, archived %d, withdrawn dossier %d, other withdrawals %d, pseudonyms %d, age band only %d, phones %d, e-mails %d, interpreter %d, accessibility %d, profiles %d, rising %d, genders %v",
		n, archived, withdrawnDossier, withdrawnOther, pseudonyms, noBirthYear, phones, emails, interpreters, access, profiles, rising, genders)
	switch {
	case withdrawnDossier != 1:
		t.Errorf("%d withdrawn dossier consents, want 1", withdrawnDossier)
	case withdrawnOther < 1 || withdrawnDossier+withdrawnOther > 4:
		t.Errorf("%d other consents withdrawn, want 1 to 3", withdrawnOther)
	case rising < 3:
		t.Errorf("%d people with a rising autonomy trajectory, want at least 3", rising)
	case private > 0:
		t.Errorf("the coordinator reads %d private notes", private)
	case raceBuild:
		// A thinner dataset (race.go): proportions vary more.
	case archived < 3:
		t.Errorf("%d archived files, want a few", archived)
	case pseudonyms < 3:
		t.Errorf("%d people known by a pseudonym only", pseudonyms)
	case noBirthYear < n/6:
		t.Errorf("%d people with an age band only", noBirthYear)
	case phones < n/3 || phones > 2*n/3:
		t.Errorf("%d phones for %d people, want about half", phones, n)
	case emails < n/6 || emails > n/2:
		t.Errorf("%d e-mails for %d people, want about a third", emails, n)
	case interpreters < 2 || access < 2:
		t.Errorf("%d people need an interpreter, %d have accessibility needs", interpreters, access)
	case genders["non_precise"] == 0 || genders["femme"] == 0 || genders["homme"] == 0:
		t.Errorf("genders: %v", genders)
	case len(zones) < 7:
		t.Errorf("people live in %d zones only", len(zones))
	case profiles < 10:
		t.Errorf("%d autonomy profiles entered directly", profiles)
	}
}

func (l *loaded) checkActivity(t *testing.T) {
	t.Helper()
	registres, places := map[string]int{}, map[string]int{}
	var outside, weekend, binomes, named, anonymous, multi, soirOutside, karimWeek int
	karim := l.users["mediation@demo.maillon.test"].ID
	soir := l.teams["Médiation de soirée"]
	first := l.today
	for _, iv := range l.ivs {
		registres[iv.Registre]++
		places[iv.PlaceType]++
		start := maillon.InParis(iv.StartAt)
		if start.Before(first) {
			first = start
		}
		if iv.EndAt().After(l.today.AddDate(0, 0, 1)) {
			t.Errorf("intervention %d ends in the future: %s", iv.ID, iv.EndAt())
		}
		if iv.OutsideHours {
			outside++
		}
		if start.Weekday() == time.Saturday || start.Weekday() == time.Sunday {
			weekend++
		}
		if len(iv.Mediators) > 1 {
			binomes++
		}
		if len(iv.Persons) > 0 {
			named++
		}
		if len(iv.Persons) > 1 {
			multi++
		}
		if len(iv.Anonymous) > 0 {
			anonymous++
		}
		if iv.Registre == "presence" && (len(iv.Persons) > 0 || iv.AnonymousTotal() == 0) {
			t.Errorf("street presence %d: want anonymous tallies only, got %v and %v", iv.ID, iv.Persons, iv.Anonymous)
		}
		if iv.Description == "" || len(iv.Themes) == 0 && iv.PlaceType != "telephone" && iv.Registre != "presence" {
			t.Errorf("intervention %d lacks a description or themes: %+v", iv.ID, iv)
		}
		if slices.Contains(iv.Mediators, karim) && !start.Before(l.today.AddDate(0, 0, -7)) {
			karimWeek++
		}
		for _, uid := range iv.Mediators {
			if l.userTeam(uid) == soir.ID && iv.OutsideHours {
				soirOutside++
				break
			}
		}
	}
	t.Logf("interventions: %d from %s, named %d (several people %d), anonymous %d, binômes %d, outside office hours %d (evening team %d), weekends %d",
		len(l.ivs), first.Format("2006-01-02"), named, multi, anonymous, binomes, outside, soirOutside, weekend)
	t.Logf("registres %v", registres)
	t.Logf("places %v", places)
	if days := int(l.today.Sub(first).Hours() / 24); days < 170 || days > 190 {
		t.Errorf("the activity starts %d days ago, want about six months", days)
	}
	if karimWeek < 6 {
		t.Errorf("the demo mediator has %d interventions in the last week", karimWeek)
	}
	if raceBuild {
		return // a thinner dataset (race.go): rare kinds may be missing
	}
	for _, c := range maillon.Registres {
		if registres[c.Code] == 0 {
			t.Errorf("no intervention of registre %s", c.Code)
		}
	}
	for _, c := range maillon.PlaceTypes {
		if places[c.Code] == 0 {
			t.Errorf("no intervention at a place of type %s", c.Code)
		}
	}
	for _, c := range maillon.PlaceTypes {
		if c.Code != "permanence" && places[c.Code] >= places["permanence"] {
			t.Errorf("%s (%d) is as frequent as the permanence (%d)", c.Code, places[c.Code], places["permanence"])
		}
	}
	if soirOutside < 40 || weekend < 20 || binomes < len(l.ivs)/5 || multi == 0 || named < len(l.ivs)/3 || anonymous < len(l.ivs)/3 {
		t.Errorf("activity mix looks wrong")
	}
}

func (l *loaded) userTeam(id maillon.UserID) maillon.TeamID {
	for _, u := range l.users {
		if u.ID == id {
			return u.TeamID
		}
	}
	return 0
}

func (l *loaded) checkProcedures(t *testing.T) {
	t.Helper()
	var rights, withProc, procs, digital int
	modes, outcomes, orgs := map[string]int{}, map[string]int{}, map[string]int{}
	for _, iv := range l.ivs {
		if iv.Registre == "acces_droits" || slices.Contains(iv.Registres, "acces_droits") {
			rights++
			if len(iv.Procedures) > 0 {
				withProc++
			}
		}
		for _, p := range iv.Procedures {
			procs++
			modes[p.Mode]++
			outcomes[p.Outcome]++
			orgs[p.Organisme]++
			if p.TypeID == 0 && p.Label == "" {
				t.Errorf("procedure %d has neither catalogue entry nor label", p.ID)
			}
			for _, o := range p.Obstacles {
				switch o {
				case "equipement", "connexion", "competences", "email", "identification", "numerisation":
					digital++
				}
			}
			if p.Mandate && p.Mode != "faire_pour" {
				t.Errorf("procedure %d: mandate without faire_pour", p.ID)
			}
		}
	}
	share := 100 * withProc / max(rights, 1)
	t.Logf("procedures: %d on %d of %d access-to-rights interventions (%d %%), modes %v, outcomes %v, organismes %d, digital obstacles %d",
		procs, withProc, rights, share, modes, outcomes, len(orgs), digital)
	if raceBuild {
		return
	}
	if share < 30 || share > 60 {
		t.Errorf("%d %% of access-to-rights interventions carry a procedure, want about 40 %%", share)
	}
	if modes["faire_avec"] <= modes["faire_pour"] || modes["faire_avec"] <= modes["seule_guidee"] {
		t.Errorf("faire avec should be the most frequent mode: %v", modes)
	}
	if len(orgs) < 10 || digital < procs/3 || len(outcomes) < 4 {
		t.Errorf("procedures look thin: %d organismes, %d digital obstacles, outcomes %v", len(orgs), digital, outcomes)
	}
}

func (l *loaded) checkFollowUps(t *testing.T, ctx context.Context) {
	t.Helper()
	done := 0
	for _, iv := range l.ivs {
		if iv.FollowUpDone {
			done++
		}
	}
	karim := l.users["mediation@demo.maillon.test"]
	for _, who := range []maillon.UserID{0, karim.ID} {
		list, err := l.services.Interventions.FindFollowUps(ctx, l.coord, maillon.FollowUpFilter{MediatorID: who, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		buckets := map[string]int{}
		for _, f := range list {
			switch {
			case f.Overdue(l.today):
				buckets["overdue"]++
			case f.On.Equal(l.today):
				buckets["today"]++
			case !f.On.After(l.today.AddDate(0, 0, 7)):
				buckets["week"]++
			default:
				buckets["later"]++
			}
		}
		t.Logf("follow-ups of %d: open %v, done %d", who, buckets, done)
		for _, b := range []string{"overdue", "today", "week"} {
			if buckets[b] == 0 {
				t.Errorf("no follow-up %s for mediator %d", b, who)
			}
		}
	}
	if done < 50 && !raceBuild || done == 0 {
		t.Errorf("%d follow-ups done", done)
	}
}

// fingerprint describes a dataset without its database identifiers.
func fingerprint(l *loaded) []string {
	var out []string
	for _, p := range l.people {
		f := l.files[p.ID]
		var consents, levels []string
		for _, c := range f.Consents {
			consents = append(consents, fmt.Sprintf("%s/%s/%s/%v", c.Scope, c.Method, c.GivenAt.Format("2006-01-02"), c.Active()))
		}
		for _, a := range f.Autonomy {
			levels = append(levels, fmt.Sprintf("%s:%d", a.AssessedAt.Format("2006-01-02"), a.Level))
		}
		// Past appointments join the timeline as the day goes by: the
		// second load runs later the same day, so they are left out.
		timeline := 0
		for _, e := range f.Timeline {
			if e.Kind != "appointment" {
				timeline++
			}
		}
		out = append(out, fmt.Sprintf("person %s|%s|%d|%s|%s|%s|%s|%s/%s|%s|%v|%s|%s|%s|%v|%v|%v|notes %d|tl %d|rdv %d",
			p.DisplayName(), p.Pseudonym, p.BirthYear, p.AgeBand, p.Gender, p.Phone, p.Email, p.CommuneName, p.ZoneName,
			p.Languages, p.InterpreterNeeded, p.Household, p.ReferentName, p.TeamName, p.Archived, consents, levels,
			len(f.Notes), timeline, len(f.Appointments)))
	}
	for _, iv := range l.ivs {
		var procs, persons []string
		for _, p := range iv.Procedures {
			procs = append(procs, fmt.Sprintf("%s/%s/%s/%v/%s/%d", p.Title(), p.Channel, p.Mode, p.Obstacles, p.Outcome, p.AutonomyLevel))
		}
		for _, p := range iv.Persons {
			persons = append(persons, p.Name)
		}
		out = append(out, fmt.Sprintf("iv %s|%d|%v|%v|%s|%s|%s|%s|%v|%v|%s|%v|%v|%s|%s|%s|%s|%v|%v",
			iv.StartAt.UTC().Format(time.RFC3339), iv.Minutes, iv.OutsideHours, iv.MediatorNames, iv.PlaceType, iv.ZoneName,
			iv.PlaceLabel, iv.Registre, iv.Registres, iv.Themes, iv.Initiative, persons, iv.Anonymous, iv.Description,
			iv.Outcome, iv.NextStep, iv.FollowUpOn.Format("2006-01-02"), iv.FollowUpDone, procs))
	}
	return append(out, journalComments(l)...)
}

// journalComments lists the coordination's comments of the last ten days,
// by team and for mediation@demo.maillon.test.
func journalComments(l *loaded) []string {
	var out []string
	scopes := map[string]maillon.JournalScope{"mediation@demo.maillon.test": {MediatorID: l.users["mediation@demo.maillon.test"].ID}}
	for name, tm := range l.teams {
		scopes[name] = maillon.JournalScope{TeamID: tm.ID}
	}
	names := slices.Sorted(maps.Keys(scopes))
	for _, name := range names {
		for k := 0; k <= 10; k++ {
			jd, err := l.services.Journal.FindJournalDay(context.Background(), l.coord, scopes[name], l.today.AddDate(0, 0, -k))
			if err != nil {
				panic(err)
			}
			if jd.Comment.Text != "" {
				out = append(out, fmt.Sprintf("comment %s|%s|%s|%s", name, jd.Day.Format("2006-01-02"), jd.Comment.AuthorName, jd.Comment.Text))
			}
		}
	}
	return out
}

// Ensure the same seed on two fresh databases, at two times of the same
// day, gives the same dataset, and another seed another one.
func TestLoadIsDeterministic(t *testing.T) {
	if raceBuild {
		// Five loads under the race detector would slow down the
		// other packages' tests (cmd/maillon starts servers with a
		// deadline); the generator is the same without -race.
		t.Skip("loads the dataset five times")
	}
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		la := load(t, db, 42)
		a := append(fingerprint(la), fingerprintTournees(t, la)...)
		// Later the same day (storetest.Start is 10:30 in Paris).
		other := storetest.Open(t, db.Engine)
		other.Clock.Set(storetest.Start.Add(11 * time.Hour))
		lb := load(t, other, 42)
		b := append(fingerprint(lb), fingerprintTournees(t, lb)...)
		if len(a) != len(b) {
			t.Fatalf("same seed, %d then %d records", len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("same seed, different record %d:\n%s\n%s", i, a[i], b[i])
			}
		}
		if db.Engine != "sqlite" {
			return // the generator does not depend on the engine
		}
		c := fingerprint(load(t, storetest.Open(t, db.Engine), 43))
		if slices.Equal(a, c) {
			t.Errorf("seeds 42 and 43 gave the same dataset")
		}
	})
}

// Ensure the large scale adds the network's structures with their bulk
// activity (on a reduced size), readable through the services like records
// entered one by one, and the same for a seed on both engines.
func TestLoadLarge(t *testing.T) {
	if raceBuild {
		t.Skip("loads the large dataset")
	}
	const people = 2000
	prints := map[string]string{}
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			db := storetest.Open(t, engine)
			sum, err := demo.Load(context.Background(), db.Services(), demo.Options{Scale: demo.Large, Seed: 1, People: people})
			if err != nil {
				t.Fatal(err)
			}
			prints[engine] = checkLarge(t, db, sum, people)
			checkLargeOrientations(t, db, sum, people)
		})
	}
	if p, ok := prints["postgres"]; ok && p != prints["sqlite"] {
		t.Errorf("same seed, different data on the two engines:\n%s\n----\n%s", prints["sqlite"], p)
	}
	db := storetest.Open(t, "sqlite")
	if _, err := demo.Load(context.Background(), db.Services(), demo.Options{Scale: demo.Large, Seed: 2, People: people}); err != nil {
		t.Fatal(err)
	}
	if prints["sqlite"] == fingerprintLarge(t, db) {
		t.Errorf("seeds 1 and 2 gave the same network")
	}
	if _, err := demo.Load(context.Background(), db.Services(), demo.Options{Scale: "huge"}); err == nil {
		t.Errorf("an unknown scale was accepted")
	}
}

// networkActor is a mediator of the first network structure.
func networkActor(t *testing.T, svc maillon.Services) maillon.Actor {
	t.Helper()
	u, err := svc.Users.FindUserByEmail(context.Background(), maillon.OperatorActor(), "s1.m1@demo.maillon.test")
	if err != nil {
		t.Fatal(err)
	}
	return maillon.Actor{UserID: u.ID, StructureID: u.StructureID, TeamID: u.TeamID, Role: u.Role, Channel: maillon.ChannelWeb}
}

// checkLarge checks counts, search, timelines and the distribution of the
// network's activity, and returns the dataset's fingerprint.
func checkLarge(t *testing.T, db *storetest.DB, sum demo.Summary, people int) string {
	t.Helper()
	ctx := context.Background()
	svc := db.Services()
	if sum.Structures != 5 || sum.Users < 90 || sum.People < people || sum.Interventions < 5*people {
		t.Errorf("large summary: %s; %s", sum, sum.Activity())
	}
	a := networkActor(t, svc)
	// Everyone of the structure, through the list.
	var all []maillon.Person
	for _, archived := range []bool{false, true} {
		for off := 0; ; off += 200 {
			page, total, err := svc.People.FindPersons(ctx, a, maillon.PersonFilter{Archived: archived, Offset: off, Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page...)
			if off+200 >= total {
				break
			}
		}
	}
	if len(all) != people/4 {
		t.Fatalf("the first network structure has %d people, want %d", len(all), people/4)
	}
	// A partial, accent-insensitive search finds a bulk-loaded person.
	var named maillon.Person
	for _, p := range all {
		if p.LastName != "" && p.FirstName != "" && !p.Archived && strings.ContainsAny(p.LastName+p.FirstName, "éèëïîôç") {
			named = p
			break
		}
	}
	if named.ID == 0 {
		t.Fatal("no active person with an accented name")
	}
	q := strings.ToUpper(maillon.FoldText(named.FirstName)[:3] + " " + maillon.FoldText(named.LastName))
	found, _, err := svc.People.FindPersons(ctx, a, maillon.PersonFilter{Query: q, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(found, func(p maillon.Person) bool { return p.ID == named.ID }) {
		t.Errorf("search %q does not find %s %s", q, named.FirstName, named.LastName)
	}
	// The first people imported are followed closely: about 300 entries
	// on their timeline.
	heavy := slices.MinFunc(all, func(x, y maillon.Person) int { return int(x.ID - y.ID) })
	if len(sum.Followed) != 12 || sum.Followed[0] != heavy.ID {
		t.Errorf("followed people %v, want 12 starting with %d", sum.Followed, heavy.ID)
	}
	f, err := svc.People.FindPersonFile(ctx, a, heavy.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Timeline); n < 250 || n > 400 {
		t.Errorf("the first person of the network has %d timeline entries, want about 300", n)
	}
	if f.Person.LastContactAt.Before(f.Consents[len(f.Consents)-1].GivenAt) {
		t.Errorf("last contact %v before the first consent", f.Person.LastContactAt)
	}
	// One mediation per four people, steps pointing to the people's own
	// interventions.
	if sum.Mediations < people/4 || sum.Mediations > people/4+20 {
		t.Errorf("%d mediations, want %d and the main structure's", sum.Mediations, people/4)
	}
	ms, n, err := svc.Mediations.FindMediations(ctx, a, maillon.MediationFilter{Limit: 20})
	if err != nil || n == 0 {
		t.Fatalf("the network mediator sees %d mediations (%v)", n, err)
	}
	m, err := svc.Mediations.FindMediationByID(ctx, a, ms[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Parties) != 2 || (len(m.Steps) == 0 && len(m.ScopeIssues) == 0) {
		t.Errorf("bulk mediation: %d parties, %d steps", len(m.Parties), len(m.Steps))
	}
	// Most people come 1 to 10 times.
	few := 0
	for _, p := range all[:60] {
		_, n, err := svc.Interventions.FindInterventions(ctx, a, maillon.InterventionFilter{PersonID: p.ID, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("%s has no intervention", p.DisplayName())
		}
		if n >= 1 && n <= 10 {
			few++
		}
	}
	if few < 45 {
		t.Errorf("%d of 60 people come 1 to 10 times, want most", few)
	}
	return fingerprintLarge(t, db)
}

// fingerprintLarge lists the network's people and the activity of its
// first structure.
func fingerprintLarge(t *testing.T, db *storetest.DB) string {
	t.Helper()
	ctx := context.Background()
	svc := db.Services()
	a := networkActor(t, svc)
	var b strings.Builder
	page, total, err := svc.People.FindPersons(ctx, a, maillon.PersonFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%d people\n", total)
	for _, p := range page {
		fmt.Fprintf(&b, "%d %s %d %s %s %s\n", p.ID, p.DisplayName(), p.BirthYear, p.Phone, p.Email, p.LastContactAt.Format(time.RFC3339))
	}
	ivs, total, err := svc.Interventions.FindInterventions(ctx, a, maillon.InterventionFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%d interventions\n", total)
	for _, iv := range ivs {
		fmt.Fprintf(&b, "%d %s %d %v %s %v %v %d %s\n", iv.ID, iv.StartAt.Format(time.RFC3339), iv.Minutes, iv.Mediators, iv.Registre,
			slices.Sorted(slices.Values(iv.Themes)), iv.Persons, iv.AnonymousTotal(), iv.Description)
	}
	ms, total, err := svc.Mediations.FindMediations(ctx, a, maillon.MediationFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%d mediations\n", total)
	for _, m := range ms {
		fmt.Fprintf(&b, "%d %s %s %s %s %s %d\n", m.ID, m.OriginOn.Format(time.RFC3339), m.Kind, m.Topic, m.Status, m.Outcome, m.PartyCount)
	}
	return b.String()
}

// Ensure the dataset holds together whatever the day it is loaded: a
// weekend, a public holiday, early on a Monday, late in the evening.
func TestLoadOnOtherDays(t *testing.T) {
	if raceBuild || testing.Short() {
		t.Skip("loads the dataset several times")
	}
	for i, at := range []time.Time{
		time.Date(2026, 8, 15, 12, 0, 0, 0, time.UTC),  // Saturday 15 August, a public holiday
		time.Date(2027, 1, 4, 5, 30, 0, 0, time.UTC),   // Monday, before opening
		time.Date(2026, 11, 29, 21, 0, 0, 0, time.UTC), // Sunday evening
	} {
		t.Run(at.Format("2006-01-02T15:04"), func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, "sqlite")
			db.Clock.Set(at)
			l := load(t, db, uint64(i+2))
			l.checkPeople(t)
			l.checkActivity(t)
			l.checkProcedures(t)
			l.checkFollowUps(t, context.Background())
		})
	}
}

// checkLargeOrientations checks the network's orientations: one and a half
// per person, every status, nominative and anonymous ones, figures per
// partner with feedback through the links.
func checkLargeOrientations(t *testing.T, db *storetest.DB, sum demo.Summary, people int) {
	t.Helper()
	ctx := context.Background()
	svc := db.Services()
	if sum.Orientations < people*3/2 {
		t.Errorf("%d orientations for %d people, want at least %d", sum.Orientations, people, people*3/2)
	}
	a := networkActor(t, svc)
	_, total, err := svc.Orientations.FindOrientations(ctx, a, maillon.OrientationFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := people / 4 * 3 / 2; total < want {
		t.Errorf("the first network structure has %d orientations, want at least %d", total, want)
	}
	for _, st := range maillon.OrientationStatuses {
		_, n, err := svc.Orientations.FindOrientations(ctx, a, maillon.OrientationFilter{Status: st.Code, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || n > total*2/3 {
			t.Errorf("%d of %d orientations are %q", n, total, st.Code)
		}
	}
	page, _, err := svc.Orientations.FindOrientations(ctx, a, maillon.OrientationFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	nominative := 0
	for _, o := range page {
		if !o.Anonymous() {
			nominative++
		}
	}
	if nominative == 0 || nominative == len(page) {
		t.Errorf("%d nominative orientations of the latest %d, want some", nominative, len(page))
	}
	stats, err := svc.Orientations.FindPartnerStats(ctx, a, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) < 10 || len(stats) > 30 {
		t.Errorf("%d partners, want the network's list with its spellings grouped", len(stats))
	}
	for _, s := range stats[:3] {
		if s.Feedback == 0 || s.Outcomes <= s.Feedback || s.MedianDays < 1 {
			t.Errorf("partner %q: %+v, want outcomes, some reported by the partner, a median delay", s.Partner, s)
		}
	}
}
