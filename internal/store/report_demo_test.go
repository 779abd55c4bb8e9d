package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/storetest"
)

// TestReportDemoGolden computes the activity report of the demo dataset
// (small scale, seed 1, the tests' fixed clock) and compares its tables
// with testdata/report_demo.golden (report_demo.race.golden for the
// thinner demo of a -race build), on both engines: the same records give
// the same figures on SQLite and PostgreSQL, and a change of definition
// shows in review. Refresh both with
//
//	go test ./internal/store -run TestReportDemoGolden -update
//	go test -race ./internal/store -run TestReportDemoGolden -update
func TestReportDemoGolden(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		c := context.Background()
		if _, err := demo.Load(c, db.Services(), demo.Options{Scale: demo.Small, Seed: 1}); err != nil {
			t.Fatalf("demo: %v", err)
		}
		u, err := db.FindUserByEmail(c, maillon.OperatorActor(), "coordination@demo.maillon.test")
		if err != nil {
			t.Fatal(err)
		}
		coord := storetest.Actor(u)
		var b strings.Builder
		for _, f := range []maillon.ReportFilter{
			{Period: maillon.MonthPeriod(storetest.Start).Previous()},
			{Period: maillon.MonthPeriod(storetest.Start).Previous(), External: true},
			{Period: maillon.YearPeriod(2025), TeamID: u.TeamID, Indicators: []string{"interventions.nombre", "interventions.registre", "personnes.identifiees", "orientations.statut"}},
		} {
			rep, err := db.ActivityReport(c, coord, f)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString("# " + rep.Filter.Period.Label() + ", " + rep.Scope)
			if f.External {
				b.WriteString(", à diffuser")
			}
			b.WriteString("\n")
			for _, tab := range rep.Tables {
				b.WriteString("## " + tab.Indicator.ID + "\n")
				for _, r := range tab.Rows {
					b.WriteString(r.Label + " = " + r.Text + "\n")
				}
				if tab.Total != nil {
					b.WriteString("Total = " + tab.Total.Text + "\n")
				}
			}
			b.WriteString("\n")
		}
		path := filepath.Join("testdata", demoGolden("report_demo"))
		// The directory freshness depends on today's date only through the
		// fixed clock; every figure is deterministic.
		if *update && db.Engine == "sqlite" {
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != string(want) {
			t.Errorf("%s: the demo report differs from %s (run with -update and review the diff):\n%s", db.Engine, path, firstDiff(string(want), got))
		}
	})
}

// firstDiff shows the first differing line.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) && i < len(g); i++ {
		if w[i] != g[i] {
			return "line " + itoa(i+1) + ": want " + w[i] + "\n got " + g[i]
		}
	}
	return "lengths differ"
}
