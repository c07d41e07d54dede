// Package dbtest opens throw-away stores for tests and benchmarks outside
// sqlstore: a SQLite file in a temp dir, or a PostgreSQL schema of its
// own (GRAM_TEST_POSTGRES) dropped at the end.
package dbtest

import (
	"path/filepath"
	"testing"

	"github.com/instamern/gram/internal/pgtest"
	"github.com/instamern/gram/internal/sqlstore"
)

// Backend names a store kind and opens a fresh one.
type Backend struct {
	Name string
	Open func(tb testing.TB) *sqlstore.Store
}

// Backends lists SQLite and PostgreSQL (which skips, or fails under
// GRAM_TEST_REQUIRE=1, when GRAM_TEST_POSTGRES is not set).
func Backends() []Backend {
	return []Backend{{"sqlite", SQLite}, {"postgres", Postgres}}
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
// at cleanup (pgtest.SchemaURL). It skips unless GRAM_TEST_POSTGRES holds a
// database URL.
func Postgres(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	s, err := sqlstore.Open(tb.Context(), pgtest.SchemaURL(tb), sqlstore.Options{MaxOpenConns: 8})
	if err != nil {
		tb.Fatalf("open postgres store: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}
