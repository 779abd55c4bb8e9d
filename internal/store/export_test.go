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

