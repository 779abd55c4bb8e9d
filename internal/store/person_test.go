package store_test

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// Helpers of the people tests (person_test.go, person_search_test.go).

// newPerson is a valid creation input: a name and the dossier consent,
// given orally today.
func newPerson(first, last string) maillon.PersonInput {
	return maillon.PersonInput{FirstName: first, LastName: last, ConsentGiven: true, ConsentMethod: "oral"}
}

func mustCreatePerson(t *testing.T, db *storetest.DB, actor maillon.Actor, in maillon.PersonInput) *maillon.Person {
	t.Helper()
	p, err := db.CreatePerson(ctx, actor, in)
	if err != nil {
		t.Fatalf("create person %+v: %v", in, err)
	}
	return p
}

func mustFile(t *testing.T, db *storetest.DB, actor maillon.Actor, id maillon.PersonID) *maillon.PersonFile {
	t.Helper()
	f, err := db.FindPersonFile(ctx, actor, id)
	if err != nil {
		t.Fatalf("FindPersonFile(%d): %v", id, err)
	}
	return f
}

// personInput turns a person back into an update input.
func personInput(p *maillon.Person) maillon.PersonInput {
	in := maillon.PersonInput{FirstName: p.FirstName, LastName: p.LastName, Pseudonym: p.Pseudonym, AgeBand: p.AgeBand,
		Gender: p.Gender, Phone: p.Phone, Email: p.Email, CommuneID: p.CommuneID, ZoneID: p.ZoneID, Languages: p.Languages,
		InterpreterNeeded: p.InterpreterNeeded, AccessNeeds: p.AccessNeeds, AccessText: p.AccessText, Household: p.Household,
		Housing: p.Housing, Activity: p.Activity, Nationality: p.Nationality, ReferentID: p.ReferentID, TeamID: p.TeamID}
	if p.BirthYear != 0 {
		in.BirthYear = itoa(p.BirthYear)
	}
	return in
}

func itoa(n int) string { return strconv.Itoa(n) }

// intervention is a valid intervention of the actor on day at hh:mm
// naming people, started by initiative.
func intervention(actor maillon.Actor, day, clock, initiative string, people ...maillon.PersonID) maillon.InterventionInput {
	return maillon.InterventionInput{Date: day, Time: clock, Minutes: "30", Mediators: []maillon.UserID{actor.UserID},
		PlaceType: "permanence", Registre: "accueil", Initiative: initiative, Persons: people}
}

func mustIntervention(t *testing.T, db *storetest.DB, actor maillon.Actor, in maillon.InterventionInput) *maillon.Intervention {
	t.Helper()
	iv, err := db.CreateIntervention(ctx, actor, in)
	if err != nil {
		t.Fatalf("create intervention %+v: %v", in, err)
	}
	return iv
}

// personAudit lists the audit entries of action about person records,
// oldest first.
func personAudit(t *testing.T, db *storetest.DB, admin maillon.Actor, action maillon.AuditAction) []maillon.AuditEntry {
	t.Helper()
	entries := auditEntries(t, db, admin, maillon.AuditFilter{Action: action, Limit: 500})
	slices.Reverse(entries)
	return entries
}

func personNames(list []maillon.Person) []string {
	out := []string{}
	for _, p := range list {
		out = append(out, p.DisplayName())
	}
	return out
}

func personIDs(list []maillon.Person) []maillon.PersonID {
	out := []maillon.PersonID{}
	for _, p := range list {
		out = append(out, p.ID)
	}
	return out
}

func findPersons(t *testing.T, db *storetest.DB, actor maillon.Actor, f maillon.PersonFilter) ([]maillon.Person, int) {
	t.Helper()
	list, total, err := db.FindPersons(ctx, actor, f)
	if err != nil {
		t.Fatalf("FindPersons(%+v): %v", f, err)
	}
	return list, total
}

func countPersons(t *testing.T, db *storetest.DB) int {
	t.Helper()
	return rawCount(t, db, "select count(*) from persons")
}

func TestCreatePersonRequiresTheDossierConsent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		med := storetest.Actor(st.Mediator)
		for _, c := range []struct {
			name   string
			change func(in *maillon.PersonInput)
			fields []string
		}{
			{"no consent", func(in *maillon.PersonInput) { in.ConsentGiven = false }, []string{"consent_given"}},
			{"no method", func(in *maillon.PersonInput) { in.ConsentMethod = "" }, []string{"consent_method"}},
			{"unknown method", func(in *maillon.PersonInput) { in.ConsentMethod = "tacite" }, []string{"consent_method"}},
			{"consent tomorrow", func(in *maillon.PersonInput) { in.ConsentDate = "2026-03-11" }, []string{"consent_date"}},
			{"consent date unreadable", func(in *maillon.PersonInput) { in.ConsentDate = "10/03/2026" }, []string{"consent_date"}},
			{"consent date out of range", func(in *maillon.PersonInput) { in.ConsentDate = "1850-01-01" }, []string{"consent_date"}},
			{"nothing about consent", func(in *maillon.PersonInput) {
				in.ConsentGiven, in.ConsentMethod, in.ConsentDate = false, "", "demain"
			}, []string{"consent_given", "consent_method", "consent_date"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := newPerson("Hélène", "Dupré")
				c.change(&in)
				before := countPersons(t, db)
				p, err := db.CreatePerson(ctx, med, in)
				wantFields(t, err, maillon.ErrInvalid, c.fields...)
				if p != nil || countPersons(t, db) != before {
					t.Fatalf("refused creation returned %+v and left %d people (was %d)", p, countPersons(t, db), before)
				}
			})
		}

		// Given in writing yesterday: the consent row records it all.
		in := newPerson("Hélène", "Dupré")
		in.ConsentMethod, in.ConsentDate = "ecrit", "2026-03-09"
		p := mustCreatePerson(t, db, med, in)
		f := mustFile(t, db, med, p.ID)
		if len(f.Consents) != 1 {
			t.Fatalf("consents = %+v, want the dossier consent", f.Consents)
		}
		c := f.Consents[0]
		if c.Scope != maillon.ConsentDossier || c.Method != "ecrit" || !c.Active() || c.RecordedBy != st.Mediator.ID ||
			c.RecordedByName != st.Mediator.DisplayName || !c.RecordedAt.Equal(storetest.Start) ||
			!c.GivenAt.Equal(time.Date(2026, 3, 9, 0, 0, 0, 0, maillon.Paris)) {
			t.Errorf("consent = %+v", c)
		}
		if !f.HasConsent(maillon.ConsentDossier) || f.HasConsent("partage") {
			t.Errorf("HasConsent: dossier %v, partage %v", f.HasConsent(maillon.ConsentDossier), f.HasConsent("partage"))
		}
		// An empty date is today.
		p2 := mustCreatePerson(t, db, med, newPerson("Marc", "Dupont"))
		if c := mustFile(t, db, med, p2.ID).Consents; len(c) != 1 || !c[0].GivenAt.Equal(time.Date(2026, 3, 10, 0, 0, 0, 0, maillon.Paris)) {
			t.Errorf("consent with no date = %+v, want today", c)
		}
		// No structure, no file: the operator has none.
		_, err := db.CreatePerson(ctx, maillon.OperatorActor(), newPerson("Op", "Erateur"))
		wantKind(t, err, maillon.ErrForbidden)
		_, err = db.CreatePerson(ctx, maillon.Actor{}, newPerson("Ano", "Nyme"))
		wantKind(t, err, maillon.ErrUnauthenticated)
	})
}

func TestCreatePersonValidatesTheFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		med := storetest.Actor(st.Mediator)
		for _, c := range []struct {
			name   string
			change func(in *maillon.PersonInput)
			fields []string
		}{
			{"no name nor pseudonym", func(in *maillon.PersonInput) { in.FirstName, in.LastName = "", "" }, []string{"last_name"}},
			{"names of spaces only", func(in *maillon.PersonInput) { in.FirstName, in.LastName, in.Pseudonym = "  ", "\t", " " }, []string{"last_name"}},
			{"first name too long", func(in *maillon.PersonInput) { in.FirstName = strings.Repeat("é", 121) }, []string{"first_name"}},
			{"last name on two lines", func(in *maillon.PersonInput) { in.LastName = "Du\npré" }, []string{"last_name"}},
			{"pseudonym too long", func(in *maillon.PersonInput) { in.Pseudonym = strings.Repeat("x", 61) }, []string{"pseudonym"}},
			{"birth year of 2 digits", func(in *maillon.PersonInput) { in.BirthYear = "78" }, []string{"birth_year"}},
			{"birth year with letters", func(in *maillon.PersonInput) { in.BirthYear = "19a8" }, []string{"birth_year"}},
			{"birth year 121 years ago", func(in *maillon.PersonInput) { in.BirthYear = "1905" }, []string{"birth_year"}},
			{"birth year next year", func(in *maillon.PersonInput) { in.BirthYear = "2027" }, []string{"birth_year"}},
			{"unknown age band", func(in *maillon.PersonInput) { in.AgeBand = "30_40" }, []string{"age_band"}},
			{"unknown gender", func(in *maillon.PersonInput) { in.Gender = "f" }, []string{"gender"}},
			{"unknown household", func(in *maillon.PersonInput) { in.Household = "tribu" }, []string{"household"}},
			{"unknown housing", func(in *maillon.PersonInput) { in.Housing = "chateau" }, []string{"housing"}},
			{"unknown activity", func(in *maillon.PersonInput) { in.Activity = "rentier" }, []string{"activity"}},
			{"nationality beyond the three groups", func(in *maillon.PersonInput) { in.Nationality = "algerienne" }, []string{"nationality"}},
			{"unknown access need", func(in *maillon.PersonInput) { in.AccessNeeds = []string{"moteur", "vol"} }, []string{"access_needs"}},
			{"phone with letters", func(in *maillon.PersonInput) { in.Phone = "04 78 AB CD EF" }, []string{"phone"}},
			{"e-mail without domain", func(in *maillon.PersonInput) { in.Email = "helene@" }, []string{"email"}},
			{"quartier without commune", func(in *maillon.PersonInput) { in.ZoneID = 1 }, []string{"commune_id"}},
			{"referent id negative (malformed form)", func(in *maillon.PersonInput) { in.ReferentID = -1 }, []string{"referent_id"}},
			{"team id negative (malformed form)", func(in *maillon.PersonInput) { in.TeamID = -1 }, []string{"team_id"}},
			{"languages too long", func(in *maillon.PersonInput) { in.Languages = strings.Repeat("a", 251) }, []string{"languages"}},
			{"several problems reported together", func(in *maillon.PersonInput) {
				in.FirstName, in.LastName, in.BirthYear, in.Gender, in.ConsentGiven = "", "", "3000", "x", false
			}, []string{"last_name", "birth_year", "gender", "consent_given"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := newPerson("Hélène", "Dupré")
				c.change(&in)
				before := countPersons(t, db)
				_, err := db.CreatePerson(ctx, med, in)
				wantFields(t, err, maillon.ErrInvalid, c.fields...)
				if after := countPersons(t, db); after != before {
					t.Fatalf("invalid input created a person (%d → %d)", before, after)
				}
			})
		}

		// The age band follows the birth year (in 2026), whatever the
		// form says; without a year, the declared band is kept.
		for _, c := range []struct {
			year, band, want string
		}{
			{"2011", "", "moins_16"},     // 15
			{"2010", "", "16_25"},        // 16
			{"2001", "", "16_25"},        // 25
			{"2000", "65_plus", "26_44"}, // 26: the year wins
			{"1962", "", "45_64"},        // 64
			{"1961", "", "65_plus"},      // 65
			{"1906", "", "65_plus"},      // 120 years: the oldest accepted
			{"2026", "", "moins_16"},     // born this year
			{"", "26_44", "26_44"},
			{"", "", "non_precise"},
			{" 1980 ", "", "45_64"}, // spaces around are fine
		} {
			in := newPerson("Né", "En "+c.year+c.band)
			in.BirthYear, in.AgeBand = c.year, c.band
			p := mustCreatePerson(t, db, med, in)
			if p.AgeBand != c.want || p.BirthYear != atoiOrZero(c.year) {
				t.Errorf("birth year %q, band %q: stored year %d, band %q; want band %q", c.year, c.band, p.BirthYear, p.AgeBand, c.want)
			}
		}

		// A pseudonym alone is enough; empty lists default to "non
		// précisé"; values are cleaned and read back. Creating the file,
		// with the person there to consent, is the first contact.
		in := maillon.PersonInput{Pseudonym: " K.B. ", Email: " K.B@Exemple.FR ", Phone: "04 78 12 34 56", Languages: "arabe, français",
			InterpreterNeeded: true, AccessNeeds: []string{"visuel", "moteur", "visuel"}, AccessText: "Grands caractères",
			Nationality: "hors_ue", ConsentGiven: true, ConsentMethod: "oral"}
		p := mustCreatePerson(t, db, med, in)
		if p.DisplayName() != "K.B." || p.Pseudonym != "K.B." || p.Email != "k.b@exemple.fr" || p.Gender != "non_precise" ||
			p.Household != "non_precise" || p.Housing != "non_precise" || p.Activity != "non_precise" || p.Nationality != "hors_ue" ||
			!slices.Equal(p.AccessNeeds, []string{"moteur", "visuel"}) || !p.InterpreterNeeded || p.Languages != "arabe, français" ||
			p.Archived || !p.LastContactAt.Equal(storetest.Start) || !p.CreatedAt.Equal(storetest.Start) || p.StructureID != st.ID {
			t.Errorf("created %+v", p)
		}
		if got := mustFile(t, db, med, p.ID).Person; !samePerson(got, *p) {
			t.Errorf("read back %+v\nwant %+v", got, *p)
		}
	})
}

func atoiOrZero(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// samePerson compares two reads of a person, ignoring nil versus empty
// lists and time zones.
func samePerson(a, b maillon.Person) bool {
	for _, p := range []*maillon.Person{&a, &b} {
		if len(p.AccessNeeds) == 0 {
			p.AccessNeeds = nil
		}
	}
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) || !a.LastContactAt.Equal(b.LastContactAt) {
		return false
	}
	a.CreatedAt, a.UpdatedAt, a.LastContactAt = time.Time{}, time.Time{}, time.Time{}
	b.CreatedAt, b.UpdatedAt, b.LastContactAt = time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func TestPersonReferencesStayInTheStructure(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		admin, otherAdmin := storetest.Actor(st.Admin), storetest.Actor(other.Admin)
		med := storetest.Actor(st.Mediator)
		lyon := mustAddCommune(t, db, admin, st.ID, "69123", "Lyon")
		pentes := mustAddZone(t, db, admin, lyon.ID, "Pentes", "")
		vaulx := mustAddCommune(t, db, admin, st.ID, "69256", "Vaulx-en-Velin")
		mas := mustAddZone(t, db, admin, vaulx.ID, "Mas du Taureau", "")
		otherCommune := mustAddCommune(t, db, otherAdmin, other.ID, "69259", "Vénissieux")
		otherZone := mustAddZone(t, db, otherAdmin, otherCommune.ID, "Minguettes", "")
		team := mustCreateTeam(t, db, admin, "Équipe Nord")
		otherTeam := mustCreateTeam(t, db, otherAdmin, "Équipe Sud")
		gone := storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)
		if err := db.SetUserActive(ctx, admin, gone.ID, false); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			change func(in *maillon.PersonInput)
			fields []string
		}{
			{"commune of another structure", func(in *maillon.PersonInput) { in.CommuneID = otherCommune.ID }, []string{"commune_id"}},
			{"quartier of another structure", func(in *maillon.PersonInput) { in.CommuneID, in.ZoneID = lyon.ID, otherZone.ID }, []string{"zone_id"}},
			{"both of another structure", func(in *maillon.PersonInput) {
				in.CommuneID, in.ZoneID = otherCommune.ID, otherZone.ID
			}, []string{"commune_id", "zone_id"}},
			{"quartier of another commune", func(in *maillon.PersonInput) { in.CommuneID, in.ZoneID = lyon.ID, mas.ID }, []string{"zone_id"}},
			{"commune that does not exist", func(in *maillon.PersonInput) { in.CommuneID = 987654 }, []string{"commune_id"}},
			{"referent of another structure", func(in *maillon.PersonInput) { in.ReferentID = other.Mediator.ID }, []string{"referent_id"}},
			{"referent deactivated", func(in *maillon.PersonInput) { in.ReferentID = gone.ID }, []string{"referent_id"}},
			{"team of another structure", func(in *maillon.PersonInput) { in.TeamID = otherTeam.ID }, []string{"team_id"}},
			{"everything of another structure", func(in *maillon.PersonInput) {
				in.CommuneID, in.ReferentID, in.TeamID = otherCommune.ID, other.Admin.ID, otherTeam.ID
			}, []string{"commune_id", "referent_id", "team_id"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := newPerson("Hélène", "Dupré")
				c.change(&in)
				before := countPersons(t, db)
				_, err := db.CreatePerson(ctx, med, in)
				wantFields(t, err, maillon.ErrInvalid, c.fields...)
				if countPersons(t, db) != before {
					t.Fatal("a person was created")
				}
				// The same refusal on update.
				p := mustCreatePerson(t, db, med, newPerson("Modifiée", c.name))
				up := personInput(p)
				c.change(&up)
				wantFields(t, db.UpdatePerson(ctx, med, p.ID, up), maillon.ErrInvalid, c.fields...)
				if got := mustFile(t, db, med, p.ID).Person; !samePerson(got, *p) {
					t.Errorf("refused update changed %+v into %+v", *p, got)
				}
			})
		}
		in := newPerson("Hélène", "Dupré")
		in.CommuneID, in.ZoneID, in.ReferentID, in.TeamID = lyon.ID, pentes.ID, st.Mediator.ID, team.ID
		p := mustCreatePerson(t, db, med, in)
		if p.CommuneName != "Lyon" || p.ZoneName != "Pentes" || p.ReferentName != st.Mediator.DisplayName || p.TeamName != "Équipe Nord" {
			t.Errorf("created %+v", p)
		}
		// A commune alone is a place too.
		in = newPerson("Marc", "Dupont")
		in.CommuneID = vaulx.ID
		if p := mustCreatePerson(t, db, med, in); p.CommuneName != "Vaulx-en-Velin" || p.ZoneID != 0 {
			t.Errorf("created %+v", p)
		}
	})
}

func TestPersonReadsAndSearchesAreAudited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		admin, med := storetest.Actor(st.Admin), storetest.Actor(st.Mediator)
		med.RequestID = "req-42"
		p := mustCreatePerson(t, db, med, newPerson("Hélène", "Dupré"))
		mustCreatePerson(t, db, med, newPerson("Marc", "Dupont"))

		created := personAudit(t, db, admin, maillon.AuditPersonCreate)
		if len(created) != 2 {
			t.Fatalf("person.create entries = %+v", created)
		}
		if e := created[0]; e.ActorID != st.Mediator.ID || e.RecordType != "person" || e.RecordID != int64(p.ID) ||
			e.StructureID != st.ID || e.RequestID != "req-42" || len(e.Fields) != 0 {
			t.Errorf("person.create entry = %+v", e)
		}

		// Browsing the list is not a search; a query is.
		findPersons(t, db, med, maillon.PersonFilter{})
		findPersons(t, db, med, maillon.PersonFilter{Query: "   "})
		findPersons(t, db, med, maillon.PersonFilter{Sort: "contact", Archived: true})
		if got := personAudit(t, db, admin, maillon.AuditPersonSearch); len(got) != 0 {
			t.Errorf("browsing wrote search entries: %+v", got)
		}
		coord := storetest.Actor(st.Coordinator)
		findPersons(t, db, coord, maillon.PersonFilter{Query: "dup"})
		findPersons(t, db, coord, maillon.PersonFilter{Query: "personne"})
		got := personAudit(t, db, admin, maillon.AuditPersonSearch)
		if len(got) != 2 {
			t.Fatalf("search entries = %+v", got)
		}
		// The entry names who searched and, as record id, how many people
		// the page showed: never the query text.
		if got[0].ActorID != st.Coordinator.ID || got[0].RecordType != "person" || got[0].RecordID != 2 || got[1].RecordID != 0 {
			t.Errorf("search entries = %+v", got)
		}
		if n := rawCount(t, db, "select count(*) from audit_log where fields like '%dup%' or request_id like '%dup%'"); n != 0 {
			t.Errorf("the query text is in the audit log (%d rows)", n)
		}

		// Each opening of the file is a read, by whom.
		mustFile(t, db, med, p.ID)
		mustFile(t, db, admin, p.ID)
		reads := personAudit(t, db, admin, maillon.AuditPersonRead)
		if len(reads) != 2 || reads[0].ActorID != st.Mediator.ID || reads[1].ActorID != st.Admin.ID ||
			reads[0].RecordID != int64(p.ID) || reads[0].RecordType != "person" || !reads[0].At.Equal(storetest.Start) {
			t.Errorf("read entries = %+v", reads)
		}
		// Printing the summary for the person is its own entry.
		if _, err := db.FindPersonSummary(ctx, med, p.ID); err != nil {
			t.Fatal(err)
		}
		if prints := personAudit(t, db, admin, maillon.AuditPersonPrint); len(prints) != 1 || prints[0].RecordID != int64(p.ID) {
			t.Errorf("print entries = %+v", prints)
		}
		// The duplicate check reads names only and is not audited; a
		// refused read writes nothing.
		if _, err := db.FindDuplicates(ctx, med, newPerson("Hélène", "Dupré")); err != nil {
			t.Fatal(err)
		}
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		_, err := db.FindPersonFile(ctx, storetest.Actor(other.Admin), p.ID)
		wantKind(t, err, maillon.ErrNotFound)
		if n := rawCount(t, db, "select count(*) from audit_log where action like 'person.%'"); n != 2+2+2+1 {
			t.Errorf("%d person.* audit rows, want 7", n)
		}
	})
}

func TestUpdatePersonKeepsAHistoryOfFieldNames(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		admin, med := storetest.Actor(st.Admin), storetest.Actor(st.Mediator)
		lyon := mustAddCommune(t, db, admin, st.ID, "69123", "Lyon")
		in := newPerson("Hélène", "Dupré")
		in.Phone, in.BirthYear = "04 78 12 34 56", "1980"
		p := mustCreatePerson(t, db, med, in)

		db.Clock.Advance(time.Hour)
		up := personInput(p)
		up.Phone, up.ReferentID, up.CommuneID, up.AccessNeeds = "06 11 22 33 44", st.Mediator.ID, lyon.ID, []string{"auditif"}
		if err := db.UpdatePerson(ctx, med, p.ID, up); err != nil {
			t.Fatal(err)
		}
		got := mustFile(t, db, med, p.ID)
		if got.Person.Phone != "06 11 22 33 44" || got.Person.ReferentID != st.Mediator.ID || got.Person.CommuneName != "Lyon" ||
			!got.Person.UpdatedAt.Equal(storetest.Start.Add(time.Hour)) || !got.Person.CreatedAt.Equal(storetest.Start) {
			t.Errorf("updated person = %+v", got.Person)
		}
		// Saving again without change records nothing.
		if err := db.UpdatePerson(ctx, admin, p.ID, personInput(&got.Person)); err != nil {
			t.Fatal(err)
		}
		// Clearing the birth year keeps the band the form sends.
		db.Clock.Advance(time.Hour)
		up = personInput(&got.Person)
		up.BirthYear, up.AgeBand = "", "45_64"
		if err := db.UpdatePerson(ctx, admin, p.ID, up); err != nil {
			t.Fatal(err)
		}
		updates := personAudit(t, db, admin, maillon.AuditPersonUpdate)
		if len(updates) != 2 {
			t.Fatalf("update entries = %+v", updates)
		}
		if want := []string{"phone", "commune", "access_needs", "referent"}; !slices.Equal(updates[0].Fields, want) ||
			updates[0].ActorID != st.Mediator.ID || updates[0].RecordID != int64(p.ID) {
			t.Errorf("first update entry = %+v, want fields %v", updates[0], want)
		}
		if want := []string{"birth_year"}; !slices.Equal(updates[1].Fields, want) || updates[1].ActorID != st.Admin.ID {
			t.Errorf("second update entry = %+v, want fields %v", updates[1], want)
		}
		// Names of fields, never values.
		if n := rawCount(t, db, "select count(*) from audit_log where fields like '%06%' or fields like '%78%' or fields like '%Lyon%'"); n != 0 {
			t.Errorf("values in the audit log: %d rows", n)
		}
		// The file's history shows who changed what, newest first.
		h := mustFile(t, db, med, p.ID).History
		var lines []string
		for _, e := range h {
			lines = append(lines, string(e.Action)+" "+e.ActorName+" "+strings.Join(e.Fields, ","))
		}
		want := []string{
			"person.update " + st.Admin.DisplayName + " birth_year",
			"person.update " + st.Mediator.DisplayName + " phone,commune,access_needs,referent",
			"person.create " + st.Mediator.DisplayName + " ",
		}
		if !slices.Equal(lines, want) {
			t.Errorf("history =\n%q\nwant\n%q", lines, want)
		}
		// Reads and searches are not changes.
		for _, e := range h {
			if e.Action == maillon.AuditPersonRead || e.Action == maillon.AuditPersonSearch {
				t.Errorf("history shows %+v", e)
			}
		}
		// An update is validated like a creation, without the consent.
		up = personInput(&got.Person)
		up.FirstName, up.LastName, up.Gender = "", "", "x"
		wantFields(t, db.UpdatePerson(ctx, med, p.ID, up), maillon.ErrInvalid, "last_name", "gender")
		wantKind(t, db.UpdatePerson(ctx, med, 987654, personInput(&got.Person)), maillon.ErrNotFound)
	})
}

func TestArchivedPeopleLeaveTheDefaultList(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		admin, med := storetest.Actor(st.Admin), storetest.Actor(st.Mediator)
		a := mustCreatePerson(t, db, med, newPerson("Anne", "Arnaud"))
		b := mustCreatePerson(t, db, med, newPerson("Bruno", "Bernard"))
		if err := db.SetPersonArchived(ctx, med, b.ID, true); err != nil {
			t.Fatal(err)
		}
		// Archiving twice changes nothing more.
		if err := db.SetPersonArchived(ctx, med, b.ID, true); err != nil {
			t.Fatal(err)
		}
		list, total := findPersons(t, db, med, maillon.PersonFilter{})
		if !slices.Equal(personIDs(list), []maillon.PersonID{a.ID}) || total != 1 {
			t.Errorf("active list = %v (%d)", personNames(list), total)
		}
		list, total = findPersons(t, db, med, maillon.PersonFilter{Archived: true})
		if len(list) != 1 || list[0].ID != b.ID || !list[0].Archived || total != 1 {
			t.Errorf("archived list = %+v (%d)", list, total)
		}
		if list, _ := findPersons(t, db, med, maillon.PersonFilter{Query: "bruno"}); len(list) != 0 {
			t.Errorf("a search lists archived people by default: %v", personNames(list))
		}
		if list, _ := findPersons(t, db, med, maillon.PersonFilter{Query: "bruno", Archived: true}); len(list) != 1 {
			t.Errorf("a search of archived people: %v", personNames(list))
		}
		// The file stays readable.
		if f := mustFile(t, db, med, b.ID); !f.Person.Archived {
			t.Errorf("file of an archived person: %+v", f.Person)
		}
		if err := db.SetPersonArchived(ctx, med, b.ID, false); err != nil {
			t.Fatal(err)
		}
		if list, _ := findPersons(t, db, med, maillon.PersonFilter{}); len(list) != 2 {
			t.Errorf("after restoring: %v", personNames(list))
		}
		var actions []string
		for _, e := range auditEntries(t, db, admin, maillon.AuditFilter{Limit: 100}) {
			if e.RecordID == int64(b.ID) && (e.Action == maillon.AuditPersonArchive || e.Action == maillon.AuditPersonRestore) {
				actions = append(actions, string(e.Action))
			}
		}
		if !slices.Equal(actions, []string{"person.restore", "person.archive"}) {
			t.Errorf("audit actions = %v", actions)
		}
		wantKind(t, db.SetPersonArchived(ctx, med, 987654, true), maillon.ErrNotFound)
	})
}

func TestWithdrawingTheDossierConsentArchivesTheFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		med, coord := storetest.Actor(st.Mediator), storetest.Actor(st.Coordinator)
		p := mustCreatePerson(t, db, med, newPerson("Hélène", "Dupré"))
		if err := db.AddConsent(ctx, med, p.ID, maillon.ConsentInput{Scope: "partage", Method: "oral"}); err != nil {
			t.Fatal(err)
		}
		f := mustFile(t, db, med, p.ID)
		var dossier, partage maillon.ConsentID
		for _, c := range f.Consents {
			if c.Scope == maillon.ConsentDossier {
				dossier = c.ID
			} else {
				partage = c.ID
			}
		}
		// Withdrawing another scope leaves the file open.
		db.Clock.Advance(time.Hour)
		if err := db.WithdrawConsent(ctx, med, partage); err != nil {
			t.Fatal(err)
		}
		f = mustFile(t, db, med, p.ID)
		if f.Person.Archived || f.HasConsent("partage") || !f.HasConsent(maillon.ConsentDossier) {
			t.Fatalf("after withdrawing the sharing consent: %+v", f)
		}
		mustIntervention(t, db, med, intervention(med, "2026-03-10", "10:00", "personne", p.ID))

		db.Clock.Advance(time.Hour)
		if err := db.WithdrawConsent(ctx, coord, dossier); err != nil {
			t.Fatal(err)
		}
		// Withdrawing again is harmless.
		if err := db.WithdrawConsent(ctx, coord, dossier); err != nil {
			t.Fatal(err)
		}
		f = mustFile(t, db, med, p.ID)
		if !f.Person.Archived || f.HasConsent(maillon.ConsentDossier) {
			t.Fatalf("after withdrawing the dossier consent: archived %v, consents %+v", f.Person.Archived, f.Consents)
		}
		for _, c := range f.Consents {
			if c.ID == dossier && (!c.WithdrawnAt.Equal(storetest.Start.Add(2*time.Hour)) || c.WithdrawnBy != st.Coordinator.ID) {
				t.Errorf("withdrawn consent = %+v", c)
			}
		}
		if h := f.History; len(h) == 0 || h[0].Action != maillon.AuditConsentWithdraw || !slices.Equal(h[0].Fields, []string{"consent_dossier"}) {
			t.Errorf("history = %+v", h)
		}
		// From now on, no new record may name the person.
		_, err := db.CreateIntervention(ctx, med, intervention(med, "2026-03-10", "11:00", "personne", p.ID))
		wantFields(t, err, maillon.ErrInvalid, "persons")
		// Reopening needs a new dossier consent.
		err = db.SetPersonArchived(ctx, med, p.ID, false)
		wantKind(t, err, maillon.ErrInvalid)
		if f := mustFile(t, db, med, p.ID); !f.Person.Archived {
			t.Fatal("refused restore reopened the file")
		}
		if err := db.AddConsent(ctx, med, p.ID, maillon.ConsentInput{Scope: maillon.ConsentDossier, Method: "ecrit"}); err != nil {
			t.Fatal(err)
		}
		// The new consent alone does not reopen the file.
		if f := mustFile(t, db, med, p.ID); !f.Person.Archived || !f.HasConsent(maillon.ConsentDossier) {
			t.Fatalf("after a new consent: %+v", f.Person)
		}
		if err := db.SetPersonArchived(ctx, med, p.ID, false); err != nil {
			t.Fatal(err)
		}
		mustIntervention(t, db, med, intervention(med, "2026-03-10", "11:00", "personne", p.ID))
		// Unknown consents are not found.
		wantKind(t, db.WithdrawConsent(ctx, med, 987654), maillon.ErrNotFound)
	})
}

func TestAddConsent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		med := storetest.Actor(st.Mediator)
		p := mustCreatePerson(t, db, med, newPerson("Hélène", "Dupré"))
		for _, c := range []struct {
			name   string
			in     maillon.ConsentInput
			fields []string
		}{
			{"unknown scope", maillon.ConsentInput{Scope: "tout", Method: "oral"}, []string{"scope"}},
			{"no method", maillon.ConsentInput{Scope: "partage"}, []string{"method"}},
			{"tomorrow", maillon.ConsentInput{Scope: "partage", Method: "oral", Date: "2026-03-11"}, []string{"date"}},
			{"unreadable date", maillon.ConsentInput{Scope: "partage", Method: "oral", Date: "hier"}, []string{"date"}},
			{"nothing", maillon.ConsentInput{Date: "x"}, []string{"scope", "method", "date"}},
		} {
			wantFields(t, db.AddConsent(ctx, med, p.ID, c.in), maillon.ErrInvalid, c.fields...)
		}
		in := maillon.ConsentInput{Scope: "institution", Method: "ecrit", Date: "2026-02-01"}
		if err := db.AddConsent(ctx, med, p.ID, in); err != nil {
			t.Fatal(err)
		}
		// The same scope twice while in force is a conflict.
		err := db.AddConsent(ctx, med, p.ID, maillon.ConsentInput{Scope: "institution", Method: "oral"})
		wantFields(t, err, maillon.ErrConflict, "scope")
		wantFields(t, db.AddConsent(ctx, med, p.ID, maillon.ConsentInput{Scope: maillon.ConsentDossier, Method: "oral"}), maillon.ErrConflict, "scope")
		f := mustFile(t, db, med, p.ID)
		if len(f.Consents) != 2 {
			t.Fatalf("consents = %+v", f.Consents)
		}
		// Newest given first.
		if f.Consents[0].Scope != maillon.ConsentDossier || f.Consents[1].Scope != "institution" ||
			!f.Consents[1].GivenAt.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, maillon.Paris)) {
			t.Errorf("consents = %+v", f.Consents)
		}
		// Once withdrawn, it may be given again.
		if err := db.WithdrawConsent(ctx, med, f.Consents[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.AddConsent(ctx, med, p.ID, maillon.ConsentInput{Scope: "institution", Method: "oral"}); err != nil {
			t.Fatal(err)
		}
		if f := mustFile(t, db, med, p.ID); len(f.Consents) != 3 || !f.HasConsent("institution") {
			t.Errorf("consents = %+v", f.Consents)
		}
		adds := personAudit(t, db, storetest.Actor(st.Admin), maillon.AuditConsentAdd)
		if len(adds) != 2 || !slices.Equal(adds[0].Fields, []string{"consent_institution"}) || adds[0].RecordID != int64(p.ID) {
			t.Errorf("consent.add entries = %+v", adds)
		}
		wantKind(t, db.AddConsent(ctx, med, 987654, in), maillon.ErrNotFound)
	})
}

func TestPrivateNotesAreReadByTheirAuthorOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		author := storetest.Actor(st.Mediator)
		colleague := storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur))
		coord, admin := storetest.Actor(st.Coordinator), storetest.Actor(st.Admin)
		p := mustCreatePerson(t, db, author, newPerson("Hélène", "Dupré"))
		if err := db.AddNote(ctx, author, p.ID, maillon.NoteInput{Text: "  Dossier CAF déposé le 3 mars.  "}); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(time.Minute)
		if err := db.AddNote(ctx, author, p.ID, maillon.NoteInput{Text: "Note privée : rappeler jeudi.", Private: true}); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(time.Minute)
		if err := db.AddNote(ctx, coord, p.ID, maillon.NoteInput{Text: "Note privée de la coordination.", Private: true}); err != nil {
			t.Fatal(err)
		}

		texts := func(f *maillon.PersonFile) (notes, timeline []string) {
			for _, n := range f.Notes {
				notes = append(notes, n.Text)
			}
			for _, e := range f.Timeline {
				if e.Kind == "note" {
					timeline = append(timeline, e.Detail)
				}
			}
			return notes, timeline
		}
		for _, c := range []struct {
			who   string
			actor maillon.Actor
			want  []string // newest first
		}{
			{"author", author, []string{"Note privée : rappeler jeudi.", "Dossier CAF déposé le 3 mars."}},
			{"another mediator", colleague, []string{"Dossier CAF déposé le 3 mars."}},
			{"coordinator", coord, []string{"Note privée de la coordination.", "Dossier CAF déposé le 3 mars."}},
			{"admin", admin, []string{"Dossier CAF déposé le 3 mars."}},
		} {
			f := mustFile(t, db, c.actor, p.ID)
			notes, timeline := texts(f)
			if !slices.Equal(notes, c.want) {
				t.Errorf("%s reads notes %q, want %q", c.who, notes, c.want)
			}
			if !slices.Equal(timeline, c.want) {
				t.Errorf("%s's timeline shows notes %q, want %q", c.who, timeline, c.want)
			}
			for _, n := range f.Notes {
				if n.Private != strings.Contains(n.Text, "privée") || (n.Private && n.AuthorID != c.actor.UserID) {
					t.Errorf("%s reads note %+v", c.who, n)
				}
			}
			for _, e := range f.Timeline {
				if e.Kind == "note" && e.Private != strings.Contains(e.Detail, "privée") {
					t.Errorf("%s's timeline entry %+v", c.who, e)
				}
			}
		}
		f := mustFile(t, db, author, p.ID)
		if n := f.Notes[1]; n.AuthorID != st.Mediator.ID || n.AuthorName != st.Mediator.DisplayName || !n.CreatedAt.Equal(storetest.Start) {
			t.Errorf("note = %+v", n)
		}
		for _, c := range []struct {
			name string
			text string
		}{
			{"empty", "   "},
			{"too long", strings.Repeat("a", maillon.MaxLongTextLen+1)},
			{"control characters", "a\x00b"},
		} {
			wantFields(t, db.AddNote(ctx, author, p.ID, maillon.NoteInput{Text: c.text}), maillon.ErrInvalid, "text")
		}
		wantKind(t, db.AddNote(ctx, author, 987654, maillon.NoteInput{Text: "x"}), maillon.ErrNotFound)
		// Multiline notes keep their lines.
		if err := db.AddNote(ctx, author, p.ID, maillon.NoteInput{Text: "Ligne 1\nLigne 2"}); err != nil {
			t.Fatal(err)
		}
		if got := mustFile(t, db, author, p.ID).Notes[0].Text; got != "Ligne 1\nLigne 2" {
			t.Errorf("note text = %q", got)
		}
	})
}

func TestAutonomyTrajectory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		med := storetest.Actor(st.Mediator)
		p := mustCreatePerson(t, db, med, newPerson("Hélène", "Dupré"))
		for _, c := range []struct {
			name   string
			in     maillon.AutonomyInput
			fields []string
		}{
			{"no level", maillon.AutonomyInput{}, []string{"level"}},
			{"level 4", maillon.AutonomyInput{Level: "4"}, []string{"level"}},
			{"no equipment with a smartphone", maillon.AutonomyInput{Level: "1", Equipment: []string{"aucun", "smartphone"}}, []string{"equipment"}},
			{"unknown equipment", maillon.AutonomyInput{Level: "1", Equipment: []string{"minitel"}}, []string{"equipment"}},
			{"unknown internet", maillon.AutonomyInput{Level: "1", Internet: "fibre"}, []string{"internet"}},
			{"unknown e-mail answer", maillon.AutonomyInput{Level: "1", HasEmail: "peut-être"}, []string{"has_email"}},
			{"unknown FranceConnect answer", maillon.AutonomyInput{Level: "1", FranceConnect: "x"}, []string{"franceconnect"}},
			{"tomorrow", maillon.AutonomyInput{Level: "1", Date: "2026-03-11"}, []string{"assessed_at"}},
			{"unreadable date", maillon.AutonomyInput{Level: "1", Date: "mars"}, []string{"assessed_at"}},
		} {
			wantFields(t, db.AddAutonomy(ctx, med, p.ID, c.in), maillon.ErrInvalid, c.fields...)
		}
		// Recorded out of order, read back as a trajectory.
		for _, in := range []maillon.AutonomyInput{
			{Date: "2026-01-15", Level: "2", Equipment: []string{"smartphone"}, Internet: "limite", HasEmail: "oui"},
			{Date: "2025-11-02", Level: "1", Equipment: []string{"aucun"}},
			{Date: "", Level: "3", Equipment: []string{"ordinateur", "smartphone"}, Internet: "oui", HasEmail: "oui", FranceConnect: "oui"},
		} {
			if err := db.AddAutonomy(ctx, med, p.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		// A level observed during a procedure extends it.
		iv := intervention(med, "2026-02-20", "14:00", "personne", p.ID)
		iv.Procedures = []maillon.ProcedureInput{{PersonID: p.ID, Organisme: "caf", Label: "Prime d'activité", Channel: "en_ligne",
			Mode: "faire_avec", Outcome: "realisee", AutonomyLevel: "2"}}
		mustIntervention(t, db, med, iv)
		// A procedure without an observed level adds nothing.
		iv = intervention(med, "2026-02-21", "14:00", "personne", p.ID)
		iv.Procedures = []maillon.ProcedureInput{{PersonID: p.ID, Organisme: "cpam", Label: "Carte Vitale", Channel: "guichet", Mode: "faire_avec"}}
		mustIntervention(t, db, med, iv)

		f := mustFile(t, db, med, p.ID)
		var got []string
		for _, a := range f.Autonomy {
			src := "profil"
			if a.ProcedureID != 0 {
				src = "démarche"
			}
			got = append(got, maillon.InParis(a.AssessedAt).Format("2006-01-02")+" "+a.LevelLabel()+" "+src)
		}
		want := []string{
			"2025-11-02 Entièrement accompagné·e profil",
			"2026-01-15 Partiellement autonome profil",
			"2026-02-20 Partiellement autonome démarche",
			"2026-03-10 Autonome profil",
		}
		if !slices.Equal(got, want) {
			t.Errorf("trajectory =\n%q\nwant\n%q", got, want)
		}
		first, last := f.Autonomy[0], f.Autonomy[3]
		if !slices.Equal(first.Equipment, []string{"aucun"}) || first.Internet != "inconnu" || first.HasEmail != "inconnu" ||
			first.FranceConnect != "inconnu" || first.RecordedBy != st.Mediator.ID || first.RecordedByName != st.Mediator.DisplayName {
			t.Errorf("first profile = %+v", first)
		}
		if !slices.Equal(last.Equipment, []string{"smartphone", "ordinateur"}) || last.Internet != "oui" || last.FranceConnect != "oui" || last.Level != 3 {
			t.Errorf("last profile = %+v", last)
		}
		// Profiles entered by hand are on the timeline; the observed level
		// shows with its procedure.
		var kinds []string
		for _, e := range f.Timeline {
			kinds = append(kinds, e.Kind)
		}
		if n := count(kinds, "autonomy"); n != 3 {
			t.Errorf("timeline kinds = %v, want 3 autonomy entries", kinds)
		}
		if n := count(kinds, "procedure"); n != 2 {
			t.Errorf("timeline kinds = %v, want 2 procedure entries", kinds)
		}
		if n := len(personAudit(t, db, storetest.Actor(st.Admin), maillon.AuditAutonomyAdd)); n != 3 {
			t.Errorf("%d autonomy.add entries, want 3", n)
		}
		wantKind(t, db.AddAutonomy(ctx, med, 987654, maillon.AutonomyInput{Level: "1"}), maillon.ErrNotFound)
	})
}

func count[T comparable](list []T, v T) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

func TestFindDuplicates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		admin, med := storetest.Actor(st.Admin), storetest.Actor(st.Mediator)
		lyon := mustAddCommune(t, db, admin, st.ID, "69123", "Lyon")
		bron := mustAddCommune(t, db, admin, st.ID, "69029", "Bron")
		in := newPerson("Hélène", "Dupré")
		in.BirthYear, in.CommuneID = "1980", lyon.ID
		helene := mustCreatePerson(t, db, med, in)
		noYear := mustCreatePerson(t, db, med, newPerson("Marc", "Dupont"))
		// The same person in another structure is none of ours.
		theirs := in
		theirs.CommuneID = 0
		mustCreatePerson(t, db, storetest.Actor(other.Mediator), theirs)

		for _, c := range []struct {
			name string
			in   maillon.PersonInput
			want []maillon.PersonID
		}{
			{"same name and birth year, case and accents aside", maillon.PersonInput{FirstName: "HELENE", LastName: "dupre", BirthYear: "1980"}, []maillon.PersonID{helene.ID}},
			{"same name and commune", maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré", BirthYear: "1981", CommuneID: lyon.ID}, []maillon.PersonID{helene.ID}},
			{"same name, other birth year, no commune", maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré", BirthYear: "1981"}, nil},
			{"same name, other birth year and commune", maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré", BirthYear: "1981", CommuneID: bron.ID}, nil},
			{"names swapped", maillon.PersonInput{FirstName: "Dupré", LastName: "Hélène", BirthYear: "1980"}, nil},
			{"other name, same year and commune", maillon.PersonInput{FirstName: "Anne", LastName: "Dupré", BirthYear: "1980", CommuneID: lyon.ID}, nil},
			{"extra spaces", maillon.PersonInput{FirstName: "  Hélène ", LastName: " Dupré  ", BirthYear: "1980"}, []maillon.PersonID{helene.ID}},
			// Neither birth year nor commune on either side: the name
			// alone warns.
			{"name only, no year on both", maillon.PersonInput{FirstName: "marc", LastName: "DUPONT"}, []maillon.PersonID{noYear.ID}},
			{"name only, against a person with a year", maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré"}, nil},
			{"no name", maillon.PersonInput{BirthYear: "1980", CommuneID: lyon.ID}, nil},
		} {
			got, err := db.FindDuplicates(ctx, med, c.in)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var ids []maillon.PersonID
			for _, d := range got {
				ids = append(ids, d.ID)
			}
			if !slices.Equal(ids, c.want) {
				t.Errorf("%s: duplicates %+v, want %v", c.name, got, c.want)
			}
		}
		got, _ := db.FindDuplicates(ctx, med, maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré", BirthYear: "1980"})
		if len(got) != 1 || got[0].DisplayName != "Hélène Dupré" || got[0].BirthYear != 1980 || got[0].CommuneName != "Lyon" {
			t.Errorf("candidate = %+v", got)
		}
		// Archived files are candidates too: reopening beats a new file.
		if err := db.SetPersonArchived(ctx, med, helene.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindDuplicates(ctx, med, maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré", BirthYear: "1980"}); len(got) != 1 {
			t.Errorf("archived duplicate not found: %+v", got)
		}
		_, err := db.FindDuplicates(ctx, maillon.Actor{}, in)
		wantKind(t, err, maillon.ErrUnauthenticated)
	})
}

func TestMergePersons(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		admin, coord, med := storetest.Actor(st.Admin), storetest.Actor(st.Coordinator), storetest.Actor(st.Mediator)
		// The files were opened in January.
		db.Clock.Set(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
		keep := mustCreatePerson(t, db, med, newPerson("Hélène", "Dupré"))
		remove := mustCreatePerson(t, db, med, newPerson("Helene", "Dupre"))
		stranger := mustCreatePerson(t, db, storetest.Actor(other.Mediator), newPerson("Hélène", "Dupré"))
		db.Clock.Set(storetest.Start)

		// What the duplicate holds: a consent, notes, a profile, two
		// interventions (one shared with keep) and a procedure.
		if err := db.AddConsent(ctx, med, remove.ID, maillon.ConsentInput{Scope: "partage", Method: "oral"}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddNote(ctx, med, remove.ID, maillon.NoteInput{Text: "Note du doublon."}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddNote(ctx, med, remove.ID, maillon.NoteInput{Text: "Note privée du doublon.", Private: true}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddAutonomy(ctx, med, remove.ID, maillon.AutonomyInput{Date: "2026-01-05", Level: "1"}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddNote(ctx, med, keep.ID, maillon.NoteInput{Text: "Note du dossier gardé."}); err != nil {
			t.Fatal(err)
		}
		shared := mustIntervention(t, db, med, intervention(med, "2026-03-02", "10:00", "personne", keep.ID, remove.ID))
		alone := intervention(med, "2026-03-06", "15:00", "personne", remove.ID)
		alone.Procedures = []maillon.ProcedureInput{{PersonID: remove.ID, Organisme: "caf", Label: "RSA", Channel: "en_ligne",
			Mode: "faire_avec", AutonomyLevel: "2"}}
		aloneIV := mustIntervention(t, db, med, alone)

		// Refusals first: nothing moves.
		wantKind(t, db.MergePersons(ctx, med, keep.ID, remove.ID), maillon.ErrForbidden)
		wantFields(t, db.MergePersons(ctx, coord, keep.ID, keep.ID), maillon.ErrInvalid, "other_id")
		wantKind(t, db.MergePersons(ctx, coord, keep.ID, stranger.ID), maillon.ErrNotFound)
		wantKind(t, db.MergePersons(ctx, coord, stranger.ID, keep.ID), maillon.ErrNotFound)
		wantKind(t, db.MergePersons(ctx, coord, keep.ID, 987654), maillon.ErrNotFound)
		wantKind(t, db.MergePersons(ctx, storetest.Actor(other.Admin), keep.ID, remove.ID), maillon.ErrNotFound)
		wantKind(t, db.MergePersons(ctx, maillon.Actor{}, keep.ID, remove.ID), maillon.ErrUnauthenticated)
		if n := len(mustFile(t, db, med, remove.ID).Consents); n != 2 {
			t.Fatalf("a refused merge moved consents: %d left", n)
		}

		db.Clock.Advance(time.Hour)
		if err := db.MergePersons(ctx, coord, keep.ID, remove.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.FindPersonFile(ctx, med, remove.ID)
		wantKind(t, err, maillon.ErrNotFound)
		f := mustFile(t, db, med, keep.ID)
		var scopes []string
		for _, c := range f.Consents {
			scopes = append(scopes, c.Scope)
		}
		slices.Sort(scopes)
		if !slices.Equal(scopes, []string{"dossier", "dossier", "partage"}) {
			t.Errorf("consents after merge: %v", scopes)
		}
		var notes []string
		for _, n := range f.Notes {
			notes = append(notes, n.Text)
		}
		slices.Sort(notes)
		if !slices.Equal(notes, []string{"Note du dossier gardé.", "Note du doublon.", "Note privée du doublon."}) {
			t.Errorf("the author reads notes %q", notes)
		}
		// The private note stays private to its author.
		for _, n := range mustFile(t, db, coord, keep.ID).Notes {
			if n.Private {
				t.Errorf("the coordinator reads %+v", n)
			}
		}
		if len(f.Autonomy) != 2 || f.Autonomy[1].ProcedureID == 0 {
			t.Errorf("autonomy after merge: %+v", f.Autonomy)
		}
		var timeline []string
		for _, e := range f.Timeline {
			if e.Kind == "intervention" || e.Kind == "procedure" {
				timeline = append(timeline, e.Kind+" "+e.URL)
			}
		}
		wantTimeline := []string{
			"procedure /interventions/" + itoa(int(aloneIV.ID)),
			"intervention /interventions/" + itoa(int(aloneIV.ID)),
			"intervention /interventions/" + itoa(int(shared.ID)),
		}
		if !slices.Equal(timeline, wantTimeline) {
			t.Errorf("timeline after merge = %q, want %q", timeline, wantTimeline)
		}
		for _, id := range []maillon.InterventionID{shared.ID, aloneIV.ID} {
			iv, err := db.FindInterventionByID(ctx, med, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(iv.Persons) != 1 || iv.Persons[0].ID != keep.ID {
				t.Errorf("intervention %d names %+v, want only the kept file", id, iv.Persons)
			}
			for _, p := range iv.Procedures {
				if p.PersonID != keep.ID {
					t.Errorf("procedure %+v still names the removed file", p)
				}
			}
		}
		if n := rawCount(t, db, "select count(*) from intervention_persons where person_id = ?", remove.ID); n != 0 {
			t.Errorf("%d links left to the removed file", n)
		}
		// The latest last contact is kept.
		if want := time.Date(2026, 3, 6, 15, 0, 0, 0, maillon.Paris); !f.Person.LastContactAt.Equal(want) {
			t.Errorf("last contact = %v, want %v", f.Person.LastContactAt, want)
		}
		merges := personAudit(t, db, admin, maillon.AuditPersonMerge)
		if len(merges) != 2 || merges[0].RecordID != int64(keep.ID) || merges[1].RecordID != int64(remove.ID) ||
			merges[0].ActorID != st.Coordinator.ID || merges[1].ActorID != st.Coordinator.ID {
			t.Errorf("merge entries = %+v", merges)
		}
		if h := f.History; len(h) == 0 || h[0].Action != maillon.AuditPersonMerge {
			t.Errorf("history = %+v", h)
		}
		// The stranger is untouched.
		if f := mustFile(t, db, storetest.Actor(other.Admin), stranger.ID); len(f.Consents) != 1 || len(f.Notes) != 0 {
			t.Errorf("the other structure's file changed: %+v", f)
		}
		// An admin may merge too; the removed file is gone for good.
		third := mustCreatePerson(t, db, med, newPerson("Hélène", "Dupré-Martin"))
		if err := db.MergePersons(ctx, admin, keep.ID, third.ID); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.MergePersons(ctx, admin, keep.ID, third.ID), maillon.ErrNotFound)

		// Two dossier consents in force after the merge: withdrawing the
		// dossier consent ends both, so the file closes for good.
		var dossier maillon.ConsentID
		for _, c := range mustFile(t, db, med, keep.ID).Consents {
			if c.Scope == maillon.ConsentDossier {
				dossier = c.ID
			}
		}
		if err := db.WithdrawConsent(ctx, med, dossier); err != nil {
			t.Fatal(err)
		}
		f = mustFile(t, db, med, keep.ID)
		if f.HasConsent(maillon.ConsentDossier) || !f.Person.Archived {
			t.Errorf("after withdrawing the dossier consent: archived %v, consents %+v", f.Person.Archived, f.Consents)
		}
		if err := db.SetPersonArchived(ctx, med, keep.ID, false); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("restore without a dossier consent: %v", err)
		}
	})
}

func TestLastContactMovesOnlyForwardOnContactsStartedByThePerson(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		med := storetest.Actor(st.Mediator)
		// Opening the file, in January, is the first contact.
		opened := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
		db.Clock.Set(opened)
		p := mustCreatePerson(t, db, med, newPerson("Hélène", "Dupré"))
		q := mustCreatePerson(t, db, med, newPerson("Marc", "Dupont"))
		db.Clock.Set(storetest.Start)
		last := func() time.Time {
			t.Helper()
			return mustFile(t, db, med, p.ID).Person.LastContactAt
		}
		at := func(day, clock string) time.Time {
			tm, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, maillon.Paris)
			if err != nil {
				t.Fatal(err)
			}
			return tm
		}
		// Contacts started by the mediation or a partner do not count.
		mustIntervention(t, db, med, intervention(med, "2026-03-05", "10:00", "mediation", p.ID))
		mustIntervention(t, db, med, intervention(med, "2026-03-06", "10:00", "partenaire", p.ID))
		if !last().Equal(opened) {
			t.Fatalf("last contact = %v after contacts not started by the person, want the opening %v", last(), opened)
		}
		mustIntervention(t, db, med, intervention(med, "2026-03-04", "09:15", "personne", p.ID, q.ID))
		if want := at("2026-03-04", "09:15"); !last().Equal(want) {
			t.Fatalf("last contact = %v, want %v", last(), want)
		}
		// An older contact entered late never moves it back.
		old := mustIntervention(t, db, med, intervention(med, "2026-02-01", "09:00", "personne", p.ID))
		if want := at("2026-03-04", "09:15"); !last().Equal(want) {
			t.Errorf("last contact moved back to %v", last())
		}
		mustIntervention(t, db, med, intervention(med, "2026-03-09", "17:30", "mediation", p.ID))
		mustIntervention(t, db, med, intervention(med, "2026-03-10", "08:00", "personne", p.ID))
		if want := at("2026-03-10", "08:00"); !last().Equal(want) {
			t.Errorf("last contact = %v, want %v", last(), want)
		}
		// Editing the old intervention to a later date moves it forward;
		// to an earlier one, never back.
		upd := intervention(med, "2026-03-10", "09:00", "personne", p.ID)
		if err := db.UpdateIntervention(ctx, med, old.ID, upd); err != nil {
			t.Fatal(err)
		}
		if want := at("2026-03-10", "09:00"); !last().Equal(want) {
			t.Errorf("last contact = %v after moving an intervention forward, want %v", last(), want)
		}
		upd.Date = "2026-01-01"
		if err := db.UpdateIntervention(ctx, med, old.ID, upd); err != nil {
			t.Fatal(err)
		}
		if want := at("2026-03-10", "09:00"); !last().Equal(want) {
			t.Errorf("last contact moved back to %v", last())
		}
		// The other person of the shared contact got it too.
		if got := mustFile(t, db, med, q.ID).Person.LastContactAt; !got.Equal(at("2026-03-04", "09:15")) {
			t.Errorf("second person's last contact = %v", got)
		}
	})
}

func TestFindPersonsFiltersSortsAndPaginates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		admin, med := storetest.Actor(st.Admin), storetest.Actor(st.Mediator)
		lyon := mustAddCommune(t, db, admin, st.ID, "69123", "Lyon")
		pentes := mustAddZone(t, db, admin, lyon.ID, "Pentes", "")
		gerland := mustAddZone(t, db, admin, lyon.ID, "Gerland", "")
		nord := mustCreateTeam(t, db, admin, "Équipe Nord")
		sud := mustCreateTeam(t, db, admin, "Équipe Sud")
		colleague := storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)

		type spec struct {
			first, last string
			referent    maillon.UserID
			team        maillon.TeamID
			zone        maillon.ZoneID
			contact     string // day of a contact started by the person
			archived    bool
		}
		specs := []spec{
			{"Zoé", "Arnaud", st.Mediator.ID, nord.ID, pentes.ID, "2026-03-01", false},
			{"Élodie", "Bernard", colleague.ID, nord.ID, gerland.ID, "", false},
			{"Anne", "bernard", st.Mediator.ID, sud.ID, 0, "2026-03-05", false},
			{"Marc", "Émery", 0, 0, pentes.ID, "", false},
			{"Luc", "Dupont", st.Mediator.ID, nord.ID, pentes.ID, "2026-02-10", false},
			{"Luc", "Dupont", colleague.ID, sud.ID, gerland.ID, "2026-03-08", false},
			{"Paul", "Archivé", st.Mediator.ID, nord.ID, pentes.ID, "2026-03-09", true},
		}
		ids := map[string]maillon.PersonID{}
		keys := map[maillon.PersonID]string{}
		var created []maillon.PersonID
		// Files opened in January, a minute apart; contacts in February
		// and March.
		db.Clock.Set(time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC))
		for _, s := range specs {
			in := newPerson(s.first, s.last)
			in.ReferentID, in.TeamID, in.ZoneID = s.referent, s.team, s.zone
			if s.zone != 0 {
				in.CommuneID = lyon.ID
			}
			p := mustCreatePerson(t, db, med, in)
			db.Clock.Advance(time.Minute)
			key := s.first + " " + s.last
			if _, dup := ids[key]; dup {
				key += " 2"
			}
			ids[key] = p.ID
			keys[p.ID] = key
			created = append(created, p.ID)
		}
		db.Clock.Set(storetest.Start)
		for i, s := range specs {
			p := maillon.Person{ID: created[i]}
			if s.contact != "" {
				mustIntervention(t, db, med, intervention(med, s.contact, "10:00", "personne", p.ID))
			}
			if s.archived {
				if err := db.SetPersonArchived(ctx, med, p.ID, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		// The other structure's people never show.
		mustCreatePerson(t, db, storetest.Actor(other.Mediator), newPerson("Anne", "Arnaud"))

		byName := []string{"Zoé Arnaud", "Anne bernard", "Élodie Bernard", "Luc Dupont", "Luc Dupont 2", "Marc Émery"}
		names := func(list []maillon.Person) []string {
			var out []string
			for _, p := range list {
				out = append(out, keys[p.ID])
			}
			return out
		}
		for _, c := range []struct {
			name string
			f    maillon.PersonFilter
			want []string
		}{
			// Last name, then first name, case and accents aside; then id.
			{"all, by name", maillon.PersonFilter{}, byName},
			{"sort nom", maillon.PersonFilter{Sort: "nom"}, byName},
			{"unknown sort is by name", maillon.PersonFilter{Sort: "n'importe"}, byName},
			// Most recent contact first; people never met last.
			{"by last contact", maillon.PersonFilter{Sort: "contact"}, []string{"Luc Dupont 2", "Anne bernard", "Zoé Arnaud", "Luc Dupont", "Marc Émery", "Élodie Bernard"}},
			{"by creation, newest first", maillon.PersonFilter{Sort: "creation"}, []string{"Luc Dupont 2", "Luc Dupont", "Marc Émery", "Anne bernard", "Élodie Bernard", "Zoé Arnaud"}},
			{"referent", maillon.PersonFilter{ReferentID: st.Mediator.ID}, []string{"Zoé Arnaud", "Anne bernard", "Luc Dupont"}},
			{"team", maillon.PersonFilter{TeamID: sud.ID}, []string{"Anne bernard", "Luc Dupont 2"}},
			{"zone", maillon.PersonFilter{ZoneID: pentes.ID}, []string{"Zoé Arnaud", "Luc Dupont", "Marc Émery"}},
			{"referent, team and zone", maillon.PersonFilter{ReferentID: st.Mediator.ID, TeamID: nord.ID, ZoneID: pentes.ID}, []string{"Zoé Arnaud", "Luc Dupont"}},
			{"archived", maillon.PersonFilter{Archived: true}, []string{"Paul Archivé"}},
			{"archived of a team without any", maillon.PersonFilter{Archived: true, TeamID: sud.ID}, nil},
			{"search and team", maillon.PersonFilter{Query: "bernard", TeamID: nord.ID}, []string{"Élodie Bernard"}},
			{"search sorted by contact", maillon.PersonFilter{Query: "dupont", Sort: "contact"}, []string{"Luc Dupont 2", "Luc Dupont"}},
			{"unknown referent", maillon.PersonFilter{ReferentID: 987654}, nil},
			{"another structure's team", maillon.PersonFilter{TeamID: mustCreateTeam(t, db, storetest.Actor(other.Admin), "Équipe Est").ID}, nil},
		} {
			list, total := findPersons(t, db, med, c.f)
			if got := names(list); !slices.Equal(got, c.want) || total != len(c.want) {
				t.Errorf("%s: %q (total %d), want %q", c.name, got, total, c.want)
			}
		}
		if ids["Paul Archivé"] == 0 {
			t.Fatal("fixture")
		}
		// Pages of 4, then 2: the total is that of the whole list.
		var paged []string
		for _, off := range []int{0, 4} {
			list, total := findPersons(t, db, med, maillon.PersonFilter{Limit: 4, Offset: off})
			if total != 6 {
				t.Errorf("offset %d: total %d, want 6", off, total)
			}
			paged = append(paged, names(list)...)
		}
		if !slices.Equal(paged, byName) {
			t.Errorf("pages = %q, want %q", paged, byName)
		}
		list, total := findPersons(t, db, med, maillon.PersonFilter{Limit: 2, Offset: 2, Sort: "contact"})
		if got := names(list); !slices.Equal(got, []string{"Zoé Arnaud", "Luc Dupont"}) || total != 6 {
			t.Errorf("second page by contact = %q (%d)", got, total)
		}
		// A page past the end is empty but still gives the total, so
		// that the list can say how many people there are.
		if list, total := findPersons(t, db, med, maillon.PersonFilter{Limit: 4, Offset: 40}); len(list) != 0 || total != 6 {
			t.Errorf("page past the end: %d people, total %d, want 0 and 6", len(list), total)
		}
		// A negative offset is the first page; a zero limit the default.
		if list, _ := findPersons(t, db, med, maillon.PersonFilter{Offset: -3}); len(list) != 6 {
			t.Errorf("negative offset: %d people", len(list))
		}
		_, _, err := db.FindPersons(ctx, maillon.Actor{}, maillon.PersonFilter{})
		wantKind(t, err, maillon.ErrUnauthenticated)
	})
}

func TestPeopleOfAnotherStructureAreNotFound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		med := storetest.Actor(st.Mediator)
		p := mustCreatePerson(t, db, med, newPerson("Hélène", "Dupré"))
		if err := db.AddNote(ctx, med, p.ID, maillon.NoteInput{Text: "Note."}); err != nil {
			t.Fatal(err)
		}
		consent := mustFile(t, db, med, p.ID).Consents[0].ID
		theirs := mustCreatePerson(t, db, storetest.Actor(other.Mediator), newPerson("Hélène", "Dupré"))
		before := mustFile(t, db, med, p.ID)
		for _, u := range []*maillon.User{other.Admin, other.Coordinator, other.Mediator} {
			ac := storetest.Actor(u)
			who := string(u.Role) + " of another structure"
			for name, err := range map[string]error{
				"FindPersonFile":           func() error { _, err := db.FindPersonFile(ctx, ac, p.ID); return err }(),
				"UpdatePerson":             db.UpdatePerson(ctx, ac, p.ID, newPerson("Pirate", "Pirate")),
				"SetPersonArchived(true)":  db.SetPersonArchived(ctx, ac, p.ID, true),
				"SetPersonArchived(false)": db.SetPersonArchived(ctx, ac, p.ID, false),
				"AddConsent":               db.AddConsent(ctx, ac, p.ID, maillon.ConsentInput{Scope: "partage", Method: "oral"}),
				"WithdrawConsent":          db.WithdrawConsent(ctx, ac, consent),
				"AddAutonomy":              db.AddAutonomy(ctx, ac, p.ID, maillon.AutonomyInput{Level: "1"}),
				"AddNote":                  db.AddNote(ctx, ac, p.ID, maillon.NoteInput{Text: "Pirate"}),
			} {
				if !errors.Is(err, maillon.ErrNotFound) {
					t.Errorf("%s: %s = %v, want not found", who, name, err)
				}
			}
			if u.Role != maillon.RoleMediateur {
				wantKind(t, db.MergePersons(ctx, ac, theirs.ID, p.ID), maillon.ErrNotFound)
				wantKind(t, db.MergePersons(ctx, ac, p.ID, theirs.ID), maillon.ErrNotFound)
			}
			list, total := findPersons(t, db, ac, maillon.PersonFilter{Query: "helene"})
			if len(list) != 1 || list[0].ID != theirs.ID || total != 1 {
				t.Errorf("%s searches %+v", who, list)
			}
			dups, err := db.FindDuplicates(ctx, ac, newPerson("Hélène", "Dupré"))
			if err != nil || len(dups) != 1 || dups[0].ID != theirs.ID {
				t.Errorf("%s: duplicates %+v, %v", who, dups, err)
			}
		}
		// An intervention of another structure cannot name the person.
		oa := storetest.Actor(other.Mediator)
		_, err := db.CreateIntervention(ctx, oa, intervention(oa, "2026-03-10", "09:00", "personne", p.ID))
		wantFields(t, err, maillon.ErrInvalid, "persons")
		after := mustFile(t, db, med, p.ID)
		if !samePerson(after.Person, before.Person) || len(after.Consents) != len(before.Consents) || !after.HasConsent(maillon.ConsentDossier) ||
			len(after.Notes) != len(before.Notes) || len(after.Autonomy) != 0 || len(after.Timeline) != len(before.Timeline) {
			t.Errorf("refused calls changed the file:\nbefore %+v\nafter  %+v", before, after)
		}
	})
}
