package store

import (
	"context"
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
