package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
)

var testDBName = regexp.MustCompile(`^[a-z0-9_]{1,60}$`)

// CreatePostgresDatabase creates an empty database named name on the
// server of adminDSN and returns its DSN and a function that drops it. It
// exists for test suites, which need a fresh database per test, and lives
// here because only this package may speak to a driver.
func CreatePostgresDatabase(ctx context.Context, adminDSN, name string) (string, func() error, error) {
	if !testDBName.MatchString(name) {
		return "", nil, fmt.Errorf("store: bad database name %q", name)
	}
	admin, err := sql.Open("pgx", adminDSN)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.ExecContext(ctx, "create database "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("store: create database %s: %w", name, err)
	}
	u, err := url.Parse(adminDSN)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() error {
		defer admin.Close()
		_, err := admin.ExecContext(context.Background(), "drop database if exists "+name+" with (force)")
		return err
	}
	return u.String(), drop, nil
}
