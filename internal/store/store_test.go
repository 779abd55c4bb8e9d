package store_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/store"
	"maillon/internal/storetest"
)

var update = flag.Bool("update", false, "rewrite golden files")

var ctx = context.Background()

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		done, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != 0 {
			t.Fatalf("second Migrate applied %v", done)
		}
		pending, err := db.Pending(ctx)
		if err != nil || len(pending) != 0 {
			t.Fatalf("Pending = %v, %v", pending, err)
		}
	})
}

// Ensure both engines have the same tables and columns, as recorded in
// testdata/schema.golden (refresh with go test -run SchemaParity -update).
func TestSchemaParity(t *testing.T) {
	golden := filepath.Join("testdata", "schema.golden")
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		dump, err := db.SchemaDump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(dump, "\n") + "\n"
		if *update && db.Engine == "sqlite" {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s schema differs from %s:\n%s", db.Engine, golden, diffLines(string(want), got))
		}
	})
}

func diffLines(want, got string) string {
	w := map[string]bool{}
	for _, l := range strings.Split(want, "\n") {
		w[l] = true
	}
	g := map[string]bool{}
	var b strings.Builder
	for _, l := range strings.Split(got, "\n") {
		g[l] = true
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	return b.String()
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"", "mysql://x", "maillon.db", "sqlite:"} {
		_, err := storeOpen(dsn)
		if !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("Open(%q) = %v, want ErrInvalid", dsn, err)
		}
	}
}

func TestTimestampsRoundTripInUTC(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		at := time.Date(2026, 7, 14, 21, 45, 12, 123456789, time.FixedZone("CEST", 2*3600))
		db.Clock.Set(at)
		st := storetest.MustCreateStructure(t, db, "Horodatage")
		got, err := db.FindStructureByID(ctx, storetest.Actor(st.Admin), st.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := at.UTC().Truncate(time.Microsecond)
		if !got.CreatedAt.Equal(want) || got.CreatedAt.Location() != time.UTC {
			t.Fatalf("CreatedAt = %v, want %v in UTC", got.CreatedAt, want)
		}
	})
}

// Ensure a backup taken while the database is in use opens as a complete
// database on SQLite, and that PostgreSQL points to pg_dump.
func TestBackup(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Sauvegardée")
		path := filepath.Join(t.TempDir(), "copie.db")
		err := db.Backup(ctx, path)
		if db.Engine == "postgres" {
			if !errors.Is(err, maillon.ErrInvalid) || !strings.Contains(err.Error(), "pg_dump") {
				t.Fatalf("Backup on PostgreSQL = %v, want advice to use pg_dump", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		copyDB, err := store.Open(ctx, "sqlite:"+path, store.Options{Hasher: storetest.Hasher})
		if err != nil {
			t.Fatal(err)
		}
		defer copyDB.Close()
		if pending, err := copyDB.Pending(ctx); err != nil || len(pending) != 0 {
			t.Fatalf("backup pending migrations = %v, %v", pending, err)
		}
		got, err := copyDB.FindStructures(ctx, maillon.OperatorActor())
		if err != nil || len(got) != 1 || got[0].Name != st.Name {
			t.Fatalf("backup structures = %+v, %v", got, err)
		}
		if err := db.Backup(ctx, path); !errors.Is(err, maillon.ErrConflict) {
			t.Fatalf("backup over an existing file = %v, want ErrConflict", err)
		}
	})
}

func TestTargetHidesPasswords(t *testing.T) {
	if os.Getenv("MAILLON_TEST_POSTGRES") == "" {
		t.Skip("needs MAILLON_TEST_POSTGRES")
	}
	s, err := store.Open(ctx, os.Getenv("MAILLON_TEST_POSTGRES")+"&password=hunter2", store.Options{})
	if err != nil {
		t.Skipf("server refuses a password parameter: %v", err)
	}
	defer s.Close()
	if strings.Contains(s.Target(), "hunter2") {
		t.Fatalf("Target() = %q shows the password", s.Target())
	}
}

// Ensure only the first of several nodes started with --demo loads the
// dataset, and only the operator may claim it.
func TestClaimDemoOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Structure")
		if _, err := db.ClaimDemo(ctx, storetest.Actor(st.Admin)); !errors.Is(err, maillon.ErrForbidden) {
			t.Fatalf("admin ClaimDemo = %v, want ErrForbidden", err)
		}
		first, err := db.ClaimDemo(ctx, maillon.OperatorActor())
		if err != nil || !first {
			t.Fatalf("first claim = %v, %v", first, err)
		}
		second, err := db.ClaimDemo(ctx, maillon.OperatorActor())
		if err != nil || second {
			t.Fatalf("second claim = %v, %v", second, err)
		}
		info, err := db.Instance(ctx)
		if err != nil || !info.Demo {
			t.Fatalf("Instance = %+v, %v; want Demo", info, err)
		}
	})
}
