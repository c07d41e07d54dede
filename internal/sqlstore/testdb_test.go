package sqlstore

import (
	"path/filepath"
	"testing"

	"github.com/instamern/gram/internal/pgtest"
)

// OpenTestSQLite opens a store on a fresh SQLite file in t.TempDir(),
// closed by the caller (or by storetest.Run).
func OpenTestSQLite(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "gram.db"), Options{})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	return s
}

// OpenTestPostgres opens a store on PostgreSQL in a schema of its own
// (pgtest.SchemaURL), so tests are isolated and may run in parallel. It
// skips the test unless GRAM_TEST_POSTGRES holds a database URL.
func OpenTestPostgres(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), pgtest.SchemaURL(t), Options{MaxOpenConns: 8})
	if err != nil {
		t.Fatalf("open postgres store: %v", err)
	}
	return s
}
