package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	// The two drivers; no other package may import them (enforced by a
	// test in cmd/maillon).
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"maillon"
)

// Options configure a Store.
type Options struct {
	// Hasher hashes and checks passwords; required for user and login
	// methods.
	Hasher maillon.PasswordHasher
	// Clock gives "now"; SystemClock when nil.
	Clock maillon.Clock
	// Sessions holds the idle and absolute timeouts.
	Sessions maillon.SessionPolicy
	// MaxConns bounds the pool (PostgreSQL) or the readers (SQLite).
	MaxConns int
}

// Store implements the domain services over one database.
type Store struct {
	d      dialect
	writer *sql.DB // SQLite: a single connection, so writes are serialised
	reader *sql.DB // SQLite: a pool of read-only connections; PostgreSQL: the writer
	hasher maillon.PasswordHasher
	clock  maillon.Clock
	policy maillon.SessionPolicy
	target string // DSN without password, for logs and "maillon config"

	dummyOnce sync.Once
	dummy     string

	// Prepared statements of the SQLite pools (nil on PostgreSQL).
	writerStmts, readerStmts *stmtCache

	// Statements of the bulk import, prepared once (import.go).
	importMu    sync.Mutex
	importStmts map[string]*sql.Stmt

	// Search indexes of the directories (annuaire_search.go).
	dirIdx dirIndexes
}

// Open connects to the database named by dsn: "sqlite:<path>" or
// "postgres://…" (also "postgresql://…"). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	s := &Store{hasher: opt.Hasher, clock: opt.Clock, policy: opt.Sessions}
	if s.clock == nil {
		s.clock = maillon.SystemClock
	}
	if s.policy.Idle <= 0 {
		s.policy.Idle = maillon.DefaultSessionPolicy.Idle
	}
	if s.policy.Absolute <= 0 {
		s.policy.Absolute = maillon.DefaultSessionPolicy.Absolute
	}
	maxConns := opt.MaxConns
	if maxConns <= 0 {
		maxConns = max(4, 2*runtime.GOMAXPROCS(0))
	}
	var err error
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		err = s.openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), maxConns)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		err = s.openPostgres(ctx, dsn, maxConns)
	default:
		return nil, &maillon.Error{Kind: maillon.ErrInvalid, Message: "Adresse de base de données non reconnue : utilisez sqlite:chemin/fichier.db ou postgres://utilisateur@hôte/base."}
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) openSQLite(ctx context.Context, path string, readers int) error {
	path = strings.TrimPrefix(path, "//")
	if path == "" {
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Indiquez le chemin du fichier SQLite, par exemple sqlite:maillon.db."}
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("store: create database directory: %w", err)
		}
	}
	s.d = sqliteDialect{}
	s.target = "sqlite:" + path
	// Pragmas are set on every pooled connection by the driver.
	common := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath()
	// The writer keeps statement journals in memory (temp_store 2): a
	// statement that fires a trigger or checks a foreign key journals the
	// pages it changes, and on file that cost a 100,000-service directory
	// import a quarter of its time in write(2) calls to a temporary file.
	w, err := sql.Open("sqlite", u+"?"+common+"&_pragma=temp_store(2)&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("store: open sqlite: %w", err)
	}
	// One writer: SQLite has a single write lock, and queueing in Go is
	// cheaper and fairer than spinning on SQLITE_BUSY.
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	// Readers keep 16 MB of pages each (SQLite's default is 2 MB): a
	// person's page reads a few hundred interventions spread over the
	// whole table, and the index pages above them stay in memory.
	r, err := sql.Open("sqlite", u+"?"+common+"&_pragma=query_only(1)&_pragma=cache_size(-16384)")
	if err != nil {
		w.Close()
		return fmt.Errorf("store: open sqlite: %w", err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	s.writer, s.reader = w, r
	s.writerStmts, s.readerStmts = newStmtCache(w), newStmtCache(r)
	return nil
}

func (s *Store) openPostgres(ctx context.Context, dsn string, maxConns int) error {
	s.d = postgresDialect{}
	s.target = redactDSN(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return fmt.Errorf("store: connect to %s: %w", s.target, err)
	}
	s.writer, s.reader = db, db
	return nil
}

// redactDSN hides the password of a PostgreSQL URL, in the user
// information or as a query parameter.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(adresse illisible)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// Engine returns "sqlite" or "postgres".
func (s *Store) Engine() string { return s.d.name() }

// Target returns the database address without its password.
func (s *Store) Target() string { return s.target }

// Close closes the pools.
func (s *Store) Close() error {
	var err error
	s.importMu.Lock()
	for _, st := range s.importStmts {
		err = errors.Join(err, st.Close())
	}
	s.importMu.Unlock()
	err = errors.Join(err, s.writerStmts.close(), s.readerStmts.close())
	err = errors.Join(err, s.writer.Close())
	if s.reader != s.writer {
		err = errors.Join(err, s.reader.Close())
	}
	return err
}

// Ping checks that the database answers; used by /healthz.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.reader.QueryRowContext(ctx, "select 1").Scan(&one)
}

// PoolStats reports the connection pools for /metrics.
func (s *Store) PoolStats() map[string]sql.DBStats {
	if s.reader == s.writer {
		return map[string]sql.DBStats{"main": s.writer.Stats()}
	}
	return map[string]sql.DBStats{"writer": s.writer.Stats(), "reader": s.reader.Stats()}
}

// Services returns the domain services backed by this store.
func (s *Store) Services() maillon.Services {
	return maillon.Services{
		Instance:   s,
		Auth:       s,
		Structures: s,
		Teams:      s,
		Users:      s,
		Audit:      s,

		People:        s,
		Interventions: s,
		Journal:       s,
		Orientations:  s,
		Veille:        s,
		Tournees:      s,
		Safety:        s,
		Practice:      s,
		Agenda:        s,
		Mediations:    s,
		Territory:     s,
		Infos:         s,
		Import:        s,

		Directory: s,

		// Exports.
		Exports: s,
		// Collective actions.
		Activites:       s,
		Reports:         s,
		ReportTemplates: s,
	}
}
