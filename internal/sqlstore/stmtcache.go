package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
)

// maxCachedStmts bounds a stmtCache; past the bound a statement simply
// runs unprepared. The store's statements are constant text except for IN
// lists and LikerIDs branches, one statement per list length; only those
// with at most maxCachedParams placeholders are cached (a feed page's
// likers, 15 posts, take 30), so the constant statements and every common
// list length fit with room to spare, and a burst of long, rare lists
// (a 1,000-id user list) cannot fill the cache first.
const (
	maxCachedStmts  = 512
	maxCachedParams = 64
)

// stmtCache prepares each distinct statement text once per pool and keeps
// it. modernc.org/sqlite parses a statement on every QueryContext, which
// profiling showed to be most of a feed page's CPU
// (docs/benchmarks.md); a *sql.Stmt is prepared lazily on each connection
// of the pool and reused from then on. PostgreSQL does not use it: pgx
// already caches prepared statements per connection.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement for q, preparing it on first use. It
// returns nil (run q unprepared) when the cache is full or q does not
// prepare; the unprepared run then reports q's own error.
func (c *stmtCache) stmt(ctx context.Context, q string) *sql.Stmt {
	if c == nil || strings.Count(q, "?") > maxCachedParams {
		return nil
	}
	c.mu.RLock()
	st, ok := c.m[q]
	full := len(c.m) >= maxCachedStmts
	c.mu.RUnlock()
	if ok || full {
		return st
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.m[q]; ok {
		// Another goroutine prepared it meanwhile: keep one.
		_ = st.Close()
		return prev
	}
	if len(c.m) >= maxCachedStmts {
		_ = st.Close()
		return nil
	}
	c.m[q] = st
	return st
}

// peek returns q's statement if it is already prepared, else nil. A
// transaction on SQLite's single writer connection cannot prepare through
// the pool (that would wait for the connection it holds), so it only
// peeks and leaves misses to warm after it ends.
func (c *stmtCache) peek(q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[q]
}

// close closes every cached statement.
func (c *stmtCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for q, st := range c.m {
		err = errors.Join(err, st.Close())
		delete(c.m, q)
	}
	return err
}
