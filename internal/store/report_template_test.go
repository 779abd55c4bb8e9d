package store_test

import (
	"errors"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

func TestReportTemplates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		admin, coord := storetest.Actor(st.Admin), storetest.Actor(st.Coordinator)

		if _, err := db.CreateReportTemplate(ctx, coord, "annuel"); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("a coordinator creates a template: %v", err)
		}
		if _, err := db.CreateReportTemplate(ctx, admin, "nope"); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("unknown example: %v", err)
		}
		rt, err := db.CreateReportTemplate(ctx, admin, "bailleur")
		if err != nil {
			t.Fatal(err)
		}
		ex, _ := maillon.TemplateExample("bailleur")
		if rt.Title != "Bilan bailleur (copie)" || len(rt.Sections) != len(ex.Sections) || !rt.External {
			t.Errorf("copy = %+v", rt)
		}

		// Edit: order by rank, a heading and a text; bad ranks refused.
		in := maillon.ReportTemplateInput{Title: "Bilan pour Est Habitat", Intro: "Année 2026.",
			Order:    map[string]string{"veille.technique": "2", "mediations.type": "1", "tournees.nombre": ""},
			Headings: map[string]string{"mediations.type": "Conflits traités"},
			Texts:    map[string]string{"veille.technique": "Signalements transmis au bailleur."}}
		if err := db.UpdateReportTemplate(ctx, coord, rt.ID, in); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("a coordinator edits: %v", err)
		}
		bad := in
		bad.Order = map[string]string{"mediations.type": "zéro"}
		if err := db.UpdateReportTemplate(ctx, admin, rt.ID, bad); maillon.FieldsOf(err)[maillon.TemplateField("order", "mediations.type")] == "" {
			t.Errorf("bad rank: %v", err)
		}
		if err := db.UpdateReportTemplate(ctx, admin, rt.ID, in); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindReportTemplate(ctx, coord, rt.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ids := got.IndicatorIDs(); len(ids) != 2 || ids[0] != "mediations.type" || ids[1] != "veille.technique" ||
			got.Sections[0].Heading != "Conflits traités" || got.Sections[1].Text != "Signalements transmis au bailleur." || got.Title != "Bilan pour Est Habitat" {
			t.Errorf("saved = %+v", got)
		}
		list, err := db.FindReportTemplates(ctx, storetest.Actor(st.Mediator))
		if err != nil || len(list) != 1 {
			t.Errorf("list = %v, %v", list, err)
		}

		// Another structure neither sees nor changes it.
		oa := storetest.Actor(other.Admin)
		if _, err := db.FindReportTemplate(ctx, oa, rt.ID); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("other structure reads: %v", err)
		}
		if err := db.DeleteReportTemplate(ctx, oa, rt.ID); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("other structure deletes: %v", err)
		}
		if list, _ := db.FindReportTemplates(ctx, oa); len(list) != 0 {
			t.Errorf("other structure lists %d", len(list))
		}
		if err := db.DeleteReportTemplate(ctx, admin, rt.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindReportTemplate(ctx, admin, rt.ID); !errors.Is(err, maillon.ErrNotFound) {
			t.Errorf("deleted template read: %v", err)
		}
		for _, action := range []maillon.AuditAction{maillon.AuditReportTemplateCreate, maillon.AuditReportTemplateUpdate, maillon.AuditReportTemplateDelete} {
			if got := auditEntries(t, db, admin, maillon.AuditFilter{Action: action}); len(got) != 1 {
				t.Errorf("%s: %d audit entries", action, len(got))
			}
		}
	})
}
