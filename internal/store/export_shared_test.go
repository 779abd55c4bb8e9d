package store_test

import (
	"slices"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// Ensure an export to share outside the structure leaves out who did
// what and free text, writes small counts of people "< 5" and hides the
// complement that would give one back, on both engines.
func TestExportShared(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		db.Clock.Set(time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC))
		st := storetest.MustCreateStructure(t, db, "Médiation Est")
		admin, coord, med := storetest.Actor(st.Admin), storetest.Actor(st.Coordinator), storetest.Actor(st.Mediator)

		small := intervention(med, "2026-03-02", "10:00", "personne")
		small.Anonymous = []maillon.AnonymousCount{{AgeBand: "26_44", Gender: "femme", Count: 3}}
		small.Commanditaire, small.Institutions, small.Description = "Ville de Vénissieux", "CAF du Rhône", "Madame Martin"
		first := mustIntervention(t, db, med, small)
		large := intervention(med, "2026-03-03", "10:00", "personne")
		large.Anonymous = []maillon.AnonymousCount{{AgeBand: "16_25", Gender: "homme", Count: 7}}
		mustIntervention(t, db, med, large)

		z := tourneeTerritory(t, db, st, "69259", "Parilly")
		tr := mustTournee(t, db, med, tourneeAt(z, "2026-03-10", "09:30", "11:30", st.Mediator.ID))
		if _, err := db.AddToTourneeCounters(ctx, med, tr.ID, []maillon.TourneeCount{{Code: "contacts", Count: 2},
			{Code: maillon.TourneeTallyAge("16_25"), Count: 3}, {Code: maillon.TourneeTallyAge("26_44"), Count: 8},
			{Code: maillon.TourneeTallyGender("femme"), Count: 11}}); err != nil {
			t.Fatal(err)
		}

		// Two sessions of a collective action: 3 and 9 people counted
		// without a name, then 2.
		a := mustActivite(t, db, med)
		if err := db.AddObjective(ctx, med, a.ID, maillon.ObjectiveInput{Label: "Réunir des parents",
			Indicator: maillon.IndicatorPresences, Target: "10"}); err != nil {
			t.Fatal(err)
		}
		for _, status := range []string{maillon.ActivitePreparation, maillon.ActiviteValidee} {
			if err := db.SetActiviteStatus(ctx, coord, a.ID, maillon.ActiviteStatusInput{Status: status}); err != nil {
				t.Fatal(err)
			}
		}
		series := seanceInput("2026-03-17")
		series.Recurrence, series.Count, series.Capacity = "hebdo", "2", "20"
		seances, err := db.CreateSeances(ctx, med, a.ID, series)
		if err != nil {
			t.Fatal(err)
		}
		db.Clock.Set(time.Date(2026, 3, 25, 18, 0, 0, 0, maillon.Paris))
		if err := db.SetActiviteStatus(ctx, med, a.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteEnCours}); err != nil {
			t.Fatal(err)
		}
		for i, tallies := range [][]maillon.TallyInput{
			{{AgeBand: "26_44", Gender: "femme", Newcomer: "nouveau", Count: "3"}, {AgeBand: "45_64", Gender: "homme", Newcomer: "habitue", Count: "9"}},
			{{AgeBand: "16_25", Gender: "femme", Newcomer: "nouveau", Count: "2"}},
		} {
			if err := db.SaveAttendance(ctx, med, a.ID, seances[i], maillon.AttendanceInput{Tallies: tallies}); err != nil {
				t.Fatal(err)
			}
		}

		o := exportOptions(t, st.ID, maillon.ExportAll, false)
		o.Shared = true
		var got exportRows
		if err := db.Export(ctx, coord, o, &got); err != nil {
			t.Fatal(err)
		}
		for _, tb := range maillon.ExportTables {
			var want []string
			for _, c := range tb.SharedColumns() {
				want = append(want, c.Name)
			}
			if !slices.Equal(got.cols[tb.Kind], want) {
				t.Errorf("%s: columns %v, want %v", tb.Kind, got.cols[tb.Kind], want)
			}
		}
		for _, name := range []string{"mediateurs", "commanditaire", "institutions", "personnes", "description"} {
			if slices.Contains(got.cols["interventions"], name) {
				t.Errorf("shared interventions keep %s", name)
			}
		}
		if len(got.rows["interventions"]) != 2 || got.value(t, "interventions", 0, "intervention_id") != int64(first.ID) {
			t.Fatalf("interventions = %v", got.rows["interventions"])
		}
		for _, c := range []struct {
			row  int
			name string
			want any
		}{
			{0, "nb_personnes_anonymes", "< 5"}, {0, "nb_personnes_identifiees", int64(0)}, {0, "duree_minutes", int64(30)},
			{1, "nb_personnes_anonymes", int64(7)},
		} {
			if v := got.value(t, "interventions", c.row, c.name); v != c.want {
				t.Errorf("interventions row %d %s = %#v, want %#v", c.row, c.name, v, c.want)
			}
		}
		for _, row := range got.rows["interventions"] {
			for _, v := range row {
				if s, ok := v.(string); ok && (s == "Ville de Vénissieux" || s == "CAF du Rhône" || s == st.Mediator.DisplayName) {
					t.Errorf("shared row holds %q", s)
				}
			}
		}
		// The tournée: 3 and 8 by age, 11 women. The 3 is small, and the
		// 8 would give it back from the total (the 11 women): secret.
		// Acts (contacts) are not people.
		if slices.Contains(got.cols["tournees"], "membres") {
			t.Error("shared tournées name their members")
		}
		for name, want := range map[string]any{"age_16_25": "< 5", "age_26_44": "secret", "age_45_64": int64(0),
			"genre_femme": int64(11), "genre_homme": int64(0), "contacts": int64(2)} {
			if v := got.value(t, "tournees", 0, name); v != want {
				t.Errorf("tournée %s = %#v, want %#v", name, v, want)
			}
		}

		// Séances: 12 then 2 present; their groups: the 3 would be 12 − 9,
		// so the 9 goes too; the last group (the sink's flush) is small.
		if slices.Contains(got.cols["seances"], "lieu") || slices.Contains(got.cols["seances"], "action") {
			t.Error("shared séances keep their free text")
		}
		var cells []any
		for i := range got.rows["seances"] {
			cells = append(cells, got.value(t, "seances", i, "presents"), got.value(t, "seances", i, "presents_anonymes"))
		}
		for i := range got.rows["participants_anonymes"] {
			cells = append(cells, got.value(t, "participants_anonymes", i, "nombre"))
		}
		if want := []any{int64(12), int64(12), "< 5", "< 5", "< 5", "secret", "< 5"}; !slices.Equal(cells, want) {
			t.Errorf("séances and their groups = %#v, want %#v", cells, want)
		}

		// The audit says it was the shared variant.
		entries, _, err := db.FindAuditEntries(ctx, admin, maillon.AuditFilter{Action: maillon.AuditExport})
		if err != nil || len(entries) != 1 || !slices.Contains(entries[0].Fields, "diffusion") {
			t.Fatalf("audit = %+v, %v", entries, err)
		}

		// Never with names, even when a caller skips Validate.
		o.Nominative = true
		err = db.Export(ctx, coord, o, &exportRows{})
		wantErrKind(t, "shared and nominative", err, maillon.ErrInvalid)
		if _, err := db.CountExport(ctx, coord, o); err == nil {
			t.Error("CountExport of a shared nominative export")
		}
		// A mediator may share their own facts.
		o.Nominative = false
		if err := db.Export(ctx, med, o, &exportRows{}); err != nil {
			t.Errorf("mediator's shared export: %v", err)
		}
	})
}
