package sqlstore

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// BenchmarkHomeSeeded compares the two designs of the home feed on a
// database seeded by cmd/gramseed: fan-out on read (HomeFeed, what the
// store does) and a precomputed timeline (bench_timeline, a table of
// (reader, post) rows that a post would be copied into for each follower
// of its author, built here for the readers measured only). Each is
// timed for the first page and for a page 360 days back, for three
// readers it adds: one following the 1,000 most prolific active authors
// (the worst case of fan-out on read), one following 1,000 active
// accounts spread over the whole population and one following 10. It also times the
// timeline's writes: filling a reader's timeline when they follow
// (backfill) and copying one post of the most followed account into its
// followers' timelines (fan-out on write, rolled back), and logs how
// many rows timelines for every user would hold.
//
//	GRAM_BENCH_HOME_SQLITE=/path/seeded.db go test -run '^$' -bench HomeSeeded ./internal/sqlstore
//	GRAM_BENCH_HOME_POSTGRES=postgres://... go test -run '^$' -bench HomeSeeded ./internal/sqlstore
//
// The readers and bench_timeline stay in the database (a second run
// reuses them); docs/benchmarks.md has the numbers.
func BenchmarkHomeSeeded(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		url := os.Getenv("GRAM_BENCH_HOME_" + strings.ToUpper(name))
		if url == "" {
			continue
		}
		b.Run(name, func(b *testing.B) {
			s, err := Open(b.Context(), url, Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = s.Close() })
			benchHome(b, s)
		})
	}
}

// homeReader is a user the benchmark adds, following the given accounts.
type homeReader struct {
	name      string
	followees []string
	id        string
}

func benchHome(b *testing.B, s *Store) {
	ctx := b.Context()
	ids, err := queryAll(ctx, s, scanID, `SELECT id FROM users WHERE active ORDER BY id`)
	if err != nil || len(ids) < 20_000 {
		b.Fatalf("users: %d, %v (seed a database of at least 20,000 users)", len(ids), err)
	}
	prolific, err := queryAll(ctx, s, scanID, `SELECT author_id FROM posts GROUP BY author_id
		HAVING (SELECT u.active FROM users u WHERE u.id = author_id) ORDER BY count(*) DESC, author_id LIMIT 1000`)
	if err != nil {
		b.Fatal(err)
	}
	spread := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = ids[i*len(ids)/n]
		}
		return out
	}
	readers := []*homeReader{
		{name: "follows1000prolific", followees: prolific},
		{name: "follows1000", followees: spread(1000)},
		{name: "follows10", followees: spread(10)},
	}
	mustExec := func(q string, args ...any) {
		b.Helper()
		if _, err := s.w.ExecContext(ctx, s.d.rebind(q), args...); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	timeline := `CREATE TABLE IF NOT EXISTS bench_timeline (user_id TEXT NOT NULL, created_at BIGINT NOT NULL,
		post_id TEXT NOT NULL, PRIMARY KEY (user_id, created_at, post_id))`
	if s.d.name == "sqlite" {
		timeline += ` WITHOUT ROWID`
	}
	mustExec(timeline)
	now := time.Now()
	for _, r := range readers {
		name := "homebench_" + r.name
		u, err := s.UserByUsername(ctx, strings.ToLower(name))
		if err != nil {
			u = &gram.User{ID: gram.NewID(now), Username: strings.ToLower(name), Email: strings.ToLower(name) + "@example.com",
				Firstname: "Home", Lastname: "Bench", PasswordHash: "x", Role: gram.RoleUser, Active: true, CreatedAt: now, UpdatedAt: now}
			if err := s.CreateUser(ctx, u, nil); err != nil {
				b.Fatal(err)
			}
			for i, f := range r.followees {
				if _, err := s.Follow(ctx, u.ID, f, now.Add(time.Duration(i)*time.Millisecond), nil); err != nil {
					b.Fatal(err)
				}
			}
		}
		r.id = u.ID
		// Backfill: the reader's timeline from scratch, as a follow of
		// each of the accounts would add it.
		mustExec(`DELETE FROM bench_timeline WHERE user_id = ?`, r.id)
		start := time.Now()
		mustExec(`INSERT INTO bench_timeline (user_id, created_at, post_id)
			SELECT f.follower_id, p.created_at, p.id FROM follows f JOIN posts p ON p.author_id = f.followee_id WHERE f.follower_id = ?`, r.id)
		var rows int
		if err := s.w.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM bench_timeline WHERE user_id = ?`), r.id).Scan(&rows); err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: timeline backfill of %d posts took %v", r.name, rows, time.Since(start).Round(time.Millisecond))
	}
	mustExec(`ANALYZE bench_timeline`)
	logTimelineWrites(b, s)

	deep := gram.Page{Limit: 15, CursorAt: now.Add(-360 * 24 * time.Hour), CursorID: "ffffffffffffffffffffffff"}
	for _, r := range readers {
		for _, p := range []struct {
			name string
			page gram.Page
		}{{"first", gram.Page{Limit: 15}}, {"deep", deep}} {
			b.Run(r.name+"/read/"+p.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := s.HomeFeed(ctx, r.id, p.page); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(r.name+"/timeline/"+p.name, func(b *testing.B) {
				q := timelineQuery(p.page.HasCursor())
				for b.Loop() {
					if _, err := queryAll(ctx, s, scanPost, q, savedArgs(r.id, p.page)...); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// timelineQuery reads a page of a precomputed timeline: a range of its
// primary key, each post by primary key, kept if its author may be in
// the reader's feed (listedAuthor), as the home feed keeps them.
// Arguments: the reader's id, then listedArgs and the page's.
func timelineQuery(cursor bool) string {
	q := `SELECT ` + postColumns + ` FROM bench_timeline t JOIN posts p ON p.id = t.post_id
		WHERE t.user_id = ? AND ` + listedAuthor("p.author_id", true)
	if cursor {
		q += ` AND (t.created_at, t.post_id) < (?, ?)`
	}
	return q + ` ORDER BY t.created_at DESC, t.post_id DESC LIMIT ?`
}

// logTimelineWrites logs what a precomputed timeline costs to keep: the
// rows timelines for every user would hold, and the time to copy one
// post of the most followed account, and of a median one, into their
// followers' timelines (rolled back).
func logTimelineWrites(b *testing.B, s *Store) {
	ctx := b.Context()
	var total int64
	start := time.Now()
	err := s.w.QueryRowContext(ctx, `SELECT sum(c.n) FROM follows f JOIN
		(SELECT author_id, count(*) AS n FROM posts GROUP BY author_id) c ON c.author_id = f.followee_id`).Scan(&total)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("timelines of every user would hold %d rows (counted in %v)", total, time.Since(start).Round(time.Millisecond))
	type account struct {
		id        string
		followers int
	}
	accounts, err := queryAll(ctx, s, func(r scanner) (account, error) {
		var a account
		return a, r.Scan(&a.id, &a.followers)
	}, `SELECT followee_id, count(*) FROM follows GROUP BY followee_id ORDER BY count(*) DESC, followee_id`)
	if err != nil || len(accounts) == 0 {
		b.Fatalf("followee counts: %v", err)
	}
	for _, a := range []account{accounts[0], accounts[len(accounts)/2]} {
		err := s.inTx(ctx, func(t tx) error {
			start := time.Now()
			_, err := t.exec(ctx, `INSERT INTO bench_timeline (user_id, created_at, post_id)
				SELECT follower_id, ?, ? FROM follows WHERE followee_id = ?`, ms(time.Now()), gram.NewID(time.Now()), a.id)
			if err == nil {
				b.Logf("fan-out on write of one post to %d followers took %v", a.followers, time.Since(start).Round(time.Microsecond))
			}
			return rollbackErr{err}
		})
		if re := (rollbackErr{}); !errors.As(err, &re) || re.err != nil {
			b.Fatal(err)
		}
	}
}

// rollbackErr makes inTx roll back, carrying the real error (or nil).
type rollbackErr struct{ err error }

func (e rollbackErr) Error() string { return "rolled back" }
