package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"maillon"
)

// tx is a transaction with a fixed "now" and the dialect at hand. Store
// methods open exactly one and pass it to unexported helpers.
type tx struct {
	tx    *sql.Tx // nil for readEach: statements then run on db
	db    *sql.DB
	d     dialect
	now   time.Time
	stmts *stmtCache // nil on PostgreSQL
}

// write runs fn in a read-write transaction and commits it. On SQLite the
// single writer connection starts it with BEGIN IMMEDIATE, so a transaction
// that will write never fails half-way on a lock upgrade.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	return s.run(ctx, s.writer, s.writerStmts, false, fn)
}

// read runs fn in a read-only transaction.
func (s *Store) read(ctx context.Context, fn func(*tx) error) error {
	return s.run(ctx, s.reader, s.readerStmts, true, fn)
}

// readEach runs fn on the reader pool without an explicit transaction:
// each statement is atomic on its own but sees its own snapshot. It is for
// reads of one statement, or whose statements need not agree, that every
// page makes (the banner, the home page figures): a transaction's BEGIN and
// COMMIT cost as much as such a query on SQLite, and two round trips on
// PostgreSQL.
func (s *Store) readEach(ctx context.Context, fn func(*tx) error) error {
	return fn(&tx{db: s.reader, d: s.d, now: s.clock().UTC().Truncate(time.Microsecond), stmts: s.readerStmts})
}

func (s *Store) run(ctx context.Context, db *sql.DB, stmts *stmtCache, readOnly bool, fn func(*tx) error) (err error) {
	var opts *sql.TxOptions
	if readOnly && s.reader != s.writer {
		// The SQLite reader connections are query_only already; asking
		// for ReadOnly there is refused by the driver.
		opts = nil
	} else if readOnly {
		opts = &sql.TxOptions{ReadOnly: true}
	}
	sqlTx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &tx{tx: sqlTx, d: s.d, now: s.clock().UTC().Truncate(time.Microsecond), stmts: stmts}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	if err = fn(t); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", convertError(err))
	}
	return nil
}

// runner is the transaction, or the pool for readEach.
func (t *tx) runner() interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
} {
	if t.tx == nil {
		return t.db
	}
	return t.tx
}

// stmt binds a cached statement to the transaction, if there is one.
func (t *tx) stmt(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	if t.tx == nil {
		return st
	}
	return t.tx.StmtContext(ctx, st)
}

// args converts Go values to what the engine stores: times to the
// dialect's format, typed IDs and enums to their base kinds.
func (t *tx) args(in []any) []any {
	out := make([]any, len(in))
	for i, a := range in {
		out[i] = t.arg(a)
	}
	return out
}

func (t *tx) arg(a any) any {
	switch v := a.(type) {
	case nil, int64, string, bool, []byte, float64, int:
		return v
	case time.Time:
		if v.IsZero() {
			return nil
		}
		return t.d.timeArg(v)
	case driver.Valuer:
		return v
	}
	rv := reflect.ValueOf(a)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	}
	return a
}

// exec runs a statement and returns the number of rows it affected.
func (t *tx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if st := t.stmts.get(q); st != nil {
		res, err = t.stmt(ctx, st).ExecContext(ctx, t.args(args)...)
	} else {
		res, err = t.runner().ExecContext(ctx, t.d.rebind(q), t.args(args)...)
	}
	if err != nil {
		return 0, wrapQuery(q, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrapQuery(q, err)
	}
	return n, nil
}

// insert runs an "insert … returning id" statement and returns the new ID.
func (t *tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	if err := t.queryRow(ctx, q, args).Scan(&id); err != nil {
		return 0, wrapQuery(q, err)
	}
	return id, nil
}

// queryRow runs a query of one row, prepared once when the engine gains
// from it (stmtCache).
func (t *tx) queryRow(ctx context.Context, q string, args []any) *sql.Row {
	if st := t.stmts.get(q); st != nil {
		return t.stmt(ctx, st).QueryRowContext(ctx, t.args(args)...)
	}
	return t.runner().QueryRowContext(ctx, t.d.rebind(q), t.args(args)...)
}

// one runs a query expected to return one row and scans it into dest. It
// returns sql.ErrNoRows (unwrapped) when there is none.
func (t *tx) one(ctx context.Context, q string, args []any, dest ...any) error {
	err := t.queryRow(ctx, q, args).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return sql.ErrNoRows
	}
	if err != nil {
		return wrapQuery(q, err)
	}
	return nil
}

// many runs a query and calls scan for each row.
func (t *tx) many(ctx context.Context, q string, args []any, scan func(*sql.Rows) error) error {
	var rows *sql.Rows
	var err error
	if st := t.stmts.get(q); st != nil {
		rows, err = t.stmt(ctx, st).QueryContext(ctx, t.args(args)...)
	} else {
		rows, err = t.runner().QueryContext(ctx, t.d.rebind(q), t.args(args)...)
	}
	if err != nil {
		return wrapQuery(q, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return wrapQuery(q, err)
		}
	}
	if err := rows.Err(); err != nil {
		return wrapQuery(q, err)
	}
	return nil
}

// wrapQuery names the query (its first line) in the error and converts
// constraint violations to domain errors.
func wrapQuery(q string, err error) error {
	if c := convertError(err); c != err {
		return c
	}
	name := strings.TrimSpace(q)
	if i := strings.IndexByte(name, '\n'); i > 0 {
		name = name[:i]
	}
	if len(name) > 60 {
		name = name[:60]
	}
	return fmt.Errorf("query %q: %w", name, err)
}

// timeCol scans a timestamp column of either engine; NULL gives the zero
// time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = v.UTC()
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("timestamp: unexpected %T", src)
	}
	return nil
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("timestamp %q: %w", s, err)
	}
	*c.t = t.UTC()
	return nil
}

// idCol scans a nullable integer column into a typed ID; NULL gives 0.
type idCol[T ~int64] struct{ p *T }

func (c idCol[T]) Scan(src any) error {
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return err
	}
	*c.p = T(n.Int64)
	return nil
}

func scanID[T ~int64](p *T) idCol[T] { return idCol[T]{p} }

// optID stores 0 as NULL, for optional foreign keys.
func optID[T ~int64](id T) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// whereBuilder assembles "where" clauses from optional filters; values
// always travel as arguments.
type whereBuilder struct {
	conds []string
	args  []any
}

func (w *whereBuilder) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *whereBuilder) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return "where " + strings.Join(w.conds, "\nand ")
}

// likePattern escapes s for "like ? escape '\'" and wraps it in %…%.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// pageLimit bounds list sizes: lists are paginated, and an API client
// cannot ask for a whole table at once.
func pageLimit(limit, def, max int) int {
	if limit <= 0 {
		return def
	}
	if limit > max {
		return max
	}
	return limit
}

// sortByName orders short lists (teams, communes, zones, structures) by
// their folded name in Go, so that "Écoles" sorts among the E's and both
// engines give the same order whatever their collation.
func sortByName[T any](items []T, name func(T) string, id func(T) int64) {
	slices.SortStableFunc(items, func(a, b T) int {
		if c := strings.Compare(maillon.FoldText(name(a)), maillon.FoldText(name(b))); c != 0 {
			return c
		}
		return cmp.Compare(id(a), id(b))
	})
}
