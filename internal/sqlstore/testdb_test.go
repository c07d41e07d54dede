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
	installTrigram(t, admin)
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

// installTrigram creates pg_trgm in the public schema, as a DBA would,
// unless it exists. Left to migration 0005, the first test would create
// it in its own schema, and dropping that schema would drop the trigram
// indexes of the tests still running. The lock is the migration's.
func installTrigram(t *testing.T, admin *sql.DB) {
	t.Helper()
	tx, err := admin.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(t.Context(), `SELECT pg_advisory_xact_lock(hashtext('gram: pg_trgm'))`); err != nil {
		t.Fatalf("lock: %v", err)
	}
	if _, err := tx.ExecContext(t.Context(), `CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`); err != nil {
		t.Logf("pg_trgm not available (%v); search will scan", err)
		return
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit: %v", err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
