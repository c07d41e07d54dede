package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/pgtest"
	"github.com/instamern/gram/internal/testenv"
)

// TestUnavailableErrors specifies which driver errors mean that the
// database cannot answer now: a refused connection (a real one, to a port
// nobody listens on) and the server's own words for it do; a statement the
// server rejects, and the caller's cancellation or deadline, do not.
func TestUnavailableErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	_, refused := pgconn.Connect(t.Context(), "postgres://gram@"+addr+"/gram?connect_timeout=5")
	if refused == nil {
		t.Fatal("connected to a closed port")
	}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"refused", refused, true},
		{"query canceled (statement_timeout)", &pgconn.PgError{Code: "57014"}, true},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"lock timeout", &pgconn.PgError{Code: "55P03"}, true},
		{"bad connection", fmt.Errorf("x: %w", sql.ErrConnDone), true},
		{"syntax error", &pgconn.PgError{Code: "42601"}, false},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"canceled", fmt.Errorf("x: %w", context.Canceled), false},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), false},
		{"other", errors.New("something else"), false},
	}
	for _, c := range cases {
		if got := postgresDialect.unavailable(c.err); got != c.want {
			t.Errorf("%s (%v): unavailable %v, want %v", c.name, c.err, got, c.want)
		}
	}
	s := &Store{d: postgresDialect}
	if err := s.wrap("feed", refused); !errors.Is(err, gram.ErrStoreUnavailable) || gram.ErrorCode(err) != gram.EUNAVAILABLE {
		t.Errorf("wrap(refused) = %v, want gram.ErrStoreUnavailable", err)
	}
}

// TestStatementTimeoutPostgres specifies that a statement waiting on a
// lock another connection holds ends at Options.StatementTimeout as
// gram.ErrStoreUnavailable, and that migrations and ANALYZE run without it.
func TestStatementTimeoutPostgres(t *testing.T) {
	url := pgtest.SchemaURL(t)
	s, err := Open(t.Context(), url, Options{StatementTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	var timeout string
	if err := s.DB().QueryRowContext(t.Context(), `SHOW statement_timeout`).Scan(&timeout); err != nil || timeout != "300ms" {
		t.Fatalf("statement_timeout %q (%v), want 300ms", timeout, err)
	}
	err = s.untimedTx(t.Context(), func(t tx) error {
		return t.QueryRowContext(context.Background(), `SHOW statement_timeout`).Scan(&timeout)
	})
	if err != nil || timeout != "0" {
		t.Fatalf("untimed statement_timeout %q (%v), want 0", timeout, err)
	}

	other, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	lock, err := other.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lock.Rollback() }()
	if _, err := lock.ExecContext(t.Context(), `LOCK TABLE posts IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err = s.Feed(ctx, "", gram.Page{Limit: 10})
	if !errors.Is(err, gram.ErrStoreUnavailable) {
		t.Fatalf("feed under a lock: %v, want gram.ErrStoreUnavailable", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("feed gave up after %v, want about the 300ms statement timeout", d)
	}
}

// TestBusyTimeoutSQLite specifies that a write waiting for another
// process's lock on the file gives up after Options.StatementTimeout (the
// busy timeout) with gram.ErrStoreUnavailable.
func TestBusyTimeoutSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gram.db")
	s, err := Open(t.Context(), path, Options{StatementTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	testenv.LockSQLite(t, path)
	start := time.Now()
	err = s.UpdatePostCaption(t.Context(), "p1", "held")
	if !errors.Is(err, gram.ErrStoreUnavailable) {
		t.Fatalf("write under another process's lock: %v, want gram.ErrStoreUnavailable", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > 3*time.Second {
		t.Errorf("write gave up after %v, want about the 200ms busy timeout", d)
	}
}

// TestPostgresURL specifies the timeouts added to a PostgreSQL URL: a
// connect_timeout and the statement timeout, unless the URL sets them;
// and that a URL that does not parse is refused without echoing it.
func TestPostgresURL(t *testing.T) {
	opt := Options{StatementTimeout: 4500 * time.Millisecond}
	for raw, want := range map[string]string{
		"postgres://u:p@db/gram":                     "postgres://u:p@db/gram?connect_timeout=5&statement_timeout=4500",
		"postgres://db/gram?connect_timeout=1":       "postgres://db/gram?connect_timeout=1&statement_timeout=4500",
		"postgres://db/gram?statement_timeout=0":     "postgres://db/gram?connect_timeout=5&statement_timeout=0",
		"postgresql://db/gram?sslmode=require&x=%20": "postgresql://db/gram?connect_timeout=5&sslmode=require&statement_timeout=4500&x=+",
	} {
		if got, err := postgresURL(raw, opt); err != nil || got != want {
			t.Errorf("postgresURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	if got, _ := postgresURL("postgres://db/gram", Options{}); got != "postgres://db/gram?connect_timeout=5" {
		t.Errorf("without a statement timeout: %q", got)
	}
	_, err := postgresURL("postgres://u:secret@db:port/gram", opt)
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("bad URL: %v, want an error without the password", err)
	}
}
