// Package store is the only package that speaks SQL. It implements the
// domain service interfaces of package maillon on SQLite (modernc.org/sqlite,
// pure Go) and PostgreSQL (pgx), chosen by the database URL.
//
// Each exported method runs in one transaction with a fixed "now": it
// validates its input, checks the actor's rights, runs its queries and
// writes its audit entry, so that no channel (web, API, CLI, job) can skip
// authorisation or audit. SQL is written once, with "?" placeholders that
// are rebound for PostgreSQL; the few dialect differences live in
// dialect.go and in paired migrations.
//
// It imports maillon, database/sql and the two drivers, and nothing from
// web, api or ui.
package store
