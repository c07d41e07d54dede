package seed_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/instamern/gram/internal/dbtest"
	"github.com/instamern/gram/internal/seed"
	"github.com/instamern/gram/internal/sqlstore"
)

// TestLoad seeds a tiny dataset on each backend and checks the row counts
// and that every post's counters match its likes and comments.
func TestLoad(t *testing.T) {
	c := seed.Config{Users: 50, Posts: 200, Likes: 2000, Comments: 500, Follows: 400, Stories: 30, Seed: 7,
		Now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), PasswordHash: "$argon2id$fake"}
	for _, b := range dbtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			tables, err := seed.Load(t.Context(), s, c, seed.Options{Warn: func(m string) { t.Log(m) }})
			if err != nil {
				t.Fatal(err)
			}
			loaded := map[string]int64{}
			for _, tb := range tables {
				loaded[tb.Name] = tb.Rows
			}
			for table, want := range map[string]int64{"users": 50, "posts": 200, "follows": 400, "stories": 30} {
				if got := count(t, s, table); got != want || loaded[table] != want {
					t.Errorf("%s: %d rows in the table, %d reported; want %d", table, got, loaded[table], want)
				}
			}
			// Likes and comments are drawn per post: about the asked number.
			for table, want := range map[string]int64{"likes": 2000, "comments": 500} {
				if got := count(t, s, table); got != loaded[table] || got < want/2 || got > want*2 {
					t.Errorf("%s: %d rows, %d reported; want about %d", table, got, loaded[table], want)
				}
			}
			if bad, err := seed.BadCounters(t.Context(), s, nil); err != nil || bad != 0 {
				t.Errorf("BadCounters = %d, %v; want 0", bad, err)
			}
			if n := scalar(t, s, `SELECT count(*) FROM follows WHERE follower_id = followee_id`); n != 0 {
				t.Errorf("%d self-follows", n)
			}
			if n := scalar(t, s, `SELECT count(*) FROM users WHERE password_hash <> '$argon2id$fake'`); n != 0 {
				t.Errorf("%d users without the given password hash", n)
			}
		})
	}
}

// TestEnableLogins gives users seeded without a hash the given one.
func TestEnableLogins(t *testing.T) {
	s := dbtest.SQLite(t)
	if _, err := seed.Load(t.Context(), s, seed.Config{Users: 5, Seed: 1}, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := seed.EnableLogins(t.Context(), s, "$argon2id$x"); err != nil {
		t.Fatal(err)
	}
	if n := scalar(t, s, `SELECT count(*) FROM users WHERE password_hash = '$argon2id$x'`); n != 5 {
		t.Errorf("%d of 5 users got the hash", n)
	}
}

// TestLoadRestoresDurability: the load writes without syncing, and the
// store is back to its own synchronous setting afterwards, whichever it is.
func TestLoadRestoresDurability(t *testing.T) {
	for mode, want := range map[string]int64{sqlstore.SyncFull: 2, sqlstore.SyncNormal: 1} {
		s, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "gram.db"), sqlstore.Options{Synchronous: mode})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := seed.Load(t.Context(), s, seed.Config{Users: 5, Seed: 1}, seed.Options{}); err != nil {
			t.Fatal(err)
		}
		if got := scalar(t, s, `PRAGMA synchronous`); got != want {
			t.Errorf("%s store: synchronous %d after the load; want %d", mode, got, want)
		}
	}
}

// TestBadCounters checks that the check can fail.
func TestBadCounters(t *testing.T) {
	s := dbtest.SQLite(t)
	c := seed.Config{Users: 10, Posts: 20, Likes: 100, Comments: 20, Seed: 1}
	if _, err := seed.Load(t.Context(), s, c, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := s.DB().QueryRowContext(t.Context(), `SELECT id FROM posts LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(t.Context(), `UPDATE posts SET like_count = like_count + 1 WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	for name, ids := range map[string][]string{"all": nil, "one": {id}} {
		if bad, err := seed.BadCounters(t.Context(), s, ids); err != nil || bad != 1 {
			t.Errorf("%s: BadCounters = %d, %v; want 1", name, bad, err)
		}
	}
}

func count(t *testing.T, s *sqlstore.Store, table string) int64 {
	t.Helper()
	return scalar(t, s, `SELECT count(*) FROM `+table)
}

func scalar(t *testing.T, s *sqlstore.Store, q string) int64 {
	t.Helper()
	var n int64
	if err := s.DB().QueryRowContext(t.Context(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
