package testenv

import (
	"context"
	"database/sql"
	"testing"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// LockSQLite takes the write lock of the SQLite database at path, as
// another process writing to it would, and holds it until the returned
// function is called or the test ends.
func LockSQLite(tb testing.TB, path string) (release func()) {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	conn, err := db.Conn(tb.Context())
	if err == nil {
		_, err = conn.ExecContext(tb.Context(), `BEGIN IMMEDIATE`)
	}
	if err != nil {
		_ = db.Close()
		tb.Fatalf("lock %s: %v", path, err)
	}
	done := false
	release = func() {
		if done {
			return
		}
		done = true
		if _, err := conn.ExecContext(context.Background(), `ROLLBACK`); err != nil {
			tb.Errorf("unlock %s: %v", path, err)
		}
		_ = conn.Close()
		_ = db.Close()
	}
	tb.Cleanup(release)
	return release
}
