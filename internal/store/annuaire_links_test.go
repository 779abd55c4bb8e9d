package store_test

import (
	"slices"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// The links from the mediation's records to the directory: orientations
// keep their service, interventions and procedures their structures; IDs
// of another directory are dropped; territory pages find the structures
// of a commune.
func TestDirectoryLinks(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		db.Clock.Set(time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC))
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		coord, med := storetest.Actor(st.Coordinator), storetest.Actor(st.Mediator)
		mustImportDirectory(t, db, coord, dirFixture)
		mustImportDirectory(t, db, storetest.Actor(other.Coordinator), dirFixture)
		mine, total, err := db.FindDirectoryStructuresIn(ctx, med, "69259", 10)
		if err != nil || total != 1 || len(mine) != 1 || mine[0].Nom != "Épicerie solidaire du Plateau" {
			t.Fatalf("structures in 69259: %+v %d %v", mine, total, err)
		}
		theirs, _, err := db.FindDirectoryStructuresIn(ctx, storetest.Actor(other.Mediator), "69259", 10)
		if err != nil || len(theirs) != 1 || theirs[0].ID == mine[0].ID {
			t.Fatalf("the other directory: %+v %v", theirs, err)
		}
		if none, n, err := db.FindDirectoryStructuresIn(ctx, med, "38000", 10); err != nil || n != 0 || len(none) != 0 {
			t.Errorf("structures in 38000: %+v %d %v", none, n, err)
		}
		full, err := db.FindDirectoryStructure(ctx, med, mine[0].ID)
		if err != nil || len(full.Services) != 1 {
			t.Fatalf("structure: %+v %v", full, err)
		}
		svc := full.Services[0].ID
		theirFull, err := db.FindDirectoryStructure(ctx, storetest.Actor(other.Mediator), theirs[0].ID)
		if err != nil {
			t.Fatal(err)
		}

		// Orientations.
		in := orientationInput(0, "Épicerie – Colis alimentaires")
		in.DirectoryServiceID = svc
		o := mustOrientation(t, db, med, in)
		if o.DirectoryServiceID != svc || o.DirectoryStructureID != mine[0].ID {
			t.Errorf("orientation's directory link: %d %d", o.DirectoryServiceID, o.DirectoryStructureID)
		}
		in.DirectoryServiceID = theirFull.Services[0].ID
		if o = mustOrientation(t, db, med, in); o.DirectoryServiceID != 0 || o.DirectoryStructureID != 0 {
			t.Errorf("another directory's service was linked: %d", o.DirectoryServiceID)
		}

		// Interventions and procedures.
		ivIn := intervention(med, "2026-03-09", "10:00", "personne")
		ivIn.DirectoryStructureID = mine[0].ID
		ivIn.Procedures = []maillon.ProcedureInput{
			{Organisme: "caf", Label: "Demande", Channel: "guichet", Mode: "faire_avec", DirectoryStructureID: mine[0].ID},
			{Organisme: "cpam", Label: "Carte Vitale", Channel: "en_ligne", Mode: "faire_avec", DirectoryStructureID: theirs[0].ID},
		}
		iv := mustIntervention(t, db, med, ivIn)
		if iv.Directory.ID != mine[0].ID || iv.Directory.Name != "Épicerie solidaire du Plateau" || len(iv.Procedures) != 2 ||
			iv.Procedures[0].Directory.ID != mine[0].ID || iv.Procedures[1].Directory.ID != 0 {
			t.Fatalf("intervention links: %+v, procedures %+v", iv.Directory, iv.Procedures)
		}
		// An update changes them and names the change in the audit.
		ivIn.DirectoryStructureID = 0
		ivIn.Procedures = ivIn.Procedures[:1]
		if err := db.UpdateIntervention(ctx, med, iv.ID, ivIn); err != nil {
			t.Fatal(err)
		}
		iv, err = db.FindInterventionByID(ctx, med, iv.ID)
		if err != nil || iv.Directory.ID != 0 || iv.Procedures[0].Directory.ID != mine[0].ID {
			t.Fatalf("after the update: %+v %+v %v", iv.Directory, iv.Procedures, err)
		}
		entries, _, err := db.FindAuditEntries(ctx, storetest.Actor(st.Admin), maillon.AuditFilter{Action: maillon.AuditInterventionUpdate, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 || !slices.Contains(entries[0].Fields, "directory_structure") {
			t.Errorf("audit of the update: %+v", entries)
		}
	})
}

// The observations list filters by place and period; coordinators set
// the freshness thresholds.
func TestObservationFiltersAndDirectorySettings(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		db.Clock.Set(time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC))
		st := storetest.MustCreateStructure(t, db, "Médiation")
		admin, coord, med := storetest.Actor(st.Admin), storetest.Actor(st.Coordinator), storetest.Actor(st.Mediator)
		c, err := db.AddCommune(ctx, admin, st.ID, maillon.CommuneInput{INSEE: "69259", Name: "Vénissieux"})
		if err != nil {
			t.Fatal(err)
		}
		z1, err := db.AddZone(ctx, admin, maillon.ZoneInput{CommuneID: c.ID, Name: "Minguettes"})
		if err != nil {
			t.Fatal(err)
		}
		z2, err := db.AddZone(ctx, admin, maillon.ZoneInput{CommuneID: c.ID, Name: "Centre"})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range []struct {
			zone maillon.ZoneID
			day  string
		}{{z1.ID, "2026-01-15"}, {z1.ID, "2026-03-02"}, {z2.ID, "2026-02-10"}, {0, "2026-03-01"}} {
			in := observationInput()
			in.ZoneID, in.ObservedOn = o.zone, o.day
			if _, err := db.CreateObservation(ctx, med, in); err != nil {
				t.Fatal(err)
			}
		}
		day := func(s string) time.Time { d, _ := maillon.ParseDay(s, db.Clock.Now()); return d }
		for _, c := range []struct {
			name string
			f    maillon.VeilleObservationFilter
			want int
		}{
			{"zone", maillon.VeilleObservationFilter{ZoneID: z1.ID}, 2},
			{"commune", maillon.VeilleObservationFilter{CommuneID: c.ID}, 3},
			{"from", maillon.VeilleObservationFilter{From: day("2026-02-10")}, 3},
			{"period", maillon.VeilleObservationFilter{From: day("2026-02-01"), To: day("2026-03-01")}, 2},
			{"zone and period", maillon.VeilleObservationFilter{ZoneID: z1.ID, To: day("2026-02-28")}, 1},
		} {
			_, total, err := db.FindObservations(ctx, med, c.f)
			if err != nil || total != c.want {
				t.Errorf("%s: %d observations, want %d (%v)", c.name, total, c.want, err)
			}
		}

		wantErrKind(t, "mediator's thresholds", db.SetDirectorySettings(ctx, med, maillon.DirectorySettings{ToCheckMonths: 3, ObsoleteMonths: 9}), maillon.ErrForbidden)
		if err := db.SetDirectorySettings(ctx, coord, maillon.DirectorySettings{ToCheckMonths: 3, ObsoleteMonths: 9}); err != nil {
			t.Fatal(err)
		}
		if ds, err := db.DirectorySettings(ctx, med); err != nil || ds.ToCheckMonths != 3 || ds.ObsoleteMonths != 9 {
			t.Errorf("thresholds: %+v %v", ds, err)
		}
	})
}
