package store_test

import (
	"errors"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// reportFixture records, in March 2026 and around it, activity whose
// figures the tests know by heart.
type reportFixture struct {
	st, other  *storetest.Structure
	med2       *maillon.User
	outsideIvs int // interventions of March outside office hours, as computed on creation
}

func newReportFixture(t *testing.T, db *storetest.DB) *reportFixture {
	t.Helper()
	fx := &reportFixture{st: storetest.MustCreateStructure(t, db, "Médiation Nord"),
		other: storetest.MustCreateStructure(t, db, "Médiation Sud")}
	st := fx.st
	fx.med2 = storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)
	med, med2 := storetest.Actor(st.Mediator), storetest.Actor(fx.med2)
	a := mustCreatePerson(t, db, med, newPerson("Awa", "Diallo"))
	b := mustCreatePerson(t, db, med, newPerson("Bruno", "Martin"))

	// February: Awa is met once, before the period.
	mustIntervention(t, db, med, intervention(med, "2026-02-20", "10:00", "personne", a.ID))

	// March: three interventions of the structure.
	in := intervention(med, "2026-03-02", "10:00", "personne", a.ID, b.ID)
	in.Registre, in.PlaceType, in.Minutes = "acces_droits", "domicile", "60"
	in.Themes = []string{"logement", "sante"}
	in.Anonymous = []maillon.AnonymousCount{{AgeBand: "26_44", Gender: "femme", Count: 3}}
	in.Procedures = []maillon.ProcedureInput{{PersonID: b.ID, Organisme: "caf", Label: "Aide au logement", Channel: "en_ligne",
		Mode: "faire_avec", Obstacles: []string{"connexion", "email"}, Outcome: "realisee"}}
	iv2 := mustIntervention(t, db, med, in)

	in = intervention(med, "2026-03-07", "20:30", "mediation")
	in.Registre, in.PlaceType, in.Minutes = "conflit", "espace_public", "45"
	in.Mediators = []maillon.UserID{st.Mediator.ID, st.Coordinator.ID}
	in.Themes = []string{"voisinage"}
	iv3 := mustIntervention(t, db, med, in)

	in = intervention(med2, "2026-03-09", "14:00", "personne")
	in.Commanditaire = "Bailleur Est Habitat"
	in.Themes = []string{"logement"}
	iv4 := mustIntervention(t, db, med2, in)
	for _, iv := range []*maillon.Intervention{iv2, iv3, iv4} {
		if iv.OutsideHours {
			fx.outsideIvs++
		}
	}

	// Another structure's intervention in March counts only for it.
	om := storetest.Actor(fx.other.Mediator)
	mustIntervention(t, db, om, intervention(om, "2026-03-03", "10:00", "personne"))
	return fx
}

func march() maillon.Period { return maillon.MonthPeriod(storetest.Start) }

func mustReport(t *testing.T, db *storetest.DB, actor maillon.Actor, f maillon.ReportFilter) *maillon.Report {
	t.Helper()
	r, err := db.ActivityReport(ctx, actor, f)
	if err != nil {
		t.Fatalf("ActivityReport(%+v): %v", f, err)
	}
	return r
}

// figure reads one value, failing when it is absent.
func figure(t *testing.T, r *maillon.Report, id, key string) float64 {
	t.Helper()
	v, ok := r.Value(id, key)
	if !ok {
		t.Fatalf("no figure %s/%s", id, key)
	}
	return v
}

func TestActivityReportFigures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newReportFixture(t, db)
		coord := storetest.Actor(fx.st.Coordinator)
		r := mustReport(t, db, coord, maillon.ReportFilter{Period: march()})
		if r.Scope != "toute la structure" || len(r.Tables) != len(maillon.Indicators()) {
			t.Fatalf("scope %q, %d tables", r.Scope, len(r.Tables))
		}
		want := []struct {
			id, key string
			v       float64
		}{
			{"interventions.nombre", "", 3},
			{"interventions.registre", "", 3},
			{"interventions.registre", "accueil", 1},
			{"interventions.registre", "acces_droits", 1},
			{"interventions.registre", "conflit", 1},
			{"interventions.registre", "suivi", 0},
			{"interventions.lieu", "permanence", 1},
			{"interventions.lieu", "domicile", 1},
			{"interventions.lieu", "espace_public", 1},
			{"interventions.thematique", "logement", 2},
			{"interventions.thematique", "sante", 1},
			{"interventions.thematique", "voisinage", 1},
			{"interventions.mois", "2026-03", 3},
			{"temps.registre", "", 30 + 60 + 45},
			{"temps.registre", "conflit", 45},
			{"interventions.binome", "", 100.0 / 3},
			{"interventions.hors_horaires", "", 100 * float64(fx.outsideIvs) / 3},
			// Awa was met in February: known; Bruno is new.
			{"personnes.identifiees", "nouvelles", 1},
			{"personnes.identifiees", "connues", 1},
			{"personnes.identifiees", "", 2},
			{"personnes.anonymes", "26_44", 3},
			{"personnes.anonymes", "", 3},
			{"demarches.organisme", "caf", 1},
			{"demarches.organisme", "", 1},
			{"demarches.mode", "faire_avec", 1},
			{"demarches.issue", "realisee", 1},
			{"demarches.obstacle", "connexion", 1},
			{"demarches.obstacle", "email", 1},
			{"demarches.obstacle", "langue", 0},
			{"tournees.nombre", "", 0},
			{"mediations.type", "", 0},
			{"orientations.statut", "", 0},
			{"annuaire.fraicheur", "", 0},
		}
		for _, w := range want {
			if got := figure(t, r, w.id, w.key); got != w.v {
				t.Errorf("%s/%s = %v, want %v", w.id, w.key, got, w.v)
			}
		}
		if got := r.Table("interventions.binome").Rows[0]; got.Count != 1 || got.Of != 3 || got.Text != "33,3 % (1 sur 3)" {
			t.Errorf("binôme row = %+v", got)
		}
		if got := r.Table("temps.registre").Total.Text; got != "2 h 15" {
			t.Errorf("time total written %q", got)
		}

		// February alone: Awa is new then.
		feb := mustReport(t, db, coord, maillon.ReportFilter{Period: march().Previous(),
			Indicators: []string{"interventions.nombre", "personnes.identifiees"}})
		if len(feb.Tables) != 2 || figure(t, feb, "interventions.nombre", "") != 1 || figure(t, feb, "personnes.identifiees", "nouvelles") != 1 {
			t.Errorf("February: %+v", feb.Tables)
		}

		// The other structure sees its own intervention only.
		o := mustReport(t, db, storetest.Actor(fx.other.Admin), maillon.ReportFilter{Period: march()})
		if got := figure(t, o, "interventions.nombre", ""); got != 1 {
			t.Errorf("other structure counts %v interventions", got)
		}
	})
}

func TestActivityReportFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newReportFixture(t, db)
		coord := storetest.Actor(fx.st.Coordinator)
		count := func(f maillon.ReportFilter) float64 {
			t.Helper()
			f.Period = march()
			f.Indicators = []string{"interventions.nombre", "tournees.nombre"}
			r := mustReport(t, db, coord, f)
			return figure(t, r, "interventions.nombre", "")
		}
		for _, c := range []struct {
			name string
			f    maillon.ReportFilter
			want float64
		}{
			{"commanditaire", maillon.ReportFilter{Commanditaire: "Bailleur Est Habitat"}, 1},
			{"theme", maillon.ReportFilter{Theme: "logement"}, 2},
			{"registre", maillon.ReportFilter{Registre: "conflit"}, 1},
			{"mediator, binôme included", maillon.ReportFilter{MediatorID: fx.st.Coordinator.ID}, 1},
			{"mediator", maillon.ReportFilter{MediatorID: fx.st.Mediator.ID}, 2},
			{"qpv", maillon.ReportFilter{QPVOnly: true}, 0},
		} {
			if got := count(c.f); got != c.want {
				t.Errorf("%s: %v interventions, want %v", c.name, got, c.want)
			}
		}
		// A filter a source cannot apply is named on its table.
		r := mustReport(t, db, coord, maillon.ReportFilter{Period: march(), Theme: "logement",
			Indicators: []string{"interventions.nombre", "tournees.nombre"}})
		if len(r.Tables[0].NotApplied) != 0 || len(r.Tables[1].NotApplied) != 1 || r.Tables[1].NotApplied[0] != "Thématique" {
			t.Errorf("not applied: %v / %v", r.Tables[0].NotApplied, r.Tables[1].NotApplied)
		}
		names, err := db.Commanditaires(ctx, coord)
		if err != nil || len(names) != 1 || names[0] != "Bailleur Est Habitat" {
			t.Errorf("Commanditaires = %v, %v", names, err)
		}
		if _, err := db.ActivityReport(ctx, coord, maillon.ReportFilter{Period: march(), Indicators: []string{"nope"}}); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("unknown indicator: %v", err)
		}
		if _, err := db.ActivityReport(ctx, coord, maillon.ReportFilter{}); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("no period: %v", err)
		}
		// Another structure's team is not a team of the structure.
		if _, err := db.ActivityReport(ctx, coord, maillon.ReportFilter{Period: march(), MediatorID: fx.other.Mediator.ID}); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("other structure's mediator: %v", err)
		}
	})
}

func TestActivityReportRights(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newReportFixture(t, db)
		med := storetest.Actor(fx.st.Mediator)
		only := []string{"interventions.nombre"}
		// A mediator without a team sees their own figures.
		r := mustReport(t, db, med, maillon.ReportFilter{Period: march(), Indicators: only})
		if got := figure(t, r, "interventions.nombre", ""); got != 2 || r.Scope != fx.st.Mediator.DisplayName {
			t.Errorf("mediator's own report: %v interventions, scope %q", got, r.Scope)
		}
		if _, err := db.ActivityReport(ctx, med, maillon.ReportFilter{Period: march(), MediatorID: fx.med2.ID}); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("another mediator's figures: %v", err)
		}
		// In a team, the team's figures.
		admin := storetest.Actor(fx.st.Admin)
		team, err := db.CreateTeam(ctx, admin, maillon.TeamInput{Name: "Équipe Nord"})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []*maillon.User{fx.st.Mediator, fx.med2} {
			if err := db.UpdateUser(ctx, admin, u.ID, maillon.UserUpdate{TeamID: &team.ID}); err != nil {
				t.Fatal(err)
			}
		}
		med.TeamID = team.ID
		r = mustReport(t, db, med, maillon.ReportFilter{Period: march(), Indicators: only})
		if got := figure(t, r, "interventions.nombre", ""); got != 3 || r.Scope != "équipe Équipe Nord" {
			t.Errorf("team report: %v interventions, scope %q", got, r.Scope)
		}
		r = mustReport(t, db, med, maillon.ReportFilter{Period: march(), MediatorID: fx.med2.ID, Indicators: only})
		if got := figure(t, r, "interventions.nombre", ""); got != 1 {
			t.Errorf("a team member's report: %v", got)
		}
		other, err := db.CreateTeam(ctx, admin, maillon.TeamInput{Name: "Équipe Sud"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActivityReport(ctx, med, maillon.ReportFilter{Period: march(), TeamID: other.ID}); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("another team's figures: %v", err)
		}
		if _, err := db.ActivityReport(ctx, maillon.Actor{}, maillon.ReportFilter{Period: march()}); !errors.Is(err, maillon.ErrUnauthenticated) {
			t.Errorf("anonymous: %v", err)
		}
	})
}

// A report shared outside the structure shows small counts of people as
// "< 5", and hides what would give them away.
func TestActivityReportExternal(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fx := newReportFixture(t, db)
		r := mustReport(t, db, storetest.Actor(fx.st.Admin), maillon.ReportFilter{Period: march(), External: true})
		tab := r.Table("personnes.identifiees")
		if !tab.Rows[0].Hidden || tab.Rows[0].Text != "< 5" || tab.Total.Text != "< 5" {
			t.Errorf("identified people shown: %+v total %+v", tab.Rows, tab.Total)
		}
		if got := r.Table("interventions.nombre").Rows[0].Text; got != "3" {
			t.Errorf("counts of interventions are not people: %q", got)
		}
	})
}

// Orientations and mediations: figures known by construction, with the
// clock moved to give the delays.
func TestActivityReportOrientationsAndMediations(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		med := storetest.Actor(st.Mediator)
		p := sharingPerson(t, db, med, "Awa", "Diallo")
		o1 := mustOrientation(t, db, med, orientationInput(p.ID, "CAF du Rhône", "identite"))
		mustOrientation(t, db, med, orientationInput(p.ID, "CPAM", "identite"))
		if err := db.SetOrientationStatus(ctx, med, o1.ID, maillon.OrientationStatusInput{Status: "transmise"}); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(48 * time.Hour)
		if err := db.SetOrientationStatus(ctx, med, o1.ID, maillon.OrientationStatusInput{Status: "prise_en_charge", Source: "personne"}); err != nil {
			t.Fatal(err)
		}
		mustMediation(t, db, med, conflictInput(p.ID))

		r := mustReport(t, db, storetest.Actor(st.Coordinator), maillon.ReportFilter{Period: march()})
		for _, w := range []struct {
			id, key string
			v       float64
		}{
			{"orientations.statut", "proposee", 1},
			{"orientations.statut", "prise_en_charge", 1},
			{"orientations.statut", "", 2},
			{"orientations.retour", "", 50},
			{"orientations.delai", "", 2},
			{"orientations.en_attente", "a_venir", 1},
			{"orientations.en_attente", "depasse", 0},
			{"mediations.type", "conflit", 1},
			{"mediations.ouvertes", "moins_1m", 1},
			{"mediations.issue", "", 0},
		} {
			if got := figure(t, r, w.id, w.key); got != w.v {
				t.Errorf("%s/%s = %v, want %v", w.id, w.key, got, w.v)
			}
		}
		if got := r.Table("orientations.delai").Rows[0].Text; got != "2,0 j" {
			t.Errorf("delay written %q", got)
		}
		// Past the expected date (24 March), the proposal is late.
		db.Clock.Set(time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC))
		r = mustReport(t, db, storetest.Actor(st.Coordinator), maillon.ReportFilter{Period: march(), Indicators: []string{"orientations.en_attente"}})
		if got := figure(t, r, "orientations.en_attente", "depasse"); got != 1 {
			t.Errorf("late orientations: %v", got)
		}
		// Another mediator without a team sees none of it.
		other := storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur))
		r = mustReport(t, db, other, maillon.ReportFilter{Period: march(), Indicators: []string{"orientations.statut", "mediations.type"}})
		if figure(t, r, "orientations.statut", "") != 0 || figure(t, r, "mediations.type", "") != 0 {
			t.Errorf("another mediator's report counts the first one's records")
		}
	})
}

// Tournées and technical reports: figures known by construction.
func TestActivityReportTourneesAndVeille(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		med := storetest.Actor(st.Mediator)
		z := tourneeTerritory(t, db, st, "69123", "Les Buers")
		tr := mustTournee(t, db, med, tourneeAt(z, "2026-03-10", "09:00", "", st.Mediator.ID, st.Coordinator.ID))
		if _, err := db.AddToTourneeCounter(ctx, med, tr.ID, "contacts", 7); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddToTourneeCounter(ctx, med, tr.ID, "informations", 3); err != nil {
			t.Fatal(err)
		}
		if err := db.EndTournee(ctx, med, tr.ID, maillon.TourneeEndInput{Date: "2026-03-10", Time: "10:30"}); err != nil {
			t.Fatal(err)
		}
		tech, err := db.CreateTechReport(ctx, med, techInput("Est Habitat"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateTechReport(ctx, med, techInput("Est Habitat")); err != nil {
			t.Fatal(err)
		}
		if err := db.SetTechReportStatus(ctx, storetest.Actor(st.Coordinator), tech.ID, maillon.TechStatusInput{Status: "resolu", On: "2026-03-05"}); err != nil {
			t.Fatal(err)
		}
		r := mustReport(t, db, storetest.Actor(st.Coordinator), maillon.ReportFilter{Period: march()})
		for _, w := range []struct {
			id, key string
			v       float64
		}{
			{"tournees.nombre", "", 1},
			{"tournees.duree", "", 90},
			{"tournees.comptages", "contacts", 7},
			{"tournees.comptages", "informations", 3},
			{"veille.technique", "ascenseur", 2},
			{"veille.technique_resolus", "", 50},
			{"veille.technique_delai", "", 4},
		} {
			if got := figure(t, r, w.id, w.key); got != w.v {
				t.Errorf("%s/%s = %v, want %v", w.id, w.key, got, w.v)
			}
		}
		// The quartier filter keeps the tournée; another quartier does not.
		other := tourneeTerritory(t, db, st, "69259", "Minguettes")
		r = mustReport(t, db, storetest.Actor(st.Coordinator), maillon.ReportFilter{Period: march(), ZoneID: other.ID, Indicators: []string{"tournees.nombre"}})
		if got := figure(t, r, "tournees.nombre", ""); got != 0 {
			t.Errorf("tournées of another quartier: %v", got)
		}
	})
}
