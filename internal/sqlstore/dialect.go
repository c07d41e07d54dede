package sqlstore

import (
	"cmp"
	"database/sql"
	"errors"
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

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
	// isUnavailable reports the backend's own errors for a database that
	// cannot answer now (see unavailable, which adds the network's).
	isUnavailable func(error) bool
	// untimed, run first in a transaction, lifts the statement timeout for
	// it: maintenance (migrations, ANALYZE) may rightly run long.
	untimed string
	// migrationLock, run first in a migration's transaction, waits for
	// and takes a lock that other processes migrating the same schema
	// take too; "" when the transaction's own lock serializes them
	// (SQLite's writer begins IMMEDIATE, taking the database's write lock).
	migrationLock string
	// forUpdate is appended to a SELECT that reads a row it will update.
	forUpdate string
	// skipLocked is appended to a SELECT that claims rows for update.
	skipLocked string
	// bytewise is appended to a text column to compare and order it by
	// its bytes, whatever the database's locale (see bytewiseList).
	bytewise string
}

// bytewiseList returns the columns, separated by commas, each compared and
// ordered by its bytes.
func (d dialect) bytewiseList(cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c + d.bytewise
	}
	return strings.Join(out, ", ")
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
	// Still locked by another process when the busy timeout ran out.
	isUnavailable: func(err error) bool {
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return false
		}
		c := e.Code() & 0xff // the primary code of an extended one
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	},
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
	isUnavailable: func(err error) bool {
		var (
			ce *pgconn.ConnectError
			e  *pgconn.PgError
		)
		switch {
		case errors.As(err, &ce):
			return true
		case errors.As(err, &e):
			// Classes 08 connection exception, 53 insufficient resources
			// (too many connections, disk full), 57 operator intervention
			// (statement_timeout's query_canceled, shutting down, starting
			// up); lock_timeout's lock_not_available.
			class := e.Code[:min(2, len(e.Code))]
			return class == "08" || class == "53" || class == "57" || e.Code == "55P03"
		}
		return false
	},
	untimed: "SET LOCAL statement_timeout = 0",
	// A transaction-level advisory lock keyed on the schema, so that
	// stores in different schemas of one database migrate independently;
	// it is released at commit or rollback, even if the process dies.
	migrationLock: "SELECT pg_advisory_xact_lock(1735290437, hashtext(current_schema()))",
	forUpdate:     " FOR UPDATE",
	skipLocked:    " FOR UPDATE SKIP LOCKED",
	bytewise:      ` COLLATE "C"`,
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

// synchronousPragma is the PRAGMA synchronous value of a setting.
func synchronousPragma(setting string) (string, error) {
	switch strings.ToLower(setting) {
	case "", SyncFull:
		return "FULL", nil
	case SyncNormal:
		return "NORMAL", nil
	}
	return "", fmt.Errorf("sqlstore: synchronous must be %s or %s, not %q", SyncFull, SyncNormal, setting)
}

// openSQLite opens a writer (one connection, immediate transactions so a
// write never upgrades a read lock and deadlocks) and a reader pool.
func openSQLite(url string, opt Options) (*Store, error) {
	path := SQLitePath(url)
	if path == "" {
		return nil, errors.New("sqlstore: the database URL is neither postgres://... nor a SQLite path (sqlite:PATH)")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlstore: create database folder: %w", err)
	}
	sync, err := synchronousPragma(opt.Synchronous)
	if err != nil {
		return nil, err
	}
	busy := cmp.Or(opt.StatementTimeout, 10*time.Second)
	pragmas := "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(" + sync + ")&_pragma=busy_timeout(" +
		strconv.FormatInt(busy.Milliseconds(), 10) + ")"
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
	url, err := postgresURL(url, opt)
	if err != nil {
		return nil, err
	}
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

// connectTimeout is PostgreSQL's connect_timeout when the URL has none:
// without one, a connection to a host that drops packets waits for the
// kernel's TCP timeout, minutes.
const connectTimeout = "5"

// postgresURL adds to url the timeouts it does not set: connect_timeout,
// and statement_timeout from opt, which pgx sends when it connects.
func postgresURL(raw string, opt Options) (string, error) {
	u, err := neturl.Parse(raw)
	if ue := (*neturl.Error)(nil); errors.As(err, &ue) {
		err = ue.Err // without the URL, which holds the password
	}
	if err != nil {
		return "", fmt.Errorf("sqlstore: the PostgreSQL URL is not valid: %w", err)
	}
	q := u.Query()
	if !q.Has("connect_timeout") {
		q.Set("connect_timeout", connectTimeout)
	}
	if opt.StatementTimeout > 0 && !q.Has("statement_timeout") {
		q.Set("statement_timeout", strconv.FormatInt(opt.StatementTimeout.Milliseconds(), 10))
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
