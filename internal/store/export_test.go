package store

import (
	"context"
	"strings"
	"time"

	"maillon"
)

// Rebind exposes the PostgreSQL placeholder rewriting to tests.
func Rebind(q string) string { return postgresDialect{}.rebind(q) }

// StoreOpenForTest lets external tests try DSNs.
func StoreOpenForTest(dsn string) (*Store, error) {
	return Open(context.Background(), dsn, Options{})
}

// ExecForTest runs a raw statement in a write transaction, so that tests
// can check guards the database itself enforces (such as the append-only
// audit log). Write "?" placeholders, as in the store.
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		n, err = t.exec(ctx, q, args...)
		return err
	})
	return n, err
}

// CountForTest runs a raw "select count(*) …" query, so that tests can see
// rows no service exposes (expired sessions, instance-level audit rows).
func (s *Store) CountForTest(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := s.read(ctx, func(t *tx) error {
		return t.one(ctx, q, args, &n)
	})
	return n, err
}

// ReportSQLForTest computes a report and returns the statements its
// indicator queries ran, as the engine received them.
func (s *Store) ReportSQLForTest(ctx context.Context, actor maillon.Actor, f maillon.ReportFilter) (*maillon.Report, []rawStatement, error) {
	var list []rawStatement
	rep, err := s.ActivityReport(context.WithValue(ctx, traceKey{}, &list), actor, f)
	return rep, list, err
}

// RunRawForTest runs statements on the reader pool directly, reading
// every row: the same aggregation without the store around it.
func (s *Store) RunRawForTest(ctx context.Context, stmts []rawStatement) error {
	for _, st := range stmts {
		rows, err := s.reader.QueryContext(ctx, st.q, st.args...)
		if err != nil {
			return err
		}
		cols, _ := rows.Columns()
		dest := make([]any, len(cols))
		for i := range dest {
			dest[i] = new(any)
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// NewestInterventionForTest gives the start of the newest intervention.
func (s *Store) NewestInterventionForTest(ctx context.Context) (time.Time, error) {
	var at time.Time
	err := s.read(ctx, func(t *tx) error {
		return t.one(ctx, "select max(start_at) from interventions", nil, timeCol{&at})
	})
	return at, err
}

// StatementTimesForTest runs each statement once and gives its time and
// first line, to see which aggregation costs.
func (s *Store) StatementTimesForTest(ctx context.Context, stmts []rawStatement) ([]string, error) {
	var out []string
	for _, st := range stmts {
		start := time.Now()
		if err := s.RunRawForTest(ctx, []rawStatement{st}); err != nil {
			return nil, err
		}
		q := st.q
		if len(q) > 140 {
			q = q[:140]
		}
		out = append(out, time.Since(start).Round(time.Millisecond).String()+" "+strings.Join(strings.Fields(q), " "))
	}
	return out, nil
}
