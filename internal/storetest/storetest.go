package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"maillon"
	"maillon/internal/auth"
	"maillon/internal/store"
)

// Engines lists the engines Run uses, in order.
var Engines = []string{"sqlite", "postgres"}

// Clock is a settable clock for tests. Its zero value is not usable; use
// NewClock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock fixed at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t.UTC()} }

// Start is the default fixed time of tests: a Tuesday, 10:30 in Paris.
var Start = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t.UTC()
	c.mu.Unlock()
}

// DB is a fresh, migrated database for one test.
type DB struct {
	*store.Store
	Clock  *Clock
	Engine string
	DSN    string
}

// Run runs fn once per engine, each on a fresh migrated database, as
// parallel subtests named after the engine.
func Run(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, engine := range Engines {
		t.Run(engine, func(t *testing.T) {
			// The engines run side by side: each has its own database.
			t.Parallel()
			fn(t, Open(t, engine))
		})
	}
}

// Open returns a fresh migrated database on engine, closed and removed at
// the end of the test. It skips (or fails in CI) when PostgreSQL is
// unavailable.
func Open(t testing.TB, engine string) *DB {
	t.Helper()
	ctx := context.Background()
	var dsn string
	switch engine {
	case "sqlite":
		dsn = "sqlite:" + filepath.Join(t.TempDir(), "maillon.db")
	case "postgres":
		admin := os.Getenv("MAILLON_TEST_POSTGRES")
		if admin == "" {
			if os.Getenv("MAILLON_TEST_REQUIRE_POSTGRES") == "1" {
				t.Fatal("MAILLON_TEST_REQUIRE_POSTGRES=1 but MAILLON_TEST_POSTGRES is empty")
			}
			t.Skip("PostgreSQL test skipped: set MAILLON_TEST_POSTGRES=postgres://user@127.0.0.1:5432/postgres?sslmode=disable to run it (bash .ci/run does)")
		}
		var drop func() error
		var err error
		dsn, drop, err = store.CreatePostgresSchema(ctx, admin, "maillon_test_"+randomHex(8))
		if err != nil {
			t.Fatalf("create PostgreSQL test schema: %v", err)
		}
		if os.Getenv("MAILLON_TEST_KEEPDB") != "1" {
			t.Cleanup(func() {
				if err := drop(); err != nil {
					t.Errorf("drop test schema: %v", err)
				}
			})
		} else {
			t.Logf("keeping test schema: %s", dsn)
		}
	default:
		t.Fatalf("unknown engine %q", engine)
	}
	clock := NewClock(Start)
	s, err := store.Open(ctx, dsn, store.Options{
		Hasher:   Hasher,
		Clock:    clock.Now,
		Sessions: maillon.DefaultSessionPolicy,
	})
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return &DB{Store: s, Clock: clock, Engine: engine, DSN: dsn}
}

// Hasher is a cheap argon2id hasher for tests.
var Hasher = auth.NewHasher(auth.TestParams)

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
