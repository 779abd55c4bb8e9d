package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// importFixture imports n people (every third one with a second consent
// and an autonomy profile) and, for each, two interventions: one the
// person started, one the mediation started later. The first person also
// gets a procedure with an observed autonomy level.
func importFixture(t *testing.T, db *storetest.DB, st *storetest.Structure, n int) ([]maillon.ImportPerson, []maillon.Intervention) {
	t.Helper()
	ctx := context.Background()
	op := maillon.OperatorActor()
	day := time.Date(2026, 1, 12, 0, 0, 0, 0, maillon.Paris)
	var people []maillon.ImportPerson
	for i := range n {
		p := maillon.ImportPerson{Person: maillon.Person{StructureID: st.ID, FirstName: "Éloïse", LastName: fmt.Sprintf("Importée%d", i),
			AgeBand: "26_44", Gender: "femme", Household: "non_precise", Housing: "non_precise", Activity: "non_precise",
			Nationality: "non_precise", ReferentID: st.Mediator.ID, CreatedAt: day.Add(10 * time.Hour)},
			CreatedBy: st.Mediator.ID,
			Consents:  []maillon.Consent{{Scope: maillon.ConsentDossier, Method: "oral", GivenAt: day, RecordedBy: st.Mediator.ID}}}
		if i%3 == 0 {
			p.Consents = append(p.Consents, maillon.Consent{Scope: "partage", Method: "ecrit", GivenAt: day})
			p.Autonomy = []maillon.Autonomy{{AssessedAt: day, Level: 2, Equipment: []string{"smartphone"}}}
		}
		people = append(people, p)
	}
	if err := db.ImportPeople(ctx, op, people); err != nil {
		t.Fatalf("import people: %v", err)
	}
	var ivs []maillon.Intervention
	for i, p := range people {
		for k, initiative := range []string{"personne", "mediation"} {
			iv := maillon.Intervention{StructureID: st.ID, StartAt: day.AddDate(0, 0, 1+k*7).Add(time.Duration(9*60+i) * time.Minute),
				Minutes: 30, Mediators: []maillon.UserID{st.Mediator.ID, st.Coordinator.ID, st.Mediator.ID}, PlaceType: "permanence",
				Registre: "acces_droits", Registres: []string{"acces_droits", "suivi"}, Themes: []string{"logement", "logement"},
				Initiative: initiative, Outcome: "en_attente", Persons: []maillon.PersonRef{{ID: p.Person.ID}},
				Anonymous: []maillon.AnonymousCount{{AgeBand: "16_25", Gender: "homme", Count: 2}}, CreatedBy: st.Mediator.ID}
			if i == 0 && k == 0 {
				iv.Procedures = []maillon.Procedure{{PersonID: p.Person.ID, Organisme: "caf", Label: "Aide au logement",
					Channel: "en_ligne", Mode: "faire_avec", Outcome: "realisee", Obstacles: []string{"identification", "competences"},
					AutonomyLevel: 3}}
			}
			ivs = append(ivs, iv)
		}
	}
	if err := db.ImportInterventions(ctx, op, ivs); err != nil {
		t.Fatalf("import interventions: %v", err)
	}
	if err := db.FinishImport(ctx, op); err != nil {
		t.Fatalf("finish import: %v", err)
	}
	return people, ivs
}

// Ensure bulk-imported records read back through the services as if they
// had been entered one by one: search index, files, timelines, derived
// last contact, and IDs that later records continue.
func TestImportReadsBackThroughTheServices(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		ctx := context.Background()
		st := storetest.MustCreateStructure(t, db, "Structure importée")
		// A record entered before the import: IDs must not collide.
		before, err := db.CreatePerson(ctx, storetest.Actor(st.Mediator), maillon.PersonInput{LastName: "Avant",
			ConsentGiven: true, ConsentMethod: "oral"})
		if err != nil {
			t.Fatal(err)
		}
		const n = 700 // several full multi-row statements, and a remainder
		people, ivs := importFixture(t, db, st, n)
		seen := map[maillon.PersonID]bool{before.ID: true}
		for _, p := range people {
			if p.Person.ID == 0 || seen[p.Person.ID] {
				t.Fatalf("imported person got ID %d (taken or zero)", p.Person.ID)
			}
			seen[p.Person.ID] = true
		}

		a := storetest.Actor(st.Mediator)
		// Folded, partial, accent-insensitive search on the index the
		// triggers (SQLite) or the generated column (PostgreSQL) keep.
		found, total, err := db.FindPersons(ctx, a, maillon.PersonFilter{Query: "eloise importee123"})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || found[0].ID != people[123].Person.ID {
			t.Errorf("search for person 123: %d results %v", total, found)
		}
		if _, total, _ := db.FindPersons(ctx, a, maillon.PersonFilter{Query: "ELOISE", Limit: 5}); total != n {
			t.Errorf("search by first name: %d results, want %d", total, n)
		}

		f, err := db.FindPersonFile(ctx, a, people[0].Person.ID)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, e := range f.Timeline {
			kinds[e.Kind]++
		}
		// Two interventions, one procedure, two consents, the profile;
		// the level observed on the procedure is shown with it.
		if kinds["intervention"] != 2 || kinds["procedure"] != 1 || kinds["consent"] != 2 || kinds["autonomy"] != 1 {
			t.Errorf("timeline of person 0: %v", kinds)
		}
		if len(f.Autonomy) != 2 || f.Autonomy[1].Level != 3 || f.Autonomy[1].ProcedureID == 0 {
			t.Errorf("autonomy of person 0: %+v", f.Autonomy)
		}
		// The last contact is the last intervention the person started,
		// not the later one the mediation started.
		if want := ivs[0].StartAt; !f.Person.LastContactAt.Equal(want) {
			t.Errorf("last contact %v, want %v", f.Person.LastContactAt, want)
		}

		iv, err := db.FindInterventionByID(ctx, a, ivs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(iv.Mediators) != 2 || len(iv.Registres) != 1 || len(iv.Themes) != 1 || iv.AnonymousTotal() != 2 ||
			len(iv.Procedures) != 1 || len(iv.Procedures[0].Obstacles) != 2 {
			t.Errorf("imported intervention read back: %+v", iv)
		}
		if iv.OutsideHours {
			t.Errorf("a Tuesday at 9:00 is within the default office hours")
		}

		// Records entered after the import continue the IDs.
		after, err := db.CreatePerson(ctx, a, maillon.PersonInput{LastName: "Après", ConsentGiven: true, ConsentMethod: "oral"})
		if err != nil {
			t.Fatalf("create a person after the import: %v", err)
		}
		if seen[after.ID] {
			t.Errorf("person created after the import reuses ID %d", after.ID)
		}
		in := maillon.InterventionInput{Date: "2026-03-09", Time: "10:00", Minutes: "20", Mediators: []maillon.UserID{st.Mediator.ID},
			PlaceType: "permanence", Registre: "suivi", Persons: []maillon.PersonID{people[1].Person.ID},
			Procedures: []maillon.ProcedureInput{{PersonID: people[1].Person.ID, Organisme: "caf", Label: "Suivi", Channel: "en_ligne",
				Mode: "faire_avec", Outcome: "attente"}}}
		if _, err := db.CreateIntervention(ctx, a, in); err != nil {
			t.Errorf("create an intervention after the import: %v", err)
		}

		// Each import call leaves one audit row.
		entries, _, err := db.FindAuditEntries(ctx, storetest.Actor(st.Admin), maillon.AuditFilter{Action: maillon.AuditImport})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 {
			t.Errorf("audit rows of the import: %d, want 2", len(entries))
		}
	})
}

// Ensure only the operator imports, and an import with an unknown code
// writes nothing.
func TestImportIsForTheOperatorAndChecksCodes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		ctx := context.Background()
		st := storetest.MustCreateStructure(t, db, "Structure")
		good := maillon.ImportPerson{Person: maillon.Person{StructureID: st.ID, LastName: "Valide", AgeBand: "non_precise",
			Gender: "non_precise", Household: "non_precise", Housing: "non_precise", Activity: "non_precise", Nationality: "non_precise"},
			Consents: []maillon.Consent{{Scope: maillon.ConsentDossier, Method: "oral", GivenAt: storetest.Start}}}
		if err := db.ImportPeople(ctx, storetest.Actor(st.Admin), []maillon.ImportPerson{good}); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("import by an administrator: %v, want ErrForbidden", err)
		}
		bad := good
		bad.Person.Gender = "inconnu"
		if err := db.ImportPeople(ctx, maillon.OperatorActor(), []maillon.ImportPerson{good, bad}); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("import with an unknown gender: %v, want ErrInvalid", err)
		}
		noConsent := good
		noConsent.Consents = nil
		if err := db.ImportPeople(ctx, maillon.OperatorActor(), []maillon.ImportPerson{noConsent}); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("import of an active file without consent: %v, want ErrInvalid", err)
		}
		iv := maillon.Intervention{StructureID: st.ID, StartAt: storetest.Start, Minutes: 10, Mediators: []maillon.UserID{st.Mediator.ID},
			PlaceType: "permanence", Registre: "inconnu", Initiative: "personne", Outcome: "resolu"}
		if err := db.ImportInterventions(ctx, maillon.OperatorActor(), []maillon.Intervention{iv}); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("import with an unknown registre: %v, want ErrInvalid", err)
		}
		if _, total, _ := db.FindPersons(ctx, storetest.Actor(st.Mediator), maillon.PersonFilter{}); total != 0 {
			t.Errorf("refused imports left %d people", total)
		}
	})
}
