package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"maillon/internal/auth"
	"maillon/internal/store"
	"maillon/internal/storetest"
)

func TestMain(m *testing.M) {
	// Cheap argon2id costs: the CLI and the server hash many passwords in
	// these tests (the demo dataset alone has seven accounts), and checking
	// a password reads the costs from its hash, so nothing else changes.
	hashParams = auth.TestParams
	os.Exit(m.Run())
}

// outcome is what one run of the binary produced.
type outcome struct {
	code           int
	stdout, stderr string
}

func (o outcome) String() string {
	return "exit " + strconv.Itoa(o.code) + "\n--- stdout:\n" + o.stdout + "\n--- stderr:\n" + o.stderr
}

// cli runs the binary in-process with the given environment variables (the
// process environment is never read) and standard input, which is not a
// terminal.
func cli(t *testing.T, vars map[string]string, stdin string, args ...string) outcome {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, testEnv(vars, stdin, &out, &errb))
	return outcome{code: code, stdout: out.String(), stderr: errb.String()}
}

func testEnv(vars map[string]string, stdin string, stdout, stderr interface{ Write([]byte) (int, error) }) env {
	return env{
		stdin:  strings.NewReader(stdin),
		stdout: stdout, stderr: stderr,
		getenv:       func(k string) string { return vars[k] },
		isTerminal:   func() bool { return false },
		readPassword: func() (string, error) { return "", errors.New("no terminal in tests") },
	}
}

// mustRun runs the binary and fails the test unless it exits with want.
func mustRun(t *testing.T, want int, vars map[string]string, stdin string, args ...string) outcome {
	t.Helper()
	o := cli(t, vars, stdin, args...)
	if o.code != want {
		t.Fatalf("maillon %s: want exit %d, got %s", strings.Join(args, " "), want, o)
	}
	return o
}

// forEachEngine runs fn on a fresh, empty (not migrated) database of each
// engine, as parallel subtests named after the engine.
func forEachEngine(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, emptyDatabase(t, engine))
		})
	}
}

// emptyDatabase returns the DSN of a new empty database, removed at the end
// of the test: a file in a temporary directory for SQLite, a uniquely named
// database for PostgreSQL (skipped without MAILLON_TEST_POSTGRES, failed
// when MAILLON_TEST_REQUIRE_POSTGRES=1).
func emptyDatabase(t *testing.T, engine string) string {
	t.Helper()
	switch engine {
	case "sqlite":
		return "sqlite:" + filepath.Join(t.TempDir(), "maillon.db")
	case "postgres":
		admin := os.Getenv("MAILLON_TEST_POSTGRES")
		if admin == "" {
			if os.Getenv("MAILLON_TEST_REQUIRE_POSTGRES") == "1" {
				t.Fatal("MAILLON_TEST_REQUIRE_POSTGRES=1 but MAILLON_TEST_POSTGRES is empty")
			}
			t.Skip("PostgreSQL test skipped: set MAILLON_TEST_POSTGRES=postgres://user@127.0.0.1:5432/postgres?sslmode=disable to run it (bash .ci/run does)")
		}
		b := make([]byte, 8)
		rand.Read(b)
		dsn, drop, err := store.CreatePostgresDatabase(context.Background(), admin, "maillon_cli_"+hex.EncodeToString(b))
		if err != nil {
			t.Fatalf("create PostgreSQL test database: %v", err)
		}
		if os.Getenv("MAILLON_TEST_KEEPDB") == "1" {
			t.Logf("keeping test database %s", dsn)
		} else {
			t.Cleanup(func() {
				if err := drop(); err != nil {
					t.Errorf("drop test database: %v", err)
				}
			})
		}
		return dsn
	}
	t.Fatalf("unknown engine %q", engine)
	return ""
}

// openTestStore opens the database at dsn directly, as the server would,
// to check what the CLI did.
func openTestStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn, store.Options{Hasher: auth.NewHasher(auth.TestParams)})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// writeFile writes content to a new file in a temporary directory and
// returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write
// while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
