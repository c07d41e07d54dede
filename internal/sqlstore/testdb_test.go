package sqlstore

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
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

// OpenTestPostgres opens a store on PostgreSQL in a schema of its own,
// created for this test and dropped when it ends, so tests are isolated
// and may run in parallel. It skips the test unless GRAM_TEST_POSTGRES
// holds a database URL (postgres://...).
func OpenTestPostgres(t *testing.T) *Store {
	t.Helper()
	base := os.Getenv("GRAM_TEST_POSTGRES")
	if base == "" {
		t.Skip("GRAM_TEST_POSTGRES not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	schema := "gramtest_" + randomHex(8)
	if _, err := admin.ExecContext(t.Context(), `CREATE SCHEMA `+schema); err != nil {
		_ = admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		// t.Context() is done by now.
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("GRAM_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := Open(t.Context(), u.String(), Options{MaxOpenConns: 8})
	if err != nil {
		t.Fatalf("open postgres store: %v", err)
	}
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
