// Package sqlstore implements gram.Store on SQLite (the embedded default)
// and PostgreSQL with database/sql and hand-written SQL. The differences
// between the two live in dialect.go and in the per-dialect migrations.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

var _ gram.Store = (*Store)(nil)

// Store is the SQL implementation of gram.Store. On SQLite writes go
// through one connection (SQLite has one writer anyway; queuing in Go avoids
// busy-waiting) and reads through a pool; on PostgreSQL both are one pool.
type Store struct {
	w, r *sql.DB
	d    dialect
	// wc and rc cache prepared statements on the writer and the readers
	// (SQLite only; nil on PostgreSQL, see stmtCache).
	wc, rc *stmtCache
	// ckpt checkpoints SQLite's log in the background (nil on PostgreSQL).
	ckpt *checkpointer
	// shieldAll, when set, replaces shieldAll (a test of the other path).
	shieldAll int
}

// Options tune the connection pools.
type Options struct {
	MaxOpenConns int // readers on SQLite, the whole pool on PostgreSQL; 0 = default
	// StatementTimeout bounds one statement: PostgreSQL's statement_timeout
	// (unless the URL sets it), and on SQLite the busy timeout, how long a
	// statement waits for another process's lock. Past it the store returns
	// gram.ErrStoreUnavailable. 0 leaves PostgreSQL's server setting and
	// SQLite's 10 seconds.
	StatementTimeout time.Duration
	// Synchronous is SQLite's durability of a commit: SyncFull (the
	// default, "") or SyncNormal. PostgreSQL ignores it (its own
	// synchronous_commit applies).
	Synchronous string
}

// SQLite's synchronous settings (WAL mode).
const (
	// SyncFull makes every commit reach the disk (fsync of the log) before
	// it returns: an acknowledged write survives a power failure or an OS
	// crash. It costs one fsync per write transaction.
	SyncFull = "full"
	// SyncNormal leaves commits in the OS's cache until the next
	// checkpoint: they survive a crash of the process, but the last ones
	// may be lost, still consistent, if the machine loses power.
	SyncNormal = "normal"
)

// Open opens the database named by url and applies pending migrations:
// "postgres://..." or "postgresql://..." opens PostgreSQL; "sqlite:PATH",
// "file:PATH" or a plain path opens (creating) a SQLite file.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	var (
		s   *Store
		err error
	)
	if IsPostgres(url) {
		s, err = openPostgres(url, opt)
	} else {
		s, err = openSQLite(url, opt)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	if err := s.forgetValueStats(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Ping checks both pools.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping: %w", err)
	}
	return s.r.PingContext(ctx)
}

// Close closes the pools.
func (s *Store) Close() error {
	err := errors.Join(s.ckpt.close(), s.wc.close(), s.rc.close(), s.w.Close())
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Dialect names the backend: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// DB returns the write pool, for tools (seeding, EXPLAIN) that need raw SQL.
func (s *Store) DB() *sql.DB { return s.w }

// Pools are the store's connection pools by role, for monitoring their
// statistics (sql.DB.Stats): "writer" and "readers" on SQLite, "pool" on
// PostgreSQL, where one pool serves both.
func (s *Store) Pools() map[string]*sql.DB {
	if s.r == s.w {
		return map[string]*sql.DB{"pool": s.w}
	}
	return map[string]*sql.DB{"writer": s.w, "readers": s.r}
}

// inTx runs fn in a transaction on the writer and commits it, retrying
// the whole function when the backend reports a serialization failure or
// deadlock (PostgreSQL); fn must therefore be safe to run again.
func (s *Store) inTx(ctx context.Context, fn func(tx) error) error {
	const attempts = 5
	var err error
	for i := range attempts {
		err = s.tryTx(ctx, fn)
		if err == nil || !s.d.retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(i+1) * 5 * time.Millisecond):
		}
	}
	return err
}

func (s *Store) tryTx(ctx context.Context, fn func(tx) error) error {
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	var missed []string
	defer func() {
		for _, q := range missed {
			s.wc.stmt(ctx, q)
		}
	}()
	if err := fn(tx{t, s.d, s.wc, &missed}); err != nil {
		_ = t.Rollback()
		return err
	}
	return t.Commit()
}

// untimedTx runs fn once in a transaction without the statement timeout,
// for maintenance that may rightly run long.
func (s *Store) untimedTx(ctx context.Context, fn func(tx) error) error {
	return s.tryTx(ctx, func(t tx) error {
		if s.d.untimed != "" {
			if _, err := t.ExecContext(ctx, s.d.untimed); err != nil {
				return err
			}
		}
		return fn(t)
	})
}

// ms converts a time to the stored form: Unix milliseconds.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts a stored time back; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// placeholders returns "?, ?, ..." with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// anySlice converts ids to query arguments.
func anySlice(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
