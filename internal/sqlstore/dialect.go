package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is everything that differs between SQLite and PostgreSQL. The
// queries themselves are written once, with "?" placeholders.
type dialect struct {
	name string
	// rebind turns "?" placeholders into the dialect's form.
	rebind func(string) string
	// isConflict reports a unique or primary-key violation.
	isConflict func(error) bool
	// isForeignKey reports a foreign-key violation (a referenced row is gone).
	isForeignKey func(error) bool
	// retryable reports an error after which the transaction may be re-run.
	retryable func(error) bool
	// forUpdate is appended to a SELECT that reads a row it will update.
	forUpdate string
	// skipLocked is appended to a SELECT that claims rows for update.
	skipLocked string
}

var sqliteDialect = dialect{
	name:   "sqlite",
	rebind: func(q string) string { return q },
	isConflict: func(err error) bool {
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return false
		}
		c := e.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	},
	isForeignKey: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	},
	retryable: func(error) bool { return false },
}

var postgresDialect = dialect{
	name:   "postgres",
	rebind: rebindDollar,
	isConflict: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23505"
	},
	isForeignKey: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23503"
	},
	retryable: func(err error) bool {
		var e *pgconn.PgError
		// serialization_failure, deadlock_detected
		return errors.As(err, &e) && (e.Code == "40001" || e.Code == "40P01")
	},
	forUpdate:  " FOR UPDATE",
	skipLocked: " FOR UPDATE SKIP LOCKED",
}

// rebindDollar turns each "?" into $1, $2, ... Our queries never contain a
// literal question mark, so no quoting rules are needed.
func rebindDollar(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// openSQLite opens a writer (one connection, immediate transactions so a
// write never upgrades a read lock and deadlocks) and a reader pool.
func openSQLite(url string, opt Options) (*Store, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, fmt.Errorf("sqlstore: empty SQLite path in %q", url)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlstore: create database folder: %w", err)
	}
	const pragmas = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate&_pragma=wal_autocheckpoint(10000)")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	n := opt.MaxOpenConns
	if n <= 0 {
		n = 2 * runtime.NumCPU()
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	c, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		_ = w.Close()
		_ = r.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	c.SetMaxOpenConns(1)
	return &Store{w: w, r: r, d: sqliteDialect, wc: newStmtCache(w), rc: newStmtCache(r),
		ckpt: startCheckpointer(c, checkpointEvery)}, nil
}

// openPostgres opens one pool through pgx's database/sql driver.
func openPostgres(url string, opt Options) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	n := opt.MaxOpenConns
	if n <= 0 {
		n = 4 * runtime.NumCPU()
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	return &Store{w: db, r: db, d: postgresDialect}, nil
}
