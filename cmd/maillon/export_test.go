package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestExportCommand(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, dsn string) {
		db := map[string]string{"MAILLON_DB": dsn}
		mustRun(t, 0, db, "", "demo", "--seed", "1")
		dir := t.TempDir()
		out := filepath.Join(dir, "interventions.csv")

		o := mustRun(t, 0, db, "", "export", "--kind", "interventions", "--from", "2000-01-01", "--to", "2100-01-01",
			"--format", "csv", "--sep", ",", "--out", out)
		if !strings.Contains(o.stdout, "ligne(s) écrite(s) dans "+out) || !strings.Contains(o.stderr, "[##############################]") {
			t.Errorf("export: %s", o)
		}
		b, _ := os.ReadFile(out)
		if !bytes.HasPrefix(b, []byte("\uFEFFintervention_id,date,debut,duree_minutes,")) {
			t.Errorf("file starts with %q", b[:min(len(b), 60)])
		}
		if bytes.Contains(b, []byte(",personnes")) {
			t.Error("names without --nominative")
		}
		// One structure: --structure may be left out; --quiet draws no bar.
		x := filepath.Join(dir, "bilan.xlsx")
		o = mustRun(t, 0, db, "", "export", "--kind", "toutes", "--from", "2000-01-01", "--to", "2100-01-01",
			"--format", "xlsx", "--nominative", "--structure", "1", "--quiet", "--out", x)
		if o.stderr != "" {
			t.Errorf("--quiet wrote %q", o.stderr)
		}
		f, err := excelize.OpenFile(x)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := strings.Join(f.GetSheetList(), ","); got != "Interventions,Démarches,Tournées,Médiations,Orientations,Séances,Participants anonymes,Définitions" {
			t.Errorf("sheets = %s", got)
		}
		if head, _ := f.GetRows("Orientations"); len(head) < 2 || !strings.Contains(strings.Join(head[0], ","), "personne,motif") {
			t.Errorf("nominative orientations: %q", head)
		}

		// --diffuser: the shared variant, without names, small counts
		// written "< 5"; refused with --nominative.
		shared := filepath.Join(dir, "interventions-diffusion.csv")
		mustRun(t, 0, db, "", "export", "--kind", "interventions", "--from", "2000-01-01", "--to", "2100-01-01",
			"--sep", ",", "--diffuser", "--quiet", "--out", shared)
		b, _ = os.ReadFile(shared)
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
		if err != nil || len(recs) < 3 || slices.Contains(recs[0], "mediateurs") || !slices.Contains(recs[0], "nb_personnes_anonymes") {
			t.Fatalf("shared export: %v, %q", err, recs[:min(len(recs), 1)])
		}
		col := slices.Index(recs[0], "nb_personnes_anonymes")
		small := false
		for _, r := range recs[1:] {
			if n, err := strconv.Atoi(r[col]); err == nil && n > 0 && n < 5 {
				t.Errorf("small count shown: %q", r)
			}
			small = small || r[col] == "< 5"
		}
		if !small {
			t.Error("no count written \"< 5\" in the shared export of the demo")
		}
		o = mustRun(t, 2, db, "", "export", "--kind", "interventions", "--from", "2026-01-01", "--to", "2027-01-01",
			"--nominative", "--diffuser", "--out", shared)
		if !strings.Contains(o.stderr, "--diffuser : Un export à diffuser hors de la structure ne peut pas être nominatif") {
			t.Errorf("shared and nominative: %s", o)
		}

		// Usage errors exit with 2 and name the flag.
		o = mustRun(t, 2, db, "", "export", "--kind", "toutes", "--from", "2026-01-01", "--to", "2027-01-01", "--out", out)
		if !strings.Contains(o.stderr, "--kind : Un fichier CSV ne contient qu'une table") {
			t.Errorf("CSV of every table: %s", o)
		}
		o = mustRun(t, 2, db, "", "export", "--kind", "interventions", "--from", "2026-13-01", "--to", "2027-01-01", "--out", out)
		if !strings.Contains(o.stderr, "--from : Indiquez la date de début") {
			t.Errorf("bad date: %s", o)
		}
		mustRun(t, 2, db, "", "export", "--kind", "interventions")
		o = mustRun(t, 1, db, "", "export", "--kind", "interventions", "--from", "2026-01-01", "--to", "2027-01-01", "--structure", "99", "--out", out)
		if !strings.Contains(o.stderr, "introuvable") {
			t.Errorf("unknown structure: %s", o)
		}
	})
}
