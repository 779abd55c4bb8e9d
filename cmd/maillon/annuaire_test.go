package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func TestAnnuaireImportExport(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, dsn string) {
		db := map[string]string{"MAILLON_DB": dsn}
		mustRun(t, 0, db, "", "db", "migrate")
		mustRun(t, 0, db, "", "structure", "add", "--name", "Médiation Nord")

		mustRun(t, 2, db, "", "annuaire", "import", "testdata/annuaire.json")
		o := mustRun(t, 0, db, "", "annuaire", "import", "--structure", "1", "--format", "data-inclusion", "testdata/annuaire.json")
		if !strings.Contains(o.stdout, "Structures : 1 créées, 0 mises à jour. Services : 1 créés") ||
			!strings.Contains(o.stdout, "Ligne 15 (dora--s2) : nom : Le nom du service doit compter au moins 3 caractères.") ||
			!strings.Contains(o.stderr, "[##############################] 2/2") {
			t.Errorf("import: %s", o)
		}
		o = mustRun(t, 0, db, "", "annuaire", "import", "--structure", "1", "--quiet", "testdata/annuaire.json")
		if !strings.Contains(o.stdout, "0 créées, 1 mises à jour") || o.stderr != "" {
			t.Errorf("re-import: %s", o)
		}
		broken := filepath.Join(t.TempDir(), "casse.json")
		os.WriteFile(broken, []byte("[\n{\"source\": \"a\",\n\"id\": }\n]"), 0o600)
		o = mustRun(t, 1, db, "", "annuaire", "import", "--structure", "1", broken)
		if !strings.Contains(o.stderr, "Ligne 3 : JSON illisible") {
			t.Errorf("broken file: %s", o)
		}

		dir := t.TempDir()
		o = mustRun(t, 0, db, "", "annuaire", "export", "--structure", "1", "--format", "data-inclusion", "--out", dir)
		if !strings.Contains(o.stdout, "1 structures et 1 services écrits") {
			t.Errorf("export: %s", o)
		}
		validateExport(t, dir)
		mustRun(t, 0, db, "", "annuaire", "export", "--structure", "1", "--format", "csv", "--out", dir)
		csv, _ := os.ReadFile(filepath.Join(dir, "services.csv"))
		if !bytes.HasPrefix(csv, []byte("source,id,structure_id,nom,description,date_maj,type,thematiques")) {
			t.Errorf("services.csv:\n%s", csv)
		}
	})
}

// schemaDir finds the official data·inclusion v1 schema beside the
// repository (../shared/reference), or in MAILLON_DI_SCHEMA_DIR.
func schemaDir() string {
	if d := os.Getenv("MAILLON_DI_SCHEMA_DIR"); d != "" {
		return d
	}
	m, _ := filepath.Glob("../../../shared/reference/data-inclusion-schema-v1*/schemas/v1")
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1]
}

// validateExport checks every object of structures.json and services.json
// against the official schema; the schema files are not in the repository,
// so the check is skipped when they are absent.
func validateExport(t *testing.T, dir string) {
	t.Helper()
	sd := schemaDir()
	if sd == "" && os.Getenv("MAILLON_DI_SCHEMA_REQUIRE") != "" {
		t.Fatal("MAILLON_DI_SCHEMA_REQUIRE is set but the data·inclusion schema is missing")
	}
	if sd == "" {
		t.Log("schéma data·inclusion absent (../shared/reference) : validation de l'export non faite")
		return
	}
	for _, kind := range []string{"structure", "service"} {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		abs, _ := filepath.Abs(filepath.Join(sd, kind+".json"))
		sch, err := c.Compile(abs)
		if err != nil {
			t.Fatalf("schema %s: %v", kind, err)
		}
		data, err := os.ReadFile(filepath.Join(dir, kind+"s.json"))
		if err != nil {
			t.Fatal(err)
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatalf("%ss.json: %v", kind, err)
		}
		if len(raw) == 0 {
			t.Fatalf("%ss.json is empty", kind)
		}
		for i, r := range raw {
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(r))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("%ss.json[%d] does not validate: %v\n%s", kind, i, err, r)
			}
		}
	}
}

// The demo directory exports objects that the official schema accepts
// (run by .ci/run with the schema required).
func TestAnnuaireDemoExportSchema(t *testing.T) {
	t.Parallel()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	mustRun(t, 0, nil, "", "demo", "--db", dsn, "--seed", "7")
	dir := t.TempDir()
	o := mustRun(t, 0, nil, "", "annuaire", "export", "--db", dsn, "--structure", "1", "--out", dir)
	if !strings.Contains(o.stdout, "150 structures et 400 services écrits") {
		t.Errorf("demo export: %s", o)
	}
	validateExport(t, dir)
	// Internal contacts and relations never leave.
	for _, f := range []string{"structures.json", "services.json"} {
		data, _ := os.ReadFile(filepath.Join(dir, f))
		if bytes.Contains(data, []byte(".contact@partenaire")) || bytes.Contains(data, []byte("CONV-")) {
			t.Errorf("%s holds internal contacts or relations", f)
		}
	}
}
