// Package dbtest opens throw-away stores for tests and benchmarks outside
// sqlstore: a SQLite file in a temp dir, or a PostgreSQL schema of its
// own (GRAM_TEST_POSTGRES) dropped at the end.
package dbtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/instamern/gram/internal/sqlstore"
)

// Backend names a store kind and opens a fresh one.
type Backend struct {
	Name string
	Open func(tb testing.TB) *sqlstore.Store
}

// Backends lists SQLite, and PostgreSQL when GRAM_TEST_POSTGRES is set.
func Backends() []Backend {
	bs := []Backend{{"sqlite", SQLite}}
	if os.Getenv("GRAM_TEST_POSTGRES") != "" {
		bs = append(bs, Backend{"postgres", Postgres})
	}
	return bs
}

// SQLite opens a store on a fresh file in tb.TempDir(), closed at cleanup.
func SQLite(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	s, err := sqlstore.Open(tb.Context(), filepath.Join(tb.TempDir(), "gram.db"), sqlstore.Options{})
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// Postgres opens a store in a schema created for this test and dropped
// at cleanup. It skips unless GRAM_TEST_POSTGRES holds a database URL.
func Postgres(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	base := os.Getenv("GRAM_TEST_POSTGRES")
	if base == "" {
		tb.Skip("GRAM_TEST_POSTGRES not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "gramdbtest_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(tb.Context(), `CREATE SCHEMA `+schema); err != nil {
		_ = admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() { // runs after the store's Close below
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("GRAM_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := sqlstore.Open(tb.Context(), u.String(), sqlstore.Options{MaxOpenConns: 8})
	if err != nil {
		tb.Fatalf("open postgres store: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}
