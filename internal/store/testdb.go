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
// exists for test suites and lives here because only this package may
// speak to a driver.
func CreatePostgresDatabase(ctx context.Context, adminDSN, name string) (string, func() error, error) {
	return createIsolated(ctx, adminDSN, name, "create database "+name, "drop database if exists "+name+" with (force)",
		func(u *url.URL) { u.Path = "/" + name })
}

// CreatePostgresSchema creates an empty schema named name in the database
// of adminDSN and returns a DSN whose connections use it (search_path), and
// a function that drops it. A schema is created in milliseconds where a
// database takes half a second, so per-test isolation stays cheap.
func CreatePostgresSchema(ctx context.Context, adminDSN, name string) (string, func() error, error) {
	return createIsolated(ctx, adminDSN, name, "create schema "+name, "drop schema if exists "+name+" cascade",
		func(u *url.URL) {
			q := u.Query()
			q.Set("search_path", name)
			// Test data need not survive a crash: skip the fsync wait on
			// every commit.
			q.Set("synchronous_commit", "off")
			u.RawQuery = q.Encode()
		})
}

func createIsolated(ctx context.Context, adminDSN, name, create, drop string, point func(*url.URL)) (string, func() error, error) {
	if !testDBName.MatchString(name) {
		return "", nil, fmt.Errorf("store: bad name %q", name)
	}
	u, err := url.Parse(adminDSN)
	if err != nil {
		return "", nil, err
	}
	admin, err := sql.Open("pgx", adminDSN)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.ExecContext(ctx, create); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("store: %s: %w", create, err)
	}
	point(u)
	dropFn := func() error {
		defer admin.Close()
		_, err := admin.ExecContext(context.Background(), drop)
		return err
	}
	return u.String(), dropFn, nil
}
