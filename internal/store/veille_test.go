package store_test

import (
	"strings"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

func observationInput() maillon.VeilleObservationInput {
	return maillon.VeilleObservationInput{ObservedOn: "2026-03-09", Theme: "logement", Kind: "tension",
		Description: "Tensions répétées dans le hall du bâtiment C le soir, autour du point de deal.", Source: "terrain",
		Reliability: "a_confirmer"}
}

func techInput(partner string) maillon.TechReportInput {
	return maillon.TechReportInput{Category: "ascenseur", Location: "Bâtiment C, 12 avenue des Tilleuls",
		Description: "Ascenseur en panne depuis trois jours.", PartnerName: partner, PartnerKind: "bailleur", ReportedOn: "2026-03-01"}
}

func TestVeilleObservations(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		med, coord := storetest.Actor(st.Mediator), storetest.Actor(st.Coordinator)

		o, err := db.CreateObservation(ctx, med, observationInput())
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != "nouvelle" || o.Kind != "tension" || maillon.InParis(o.ObservedOn).Format("2006-01-02") != "2026-03-09" {
			t.Errorf("created %+v", o)
		}
		// The personal-data warning, then the confirmation.
		in := observationInput()
		in.Description = "Le fils de Mme Martin est harcelé, appeler le 06 12 34 56 78."
		_, err = db.CreateObservation(ctx, med, in)
		if !maillon.PersonalDataWarning(err) || !strings.Contains(maillon.FieldsOf(err)["description"], "téléphone") {
			t.Errorf("personal data not warned: %v", err)
		}
		in.Confirmed = true
		if _, err := db.CreateObservation(ctx, med, in); err != nil {
			t.Errorf("confirmed: %v", err)
		}
		// Zone of another structure.
		in = observationInput()
		in.ZoneID = 999999
		_, err = db.CreateObservation(ctx, med, in)
		if maillon.FieldsOf(err)["zone_id"] == "" {
			t.Errorf("foreign zone: %v", err)
		}

		// Mediators create, coordinators edit.
		up := observationInput()
		up.Status, up.FollowUp = "en_suivi", "Signalé au bailleur et à la police municipale."
		wantErrKind(t, "mediator update", db.UpdateObservation(ctx, med, o.ID, up), maillon.ErrForbidden)
		if err := db.UpdateObservation(ctx, coord, o.ID, up); err != nil {
			t.Fatal(err)
		}
		up.Status = "nouvelle"
		err = db.UpdateObservation(ctx, coord, o.ID, up)
		if !strings.Contains(maillon.FieldsOf(err)["status"], "redevenir") {
			t.Errorf("back to nouvelle: %v", err)
		}
		up.Status = "close"
		if err := db.UpdateObservation(ctx, coord, o.ID, up); err != nil {
			t.Fatal(err)
		}
		err = db.UpdateObservation(ctx, coord, o.ID, up)
		if !strings.Contains(maillon.FieldsOf(err)["status"], "close") {
			t.Errorf("closed edited: %v", err)
		}
		got, err := db.FindObservationByID(ctx, med, o.ID)
		if err != nil || got.Status != "close" || got.FollowUp == "" {
			t.Errorf("read back %+v, %v", got, err)
		}
		list, total, err := db.FindObservations(ctx, med, maillon.VeilleObservationFilter{Status: "close"})
		if err != nil || total != 1 || len(list) != 1 {
			t.Errorf("filter: %d %d %v", len(list), total, err)
		}
		// Isolation.
		oth := storetest.Actor(other.Admin)
		_, err = db.FindObservationByID(ctx, oth, o.ID)
		wantErrKind(t, "other structure read", err, maillon.ErrNotFound)
		wantErrKind(t, "other structure update", db.UpdateObservation(ctx, oth, o.ID, up), maillon.ErrNotFound)
		if _, n, _ := db.FindObservations(ctx, oth, maillon.VeilleObservationFilter{}); n != 0 {
			t.Errorf("other structure sees %d", n)
		}
		if e := auditEntries(t, db, storetest.Actor(st.Admin), maillon.AuditFilter{Action: maillon.AuditVeilleObservationUpdate}); len(e) != 2 {
			t.Errorf("%d update audit entries", len(e))
		}
	})
}

func TestVeilleRisks(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		med, coord := storetest.Actor(st.Mediator), storetest.Actor(st.Coordinator)
		in := maillon.RiskReportInput{SeenOn: "2026-03-10", Platform: "snapchat", Category: "cyberharcelement", Seriousness: "3",
			Public: "mineurs", Description: "Vidéo moqueuse d'une collégienne partagée dans un groupe de classe.", Actions: []string{"3018"}}
		r, err := db.CreateRiskReport(ctx, med, in)
		if err != nil {
			t.Fatal(err)
		}
		if !r.MinorsInvolved || !r.ToHandle() || r.Seriousness != 3 || len(r.Actions) != 1 {
			t.Errorf("created %+v", r)
		}
		bad := in
		bad.Seriousness, bad.Platform = "5", "myspace"
		_, err = db.CreateRiskReport(ctx, med, bad)
		if f := maillon.FieldsOf(err); f["seriousness"] == "" || f["platform"] == "" {
			t.Errorf("bad input: %v", err)
		}
		list, n, err := db.FindRiskReports(ctx, coord, maillon.RiskFilter{ToHandle: true})
		if err != nil || n != 1 || list[0].ID != r.ID {
			t.Errorf("to handle: %d %v", n, err)
		}
		wantErrKind(t, "mediator status", db.SetRiskReportStatus(ctx, med, r.ID, maillon.RiskStatusInput{Status: "en_cours"}), maillon.ErrForbidden)
		if err := db.SetRiskReportStatus(ctx, coord, r.ID, maillon.RiskStatusInput{Status: "en_cours", Actions: []string{"3018", "etablissement"}}); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := db.FindRiskReports(ctx, coord, maillon.RiskFilter{ToHandle: true}); n != 0 {
			t.Errorf("still to handle: %d", n)
		}
		err = db.SetRiskReportStatus(ctx, coord, r.ID, maillon.RiskStatusInput{Status: "signale"})
		if maillon.FieldsOf(err)["status"] == "" {
			t.Errorf("back to signalé: %v", err)
		}
		if err := db.SetRiskReportStatus(ctx, coord, r.ID, maillon.RiskStatusInput{Status: "clos", Actions: []string{"3018", "etablissement"}}); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindRiskReportByID(ctx, med, r.ID)
		if got.Status != "clos" || strings.Join(got.Actions, ",") != "3018,etablissement" {
			t.Errorf("read back %+v", got)
		}
	})
}

func TestVeilleTechDelays(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		med, coord := storetest.Actor(st.Mediator), storetest.Actor(st.Coordinator)
		a, err := db.CreateTechReport(ctx, med, techInput("Lyon Métropole Habitat"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := db.CreateTechReport(ctx, med, techInput("lyon metropole  habitat"))
		c, _ := db.CreateTechReport(ctx, med, techInput("Mairie de Vénissieux"))
		set := func(id maillon.TechReportID, status, on string) error {
			return db.SetTechReportStatus(ctx, coord, id, maillon.TechStatusInput{Status: status, On: on})
		}
		wantErrKind(t, "mediator status", db.SetTechReportStatus(ctx, med, a.ID, maillon.TechStatusInput{Status: "resolu"}), maillon.ErrForbidden)
		if err := set(a.ID, "pris_en_compte", "2026-03-03"); err != nil { // 2 days
			t.Fatal(err)
		}
		if err := set(a.ID, "resolu", "2026-03-09"); err != nil { // 8 days
			t.Fatal(err)
		}
		if err := set(b.ID, "pris_en_compte", "2026-03-05"); err != nil { // 4 days
			t.Fatal(err)
		}
		if err := set(b.ID, "pris_en_compte", "2026-03-06"); !strings.Contains(maillon.FieldsOf(err)["status"], "déjà") {
			t.Errorf("same status: %v", err)
		}
		if err := set(a.ID, "pris_en_compte", ""); !strings.Contains(maillon.FieldsOf(err)["status"], "résolu") {
			t.Errorf("after resolved: %v", err)
		}
		if err := set(c.ID, "resolu", "2026-02-20"); !strings.Contains(maillon.FieldsOf(err)["on"], "précéder") {
			t.Errorf("before report: %v", err)
		}
		if err := set(c.ID, "resolu", "2026-03-31"); !strings.Contains(maillon.FieldsOf(err)["on"], "futur") {
			t.Errorf("future: %v", err)
		}
		d, err := db.FindTechDelays(ctx, med, maillon.TechFilter{})
		if err != nil || len(d) != 2 {
			t.Fatalf("delays %+v, %v", d, err)
		}
		if d[0].Reports != 2 || d[0].Acknowledged != 2 || d[0].AckMedian != 3 || d[0].AckMean != 3 || d[0].Resolved != 1 || d[0].ResolveMedian != 8 {
			t.Errorf("bailleur delays %+v", d[0])
		}
		if d[1].Partner != "Mairie de Vénissieux" || d[1].AckMedian != -1 {
			t.Errorf("mairie delays %+v", d[1])
		}
		list, n, err := db.FindTechReports(ctx, med, maillon.TechFilter{Partner: "habitat", Status: "resolu"})
		if err != nil || n != 1 || list[0].ID != a.ID || list[0].DaysToResolve() != 8 {
			t.Errorf("filtered list %d %v", n, err)
		}
	})
}

func TestVeilleRemontees(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		med, coord := storetest.Actor(st.Mediator), storetest.Actor(st.Coordinator)
		types, err := db.FindProcedureTypes(ctx, med, true)
		if err != nil {
			t.Fatal(err)
		}
		var rsa maillon.ProcedureTypeID
		for _, pt := range types {
			if pt.Label == "Demande de RSA" {
				rsa = pt.ID
			}
		}
		add := func(actor maillon.Actor, day string, procs ...maillon.ProcedureInput) {
			p := mustCreatePerson(t, db, actor, newPerson("Awa", "Remontée"))
			in := intervention(actor, day, "10:00", "personne", p.ID)
			for i := range procs {
				procs[i].PersonID = p.ID
			}
			in.Procedures = procs
			mustIntervention(t, db, actor, in)
		}
		proc := func(org string, tid maillon.ProcedureTypeID, label string, obstacles ...string) maillon.ProcedureInput {
			return maillon.ProcedureInput{Organisme: org, TypeID: tid, Label: label, Channel: "en_ligne", Mode: "faire_avec",
				Obstacles: obstacles, Outcome: "attente"}
		}
		for i := 0; i < 6; i++ {
			add(med, "2026-03-02", proc("caf", rsa, "", "identification", "connexion"))
		}
		add(med, "2026-03-03", proc("caf", 0, "Dossier de M. Dupont", "formulaire"))
		add(med, "2025-01-03", proc("caf", rsa, "", "identification")) // out of the period
		add(storetest.Actor(other.Mediator), "2026-03-02", proc("caf", 0, "Ailleurs", "identification"))

		rem, err := db.FindRemontee(ctx, med, maillon.RemonteeFilter{From: "2026-03-01", To: "2026-03-31"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, r := range rem.Rows {
			got[r.Organisme+"/"+r.Procedure+"/"+r.Obstacle] = r.Count
		}
		want := map[string]int{"caf/Demande de RSA/identification": 6, "caf/Demande de RSA/connexion": 6, "caf//formulaire": 1}
		if rem.Procedures != 7 || len(got) != len(want) {
			t.Errorf("remontée %d procedures, rows %v", rem.Procedures, got)
		}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%s = %d, want %d", k, got[k], n)
			}
		}
		_, err = db.FindRemontee(ctx, med, maillon.RemonteeFilter{From: "2026-03-31", To: "2026-03-01"})
		if maillon.FieldsOf(err)["to"] == "" {
			t.Errorf("reversed period: %v", err)
		}

		in := maillon.RemonteeReportInput{RemonteeFilter: maillon.RemonteeFilter{From: "2026-03-01", To: "2026-03-31", Organisme: "caf"},
			Comment: "L'identification FranceConnect bloque la moitié des demandes de RSA."}
		_, err = db.CreateRemonteeReport(ctx, med, in)
		wantErrKind(t, "mediator report", err, maillon.ErrForbidden)
		r, err := db.CreateRemonteeReport(ctx, coord, in)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := db.FindRemonteeReportByID(ctx, med, r.ID)
		if err != nil || r2.Comment != in.Comment || r2.Organisme != "caf" || len(r2.Rows) != 3 || r2.CreatedByName == "" {
			t.Errorf("report %+v, %v", r2, err)
		}
		_, err = db.FindRemonteeReportByID(ctx, storetest.Actor(other.Admin), r.ID)
		wantErrKind(t, "other structure report", err, maillon.ErrNotFound)
		if list, err := db.FindRemonteeReports(ctx, med); err != nil || len(list) != 1 {
			t.Errorf("reports %d, %v", len(list), err)
		}
	})
}

// A technical report can name its partner from the structure's own
// directory: the entry's name fills the partner when none is typed, and
// the delays group by it like a typed name.
func TestVeilleTechDirectoryPartner(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		med, coord := storetest.Actor(st.Mediator), storetest.Actor(st.Coordinator)
		mustImportDirectory(t, db, coord, dirFixture)
		mustImportDirectory(t, db, storetest.Actor(other.Coordinator), dirFixture)
		list, _, err := db.FindDirectoryStructures(ctx, med, "tilleuls", 0, 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("directory: %v %v", list, err)
		}
		in := techInput("")
		in.DirectoryStructureID = list[0].ID
		r, err := db.CreateTechReport(ctx, med, in)
		if err != nil {
			t.Fatal(err)
		}
		if r.PartnerName != "Centre social Les Tilleuls" || r.DirectoryStructureID != list[0].ID {
			t.Errorf("partner %q, directory entry %d; want the entry's name and ID %d", r.PartnerName, r.DirectoryStructureID, list[0].ID)
		}
		// A typed name wins over the entry's.
		in.PartnerName = "CS Tilleuls"
		if r, err := db.CreateTechReport(ctx, med, in); err != nil || r.PartnerName != "CS Tilleuls" {
			t.Errorf("typed name: %+v %v", r, err)
		}
		// Another structure's entry is refused on its field.
		theirs, _, err := db.FindDirectoryStructures(ctx, storetest.Actor(other.Mediator), "tilleuls", 0, 10)
		if err != nil || len(theirs) != 1 {
			t.Fatal(theirs, err)
		}
		in.DirectoryStructureID = theirs[0].ID
		_, err = db.CreateTechReport(ctx, med, in)
		if wantErrKind(t, "other structure's entry", err, maillon.ErrInvalid); maillon.FieldsOf(err)["directory_structure_id"] == "" {
			t.Errorf("no message on the directory field: %v", maillon.FieldsOf(err))
		}
		// Without an entry, the name is required.
		_, err = db.CreateTechReport(ctx, med, techInput(""))
		if wantErrKind(t, "no partner", err, maillon.ErrInvalid); maillon.FieldsOf(err)["partner_name"] == "" {
			t.Errorf("no message on the partner: %v", maillon.FieldsOf(err))
		}
	})
}
