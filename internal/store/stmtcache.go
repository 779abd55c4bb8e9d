package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps one *sql.Stmt per query text for a SQLite pool.
// database/sql prepares such a statement once on each connection that runs
// it and keeps it there, so SQLite parses a query once per connection
// instead of on every call: parsing was about 40 % of the home page's CPU.
// PostgreSQL needs none of this: pgx caches prepared statements itself.
type stmtCache struct {
	db     *sql.DB
	mu     sync.RWMutex
	m      map[string]*sql.Stmt // nil value: being prepared, or refused
	closed bool
	wg     sync.WaitGroup
}

// maxCachedStmts bounds the cache: queries built from filters (lists of
// IDs, optional conditions) come in many shapes; past the bound a new
// shape runs unprepared, as before.
const maxCachedStmts = 2000

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}}
}

// get returns the prepared statement for q, or nil: the caller then runs q
// unprepared. The first sight of q starts its preparation in the
// background: preparing needs a connection of the pool, and the caller
// holds one in its transaction (the SQLite writer has only one).
func (c *stmtCache) get(q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	st, seen := c.m[q]
	c.mu.RUnlock()
	if seen {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, seen := c.m[q]; seen || c.closed || len(c.m) >= maxCachedStmts {
		return nil
	}
	c.m[q] = nil
	c.wg.Add(1)
	go c.prepare(q)
	return nil
}

func (c *stmtCache) prepare(q string) {
	defer c.wg.Done()
	st, err := c.db.PrepareContext(context.Background(), q)
	if err != nil {
		return // stays nil: the query keeps running unprepared
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		st.Close()
		return
	}
	c.m[q] = st
}

// close waits for the preparations under way and closes every statement;
// call it before closing the pool.
func (c *stmtCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for q, st := range c.m {
		if st != nil {
			if e := st.Close(); e != nil && err == nil {
				err = e
			}
		}
		delete(c.m, q)
	}
	return err
}
