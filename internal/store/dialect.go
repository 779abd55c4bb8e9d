package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"
)

// dialect holds everything that differs between SQLite and PostgreSQL. A
// switch on the engine anywhere else is a review finding.
type dialect interface {
	name() string
	// rebind turns "?" placeholders into the engine's own.
	rebind(q string) string
	// timeArg converts a UTC time to the value stored in a timestamp column.
	timeArg(t time.Time) any
	// migrationSuffix is the file suffix of this engine's half of a pair.
	migrationSuffix() string
	// macros are the schema macros expanded in shared migration files.
	idColumn() string
	timestampColumn(col string) string
	// lockMigrations is run first in every migration transaction, so that
	// several app nodes starting together apply each migration once.
	lockMigrations() string
	// binaryOrder makes col sort by its bytes on both engines, whatever
	// the PostgreSQL database's collation; used on folded sort keys.
	binaryOrder(col string) string
	// searchCondition matches every token as a prefix in the people
	// full-text index (search.go).
	searchCondition(tokens []string) (string, any)
	// backup copies the live database to a file (backup.go).
	backup(ctx context.Context, db *sql.DB, path string) error
	// dumpSchema lists the columns for the schema-parity test (schema.go).
	dumpSchema(ctx context.Context, t *tx) ([]string, error)
	// Bulk import (import.go) gives IDs itself: lockForImport keeps other
	// writers off the tables while it takes max(id) ("" when the
	// transaction already excludes them), insertExplicitID is put before
	// VALUES to write an identity column, and syncIdentity moves the
	// table's ID generator past the IDs written ("" when it follows by
	// itself).
	lockForImport(tables ...string) string
	insertExplicitID() string
	syncIdentity(table string) string
	// importCache sizes the page cache of the writer for a bulk import,
	// or back to normal ("" when the engine has no such setting).
	importCache(importing bool) string
	// afterImport lists the statements that compact what an import left
	// fragmented (run by FinishImport).
	afterImport() []string
}

// sqliteTimeFormat is the one text format of timestamps in SQLite, fixed
// width so that text order is time order; a CHECK in the schema enforces it.
const sqliteTimeFormat = "2006-01-02T15:04:05.000000Z"

type sqliteDialect struct{}

func (sqliteDialect) name() string           { return "sqlite" }
func (sqliteDialect) rebind(q string) string { return q }
func (sqliteDialect) timeArg(t time.Time) any {
	return t.UTC().Format(sqliteTimeFormat)
}
func (sqliteDialect) migrationSuffix() string { return ".sqlite.sql" }
func (sqliteDialect) idColumn() string        { return "integer primary key" }
func (sqliteDialect) timestampColumn(col string) string {
	return col + " timetext check (" + col + " is null or (length(" + col + ") = 27 and " + col +
		" glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'))"
}
func (sqliteDialect) lockMigrations() string { return "" }

// The writer's BEGIN IMMEDIATE already holds the database's write lock,
// and an integer primary key takes any value and continues after the
// largest.
func (sqliteDialect) lockForImport(...string) string { return "" }
func (sqliteDialect) insertExplicitID() string       { return "" }
func (sqliteDialect) syncIdentity(string) string     { return "" }

// importCache: the default 2 MB page cache makes every insert into an
// index bigger than that (people of a million interventions) read pages
// back from the file; 256 MB keeps the indexes being filled in memory.
// afterImport merges the people's full-text index into one b-tree: filled
// row by row by its triggers, it is left in many segments, and a prefix
// query visits every one of them.
func (sqliteDialect) afterImport() []string {
	return []string{"insert into persons_fts (persons_fts) values ('optimize')"}
}

func (sqliteDialect) importCache(importing bool) string {
	if importing {
		return "pragma cache_size = -262144"
	}
	return "pragma cache_size = -2000"
}
func (sqliteDialect) binaryOrder(col string) string { return col }

type postgresDialect struct{}

func (postgresDialect) name() string { return "postgres" }

// rebind replaces each "?" outside quoted literals and identifiers with $n.
func (postgresDialect) rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			// A comment runs to the end of the line.
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				b.WriteString(q[i:])
				return b.String()
			}
			b.WriteString(q[i : i+j])
			i += j - 1
			continue
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
func (postgresDialect) timeArg(t time.Time) any         { return t.UTC() }
func (postgresDialect) migrationSuffix() string         { return ".postgres.sql" }
func (postgresDialect) idColumn() string                { return "bigint generated always as identity primary key" }
func (postgresDialect) timestampColumn(c string) string { return c + " timestamptz" }

func (postgresDialect) binaryOrder(col string) string { return col + ` collate "C"` }

// lockForImport blocks other writers (not readers) until commit.
func (postgresDialect) lockForImport(tables ...string) string {
	return "lock table " + strings.Join(tables, ", ") + " in exclusive mode"
}
func (postgresDialect) insertExplicitID() string { return "overriding system value" }
func (postgresDialect) importCache(bool) string  { return "" }
func (postgresDialect) afterImport() []string    { return nil }

// syncIdentity runs with a table name from the store's own code, never
// from input.
func (postgresDialect) syncIdentity(table string) string {
	return "select setval(pg_get_serial_sequence('" + table + "', 'id'), coalesce(max(id), 0) + 1, false) from " + table
}

// 7263 is an arbitrary key shared by every Maillon node.
func (postgresDialect) lockMigrations() string { return "select pg_advisory_xact_lock(7263)" }
