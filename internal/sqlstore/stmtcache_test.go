package sqlstore

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestStmtCache specifies the SQLite statement cache: each statement is
// prepared once and reused, transactions on the single writer never wait
// for the connection they hold, and the cache stays bounded.
func TestStmtCache(t *testing.T) {
	t.Run("ReusesPreparedStatement", func(t *testing.T) {
		s := OpenTestSQLite(t)
		defer s.Close()
		const q = `SELECT COUNT(*) FROM users WHERE id = ?`
		for range 3 {
			var n int
			if err := s.queryRow(t.Context(), q, "x").Scan(&n); err != nil {
				t.Fatal(err)
			}
		}
		first := s.rc.peek(q)
		if first == nil {
			t.Fatal("statement not cached after use")
		}
		if got := s.rc.stmt(t.Context(), q); got != first {
			t.Error("a second lookup prepared the statement again")
		}
	})

	t.Run("TransactionDoesNotDeadlockAndWarmsAfter", func(t *testing.T) {
		s := OpenTestSQLite(t)
		defer s.Close()
		const q = `UPDATE users SET bio = bio WHERE id = ?`
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		err := s.inTx(ctx, func(tx tx) error {
			_, err := tx.exec(ctx, q, "x")
			return err
		})
		if err != nil {
			t.Fatalf("transaction with an uncached statement: %v", err)
		}
		if s.wc.peek(q) == nil {
			t.Fatal("statement missed inside the transaction was not prepared after it")
		}
		err = s.inTx(ctx, func(tx tx) error {
			_, err := tx.exec(ctx, q, "x")
			return err
		})
		if err != nil {
			t.Fatalf("transaction with a cached statement: %v", err)
		}
	})

	t.Run("BadStatementNotCached", func(t *testing.T) {
		s := OpenTestSQLite(t)
		defer s.Close()
		const q = `SELEC nothing`
		if _, err := s.query(t.Context(), q); err == nil {
			t.Fatal("no error for a malformed statement")
		}
		if s.rc.peek(q) != nil {
			t.Error("malformed statement cached")
		}
	})

	t.Run("Bounded", func(t *testing.T) {
		s := OpenTestSQLite(t)
		defer s.Close()
		for i := range maxCachedStmts + 10 {
			var n int
			if err := s.queryRow(t.Context(), fmt.Sprintf(`SELECT %d`, i)).Scan(&n); err != nil || n != i {
				t.Fatalf("SELECT %d = %d, %v", i, n, err)
			}
		}
		if n := len(s.rc.m); n != maxCachedStmts {
			t.Errorf("cache holds %d statements, want the bound %d", n, maxCachedStmts)
		}
	})

	t.Run("LongListsNotCached", func(t *testing.T) {
		s := OpenTestSQLite(t)
		defer s.Close()
		ids := make([]string, maxCachedParams+1)
		for i := range ids {
			ids[i] = fmt.Sprint(i)
		}
		if _, err := s.UsersByIDs(t.Context(), ids); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UsersByIDs(t.Context(), ids[:3]); err != nil {
			t.Fatal(err)
		}
		if n := len(s.rc.m); n != 1 {
			t.Errorf("cache holds %d statements after a long and a short id list, want only the short one's", n)
		}
	})

	t.Run("NotUsedOnPostgres", func(t *testing.T) {
		s := OpenTestPostgres(t)
		defer s.Close()
		if s.rc != nil || s.wc != nil {
			t.Error("PostgreSQL store has a statement cache (pgx caches statements itself)")
		}
	})
}
