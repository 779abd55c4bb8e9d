package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// Ensure imported orientations read back through the services with their
// status, outcome and partner link, that later orientations continue their
// IDs, and that the import refuses what the status machine would not reach.
func TestImportOrientations(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		ctx := context.Background()
		op := maillon.OperatorActor()
		st := storetest.MustCreateStructure(t, db, "Médiation")
		people, _ := importFixture(t, db, st, 1)
		day := time.Date(2026, 2, 2, 10, 0, 0, 0, maillon.Paris)
		answered := maillon.ImportOrientation{Orientation: maillon.Orientation{StructureID: st.ID, PersonID: people[0].Person.ID,
			PartnerName: "CAF du Rhône", Reason: "Ouverture des droits", Mode: "mediation", SharedItems: []string{"identite"},
			Status: maillon.OrientationRefusee, ClosureReason: "autre", ClosureText: "Autre département",
			TransmittedAt: day.Add(time.Hour), OutcomeAt: day.AddDate(0, 0, 6), OutcomeSource: "partenaire_lien",
			ExpectedOn: time.Date(2026, 2, 16, 0, 0, 0, 0, maillon.Paris), CreatedBy: st.Mediator.ID, CreatedAt: day},
			Link: &maillon.PartnerLink{CreatedAt: day.Add(time.Hour), ExpiresAt: day.AddDate(0, 0, 30), UsedAt: day.AddDate(0, 0, 6),
				CreatedBy: st.Mediator.ID}}
		open := maillon.ImportOrientation{Orientation: maillon.Orientation{StructureID: st.ID, PartnerName: "CCAS", Reason: "Aide",
			Mode: "personne", Status: maillon.OrientationProposee, CreatedBy: st.Mediator.ID, CreatedAt: day.AddDate(0, 0, 1)}}
		list := []maillon.ImportOrientation{answered, open}

		wantErrKind(t, "import by an administrator", db.ImportOrientations(ctx, storetest.Actor(st.Admin), list), maillon.ErrForbidden)
		for name, tc := range map[string]struct {
			field string
			bad   func(o *maillon.ImportOrientation)
		}{
			"closed without a source":    {"source", func(o *maillon.ImportOrientation) { o.Orientation.OutcomeSource = "" }},
			"used link, other source":    {"link", func(o *maillon.ImportOrientation) { o.Orientation.OutcomeSource = "personne" }},
			"anonymous sharing identity": {"shared_items", func(o *maillon.ImportOrientation) { o.Orientation.PersonID = 0 }},
			"unknown refusal reason":     {"reason", func(o *maillon.ImportOrientation) { o.Orientation.ClosureReason = "caprice" }},
			"link of a proposed one": {"link", func(o *maillon.ImportOrientation) {
				o.Orientation.Status, o.Orientation.ClosureReason, o.Orientation.ClosureText = maillon.OrientationProposee, "", ""
				o.Orientation.OutcomeAt, o.Orientation.OutcomeSource, o.Orientation.TransmittedAt = time.Time{}, "", time.Time{}
				o.Link.UsedAt = time.Time{}
			}},
		} {
			o := answered
			l := *answered.Link
			o.Link = &l
			o.Orientation.SharedItems = []string{"identite"}
			tc.bad(&o)
			err := db.ImportOrientations(ctx, op, []maillon.ImportOrientation{o})
			if f := maillon.FieldsOf(err); !errors.Is(err, maillon.ErrInvalid) || f[tc.field] == "" {
				t.Errorf("%s: %v, want a message on %s", name, err, tc.field)
			}
		}
		if _, total, _ := db.FindOrientations(ctx, storetest.Actor(st.Admin), maillon.OrientationFilter{}); total != 0 {
			t.Fatalf("refused imports left %d orientations", total)
		}

		if err := db.ImportOrientations(ctx, op, list); err != nil {
			t.Fatal(err)
		}
		if list[0].Orientation.ID == 0 || list[1].Orientation.ID != list[0].Orientation.ID+1 {
			t.Errorf("IDs %d, %d", list[0].Orientation.ID, list[1].Orientation.ID)
		}
		o, err := db.FindOrientationByID(ctx, storetest.Actor(st.Coordinator), list[0].Orientation.ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != maillon.OrientationRefusee || o.ClosureLabel() != "Autre motif" || o.PersonName == "" ||
			o.Link == nil || o.Link.State(db.Clock.Now()) != maillon.LinkAnswered || !o.UpdatedAt.Equal(o.OutcomeAt) {
			t.Errorf("imported orientation: %+v, link %+v", o, o.Link)
		}
		stats, err := db.FindPartnerStats(ctx, storetest.Actor(st.Coordinator), 0)
		if err != nil || len(stats) != 2 || stats[0].Feedback+stats[1].Feedback != 1 {
			t.Errorf("figures: %+v, %v", stats, err)
		}
		// The services continue after the imported IDs.
		next := mustOrientation(t, db, storetest.Actor(st.Mediator), orientationInput(0, "Mission locale"))
		if next.ID <= list[1].Orientation.ID {
			t.Errorf("a new orientation got ID %d, after imported %d", next.ID, list[1].Orientation.ID)
		}
		entries, _, err := db.FindAuditEntries(ctx, storetest.Actor(st.Admin), maillon.AuditFilter{Action: maillon.AuditImport})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			found = found || e.RecordType == "orientation" && e.RecordID == 2
		}
		if !found {
			t.Errorf("no import audit row for the two orientations: %+v", entries)
		}
		if errors.Is(db.ImportOrientations(ctx, op, nil), maillon.ErrInvalid) {
			t.Error("an empty import is refused")
		}
	})
}
