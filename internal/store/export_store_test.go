package store_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/export"
	"maillon/internal/storetest"
)

// exportRows collects an export: the column names of each table and a
// copy of every row.
type exportRows struct {
	cols map[string][]string
	rows map[string][][]any
	kind string
}

func (e *exportRows) Begin(t *maillon.ExportTable, cols []maillon.ExportColumn) error {
	if e.cols == nil {
		e.cols, e.rows = map[string][]string{}, map[string][][]any{}
	}
	e.kind = t.Kind
	for _, c := range cols {
		e.cols[t.Kind] = append(e.cols[t.Kind], c.Name)
	}
	return nil
}

func (e *exportRows) Row(v []any) error {
	e.rows[e.kind] = append(e.rows[e.kind], slices.Clone(v))
	return nil
}

// value is the value of column name in row i of table kind.
func (e *exportRows) value(t *testing.T, kind string, i int, name string) any {
	t.Helper()
	c := slices.Index(e.cols[kind], name)
	if c < 0 {
		t.Fatalf("%s: no column %s in %v", kind, name, e.cols[kind])
	}
	return e.rows[kind][i][c]
}

func exportOptions(t *testing.T, sid maillon.StructureID, kind string, nominative bool) maillon.ExportOptions {
	t.Helper()
	format := "csv"
	if kind == maillon.ExportAll {
		format = "xlsx"
	}
	o, err := maillon.ExportInput{Kind: kind, From: "2026-03-01", To: "2026-04-01", Format: format, Nominative: nominative}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	o.StructureID = sid
	return o
}

func TestExport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		db.Clock.Set(time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC))
		st := storetest.MustCreateStructure(t, db, "Médiation Est")
		other := storetest.MustCreateStructure(t, db, "Médiation Ouest")
		admin, coord, med := storetest.Actor(st.Admin), storetest.Actor(st.Coordinator), storetest.Actor(st.Mediator)
		med2 := storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur))
		awa := sharingPerson(t, db, admin, "Awa", "Diallo")

		// 00:30 in Paris on 1 March is still February in UTC: the period
		// is in Paris days.
		in := intervention(med, "2026-03-01", "00:30", "personne", awa.ID)
		in.Themes, in.Registres, in.Description = []string{"logement", "budget"}, []string{"suivi"}, "=SOMME(A1) dossier CAF"
		in.Anonymous = []maillon.AnonymousCount{{AgeBand: "26_44", Gender: "femme", Count: 3}}
		in.Procedures = []maillon.ProcedureInput{{PersonID: awa.ID, Organisme: "caf", Label: "Prime d'activité", Channel: "en_ligne", Mode: "faire_avec",
			Outcome: "realisee", AutonomyLevel: "2", Obstacles: []string{"email", "connexion"}}}
		first := mustIntervention(t, db, med, in)
		mustIntervention(t, db, med2, intervention(med2, "2026-03-05", "14:00", "personne"))
		mustIntervention(t, db, med, intervention(med, "2026-02-28", "23:59", "personne")) // before the period
		mustIntervention(t, db, storetest.Actor(other.Mediator), intervention(storetest.Actor(other.Mediator), "2026-03-05", "10:00", "personne"))
		mustOrientation(t, db, med, orientationInput(awa.ID, "CAF de Lyon", "identite", "coordonnees"))
		db.Clock.Set(time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC))
		mustIntervention(t, db, med, intervention(med, "2026-04-01", "00:00", "personne")) // after the period

		var got exportRows
		if err := db.Export(ctx, coord, exportOptions(t, st.ID, maillon.ExportInterventions, false), &got); err != nil {
			t.Fatal(err)
		}
		table, _ := maillon.ExportTableOf(maillon.ExportInterventions)
		var want []string
		for _, c := range table.ColumnsFor(false) {
			want = append(want, c.Name)
		}
		if !slices.Equal(got.cols["interventions"], want) || slices.Contains(want, "description") || slices.Contains(want, "personnes") {
			t.Fatalf("columns = %v", got.cols["interventions"])
		}
		rows := got.rows["interventions"]
		if len(rows) != 2 {
			t.Fatalf("rows = %v, want the 2 interventions of March of the structure", rows)
		}
		if id := got.value(t, "interventions", 0, "intervention_id"); id != int64(first.ID) {
			t.Errorf("first row = %v, want %d (oldest first)", id, first.ID)
		}
		day := got.value(t, "interventions", 0, "date").(time.Time)
		checks := map[string]any{"thematiques": "budget|logement", "autres_registres": "suivi", "nb_personnes_identifiees": int64(1),
			"nb_personnes_anonymes": int64(3), "nb_demarches": int64(1), "duree_minutes": int64(30), "registre": "accueil",
			"mediateurs": st.Mediator.DisplayName, "relance_le": nil}
		for name, w := range checks {
			if v := got.value(t, "interventions", 0, name); v != w {
				t.Errorf("%s = %#v, want %#v", name, v, w)
			}
		}
		if day.Format("2006-01-02") != "2026-03-01" {
			t.Errorf("date = %v, want 2026-03-01 (Paris)", day)
		}

		n, err := db.CountExport(ctx, coord, exportOptions(t, st.ID, maillon.ExportAll, false))
		if err != nil || !slices.Equal(n, []int{2, 1, 0, 0, 1, 0, 0}) {
			t.Errorf("CountExport = %v, %v", n, err)
		}

		// Procedures: one row per procedure, obstacles as codes.
		got = exportRows{}
		if err := db.Export(ctx, coord, exportOptions(t, st.ID, maillon.ExportProcedures, false), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.rows["demarches"]) != 1 || got.value(t, "demarches", 0, "obstacles") != "connexion|email" ||
			got.value(t, "demarches", 0, "niveau_autonomie") != int64(2) || got.value(t, "demarches", 0, "personne_identifiee") != true {
			t.Errorf("procedures = %v", got.rows["demarches"])
		}

		// A mediator exports their own facts (no team here), not their
		// colleague's, and never nominative columns.
		got = exportRows{}
		if err := db.Export(ctx, med, exportOptions(t, st.ID, maillon.ExportInterventions, false), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.rows["interventions"]) != 1 {
			t.Errorf("mediator's rows = %v, want their own one", got.rows["interventions"])
		}
		err = db.Export(ctx, med, exportOptions(t, st.ID, maillon.ExportInterventions, true), &exportRows{})
		wantErrKind(t, "nominative export by a mediator", err, maillon.ErrForbidden)
		// Another structure's records cannot be asked for.
		err = db.Export(ctx, storetest.Actor(other.Admin), exportOptions(t, st.ID, maillon.ExportInterventions, false), &exportRows{})
		wantErrKind(t, "export of another structure", err, maillon.ErrForbidden)

		// Nominative: names and description, and the audit log says so
		// without the values.
		got = exportRows{}
		o := exportOptions(t, st.ID, maillon.ExportAll, true)
		if err := db.Export(ctx, coord, o, &got); err != nil {
			t.Fatal(err)
		}
		if v := got.value(t, "interventions", 0, "personnes"); v != "Awa Diallo" {
			t.Errorf("personnes = %v", v)
		}
		if v := got.value(t, "orientations", 0, "personne"); v != "Awa Diallo" {
			t.Errorf("orientation's personne = %v", v)
		}
		if v := got.value(t, "orientations", 0, "elements_partages"); v != "identite|coordonnees" {
			t.Errorf("elements_partages = %v", v)
		}
		entries, _, err := db.FindAuditEntries(ctx, admin, maillon.AuditFilter{Action: maillon.AuditExport})
		if err != nil || len(entries) != 4 {
			t.Fatalf("audit entries = %d, %v; want 4 exports", len(entries), err)
		}
		f := strings.Join(entries[0].Fields, ",")
		if f != "type=toutes,du=2026-03-01,au=2026-04-01,format=xlsx,nominatif" || strings.Contains(f, "Awa") {
			t.Errorf("audit fields = %q", f)
		}
	})
}

// headRows keeps the header and the first rows of each table, written by
// the CSV writer.
type headRows struct {
	w    *bytes.Buffer
	cur  export.Writer
	n    int
	opts maillon.ExportOptions
}

func (h *headRows) Begin(t *maillon.ExportTable, cols []maillon.ExportColumn) error {
	if h.cur != nil {
		if err := h.cur.Close(); err != nil {
			return err
		}
	}
	fmt.Fprintf(h.w, "\n# %s\n", t.Kind)
	var err error
	h.cur, err = export.New(h.w, h.opts)
	h.n = 0
	if err != nil {
		return err
	}
	return h.cur.Begin(t, cols)
}

func (h *headRows) Row(v []any) error {
	h.n++
	if h.n > 4 {
		return nil
	}
	return h.cur.Row(v)
}

// Ensure the columns and first rows of every table on the demo dataset
// stay as recorded in testdata/export.golden (export.race.golden for the
// thinner demo of a -race build), on both engines (refresh with go test
// ./internal/store -run ExportGolden -update, then again with -race).
func TestExportGolden(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		if _, err := demo.Load(ctx, db.Services(), demo.Options{Scale: demo.Small, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		op := maillon.OperatorActor()
		list, err := db.FindStructures(ctx, op)
		if err != nil || len(list) != 1 {
			t.Fatalf("structures = %v, %v", list, err)
		}
		o, err := maillon.ExportInput{Kind: maillon.ExportAll, From: "2025-01-01", To: "2027-01-01", Format: "xlsx"}.Validate()
		if err != nil {
			t.Fatal(err)
		}
		o.StructureID, o.Format, o.Separator = list[0].ID, "csv", ','
		counts, err := db.CountExport(ctx, op, o)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		fmt.Fprintf(&buf, "# rows per table: %v\n", counts)
		h := &headRows{w: &buf, opts: o}
		if err := db.Export(ctx, op, o, h); err != nil {
			t.Fatal(err)
		}
		if err := h.cur.Close(); err != nil {
			t.Fatal(err)
		}
		got := strings.ReplaceAll(strings.ReplaceAll(buf.String(), "\uFEFF", ""), "\r\n", "\n")
		golden := filepath.Join("testdata", demoGolden("export"))
		if *update && db.Engine == "sqlite" {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("export on the demo dataset differs from %s (go test -run ExportGolden -update):\n%s", golden, got)
		}
		exportAgreesWithLists(t, db, o, counts)
	})
}

// sumSink adds up the minutes and the interventions outside office hours
// of an export of interventions.
type sumSink struct {
	cols                   []string
	rows, minutes, outside int
}

func (s *sumSink) Begin(_ *maillon.ExportTable, cols []maillon.ExportColumn) error {
	for _, c := range cols {
		s.cols = append(s.cols, c.Name)
	}
	return nil
}

func (s *sumSink) Row(v []any) error {
	s.rows++
	s.minutes += int(v[slices.Index(s.cols, "duree_minutes")].(int64))
	if v[slices.Index(s.cols, "hors_horaires")].(bool) {
		s.outside++
	}
	return nil
}

// exportAgreesWithLists checks that the export counts what the lists and
// the activity summary count, for the coordinator (the whole structure)
// and for one mediator: figures must not disagree between screens.
func exportAgreesWithLists(t *testing.T, db *storetest.DB, o maillon.ExportOptions, counts []int) {
	t.Helper()
	u, err := db.FindUserByEmail(ctx, maillon.OperatorActor(), "coordination@demo.maillon.test")
	if err != nil {
		t.Fatal(err)
	}
	coord := storetest.Actor(u)
	f := maillon.InterventionFilter{From: o.From, To: o.To, Limit: 1}
	_, total, err := db.FindInterventions(ctx, coord, f)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := db.SummarizeInterventions(ctx, coord, f)
	if err != nil {
		t.Fatal(err)
	}
	iv := o
	iv.Tables = iv.Tables[:1]
	var s sumSink
	if err := db.Export(ctx, coord, iv, &s); err != nil {
		t.Fatal(err)
	}
	if counts[0] != total || s.rows != total || sum.Interventions != total || s.minutes != sum.Minutes || s.outside != sum.OutsideHours {
		t.Errorf("interventions: export counts %d rows (%d listed), %d min, %d outside hours; list %d, summary %+v",
			counts[0], s.rows, s.minutes, s.outside, total, sum)
	}
	med, err := db.FindUserByEmail(ctx, maillon.OperatorActor(), "mediation@demo.maillon.test")
	if err != nil {
		t.Fatal(err)
	}
	f.MediatorID, iv.MediatorID = med.ID, med.ID
	_, total, err = db.FindInterventions(ctx, coord, f)
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.CountExport(ctx, coord, iv)
	if err != nil || n[0] != total || total == 0 {
		t.Errorf("one mediator's interventions: export %v, list %d, %v", n, total, err)
	}
	// A mediator's export of mediations holds the cases their list shows
	// (theirs and their team's).
	mo := o
	mo.Tables = []*maillon.ExportTable{o.Tables[3]}
	n, err = db.CountExport(ctx, storetest.Actor(med), mo)
	_, visible, lerr := db.FindMediations(ctx, storetest.Actor(med), maillon.MediationFilter{Limit: 1})
	if err != nil || lerr != nil || n[0] != visible || visible == 0 || visible == counts[3] {
		t.Errorf("a mediator's mediations: export %v, list %d of %d, %v, %v", n, visible, counts[3], err, lerr)
	}
	_, tournees, err := db.FindTournees(ctx, coord, maillon.TourneeFilter{Limit: 1})
	if err != nil || tournees != counts[2] {
		t.Errorf("tournées: export %d, list %d, %v", counts[2], tournees, err)
	}
	_, mediations, err := db.FindMediations(ctx, coord, maillon.MediationFilter{Limit: 1})
	if err != nil || mediations != counts[3] {
		t.Errorf("mediations: export %d, list %d, %v", counts[3], mediations, err)
	}
	_, orientations, err := db.FindOrientations(ctx, coord, maillon.OrientationFilter{Limit: 1})
	if err != nil || orientations != counts[4] {
		t.Errorf("orientations: export %d, list %d, %v", counts[4], orientations, err)
	}
}
