// Package pgtest gives each test a PostgreSQL schema of its own, so tests
// of every package may run in parallel against one database and leave
// nothing behind. Stores are opened by the callers (sqlstore's own tests
// cannot import a package that imports sqlstore).
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"github.com/instamern/gram/internal/testenv"
	"net/url"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Env names the variable holding the test database URL.
const Env = "GRAM_TEST_POSTGRES"

// SchemaURL creates a fresh schema in the database named by
// GRAM_TEST_POSTGRES, drops it when tb ends (after the cleanups the
// caller registers later, such as closing its store), and returns the
// database URL with search_path set to it. It skips tb when the variable
// is not set.
func SchemaURL(tb testing.TB) string {
	tb.Helper()
	base := testenv.Need(tb, Env)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	installTrigram(tb, admin)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "gramtest_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(tb.Context(), `CREATE SCHEMA `+schema); err != nil {
		_ = admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		// tb.Context() is done by now.
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// installTrigram creates pg_trgm in the public schema, as a DBA would,
// unless it exists. Left to migration 0005, the first test would create
// it in its own schema, and dropping that schema would drop the trigram
// indexes of the tests still running. The lock is the migration's.
func installTrigram(tb testing.TB, admin *sql.DB) {
	tb.Helper()
	tx, err := admin.BeginTx(tb.Context(), nil)
	if err != nil {
		tb.Fatalf("begin: %v", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(tb.Context(), `SELECT pg_advisory_xact_lock(hashtext('gram: pg_trgm'))`); err != nil {
		tb.Fatalf("lock: %v", err)
	}
	if _, err := tx.ExecContext(tb.Context(), `CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`); err != nil {
		tb.Logf("pg_trgm not available (%v); search will scan", err)
		return
	}
	if err := tx.Commit(); err != nil {
		tb.Fatalf("commit: %v", err)
	}
}
