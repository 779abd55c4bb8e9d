package store_test

import (
	"errors"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// territoryFixture adds a commune with a QPV zone to st.
func territoryFixture(t *testing.T, db *storetest.DB, st *storetest.Structure) (*maillon.Commune, *maillon.Zone) {
	t.Helper()
	admin := storetest.Actor(st.Admin)
	c, err := db.AddCommune(ctx, admin, st.ID, maillon.CommuneInput{INSEE: "69259", Name: "Vénissieux"})
	if err != nil {
		t.Fatal(err)
	}
	z, err := db.AddZone(ctx, admin, maillon.ZoneInput{CommuneID: c.ID, Name: "Les Minguettes", QPVCode: "QN06920M"})
	if err != nil {
		t.Fatal(err)
	}
	return c, z
}

func TestTerritoryFiguresAndDiagnostic(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		c, z := territoryFixture(t, db, st)
		coord, med := storetest.Actor(st.Coordinator), storetest.Actor(st.Mediator)
		zone := maillon.AreaRef{ZoneID: z.ID}
		fig := maillon.KeyFigureInput{Label: "Taux de pauvreté", Value: "38,5", Unit: "%", Source: "INSEE Filosofi", On: "2021"}

		_, err := db.AddKeyFigure(ctx, med, zone, fig)
		wantErrKind(t, "mediator adds a figure", err, maillon.ErrForbidden)
		_, err = db.AddKeyFigure(ctx, storetest.Actor(other.Coordinator), zone, fig)
		wantErrKind(t, "another structure adds a figure", err, maillon.ErrNotFound)
		bad := fig
		bad.Value = "beaucoup"
		_, err = db.AddKeyFigure(ctx, coord, zone, bad)
		if f := maillon.FieldsOf(err); f["value"] == "" {
			t.Errorf("non-numeric value: %v", err)
		}
		f, err := db.AddKeyFigure(ctx, coord, zone, fig)
		if err != nil {
			t.Fatal(err)
		}

		// Import: all or nothing.
		rows := []maillon.KeyFigureInput{
			{Label: "Population", Value: "21 000", Source: "INSEE", On: "01/01/2021"},
			{Label: "Part des moins de 25 ans", Value: "41", Unit: "%", Source: "INSEE", On: "2020-01-01"},
		}
		if n, err := db.ImportKeyFigures(ctx, coord, zone, rows); err != nil || n != 2 {
			t.Fatalf("import = %d, %v", n, err)
		}
		_, err = db.ImportKeyFigures(ctx, coord, zone, append(rows, maillon.KeyFigureInput{Label: "x", Value: "?", Source: "s", On: "2020"}))
		wantErrKind(t, "import with a bad line", err, maillon.ErrInvalid)

		// Diagnostic versions.
		_, err = db.SaveDiagnostic(ctx, med, zone, maillon.DiagnosticInput{Needs: "x"})
		wantErrKind(t, "mediator saves a diagnostic", err, maillon.ErrForbidden)
		_, err = db.SaveDiagnostic(ctx, coord, zone, maillon.DiagnosticInput{})
		wantErrKind(t, "empty diagnostic", err, maillon.ErrInvalid)
		if _, err := db.SaveDiagnostic(ctx, coord, zone, maillon.DiagnosticInput{Needs: "Accès aux droits", Issues: "Rénovation"}); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(24 * 3600e9)
		if _, err := db.SaveDiagnostic(ctx, storetest.Actor(st.Admin), zone, maillon.DiagnosticInput{Needs: "Accès aux droits et numérique"}); err != nil {
			t.Fatal(err)
		}

		// Activity: one intervention in the zone with one named person
		// and three anonymous people.
		p := mustCreatePerson(t, db, med, newPerson("Awa", "Diallo"))
		in := intervention(med, "2026-03-09", "10:00", "personne", p.ID)
		in.CommuneID, in.ZoneID = c.ID, z.ID
		in.Anonymous = []maillon.AnonymousCount{{AgeBand: "26_44", Gender: "femme", Count: 3}}
		mustIntervention(t, db, med, in)
		outside := intervention(med, "2026-03-09", "11:00", "personne", p.ID)
		mustIntervention(t, db, med, outside)

		a, err := db.FindArea(ctx, med, zone)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Figures) != 3 || a.Name != "Les Minguettes" || a.Commune.Name != "Vénissieux" {
			t.Errorf("area = %+v", a)
		}
		if a.Diagnostic == nil || a.Diagnostic.Version != 2 || len(a.Versions) != 1 || a.Versions[0].Issues != "Rénovation" {
			t.Errorf("diagnostic = %+v, versions %+v", a.Diagnostic, a.Versions)
		}
		if a.Activity.Interventions != 1 || a.Activity.People != 4 {
			t.Errorf("activity = %+v", a.Activity)
		}
		ca, err := db.FindArea(ctx, med, maillon.AreaRef{CommuneID: c.ID})
		if err != nil || ca.Activity.Interventions != 1 || len(ca.Figures) != 0 {
			t.Errorf("commune area = %+v, %v", ca, err)
		}
		if _, err := db.FindArea(ctx, storetest.Actor(other.Mediator), zone); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("another structure reads the zone: %v", err)
		}
		if ref, err := db.DeleteKeyFigure(ctx, coord, f.ID); err != nil || ref != zone {
			t.Errorf("delete = %v, %v", ref, err)
		}
		counts, err := db.FindTerritoryFigures(ctx, med)
		if err != nil || counts[zone] != 2 {
			t.Errorf("figure counts = %v, %v", counts, err)
		}
		entries, _, err := db.FindAuditEntries(ctx, storetest.Actor(st.Admin), maillon.AuditFilter{Action: maillon.AuditDiagnosticSave})
		if err != nil || len(entries) != 2 {
			t.Errorf("diagnostic audit = %d, %v", len(entries), err)
		}
	})
}

func TestImportCommunes(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		territoryFixture(t, db, st)
		rows, err := maillon.ParseCommunesCSV([]byte(communesFixture), "69")
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ImportCommunes(ctx, storetest.Actor(st.Coordinator), st.ID, rows)
		wantErrKind(t, "coordinator imports", err, maillon.ErrForbidden)
		res, err := db.ImportCommunes(ctx, maillon.OperatorActor(), st.ID, rows)
		if err != nil || res.Added != 2 || res.Updated != 1 {
			t.Fatalf("import = %+v, %v", res, err)
		}
		terr, err := db.FindTerritory(ctx, storetest.Actor(st.Mediator), st.ID)
		if err != nil || len(terr.Communes) != 3 {
			t.Fatalf("territory = %+v, %v", terr, err)
		}
		for _, c := range terr.Communes {
			if c.INSEE == "69259" && (c.Population != 66506 || c.Department != "69" || len(c.Zones) != 1) {
				t.Errorf("updated commune = %+v", c)
			}
		}
	})
}

// communesFixture is an extract in the COG 2024 layout, with a
// delegated commune (skipped) and a commune of another department.
const communesFixture = "\ufeffTYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT,PMUN\n" +
	"COM,69259,84,69,69D,691,0,VENISSIEUX,Vénissieux,Vénissieux,6999,,66506\n" +
	"COM,69199,84,69,69D,691,0,SAINT FONS,Saint-Fons,Saint-Fons,6999,,19290\n" +
	"COMD,69198,84,69,69D,691,0,ANCIENNE,Ancienne,Ancienne,,69199,\n" +
	"COM,69290,84,69,69D,691,0,SAINT PRIEST,Saint-Priest,Saint-Priest,6999,,47983\n" +
	"COM,01001,84,01,01D,012,5,ABERGEMENT CLEMENCIAT,Abergement-Clémenciat,L'Abergement-Clémenciat,0108,,832\n"

func TestInfoItemsAndFeeds(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		_, z := territoryFixture(t, db, st)
		coord, med, admin := storetest.Actor(st.Coordinator), storetest.Actor(st.Mediator), storetest.Actor(st.Admin)
		item := func(title, level string) maillon.InfoInput {
			return maillon.InfoInput{Title: title, Content: "Permanence le mardi.", Source: "CAF", Link: "https://caf.exemple.fr",
				Themes: []string{"droits_sociaux"}, Level: level, Area: maillon.AreaRef{ZoneID: z.ID}}
		}
		ids := map[string]maillon.InfoID{}
		for _, level := range []string{maillon.InfoEquipe, maillon.InfoStructure, maillon.InfoReseau, maillon.InfoPublic} {
			i, err := db.CreateInfo(ctx, coord, item("Fiche "+level, level))
			if err != nil || i.Status != maillon.InfoPublished {
				t.Fatalf("create %s = %+v, %v", level, i, err)
			}
			ids[level] = i.ID
		}
		expired := item("Ancienne fiche", maillon.InfoPublic)
		expired.ValidUntil = "2026-03-01"
		if _, err := db.CreateInfo(ctx, coord, expired); err != nil {
			t.Fatal(err)
		}
		bad := item("", "secret")
		bad.Link = "javascript:alert(1)"
		_, err := db.CreateInfo(ctx, coord, bad)
		if f := maillon.FieldsOf(err); f["title"] == "" || f["level"] == "" || f["link"] == "" {
			t.Errorf("invalid item: %v", err)
		}

		// A mediator's item is a proposal, seen by them and the
		// coordination only, until validated.
		prop, err := db.CreateInfo(ctx, med, item("Proposition", maillon.InfoStructure))
		if err != nil || prop.Status != maillon.InfoProposed {
			t.Fatalf("proposal = %+v, %v", prop, err)
		}
		other2 := storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)
		if _, err := db.FindInfo(ctx, storetest.Actor(other2), prop.ID); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("another mediator reads a proposal: %v", err)
		}
		if err := db.UpdateInfo(ctx, med, ids[maillon.InfoStructure], item("Changée", maillon.InfoStructure)); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("mediator edits a published item: %v", err)
		}
		review, err := db.FindInfosToReview(ctx, coord)
		if err != nil || len(review) != 1 || review[0].ID != prop.ID {
			t.Errorf("to review = %+v, %v", review, err)
		}
		if _, err := db.FindInfosToReview(ctx, med); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("mediator's review list: %v", err)
		}
		_, err = db.ValidateInfo(ctx, med, prop.ID)
		wantErrKind(t, "mediator validates", err, maillon.ErrForbidden)
		if id, err := db.ValidateInfo(ctx, coord, prop.ID); err != nil || id != prop.ID {
			t.Fatalf("validate = %d, %v", id, err)
		}
		_, err = db.ValidateInfo(ctx, coord, prop.ID)
		wantErrKind(t, "validate twice", err, maillon.ErrConflict)

		// A mediator's proposed update of a published item replaces it
		// once validated; the published item stays until then.
		upd := item("Fiche public, nouveaux horaires", maillon.InfoPublic)
		upd.Area = maillon.AreaRef{}
		upd.Replaces = ids[maillon.InfoPublic]
		_, err = db.CreateInfo(ctx, coord, upd)
		wantErrKind(t, "coordinator proposes an update", err, maillon.ErrConflict)
		up1, err := db.CreateInfo(ctx, med, upd)
		if err != nil || up1.Status != maillon.InfoProposed {
			t.Fatalf("proposed update = %+v, %v", up1, err)
		}
		if pub, _ := db.FindPublicFeed(ctx, st.ID); len(pub.Items) != 1 || pub.Items[0].Title == upd.Title {
			t.Errorf("a proposal reached the feed: %+v", pub.Items)
		}
		if id, err := db.ValidateInfo(ctx, coord, up1.ID); err != nil || id != ids[maillon.InfoPublic] {
			t.Fatalf("validate update = %d, %v", id, err)
		}
		if got, err := db.FindInfo(ctx, med, ids[maillon.InfoPublic]); err != nil || got.Title != upd.Title || got.AuthorID != st.Coordinator.ID || got.AreaName != "" {
			t.Errorf("updated item = %+v, %v", got, err)
		}
		if _, err := db.FindInfo(ctx, coord, up1.ID); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("the proposal is kept after validation: %v", err)
		}

		// Review dates.
		up := item("Fiche structure", maillon.InfoStructure)
		up.ReviewOn = "2026-03-10"
		if err := db.UpdateInfo(ctx, coord, ids[maillon.InfoStructure], up); err != nil {
			t.Fatal(err)
		}
		if review, _ := db.FindInfosToReview(ctx, coord); len(review) != 1 {
			t.Errorf("review date reached: %d items", len(review))
		}
		if err := db.MarkInfoReviewed(ctx, coord, ids[maillon.InfoStructure], "2026-09-10"); err != nil {
			t.Fatal(err)
		}
		if review, _ := db.FindInfosToReview(ctx, coord); len(review) != 0 {
			t.Errorf("after review: %d items", len(review))
		}

		// Lists: the "équipe" item is the author's team's; expired items
		// are apart.
		list, err := db.FindInfos(ctx, storetest.Actor(other2), maillon.InfoFilter{})
		if err != nil || len(list) != 4 {
			t.Errorf("mediator's list = %d, %v", len(list), err)
		}
		if list, _ := db.FindInfos(ctx, coord, maillon.InfoFilter{Expired: true}); len(list) != 1 {
			t.Errorf("expired list = %d", len(list))
		}
		if list, _ := db.FindInfos(ctx, storetest.Actor(other.Admin), maillon.InfoFilter{}); len(list) != 0 {
			t.Errorf("another structure sees %d items", len(list))
		}

		// Feeds.
		pub, err := db.FindPublicFeed(ctx, st.ID)
		if err != nil || len(pub.Items) != 1 || pub.Items[0].Level != maillon.InfoPublic || pub.StructureName != "Médiation" {
			t.Errorf("public feed = %+v, %v", pub, err)
		}
		_, err = db.CreateFeedToken(ctx, coord, "CCAS")
		wantErrKind(t, "coordinator creates a token", err, maillon.ErrForbidden)
		tok, err := db.CreateFeedToken(ctx, admin, "CCAS de Vénissieux")
		if err != nil {
			t.Fatal(err)
		}
		net, err := db.FindNetworkFeed(ctx, tok, "req")
		if err != nil || len(net.Items) != 2 {
			t.Fatalf("network feed = %+v, %v", net, err)
		}
		if _, err := db.FindNetworkFeed(ctx, tok+"x", "req"); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("wrong token: %v", err)
		}
		tokens, err := db.FindFeedTokens(ctx, admin)
		if err != nil || len(tokens) != 1 || tokens[0].LastUsed.IsZero() || strings.Contains(tokens[0].Label, tok) {
			t.Fatalf("tokens = %+v, %v", tokens, err)
		}
		wantErrKind(t, "another structure revokes", db.RevokeFeedToken(ctx, storetest.Actor(other.Admin), tokens[0].ID), maillon.ErrNotFound)
		if err := db.RevokeFeedToken(ctx, admin, tokens[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindNetworkFeed(ctx, tok, "req"); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("revoked token: %v", err)
		}
		entries, _, err := db.FindAuditEntries(ctx, admin, maillon.AuditFilter{Action: maillon.AuditFeedRead})
		if err != nil || len(entries) != 1 {
			t.Errorf("feed reads audited = %d, %v", len(entries), err)
		}
	})
}
