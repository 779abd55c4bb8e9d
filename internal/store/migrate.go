package store

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"text/template"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationName is YYYYMMDD-NN-slug, then ".sql" for a shared file or
// ".sqlite.sql" / ".postgres.sql" for one half of a pair.
var migrationName = regexp.MustCompile(`^(20[0-9]{6}-[0-9]{2}-[a-z0-9-]+)(\.sqlite|\.postgres)?\.sql$`)

// Migration is one schema change.
type Migration struct {
	Name    string // without suffix
	Applied bool
	// AppliedAt is set for applied migrations.
	AppliedAt time.Time
}

// migrationSet lists the migrations for a dialect, in order, with their
// SQL. Shared files may use two macros expanded per engine:
// {{id}} for an identity primary key and {{ts "col"}} for a timestamp.
func migrationSet(d dialect) ([]string, map[string]string, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, nil, err
	}
	sqlByName := map[string]string{}
	kinds := map[string]map[string]bool{}
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, nil, fmt.Errorf("migration %s: badly named (want YYYYMMDD-NN-slug[.sqlite|.postgres].sql)", e.Name())
		}
		name, suffix := m[1], m[2]
		if kinds[name] == nil {
			kinds[name] = map[string]bool{}
		}
		kinds[name][suffix] = true
		if suffix != "" && suffix+".sql" != d.migrationSuffix() {
			continue
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, nil, err
		}
		text := string(b)
		if suffix == "" {
			if text, err = expandMacros(e.Name(), text, d); err != nil {
				return nil, nil, err
			}
		}
		sqlByName[name] = text
	}
	names := make([]string, 0, len(kinds))
	for name, k := range kinds {
		switch {
		case k[""] && len(k) == 1:
		case !k[""] && k[".sqlite"] && k[".postgres"] && len(k) == 2:
		default:
			return nil, nil, fmt.Errorf("migration %s: needs one shared .sql file or a .sqlite.sql + .postgres.sql pair, not a mix", name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, sqlByName, nil
}

func expandMacros(file, text string, d dialect) (string, error) {
	tpl, err := template.New(file).Funcs(template.FuncMap{
		"id": d.idColumn,
		"ts": d.timestampColumn,
	}).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("migration %s: %w", file, err)
	}
	var b strings.Builder
	if err := tpl.Execute(&b, nil); err != nil {
		return "", fmt.Errorf("migration %s: %w", file, err)
	}
	return b.String(), nil
}

const createMigrationsTable = `create table if not exists schema_migrations (
	name text primary key,
	applied_at text not null
)`

// createMigrationsTable creates the bookkeeping table under the migration
// lock, so that nodes starting together on an empty PostgreSQL database do
// not race on "create table if not exists".
func (s *Store) createMigrationsTable(ctx context.Context) error {
	t, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if lock := s.d.lockMigrations(); lock != "" {
		if _, err := t.ExecContext(ctx, lock); err != nil {
			return err
		}
	}
	if _, err := t.ExecContext(ctx, createMigrationsTable); err != nil {
		return err
	}
	return t.Commit()
}

// Migrations lists every known migration and whether it is applied.
func (s *Store) Migrations(ctx context.Context) ([]Migration, error) {
	names, _, err := migrationSet(s.d)
	if err != nil {
		return nil, err
	}
	applied, err := s.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Migration, len(names))
	for i, n := range names {
		at, ok := applied[n]
		out[i] = Migration{Name: n, Applied: ok, AppliedAt: at}
	}
	return out, nil
}

func (s *Store) appliedMigrations(ctx context.Context) (map[string]time.Time, error) {
	if err := s.createMigrationsTable(ctx); err != nil {
		return nil, fmt.Errorf("migrations table: %w", err)
	}
	rows, err := s.writer.QueryContext(ctx, "select name, applied_at from schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("applied migrations: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var name, at string
		if err := rows.Scan(&name, &at); err != nil {
			return nil, err
		}
		t, _ := time.Parse(time.RFC3339Nano, at)
		out[name] = t
	}
	return out, rows.Err()
}

// Pending lists the names of migrations not yet applied.
func (s *Store) Pending(ctx context.Context) ([]string, error) {
	ms, err := s.Migrations(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range ms {
		if !m.Applied {
			out = append(out, m.Name)
		}
	}
	return out, nil
}

// Migrate applies pending migrations in order, each in its own transaction,
// and returns the names applied. Concurrent nodes on PostgreSQL serialise
// on an advisory lock and skip what another node applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	names, sqlByName, err := migrationSet(s.d)
	if err != nil {
		return nil, err
	}
	applied, err := s.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, name := range names {
		if _, ok := applied[name]; ok {
			continue
		}
		ran, err := s.applyMigration(ctx, name, sqlByName[name])
		if err != nil {
			return done, fmt.Errorf("migration %s: %w", name, err)
		}
		if ran {
			done = append(done, name)
		}
	}
	return done, nil
}

func (s *Store) applyMigration(ctx context.Context, name, text string) (bool, error) {
	t, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer t.Rollback()
	if lock := s.d.lockMigrations(); lock != "" {
		if _, err := t.ExecContext(ctx, lock); err != nil {
			return false, err
		}
	}
	var n int
	if err := t.QueryRowContext(ctx, s.d.rebind("select count(*) from schema_migrations where name = ?"), name).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil // another node was faster
	}
	if _, err := t.ExecContext(ctx, text); err != nil {
		return false, err
	}
	if _, err := t.ExecContext(ctx, s.d.rebind("insert into schema_migrations (name, applied_at) values (?, ?)"),
		name, s.clock().UTC().Format(time.RFC3339Nano)); err != nil {
		return false, err
	}
	return true, t.Commit()
}

// SchemaVersion names the schema this build migrates to: its last
// migration and a digest of all their names, since a migration may be
// merged before the last one. Cached test datasets are keyed by it.
func SchemaVersion() string {
	names, _, err := migrationSet(sqliteDialect{})
	if err != nil || len(names) == 0 {
		return "none"
	}
	sum := sha256.Sum256([]byte(strings.Join(names, "\n")))
	return names[len(names)-1] + "-" + hex.EncodeToString(sum[:4])
}
