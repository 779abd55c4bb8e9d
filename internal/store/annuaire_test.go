package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/storetest"
)

const dirFixture = `[
 {"source":"dora","id":"dora--1","nom":"Centre social Les Tilleuls","date_maj":"2026-01-10","latitude":45.764,"longitude":4.836,
  "code_insee":"69381","commune":"Lyon 1er"},
 {"source":"dora","id":"dora--2","nom":"Épicerie solidaire du Plateau","date_maj":"2024-01-10","latitude":45.70,"longitude":4.90,
  "code_insee":"69259","commune":"Vénissieux"},
 {"source":"dora","id":"dora--s1","structure_id":"dora--1","nom":"Accès aux droits","date_maj":"2026-01-10",
  "description":"Aide aux démarches CAF, CPAM et retraite.","frais":"gratuit","publics":["tous-publics"],
  "thematiques":["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],"modes_accueil":["en-presentiel"],
  "code_insee":"69381"},
 {"source":"dora","id":"dora--s2","structure_id":"dora--2","nom":"Colis alimentaires","date_maj":"2024-01-10",
  "description":"Épicerie à petits prix pour les familles.","frais":"payant","thematiques":["equipement-et-alimentation--alimentation"],
  "code_insee":"69259","latitude":45.69,"longitude":4.89},
 {"source":"dora","id":"dora--s3","structure_id":"dora--9","nom":"Orphelin","date_maj":"2026-01-10","description":"Sans structure."}
]`

func mustImportDirectory(t *testing.T, db *storetest.DB, actor maillon.Actor, data string) maillon.DirectoryImportReport {
	t.Helper()
	ds, err := maillon.ParseDataInclusionJSON([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := db.ImportDirectory(ctx, actor, 0, ds, nil)
	if err != nil {
		t.Fatalf("ImportDirectory: %v", err)
	}
	return rep
}

func TestDirectoryImportSearch(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		db.Clock.Set(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC))
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		coord, med := storetest.Actor(st.Coordinator), storetest.Actor(st.Mediator)

		ds, _ := maillon.ParseDataInclusionJSON([]byte(dirFixture))
		_, err := db.ImportDirectory(ctx, med, 0, ds, nil)
		wantErrKind(t, "mediator import", err, maillon.ErrForbidden)

		var calls int
		rep, err := db.ImportDirectory(ctx, coord, 0, ds, func(done, total int) { calls++ })
		if err != nil {
			t.Fatal(err)
		}
		if rep.StructuresCreated != 2 || rep.ServicesCreated != 2 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 13 ||
			!strings.Contains(rep.Rejected[0].Reason, "dora--9") || calls != 1 {
			t.Fatalf("report = %+v, progress calls %d", rep, calls)
		}

		// Accent-insensitive full text on name, description, thématique
		// labels and structure.
		for q, want := range map[string]string{"epicerie": "Colis alimentaires", "DÉMARCH": "Accès aux droits",
			"tilleuls": "Accès aux droits", "alimentation": "Colis alimentaires", "acces droits": "Accès aux droits"} {
			got, n, err := db.SearchDirectory(ctx, med, maillon.DirectoryFilter{Query: q})
			if err != nil || n != 1 || got[0].Nom != want {
				t.Errorf("search %q = %v %d %v, want %s", q, got, n, err, want)
			}
		}
		// Filters.
		for _, c := range []struct {
			f    maillon.DirectoryFilter
			want int
		}{
			{maillon.DirectoryFilter{Thematique: "equipement-et-alimentation"}, 1},
			{maillon.DirectoryFilter{Thematique: "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"}, 1},
			{maillon.DirectoryFilter{Public: "tous-publics"}, 1},
			{maillon.DirectoryFilter{Frais: "payant"}, 1},
			{maillon.DirectoryFilter{CodeInsee: "69259"}, 1},
			{maillon.DirectoryFilter{ModeAccueil: "en-presentiel"}, 1},
			{maillon.DirectoryFilter{Freshness: maillon.FreshObsolete}, 1},
			{maillon.DirectoryFilter{Freshness: maillon.FreshUpToDate}, 1},
			{maillon.DirectoryFilter{}, 2},
		} {
			_, n, err := db.SearchDirectory(ctx, med, c.f)
			if err != nil || n != c.want {
				t.Errorf("filter %+v = %d %v, want %d", c.f, n, err, c.want)
			}
		}
		// Distance from a point near Vénissieux: the épicerie first; the
		// service without a position takes its structure's.
		lat, lon := 45.697, 4.886
		got, _, err := db.SearchDirectory(ctx, med, maillon.DirectoryFilter{Lat: &lat, Lon: &lon})
		if err != nil || len(got) != 2 || got[0].Nom != "Colis alimentaires" || got[0].DistanceKm > 1 || got[1].DistanceKm < 5 {
			t.Fatalf("distance sort = %+v %v", got, err)
		}
		got, _, err = db.SearchDirectory(ctx, med, maillon.DirectoryFilter{NearInsee: "69381"})
		if err != nil || got[0].Nom != "Accès aux droits" {
			t.Errorf("near commune = %+v %v", got, err)
		}
		// Another structure sees nothing.
		if _, n, err := db.SearchDirectory(ctx, storetest.Actor(other.Mediator), maillon.DirectoryFilter{}); err != nil || n != 0 {
			t.Errorf("other structure sees %d %v", n, err)
		}
		_, _, err = db.SearchDirectory(ctx, med, maillon.DirectoryFilter{Thematique: "inconnue"})
		wantErrKind(t, "unknown thématique", err, maillon.ErrInvalid)
	})
}

func TestDirectoryReimportKeepsLocalData(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		db.Clock.Set(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC))
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		coord, med := storetest.Actor(st.Coordinator), storetest.Actor(st.Mediator)
		mustImportDirectory(t, db, coord, dirFixture)
		list, n, err := db.FindDirectoryStructures(ctx, med, "plateau", 0, 0)
		if err != nil || n != 1 {
			t.Fatalf("FindDirectoryStructures = %v %d %v", list, n, err)
		}
		id := list[0].ID
		if err := db.AddDirectoryContact(ctx, coord, maillon.DirectoryContact{StructureID: id, Name: "Claire Martin",
			Role: "Responsable", Phone: "04 72 00 00 00"}); err != nil {
			t.Fatal(err)
		}
		err = db.AddDirectoryContact(ctx, med, maillon.DirectoryContact{StructureID: id, Name: "X", Phone: "0472000000"})
		wantErrKind(t, "mediator adds a contact", err, maillon.ErrForbidden)
		if err := db.AddDirectoryRelation(ctx, coord, id, maillon.DirectoryRelationInput{Kind: "convention",
			Title: "Convention d'orientation", Date: "2026-01-15", EndDate: "2026-12-31", Documents: "CONV-2026-04"}); err != nil {
			t.Fatal(err)
		}
		err = db.AddDirectoryRelation(ctx, coord, id, maillon.DirectoryRelationInput{Kind: "rencontre", Title: "x", Date: "demain"})
		if f := maillon.FieldsOf(err); f["date"] == "" {
			t.Errorf("bad relation date: %v", err)
		}
		if err := db.VerifyDirectoryStructure(ctx, coord, id); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindDirectoryStructure(ctx, storetest.Actor(other.Admin), id)
		wantErrKind(t, "other structure reads", err, maillon.ErrNotFound)

		// Re-import, renamed by the producer: local data survives and the
		// search follows the new name.
		rep := mustImportDirectory(t, db, coord, strings.Replace(dirFixture, "Épicerie solidaire du Plateau", "Épicerie du Mont", 1))
		if rep.StructuresUpdated != 2 || rep.ServicesUpdated != 2 || rep.StructuresCreated != 0 {
			t.Errorf("re-import report = %+v", rep)
		}
		s, err := db.FindDirectoryStructure(ctx, med, id)
		if err != nil || s.Nom != "Épicerie du Mont" || s.VerifiedAt.IsZero() || s.VerifiedBy != st.Coordinator.ID ||
			len(s.Services) != 1 || s.LastInteraction.IsZero() {
			t.Fatalf("after re-import: %+v %v", s, err)
		}
		cs, err := db.FindDirectoryContacts(ctx, med, id)
		if err != nil || len(cs) != 1 {
			t.Errorf("contacts = %v %v", cs, err)
		}
		rs, err := db.FindDirectoryRelations(ctx, med, id)
		if err != nil || len(rs) != 1 || rs[0].Documents != "CONV-2026-04" {
			t.Errorf("relations = %v %v", rs, err)
		}
		if _, n, _ := db.SearchDirectory(ctx, med, maillon.DirectoryFilter{Query: "mont"}); n != 1 {
			t.Errorf("search by new structure name: %d", n)
		}
		// Verified today: up to date, out of the review queue.
		if _, n, _ := db.SearchDirectory(ctx, med, maillon.DirectoryFilter{Freshness: maillon.FreshObsolete}); n != 0 {
			t.Errorf("obsolete after verification: %d", n)
		}
		q, err := db.FindDirectoryReviewQueue(ctx, med, 0)
		if err != nil || len(q) != 0 {
			t.Errorf("review queue = %v %v", q, err)
		}
		db.Clock.Set(time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC))
		q, _ = db.FindDirectoryReviewQueue(ctx, med, 0)
		if len(q) != 2 {
			t.Errorf("review queue after 7 months = %d", len(q))
		}
		if err := db.SetDirectorySettings(ctx, storetest.Actor(st.Admin), maillon.DirectorySettings{ToCheckMonths: 8, ObsoleteMonths: 18}); err != nil {
			t.Fatal(err)
		}
		q, _ = db.FindDirectoryReviewQueue(ctx, med, 0)
		if len(q) != 1 {
			t.Errorf("review queue with 8 months = %d", len(q))
		}

		// Export: v1 objects only.
		sts, svs, err := db.ExportDirectory(ctx, med, 0)
		if err != nil || len(sts) != 2 || len(svs) != 2 {
			t.Fatalf("export = %d %d %v", len(sts), len(svs), err)
		}
		var b strings.Builder
		if err := maillon.WriteStructuresJSON(&b, sts); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "Claire") || strings.Contains(b.String(), "CONV-2026") {
			t.Error("internal contacts or relations exported")
		}
	})
}

func TestDirectoryEditAndProposals(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		coord, med := storetest.Actor(st.Coordinator), storetest.Actor(st.Mediator)
		in := maillon.DirectoryStructure{Nom: "Mairie annexe", HorairesAccueil: "Mo-Fr 08:30-12:00", CodeInsee: "69123",
			Temporary: maillon.TemporaryInfo{Kind: "fermeture", Message: "Fermé pour travaux",
				From: time.Date(2026, 3, 1, 0, 0, 0, 0, maillon.Paris), Until: time.Date(2026, 3, 8, 0, 0, 0, 0, maillon.Paris)}}
		_, err := db.SaveDirectoryStructure(ctx, med, in)
		wantErrKind(t, "mediator edits", err, maillon.ErrForbidden)
		id, err := db.SaveDirectoryStructure(ctx, coord, in)
		if err != nil {
			t.Fatal(err)
		}
		bad := in
		bad.ID, bad.HorairesAccueil = id, "le matin"
		_, err = db.SaveDirectoryStructure(ctx, coord, bad)
		if f := maillon.FieldsOf(err); f["horaires_accueil"] == "" {
			t.Errorf("bad hours: %v", err)
		}
		sid, err := db.SaveDirectoryService(ctx, coord, maillon.DirectoryService{StructureID: id, Nom: "État civil",
			Description: "Actes de naissance, mariage, décès.", Thematiques: []string{"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"}})
		if err != nil {
			t.Fatal(err)
		}
		sv, err := db.FindDirectoryService(ctx, med, sid)
		if err != nil || sv.Source != maillon.LocalSource || !strings.HasPrefix(sv.DIID, "maillon--s") || sv.DIStructureID != "maillon--"+strings.TrimPrefix(sv.DIStructureID, "maillon--") {
			t.Fatalf("service = %+v %v", sv, err)
		}
		s, _ := db.FindDirectoryStructure(ctx, med, id)
		if s.DIID == "pending" || s.Temporary.Kind != "fermeture" || sv.DIStructureID != s.DIID {
			t.Errorf("structure = %+v", s)
		}
		if _, n, _ := db.SearchDirectory(ctx, med, maillon.DirectoryFilter{Query: "etat civil annexe"}); n != 1 {
			t.Errorf("search local entry: %d", n)
		}

		err = db.ProposeDirectoryUpdate(ctx, med, id, "  ")
		wantErrKind(t, "empty proposal", err, maillon.ErrInvalid)
		if err := db.ProposeDirectoryUpdate(ctx, med, id, "Nouveau numéro : 04 78 00 00 01"); err != nil {
			t.Fatal(err)
		}
		ps, err := db.FindDirectoryProposals(ctx, coord)
		if err != nil || len(ps) != 1 || ps[0].StructureName != "Mairie annexe" {
			t.Fatalf("proposals = %+v %v", ps, err)
		}
		err = db.CloseDirectoryProposal(ctx, med, ps[0].ID, true)
		wantErrKind(t, "mediator closes", err, maillon.ErrForbidden)
		if err := db.CloseDirectoryProposal(ctx, coord, ps[0].ID, true); err != nil {
			t.Fatal(err)
		}
		err = db.CloseDirectoryProposal(ctx, coord, ps[0].ID, true)
		if !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("closing twice: %v", err)
		}
	})
}

// A large import pauses the full-text triggers and rebuilds the index
// once: after it, the index holds exactly the new texts (a renamed service
// is found by its new name only), and edits made afterwards go through the
// triggers again.
func TestDirectoryLargeImportIndex(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		coord := storetest.Actor(st.Coordinator)
		ds := demo.DirectoryDataset(1200, 7, maillon.InParis(db.Clock.Now()))
		ds.Services[10].Nom = "Atelier Quetzalcoatl"
		if rep, err := db.ImportDirectory(ctx, coord, 0, ds, nil); err != nil || rep.ServicesCreated != 1200 {
			t.Fatalf("first import: %+v %v", rep, err)
		}
		count := func(q string) int {
			t.Helper()
			_, n, err := db.SearchDirectory(ctx, coord, maillon.DirectoryFilter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count("quetzalcoatl"); n != 1 {
			t.Fatalf("after the first import, %d services match the unique name", n)
		}
		ds.Services[10].Nom = "Atelier Ozymandias"
		if rep, err := db.ImportDirectory(ctx, coord, 0, ds, nil); err != nil || rep.ServicesUpdated != 1200 {
			t.Fatalf("re-import: %+v %v", rep, err)
		}
		if old, new := count("quetzalcoatl"), count("ozymandias"); old != 0 || new != 1 {
			t.Fatalf("after the re-import, old name %d, new name %d; want 0 and 1", old, new)
		}
		// The triggers work again once the import is over.
		found, _, err := db.SearchDirectory(ctx, coord, maillon.DirectoryFilter{Query: "ozymandias"})
		if err != nil {
			t.Fatal(err)
		}
		sv, err := db.FindDirectoryService(ctx, coord, found[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		sv.Nom = "Atelier Bucéphale"
		if _, err := db.SaveDirectoryService(ctx, coord, *sv); err != nil {
			t.Fatal(err)
		}
		if old, new := count("ozymandias"), count("bucephale"); old != 0 || new != 1 {
			t.Fatalf("after an edit, old name %d, new name %d; want 0 and 1", old, new)
		}
	})
}

// The search index held in memory (annuaire_search.go) gives the pages
// and totals of the plain SQL search, by name and by distance, at every
// offset.
func TestDirectorySearchIndex(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		coord := storetest.Actor(st.Coordinator)
		ds := demo.DirectoryDataset(900, 3, maillon.InParis(db.Clock.Now()))
		// Services without a position sort last by distance.
		for i := 0; i < len(ds.Services); i += 7 {
			ds.Services[i].Latitude, ds.Services[i].Longitude = nil, nil
		}
		if _, err := db.ImportDirectory(ctx, coord, 0, ds, nil); err != nil {
			t.Fatal(err)
		}
		lat, lon := 45.6975, 4.8867
		far, farLon := 48.85, 2.35 // Paris: nothing within 50 km
		filters := []maillon.DirectoryFilter{
			{},
			{Query: "epicerie"},
			{Query: "aide"},
			{Thematique: "equipement-et-alimentation"},
			{Thematique: "equipement-et-alimentation", Frais: "gratuit"},
			{Public: "jeunes", ModeAccueil: "en-presentiel"},
			{Freshness: maillon.FreshUpToDate},
			{Freshness: maillon.FreshObsolete, CodeInsee: "69259"},
			{Lat: &lat, Lon: &lon},
			{Query: "atelier", Lat: &lat, Lon: &lon},
			{Thematique: "equipement-et-alimentation", Lat: &lat, Lon: &lon},
			{Lat: &far, Lon: &farLon},
			{Public: "jeunes", Lat: &far, Lon: &farLon},
			{NearInsee: "69259"},
			{NearInsee: "69259", ModeAccueil: "en-presentiel"},
		}
		for _, f := range filters {
			for _, offset := range []int{0, 20, 180} {
				f.Offset, f.Limit = offset, 20
				got, n, err := db.SearchDirectory(ctx, coord, f)
				if err != nil {
					t.Fatalf("%+v: %v", f, err)
				}
				want, wantN, err := db.SearchDirectoryOracleForTest(ctx, st.ID, f)
				if err != nil {
					t.Fatalf("%+v: oracle: %v", f, err)
				}
				ids := make([]int64, len(got))
				for i, s := range got {
					ids[i] = int64(s.ID)
				}
				if n != wantN || !slices.Equal(ids, want) {
					t.Errorf("%+v: index %d %v, SQL %d %v", f, n, ids, wantN, want)
				}
				if offset == 0 && wantN > 0 && len(want) == 0 {
					t.Errorf("%+v: total %d but an empty first page", f, wantN)
				}
			}
		}
	})
}

// Every change of the directory reaches the next search: the index in
// memory follows the directory's version (a new service, an edit, a
// verification, a re-import, a large import).
func TestDirectorySearchFollowsChanges(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		db.Clock.Set(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC))
		st := storetest.MustCreateStructure(t, db, "Médiation")
		coord := storetest.Actor(st.Coordinator)
		mustImportDirectory(t, db, coord, dirFixture)
		count := func(f maillon.DirectoryFilter) int {
			t.Helper()
			_, n, err := db.SearchDirectory(ctx, coord, f)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		first := func(f maillon.DirectoryFilter) string {
			t.Helper()
			res, _, err := db.SearchDirectory(ctx, coord, f)
			if err != nil || len(res) == 0 {
				t.Fatalf("%+v: %v %v", f, res, err)
			}
			return res[0].Nom
		}
		if n := count(maillon.DirectoryFilter{}); n != 2 {
			t.Fatalf("after the import, %d services", n)
		}
		found, _, err := db.SearchDirectory(ctx, coord, maillon.DirectoryFilter{Query: "colis"})
		if err != nil || len(found) != 1 {
			t.Fatalf("colis: %v %v", found, err)
		}
		sv := found[0]
		sv.ID, sv.Nom, sv.Frais = 0, "Bibliothèque de rue", "gratuit"
		id, err := db.SaveDirectoryService(ctx, coord, sv)
		if err != nil {
			t.Fatal(err)
		}
		if all, free := count(maillon.DirectoryFilter{}), count(maillon.DirectoryFilter{Frais: "gratuit"}); all != 3 || free != 2 {
			t.Fatalf("after a new service, %d services, %d free; want 3 and 2", all, free)
		}
		// By structure name, then service name.
		if got := first(maillon.DirectoryFilter{CodeInsee: "69259"}); got != "Bibliothèque de rue" {
			t.Fatalf("first by name %q", got)
		}
		sv.ID, sv.Nom, sv.Frais = id, "Zone de gratuité", "payant"
		if _, err := db.SaveDirectoryService(ctx, coord, sv); err != nil {
			t.Fatal(err)
		}
		if free := count(maillon.DirectoryFilter{Frais: "gratuit"}); free != 1 {
			t.Fatalf("after an edit, %d free services; want 1", free)
		}
		if got := first(maillon.DirectoryFilter{CodeInsee: "69259"}); got != "Colis alimentaires" {
			t.Fatalf("after a rename, first by name %q", got)
		}
		// The colis were last updated in 2024: obsolete until their
		// structure is verified (the new service is dated today).
		if n := count(maillon.DirectoryFilter{Freshness: maillon.FreshObsolete}); n != 1 {
			t.Fatalf("%d obsolete services before the verification; want 1", n)
		}
		full, err := db.FindDirectoryService(ctx, coord, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.VerifyDirectoryStructure(ctx, coord, full.StructureID); err != nil {
			t.Fatal(err)
		}
		if n := count(maillon.DirectoryFilter{Freshness: maillon.FreshObsolete}); n != 0 {
			t.Fatalf("%d obsolete services after the verification; want 0", n)
		}
		// A re-import renames a service.
		mustImportDirectory(t, db, coord, strings.Replace(dirFixture, `"nom":"Accès aux droits"`, `"nom":"Permanence droits"`, 1))
		if got := first(maillon.DirectoryFilter{Thematique: "difficultes-administratives-ou-juridiques"}); got != "Permanence droits" {
			t.Fatalf("after a re-import, %q", got)
		}
		// A large import bumps the version once, at its end.
		ds := demo.DirectoryDataset(1200, 5, maillon.InParis(db.Clock.Now()))
		if _, err := db.ImportDirectory(ctx, coord, 0, ds, nil); err != nil {
			t.Fatal(err)
		}
		if n := count(maillon.DirectoryFilter{}); n != 1203 {
			t.Fatalf("after a large import, %d services; want 1203", n)
		}
	})
}
