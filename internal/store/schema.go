package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// SchemaDump lists every column of the schema as "table.column type
// null|not null", with types normalised across engines, sorted. The parity
// test compares both engines' dumps with one golden file, so the two
// schemas cannot drift apart.
func (s *Store) SchemaDump(ctx context.Context) ([]string, error) {
	var out []string
	err := s.read(ctx, func(t *tx) error {
		var err error
		out, err = s.d.dumpSchema(ctx, t)
		return err
	})
	sort.Strings(out)
	return out, err
}

func normaliseType(typ string) string {
	switch strings.ToLower(typ) {
	case "integer", "bigint":
		return "int"
	case "timetext", "timestamp with time zone":
		return "timestamp"
	}
	return strings.ToLower(typ)
}

// engineColumn reports columns that exist on one engine only by design:
// PostgreSQL's generated tsvector columns mirror SQLite's FTS5 tables.
func engineColumn(col string) bool { return strings.HasSuffix(col, "_tsv") }

func column(table, col, typ string, notNull bool) string {
	n := "null"
	if notNull {
		n = "not null"
	}
	return fmt.Sprintf("%s.%s %s %s", table, col, normaliseType(typ), n)
}

func (sqliteDialect) dumpSchema(ctx context.Context, t *tx) ([]string, error) {
	var tables []string
	// Full-text index tables are an engine detail, like PostgreSQL's GIN
	// indexes, and are left out.
	err := t.many(ctx, `select name from sqlite_master where type = 'table'
		and name not like 'sqlite\_%' escape '\' and name not like '%\_fts%' escape '\' order by name`, nil,
		func(r *sql.Rows) error {
			var n string
			err := r.Scan(&n)
			tables = append(tables, n)
			return err
		})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, tb := range tables {
		err := t.many(ctx, "select name, type, \"notnull\", pk from pragma_table_info(?)", []any{tb}, func(r *sql.Rows) error {
			var name, typ string
			var notNull, pk int
			if err := r.Scan(&name, &typ, &notNull, &pk); err != nil {
				return err
			}
			out = append(out, column(tb, name, typ, notNull == 1 || pk > 0))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (postgresDialect) dumpSchema(ctx context.Context, t *tx) ([]string, error) {
	var out []string
	err := t.many(ctx, `select table_name, column_name, data_type, is_nullable
		from information_schema.columns
		where table_schema = current_schema() and table_name not like '%\_fts%' escape '\'`, nil,
		func(r *sql.Rows) error {
			var tb, name, typ, nullable string
			if err := r.Scan(&tb, &name, &typ, &nullable); err != nil {
				return err
			}
			if !engineColumn(name) {
				out = append(out, column(tb, name, typ, nullable == "NO"))
			}
			return nil
		})
	return out, err
}
