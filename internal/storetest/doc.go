// Package storetest runs tests against a fresh database on each engine:
// SQLite always, PostgreSQL when MAILLON_TEST_POSTGRES holds a server DSN, each test in
// a fresh schema of that database (dropped afterwards unless
// MAILLON_TEST_KEEPDB=1).
// With MAILLON_TEST_REQUIRE_POSTGRES=1 (set by .ci/run) a missing
// PostgreSQL fails the test instead of skipping it. It also offers a fixed
// clock and fixture builders, and the cached large dataset of the
// benchmarks (large.go).
//
// Only test files import it; it imports store, maillon, demo and testing.
package storetest
